//! Word relations learned from a locale's aligned pairs — the corpus's own translations of
//! its own domain, which no general-purpose search engine has:
//!
//! - **forms** of one word that the analyzers do not merge (удалить / удаление, löschen /
//!   gelöscht, usunąć / usuwanie): verb and noun, prefixed participles, and every word of the
//!   locales with no stemmer;
//! - **synonyms**, other words that render the same English (ausgegraut / abgeblendet), kept
//!   only when likely, since most such links are noise;
//! - **English renderings** of a locale's words (löschen → delete), so that a localized query
//!   also meets an article through its English source;
//! - **English paraphrases**, English words that render the same words (delete / remove),
//!   kept when several languages agree ([`combine_paraphrases`]);
//! - **negations**, the locale's words that say something does not work (`nicht`, `無法`),
//!   learned from its titles beside their English ([`negation`]).
//!
//! [`mine`] numbers the pairs' words ([`words`]), trains IBM Model 1 in both directions
//! ([`model1`]), relates words through their English renderings ([`pivot`]) and English
//! words through the words that render them ([`paraphrase`]); [`file`] is
//! the on-disk form, written beside the index by `locsearch index`.

pub mod file;
mod model1;
pub mod negation;
mod paraphrase;
mod pivot;
mod words;

use locsearch_analysis::Capabilities;
use tantivy::tokenizer::TextAnalyzer;

pub use paraphrase::combine as combine_paraphrases;
pub use pivot::same_word_shape;

/// What kind of relation a link is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// Another form of the same word.
    Form,
    /// Another word of the same meaning.
    Synonym,
    /// An English rendering (the English analyzer's reduced form).
    English,
    /// Another English word of the same meaning (both reduced forms), from [`paraphrase`].
    Paraphrase,
    /// A word that says something does not work, from [`negation`]; related to "not".
    Negation,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Form => "form",
            Kind::Synonym => "synonym",
            Kind::English => "english",
            Kind::Paraphrase => "paraphrase",
            Kind::Negation => "negation",
        }
    }

    pub fn named(name: &str) -> Option<Kind> {
        [
            Kind::Form,
            Kind::Synonym,
            Kind::English,
            Kind::Paraphrase,
            Kind::Negation,
        ]
        .into_iter()
        .find(|k| k.name() == name)
    }
}

/// One learned relation: `word` (a locale's word as written, lower case) relates to `related`
/// with `probability` (the pivot probability p(related | word), or p(english | word)).
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    pub kind: Kind,
    pub word: String,
    pub related: String,
    /// The term a search for `related` looks up: its reduced form (the locale's analyzer's,
    /// or for [`Kind::English`] the English analyzer's, which `related` already is).
    pub term: String,
    pub probability: f32,
    /// The most a match of `term` may weigh against a match of `word`: the ratio of their
    /// IDFs over the pairs, at most 1 — a related term rarer than its word would otherwise
    /// outscore the word itself. 1 for English renderings, which search other fields.
    pub cap: f32,
}

/// The thresholds of mining, in one place. A link must be likely, seen more than once, and
/// likely back the other way: precision matters more than recall, since an expansion that
/// is wrong costs a user an answer that was right.
#[derive(Debug, Clone)]
pub struct Mining {
    /// EM iterations of Model 1 (each direction).
    pub iterations: usize,
    /// A word, and a word with its rendering, must be seen in at least this many pairs.
    pub min_pairs: u32,
    /// A word in more than this share of the pairs is a function word, related to nothing.
    pub max_pair_share: f32,
    /// Least p(e | t1), p(t1 | e) and pivot probability of a link.
    pub min_probability: f32,
    /// Least p(e | t2) back from the related word to the English word that linked them.
    pub min_back_probability: f32,
    /// Least pivot probability of a link between words of different shapes (synonyms).
    pub min_synonym_probability: f32,
    /// Least p(e | t) of an English rendering, and the pairs that must show it.
    pub min_translation: f32,
    pub min_translation_pairs: u32,
    /// Most forms, synonyms and paraphrases kept per word, the likeliest.
    pub max_links: usize,
    /// Languages that must link two English words for them to be paraphrases, and the least
    /// pivot probability averaged over every language.
    pub min_paraphrase_languages: u32,
    pub min_paraphrase_probability: f32,
    /// A locale's word is a negation when at least this many of its titles hold it, and at
    /// least this share of those have an English title that says not ([`negation`]).
    pub min_negation_titles: u32,
    pub min_negation_share: f32,
    /// And at least this share of the aligned pairs whose target holds it have an English
    /// side that says not.
    pub min_negation_text_share: f32,
}

impl Default for Mining {
    fn default() -> Self {
        Mining {
            iterations: 15,
            min_pairs: 2,
            max_pair_share: 0.05,
            min_probability: 0.01,
            min_back_probability: 0.05,
            min_synonym_probability: 0.1,
            min_translation: 0.3,
            min_translation_pairs: 3,
            max_links: 5,
            min_paraphrase_languages: 3,
            min_paraphrase_probability: 0.01,
            min_negation_titles: 15,
            min_negation_share: 0.75,
            min_negation_text_share: 0.5,
        }
    }
}

/// Learns the relations of a locale's words from its aligned pairs, (target, English source),
/// and its negations from its articles' titles, (target, English source);
/// `target_capabilities` say whether the locale writes compounds, which are not forms.
pub fn mine(
    target_analyzer: &TextAnalyzer,
    target_capabilities: &Capabilities,
    english_analyzer: &TextAnalyzer,
    (pairs, titles): (
        impl IntoIterator<Item = (String, String)>,
        impl IntoIterator<Item = (String, String)>,
    ),
    mining: &Mining,
) -> Vec<Link> {
    let corpus = words::Corpus::new(target_analyzer, english_analyzer, pairs);
    let as_slices = |swap: bool| {
        corpus.pairs.iter().map(move |(t, e)| {
            if swap {
                (&e[..], &t[..])
            } else {
                (&t[..], &e[..])
            }
        })
    };
    let target_given_english = model1::train(
        as_slices(false),
        corpus.english.words.len(),
        mining.iterations,
    );
    let english_given_target = model1::train(
        as_slices(true),
        corpus.target.words.len(),
        mining.iterations,
    );
    let mut links = pivot::relate(
        &corpus,
        target_capabilities,
        &target_given_english,
        &english_given_target,
        mining,
    );
    links.extend(paraphrase::relate(
        &corpus,
        &target_given_english,
        &english_given_target,
        mining,
    ));
    links.extend(negation::mine(
        target_analyzer,
        english_analyzer,
        titles,
        &corpus,
        mining,
    ));
    links.retain(|l| {
        [&l.word, &l.related, &l.term]
            .iter()
            .all(|w| !w.contains(['\t', '\n']))
    });
    links
}
