//! Product names typed in the user's script: localized text keeps `Teams`, `OneDrive` and
//! `Excel` in Latin letters, while users type 팀즈, тимс or エクセル, which no locale's text
//! holds. A side's names are its Latin words that the English text of the same locale uses
//! too, grouped by how they sound ([`locsearch_analysis::latin_sound_keys`]); a word the side
//! does not know, in a script that renders sounds, is taken for the most frequent names that
//! sound like it. The groups are made from the side's term dictionary on its first such word.

use std::collections::HashMap;
use std::sync::OnceLock;

use tantivy::schema::Field;

use crate::ranking::Ranking;
use crate::spelling::Corrected;

/// A side's names by sound, made once per catalog snapshot on first use.
pub(crate) type LoanwordCell = OnceLock<Loanwords>;

/// Fewest documents a name is used in: a Latin word in a few segments is a code sample's or
/// a path's, not a name users say.
const MIN_DOCS: u64 = 10;

/// How many times as frequent as any other name sounding alike a name must be to be taken
/// for a word whose key has two consonants only.
const DOMINANT: u64 = 4;

/// Names kept per sound: the most frequent; the rest never win.
const NAMES_PER_SOUND: usize = 4;

#[derive(Debug, Default)]
pub(crate) struct Loanwords {
    /// Sound key → the names that sound so, most frequent first, with their document
    /// frequency in the side.
    by_sound: HashMap<String, Vec<(String, u64)>>,
}

impl Loanwords {
    /// The Latin words of `field` with a vowel, in at least [`MIN_DOCS`] documents, that
    /// `english` (the same locale's English text) holds too, by sound.
    pub fn build(searcher: &tantivy::Searcher, field: Field, english: Field) -> Loanwords {
        let mut by_sound: HashMap<String, Vec<(String, u64)>> = HashMap::new();
        for (word, doc_freq) in latin_words(searcher, field) {
            // A word without a vowel (`vpn`) is said letter by letter, not by its sound.
            let sounded = word.bytes().any(|b| b"aeiouy".contains(&b));
            if doc_freq < MIN_DOCS || !sounded || !in_field(searcher, english, &word) {
                continue;
            }
            for key in locsearch_analysis::latin_sound_keys(&word) {
                by_sound
                    .entry(key)
                    .or_default()
                    .push((word.clone(), doc_freq));
            }
        }
        for names in by_sound.values_mut() {
            names.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            names.truncate(NAMES_PER_SOUND);
            names.shrink_to_fit();
        }
        by_sound.shrink_to_fit();
        Loanwords { by_sound }
    }

    /// The names `word` may stand for: those sounding like it, the most frequent first and
    /// none less than half as frequent as it, at most [`Ranking::max_corrections`], each
    /// weighing [`Ranking::loanword_weight`]. A key of two consonants says little: there,
    /// only a name [`DOMINANT`] times as frequent as any other sounding alike is taken.
    pub fn corrections(&self, word: &str, ranking: &Ranking) -> Vec<Corrected> {
        let mut found: Vec<(&(String, u64), usize)> = Vec::new();
        for key in locsearch_analysis::native_sound_keys(word) {
            let consonants = key.chars().filter(char::is_ascii_lowercase).count();
            for name in self.by_sound.get(&key).into_iter().flatten() {
                if consonants >= 2 && !found.iter().any(|(f, _)| f.0 == name.0) {
                    found.push((name, consonants));
                }
            }
        }
        found.sort_by(|(a, _), (b, _)| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let (most, second) = match found.as_slice() {
            [] => return Vec::new(),
            [(best, _)] => (best.1, 0),
            [(best, _), (next, _), ..] => (best.1, next.1),
        };
        if found[0].1 < 3 && most < DOMINANT * second {
            return Vec::new();
        }
        found
            .into_iter()
            .take_while(|(f, _)| f.1 * 2 >= most)
            .take(ranking.max_corrections)
            .map(|((name, _), _)| (name.clone(), ranking.loanword_weight))
            .collect()
    }
}

/// The words of ASCII letters in `field`, with their document frequencies summed over the
/// index's segments: the walk of the dictionary stays in `a`…`z`.
fn latin_words(searcher: &tantivy::Searcher, field: Field) -> HashMap<String, u64> {
    let mut words: HashMap<String, u64> = HashMap::new();
    for segment in searcher.segment_readers() {
        let Ok(inverted) = segment.inverted_index(field) else {
            continue;
        };
        let Ok(mut terms) = inverted
            .terms()
            .range()
            .ge([b'a'])
            .lt([b'z' + 1])
            .into_stream()
        else {
            continue;
        };
        while terms.advance() {
            let key = terms.key();
            if key.len() >= 3 && key.iter().all(u8::is_ascii_lowercase) {
                let word = String::from_utf8_lossy(key).into_owned();
                *words.entry(word).or_default() += u64::from(terms.value().doc_freq);
            }
        }
    }
    words
}

fn in_field(searcher: &tantivy::Searcher, field: Field, word: &str) -> bool {
    let term = tantivy::Term::from_field_text(field, word);
    searcher.segment_readers().iter().any(|segment| {
        segment
            .inverted_index(field)
            .ok()
            .and_then(|inverted| inverted.get_term_info(&term).ok().flatten())
            .is_some()
    })
}
