//! Two words typed apart that the English text writes as one (`One Drive`, `Share Point`,
//! `Power Shell`, `mail box`): the query is read with the one word, on every side. Users split
//! a name at its capital letters or where they hear two words; typed so, each half is a
//! common word (`one`, `point`) that other articles hold side by side. Where the text writes
//! the two apart too often for that, or in a side's own language only (`sähkö posti`), the
//! join is only searched besides them, below them ([`crate::compounds::joined`]). The reverse
//! of [`crate::compounds::unhyphenated`].

use tantivy::query::{EnableScoring, PhraseQuery, Query};
use tantivy::schema::Field;
use tantivy::{DocSet, Searcher, TERMINATED, Term};

/// Each of the two words is at least this long: shorter ones join by accident (`in to` is not
/// `into` in "sign in to").
pub(crate) const MIN_PART_CHARS: usize = 3;

/// The text writes the joined word in at least this many times as many segments as it writes
/// the two side by side: `set up` and `setup` are both common and stay as typed.
pub(crate) const MIN_JOINED_RATIO: u64 = 10;

/// The query with each pair of adjacent words (ASCII letters, each [`MIN_PART_CHARS`] or more;
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
            let part =
                |w: &str| w.len() >= MIN_PART_CHARS && w.bytes().all(|b| b.is_ascii_alphabetic());
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

    proptest! {
        /// Joining only removes the spaces between words it accepts: the letters stay, in
        /// order, and nothing panics.
        #[test]
        fn joining_keeps_every_letter_in_order(query in "\\PC{0,40}") {
            if let Some(out) = joined(&query, |_, _| true) {
                let letters = |s: &str| s.split_whitespace().collect::<String>();
                prop_assert_eq!(letters(&out), letters(&query));
            }
        }
    }
}
