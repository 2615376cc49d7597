//! What a search answers: hits with their passages, and whole articles.

use std::collections::HashMap;

use locsearch_index::LocaleIndex;
use locsearch_index::schema::{self, StoredSegment};
use serde::Serialize;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, ConstScoreQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, Score, Term};

use crate::articles;
use crate::candidate::Candidate;
use crate::clip::{self, MAX_ARTICLE_BYTES, MAX_ARTICLE_SEGMENT_BYTES};
use crate::error::QueryError;
use crate::parse::ParsedQuery;
use crate::plan::Side;
use crate::request::Request;
use crate::searcher::{Plans, Searcher};
use crate::snippet::{self, SegmentHit};
use crate::stats::Provider;
use crate::terms::Analyzer;

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Hit {
    pub locale: String,
    /// Corpus-relative path of the article in `locale`.
    pub path: String,
    /// The article key shared by its translations.
    pub article: String,
    pub title: String,
    pub source_title: Option<String>,
    pub score: f32,
    /// `target` (the localized text matched) or `source` (matched through the English).
    pub matched: &'static str,
    /// For source-side hits with no language given: every locale the article exists in.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub locales: Vec<String>,
    pub segments: Vec<SegmentHit>,
}

/// What a search found.
#[derive(Debug, Clone, Default)]
pub struct Answer {
    pub hits: Vec<Hit>,
    /// The query with its misspelt or unaccented words as they were taken, when that decided
    /// the best hit; with a name typed apart as the one word (`One Drive` → `OneDrive`); or
    /// without its quotes when no article held the phrase ("did you mean").
    pub corrected: Option<String>,
    /// With [`Request::explain`]: every term the searched locales looked for besides the
    /// query's words, with its weight.
    pub expansions: Vec<crate::plan::Expansion>,
    /// With [`Request::explain`]: the sides searched, in the order of their locales.
    pub searched: Vec<crate::plan::Searched>,
}

/// `query` with each word that was corrected replaced by its correction, the quotes and
/// punctuation around it kept, and inside a longer word too (`邮件撤会`, `outlok.com`: one
/// word between spaces holds several analyzed words); `None` when no word of it was.
pub(crate) fn corrected_query(query: &str, corrections: &[(String, String)]) -> Option<String> {
    let corrections: Vec<&(String, String)> = corrections
        .iter()
        .filter(|(typed, correction)| !typed.is_empty() && typed != correction)
        .collect();
    let mut changed = false;
    let words: Vec<String> = query
        .split_whitespace()
        .map(|word| {
            let mut word = word.to_owned();
            for (typed, correction) in &corrections {
                let lower = word.to_lowercase();
                let Some(at) = lower.find(typed.as_str()) else {
                    continue;
                };
                // Not a part of a longer Latin word (`nao` in `naomi`).
                let latin = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
                let end = at + typed.len();
                if latin(lower[..at].chars().next_back()) || latin(lower[end..].chars().next()) {
                    continue;
                }
                // Lower casing may have moved characters (`İ`): the span must be the typed
                // word in the original too.
                let same = word
                    .get(at..end)
                    .is_some_and(|span| span.to_lowercase() == **typed);
                if same {
                    word.replace_range(at..end, correction);
                    changed = true;
                }
            }
            word
        })
        .collect();
    changed.then(|| words.join(" "))
}

/// A whole article, as `GET /articles/{locale}/{path}` shows it.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct ArticleView {
    pub locale: String,
    pub path: String,
    pub article: String,
    pub title: String,
    pub source_title: Option<String>,
    pub segments: Vec<ArticleSegment>,
    /// Present (true) when segments past [`MAX_ARTICLE_BYTES`] of text were left out.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub truncated: bool,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct ArticleSegment {
    pub ordinal: u32,
    pub kind: String,
    /// The headings above the segment (target text), outermost first.
    pub heading_path: Vec<String>,
    pub target: String,
    pub source: Option<String>,
    /// Present (true) when a side was cut to [`MAX_ARTICLE_SEGMENT_BYTES`].
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub truncated: bool,
}

