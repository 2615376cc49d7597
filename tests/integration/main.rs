//! The one integration test binary: the `locsearch` CLI and the crates together, on the
//! sample corpus, the seeds and (when `../shared` is present) the real corpus.

mod batch;
mod browser;
mod expansion;
mod index;
mod ingest;
mod latent;
mod negation;
mod quality;
mod query;
mod relations;
mod reliability;
mod replicas;
mod routing;
mod serve;
mod sources;
mod support;
mod typos;
mod wire;
