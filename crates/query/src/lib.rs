//! Ranked hits in any language over a [`Catalog`] of per-locale indexes.
//!
//! A query is parsed ([`parse`]), analyzed with each searched locale's own analyzer (and the
//! English one for the source side), run against the locale indexes, merged by score and
//! grouped: one hit per article per locale for target-side matches, one hit per article key
//! (with the locales it exists in) for matches through the English source when no language
//! was given. Each hit carries its best segments, highlighted on both sides.

mod articles;
mod clip;
mod parse;
mod route;
mod snippet;
mod stats;

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Arc;

use locsearch_index::{Catalog, IndexError, LocaleIndex};
use serde::Serialize;
use tantivy::collector::TopDocs;
use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, DisjunctionMaxQuery, Occur, PhraseQuery, Query,
    TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Score, Term};

use articles::{ArticleCollector, ArticleFilter, Combine};

pub use clip::{MAX_ARTICLE_BYTES, MAX_ARTICLE_SEGMENT_BYTES, MAX_PASSAGE_BYTES};
pub use parse::{MAX_QUERY_BYTES, ParsedQuery, parse};
pub use route::Router;
pub use snippet::{Highlight, SegmentHit};

use stats::GlobalStats;

#[derive(Debug, thiserror::Error)]
pub enum QueryError {
    #[error("bad query: {0}")]
    BadQuery(String),
    #[error(
        "unknown locale {locale}: this index has {available}\n  hint: leave out --lang to search every locale"
    )]
    UnknownLocale { locale: String, available: String },
    #[error(transparent)]
    Index(#[from] IndexError),
    #[error("search failed in {locale}: {source}")]
    Engine {
        locale: String,
        source: tantivy::TantivyError,
    },
    /// The request's deadline passed or it was cancelled; its work stopped where it was.
    #[error("the search was stopped: it ran out of time or was cancelled")]
    TimedOut,
}

/// One search.
#[derive(Debug, Clone)]
pub struct Request {
    pub query: String,
    /// Locales to search; empty = any (routed by script).
    pub langs: Vec<String>,
    pub limit: usize,
    /// One hit per matching segment pair (a concordance) instead of one per article.
    pub segments: bool,
    /// Compute the best segments of each hit (snippets); off for scripts that only rank.
    pub snippets: bool,
    /// When to give up: checked before each locale and each hit, so a request that timed
    /// out or whose client left stops its work instead of finishing it for nobody.
    pub stop: Stop,
}

/// A deadline and a flag a caller sets to cancel; the default never stops.
#[derive(Debug, Clone, Default)]
pub struct Stop {
    deadline: Option<std::time::Instant>,
    cancelled: Option<std::sync::Arc<std::sync::atomic::AtomicBool>>,
}

impl Stop {
    pub fn new(
        deadline: std::time::Instant,
        cancelled: std::sync::Arc<std::sync::atomic::AtomicBool>,
    ) -> Stop {
        Stop {
            deadline: Some(deadline),
            cancelled: Some(cancelled),
        }
    }

    pub fn reached(&self) -> bool {
        self.deadline
            .is_some_and(|d| std::time::Instant::now() >= d)
            || self
                .cancelled
                .as_ref()
                .is_some_and(|c| c.load(std::sync::atomic::Ordering::Relaxed))
    }
}

impl Request {
    pub fn new(query: impl Into<String>) -> Self {
        Request {
            query: query.into(),
            langs: Vec::new(),
            limit: 10,
            segments: false,
            snippets: true,
            stop: Stop::default(),
        }
    }

    fn check_deadline(&self) -> Result<(), QueryError> {
        if self.stop.reached() {
            Err(QueryError::TimedOut)
        } else {
            Ok(())
        }
    }
}

/// Queries of this many terms or more count as sentences, two or fewer as keywords.
const SHORT_QUERY_END: f32 = 6.0;

/// Segment documents scored per hit with `--segments`: more than any article has.
const MAX_SEGMENT_SCORES: usize = 10_000;

/// Largest `limit` accepted.
pub const MAX_LIMIT: usize = 1000;
/// Words of a query that are searched; the rest is ignored (pasted text is known by its start).
pub const MAX_QUERY_POSITIONS: usize = 64;

