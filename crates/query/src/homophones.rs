//! Chinese typed through pinyin: the usual typo is a word of the right sound written with
//! the wrong characters (撤会 for 撤回), which edit distance cannot see (every character is
//! an edit). A Chinese side's words of two to four Han characters are grouped by their
//! reading, and a word the side does not know is taken for the known words read alike. The
//! groups are made from the side's term dictionary on its first unknown Chinese word.

use std::collections::HashMap;
use std::sync::OnceLock;

use tantivy::schema::Field;

use crate::ranking::Ranking;
use crate::spelling::Corrected;

/// A side's words by reading, made once per catalog snapshot on first use.
pub(crate) type HomophoneCell = OnceLock<Homophones>;

/// Longest word grouped: longer words are rarely mistyped whole, and rarely unknown.
const MAX_CHARS: usize = 4;

#[derive(Debug, Default)]
pub(crate) struct Homophones {
    /// Reading (toneless pinyin, syllables spaced) → the words read so, with their document
    /// frequency.
    by_reading: HashMap<String, Vec<(String, u64)>>,
}

impl Homophones {
    /// The words of two to [`MAX_CHARS`] Han characters in `field`, by their usual reading.
    pub fn build(searcher: &tantivy::Searcher, field: Field) -> Homophones {
        let mut by_reading: HashMap<String, Vec<(String, u64)>> = HashMap::new();
        for segment in searcher.segment_readers() {
            let Ok(inverted) = segment.inverted_index(field) else {
                continue;
            };
            let Ok(mut terms) = inverted.terms().stream() else {
                continue;
            };
            while terms.advance() {
                let Some(word) = std::str::from_utf8(terms.key())
                    .ok()
                    .filter(|w| groupable(w))
                else {
                    continue;
                };
                let Some(reading) = locsearch_analysis::reading(word) else {
                    continue;
                };
                let words = by_reading.entry(reading).or_default();
                let doc_freq = u64::from(terms.value().doc_freq);
                match words.iter_mut().find(|(w, _)| w == word) {
                    Some((_, known)) => *known += doc_freq,
                    None => words.push((word.to_owned(), doc_freq)),
                }
            }
        }
        by_reading.shrink_to_fit();
        Homophones { by_reading }
    }

    /// The known words read like `word`, the most frequent first, at most
    /// [`Ranking::max_corrections`], each weighing [`Ranking::typo_weight`] (one typo).
    pub fn corrections(&self, word: &str, ranking: &Ranking) -> Vec<Corrected> {
        if !groupable(word) {
            return Vec::new();
        }
        let mut found: Vec<&(String, u64)> = Vec::new();
        for reading in locsearch_analysis::readings(word) {
            for known in self.by_reading.get(&reading).into_iter().flatten() {
                if known.0 != word && !found.iter().any(|f| f.0 == known.0) {
                    found.push(known);
                }
            }
        }
        found.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        found
            .into_iter()
            .take(ranking.max_corrections)
            .map(|(term, _)| (term.clone(), ranking.typo_weight))
            .collect()
    }
}

/// Two to [`MAX_CHARS`] characters (whether they are Han characters, with a reading, is
/// for [`locsearch_analysis::reading`] to say).
fn groupable(word: &str) -> bool {
    (2..=MAX_CHARS).contains(&word.chars().count())
}
