//! Compounds: German, Dutch and the Nordic languages write a new notion as one word.
//! - Users coin compounds the text never uses (`Abwesenheitsnotiz`, "out-of-office note",
//!   where the text says `Abwesenheit` and `Notiz`). A word the side does not know that joins
//!   two words it does know, with or without a linking letter between them
//!   (`Abwesenheit-s-Notiz`), is searched as those two words ([`locsearch_analysis::compound::parts`]).
//! - The text holds a word inside compounds (`Abwesenheitsantworten`) that a user types
//!   apart: where the analyzer has `compounds`, a query word also finds the most frequent
//!   compounds it starts ([`starting_with`]), weighed below the word.
//! - In any alphabetic language, users split a name the text writes as one (`one drive`,
//!   `share point`): two words typed side by side also find the word they join ([`joined`]).
//! - And they join what the text writes with a hyphen (`addins`, `64bit`, `onpremises`): a word
//!   the side does not know that joins two words the text writes side by side is searched as
//!   those two words ([`unhyphenated`]).

use tantivy::Term;
use tantivy::query::{PhraseQuery, Query};
use tantivy::schema::Field;

use locsearch_analysis::compound::MIN_PART_CHARS;

use crate::stats::Provider;

/// Compounds a word finds: the most frequent only, as a word starts many.
const MAX_COMPOUNDS: usize = 3;

/// The [`MAX_COMPOUNDS`] terms of `field` most documents hold that start with `word` and go
/// on for a part of their own ([`MIN_PART_CHARS`] or more), as `reduce` reduces them: the
/// field holds each word as written and reduced, and the reduced form finds both. None for a
/// word shorter than a part and a letter, which starts too many words to say which.
pub(crate) fn starting_with(
    searcher: &tantivy::Searcher,
    field: Field,
    word: &str,
    reduce: impl Fn(&str) -> String,
) -> Vec<String> {
    if word.chars().count() <= MIN_PART_CHARS {
        return Vec::new();
    }
    let mut found: Vec<(String, u64)> = Vec::new();
    let mut end = word.as_bytes().to_vec();
    end.push(0xFF);
    for segment in searcher.segment_readers() {
        let Ok(inverted) = segment.inverted_index(field) else {
            continue;
        };
        let range = inverted.terms().range().ge(word.as_bytes()).lt(&end);
        let Ok(mut terms) = range.into_stream() else {
            continue;
        };
        while terms.advance() {
            let Ok(term) = std::str::from_utf8(terms.key()) else {
                continue;
            };
            if term.chars().count() >= word.chars().count() + MIN_PART_CHARS {
                let doc_freq = u64::from(terms.value().doc_freq);
                match found.iter_mut().find(|(t, _)| t == term) {
                    Some((_, known)) => *known += doc_freq,
                    None => found.push((term.to_owned(), doc_freq)),
                }
            }
        }
    }
    found.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut reduced: Vec<String> = Vec::new();
    for (term, _) in found {
        let term = reduce(&term);
        if reduced.len() == MAX_COMPOUNDS {
            break;
        }
        if !reduced.contains(&term) {
            reduced.push(term);
        }
    }
    reduced
}

/// A compound a query word starts, and what it weighs.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Compound {
    pub word: String,
    pub term: String,
    pub weight: f32,
}

/// Letters each of two words joined ([`joined`]) has at least: shorter ones are a
/// contraction's pieces (`user's` is `user` `s`, `we're` is `we` `re`) or small words that
/// join into others (`in to` is not `into` in "sign in to"; `e mail` is lost with them). The
/// same for a pair read as one word ([`crate::apart`]).
pub(crate) const MIN_JOINED_CHARS: usize = 3;

/// Two words typed apart that the side writes as one (`one drive` → `onedrive`, `share
/// point` → `sharepoint`; the query already reads as the one word where the English text
/// writes it so far more often, [`crate::apart`]), each of [`MIN_JOINED_CHARS`] letters or
/// more: the joined word,
/// for each of the two at `weight`, when the side's text uses it as typed in at least
/// [`crate::loanwords::MIN_DOCS`] segments, as it uses a name. Rarer joins are no word
/// of the language but a stray token (`vooroffice`, `unmanageddevices`) or another word
/// (`de sincronização` → `desincronização`), and weighed as rare terms they decided
/// rankings.
pub(crate) fn joined(
    searcher: &tantivy::Searcher,
    side: &crate::plan::SideFields,
    terms: &crate::terms::QueryTerms,
    weight: f32,
) -> Vec<Compound> {
    // The body alone: a name the text uses is in its segments (a title is one, too).
    let vocabulary = crate::coverage::Vocabulary::of_fields(searcher, &[side.body]);
    let mut found: Vec<Compound> = Vec::new();
    for pair in terms.typed.windows(2) {
        let [first, second] = pair else { continue };
        let part = |word: &str| {
            locsearch_analysis::spelt_in_letters(word) && word.chars().count() >= MIN_JOINED_CHARS
        };
        if !part(first) || !part(second) {
            continue;
        }
        let term = format!("{first}{second}");
        if terms.all.contains(&term) || found.iter().any(|c| c.term == term) {
            continue;
        }
        // Most joins are no word at all: a lookup tells, without decoding statistics.
        if !vocabulary.knows(&term) || vocabulary.doc_freq(&term) < crate::loanwords::MIN_DOCS {
            continue;
        }
        for word in pair {
            found.push(Compound {
                word: word.clone(),
                term: term.clone(),
                weight,
            });
        }
    }
    found
}

