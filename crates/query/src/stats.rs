//! BM25 statistics shared by every locale index, so scores from different indexes compare.
//!
//! tantivy scores with the statistics of the index searched. Ours are per locale, so the same
//! English words score differently in the `de-DE` index and the `fr-FR` one, and merging their
//! result lists would compare unlike numbers. Here each term's statistics come from its **term
//! space**: indexes whose field is analyzed the same way — the locales sharing an analyzer
//! (`pt-BR` and `pt-PT`) for the target fields, and for the English source fields the
//! manifest's source cover, the few locales that together hold every article: every locale's
//! English is a copy of theirs, so they give its statistics at a few term lookups per English
//! term rather than one per locale.
//!
//! Each field is also counted over its own kind of document: the title and article text fields
//! over article documents, the body fields over segment documents (`locsearch_index::schema`).
//!
//! tantivy asks for one document count per search, not one per field, so every space reports
//! the whole collection's document count (`N`), and a field's document frequencies and token
//! totals in a space are scaled by `N / N(space, kind)`: its idf ratios and average field
//! lengths are exactly its own, expressed on the common scale.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::Mutex;

use locsearch_index::{Catalog, schema};
use rustc_hash::{FxBuildHasher, FxHashMap};
use tantivy::query::Bm25StatisticsProvider;
use tantivy::schema::Field;
use tantivy::{Searcher as TantivySearcher, Term};

/// Entries kept before the term cache starts over: bounds memory under endless new queries.
/// Ten times as many held 20 MB more in a batch of the dev queries and answered no faster
/// (BENCHMARKS.md, "Memory").
const CACHE_LIMIT: usize = 50_000;

/// A set of indexes analyzing a field the same way, by its position in [`GlobalStats::spaces`].
type SpaceId = usize;

/// The term spaces of a catalog and a cache of their statistics. Built once per catalog
/// snapshot: the numbers never change under it.
pub(crate) struct GlobalStats {
    /// Every locale's searcher, in catalog order.
    searchers: Vec<TantivySearcher>,
    /// Each space: the positions (catalog order) of its indexes. Space 0 is the English
    /// source fields': the source cover's indexes.
    spaces: Vec<Vec<usize>>,
    /// Per locale (catalog order): the space of its target fields.
    target_space: Vec<SpaceId>,
    /// The fields analyzed with English in every index: their space is 0.
    source_fields: Vec<Field>,
    /// The fields of article documents; every other text field is a segment document's.
    article_fields: Vec<Field>,
    /// Documents in each index (deleted ones included, as tantivy's own statistics do).
    docs: Vec<u64>,
    /// Article documents in each index (deleted ones included).
    articles: Vec<u64>,
    /// Each title field with the article text field of its side, analyzed alike.
    title_texts: Vec<(Field, Field)>,
    tokens: Mutex<FxHashMap<(SpaceId, Field), u64>>,
    /// Terms' document frequencies per space: looked up by a borrowed term ([`TermIn`]),
    /// without building a key.
    doc_freq: Mutex<hashbrown::HashMap<(SpaceId, Term), u64, FxBuildHasher>>,
}

/// A term of a space, borrowed: a key of [`GlobalStats::doc_freq`] to look up, hashed as
/// the owned key is.
struct TermIn<'a>(SpaceId, &'a Term);

impl Hash for TermIn<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        (self.0, self.1).hash(state);
    }
}

impl hashbrown::Equivalent<(SpaceId, Term)> for TermIn<'_> {
    fn equivalent(&self, key: &(SpaceId, Term)) -> bool {
        self.0 == key.0 && *self.1 == key.1
    }
}

