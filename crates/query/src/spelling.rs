//! Words a side's vocabulary does not know — typed without accents, or misspelt — matched to
//! the terms it does know within a small edit distance. The candidates come from the term
//! dictionary through a Levenshtein automaton (the same automata and FST tantivy's fuzzy query
//! uses), so no vocabulary is scanned, and only words the vocabulary does not know are looked
//! up: a query spelt right pays one term lookup per word.

use std::collections::HashMap;
use std::sync::OnceLock;

use levenshtein_automata::{DFA, Distance, LevenshteinAutomatonBuilder, SINK_STATE};
use tantivy::schema::Field;

use crate::ranking::Ranking;

/// A term the side knows in place of a query word, and the weight of its matches.
pub(crate) type Corrected = (String, f32);

/// The known terms closest to `word` in `field`, best first, at most
/// [`Ranking::max_corrections`]: terms that differ from it only by accents (`loschen` →
/// `löschen`) weigh as the word itself; otherwise the fewest edits, within
/// [`Ranking::typo_edits`], weigh [`Ranking::typo_weight`] per edit; among them the commonest
/// slips of typing come first ([`common_slip`]), then the most frequent terms. In a word
/// shorter than [`Ranking::one_typo_chars`], only accents are restored. An edit of the first
/// letter is made only when no other term is near, and weighs as two edits: people rarely
/// mistype it, and it would turn one word into many others. No correction changes a digit
/// ([`keeps_digits`]).
pub(crate) fn corrections(
    searcher: &tantivy::Searcher,
    field: Field,
    word: &str,
    ranking: &Ranking,
) -> Vec<Corrected> {
    // A word too short to correct may still have lost an accent (`nao` → `não`); one
    // accent is one edit, and most short words carry at most one.
    let (edits, accents_only) = match ranking.typo_edits(word.chars().count()) {
        0 => (1, true),
        edits => (edits, false),
    };
    let dfa = dfa(word, edits);
    let folded = locsearch_analysis::folded(word);
    let letters: Vec<char> = folded.chars().collect();
    let unmarked = FoldsTo(&letters);
    let first = folded.chars().next();
    let mut known = known_within(
        searcher,
        field,
        &Automaton(&dfa),
        &first_letter_ranges(word),
    );
    // A word typed without more accents than the edits allowed (`kitapligindan`, three
    // from `kitaplığından`; `duoc`, three from `được`). Not when a term is fewer edits away
    // than allowed: the word is misspelt, most likely, and looking is not free.
    let restored = known.keys().any(|t| unmarked.spells(t));
    let nearest = known
        .keys()
        .filter_map(|t| match dfa.eval(t) {
            Distance::Exact(d) => Some(d),
            Distance::AtLeast(_) => None,
        })
        .min();
    if !restored && (accents_only || nearest.is_none_or(|d| d >= edits)) {
        let mut ranges = first_letter_ranges(&folded);
        if folded.starts_with(|c: char| c.is_ascii_alphabetic()) {
            // Vietnamese letters with two marks (`ở`, `ấ`): Latin Extended Additional.
            ranges.push((0xE1, 0xE2));
        }
        known.extend(known_within(searcher, field, &unmarked, &ranges));
    }
    let mut candidates: Vec<Candidate> = known
        .into_iter()
        .filter_map(|(term, doc_freq)| {
            let term_folded = locsearch_analysis::folded(&term);
            if unmarked.spells(&term) {
                return Some((0, false, std::cmp::Reverse(doc_freq), term));
            }
            if accents_only
                || term_folded.chars().next() != first
                || !keeps_digits(&folded, &term_folded)
            {
                return None;
            }
            match dfa.eval(&term) {
                Distance::Exact(d) => {
                    let rarer = !common_slip(&folded, &term_folded);
                    Some((d, rarer, std::cmp::Reverse(doc_freq), term))
                }
                Distance::AtLeast(_) => None,
            }
        })
        .collect();
    let nearest = candidates.iter().map(|c| c.0).min();
    if !accents_only && nearest.is_none_or(|edits| edits >= 2) {
        candidates.extend(
            with_another_first_letter(searcher, field, word, first)
                .into_iter()
                .filter(|c| keeps_digits(&folded, &locsearch_analysis::folded(&c.3))),
        );
    }
    candidates.sort();
    let fewest = candidates.first().map(|c| c.0);
    candidates
        .into_iter()
        .take_while(|c| Some(c.0) == fewest)
        .take(ranking.max_corrections)
        .map(|(edits, _, _, term)| (term, ranking.typo_weight.powi(i32::from(edits))))
        .collect()
}