#[derive(Debug, Clone, Serialize)]
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
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub locales: Vec<String>,
    pub segments: Vec<SegmentHit>,
}

/// A whole article, as `GET /articles/{locale}/{path}` shows it.
#[derive(Debug, Clone, Serialize)]
pub struct ArticleView {
    pub locale: String,
    pub path: String,
    pub article: String,
    pub title: String,
    pub source_title: Option<String>,
    pub segments: Vec<ArticleSegment>,
    /// Present (true) when segments past [`MAX_ARTICLE_BYTES`] of text were left out.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub truncated: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct ArticleSegment {
    pub ordinal: u32,
    pub kind: String,
    /// The headings above the segment (target text), outermost first.
    pub heading_path: Vec<String>,
    pub target: String,
    pub source: Option<String>,
    /// Present (true) when a side was cut to [`MAX_ARTICLE_SEGMENT_BYTES`].
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub truncated: bool,
}

impl ArticleView {
    /// Segments as stored, each side cut to [`MAX_ARTICLE_SEGMENT_BYTES`], until
    /// [`MAX_ARTICLE_BYTES`] of text have been given.
    fn segments(
        stored: Vec<locsearch_index::schema::StoredSegment>,
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
                heading_path: s.heading_path.unwrap_or_default(),
                target: s.target,
                source: s.source,
                truncated,
            });
        }
        (segments, false)
    }
}

/// Ranking knobs, chosen on the dev queries (BENCHMARKS.md, "Query quality").
#[derive(Debug, Clone, Copy)]
pub struct Ranking {
    /// Weight of the title field against the body.
    pub title_boost: f32,
    /// Disjunction-max tie breaker: how much the non-best fields of a document add, and how
    /// much the lesser of an article's title score and body score adds.
    pub tie: f32,
    /// Weight of the query's words found in order (a pasted sentence) in the body.
    pub phrase_boost: f32,
    /// A hit's score is multiplied by coverage^power, where coverage is the share of the
    /// query's terms the searched side's vocabulary knows: it tells which language a query
    /// is in without a language detector.
    pub coverage_power: f32,
    /// Weight of a title holding every term of a short query.
    pub all_in_title: f32,
    /// Weight of a body holding every term of the query.
    pub all_in_body: f32,
    /// With no language given, locales whose coverage is under this share of the best
    /// locale's are not searched.
    pub min_relative_coverage: f32,
    /// An article's body score is its best segment's, plus this share of its second best,
    /// this share squared of its third.
    pub segment_decay: f32,
}

impl Default for Ranking {
    fn default() -> Self {
        Ranking {
            title_boost: 2.0,
            tie: 0.3,
            phrase_boost: 3.0,
            coverage_power: 3.0,
            all_in_title: 2.0,
            all_in_body: 1.0,
            min_relative_coverage: 0.7,
            segment_decay: 0.1,
        }
    }
}

pub struct Searcher {
    catalog: Catalog,
    analyzers: HashMap<String, TextAnalyzer>,
    english: TextAnalyzer,
    /// Locales whose source side is searched (the manifest's cover, in order): each answers
    /// for the keys no earlier one holds.
    source_cover: Vec<String>,
    /// BM25 statistics across the locale indexes, so their scores compare.
    stats: GlobalStats,
    /// The scripts of the catalog's locales, for queries with no language.
    router: Router,
    /// Locale → its position in catalog order (how [`GlobalStats`] knows it).
    positions: HashMap<String, usize>,
    /// Per locale, each document's article ([`articles::ArticleTable`]), read on the locale's
    /// first search: the catalog is a snapshot, so they never change under it.
    article_tables: std::sync::Mutex<HashMap<String, Arc<articles::ArticleTable>>>,
    pub ranking: Ranking,
}

impl Searcher {
    pub fn open(dir: &Path) -> Result<Searcher, QueryError> {
        Ok(Searcher::new(Catalog::open(dir)?))
    }

