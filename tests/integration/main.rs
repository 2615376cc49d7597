//! The one integration test binary: the `locsearch` CLI and the crates together, on the
//! sample corpus, the seeds and (when `../shared` is present) the real corpus.

mod ingest;
mod support;
mod index;
mod query;
mod serve;
mod browser;
