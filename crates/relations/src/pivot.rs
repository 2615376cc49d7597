//! Relations between a locale's words through their English renderings (Bannard &
//! Callison-Burch 2005): p(t2 | t1) = Σₑ p(e | t1) · p(t2 | e). Two words that render the same
//! English words are forms of one word (удалить / удаление → delete) or synonyms.

use locsearch_analysis::{Capabilities, compound};
use rustc_hash::FxHashMap;

use crate::model1::Table;
use crate::words::Corpus;
use crate::{Kind, Link, Mining};

/// Relations of every target word worth relating, and its English renderings.
pub(crate) fn relate(
    corpus: &Corpus,
    capabilities: &Capabilities,
    target_given_english: &Table,
    english_given_target: &Table,
    mining: &Mining,
) -> Vec<Link> {
    let pairs = corpus.pairs.len() as f32;
    let common = |count: u32| count as f32 > mining.max_pair_share * pairs;
    let target_ok = |t: u32| {
        let count = corpus.target.pair_counts[t as usize];
        count >= mining.min_pairs && !common(count)
    };
    // English words in too many pairs are function words: they relate everything. (A row
    // holds produced words only, never NULL.)
    let english_ok = |e: u32| !common(corpus.english.pair_counts[e as usize]);
    // Pairs holding some form a reduced term stands for, and the IDF of a count over the pairs.
    let mut term_pairs: FxHashMap<&str, u32> = FxHashMap::default();
    for (reduced, count) in corpus.target.reduced.iter().zip(&corpus.target.pair_counts) {
        *term_pairs.entry(reduced.as_str()).or_default() += count;
    }
    let idf = |count: u32| (1.0 + (pairs - count as f32 + 0.5) / (count as f32 + 0.5)).ln();
    let mut links = Vec::new();
    for t1 in (0..corpus.target.words.len() as u32).filter(|&t| target_ok(t)) {
        let word = &corpus.target.words[t1 as usize];
        let mut related: FxHashMap<u32, (f32, u32, f32)> = FxHashMap::default();
        for &(e, p_e, together) in english_given_target.row(t1) {
            if p_e < mining.min_probability || together < mining.min_pairs || !english_ok(e) {
                continue;
            }
            if target_given_english.get(e, t1).0 >= mining.min_probability {
                add_pivot(
                    &mut related,
                    target_given_english.row(e),
                    t1,
                    e,
                    p_e,
                    mining,
                );
            }
            // A word that renders as itself (a product name, a code, an English word left in
            // the text) is kept too: it lets the locale's English text confirm the match.
            let english = &corpus.english.words[e as usize];
            if p_e >= mining.min_translation && together >= mining.min_translation_pairs {
                links.push(link(word, english, english, p_e, 1.0, Kind::English));
            }
        }
        let mut found: Vec<Link> = Vec::new();
        for (t2, (p, e, _)) in related {
            let back = english_given_target.get(t2, e).0;
            if p < mining.min_probability || back < mining.min_back_probability || !target_ok(t2) {
                continue;
            }
            let other = &corpus.target.words[t2 as usize];
            let term = &corpus.target.reduced[t2 as usize];
            if *term == corpus.target.reduced[t1 as usize] {
                // The analyzer merges them already.
                continue;
            }
            if capabilities.compounds
                && compounds_the_other(word, other, |w| corpus.target.knows(w))
            {
                continue;
            }
            let kind = if same_word_shape(word, other) {
                Kind::Form
            } else if p >= mining.min_synonym_probability {
                Kind::Synonym
            } else {
                continue;
            };
            let word_idf = idf(corpus.target.pair_counts[t1 as usize]);
            let cap = (word_idf / idf(term_pairs[term.as_str()])).min(1.0);
            found.push(link(word, other, term, p, cap, kind));
        }
        keep_likeliest(&mut found, mining);
        links.extend(found);
    }
    links
}

/// Keeps a word's `mining.max_links` likeliest links (ties by the related word).
pub(crate) fn keep_likeliest(found: &mut Vec<Link>, mining: &Mining) {
    found.sort_by(|a, b| {
        b.probability
            .total_cmp(&a.probability)
            .then(a.related.cmp(&b.related))
    });
    found.truncate(mining.max_links);
}