impl ArticleView {
    /// Segments as stored, each side cut to [`MAX_ARTICLE_SEGMENT_BYTES`], until
    /// [`MAX_ARTICLE_BYTES`] of text have been given.
    pub(crate) fn segments(
        stored: impl IntoIterator<Item = StoredSegment>,
    ) -> (Vec<ArticleSegment>, bool) {
        let mut budget = MAX_ARTICLE_BYTES;
        let mut segments = Vec::new();
        for mut s in stored {
            let mut truncated = clip::prefix(&mut s.target, MAX_ARTICLE_SEGMENT_BYTES);
            if let Some(source) = s.source.as_mut() {
                truncated |= clip::prefix(source, MAX_ARTICLE_SEGMENT_BYTES);
            }
            let size = s.target.len() + s.source.as_ref().map_or(0, String::len);
            if size > budget {
                return (segments, true);
            }
            budget -= size;
            segments.push(ArticleSegment {
                ordinal: s.ordinal,
                kind: s.kind,
                heading_path: s.heading_path,
                target: s.target,
                source: s.source,
                truncated,
            });
        }
        (segments, false)
    }
}

impl Searcher {
    /// One whole article as aligned segment pairs; `path` is corpus-relative or below the
    /// locale folder. `Ok(None)` when there is no such article.
    pub fn article(&self, locale: &str, path: &str) -> Result<Option<ArticleView>, QueryError> {
        let locale = self.locale(locale)?;
        let index = &self.catalog.locales[&locale];
        let full = if path.starts_with(&format!("{locale}/")) {
            path.to_owned()
        } else {
            format!("{locale}/{path}")
        };
        let searcher = index.reader.searcher();
        for candidate in [full.as_str(), path] {
            let read = articles::read_article(&searcher, index, candidate, true)
                .map_err(QueryError::engine(&locale))?;
            if let Some(stored) = read {
                let shown = stored.segments.into_iter().map(|s| s.stored);
                let (segments, truncated) = ArticleView::segments(shown);
                return Ok(Some(ArticleView {
                    locale: locale.clone(),
                    path: candidate.to_owned(),
                    article: stored.key,
                    title: stored.title,
                    source_title: stored.source_title,
                    segments,
                    truncated,
                }));
            }
        }
        Ok(None)
    }

    /// The hits the ranked candidates make: their titles, passages, segment scores and
    /// locales.
    pub(crate) fn hits(
        &self,
        ranked: Vec<Candidate>,
        parsed: &ParsedQuery,
        request: &Request,
        plans: &Plans,
    ) -> Result<Vec<Hit>, QueryError> {
        let mut read = Vec::with_capacity(ranked.len());
        for c in ranked {
            request.check_deadline()?;
            let index = &self.catalog.locales[&c.locale];
            let (article, matched) =
                read_hit(&c, index, request).map_err(QueryError::engine(&c.locale))?;
            read.push(ReadHit {
                c,
                article,
                matched,
            });
        }
        let passages = if request.snippets || request.segments {
            self.passages(&mut read, &parsed.text, request)?
        } else {
            read.iter().map(|_| Vec::new()).collect()
        };
        read.into_iter()
            .zip(passages)
            .map(|(read, segments)| self.hit(read, segments, request, plans))
            .collect()
    }

    /// The passages of every hit read, in their order. The hits of one locale index snapshot
    /// are highlighted together, so each term's postings are read once for all of them.
    fn passages(
        &self,
        read: &mut [ReadHit],
        query: &str,
        request: &Request,
    ) -> Result<Vec<Vec<SegmentHit>>, QueryError> {
        let max = if request.segments {
            usize::MAX
        } else {
            self.ranking.passages
        };
        let mut groups: Vec<((&str, u64), Vec<usize>)> = Vec::new();
        for (i, hit) in read.iter().enumerate() {
            let key = (
                hit.c.locale.as_str(),
                hit.c.searcher.generation().generation_id(),
            );
            match groups.iter_mut().find(|(k, _)| *k == key) {
                Some((_, group)) => group.push(i),
                None => groups.push((key, vec![i])),
            }
        }
        let groups: Vec<Vec<usize>> = groups.into_iter().map(|(_, group)| group).collect();
        let mut out = Vec::new();
        out.resize_with(read.len(), Vec::new);
        for group in groups {
            let asked = group.iter().map(|&i| read[i].passages_asked(max)).collect();
            let c = &read[group[0]].c;
            let (target, source) = self.passage_terms(&c.locale, query);
            let index = &self.catalog.locales[&c.locale];
            let found = snippet::best_segments(&c.searcher, index, asked, (&target, &source))
                .map_err(QueryError::engine(&c.locale))?;
            for (i, segments) in group.into_iter().zip(found) {
                out[i] = segments;
            }
        }
        Ok(out)
    }

