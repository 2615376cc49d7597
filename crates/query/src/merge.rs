//! Candidates from many locales into one ranked list: the English source side answered
//! once per article key, the `path:` filter, one hit per article.

use std::collections::BTreeMap;

use rustc_hash::FxHashSet;

use tantivy::Score;

use crate::candidate::Candidate;
use crate::plan::Side;

/// Source-side candidates by article key. The English source is the same in every locale:
/// each locale of the source cover answers for the keys no earlier one holds, and the best
/// hit per key is kept.
#[derive(Default)]
pub(crate) struct SourceHits(BTreeMap<String, Candidate>);

impl SourceHits {
    /// Adds one cover locale's candidates; `held_earlier` says whether a locale before it in
    /// the cover holds a key. Returns the scores of those it answers for.
    pub fn add(
        &mut self,
        found: Vec<Candidate>,
        held_earlier: impl Fn(&str) -> bool,
    ) -> Vec<Score> {
        let mut kept = Vec::with_capacity(found.len());
        for c in found {
            if held_earlier(&c.key) {
                continue;
            }
            kept.push(c.score);
            match self.0.get(&c.key) {
                Some(best) if best.score >= c.score => {}
                _ => {
                    self.0.insert(c.key.clone(), c);
                }
            }
        }
        kept
    }

    pub fn into_candidates(self) -> impl Iterator<Item = Candidate> {
        self.0.into_values()
    }
}

/// The best `limit` candidates under the `path:` prefixes (if any), best first, one per
/// article per locale and per key (source side): an article matched both through its own
/// text and through its English source is listed once, the better of the two.
pub(crate) fn rank(
    mut candidates: Vec<Candidate>,
    paths: &[String],
    limit: usize,
) -> Vec<Candidate> {
    candidates
        .retain(|c| paths.is_empty() || paths.iter().any(|p| path_matches(&c.path, &c.locale, p)));
    candidates.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| a.path.cmp(&b.path))
    });
    let keep: Vec<bool> = {
        let mut articles = FxHashSet::default();
        let mut keys = FxHashSet::default();
        candidates
            .iter()
            .map(|c| {
                let key_free = c.side != Side::Source || keys.insert(c.key.as_str());
                key_free && articles.insert((c.locale.as_str(), c.path.as_str()))
            })
            .collect()
    };
    let mut keep = keep.into_iter();
    candidates.retain(|_| keep.next().unwrap_or(false));
    candidates.truncate(limit);
    candidates
}

/// `path:` matches the corpus-relative path or the path below the locale folder.
fn path_matches(path: &str, locale: &str, prefix: &str) -> bool {
    path.starts_with(prefix)
        || path
            .strip_prefix(locale)
            .and_then(|p| p.strip_prefix('/'))
            .is_some_and(|p| p.starts_with(prefix))
}