/// Whether `term` holds the digits of `word`, in order and no others: a number one digit
/// off is another number (`50gb` is not `20gb`, `office 2019` not `2016`), so a correction
/// respells letters only.
fn keeps_digits(word: &str, term: &str) -> bool {
    let digits = |text: &str| {
        text.chars()
            .filter(char::is_ascii_digit)
            .collect::<Vec<_>>()
    };
    digits(word) == digits(term)
}

/// A term found for a word: (edits, a rarer slip than the commonest, documents holding it,
/// term), in the order corrections are preferred.
type Candidate = (u8, bool, std::cmp::Reverse<u64>, String);

/// The terms one edit from `word` whose first letter is not `first`: a first letter
/// mistyped (`uotlook`, `xcel`), looked up when no term is one edit away otherwise, and
/// weighed as two edits (`nenutzer` is `benutzer` so, rather than `nutzer`, two edits away
/// that keep the `n`). The walk covers the whole dictionary, which the other lookups spare.
fn with_another_first_letter(
    searcher: &tantivy::Searcher,
    field: Field,
    word: &str,
    first: Option<char>,
) -> Vec<Candidate> {
    let one = dfa(word, 1);
    let mut found = Vec::new();
    for (term, doc_freq) in known_within(searcher, field, &Automaton(&one), &[(0, 0xFF)]) {
        let another = locsearch_analysis::folded(&term).chars().next() != first;
        if another && matches!(one.eval(&term), Distance::Exact(1)) {
            found.push((2, true, std::cmp::Reverse(doc_freq), term));
        }
    }
    found
}

/// Whether `typed` is `meant` with one of the commonest slips of typing: a letter left out,
/// two letters swapped, or a letter doubled. A letter replaced or added is rarer (which keys
/// neighbour depends on the keyboard's layout, so neighbours are not told apart): a frequent
/// term one such edit away (`aple` → `alle`) must not hide the word meant (`apple`).
fn common_slip(typed: &str, meant: &str) -> bool {
    let t: Vec<char> = typed.chars().collect();
    let m: Vec<char> = meant.chars().collect();
    let Some(differs_at) = t
        .iter()
        .zip(&m)
        .position(|(a, b)| a != b)
        .or_else(|| (t.len() != m.len()).then_some(t.len().min(m.len())))
    else {
        return false;
    };
    if m.len() == t.len() + 1 {
        return t[differs_at..] == m[differs_at + 1..];
    }
    if t.len() == m.len() + 1 {
        let doubled = differs_at > 0 && t[differs_at] == t[differs_at - 1];
        let doubled_next = differs_at + 1 < t.len() && t[differs_at] == t[differs_at + 1];
        return (doubled || doubled_next) && t[differs_at + 1..] == m[differs_at..];
    }
    t.len() == m.len()
        && differs_at + 1 < t.len()
        && t[differs_at] == m[differs_at + 1]
        && t[differs_at + 1] == m[differs_at]
        && t[differs_at + 2..] == m[differs_at + 2..]
}

/// Every term of `field` the automaton accepts, with its document frequency, among the terms
/// whose first byte is in one of `ranges`: the walk of the dictionary stays in those
/// branches.
fn known_within<A: tantivy_fst::Automaton<State: Clone>>(
    searcher: &tantivy::Searcher,
    field: Field,
    automaton: &A,
    ranges: &[(u8, u8)],
) -> HashMap<String, u64> {
    let mut found: HashMap<String, u64> = HashMap::new();
    for segment in searcher.segment_readers() {
        let Ok(inverted) = segment.inverted_index(field) else {
            continue;
        };
        for (from, to) in ranges {
            let range = inverted.terms().search(automaton).ge([*from]).lt([*to]);
            let Ok(mut terms) = range.into_stream() else {
                continue;
            };
            while terms.advance() {
                if let Ok(term) = std::str::from_utf8(terms.key()) {
                    *found.entry(term.to_owned()).or_default() += u64::from(terms.value().doc_freq);
                }
            }
        }
    }
    found
}