    /// The terms passages highlight in a locale's index: the query's searched words, exact
    /// and reduced, as each side's analyzer gives them.
    fn passage_terms(&self, locale: &str, query: &str) -> (snippet::SideTerms, snippet::SideTerms) {
        let fields = &self.catalog.locales[locale].fields;
        let terms = |analyzer: &Analyzer, field| {
            let mut terms: Vec<String> =
                analyzer.tokens(query).into_iter().map(|(t, _)| t).collect();
            terms.sort_unstable();
            terms.dedup();
            snippet::SideTerms { field, terms }
        };
        let target = self.analyzers.get(locale).unwrap_or(&self.english);
        (
            terms(target, fields.target),
            terms(&self.english, fields.source),
        )
    }

    /// The hit a candidate makes from its article read and its passages: with `--segments`,
    /// each passage's own score; for an English hit, the locales holding the article.
    fn hit(
        &self,
        ReadHit { c, article, .. }: ReadHit,
        mut segments: Vec<SegmentHit>,
        request: &Request,
        plans: &Plans,
    ) -> Result<Hit, QueryError> {
        if request.segments
            && let Some(plan) = plans.get(&(c.locale.clone(), c.side))
        {
            let index = &self.catalog.locales[&c.locale];
            let stats = self
                .stats
                .provider(self.positions[&c.locale], self.ranking.title_idf_excess);
            let scores = segment_scores(&c, index, Box::new(plan.query.clone()), &stats)?;
            for segment in &mut segments {
                segment.score = scores.get(&segment.ordinal).map(|s| s * c.weight);
            }
        }
        let locales = if c.side == Side::Source && request.langs.is_empty() {
            self.locales_holding(&c.key)
        } else {
            Vec::new()
        };
        Ok(Hit {
            locale: c.locale,
            path: c.path,
            article: c.key,
            title: article.title,
            source_title: article.source_title,
            score: c.score,
            matched: c.matched.name(),
            locales,
            segments,
        })
    }
}

/// A candidate with its article read, and the documents of its best segments when only the
/// passages chosen among them are read.
struct ReadHit {
    c: Candidate,
    article: articles::StoredArticle,
    matched: Option<Vec<DocAddress>>,
}

impl ReadHit {
    /// What this hit asks of its passages; its segments are handed over.
    fn passages_asked(&mut self, max: usize) -> snippet::Passages {
        snippet::Passages {
            choose_by: snippet::ChooseBy {
                target: self.c.side != Side::Source,
                source: self.c.side != Side::Target,
            },
            among: match self.matched.take() {
                Some(best) => snippet::Among::Matched(best),
                None => snippet::Among::All(std::mem::take(&mut self.article.segments)),
            },
            max,
        }
    }
}

