//! What can go wrong in a search, as its callers see it.

use locsearch_index::IndexError;

#[derive(Debug, thiserror::Error)]
pub enum QueryError {
    #[error("bad query: {0}")]
    BadQuery(String),
    #[error(
        "unknown locale {locale}: this index has {available}\n  hint: leave out --lang to search every locale"
    )]
    UnknownLocale { locale: String, available: String },
    #[error(
        "{locale} is the language of several locales of this index: {candidates}\n  hint: give one of them to --lang"
    )]
    AmbiguousLocale { locale: String, candidates: String },
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

impl QueryError {
    /// Wraps tantivy's errors while searching `locale` (for `map_err`).
    pub(crate) fn engine(locale: &str) -> impl Fn(tantivy::TantivyError) -> QueryError + '_ {
        move |source| QueryError::Engine {
            locale: locale.to_owned(),
            source,
        }
    }
}
