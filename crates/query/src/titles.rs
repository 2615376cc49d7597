//! Every article's titles, held with its locale's [`ArticleTable`]: read from the title
//! columns once per snapshot, so that a hit without passages reads nothing from the store
//! (that read was about a tenth of a median query's time).
//!
//! [`ArticleTable`]: crate::articles::ArticleTable

use std::sync::Arc;

use locsearch_index::schema;
use tantivy::columnar::StrColumn;
use tantivy::{DocAddress, SegmentOrdinal};

use crate::articles::{ArticleId, SharedNames};

/// The titles of one locale snapshot's articles.
#[derive(Default)]
pub(crate) struct Titles {
    /// Every localized title, one after another.
    text: String,
    /// Per article: its localized title's span in `text`, when its column holds it.
    target: Vec<Option<(u32, u32)>>,
    /// Per article: its English title, if it has one.
    source: Vec<Option<Arc<str>>>,
}

impl Titles {
    /// The titles of the articles whose article documents are at `documents` (per article,
    /// as [`ArticleTable`](crate::articles::ArticleTable) numbers them). English titles are
    /// held once in `names`: every translation of an article has the same one.
    pub(crate) fn read(
        searcher: &tantivy::Searcher,
        documents: &[Option<DocAddress>],
        names: &SharedNames,
    ) -> tantivy::Result<Titles> {
        let mut titles = Titles {
            text: String::new(),
            target: vec![None; documents.len()],
            source: vec![None; documents.len()],
        };
        for (segment, reader) in searcher.segment_readers().iter().enumerate() {
            let fast = reader.fast_fields();
            let (target, source) = (
                fast.str(schema::name::TITLE)?,
                fast.str(schema::name::SOURCE_TITLE)?,
            );
            let spans = match &target {
                Some(column) => titles.append(column)?,
                None => Vec::new(),
            };
            let english = match &source {
                Some(column) => shared(column, names)?,
                None => Vec::new(),
            };
            let here = documents
                .iter()
                .enumerate()
                .filter_map(|(article, at)| Some((article, (*at)?)))
                .filter(|(_, at)| at.segment_ord == segment as SegmentOrdinal);
            for (article, at) in here {
                let first = |column: &Option<StrColumn>| {
                    let ord = column.as_ref()?.term_ords(at.doc_id).next()?;
                    usize::try_from(ord).ok()
                };
                titles.target[article] = first(&target).and_then(|o| spans.get(o).copied()?);
                titles.source[article] = first(&source).and_then(|o| english.get(o).cloned());
            }
        }
        Ok(titles)
    }

    /// The localized and English titles of `article`; `None` when its localized title is
    /// not in the table (read it from the store).
    pub(crate) fn of(&self, article: ArticleId) -> Option<(&str, Option<&str>)> {
        let (start, end) = (*self.target.get(article as usize)?)?;
        let target = self.text.get(start as usize..end as usize)?;
        let source = self.source[article as usize].as_deref();
        Some((target, source.filter(|s| !s.is_empty())))
    }

    /// Appends every title of `column`'s dictionary to the text; their spans, by term
    /// ordinal (none for one that is not UTF-8, which the store then answers for).
    fn append(&mut self, column: &StrColumn) -> tantivy::Result<Vec<Option<(u32, u32)>>> {
        let mut spans = Vec::new();
        let mut terms = column.dictionary().stream()?;
        while terms.advance() {
            let Ok(title) = std::str::from_utf8(terms.key()) else {
                spans.push(None);
                continue;
            };
            let start = self.text.len();
            self.text.push_str(title);
            let (Ok(start), Ok(end)) = (u32::try_from(start), u32::try_from(self.text.len()))
            else {
                return Err(tantivy::TantivyError::InternalError(
                    "titles of one locale over 4 GiB".into(),
                ));
            };
            spans.push(Some((start, end)));
        }
        Ok(spans)
    }
}

/// Every title of `column`'s dictionary, by term ordinal, as `names` holds it.
fn shared(column: &StrColumn, names: &SharedNames) -> tantivy::Result<Vec<Arc<str>>> {
    let mut english = Vec::new();
    let mut terms = column.dictionary().stream()?;
    while terms.advance() {
        english.push(names.name(terms.key()));
    }
    Ok(english)
}

#[cfg(test)]
mod tests {
    use locsearch_index::schema::{WordTokenizers, documents};
    use tantivy::Term;

    use crate::articles::{ArticleId, ArticleTable, SharedNames, read_titles};
    use crate::collect::tests::{article_at, index_of_all, locale_index, sample_article};

    /// Every article's titles in the table are those its live article document stores: in
    /// one tantivy segment or two, and after an article was replaced under a new title (its
    /// old documents still there, deleted).
    #[test]
    fn the_table_holds_the_titles_the_store_holds() {
        let articles = [
            sample_article(),
            article_at("sl-SI/AlchemyInsights/sharing-link-greyed-out.md"),
        ];
        for (cut, replaced) in [(None, false), (Some(5), false), (Some(5), true)] {
            let (index, fields) = index_of_all(&articles, cut);
            if replaced {
                let mut renamed = articles[0].clone();
                renamed.title = "Nov naslov".into();
                renamed.source_title = None;
                let mut writer: tantivy::IndexWriter =
                    index.writer_with_num_threads(1, 15_000_000).unwrap();
                writer.delete_term(Term::from_field_text(fields.path, &renamed.path));
                let mut words = WordTokenizers::of(&index.schema(), &fields).unwrap();
                for doc in documents(&renamed, &fields, &mut words) {
                    writer.add_document(doc).unwrap();
                }
                writer.commit().unwrap();
            }
            let locale = locale_index("sl-SI", index, fields);
            let searcher = locale.reader.searcher();
            let table = ArticleTable::read(&searcher, &SharedNames::default()).unwrap();
            let mut titles = Vec::new();
            for article in 0..table.articles() as ArticleId {
                let head = table.article_document(article).unwrap();
                let stored = read_titles(&searcher, &locale, head, "").unwrap();
                let (title, source_title) = table.titles(article).unwrap();
                assert_eq!(title, stored.title, "cut {cut:?}, replaced {replaced}");
                assert_eq!(source_title, stored.source_title.as_deref());
                titles.push(title.to_owned());
            }
            assert_eq!(titles.len(), 2);
            assert_eq!(titles.contains(&"Nov naslov".to_owned()), replaced);
        }
    }
}