/// Byte ranges `[from, to)` of the first byte of the terms that may stand for `word`: those
/// sharing its first byte (its letter, or its letter's Unicode block), and, for a word that
/// starts with an ASCII letter, the accented Latin letters (`ecran` → `écran`), whose first
/// byte is 0xC3 to 0xC9.
fn first_letter_ranges(word: &str) -> Vec<(u8, u8)> {
    let Some(&first) = word.as_bytes().first() else {
        return Vec::new();
    };
    let mut ranges = vec![(first, first.saturating_add(1))];
    if first.is_ascii_alphabetic() {
        ranges.push((0xC3, 0xCA));
    }
    ranges
}

/// The automaton of a word: made once per thread for the last words seen, since one query
/// looks its words up on several sides (a distance-2 automaton takes longer to make than a
/// search takes to run).
fn dfa(word: &str, edits: u8) -> std::rc::Rc<DFA> {
    thread_local! {
        static RECENT: std::cell::RefCell<HashMap<(String, u8), std::rc::Rc<DFA>>> =
            std::cell::RefCell::new(HashMap::new());
    }
    RECENT.with(|recent| {
        let mut recent = recent.borrow_mut();
        if let Some(known) = recent.get(&(word.to_owned(), edits)) {
            return known.clone();
        }
        if recent.len() >= RECENT_AUTOMATA {
            recent.clear();
        }
        let made = std::rc::Rc::new(builder(edits).build_dfa(word));
        recent.insert((word.to_owned(), edits), made.clone());
        made
    })
}

/// Automata kept per thread: more than the words a query corrects (a distance-2 automaton of
/// a long word takes a few hundred kilobytes).
const RECENT_AUTOMATA: usize = 16;

/// Automaton builders are costly to make (a table per distance): made once.
/// Builds the Levenshtein automaton builders now: the one for two edits takes milliseconds,
/// which the first misspelt query would otherwise pay.
pub(crate) fn warm() {
    builder(1);
    builder(2);
}

fn builder(edits: u8) -> &'static LevenshteinAutomatonBuilder {
    static ONE: OnceLock<LevenshteinAutomatonBuilder> = OnceLock::new();
    static TWO: OnceLock<LevenshteinAutomatonBuilder> = OnceLock::new();
    let cell = if edits <= 1 { &ONE } else { &TWO };
    // A swap of two letters is one typo.
    cell.get_or_init(|| LevenshteinAutomatonBuilder::new(edits.min(2), true))
}

/// A Levenshtein DFA as an FST automaton.
struct Automaton<'a>(&'a DFA);

impl tantivy_fst::Automaton for Automaton<'_> {
    type State = u32;

    fn start(&self) -> u32 {
        self.0.initial_state()
    }

    fn is_match(&self, state: &u32) -> bool {
        matches!(self.0.distance(*state), Distance::Exact(_))
    }

    fn can_match(&self, state: &u32) -> bool {
        *state != SINK_STATE
    }

    fn accept(&self, state: &u32, byte: u8) -> u32 {
        self.0.transition(*state, byte)
    }
}

/// Whether `typed` (a word as typed, folded) is `term` typed without its diacritics.
pub(crate) fn typed_without_marks(term: &str, typed: &str) -> bool {
    let letters: Vec<char> = typed.chars().collect();
    FoldsTo(&letters).spells(term)
}

/// The terms these letters spell without their diacritics: each of a term's letters folded
/// (`löschen` as `loschen`) or spelt out (`locsearch_analysis::spelt_out_letter`: as
/// `loeschen`), in any mix and however many (`domänenübertragungen` as
/// `domaenenubertragungen`). A state is the numbers of letters the term's characters so far
/// may spell (a bit each: a spelt-out letter reads one letter or two) and the bytes of a
/// character not yet whole; `None` once none is left.
struct FoldsTo<'a>(&'a [char]);

#[derive(Clone)]
struct Matched {
    reached: u64,
    pending: [u8; 4],
    pending_len: u8,
}

impl FoldsTo<'_> {
    /// Whether the letters spell `term` without its diacritics.
    fn spells(&self, term: &str) -> bool {
        use tantivy_fst::Automaton;
        let mut state = self.start();
        for byte in term.bytes() {
            state = self.accept(&state, byte);
            if state.is_none() {
                return false;
            }
        }
        self.is_match(&state)
    }

    /// The letters matched after `reached` when the term goes on with `way`.
    fn read(&self, reached: u64, way: &str) -> u64 {
        let mut next = 0u64;
        let mut rest = reached;
        while rest != 0 {
            let at = rest.trailing_zeros() as usize;
            rest &= rest - 1;
            let mut end = at;
            let spells = way.chars().all(|c| {
                end += 1;
                self.0.get(end - 1) == Some(&c)
            });
            if spells && end < u64::BITS as usize {
                next |= 1 << end;
            }
        }
        next
    }
}