    pub fn new(catalog: Catalog) -> Searcher {
        let mut analyzers = HashMap::new();
        for (locale, index) in &catalog.locales {
            if let Some(a) = locsearch_analysis::analyzer(index.analyzer) {
                analyzers.insert(locale.clone(), a);
            }
        }
        let english = locsearch_analysis::analyzer(locsearch_analysis::english().name)
            .expect("english analyzer");
        let source_cover = catalog
            .manifest
            .source_cover
            .iter()
            .filter(|l| catalog.locales.contains_key(*l))
            .cloned()
            .collect();
        let stats = GlobalStats::new(&catalog);
        let router = Router::new(catalog.locales.keys().map(String::as_str));
        let positions = catalog
            .locales
            .keys()
            .enumerate()
            .map(|(i, l)| (l.clone(), i))
            .collect();
        Searcher {
            catalog,
            analyzers,
            english,
            source_cover,
            stats,
            router,
            positions,
            article_tables: std::sync::Mutex::new(HashMap::new()),
            ranking: Ranking::default(),
        }
    }

    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

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
            let read =
                articles::read_article(&searcher, index, candidate, true).map_err(|source| {
                    QueryError::Engine {
                        locale: locale.clone(),
                        source,
                    }
                })?;
            if let Some(stored) = read {
                let (segments, truncated) = ArticleView::segments(stored.segments);
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

    pub fn search(&self, request: &Request) -> Result<Vec<Hit>, QueryError> {
        if request.limit == 0 || request.limit > MAX_LIMIT {
            return Err(QueryError::BadQuery(format!(
                "limit must be between 1 and {MAX_LIMIT}"
            )));
        }
        request.check_deadline()?;
        let parsed = parse(&request.query)?;
        let mut langs = request.langs.clone();
        langs.extend(parsed.langs.iter().cloned());
        let mut candidates = Vec::new();
        // Over-fetch when results are filtered or grouped afterwards.
        let fetch = if parsed.paths.is_empty() {
            request.limit
        } else {
            request.limit * 10
        };
        if langs.is_empty() {
            let (locales, with_source) = self.router.route(&parsed.text);
            // Prepare every candidate side first: a locale whose vocabulary knows much less of
            // the query than the best one cannot rank (its scores are weighed by coverage³),
            // so it is not searched at all.
            let mut prepared = Vec::new();
            for locale in &locales {
                if let Some(built) =
                    self.build_query(&self.catalog.locales[*locale], &parsed, Side::Target)
                {
                    prepared.push((locale.to_string(), Side::Target, built));
                }
            }
            if with_source {
                for locale in &self.source_cover {
                    if let Some(built) =
                        self.build_query(&self.catalog.locales[locale], &parsed, Side::Source)
                    {
                        prepared.push((locale.clone(), Side::Source, built));
                    }
                }
            }
            let best = prepared.iter().map(|p| p.2.coverage).fold(0.0f32, f32::max);
            let floor = best * self.ranking.min_relative_coverage;
            let mut by_key: BTreeMap<String, Candidate> = BTreeMap::new();
            for (locale, side, built) in prepared {
                if built.coverage == 0.0 || built.coverage < floor {
                    continue;
                }
                request.check_deadline()?;
                let found = self.execute(&locale, &built, side, fetch)?;
                if side == Side::Target {
                    candidates.extend(found);
                    continue;
                }
                // The English source is the same in every locale: each locale of the cover
                // answers for the keys no earlier one holds, and the best hit per key is kept.
                let earlier = &self.source_cover[..self
                    .source_cover
                    .iter()
                    .position(|l| *l == locale)
                    .expect("cover locale")];
                for c in found {
                    if earlier.iter().any(|l| self.holds_key(l, &c.key)) {
                        continue;
                    }
                    match by_key.get(&c.key) {
                        Some(best) if best.score >= c.score => {}
                        _ => {
                            by_key.insert(c.key.clone(), c);
                        }
                    }
                }
            }
            candidates.extend(by_key.into_values());
        } else {
            for lang in &langs {
                request.check_deadline()?;
                let locale = self.locale(lang)?;
                candidates.extend(self.run(&locale, &parsed, Side::Both, fetch)?);
            }
        }
        candidates.retain(|c| {
            parsed.paths.is_empty()
                || parsed
                    .paths
                    .iter()
                    .any(|p| path_matches(&c.path, &c.locale, p))
        });
        candidates.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then_with(|| a.path.cmp(&b.path))
        });
        dedupe(&mut candidates);
        candidates.truncate(request.limit);
        let hits = candidates
            .into_iter()
            .map(|c| {
                request.check_deadline()?;
                self.hit(c, &parsed, request)
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(if request.segments {
            concordance(hits, request.limit)
        } else {
            hits
        })
    }

    /// The catalog's locale for a requested one (`sl-si` → `sl-SI`).
    fn locale(&self, lang: &str) -> Result<String, QueryError> {
        let canonical =
            locsearch_ingest::locale::canonicalize(lang).unwrap_or_else(|| lang.to_owned());
        if self.catalog.locales.contains_key(&canonical) {
            return Ok(canonical);
        }
        Err(QueryError::UnknownLocale {
            locale: lang.to_owned(),
            available: self
                .catalog
                .locales
                .keys()
                .cloned()
                .collect::<Vec<_>>()
                .join(", "),
        })
    }

    fn run(
        &self,
        locale: &str,
        parsed: &ParsedQuery,
        side: Side,
        limit: usize,
    ) -> Result<Vec<Candidate>, QueryError> {
        let index = &self.catalog.locales[locale];
        let Some(built) = self.build_query(index, parsed, side) else {
            return Ok(Vec::new());
        };
        if built.coverage == 0.0 {
            return Ok(Vec::new());
        }
        self.execute(locale, &built, side, limit)
    }

    fn execute(
        &self,
        locale: &str,
        built: &BuiltQuery,
        side: Side,
        limit: usize,
    ) -> Result<Vec<Candidate>, QueryError> {
        let weight = built.coverage.powf(self.ranking.coverage_power);
        let matched = match side {
            Side::Source => Matched::Source,
            Side::Both if built.source_led => Matched::Source,
            _ => Matched::Target,
        };
        let index = &self.catalog.locales[locale];
        let searcher = index.reader.searcher();
        let engine = |source| QueryError::Engine {
            locale: locale.to_owned(),
            source,
        };
        let table = self.article_table(locale, &searcher).map_err(engine)?;
        let mut filter = ArticleFilter::default();
        for required in &built.required {
            filter.required.push(
                articles::matching_articles(&searcher, &table, required.as_ref())
                    .map_err(engine)?,
            );
        }
        if let Some(excluded) = &built.excluded {
            filter.excluded = articles::matching_articles(&searcher, &table, excluded.as_ref())
                .map_err(engine)?;
        }
        let collector = ArticleCollector {
            table: &table,
            limit,
            combine: Combine {
                decay: self.ranking.segment_decay,
                tie: self.ranking.tie,
            },
            filter: &filter,
        };
        let top = searcher
            .search_with_statistics_provider(
                built.query.as_ref(),
                &collector,
                &self.stats.provider(self.positions[locale]),
            )
            .map_err(engine)?;
        let mut out = Vec::with_capacity(top.len());
        // Path and key come from fast columns: stored documents are read for the final hits
        // only.
        let mut paths_and_keys = articles::PathsAndKeys::new(&searcher);
        for article in top {
            let (path, key) = paths_and_keys.get(&table, &article).map_err(engine)?;
            out.push(Candidate {
                score: article.score * weight,
                weight,
                locale: locale.to_owned(),
                path,
                key,
                side,
                matched,
                searcher: searcher.clone(),
            });
        }
        Ok(out)
    }

    fn terms(&self, analyzer: &TextAnalyzer, text: &str) -> Vec<String> {
        distinct_terms(&self.tokens(analyzer, text))
    }

    /// One token per position: the reduced form, which the analyzers emit after the exact one.
    fn reduced_tokens(&self, analyzer: &TextAnalyzer, text: &str) -> Vec<(String, usize)> {
        per_position(self.tokens(analyzer, text))
    }

    /// Analyzed tokens with their positions.
    /// The query's tokens, up to [`MAX_QUERY_POSITIONS`] words: the cost of a search grows
    /// with its words (every one is a term and a phrase position), so a query of thousands
    /// of one-letter words costs what its first words cost, not minutes.
    fn tokens(&self, analyzer: &TextAnalyzer, text: &str) -> Vec<(String, usize)> {
        let mut analyzer = analyzer.clone();
        locsearch_analysis::analyze(&mut analyzer, text)
            .into_iter()
            .take_while(|t| t.position < MAX_QUERY_POSITIONS)
            .map(|t| (t.text, t.position))
            .collect()
    }

    /// The query as one tantivy query over the side's fields, and the share of its terms
    /// that the side's vocabulary knows (best side, for `Both`).
    fn build_query(
        &self,
        index: &LocaleIndex,
        parsed: &ParsedQuery,
        side: Side,
    ) -> Option<BuiltQuery> {
        let f = &index.fields;
        let target_analyzer = self.analyzers.get(&index.locale)?;
        let mut fields: Vec<(Field, Field, &TextAnalyzer)> = Vec::new();
        if matches!(side, Side::Target | Side::Both) {
            fields.push((f.target, f.title, target_analyzer));
        }
        if matches!(side, Side::Source | Side::Both) {
            fields.push((f.source, f.source_title, &self.english));
        }
        let mut disjuncts: Vec<Box<dyn Query>> = Vec::new();
        let mut boosters: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        // Per side searched, in `fields` order: target first.
        let mut coverages: Vec<f32> = Vec::new();
        let searcher = index.reader.searcher();
        for (body, title, analyzer) in &fields {
            // The query is analyzed once per side: every term for matching, and one token per
            // position (the reduced form, emitted last) for coverage and word order — exact
            // forms are a bonus, not a requirement.
            let tokens = self.tokens(analyzer, &parsed.text);
            let terms = distinct_terms(&tokens);
            if terms.is_empty() {
                coverages.push(0.0);
                continue;
            }
            let per_position = per_position(tokens);
            let reduced: Vec<&String> = {
                let mut seen = std::collections::HashSet::new();
                per_position
                    .iter()
                    .map(|(t, _)| t)
                    .filter(|t| seen.insert(*t))
                    .collect()
            };
            let known = reduced
                .iter()
                .filter(|t| {
                    [*body, *title].iter().any(|f| {
                        searcher
                            .doc_freq(&Term::from_field_text(*f, t))
                            .unwrap_or(0)
                            > 0
                    })
                })
                .count();
            coverages.push(known as f32 / reduced.len().max(1) as f32);
            // Short queries look like titles and keywords, long ones like pasted sentences:
            // the title weighs most for the first, word order for the second.
            let shortness = ((SHORT_QUERY_END - reduced.len() as f32) / (SHORT_QUERY_END - 2.0))
                .clamp(0.0, 1.0);
            let title_weight = 1.0 + (self.ranking.title_boost - 1.0) * shortness;
            let phrase_weight = self.ranking.phrase_boost * (1.0 - shortness);
            disjuncts.push(terms_query(*body, &terms, 1.0));
            disjuncts.push(terms_query(*title, &terms, title_weight));
            // Every word of the query somewhere in the body: the coordination BM25 lacks; and,
            // for short queries, every word in the title.
            let all_in_title_weight = self.ranking.all_in_title * shortness;
            for (field, weight) in [
                (*body, self.ranking.all_in_body),
                (*title, all_in_title_weight),
            ] {
                if weight > 0.0 && reduced.len() >= 2 {
                    boosters.push((Occur::Should, all_terms_query(field, &reduced, weight)));
                }
            }
            let cjk = is_cjk(analyzer_name(index, analyzer, &self.english));
            let tokens = per_position;
            if phrase_weight > 0.0 && !cjk && tokens.len() >= 2 {
                let first = tokens[0].1;
                let with_offsets: Vec<(usize, Term)> = tokens
                    .iter()
                    .map(|(t, p)| (p - first, Term::from_field_text(*body, t)))
                    .collect();
                let phrase = PhraseQuery::new_with_offset_and_slop(with_offsets, 2);
                boosters.push((
                    Occur::Should,
                    Box::new(BoostQuery::new(Box::new(phrase), phrase_weight)),
                ));
            }
        }
        if disjuncts.is_empty() {
            return None;
        }
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(
            Occur::Must,
            Box::new(DisjunctionMaxQuery::with_tie_breaker(
                disjuncts,
                self.ranking.tie,
            )),
        )];
        clauses.extend(boosters);
        // Phrases and exclusions are about articles: an article qualifies when one of its
        // segments holds the phrase, and is out when any of its documents holds an excluded
        // word. Its matching segments also score the phrase.
        let mut required: Vec<Box<dyn Query>> = Vec::new();
        let mut excluded: Vec<Box<dyn Query>> = Vec::new();
        for phrase in &parsed.phrases {
            let mut options: Vec<Box<dyn Query>> = Vec::new();
            for (body, _, analyzer) in &fields {
                let tokens = self.reduced_tokens(analyzer, phrase);
                if let Some(q) = phrase_query(
                    *body,
                    &tokens,
                    is_cjk(analyzer_name(index, analyzer, &self.english)),
                ) {
                    options.push(q);
                }
            }
            if !options.is_empty() {
                let any: Box<dyn Query> = Box::new(BooleanQuery::union(options));
                clauses.push((Occur::Should, any.box_clone()));
                required.push(any);
            }
        }
        for word in &parsed.excluded {
            for (body, title, analyzer) in &fields {
                for term in self.terms(analyzer, word) {
                    for field in [*body, *title] {
                        let t = Term::from_field_text(field, &term);
                        excluded.push(Box::new(TermQuery::new(t, IndexRecordOption::Basic)));
                    }
                }
            }
        }
        Some(BuiltQuery {
            query: Box::new(BooleanQuery::new(clauses)),
            required,
            excluded: (!excluded.is_empty())
                .then(|| Box::new(BooleanQuery::union(excluded)) as Box<dyn Query>),
            coverage: coverages.iter().copied().fold(0.0, f32::max),
            source_led: side == Side::Both && coverages.len() == 2 && coverages[1] > coverages[0],
        })
    }

