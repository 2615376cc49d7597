//! Running a [`Plan`] on one locale index: its articles, scored and filtered, as candidates.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use locsearch_index::LocaleIndex;

use crate::articles::{self, ArticleTable, SharedNames};
use crate::candidate::{Candidate, Matched};
use crate::collect::{ArticleCollector, ArticleFilter};
use crate::error::QueryError;
use crate::plan::{Plan, Side};
use crate::ranking::Ranking;
use crate::shortlist;
use crate::stats::Provider;

/// Per locale, each document's article ([`ArticleTable`]), read on the locale's first search:
/// a catalog is a snapshot, so they never change under it. The locales' tables share their
/// article keys.
#[derive(Default)]
pub(crate) struct ArticleTables {
    tables: Mutex<HashMap<String, Arc<ArticleTable>>>,
    names: SharedNames,
}

impl ArticleTables {
    fn get(
        &self,
        locale: &str,
        searcher: &tantivy::Searcher,
    ) -> tantivy::Result<Arc<ArticleTable>> {
        if let Some(known) = crate::held(&self.tables).get(locale) {
            return Ok(known.clone());
        }
        // Read outside the lock: two threads may both read a locale once, never wrongly.
        let read = Arc::new(ArticleTable::read(searcher, &self.names)?);
        crate::held(&self.tables).insert(locale.to_owned(), read.clone());
        Ok(read)
    }
}

/// One locale index, as a search sees it.
pub(crate) struct Locale<'a> {
    pub name: &'a str,
    pub index: &'a LocaleIndex,
    pub stats: Provider<'a>,
    pub tables: &'a ArticleTables,
    /// Article key → the language of its source side, when not English (the manifest's).
    pub source_languages: &'a std::collections::BTreeMap<String, String>,
}

impl Locale<'_> {
    /// The best `limit` articles for the plan, their scores weighed by its coverage; none
    /// that scores under `floor` (others already found beat it).
    pub fn execute(
        &self,
        plan: &Plan,
        side: Side,
        limit: usize,
        ranking: &Ranking,
        floor: f32,
    ) -> Result<Vec<Candidate>, QueryError> {
        let engine = QueryError::engine(self.name);
        let searcher = self.index.reader.searcher();
        let table = self.tables.get(self.name, &searcher).map_err(&engine)?;
        let filter = self.filter(&searcher, &table, plan).map_err(&engine)?;
        let size = ranking.shortlist.max(limit);
        let articles = shortlist::shortlist(
            &searcher,
            &table,
            &plan.articles,
            &self.stats,
            &filter,
            (size, ranking.decisive_share(plan.pasted), limit),
        )
        .map_err(&engine)?;
        let collector = ArticleCollector {
            table: &table,
            limit,
            ranking,
            filter: &filter,
            shortlist: Some(&articles),
        };
        let top = shortlist::search_articles(
            &searcher,
            &table,
            &articles.articles,
            &plan.query,
            &self.stats,
            &collector,
        )
        .map_err(&engine)?;
        let weight = ranking.coverage_weight(plan.coverage);
        let matched = match side {
            Side::Source => Matched::Source,
            Side::Both if plan.source_led => Matched::Source,
            _ => Matched::Target,
        };
        // Path and key come from fast columns: stored documents are read for the final hits
        // only.
        let mut paths_and_keys = articles::PathsAndKeys::new(&searcher);
        let mut out = Vec::with_capacity(top.len());
        let language = locsearch_ingest::language::locale_language(self.name);
        // Best first: once one is under the floor, so are the rest; their paths and keys are
        // never read.
        for article in top.into_iter().take_while(|a| a.score * weight >= floor) {
            let (path, key) = paths_and_keys.get(&table, &article).map_err(&engine)?;
            // An article written in another language than English: its copy in a third
            // language's locale, and its "English" side anywhere, which is that language.
            let foreign_copy = self
                .source_languages
                .get(&key)
                .is_some_and(|l| matched == Matched::Source || l != language);
            let copy_weight = if foreign_copy {
                ranking.foreign_copy_weight
            } else {
                1.0
            };
            let include_weight = if locsearch_ingest::locale::is_include(&path) {
                ranking.include_weight
            } else {
                1.0
            };
            out.push(Candidate {
                score: article.score * weight * copy_weight * include_weight,
                weight,
                title_share: articles.title_share(article.id),
                locale: self.name.to_owned(),
                path,
                key,
                side,
                matched,
                searcher: searcher.clone(),
                table: table.clone(),
                article: article.id,
                segments: (article.segment, article.best_segments),
            });
        }
        Ok(out)
    }

    /// Reads the locale's article table now rather than on its first search.
    pub fn warm(&self) -> Result<(), QueryError> {
        let searcher = self.index.reader.searcher();
        let engine = QueryError::engine(self.name);
        self.tables.get(self.name, &searcher).map_err(&engine)?;
        Ok(())
    }

    /// The plan's article-level conditions: required phrases, excluded words.
    fn filter(
        &self,
        searcher: &tantivy::Searcher,
        table: &ArticleTable,
        plan: &Plan,
    ) -> tantivy::Result<ArticleFilter> {
        let mut filter = ArticleFilter::default();
        for required in &plan.required {
            filter.required.push(articles::matching_articles(
                searcher,
                table,
                required.as_ref(),
            )?);
        }
        if let Some(excluded) = &plan.excluded {
            filter.excluded = articles::matching_articles(searcher, table, excluded.as_ref())?;
        }
        Ok(filter)
    }
}
