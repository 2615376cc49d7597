//! English words that render the same words of a locale: paraphrases (delete / remove,
//! greyed / grayed) through the pivot p(e2 | e1) = Σₜ p(t | e1) · p(e2 | t) (Bannard &
//! Callison-Burch 2005). One locale's pivot is noisy; [`combine`] keeps the links that
//! several languages agree on.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;

use crate::model1::Table;
use crate::words::Corpus;
use crate::{Kind, Link, Mining};

/// One locale's English paraphrases: [`Kind::Paraphrase`] links between English reduced
/// forms, with the locale's pivot probability and IDF cap.
pub(crate) fn relate(
    corpus: &Corpus,
    target_given_english: &Table,
    english_given_target: &Table,
    mining: &Mining,
) -> Vec<Link> {
    let pairs = corpus.pairs.len() as f32;
    let usable = |counts: &[u32], w: u32| {
        let count = counts[w as usize];
        count >= mining.min_pairs && count as f32 <= mining.max_pair_share * pairs
    };
    // Rows hold produced words only: NULL is never among them.
    let english_ok = |e: u32| usable(&corpus.english.pair_counts, e);
    let target_ok = |t: u32| usable(&corpus.target.pair_counts, t);
    let idf = |count: u32| (1.0 + (pairs - count as f32 + 0.5) / (count as f32 + 0.5)).ln();
    let mut links = Vec::new();
    for e1 in (0..corpus.english.words.len() as u32).filter(|&e| english_ok(e)) {
        // e2 → (pivot probability, the locale word that gave most, its share)
        let mut related: FxHashMap<u32, (f32, u32, f32)> = FxHashMap::default();
        for &(t, p_t, together) in target_given_english.row(e1) {
            let forward = english_given_target.get(t, e1).0;
            if p_t < mining.min_probability
                || together < mining.min_pairs
                || !target_ok(t)
                || forward < mining.min_probability
            {
                continue;
            }
            for &(e2, p_e2, with) in english_given_target.row(t) {
                if e2 == e1 || with < mining.min_pairs || !english_ok(e2) {
                    continue;
                }
                let share = p_t * p_e2;
                let entry = related.entry(e2).or_insert((0.0, t, 0.0));
                entry.0 += share;
                if share > entry.2 {
                    (entry.1, entry.2) = (t, share);
                }
            }
        }
        let word = &corpus.english.words[e1 as usize];
        let word_idf = idf(corpus.english.pair_counts[e1 as usize]);
        let mut found: Vec<Link> = related
            .into_iter()
            .filter(|&(e2, (p, t, _))| {
                p >= mining.min_probability
                    && target_given_english.get(e2, t).0 >= mining.min_back_probability
            })
            .map(|(e2, (p, _, _))| {
                let other = &corpus.english.words[e2 as usize];
                let cap = (word_idf / idf(corpus.english.pair_counts[e2 as usize])).min(1.0);
                Link {
                    kind: Kind::Paraphrase,
                    word: word.clone(),
                    related: other.clone(),
                    term: other.clone(),
                    probability: p,
                    cap,
                }
            })
            .collect();
        crate::pivot::keep_likeliest(&mut found, mining);
        links.extend(found);
    }
    links
}

/// The paraphrases that at least `mining.min_paraphrase_languages` of `locales` agree on
/// (each locale's [`Kind::Paraphrase`] links), their probability and cap averaged over every
/// locale — one that does not link the two words counts as probability 0 — so that a link
/// many languages show outweighs one that a few show strongly.
pub fn combine<'a>(locales: impl IntoIterator<Item = &'a [Link]>, mining: &Mining) -> Vec<Link> {
    let mut agreed: BTreeMap<(&str, &str), (u32, f32, f32)> = BTreeMap::new();
    let mut languages = 0;
    for links in locales {
        languages += 1;
        for link in links.iter().filter(|l| l.kind == Kind::Paraphrase) {
            let entry = agreed.entry((&link.word, &link.related)).or_default();
            entry.0 += 1;
            entry.1 += link.probability;
            entry.2 += link.cap;
        }
    }
    let mut out: Vec<Link> = agreed
        .into_iter()
        .filter(|(_, (count, _, _))| *count >= mining.min_paraphrase_languages)
        .map(|((word, related), (count, p, cap))| Link {
            kind: Kind::Paraphrase,
            word: word.to_owned(),
            related: related.to_owned(),
            term: related.to_owned(),
            probability: p / languages as f32,
            cap: cap / count as f32,
        })
        .filter(|l| l.probability >= mining.min_paraphrase_probability)
        .collect();
    out.sort_by(|a, b| {
        a.word
            .cmp(&b.word)
            .then(b.probability.total_cmp(&a.probability))
    });
    let mut kept: Vec<Link> = Vec::with_capacity(out.len());
    for link in out {
        let same_word = kept
            .iter()
            .rev()
            .take_while(|k| k.word == link.word)
            .count();
        if same_word < mining.max_links {
            kept.push(link);
        }
    }
    kept
}