    fn article_table(
        &self,
        locale: &str,
        searcher: &tantivy::Searcher,
    ) -> tantivy::Result<Arc<articles::ArticleTable>> {
        if let Some(known) = self.article_tables.lock().expect("lock").get(locale) {
            return Ok(known.clone());
        }
        // Read outside the lock: two threads may both read a locale once, never wrongly.
        let read = Arc::new(articles::ArticleTable::read(searcher)?);
        self.article_tables
            .lock()
            .expect("lock")
            .insert(locale.to_owned(), read.clone());
        Ok(read)
    }

    /// The scores of the hit's segment documents that match its locale's query, by ordinal:
    /// `--segments` ranks segments by their own BM25, not by their article's. The locale's
    /// query is built again for this (a few term lookups per hit, in this mode only) rather
    /// than carried from the search through every candidate.
    fn segment_scores(
        &self,
        c: &Candidate,
        parsed: &ParsedQuery,
    ) -> Result<HashMap<u32, Score>, QueryError> {
        let index = &self.catalog.locales[&c.locale];
        let Some(built) = self.build_query(index, parsed, c.side) else {
            return Ok(HashMap::new());
        };
        let engine = |source| QueryError::Engine {
            locale: c.locale.clone(),
            source,
        };
        let in_article = ConstScoreQuery::new(
            Box::new(TermQuery::new(
                Term::from_field_text(index.fields.path, &c.path),
                IndexRecordOption::Basic,
            )),
            0.0,
        );
        let query = BooleanQuery::new(vec![
            (Occur::Must, built.query),
            (Occur::Must, Box::new(in_article)),
        ]);
        let found = c
            .searcher
            .search_with_statistics_provider(
                &query,
                &TopDocs::with_limit(MAX_SEGMENT_SCORES).order_by_score(),
                &self.stats.provider(self.positions[&c.locale]),
            )
            .map_err(engine)?;
        let mut scores = HashMap::new();
        for (score, address) in found {
            let ordinal = c
                .searcher
                .segment_reader(address.segment_ord)
                .fast_fields()
                .u64("ordinal")
                .map_err(engine)?
                .first(address.doc_id);
            if let Some(ordinal) = ordinal.and_then(|o| u32::try_from(o).ok()) {
                scores.insert(ordinal, score);
            }
        }
        Ok(scores)
    }

