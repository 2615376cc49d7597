//! A term's postings in one tantivy segment, scored as tantivy's term scorer scores them,
//! with BM25 weights as tantivy's term queries compute them, to the bit, but without the
//! explanation they build for every term, and with one table of length norms per field
//! where tantivy computes one per term.

use std::sync::Arc;

use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::{Postings, SegmentPostings};
use tantivy::query::EnableScoring;
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocId, DocSet, InvertedIndexReader, Score, SegmentReader, TERMINATED, Term};

/// tantivy's BM25 parameters (`tantivy::query::bm25`).
const K1: Score = 1.2;
const B: Score = 0.75;

/// Per length norm of a field (tantivy's one-byte code of a document's token count), the
/// part of BM25's denominator besides the term's frequency.
type Norms = Arc<[Score; 256]>;

/// A term's BM25 weight: what tantivy's `Bm25Weight` computes, by the same operations.
#[derive(Clone)]
pub(crate) struct Bm25 {
    weight: Score,
    norms: Norms,
}

impl Bm25 {
    /// The weight with its scores multiplied by `boost`.
    pub fn boost_by(&self, boost: Score) -> Bm25 {
        Bm25 {
            weight: self.weight * boost,
            norms: self.norms.clone(),
        }
    }

    /// The score of a document of that length norm holding the term `term_freq` times.
    pub fn score(&self, fieldnorm_id: u8, term_freq: u32) -> Score {
        let term_freq = term_freq as Score;
        self.weight * (term_freq / (term_freq + self.norms[fieldnorm_id as usize]))
    }
}

/// Terms' BM25 weights, each field's token count asked and its norms computed once.
pub(crate) struct TermWeights<'a> {
    enable_scoring: EnableScoring<'a>,
    fields: Vec<(Field, Score, Norms)>,
}

impl<'a> TermWeights<'a> {
    pub fn new(enable_scoring: EnableScoring<'a>) -> TermWeights<'a> {
        TermWeights {
            enable_scoring,
            fields: Vec::new(),
        }
    }

    pub fn of(&mut self, term: &Term) -> tantivy::Result<Bm25> {
        let EnableScoring::Enabled {
            statistics_provider: stats,
            ..
        } = self.enable_scoring
        else {
            // What tantivy weighs a term with when nothing is scored.
            return Ok(bm25(0, 1, norms(1.0)));
        };
        let field = term.field();
        let docs = stats.total_num_docs()?;
        let norms = match self.fields.iter().find(|(f, ..)| *f == field) {
            Some((_, _, norms)) => norms.clone(),
            None => {
                let average = stats.total_num_tokens(field)? as Score / docs as Score;
                let norms = norms(average);
                self.fields.push((field, average, norms.clone()));
                norms
            }
        };
        Ok(bm25(stats.doc_freq(term)?, docs, norms))
    }
}

/// tantivy's `Bm25Weight::for_one_term_without_explain`.
fn bm25(doc_freq: u64, docs: u64, norms: Norms) -> Bm25 {
    Bm25 {
        weight: idf(doc_freq, docs) * (1.0 + K1),
        norms,
    }
}

/// BM25's IDF of a term `doc_freq` of `docs` documents hold, as tantivy computes it.
pub(crate) fn idf(doc_freq: u64, docs: u64) -> Score {
    // Shared statistics keep a term's count at most the documents' (`crate::stats`); a
    // term's count includes deleted documents, the documents may not.
    let doc_freq = doc_freq.min(docs);
    let x = ((docs - doc_freq) as Score + 0.5) / (doc_freq as Score + 0.5);
    (1.0 + x).ln()
}

/// tantivy's table of length norms for a field of `average` tokens a document.
fn norms(average: Score) -> Norms {
    let mut norms = [0.0; 256];
    for (id, norm) in norms.iter_mut().enumerate() {
        let tokens = FieldNormReader::id_to_fieldnorm(id as u8);
        *norm = K1 * (1.0 - B + B * tokens as Score / average);
    }
    Arc::new(norms)
}

/// Every document of this tantivy segment holding `term`, in order, with its score under
/// `bm25`: the postings read a block at a time, for a reader that wants them all.
pub(crate) fn each_posting(
    fields: &mut SegmentFields,
    term: &Term,
    bm25: &Bm25,
    mut each: impl FnMut(DocId, Score),
) -> tantivy::Result<()> {
    let (inverted, norms) = fields.get(term.field())?;
    let Some(info) = inverted.get_term_info(term)? else {
        return Ok(());
    };
    let mut blocks =
        inverted.read_block_postings_from_terminfo(&info, IndexRecordOption::WithFreqs)?;
    loop {
        let docs = blocks.docs();
        if docs.is_empty() {
            return Ok(());
        }
        for (&doc, &term_freq) in docs.iter().zip(blocks.freqs()) {
            each(doc, bm25.score(norms.fieldnorm_id(doc), term_freq));
        }
        blocks.advance();
    }
}

/// One tantivy segment's inverted index and length norms of each field, opened once for
/// all the terms a pass reads there: tantivy hashes the field and takes a lock each time.
pub(crate) struct SegmentFields<'r> {
    reader: &'r SegmentReader,
    /// By field id.
    opened: Vec<Option<(Arc<InvertedIndexReader>, FieldNormReader)>>,
}