/// A candidate's article as its hit shows it: the titles; with passages, the documents of
/// its best matching segments, which the passages are chosen among and only the chosen read;
/// with `--segments`, or when no segment matched, every segment.
fn read_hit(
    c: &Candidate,
    index: &LocaleIndex,
    request: &Request,
) -> tantivy::Result<(articles::StoredArticle, Option<Vec<DocAddress>>)> {
    let titles_only = !request.snippets && !request.segments;
    let titles = |head| match c.table.titles(c.article) {
        Some((title, source_title)) => Ok(articles::StoredArticle {
            key: c.key.clone(),
            title: title.to_owned(),
            source_title: source_title.map(str::to_owned),
            segments: Vec::new(),
        }),
        None => articles::read_titles(&c.searcher, index, head, &c.key),
    };
    match c.table.article_document(c.article) {
        Some(head) if titles_only => return Ok((titles(head)?, None)),
        Some(head) if !request.segments => {
            let best = c.segments.1.addresses(c.segments.0);
            if !best.is_empty() && articles::in_run(head, &best) {
                return Ok((titles(head)?, Some(best)));
            }
        }
        _ => {}
    }
    let article = articles::read_article(&c.searcher, index, &c.path, !titles_only)?;
    Ok((article.unwrap_or_default(), None))
}

/// Segment documents scored per hit with `--segments`: more than any article has.
const MAX_SEGMENT_SCORES: usize = 10_000;

/// The scores of the candidate's segment documents that match its locale's plan query, by
/// ordinal:
/// `--segments` ranks segments by their own BM25, not by their article's.
pub(crate) fn segment_scores(
    c: &Candidate,
    index: &LocaleIndex,
    plan_query: Box<dyn Query>,
    stats: &Provider,
) -> Result<HashMap<u32, Score>, QueryError> {
    let engine = QueryError::engine(&c.locale);
    let in_article = ConstScoreQuery::new(
        Box::new(TermQuery::new(
            Term::from_field_text(index.fields.path, &c.path),
            IndexRecordOption::Basic,
        )),
        0.0,
    );
    let query = BooleanQuery::new(vec![
        (Occur::Must, plan_query),
        (Occur::Must, Box::new(in_article)),
    ]);
    let found = c
        .searcher
        .search_with_statistics_provider(
            &query,
            &TopDocs::with_limit(MAX_SEGMENT_SCORES).order_by_score(),
            stats,
        )
        .map_err(&engine)?;
    let mut scores = HashMap::new();
    for (score, address) in found {
        let ordinal = c
            .searcher
            .segment_reader(address.segment_ord)
            .fast_fields()
            .u64(schema::name::ORDINAL)
            .map_err(&engine)?
            .first(address.doc_id);
        if let Some(ordinal) = ordinal.and_then(|o| u32::try_from(o).ok()) {
            scores.insert(ordinal, score);
        }
    }
    Ok(scores)
}

/// `--segments`: every segment document of the hits that matches the query, best first.
pub(crate) fn concordance(hits: Vec<Hit>, limit: usize) -> Vec<Hit> {
    let mut out: Vec<Hit> = Vec::new();
    for hit in hits {
        for segment in &hit.segments {
            let Some(score) = segment.score.filter(|_| segment.matches > 0) else {
                continue;
            };
            let mut one = hit.clone();
            one.score = score;
            one.segments = vec![segment.clone()];
            out.push(one);
        }
    }
    out.sort_by(|a, b| b.score.total_cmp(&a.score));
    out.truncate(limit);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn corrections_replace_words_and_parts_of_words() {
        let c = pairs(&[("buton", "button"), ("撤会", "撤回"), ("outlok", "outlook")]);
        assert_eq!(
            corrected_query("\"Reset Buton\"", &c).as_deref(),
            Some("\"Reset button\"")
        );
        assert_eq!(
            corrected_query("outlook 邮件撤会", &c).as_deref(),
            Some("outlook 邮件撤回")
        );
        assert_eq!(
            corrected_query("outlok.com", &c).as_deref(),
            Some("outlook.com")
        );
        // Not inside a longer Latin word, and nothing to say when nothing changed.
        assert_eq!(corrected_query("butons", &c), None);
        assert_eq!(corrected_query("reset button", &c), None);
    }

    proptest! {
        /// Any query and corrections, whatever lower casing does to their lengths: no panic.
        #[test]
        fn correcting_anything_never_panics(
            query in "\\PC{0,40}",
            typed in "\\PC{1,6}",
            correction in "\\PC{0,6}",
        ) {
            let c = vec![(typed.to_lowercase(), correction)];
            let _ = corrected_query(&query, &c);
        }
    }
}