    /// Whether `locale` has a live article with this key: a term lookup, plus a look at the
    /// postings only in segments with deleted documents.
    fn holds_key(&self, locale: &str, key: &str) -> bool {
        let index = &self.catalog.locales[locale];
        let term = Term::from_field_text(index.fields.key, key);
        let searcher = index.reader.searcher();
        searcher.segment_readers().iter().any(|segment| {
            let Ok(inverted) = segment.inverted_index(index.fields.key) else {
                return false;
            };
            if !segment.has_deletes() {
                return matches!(inverted.get_term_info(&term), Ok(Some(_)));
            }
            let Ok(Some(mut postings)) = inverted.read_postings(&term, IndexRecordOption::Basic)
            else {
                return false;
            };
            use tantivy::DocSet;
            let alive = segment.alive_bitset();
            let mut doc = postings.doc();
            while doc != tantivy::TERMINATED {
                if alive.is_none_or(|a| a.is_alive(doc)) {
                    return true;
                }
                doc = postings.advance();
            }
            false
        })
    }

    fn hit(
        &self,
        c: Candidate,
        parsed: &ParsedQuery,
        request: &Request,
    ) -> Result<Hit, QueryError> {
        let index = &self.catalog.locales[&c.locale];
        let want_segments = request.snippets || request.segments;
        let stored = articles::read_article(&c.searcher, index, &c.path, want_segments)
            .map_err(|source| QueryError::Engine {
                locale: c.locale.clone(),
                source,
            })?
            .unwrap_or_default();
        let mut segments = if want_segments {
            let target = self
                .analyzers
                .get(&c.locale)
                .cloned()
                .unwrap_or_else(|| self.english.clone());
            snippet::best_segments(
                stored.segments,
                &parsed.text,
                target,
                self.english.clone(),
                snippet::ChooseBy {
                    target: c.side != Side::Source,
                    source: c.side != Side::Target,
                },
                if request.segments { usize::MAX } else { 3 },
            )
        } else {
            Vec::new()
        };
        if request.segments {
            let scores = self.segment_scores(&c, parsed)?;
            for segment in &mut segments {
                segment.score = scores.get(&segment.ordinal).map(|s| s * c.weight);
            }
        }
        let locales = if c.side == Side::Source && request.langs.is_empty() {
            self.catalog
                .locales
                .keys()
                .filter(|l| self.holds_key(l, &c.key))
                .cloned()
                .collect()
        } else {
            Vec::new()
        };
        Ok(Hit {
            locale: c.locale,
            path: c.path,
            article: c.key,
            title: stored.title,
            source_title: stored.source_title,
            score: c.score,
            matched: match c.matched {
                Matched::Source => "source",
                Matched::Target => "target",
            },
            locales,
            segments,
        })
    }
}

