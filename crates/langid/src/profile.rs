//! One language's n-gram counts.

use rustc_hash::FxHashMap;

use crate::grams::{Gram, MAX_N, grams};

/// How much of a language's n-grams a profile keeps, in one place.
#[derive(Debug, Clone)]
pub struct Learning {
    /// The most frequent n-grams kept. The rest are rare in the language, and a query's
    /// n-gram that a profile lacks counts as barely seen: telling languages apart takes their
    /// common n-grams, and a Chinese profile with every Han trigram would be megabytes.
    pub max_grams: usize,
}

impl Default for Learning {
    fn default() -> Learning {
        Learning { max_grams: 20_000 }
    }
}

/// A language's n-gram counts: the most frequent n-grams of its text, with how often each
/// occurs, and how many n-grams the text had in all.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Profile {
    /// Every n-gram of the text, counted before the rare ones were left out.
    pub total: u64,
    /// Sorted by n-gram, each once.
    pub counts: Vec<(Gram, u32)>,
}

impl Profile {
    /// The profile of a language's texts.
    pub fn learn<'a>(texts: impl IntoIterator<Item = &'a str>, learning: &Learning) -> Profile {
        let mut counts: FxHashMap<Gram, u32> = FxHashMap::default();
        let mut total = 0u64;
        for text in texts {
            grams(text, |g| {
                *counts.entry(g).or_default() += 1;
                total += 1;
            });
        }
        Profile::keeping(total, counts.into_iter().collect(), learning)
    }

    /// The profile of the texts of several profiles together.
    pub fn merge<'a>(
        profiles: impl IntoIterator<Item = &'a Profile>,
        learning: &Learning,
    ) -> Profile {
        let mut counts: FxHashMap<Gram, u32> = FxHashMap::default();
        let mut total = 0u64;
        for profile in profiles {
            total += profile.total;
            for (gram, count) in &profile.counts {
                let sum = counts.entry(*gram).or_default();
                *sum = sum.saturating_add(*count);
            }
        }
        Profile::keeping(total, counts.into_iter().collect(), learning)
    }

    /// The profile of the same text with every n-gram rewritten by `fold` (its diacritics
    /// taken off, for a query typed without them), the counts of n-grams that fold alike
    /// added. `fold` rewrites a text a character at a time, so each character is folded
    /// once, not once per n-gram it is in. An n-gram whose folding is no n-gram (`ß` → `ss`
    /// at three characters) is left out; its count stays in the total.
    pub fn folded(&self, fold: impl Fn(&str) -> String) -> Profile {
        let mut by_char: FxHashMap<char, Vec<char>> = FxHashMap::default();
        let mut unfolded = Vec::with_capacity(MAX_N);
        let mut chars = Vec::with_capacity(2 * MAX_N);
        let mut fold_gram = |gram: Gram| {
            if gram.is_ascii() {
                return Some(gram);
            }
            unfolded.clear();
            gram.push_chars(&mut unfolded);
            chars.clear();
            for &c in &unfolded {
                if c.is_ascii() {
                    chars.push(c);
                } else {
                    let folded = by_char
                        .entry(c)
                        .or_insert_with(|| fold(c.encode_utf8(&mut [0; 4])).chars().collect());
                    chars.extend_from_slice(folded);
                }
            }
            Gram::from_chars(&chars)
        };
        let mut folded: Vec<(Gram, u32)> = self
            .counts
            .iter()
            .filter_map(|(gram, count)| Some((fold_gram(*gram)?, *count)))
            .collect();
        // Nearly sorted already, only n-grams with a diacritic moving: a stable sort merges
        // the sorted runs.
        folded.sort_by_key(|(gram, _)| *gram);
        let mut counts: Vec<(Gram, u32)> = Vec::with_capacity(folded.len());
        for (gram, count) in folded {
            match counts.last_mut() {
                Some((last, sum)) if *last == gram => *sum = sum.saturating_add(count),
                _ => counts.push((gram, count)),
            }
        }
        Profile {
            total: self.total,
            counts,
        }
    }

    /// The most frequent `learning.max_grams` of `counts` (ties by n-gram, so the same text
    /// always keeps the same), sorted by n-gram.
    fn keeping(total: u64, mut counts: Vec<(Gram, u32)>, learning: &Learning) -> Profile {
        counts.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        counts.truncate(learning.max_grams);
        counts.sort_unstable_by_key(|(gram, _)| *gram);
        Profile { total, counts }
    }
}
