//! A name's spacing as the English text writes it, on every side.
//!
//! Two words typed apart that the text writes as one (`One Drive`, `Share Point`, `Power
//! Shell`, `mail box`) are read as the one word ([`joined`]). Users split a name at its
//! capital letters or where they hear two words; typed so, each half is a common word (`one`,
//! `point`) that other articles hold side by side. Where the text writes the two apart too
//! often for that, or in a side's own language only (`sähkö posti`), the join is only
//! searched besides them, below them ([`crate::compounds::joined`]).
//!
//! And a name typed against its number (`Windows10`, `Office365`) that the text writes as two
//! words far more often is read as the two ([`split`]): a side may know the glued form from a
//! stray mention, and a quoted `"Windows10"` then found only that. Not at a capital: a word
//! glued there is an identifier more often than a slip (`AzureAD`, the module, is not `Azure
//! AD`). A word no side knows is split per side, without a boundary too
//! ([`crate::compounds::unhyphenated`]).

use tantivy::query::{EnableScoring, PhraseQuery, Query};
use tantivy::schema::Field;
use tantivy::{DocSet, Searcher, TERMINATED, Term};

/// The text writes the joined word in at least this many times as many segments as it writes
/// the two side by side: `set up` and `setup` are both common and stay as typed.
pub(crate) const MIN_JOINED_RATIO: u64 = 10;

/// The query with each pair of adjacent words (ASCII letters, each
/// [`crate::compounds::MIN_JOINED_CHARS`] or more, as for the weaker join;
/// punctuation before the first or after the second) that `written_as_one` accepts joined, as
/// typed (`One Drive,` → `OneDrive,`); `None` when no pair is.
pub(crate) fn joined(query: &str, written_as_one: impl Fn(&str, &str) -> bool) -> Option<String> {
    let words: Vec<&str> = query.split_whitespace().collect();
    let mut out: Vec<String> = Vec::with_capacity(words.len());
    let mut changed = false;
    let mut i = 0;
    while i < words.len() {
        let pair = words.get(i + 1).and_then(|next| {
            let (before, a) = split_punctuation(words[i], true);
            let (b, after) = split_punctuation(next, false);
            // Names the English text writes as one are in Latin letters.
            let part = |w: &str| {
                w.len() >= crate::compounds::MIN_JOINED_CHARS
                    && w.bytes().all(|b| b.is_ascii_alphabetic())
            };
            // `-one drive` excludes `one`: not a name typed apart.
            let excluded = before.contains('-');
            (!excluded && part(a) && part(b) && written_as_one(a, b))
                .then(|| format!("{before}{a}{b}{after}"))
        });
        match pair {
            Some(one) => {
                out.push(one);
                changed = true;
                i += 2;
            }
            None => {
                out.push(words[i].to_owned());
                i += 1;
            }
        }
    }
    changed.then(|| out.join(" "))
}

/// The query with `joined`'s pairs joined, then `split`'s words split, as the English text
/// of `body` writes them; `None` when it reads as typed.
pub(crate) fn respaced(query: &str, body: (&Searcher, Field)) -> Option<String> {
    let joined = joined(query, |a, b| written_as_one(body, a, b));
    let text = joined.as_deref().unwrap_or(query);
    split(text, |word, a, b| written_apart(body, word, a, b)).or(joined)
}

/// The query with each word of ASCII letters and digits (punctuation around it aside) that
/// `written_apart` accepts split where its letters meet its digits (`Windows10,` → `Windows
/// 10,`), each part two characters or more; `None` when no word is.
pub(crate) fn split(
    query: &str,
    written_apart: impl Fn(&str, &str, &str) -> bool,
) -> Option<String> {
    let mut changed = false;
    let words: Vec<String> = query
        .split_whitespace()
        .map(|word| {
            let (before, rest) = split_punctuation(word, true);
            let (core, after) = split_punctuation(rest, false);
            let apart = core.bytes().all(|b| b.is_ascii_alphanumeric()).then(|| {
                boundaries(core).find(|&at| written_apart(core, &core[..at], &core[at..]))
            });
            match apart.flatten() {
                Some(at) => {
                    changed = true;
                    format!("{before}{} {}{after}", &core[..at], &core[at..])
                }
                None => word.to_owned(),
            }
        })
        .collect();
    changed.then(|| words.join(" "))
}

/// Where an ASCII word's letters meet its digits, leaving two characters or more on each
/// side.
fn boundaries(word: &str) -> impl Iterator<Item = usize> + '_ {
    let bytes = word.as_bytes();
    (2..bytes.len().saturating_sub(1)).filter(move |&at| {
        let (before, here) = (bytes[at - 1], bytes[at]);
        before.is_ascii_digit() != here.is_ascii_digit()
    })
}

/// A word's punctuation before it (`leading`) or after it, and the rest: `("\"", "Share")`,
/// `("Drive", ",")`.
fn split_punctuation(word: &str, leading: bool) -> (&str, &str) {
    let not_letter = |c: char| !c.is_alphanumeric();
    if leading {
        let rest = word.trim_start_matches(not_letter);
        (&word[..word.len() - rest.len()], rest)
    } else {
        let rest = word.trim_end_matches(not_letter);
        (rest, &word[rest.len()..])
    }
}