/// A locale's query, ready to run.
struct BuiltQuery {
    /// Scores documents; their scores make their articles' ([`articles`]).
    query: Box<dyn Query>,
    /// Each must match some document of an article (quoted phrases).
    required: Vec<Box<dyn Query>>,
    /// No document of an article may match it (excluded words).
    excluded: Option<Box<dyn Query>>,
    /// Share of the query's terms the searched side's vocabulary knows (the best side's).
    coverage: f32,
    /// Searching both sides, the English one knows more of the query: hits are reported as
    /// matched through the source.
    source_led: bool,
}

/// Which text a hit was found through, as reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Matched {
    Target,
    Source,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Target,
    Source,
    Both,
}

#[derive(Debug, Clone)]
struct Candidate {
    score: Score,
    /// The locale's coverage weight, which multiplied the article's score.
    weight: f32,
    locale: String,
    path: String,
    key: String,
    side: Side,
    matched: Matched,
    /// The searcher that found it: the article is read from the same index generation.
    searcher: tantivy::Searcher,
}

/// One hit per article per locale (target side) and per key (source side).
fn dedupe(candidates: &mut Vec<Candidate>) {
    let mut seen = std::collections::HashSet::new();
    candidates.retain(|c| {
        let id = if c.side == Side::Source {
            format!("key:{}", c.key)
        } else {
            format!("{}:{}", c.locale, c.path)
        };
        seen.insert(id)
    });
}

