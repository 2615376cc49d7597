//! The best hits reordered by how near the query lies to their articles in their locale's
//! latent space ([`locsearch_latent`], learned by `locsearch index` from the locale's
//! articles in both languages at once). A support engineer's "la stampante non stampa"
//! shares one word with the general printer article and two with the article on the print
//! spooler; in the space, the query lies nearest the printer article, whose text is about
//! printers throughout.
//!
//! The first [`Ranking::latent_depth`] hits' scores are multiplied by 1 + w × the cosine of
//! the query and the article (a hit whose locale has no space, or whose article it does not
//! hold, keeps its score), and those hits sorted again. w is [`Ranking::latent_weight`] times
//! the share of the query's words the best hit's titles do *not* hold: when its title says
//! what the query says (a title, its keywords, typed or corrected), the words have found
//! their article, and nearness — which favours the article most about a topic over the one
//! the words name — leaves the order be. The space only reorders what the words found: it
//! never adds a hit.
//! Both of the query's analyses count, the locale's and the English one, since the space
//! holds both languages' terms.

use std::path::Path;

use locsearch_latent::Side as LatentSide;
use locsearch_latent::file::Reader;
use rustc_hash::FxHashMap;

use crate::candidate::Candidate;
use crate::ranking::Ranking;
use crate::terms::Analyzer;

/// A locale's latent space, mapped from disk.
#[derive(Debug)]
pub(crate) struct LatentTable(Reader);

impl LatentTable {
    /// The locale's space; `None` when its file is missing or of another version (`locsearch
    /// index` learns it again).
    pub fn open(dir: &Path, locale: &str) -> Option<LatentTable> {
        Reader::open(&locsearch_index::relations::latent_path(dir, locale)).map(LatentTable)
    }

    /// Where `query` lies in the space, analyzed by the locale's analyzer and the English one.
    fn query_vector(&self, query: &str, target: &Analyzer, english: &Analyzer) -> Option<Vec<f32>> {
        let mut counts: Vec<(LatentSide, FxHashMap<String, u32>)> = Vec::with_capacity(2);
        for (side, analyzer) in [(LatentSide::Target, target), (LatentSide::English, english)] {
            let tokens = analyzer.tokens(query);
            let mut side_counts = FxHashMap::default();
            locsearch_latent::count_terms(
                tokens.iter().map(|(t, position)| (t.as_str(), *position)),
                &mut side_counts,
            );
            counts.push((side, side_counts));
        }
        self.0.query_vector(
            counts
                .iter()
                .flat_map(|(side, c)| c.iter().map(|(t, &n)| (*side, t.as_str(), n))),
        )
    }
}

/// What reranking reads for a locale: its space and its analyzer.
pub(crate) type Spaces<'a> = dyn Fn(&str) -> Option<(&'a LatentTable, &'a Analyzer)> + 'a;

/// Multiplies the scores of the first `Ranking::latent_depth` candidates (ranked best
/// first) by their nearness to the query as the candidate's search read it (`query_of`: with
/// its corrections, since a misspelt word is in no space), and sorts those again.
pub(crate) fn rerank(
    ranked: &mut [Candidate],
    query_of: &dyn Fn(&Candidate) -> String,
    spaces: &Spaces<'_>,
    english: &Analyzer,
    ranking: &Ranking,
) {
    let depth = ranked.len().min(ranking.latent_depth);
    // When the best hit's titles hold every word of the query, the words have found their
    // article (a title or its keywords, typed or corrected): nearness leaves the order be.
    let weight = ranking.latent_weight * (1.0 - ranked.first().map_or(1.0, |c| c.title_share));
    if depth < 2 || weight <= 0.0 {
        return;
    }
    let mut vectors: FxHashMap<(String, String), Option<Vec<f32>>> = FxHashMap::default();
    for candidate in ranked[..depth].iter_mut() {
        let Some((table, target)) = spaces(&candidate.locale) else {
            continue;
        };
        let query = query_of(candidate);
        let vector = vectors
            .entry((candidate.locale.clone(), query))
            .or_insert_with_key(|(_, query)| table.query_vector(query, target, english));
        let Some(vector) = vector else { continue };
        if let Some(cosine) = table.0.similarity(vector, &candidate.key) {
            candidate.score *= 1.0 + weight * cosine;
        }
    }
    ranked[..depth].sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| a.path.cmp(&b.path))
    });
}
