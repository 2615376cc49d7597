//! A term's postings in one tantivy segment, scored as tantivy's term scorer scores them,
//! with BM25 weights as tantivy's term queries compute them but without the explanation they
//! build for every term (most of their cost).

use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::{Postings, SegmentPostings};
use tantivy::query::{Bm25Weight, EnableScoring};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocId, DocSet, Score, SegmentReader, TERMINATED, Term};

/// Terms' BM25 weights as tantivy's term queries compute them, each field's token count
/// asked once.
pub(crate) struct TermWeights<'a> {
    enable_scoring: EnableScoring<'a>,
    tokens: Vec<(Field, u64)>,
}

impl<'a> TermWeights<'a> {
    pub fn new(enable_scoring: EnableScoring<'a>) -> TermWeights<'a> {
        TermWeights {
            enable_scoring,
            tokens: Vec::new(),
        }
    }

    pub fn of(&mut self, term: &Term) -> tantivy::Result<Bm25Weight> {
        let EnableScoring::Enabled {
            statistics_provider: stats,
            ..
        } = self.enable_scoring
        else {
            return Ok(Bm25Weight::for_one_term_without_explain(0, 1, 1.0));
        };
        let field = term.field();
        let total = match self.tokens.iter().find(|(f, _)| *f == field) {
            Some(&(_, total)) => total,
            None => {
                let total = stats.total_num_tokens(field)?;
                self.tokens.push((field, total));
                total
            }
        };
        let docs = stats.total_num_docs()?;
        let average = total as Score / docs as Score;
        Ok(Bm25Weight::for_one_term_without_explain(
            stats.doc_freq(term)?,
            docs,
            average,
        ))
    }
}

/// A term's postings in one tantivy segment, scored as tantivy's term scorer does.
pub(crate) struct Cursor {
    /// Boxed: a term's decoded block is a kilobyte, and cursors are moved.
    pub postings: Box<SegmentPostings>,
    pub norms: FieldNormReader,
    bm25: Bm25Weight,
    /// The postings' document, kept here: asking them reads their block.
    pub doc: DocId,
}

impl Cursor {
    /// The term's postings in this tantivy segment, at their first document; `None` when
    /// the segment holds the term nowhere.
    pub fn open(
        reader: &SegmentReader,
        term: &Term,
        bm25: &Bm25Weight,
    ) -> tantivy::Result<Option<Cursor>> {
        let field = term.field();
        let inverted = reader.inverted_index(field)?;
        let Some(info) = inverted.get_term_info(term)? else {
            return Ok(None);
        };
        let postings = inverted.read_postings_from_terminfo(&info, IndexRecordOption::WithFreqs)?;
        let doc = postings.doc();
        if doc == TERMINATED {
            return Ok(None);
        }
        // As tantivy's term scorer: a field without norms counts one token a document.
        let norms = reader
            .get_fieldnorms_reader(field)
            .unwrap_or_else(|_| FieldNormReader::constant(reader.max_doc(), 1));
        Ok(Some(Cursor {
            postings: Box::new(postings),
            norms,
            bm25: bm25.clone(),
            doc,
        }))
    }

    /// Moves to `target` or the first document after it that holds the term.
    pub fn seek(&mut self, target: DocId) {
        if self.doc < target {
            self.doc = self.postings.seek(target);
        }
    }

    pub fn advance(&mut self) {
        self.doc = self.postings.advance();
    }

    /// The term's score in the current document.
    pub fn score(&self) -> Score {
        self.score_as(&self.bm25)
    }

    /// The term's score in the current document with another BM25 weight.
    pub fn score_as(&self, bm25: &Bm25Weight) -> Score {
        bm25.score(self.norms.fieldnorm_id(self.doc), self.postings.term_freq())
    }
}