/// Adds t1's share of e's renderings to `related`: (sum, the English word that gave most,
/// its share).
fn add_pivot(
    related: &mut FxHashMap<u32, (f32, u32, f32)>,
    renderings: &[(u32, f32, u32)],
    t1: u32,
    e: u32,
    p_e: f32,
    mining: &Mining,
) {
    for &(t2, p_t2, together) in renderings {
        if t2 == t1 || together < mining.min_pairs {
            continue;
        }
        let share = p_e * p_t2;
        let entry = related.entry(t2).or_insert((0.0, e, 0.0));
        entry.0 += share;
        if share > entry.2 {
            (entry.1, entry.2) = (e, share);
        }
    }
}

fn link(word: &str, related: &str, term: &str, probability: f32, cap: f32, kind: Kind) -> Link {
    Link {
        kind,
        word: word.to_owned(),
        related: related.to_owned(),
        term: term.to_owned(),
        cap,
        probability,
    }
}

/// Whether the longer of two words is a compound the shorter starts (`printer`,
/// `printerverbinding`): a narrower notion, not a form of the word. The query finds it as a
/// compound of the word, at the weight of one.
fn compounds_the_other(a: &str, b: &str, known: impl Fn(&str) -> bool) -> bool {
    let (shorter, longer) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    compound::parts(longer, known)
        .is_some_and(|[first, _]| first.starts_with(shorter) || shorter.starts_with(&first))
}

/// Whether two words look like forms of one word: both of five letters or more, they share a
/// prefix of three letters (four when the shorter has more than six), after up to two leading
/// letters of one of them (German ge-, Polish za-). Words of scripts without letters-as-sounds
/// (Han, kana) never do.
pub fn same_word_shape(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let alphabetic = |w: &[char]| w.iter().all(|c| c.is_alphabetic() && !is_ideographic(*c));
    if !alphabetic(&a) || !alphabetic(&b) {
        return false;
    }
    let shorter = a.len().min(b.len());
    if shorter < 5 {
        return false;
    }
    let need = if shorter <= 6 { 3 } else { 4 };
    let shared = |x: &[char], y: &[char]| x.iter().zip(y).take_while(|(p, q)| p == q).count();
    (0..=2).any(|skip| {
        (skip < a.len() && shared(&a[skip..], &b) >= need)
            || (skip < b.len() && shared(&a, &b[skip..]) >= need)
    })
}

/// Han, kana and Hangul: a shared first character says little about two words.
fn is_ideographic(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x11FF | 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
        | 0xAC00..=0xD7AF | 0xF900..=0xFAFF | 0x20000..=0x3134F)
}

#[cfg(test)]
mod tests {
    use super::{compounds_the_other, same_word_shape};

    #[test]
    fn a_compound_of_a_word_is_told_from_its_forms() {
        let known = |w: &str| ["printer", "verbinding", "konto", "abrechnung"].contains(&w);
        assert!(compounds_the_other("printer", "printerverbinding", known));
        assert!(compounds_the_other("printerverbinding", "printer", known));
        assert!(compounds_the_other(
            "abrechnungs",
            "abrechnungskonto",
            known
        ));
        assert!(!compounds_the_other("printer", "printers", known));
        assert!(!compounds_the_other("verbinding", "verbindingen", known));
        assert!(!compounds_the_other("printer", "verbinding", known));
    }

    #[test]
    fn forms_of_one_word_share_their_shape() {
        for (a, b) in [
            ("удалить", "удаление"),
            ("löschen", "gelöscht"),
            ("usunąć", "usuwanie"),
            ("supprimer", "suppression"),
            ("odzyskać", "odzyskiwanie"),
        ] {
            assert!(same_word_shape(a, b), "{a} {b}");
            assert!(same_word_shape(b, a), "{b} {a}");
        }
        for (a, b) in [
            ("mot", "passe"),
            ("ausgegraut", "abgeblendet"),
            ("cat", "car"),
            ("削除", "削る"),
            ("gel", "gelöscht"),
        ] {
            assert!(!same_word_shape(a, b), "{a} {b}");
        }
    }
}