/// Fewest characters of each part of a word typed without its hyphen ([`unhyphenated`]):
/// `wi-fi` and `64-bit` have two; a one-letter part (`e-mail`) joins too many words.
const MIN_HYPHENATED_PART_CHARS: usize = 2;

/// The two words `word` joins, when the side's text (`body`) writes them side by side (`add
/// ins`, as its tokens read `add-ins`) in at least [`crate::loanwords::MIN_DOCS`] segments,
/// as it writes a name: the split most segments hold. A word the side does not know that
/// splits so was typed without its hyphen (or space), a likelier slip than a changed letter.
/// Two known words met side by side a few times are another word misspelt (`outlok` is no
/// `out lok`). A code ([`crate::codes::is_code`]: `300344`, typed for `30034-4`) is rare by
/// nature and its digits say it exactly: one segment that writes its parts side by side is
/// enough, and a part may be one digit.
pub(crate) fn unhyphenated(
    searcher: &tantivy::Searcher,
    body: Field,
    known: impl Fn(&str) -> bool,
    word: &str,
) -> Option<[String; 2]> {
    let (part_chars, least_segments) = if crate::codes::is_code(word) {
        (1, 1)
    } else if locsearch_analysis::spelt_in_letters(word) {
        (MIN_HYPHENATED_PART_CHARS, crate::loanwords::MIN_DOCS)
    } else {
        return None;
    };
    let bounds: Vec<usize> = word.char_indices().map(|(at, _)| at).collect();
    let splits = part_chars..=bounds.len().checked_sub(part_chars)?;
    let mut best: Option<([String; 2], usize)> = None;
    for split in splits {
        let (first, second) = word.split_at(bounds[split]);
        if !known(first) || !known(second) {
            continue;
        }
        let phrase = PhraseQuery::new(vec![
            Term::from_field_text(body, first),
            Term::from_field_text(body, second),
        ]);
        let Ok(segments) = phrase.count(searcher) else {
            continue;
        };
        if segments as u64 >= least_segments
            && best.as_ref().is_none_or(|(_, most)| segments > *most)
        {
            best = Some(([first.to_owned(), second.to_owned()], segments));
        }
    }
    best.map(|(parts, _)| parts)
}

/// The compounds the words as typed (or as corrected) start, that the query holds in no
/// other way ([`starting_with`]). Each weighs `weight`, capped by the ratio of the word's IDF
/// to its own: a common word ("nicht") starts rare compounds ("Nichtjunk"), and a rare term
/// must not weigh more than the word the user typed.
pub(crate) fn started(
    (searcher, stats): (&tantivy::Searcher, &Provider),
    side: &crate::plan::SideFields,
    terms: &crate::terms::QueryTerms,
    weight: f32,
) -> Vec<Compound> {
    let reduce = |term: &str| {
        let reduced = side.analyzer.tokens(term).pop().map(|(t, _)| t);
        reduced.unwrap_or_else(|| term.to_owned())
    };
    let idf = |term: &str| stats.idf(&Term::from_field_text(side.body, term));
    let mut found: Vec<Compound> = Vec::new();
    for (word, _) in terms.typed_and_corrected() {
        let compounds = starting_with(searcher, side.body, &word, reduce);
        let Some(word_idf) = (!compounds.is_empty()).then(|| idf(&word)) else {
            continue;
        };
        for term in compounds {
            let known = terms.all.contains(&term) || terms.related.iter().any(|r| r.term == term);
            if !known && !found.iter().any(|c| c.term == term) {
                let cap = (word_idf / idf(&term)).min(1.0);
                found.push(Compound {
                    word: word.clone(),
                    term,
                    weight: weight * cap,
                });
            }
        }
    }
    found
}
