//! The aligned pairs as word ids: the locale's words as written (lower case, accents kept),
//! the English side's reduced forms (so "deleting" and "deleted" are one pivot).

use locsearch_analysis::{AnalyzedToken, analyze};
use rustc_hash::FxHashMap;
use tantivy::tokenizer::TextAnalyzer;

/// Words of one side of the pairs, numbered in the order first seen.
#[derive(Default)]
pub(crate) struct Vocabulary {
    pub words: Vec<String>,
    /// Each word's reduced form, the term the index holds for every form it merges.
    pub reduced: Vec<String>,
    ids: FxHashMap<String, u32>,
    /// In how many pairs each word occurs.
    pub pair_counts: Vec<u32>,
}

impl Vocabulary {
    fn id(&mut self, (word, reduced): (String, String)) -> u32 {
        if let Some(&id) = self.ids.get(&word) {
            return id;
        }
        let id = self.words.len() as u32;
        self.words.push(word.clone());
        self.reduced.push(reduced);
        self.ids.insert(word, id);
        self.pair_counts.push(0);
        id
    }

    /// Whether a pair holds `word`, as written.
    pub fn knows(&self, word: &str) -> bool {
        self.ids.contains_key(word)
    }

    /// The id of `word`, as written, if a pair holds it.
    pub fn id_of(&self, word: &str) -> Option<u32> {
        self.ids.get(word).copied()
    }

    /// The distinct ids of `words`, each pair counted once per word.
    fn sentence(&mut self, words: Vec<(String, String)>, limit: usize) -> Vec<u32> {
        let mut ids: Vec<u32> = Vec::new();
        for word in words {
            let id = self.id(word);
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        ids.truncate(limit);
        for &id in &ids {
            self.pair_counts[id as usize] += 1;
        }
        ids
    }
}

/// The pairs, each side as distinct word ids.
pub(crate) struct Corpus {
    pub target: Vocabulary,
    pub english: Vocabulary,
    /// (target ids, English ids) per pair.
    pub pairs: Vec<(Vec<u32>, Vec<u32>)>,
}

/// Words of a segment longer than this are not used: a long segment's words co-occur with
/// everything and teach little, at a cost that grows with the product of its sides.
pub(crate) const MAX_PAIR_WORDS: usize = 40;

impl Corpus {
    /// Numbers the words of each pair: the target side's words as written (the first token
    /// the analyzer emits at a position, with its reduced form, the last), the English
    /// side's reduced forms.
    /// Pairs whose sides are the same text (untranslated), and repeated pairs, count once
    /// or not at all.
    pub fn new(
        target_analyzer: &TextAnalyzer,
        english_analyzer: &TextAnalyzer,
        pairs: impl IntoIterator<Item = (String, String)>,
    ) -> Corpus {
        let mut corpus = Corpus {
            target: Vocabulary::default(),
            english: Vocabulary::default(),
            pairs: Vec::new(),
        };
        let mut seen = rustc_hash::FxHashSet::default();
        let (mut target_analyzer, mut english_analyzer) =
            (target_analyzer.clone(), english_analyzer.clone());
        for (target, source) in pairs {
            if target == source || !seen.insert((target.clone(), source.clone())) {
                continue;
            }
            let target_words = words(analyze(&mut target_analyzer, &target));
            let english_words: Vec<(String, String)> =
                words(analyze(&mut english_analyzer, &source))
                    .into_iter()
                    .map(|(_, reduced)| (reduced.clone(), reduced))
                    .collect();
            if target_words.is_empty() || english_words.is_empty() {
                continue;
            }
            let t = corpus.target.sentence(target_words, MAX_PAIR_WORDS);
            let e = corpus.english.sentence(english_words, MAX_PAIR_WORDS);
            corpus.pairs.push((t, e));
        }
        corpus
    }
}

/// One word per position: (the first token the analyzer emitted there, the last), words
/// with a letter only: numbers and codes name things, they do not relate words.
fn words(tokens: Vec<AnalyzedToken>) -> Vec<(String, String)> {
    let mut out: Vec<(String, String, usize)> = Vec::new();
    for token in tokens {
        match out.last_mut() {
            Some(last) if last.2 == token.position => last.1 = token.text,
            _ => out.push((token.text.clone(), token.text, token.position)),
        }
    }
    out.into_iter()
        .filter(|(w, _, _)| w.chars().any(char::is_alphabetic))
        .map(|(w, r, _)| (w, r))
        .collect()
}
