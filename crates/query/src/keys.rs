//! Which locales hold a live article with a key: a hit matched through the English source
//! lists them, and each source-cover locale answers only for the keys no earlier one holds.
//! Remembered per key for the catalog's life (a snapshot, so the answer never changes under
//! it): looking a hit's key up in every locale for every hit cost an English query a seventh
//! of its time, and the same articles answer query after query.

use std::collections::HashMap;
use std::sync::Mutex;

use locsearch_index::{Catalog, LocaleIndex};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocSet, Term};

/// Article key → the catalog positions of the locales holding it, ascending.
#[derive(Default)]
pub(crate) struct KeyLocales(Mutex<HashMap<Box<str>, Vec<u16>>>);

impl KeyLocales {
    /// The positions (catalog order) of the locales holding a live article keyed `key`.
    pub fn of(&self, catalog: &Catalog, key: &str) -> Vec<u16> {
        if let Some(known) = crate::held(&self.0).get(key) {
            return known.clone();
        }
        // Looked up outside the lock: two threads may both look a key up, never wrongly.
        let holding: Vec<u16> = catalog
            .locales
            .values()
            .enumerate()
            .filter(|(_, index)| holds_key(index, key))
            .filter_map(|(position, _)| u16::try_from(position).ok())
            .collect();
        crate::held(&self.0).insert(key.into(), holding.clone());
        holding
    }
}

/// Whether a locale index has a live article with this key: a term lookup, plus a look at
/// the postings only in segments with deleted documents (an update deletes an article's
/// documents and adds them again, maybe in another segment).
fn holds_key(index: &LocaleIndex, key: &str) -> bool {
    let term = Term::from_field_text(index.fields.key, key);
    let searcher = index.reader.searcher();
    searcher.segment_readers().iter().any(|segment| {
        let Ok(inverted) = segment.inverted_index(index.fields.key) else {
            return false;
        };
        if !segment.has_deletes() {
            return matches!(inverted.get_term_info(&term), Ok(Some(_)));
        }
        let Ok(Some(mut postings)) = inverted.read_postings(&term, IndexRecordOption::Basic) else {
            return false;
        };
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
