//! Product names typed in the user's script: localized text keeps `Teams`, `OneDrive` and
//! `Excel` in Latin letters, while users type 팀즈, тимс or エクセル, which no locale's text
//! holds. A side's names are its Latin words that the English text of the same locale uses
//! too, grouped by how they sound ([`locsearch_analysis::latin_sound_keys`]); a word the side
//! does not know, in a script that renders sounds, is taken for the most frequent names that
//! sound like it. The groups are made from the side's term dictionary on its first such word.

use std::collections::HashMap;
use std::sync::OnceLock;

use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocSet, TERMINATED};

use crate::ranking::Ranking;
use crate::spelling::Corrected;

/// A side's names by sound, made once per catalog snapshot on first use.
pub(crate) type LoanwordCell = OnceLock<Loanwords>;

/// Fewest documents a name is used in: a Latin word in a few segments is a code sample's or
/// a path's, not a name users say.
pub(crate) const MIN_DOCS: u64 = 10;

/// Fewest letters of a name: shorter Latin words are mostly acronyms (`atp`, `upn`), said
/// letter by letter, not by their sound.
const MIN_LETTERS: usize = 4;

/// How many times as frequent as any other name sounding alike a name must be to be taken
/// for a word whose key has two consonants only.
const DOMINANT: u64 = 4;

/// Names kept per sound: the most frequent; the rest never win.
const NAMES_PER_SOUND: usize = 4;

type BySound = HashMap<String, Vec<(String, u64)>>;

#[derive(Debug, Default)]
pub(crate) struct Loanwords {
    /// Sound key → the names that sound so, most frequent first, with their document
    /// frequency in the side.
    by_sound: BySound,
    /// The same, of the names ending in `s` without it: a final `s` is often left out (윈도우
    /// for Windows), but a name heard whole is the likelier.
    by_sound_without_s: BySound,
}

impl Loanwords {
    /// The Latin words of `field` of [`MIN_LETTERS`] or more, with a vowel, in at least
    /// [`MIN_DOCS`] documents, that `english` (the same locale's English text) holds too,
    /// by sound.
    pub fn build(searcher: &tantivy::Searcher, field: Field, english: Field) -> Loanwords {
        Loanwords::of(
            latin_words(searcher, field)
                .into_iter()
                .filter(|(word, doc_freq)| {
                    // A word without a vowel (`ntlm`) is said letter by letter too.
                    let sounded = word.bytes().any(|b| b"aeiouy".contains(&b));
                    *doc_freq >= MIN_DOCS && sounded && in_field(searcher, english, word)
                }),
        )
    }

    /// These names, with their document frequencies, by sound.
    fn of(words: impl Iterator<Item = (String, u64)>) -> Loanwords {
        let mut names = Loanwords::default();
        for (word, doc_freq) in words {
            add(&mut names.by_sound, &word, &word, doc_freq);
            if let Some(without_s) = word.strip_suffix('s').filter(|w| !w.ends_with('s')) {
                add(&mut names.by_sound_without_s, without_s, &word, doc_freq);
            }
        }
        for by_sound in [&mut names.by_sound, &mut names.by_sound_without_s] {
            for names in by_sound.values_mut() {
                names.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
                names.truncate(NAMES_PER_SOUND);
                names.shrink_to_fit();
            }
            by_sound.shrink_to_fit();
        }
        names
    }

    /// The names `word` may stand for, as heard whole, else without a final `s`
    /// ([`taken_for`]).
    pub fn corrections(&self, word: &str, ranking: &Ranking) -> Vec<Corrected> {
        let keys = locsearch_analysis::native_sound_keys(word);
        let whole = taken_for(&self.by_sound, &keys, ranking);
        if !whole.is_empty() {
            return whole;
        }
        taken_for(&self.by_sound_without_s, &keys, ranking)
    }
}

/// Files `name` under the sounds of `spelling`.
fn add(by_sound: &mut BySound, spelling: &str, name: &str, doc_freq: u64) {
    for key in locsearch_analysis::latin_sound_keys(spelling) {
        let names = by_sound.entry(key).or_default();
        if !names.iter().any(|(n, _)| n == name) {
            names.push((name.to_owned(), doc_freq));
        }
    }
}

/// The names sounding like one of `keys`: the most frequent first and none less than half as
/// frequent as it, at most [`Ranking::max_corrections`], each weighing
/// [`Ranking::loanword_weight`]. A key of two consonants says little: there, only a name
/// [`DOMINANT`] times as frequent as any other sounding alike is taken.
fn taken_for(by_sound: &BySound, keys: &[String], ranking: &Ranking) -> Vec<Corrected> {
    let mut found: Vec<(&(String, u64), usize)> = Vec::new();
    for key in keys {
        let consonants = key.chars().filter(char::is_ascii_lowercase).count();
        for name in by_sound.get(key).into_iter().flatten() {
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
            if key.len() >= MIN_LETTERS && key.iter().all(u8::is_ascii_lowercase) {
                let word = String::from_utf8_lossy(key).into_owned();
                *words.entry(word).or_default() += u64::from(terms.value().doc_freq);
            }
        }
    }
    words
}

/// Whether a document holding `word` in `field` holds `name` in `english`: in a segment
/// document, whether a segment that spells the word so says the name in its English.
pub(crate) fn rendered_beside(
    searcher: &tantivy::Searcher,
    (field, word): (Field, &str),
    (english, name): (Field, &str),
) -> bool {
    let word = tantivy::Term::from_field_text(field, word);
    let name = tantivy::Term::from_field_text(english, name);
    searcher.segment_readers().iter().any(|segment| {
        let postings = |term: &tantivy::Term| {
            let inverted = segment.inverted_index(term.field()).ok()?;
            inverted
                .read_postings(term, IndexRecordOption::Basic)
                .ok()?
        };
        let (Some(mut docs), Some(mut names)) = (postings(&word), postings(&name)) else {
            return false;
        };
        while docs.doc() != TERMINATED {
            if names.seek(docs.doc()) == docs.doc() {
                return true;
            }
            docs.advance();
        }
        false
    })
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

#[cfg(test)]
mod tests {
    use super::*;

    fn names(of: &[(&str, u64)]) -> Loanwords {
        Loanwords::of(of.iter().map(|(n, f)| (n.to_string(), *f)))
    }

    fn taken(names: &Loanwords, word: &str) -> Vec<String> {
        let found = names.corrections(word, &Ranking::default());
        found.into_iter().map(|(name, _)| name).collect()
    }

    /// A name heard whole wins; without its final `s` only when nothing sounds like the
    /// word as typed.
    #[test]
    fn a_name_is_heard_whole_before_without_its_final_s() {
        let names = names(&[
            ("windows", 900),
            ("android", 130),
            ("onenote", 120),
            ("iphone", 11),
            ("opens", 10),
        ]);
        assert_eq!(taken(&names, "윈도우"), ["windows"]);
        assert_eq!(taken(&names, "ויינדוס"), ["windows"]);
        assert_eq!(taken(&names, "באייפון"), ["iphone"]);
    }

    /// Two consonants say little: a name is taken for them only when it is far more
    /// frequent than any other that sounds alike.
    #[test]
    fn two_consonants_name_only_a_dominant_name() {
        let close = names(&[("check", 12), ("diag", 11)]);
        assert!(taken(&close, "초대하기").is_empty());
        let dominant = names(&[("office", 1389), ("apps", 40)]);
        assert_eq!(taken(&dominant, "אופיס"), ["office"]);
    }
}