fn distinct_terms(tokens: &[(String, usize)]) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    tokens
        .iter()
        .map(|(t, _)| t)
        .filter(|t| seen.insert(*t))
        .cloned()
        .collect()
}

fn per_position(tokens: Vec<(String, usize)>) -> Vec<(String, usize)> {
    let mut out: Vec<(String, usize)> = Vec::new();
    for (t, p) in tokens {
        match out.last_mut() {
            Some(last) if last.1 == p => *last = (t, p),
            _ => out.push((t, p)),
        }
    }
    out
}

/// Documents holding every one of `terms` in `field`, boosted.
fn all_terms_query(field: Field, terms: &[&String], boost: f32) -> Box<dyn Query> {
    let all: Vec<Box<dyn Query>> = terms
        .iter()
        .map(|t| {
            Box::new(TermQuery::new(
                Term::from_field_text(field, t),
                IndexRecordOption::WithFreqs,
            )) as Box<dyn Query>
        })
        .collect();
    Box::new(BoostQuery::new(
        Box::new(BooleanQuery::intersection(all)),
        boost,
    ))
}

fn terms_query(field: Field, terms: &[String], boost: f32) -> Box<dyn Query> {
    let clauses: Vec<(Occur, Box<dyn Query>)> = terms
        .iter()
        .map(|t| {
            let q: Box<dyn Query> = Box::new(TermQuery::new(
                Term::from_field_text(field, t),
                IndexRecordOption::WithFreqs,
            ));
            (Occur::Should, q)
        })
        .collect();
    let q: Box<dyn Query> = Box::new(BooleanQuery::new(clauses));
    if (boost - 1.0).abs() < f32::EPSILON {
        q
    } else {
        Box::new(BoostQuery::new(q, boost))
    }
}