/// Whether `body`'s text (English) writes `a` and `b` (ASCII letters) as one word: in at
/// least [`crate::loanwords::MIN_DOCS`] segments, and [`MIN_JOINED_RATIO`] times as many as it
/// writes the two side by side.
pub(crate) fn written_as_one((searcher, body): (&Searcher, Field), a: &str, b: &str) -> bool {
    // The English analyzer keeps each word as written, in lower case, besides its stem.
    let term = |text: &str| Term::from_field_text(body, &text.to_ascii_lowercase());
    // Most pairs are not a word: the joined form's count is looked up first.
    let Some(joined) = searcher
        .doc_freq(&term(&format!("{a}{b}")))
        .ok()
        .filter(|&segments| segments >= crate::loanwords::MIN_DOCS)
    else {
        return false;
    };
    // Common pairs (`set up`) sit side by side in thousands of segments: counting stops at
    // the most the ratio allows.
    let most_apart = joined / MIN_JOINED_RATIO;
    let apart = PhraseQuery::new(vec![term(a), term(b)]);
    matches!(more_than(searcher, &apart, most_apart), Ok(false))
}

/// Whether `body`'s text (English) writes `word` (ASCII) as `a` and `b` side by side in at
/// least [`crate::loanwords::MIN_DOCS`] segments, and [`MIN_JOINED_RATIO`] times as many as
/// it writes the word.
pub(crate) fn written_apart(
    (searcher, body): (&Searcher, Field),
    word: &str,
    a: &str,
    b: &str,
) -> bool {
    let term = |text: &str| Term::from_field_text(body, &text.to_ascii_lowercase());
    let Ok(together) = searcher.doc_freq(&term(word)) else {
        return false;
    };
    let least_apart = together
        .saturating_mul(MIN_JOINED_RATIO)
        .max(crate::loanwords::MIN_DOCS);
    let apart = PhraseQuery::new(vec![term(a), term(b)]);
    matches!(more_than(searcher, &apart, least_apart - 1), Ok(true))
}

/// Whether more than `most` live documents match `query`, counted only that far.
fn more_than(searcher: &Searcher, query: &dyn Query, most: u64) -> tantivy::Result<bool> {
    let weight = query.weight(EnableScoring::disabled_from_searcher(searcher))?;
    let mut seen = 0u64;
    for reader in searcher.segment_readers() {
        let alive = reader.alive_bitset();
        let mut scorer = weight.scorer(reader, 1.0)?;
        let mut doc = scorer.doc();
        while doc != TERMINATED {
            if alive.is_none_or(|bits| bits.is_alive(doc)) {
                seen += 1;
                if seen > most {
                    return Ok(true);
                }
            }
            doc = scorer.advance();
        }
    }
    Ok(false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_pair_written_as_one_is_joined_as_typed() {
        let names = |a: &str, b: &str| (a, b) == ("One", "Drive");
        assert_eq!(
            joined("restore One Drive files", names).as_deref(),
            Some("restore OneDrive files")
        );
        assert_eq!(joined("restore one drive", names), None);
        // Parts too short, or not letters only, are never offered.
        let any = |_: &str, _: &str| true;
        assert_eq!(joined("sign in to", any).as_deref(), None);
        assert_eq!(
            joined("in \"One Drive\", or", any).as_deref(),
            Some("in \"OneDrive\", or")
        );
        assert_eq!(joined("One, Drive", any), None);
        assert_eq!(joined("-one drive", any), None);
        assert_eq!(joined("lang:de-DE drive", any), None);
        assert_eq!(joined("one drive", any).as_deref(), Some("onedrive"));
    }

    #[test]
    fn a_name_against_its_number_is_split_as_typed() {
        let names = |_: &str, a: &str, b: &str| (a, b) == ("Windows", "10");
        assert_eq!(
            split("\"Windows10\", 1903", names).as_deref(),
            Some("\"Windows 10\", 1903")
        );
        let any = |_: &str, _: &str, _: &str| true;
        assert_eq!(split("365admin", any).as_deref(), Some("365 admin"));
        // One character a side, a capital (`AzureAD`), no boundary, or not ASCII: as typed.
        assert_eq!(split("iPhone Win1 AzureAD outofoffice Ωmega10", any), None);
    }

    proptest! {
        /// Joining and splitting only move spaces: the letters stay, in order, and nothing
        /// panics.
        #[test]
        fn respacing_keeps_every_letter_in_order(query in "\\PC{0,40}") {
            let letters = |s: &str| s.split_whitespace().collect::<String>();
            if let Some(out) = joined(&query, |_, _| true) {
                prop_assert_eq!(letters(&out), letters(&query));
            }
            if let Some(out) = split(&query, |_, _, _| true) {
                prop_assert_eq!(letters(&out), letters(&query));
            }
        }
    }
}
