//! Which of the locales of a query's script it is likely written in, when it names no
//! language: each locale's n-gram profile ([`locsearch_langid`], learned at index time) gives
//! the query a log-likelihood, and only the locales within [`Ranking::route_margin`] of the
//! likeliest are drafted first. The English the locales translate is one more candidate: an
//! English query drafts the source side, and of the target sides only those nearly as likely
//! as English; a query that reads far less like English than like some locale (by more than
//! [`Ranking::english_margin`]) drafts no source side first, since one that knows its words
//! as typed decides that nothing needs correcting (a Spanish-born article's source side knows
//! `sincronizacion` with its accent folded, as English text is analyzed). A word of a
//! localized query that reads like English (a product name, a term left untranslated) counts
//! for every locale as at most [`Ranking::english_word_cost`] less likely than in English, so
//! that names do not choose the locale. A query with no diacritics is read against the
//! profiles with theirs folded away, as the analyzers fold them. A short query, whose n-grams
//! hardly tell languages apart, leaves many locales within the margin; a locale with no
//! profile (a damaged file) is always drafted. When no likely side knows every word of the
//! query in some form — as typed, reduced, or with the accents the user left out given back
//! — (a typo, a name only another locale holds), the searcher drafts every locale after all
//! (`Searcher::search_routed`).
//!
//! [`Ranking::route_margin`]: crate::ranking::Ranking::route_margin
//! [`Ranking::english_margin`]: crate::ranking::Ranking::english_margin
//! [`Ranking::english_word_cost`]: crate::ranking::Ranking::english_word_cost

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use locsearch_langid::{Guesser, GuesserBuilder, Learning, Profile, file};
use rustc_hash::FxHashMap;

use crate::ranking::Ranking;

/// Every profile of a catalog, read on the first query with no language that needs it.
pub(crate) struct LikelyLocales {
    dir: PathBuf,
    locales: Vec<String>,
    /// The profiles as learned, for a query with diacritics.
    accented: OnceLock<Profiled>,
    /// The same profiles with their diacritics folded away, for a query typed without any:
    /// `protecao de informacoes` reads like Portuguese only there, and `povoleni hlasove
    /// posty` like Czech rather than Slovak. Each is built on its first query, so that a
    /// one-shot search builds only the one it reads.
    unaccented: OnceLock<Profiled>,
}

/// A guesser over every profile, and where each candidate's score is.
struct Profiled {
    guesser: Guesser,
    /// The position of each profiled locale's score.
    positions: FxHashMap<String, usize>,
    /// The position of English's score, if any locale's file held English.
    english: Option<usize>,
}

impl Profiled {
    /// The profiles of `locales` in the index at `dir`, with their diacritics folded away
    /// when `unaccented`. A locale whose file is missing or damaged has none.
    fn read(dir: &Path, locales: &[String], unaccented: bool) -> Profiled {
        // A profile at a time: a catalog's profiles are megabytes, the guesser fewer.
        let mut builder = GuesserBuilder::default();
        let mut add = |profile: &Profile| {
            if unaccented {
                builder.add(&profile.folded(locsearch_analysis::folded))
            } else {
                builder.add(profile)
            }
        };
        let mut english = Vec::new();
        let mut positions = FxHashMap::default();
        for locale in locales {
            let path = locsearch_index::relations::grams_path(dir, locale);
            let Some(profiles) = std::fs::read(&path).ok().and_then(|b| file::read(&b).ok()) else {
                continue;
            };
            positions.insert(locale.clone(), add(&profiles.target));
            english.push(profiles.english);
        }
        let english = Profile::merge(&english, &Learning::default());
        let english = (english.total > 0).then(|| add(&english));
        Profiled {
            guesser: builder.finish(),
            positions,
            english,
        }
    }
}

impl LikelyLocales {
    /// The profiles of `locales` in the index at `dir`, read when first needed.
    pub(crate) fn open<'a>(dir: &Path, locales: impl Iterator<Item = &'a String>) -> LikelyLocales {
        LikelyLocales {
            dir: dir.to_path_buf(),
            locales: locales.cloned().collect(),
            accented: OnceLock::new(),
            unaccented: OnceLock::new(),
        }
    }

    /// The profiles a query is read against: folded when it has no diacritics.
    fn profiled(&self, text: &str) -> &Profiled {
        let unaccented = locsearch_analysis::folded(text) == text;
        let cell = if unaccented {
            &self.unaccented
        } else {
            &self.accented
        };
        cell.get_or_init(|| Profiled::read(&self.dir, &self.locales, unaccented))
    }

    /// Of `candidates`, those the query is likely written in: within the margin of the
    /// likeliest candidate, English among them when `with_english`. Every candidate when the
    /// query's letters say nothing.
    pub(crate) fn narrow<'a>(
        &self,
        text: &str,
        candidates: &[&'a str],
        with_english: bool,
        ranking: &Ranking,
    ) -> Likely<'a> {
        if candidates.len() + usize::from(with_english) < 2 {
            return Likely {
                locales: candidates.to_vec(),
                english: with_english,
            };
        }
        let profiled = self.profiled(text);
        let borrowed = profiled.english.map(|e| (e, ranking.english_word_cost));
        let scores = profiled.guesser.scores(text, borrowed);
        let score = |locale: &str| profiled.positions.get(locale).map(|p| scores[*p]);
        let english = profiled.english.filter(|_| with_english).map(|p| scores[p]);
        let best = candidates
            .iter()
            .filter_map(|l| score(l))
            .chain(english)
            .fold(f32::NEG_INFINITY, f32::max);
        Likely {
            locales: candidates
                .iter()
                .copied()
                .filter(|l| score(l).is_none_or(|s| s >= best - ranking.route_margin))
                .collect(),
            english: with_english && english.is_none_or(|s| s >= best - ranking.english_margin),
        }
    }
}

/// What a query is likely written in ([`LikelyLocales::narrow`]).
#[derive(Debug)]
pub(crate) struct Likely<'a> {
    pub locales: Vec<&'a str>,
    /// Whether English is likely too: the source sides are drafted first.
    pub english: bool,
}