impl tantivy_fst::Automaton for FoldsTo<'_> {
    type State = Option<Matched>;

    fn start(&self) -> Option<Matched> {
        Some(Matched {
            reached: 1,
            pending: [0; 4],
            pending_len: 0,
        })
    }

    fn is_match(&self, state: &Option<Matched>) -> bool {
        state.as_ref().is_some_and(|m| {
            m.pending_len == 0
                && self.0.len() < u64::BITS as usize
                && m.reached & (1 << self.0.len()) != 0
        })
    }

    fn can_match(&self, state: &Option<Matched>) -> bool {
        state.is_some()
    }

    fn accept(&self, state: &Option<Matched>, byte: u8) -> Option<Matched> {
        let mut m = state.clone()?;
        // Most letters of most terms: ASCII folds to itself.
        if byte.is_ascii() && m.pending_len == 0 {
            let mut reached = 0u64;
            let mut rest = m.reached;
            while rest != 0 {
                let at = rest.trailing_zeros() as usize;
                rest &= rest - 1;
                if self.0.get(at) == Some(&char::from(byte)) && at + 1 < u64::BITS as usize {
                    reached |= 1 << (at + 1);
                }
            }
            return (reached != 0).then_some(Matched { reached, ..m });
        }
        m.pending[m.pending_len as usize] = byte;
        m.pending_len += 1;
        let Ok(text) = std::str::from_utf8(&m.pending[..m.pending_len as usize]) else {
            // A character not yet whole, or bytes that never make one.
            return (m.pending_len < 4).then_some(m);
        };
        let mut reached = m.reached;
        for c in text.chars() {
            let mut folded = String::new();
            locsearch_analysis::fold_letter(c, &mut folded);
            let spelt = locsearch_analysis::spelt_out_letter(c);
            reached = self.read(reached, &folded) | spelt.map_or(0, |way| self.read(reached, way));
        }
        (reached != 0).then_some(Matched {
            reached,
            pending: [0; 4],
            pending_len: 0,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::{FoldsTo, common_slip};
    use proptest::prelude::*;
    use tantivy_fst::{IntoStreamer, Map, Streamer};

    /// The terms of `terms` that [`FoldsTo`] `word`'s folding accepts.
    fn folding_to(word: &str, terms: &[String]) -> Vec<String> {
        let mut sorted = terms.to_vec();
        sorted.sort();
        sorted.dedup();
        let map = Map::from_iter(sorted.iter().map(|t| (t, 0u64))).unwrap();
        let letters: Vec<char> = locsearch_analysis::folded(word).chars().collect();
        let mut stream = map.search(FoldsTo(&letters)).into_stream();
        let mut found = Vec::new();
        while let Some((term, _)) = stream.next() {
            found.push(String::from_utf8(term.to_vec()).unwrap());
        }
        found
    }

    /// Every way of typing `term` without its diacritics, each letter folded or spelt out.
    fn unmarked_spellings(term: &str) -> Vec<String> {
        let mut spellings = vec![String::new()];
        for c in term.chars() {
            let folded = locsearch_analysis::folded(&c.to_string());
            let ways: Vec<&str> = std::iter::once(folded.as_str())
                .chain(locsearch_analysis::spelt_out_letter(c))
                .collect();
            spellings = spellings
                .iter()
                .flat_map(|s| ways.iter().map(move |w| format!("{s}{w}")))
                .collect();
        }
        spellings
    }

    #[test]
    fn a_word_is_typed_without_marks_folded_or_spelt_out() {
        for (term, typed) in [
            ("löschen", "loschen"),
            ("löschen", "loeschen"),
            ("domänenübertragungen", "domaenenubertragungen"),
            ("domänenübertragungen", "domanenuebertragungen"),
            ("größe", "groesse"),
            ("tilføj", "tilfoej"),
            ("på", "paa"),
            ("možnost", "moznost"),
        ] {
            assert!(super::typed_without_marks(term, typed), "{term} as {typed}");
        }
        for (term, typed) in [
            ("löschen", "leschen"),
            ("löschen", "loeeschen"),
            ("logischen", "loeschen"),
            ("möglich", "moglic"),
        ] {
            assert!(
                !super::typed_without_marks(term, typed),
                "{term} as {typed}"
            );
        }
    }

    #[test]
    fn a_word_without_its_accents_meets_every_spelling_of_it_with_them() {
        let terms = [
            "kitaplığından",
            "kitaplığı",
            "kitapligindan",
            "straße",
            "strasse",
            "được",
            "duoc",
            "đuợc",
            "dược",
        ]
        .map(String::from);
        assert_eq!(
            folding_to("kitapligindan", &terms),
            ["kitapligindan", "kitaplığından"]
        );
        assert_eq!(folding_to("strasse", &terms), ["strasse", "straße"]);
        let umlauts = ["löschen", "loschen", "logischen", "größe"].map(String::from);
        assert_eq!(folding_to("loeschen", &umlauts), ["löschen"]);
        assert_eq!(folding_to("loschen", &umlauts), ["loschen", "löschen"]);
        assert_eq!(folding_to("groesse", &umlauts), ["größe"]);
        assert_eq!(folding_to("duoc", &terms), ["duoc", "dược", "đuợc", "được"]);
        assert!(
            folding_to("kitap", &terms).is_empty(),
            "a term's start is no match"
        );
    }

    proptest! {
        #[test]
        fn a_term_meets_a_word_exactly_when_it_is_the_word_without_its_marks(
            word in "[a-zäöüßçğışéèêëíóúñãõąęłńśźżčďěňřšťůžđăâîơưạảấầẩẫậắằẳẵặẹẻẽếềểễệåøæœ]{1,10}",
            terms in proptest::collection::vec("[a-zäöüßçğışéèíóúñãąęłčěřšžđăơưạấầậếệåøæœ]{1,10}", 0..20),
        ) {
            let mut terms = terms;
            terms.push(word.clone());
            let found = folding_to(&locsearch_analysis::folded(&word), &terms);
            let folded = locsearch_analysis::folded(&word);
            for term in &terms {
                prop_assert_eq!(
                    found.contains(term),
                    unmarked_spellings(term).contains(&folded),
                    "{}", term
                );
            }
            // The word folded meets the word; spelt out, too.
            prop_assert!(found.contains(&word));
            let spelt: String = word
                .chars()
                .map(|c| locsearch_analysis::spelt_out_letter(c).map_or(c.to_string(), str::to_owned))
                .collect();
            let spelt = locsearch_analysis::folded(&spelt);
            prop_assert!(folding_to(&spelt, &terms).contains(&word), "{}", spelt);
        }
    }

    #[test]
    fn slips_of_timing_are_common_and_other_edits_rarer() {
        assert!(common_slip("aple", "apple"), "a letter left out");
        assert!(common_slip("teh", "the"), "two letters swapped");
        assert!(common_slip("paagar", "pagar"), "a letter doubled");
        assert!(common_slip("pagarr", "pagar"), "the last letter doubled");
        assert!(!common_slip("aple", "alle"), "a letter replaced");
        assert!(!common_slip("pagxar", "pagar"), "another letter added");
        assert!(!common_slip("pagar", "pagar"), "no slip at all");
        assert!(!common_slip("tmeh", "them"), "not one swap");
    }

    proptest! {
        #[test]
        fn every_word_with_a_letter_left_out_swapped_or_doubled_is_a_common_slip(
            word in "\\PC{2,12}",
            at in 0usize..12,
        ) {
            let letters: Vec<char> = word.chars().collect();
            let at = at % letters.len();
            let mut left_out = letters.clone();
            left_out.remove(at);
            let left_out: String = left_out.into_iter().collect();
            prop_assert!(common_slip(&left_out, &word));
            let mut doubled = letters.clone();
            doubled.insert(at, letters[at]);
            prop_assert!(common_slip(&doubled.into_iter().collect::<String>(), &word));
            if at + 1 < letters.len() && letters[at] != letters[at + 1] {
                let mut swapped = letters.clone();
                swapped.swap(at, at + 1);
                prop_assert!(common_slip(&swapped.into_iter().collect::<String>(), &word));
            }
        }

        #[test]
        fn any_two_strings_are_compared_without_panicking(a in "\\PC{0,8}", b in "\\PC{0,8}") {
            let _ = common_slip(&a, &b);
        }
    }
}