impl GlobalStats {
    pub(crate) fn new(catalog: &Catalog) -> GlobalStats {
        let locales: Vec<_> = catalog.locales.values().collect();
        let searchers: Vec<TantivySearcher> = locales.iter().map(|l| l.reader.searcher()).collect();
        let position = |locale: &String| catalog.locales.keys().position(|l| l == locale);
        let cover: Vec<usize> = catalog
            .manifest
            .source_cover
            .iter()
            .filter_map(position)
            .collect();
        let english = if cover.is_empty() {
            (0..locales.len()).collect()
        } else {
            cover
        };
        let mut spaces: Vec<Vec<usize>> = vec![english];
        let mut by_analyzer: HashMap<&str, SpaceId> = HashMap::new();
        let mut target_space = Vec::with_capacity(locales.len());
        for (position, locale) in locales.iter().enumerate() {
            let id = *by_analyzer.entry(locale.analyzer).or_insert_with(|| {
                spaces.push(Vec::new());
                spaces.len() - 1
            });
            spaces[id].push(position);
            target_space.push(id);
        }
        let (source_fields, article_fields, title_texts) = locales
            .first()
            .map(|l| {
                let f = &l.fields;
                (
                    vec![f.source_title, f.source, f.article_source],
                    vec![f.title, f.source_title, f.article_target, f.article_source],
                    vec![
                        (f.title, f.article_target),
                        (f.source_title, f.article_source),
                    ],
                )
            })
            .unwrap_or_default();
        let articles = locales
            .iter()
            .zip(&searchers)
            .map(|(l, s)| {
                s.doc_freq(&Term::from_field_text(l.fields.kind, schema::ARTICLE))
                    .unwrap_or(0)
            })
            .collect();
        let docs = searchers
            .iter()
            .map(|s| {
                s.segment_readers()
                    .iter()
                    .map(|r| u64::from(r.max_doc()))
                    .sum()
            })
            .collect();
        GlobalStats {
            searchers,
            spaces,
            target_space,
            source_fields,
            article_fields,
            docs,
            articles,
            title_texts,
            tokens: Mutex::new(FxHashMap::default()),
            doc_freq: Mutex::new(hashbrown::HashMap::default()),
        }
    }

    /// The statistics for a search in the locale at `position` (catalog order), a title
    /// word's IDF at most `title_idf_excess` above its IDF in the article texts
    /// ([`crate::ranking::Ranking::title_idf_excess`]).
    pub(crate) fn provider(&self, position: usize, title_idf_excess: f32) -> Provider<'_> {
        Provider {
            stats: self,
            position,
            title_idf_excess,
        }
    }

    /// Documents in the whole collection: the `N` every space reports.
    fn total(&self) -> u64 {
        self.docs.iter().sum::<u64>().max(1)
    }

    /// The factor from a field's counts in a space to the whole collection's.
    fn scale(&self, space: SpaceId, field: Field) -> f64 {
        let of_kind = |i: usize| {
            if self.article_fields.contains(&field) {
                self.articles[i]
            } else {
                self.docs[i].saturating_sub(self.articles[i])
            }
        };
        let in_space: u64 = self.spaces[space].iter().map(|&i| of_kind(i)).sum();
        if in_space == 0 {
            1.0
        } else {
            self.total() as f64 / in_space as f64
        }
    }
}

/// One search's view of the [`GlobalStats`].
pub(crate) struct Provider<'a> {
    stats: &'a GlobalStats,
    position: usize,
    title_idf_excess: f32,
}

impl Provider<'_> {
    /// The share of its field's documents (of that field's kind, in its term space) that
    /// hold `term`; 0 when it cannot be read.
    pub(crate) fn share(&self, term: &Term) -> f64 {
        let df = self.doc_freq(term).unwrap_or(0);
        df as f64 / self.stats.total() as f64
    }

    /// The term's IDF as BM25 weighs it here; that of a term no document holds when its
    /// statistics cannot be read.
    pub(crate) fn idf(&self, term: &Term) -> f32 {
        crate::postings::idf(self.doc_freq(term).unwrap_or(0), self.stats.total())
    }

    /// A title term's document frequency: its own, but at least its frequency in the article
    /// texts divided by e^`title_idf_excess`. Titles are short and say what an article is
    /// about, so the words they rarely use include the language's commonest (`does`,
    /// `nicht`), which their own counts would weigh as the rarest.
    fn title_doc_freq(&self, term: &Term, text: Field) -> tantivy::Result<u64> {
        let own = self.field_doc_freq(term)?;
        let value = term.value();
        let Some(word) = value.as_str() else {
            return Ok(own);
        };
        let in_texts = self.field_doc_freq(&Term::from_field_text(text, word))?;
        Ok(own.max(title_doc_freq_floor(in_texts, self.title_idf_excess)))
    }

    /// A term's document frequency in its field, in its term space, scaled to the whole
    /// collection (the module's comment).
    fn field_doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        let space = self.space(term.field());
        let known = crate::held(&self.stats.doc_freq)
            .get(&TermIn(space, term))
            .copied();
        if let Some(n) = known {
            return Ok(n);
        }
        let mut df = 0u64;
        for &i in &self.stats.spaces[space] {
            df += self.stats.searchers[i].doc_freq(term)?;
        }
        // Never above the document count, never rounded down to 0 when the term exists.
        let scaled = ((df as f64 * self.stats.scale(space, term.field())).round() as u64)
            .min(self.stats.total())
            .max(df.min(1));
        let mut cache = crate::held(&self.stats.doc_freq);
        if cache.len() >= CACHE_LIMIT {
            cache.clear();
        }
        cache.insert((space, term.clone()), scaled);
        Ok(scaled)
    }

    fn space(&self, field: Field) -> SpaceId {
        if self.stats.source_fields.contains(&field) {
            0
        } else {
            self.stats.target_space[self.position]
        }
    }
}

