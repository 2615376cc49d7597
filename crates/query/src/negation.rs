//! A query that says something does not work ("la stampante non stampa", "印表機無法列印",
//! "can't record meeting") asks for an article about what fails: of the best hits, those
//! whose English title does not say so weigh [`Ranking::unnegated_weight`]. A side reads a
//! query as negated through the negations the locale's titles taught
//! ([`locsearch_relations::negation`], looked up with the other relations in
//! [`crate::related`]), the English side through English's own.

use crate::candidate::Candidate;
use crate::ranking::Ranking;

/// Whether English words (the English analyzer's tokens) say something does not work.
pub(crate) fn says_not(english_tokens: &[String]) -> bool {
    locsearch_relations::negation::says_not(english_tokens.iter().map(String::as_str))
}

/// Weighs the first [`Ranking::latent_depth`] candidates (ranked best first) whose search
/// read the query as negated (`negated`) and whose English title does not say not, and
/// sorts those again.
pub(crate) fn rerank(
    ranked: &mut [Candidate],
    negated: &dyn Fn(&Candidate) -> bool,
    ranking: &Ranking,
) {
    let depth = ranked.len().min(ranking.latent_depth);
    let mut weighed = false;
    for candidate in ranked[..depth].iter_mut() {
        if !negated(candidate) {
            continue;
        }
        let title_says_not = candidate
            .table
            .titles(candidate.article)
            .and_then(|(_, source)| source)
            .is_some_and(locsearch_relations::negation::text_says_not);
        if !title_says_not {
            candidate.score *= ranking.unnegated_weight;
            weighed = true;
        }
    }
    if weighed {
        ranked[..depth].sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then_with(|| a.path.cmp(&b.path))
        });
    }
}
