//! The drafts of a query with no language: each side it may be searched on, analyzed and its
//! coverage known ([`Draft`]), then corrected where the query is likely written
//! ([`Searcher::search_routed`] decides which sides are drafted, and when every locale is).

use std::cell::OnceCell;

use rustc_hash::FxHashMap;

use super::Searcher;
use crate::correct::Seen;
use crate::parse::ParsedQuery;
use crate::plan::{CorrectedSides, Draft, Side};

impl Searcher {
    /// The drafts of the sides that may be searched or corrected, in search order: target
    /// sides in catalog order, then the source cover. The source cover is drafted first: an
    /// English query's coverage there sets a bar that most target sides cannot reach, and
    /// those are never weighed further. A target side's English words are weighed
    /// ([`crate::plan::Planner::weigh_english_words`], which can only lower its coverage) at once when it
    /// may know more of the query than every side before it, and otherwise only if it
    /// reaches the bar of all the sides: a side under it could be neither searched nor
    /// corrected.
    pub(super) fn drafts(
        &self,
        parsed: &ParsedQuery,
        sides: Vec<(String, Side)>,
    ) -> Vec<((String, Side), Draft<'_>)> {
        let mut best = Best::default();
        // A side under both the coverage floor and the bar of the likely sides is neither
        // searched nor corrected. Once a side knows every word as typed, no side will be
        // corrected ([`Searcher::correct_likely_sides`]): the floor alone decides.
        let bar = |best: &Best| {
            let floor = best.coverage * self.ranking.min_relative_coverage;
            if best.spelt_right {
                floor
            } else {
                floor.min(self.likely_coverage(best.coverage, parsed))
            }
        };
        let english = OnceCell::new();
        let drafted = |(locale, side): (String, Side), best: &mut Best, weigh: bool| {
            let planner = self.planner(&locale)?;
            let index = &self.catalog.locales[&locale];
            let mut draft = planner.draft(index, parsed, side, bar(best))?;
            let weighed = weigh || draft.coverage() > best.coverage;
            if weighed {
                planner.weigh_english_words(&mut draft, parsed, &english);
                best.coverage = best.coverage.max(draft.coverage());
                // Coverage is at most 1: a side at 1 is the best there can be.
                best.spelt_right |= draft.coverage() >= 1.0 && draft.knows_every_word().is_some();
            }
            Some((((locale, side), draft), weighed))
        };
        let (sources, targets): (Vec<_>, Vec<_>) = sides
            .into_iter()
            .partition(|(_, side)| *side == Side::Source);
        let sources: Vec<_> = sources
            .into_iter()
            .filter_map(|s| drafted(s, &mut best, true))
            .collect();
        let targets: Vec<_> = targets
            .into_iter()
            .filter_map(|s| drafted(s, &mut best, false))
            .collect();
        let mut drafts = Vec::with_capacity(targets.len() + sources.len());
        for (((locale, side), mut draft), weighed) in targets {
            if !weighed {
                if draft.coverage() < bar(&best) {
                    continue;
                }
                if let Some(planner) = self.planner(&locale) {
                    planner.weigh_english_words(&mut draft, parsed, &english);
                }
            }
            drafts.push(((locale, side), draft));
        }
        drafts.extend(sources.into_iter().map(|(drafted, _)| drafted));
        drafts
    }

    /// The least coverage of a likely side, given the best: no more than `max_typos` words
    /// fewer.
    fn likely_coverage(&self, best: f32, parsed: &ParsedQuery) -> f32 {
        let words = parsed.word_count().max(1) as f32;
        best - self.ranking.max_typos as f32 / words
    }

    /// Words the likely sides (those that know nearly as much of the query as the best: no
    /// more than `max_typos` words fewer) do not know are corrected
    /// there: elsewhere an unknown word is most likely another language's, and looking it up
    /// would cost every query in every locale.
    ///
    /// A side drafted again (every locale after the likely ones) is drafted as before, so
    /// it takes its corrections from `corrected`, where each side's are kept: a query with a
    /// typo was otherwise corrected twice in its likely locales.
    pub(super) fn correct_likely_sides(
        &self,
        parsed: &ParsedQuery,
        drafts: &mut [((String, Side), Draft)],
        corrected: &mut FxHashMap<(String, Side), CorrectedSides>,
    ) {
        let mut correct = |key: &(String, Side), draft: &mut Draft| {
            if corrected
                .remove(key)
                .is_some_and(|done| draft.take_corrected(done))
            {
                return;
            }
            if let Some(planner) = self.planner(&key.0) {
                let before = draft.coverages();
                planner.correct(draft);
                corrected.insert(key.clone(), draft.corrected(before));
            }
        };
        let best = drafts
            .iter()
            .map(|(_, d)| d.coverage())
            .fold(0.0f32, f32::max);
        // A query the best side knows word for word as typed is spelt right (most are): no
        // side is corrected, and that costs a few term lookups. Only a word such a side
        // knows rarely may still be a name typed in the user's script.
        let spelt_right: Vec<Option<Seen>> = drafts
            .iter()
            .map(|(_, d)| {
                (d.coverage() >= best)
                    .then(|| d.knows_every_word())
                    .flatten()
            })
            .collect();
        if spelt_right.iter().any(Option::is_some) {
            for ((key, draft), seen) in drafts.iter_mut().zip(spelt_right) {
                if seen == Some(Seen::Rarely) {
                    correct(key, draft);
                }
            }
            return;
        }
        // Not the coverage floor: a word misspelt in English can leave the English side under
        // it, while a truncating analyzer takes the typo for a known prefix elsewhere.
        let threshold = self.likely_coverage(best, parsed);
        // With no word known anywhere, every side is likely.
        for (key, draft) in drafts.iter_mut() {
            if draft.coverage() >= threshold {
                correct(key, draft);
            }
        }
        withdraw_foreign_corrections(drafts);
    }
}

/// The best coverage of the sides drafted so far, and whether a side at coverage 1 (the
/// most there is) knows every word of the query as typed: then no side will be corrected.
#[derive(Default)]
struct Best {
    coverage: f32,
    spelt_right: bool,
}

/// A correction is a guess that the user misspelt a word of the side's language. When the
/// likeliest side, corrected too, knows that word as typed (`impressora` in Portuguese, taken
/// for Spanish `impresora`), the guess was wrong: a less likely side takes it back.
fn withdraw_foreign_corrections(drafts: &mut [((String, Side), Draft)]) {
    let best = drafts
        .iter()
        .map(|(_, d)| d.coverage())
        .fold(0.0f32, f32::max);
    let spelt_right: Vec<String> = drafts
        .iter()
        .filter(|(_, d)| d.coverage() >= best)
        .flat_map(|(_, d)| d.words_known_as_typed())
        .collect();
    for (_, draft) in drafts.iter_mut() {
        if draft.coverage() < best {
            draft.withdraw_corrections(&spelt_right);
        }
    }
}