impl Bm25StatisticsProvider for Provider<'_> {
    fn total_num_tokens(&self, field: Field) -> tantivy::Result<u64> {
        let space = self.space(field);
        let key = (space, field);
        if let Some(&n) = crate::held(&self.stats.tokens).get(&key) {
            return Ok(n);
        }
        let mut total = 0u64;
        for &i in &self.stats.spaces[space] {
            for segment in self.stats.searchers[i].segment_readers() {
                total += segment.inverted_index(field)?.total_num_tokens();
            }
        }
        let scaled = (total as f64 * self.stats.scale(space, field)).round() as u64;
        crate::held(&self.stats.tokens).insert(key, scaled);
        Ok(scaled)
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        Ok(self.stats.total())
    }

    fn doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        let title_text = self
            .stats
            .title_texts
            .iter()
            .find(|(t, _)| *t == term.field());
        match title_text {
            Some(&(_, text)) => self.title_doc_freq(term, text),
            None => self.field_doc_freq(term),
        }
    }
}

/// The least document frequency a title word is given, from its frequency in the article
/// texts: its IDF (about ln(N / df)) at most `excess` above theirs.
fn title_doc_freq_floor(in_texts: u64, excess: f32) -> u64 {
    (in_texts as f64 / f64::from(excess).exp()).round() as u64
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::schema::Field;

    /// A word a fifth of the article texts hold but one title in a thousand (`nicht`) is
    /// weighed in titles as if e^excess times fewer texts held it; a word the titles use
    /// about as often as the texts keeps its own frequency.
    #[test]
    fn a_title_words_idf_is_at_most_the_excess_above_its_idf_in_the_texts() {
        let (documents, excess) = (10_000u64, 1.5f32);
        let idf = |df: u64| crate::postings::idf(df, documents);
        let (in_texts, in_titles) = (2_000, 10);
        let floor = title_doc_freq_floor(in_texts, excess);
        let capped = in_titles.max(floor);
        assert!(idf(capped) <= idf(in_texts) + excess + 0.01);
        assert!(idf(capped) >= idf(in_texts) + excess - 0.01);
        assert!(idf(capped) < idf(in_titles));
        // A topic word: 40 titles, 120 texts, within the excess.
        assert_eq!(40u64.max(title_doc_freq_floor(120, excess)), 40);
        assert_eq!(title_doc_freq_floor(in_texts, f32::INFINITY), 0);
        assert_eq!(title_doc_freq_floor(in_texts, 0.0), in_texts);
    }

    /// A borrowed term of a space finds the owned key it equals, and no other.
    #[test]
    fn a_borrowed_term_finds_its_owned_key() {
        let mut cache: hashbrown::HashMap<(SpaceId, Term), u64, FxBuildHasher> =
            hashbrown::HashMap::default();
        let body = Field::from_field_id(2);
        let delete = Term::from_field_text(body, "delete");
        cache.insert((3, delete.clone()), 17);
        assert_eq!(cache.get(&TermIn(3, &delete)), Some(&17));
        assert_eq!(cache.get(&TermIn(4, &delete)), None);
        let other = Term::from_field_text(Field::from_field_id(1), "delete");
        assert_eq!(cache.get(&TermIn(3, &other)), None);
        assert_eq!(
            cache.get(&TermIn(3, &Term::from_field_text(body, "remove"))),
            None
        );
    }
}
