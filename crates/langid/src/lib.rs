//! Which locales a query with no language is likely written in, as cheaply as a few
//! lookups per letter: each locale's profile counts the character n-grams (one to three
//! letters, word edges included) of its text, and a text's likelihood under a profile is the
//! product of its n-grams' smoothed frequencies there (naive Bayes, as in Cavnar & Trenkle's
//! and langid.py's language identifiers). Learned at index time from what each locale index
//! stores — its own text, and the English it was translated from — so it knows this corpus's
//! languages, product names and untranslated words.
//!
//! - [`grams`]: the n-grams of a text, the one definition both sides share;
//! - [`Profile`]: one language's n-gram counts, learned by [`Profile::learn`];
//! - [`file`]: a locale's profiles on disk;
//! - [`Guesser`]: every profile of a catalog, and the log-likelihood of a text under each.

pub mod file;
mod grams;
mod guess;
mod profile;

pub use grams::{Gram, grams};
pub use guess::{Guesser, GuesserBuilder};
pub use profile::{Learning, Profile};

#[cfg(test)]
mod tests;