impl<'r> SegmentFields<'r> {
    pub fn new(reader: &'r SegmentReader) -> Self {
        SegmentFields {
            reader,
            opened: Vec::new(),
        }
    }

    /// The field's inverted index and length norms; as tantivy's term scorer, a field
    /// without norms counts one token a document.
    fn get(
        &mut self,
        field: Field,
    ) -> tantivy::Result<&(Arc<InvertedIndexReader>, FieldNormReader)> {
        let id = field.field_id() as usize;
        if self.opened.len() <= id {
            self.opened.resize(id + 1, None);
        }
        if self.opened[id].is_none() {
            let reader = self.reader;
            let norms = reader
                .get_fieldnorms_reader(field)
                .unwrap_or_else(|_| FieldNormReader::constant(reader.max_doc(), 1));
            self.opened[id] = Some((reader.inverted_index(field)?, norms));
        }
        Ok(self.opened[id].as_ref().expect("opened above"))
    }
}

/// A term's postings in one tantivy segment, scored as tantivy's term scorer does.
pub(crate) struct Cursor {
    /// Boxed: a term's decoded block is a kilobyte, and cursors are moved.
    pub postings: Box<SegmentPostings>,
    norms: FieldNormReader,
    bm25: Bm25,
    /// The postings' document, kept here: asking them reads their block.
    pub doc: DocId,
}

impl Cursor {
    /// The term's postings in this tantivy segment, at their first document; `None` when
    /// the segment holds the term nowhere.
    pub fn open(
        fields: &mut SegmentFields,
        term: &Term,
        bm25: &Bm25,
    ) -> tantivy::Result<Option<Cursor>> {
        let (inverted, norms) = fields.get(term.field())?;
        let Some(info) = inverted.get_term_info(term)? else {
            return Ok(None);
        };
        let postings = inverted.read_postings_from_terminfo(&info, IndexRecordOption::WithFreqs)?;
        let doc = postings.doc();
        if doc == TERMINATED {
            return Ok(None);
        }
        Ok(Some(Cursor {
            postings: Box::new(postings),
            norms: norms.clone(),
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
    pub fn score_as(&self, bm25: &Bm25) -> Score {
        bm25.score(self.norms.fieldnorm_id(self.doc), self.postings.term_freq())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use tantivy::query::Bm25Weight;

    proptest! {
        /// A weight scores as tantivy's, to the bit.
        #[test]
        fn scores_as_tantivy_does(
            docs in 1u64..10_000_000,
            share in 0.0f64..=1.0,
            average in 0.5f32..500.0,
            boost in prop_oneof![Just(1.0f32), 0.05f32..5.0],
            fieldnorm_id: u8,
            term_freq in 1u32..1_000,
        ) {
            let doc_freq = (docs as f64 * share) as u64;
            let ours = bm25(doc_freq, docs, norms(average)).boost_by(boost);
            let theirs = Bm25Weight::for_one_term_without_explain(doc_freq, docs, average)
                .boost_by(boost);
            prop_assert_eq!(
                ours.score(fieldnorm_id, term_freq).to_bits(),
                theirs.score(fieldnorm_id, term_freq).to_bits()
            );
        }
    }
}