/// Words in order; CJK analyzers emit overlapping sub-words, so there a phrase means all
/// its words, in any order (tantivy would otherwise demand adjacency).
fn phrase_query(field: Field, tokens: &[(String, usize)], cjk: bool) -> Option<Box<dyn Query>> {
    let term = |t: &str| Term::from_field_text(field, t);
    match tokens {
        [] => None,
        [(one, _)] => Some(Box::new(TermQuery::new(
            term(one),
            IndexRecordOption::WithFreqs,
        ))),
        _ if cjk => Some(Box::new(BooleanQuery::intersection(
            tokens
                .iter()
                .map(|(t, _)| {
                    Box::new(TermQuery::new(term(t), IndexRecordOption::Basic)) as Box<dyn Query>
                })
                .collect(),
        ))),
        _ => {
            let first = tokens[0].1;
            Some(Box::new(PhraseQuery::new_with_offset(
                tokens.iter().map(|(t, p)| (p - first, term(t))).collect(),
            )))
        }
    }
}

fn analyzer_name<'a>(
    index: &'a LocaleIndex,
    analyzer: &TextAnalyzer,
    english: &TextAnalyzer,
) -> &'a str {
    if std::ptr::eq(analyzer, english) {
        "english"
    } else {
        index.analyzer
    }
}

fn is_cjk(analyzer: &str) -> bool {
    matches!(
        analyzer,
        "chinese_simplified" | "chinese_traditional" | "japanese" | "korean" | "thai"
    )
}

/// `path:` matches the corpus-relative path or the path below the locale folder.
fn path_matches(path: &str, locale: &str, prefix: &str) -> bool {
    path.starts_with(prefix)
        || path
            .strip_prefix(locale)
            .and_then(|p| p.strip_prefix('/'))
            .is_some_and(|p| p.starts_with(prefix))
}

/// `--segments`: every segment document of the hits that matches the query, best first.
fn concordance(hits: Vec<Hit>, limit: usize) -> Vec<Hit> {
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
