//! A latent semantic space per locale, learned from its articles as written in two languages
//! at once — the locale's text and its English source in one document (cross-language latent
//! semantic indexing, Dumais, Letsche, Littman & Landauer 1997).
//!
//! Words that the articles use together lie close in the space whatever their language:
//! "stampante non stampa" lands near the article about fixing printers, whose Italian says
//! "problemi della stampante" and whose English says "printer", though it shares only one
//! word with the query. The query side multiplies the score of each of the best hits by
//! how near the query lies to its article ([`file::Space::similarity`]), which reorders
//! hits among articles the words already found; it never finds an article by itself.
//!
//! [`learn`] weighs each article's terms (TF-IDF, [`term_weight`]), keeps the
//! [`Learning::max_terms`] most widespread, and takes the leading singular vectors of the
//! article × term matrix ([`svd`]); [`file`] is the on-disk form, written beside the index
//! by `locsearch index`.

pub mod file;
mod svd;

use rustc_hash::FxHashMap;
use tantivy::tokenizer::TextAnalyzer;

/// Which analyzer a term comes from: the locale's (its own text) or the English one (its
/// source side). Ordered as the bytes that stand for them in the file (`E` before `T`),
/// which keeps its terms sorted for binary search.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Side {
    English,
    Target,
}

impl Side {
    fn byte(self) -> u8 {
        match self {
            Side::Target => b'T',
            Side::English => b'E',
        }
    }
}

/// What learning keeps, and how hard it works.
#[derive(Debug, Clone)]
pub struct Learning {
    /// The space's dimensions, at most.
    pub dimensions: usize,
    /// A locale of few articles gets a dimension for this many of them: a space with nearly
    /// as many dimensions as articles keeps each article apart and relates nothing.
    pub articles_per_dimension: usize,
    /// Terms kept, the most widespread first: rarer ones say little about topics, and
    /// BM25 already weighs them.
    pub max_terms: usize,
    /// A term held by fewer articles is not kept.
    pub min_articles: u32,
    /// Extra directions the randomized decomposition samples, for accuracy.
    pub oversampling: usize,
    /// Rounds of subspace iteration, for accuracy.
    pub power_iterations: usize,
}

impl Default for Learning {
    fn default() -> Learning {
        Learning {
            dimensions: 150,
            articles_per_dimension: 16,
            max_terms: 12_000,
            min_articles: 2,
            oversampling: 10,
            power_iterations: 3,
        }
    }
}

/// An article's text: its key, and its texts in the locale's language and in English.
#[derive(Debug, Clone, Default)]
pub struct ArticleText {
    pub key: String,
    pub target: Vec<String>,
    pub english: Vec<String>,
}

/// How much a term counts in a text: sublinear in its count, times its IDF.
pub fn term_weight(count: u32, idf: f32) -> f32 {
    (1.0 + (count.max(1) as f32).ln()) * idf
}

/// The smoothed IDF of a term held by `held` of `articles` articles.
fn idf(held: u32, articles: usize) -> f32 {
    ((1.0 + articles as f64) / (1.0 + f64::from(held))).ln() as f32 + 1.0
}

/// The terms of an analyzed text: one per position, the last token there (the analyzer's
/// reduced form), counted.
pub fn count_terms<'a>(
    tokens: impl IntoIterator<Item = (&'a str, usize)>,
    counts: &mut FxHashMap<String, u32>,
) {
    let mut last: Option<(&str, usize)> = None;
    for (text, position) in tokens {
        if let Some((previous, at)) = last
            && at != position
        {
            *counts.entry(previous.to_owned()).or_default() += 1;
        }
        last = Some((text, position));
    }
    if let Some((previous, _)) = last {
        *counts.entry(previous.to_owned()).or_default() += 1;
    }
}

fn counted(analyzer: &mut TextAnalyzer, texts: &[String]) -> FxHashMap<String, u32> {
    let mut counts = FxHashMap::default();
    for text in texts {
        let tokens = locsearch_analysis::analyze(analyzer, text);
        count_terms(
            tokens.iter().map(|t| (t.text.as_str(), t.position)),
            &mut counts,
        );
    }
    counts
}

/// Learns a locale's space from its articles: `target` analyzes their own text, `english`
/// their source side.
pub fn learn(
    target: &TextAnalyzer,
    english: &TextAnalyzer,
    articles: Vec<ArticleText>,
    learning: &Learning,
) -> file::Space {
    let (mut target, mut english) = (target.clone(), english.clone());
    let mut ids: FxHashMap<(Side, String), u32> = FxHashMap::default();
    let mut terms: Vec<(Side, String)> = Vec::new();
    let mut held: Vec<u32> = Vec::new();
    let mut counts: Vec<Vec<(u32, u32)>> = Vec::with_capacity(articles.len());
    for article in &articles {
        let mut row = Vec::new();
        for (side, analyzer, texts) in [
            (Side::Target, &mut target, &article.target),
            (Side::English, &mut english, &article.english),
        ] {
            for (term, count) in counted(analyzer, texts) {
                let key = (side, term);
                let id = *ids.entry(key.clone()).or_insert_with(|| {
                    terms.push(key);
                    held.push(0);
                    (terms.len() - 1) as u32
                });
                held[id as usize] += 1;
                row.push((id, count));
            }
        }
        counts.push(row);
    }
    let kept = kept_terms(&terms, &held, learning);
    let mut new_id = vec![u32::MAX; terms.len()];
    for (new, &old) in kept.iter().enumerate() {
        new_id[old as usize] = new as u32;
    }
    let idfs: Vec<f32> = kept
        .iter()
        .map(|&old| idf(held[old as usize], articles.len()))
        .collect();
    let matrix = weighted(&counts, &new_id, &idfs, kept.len());
    let dimensions = learning
        .dimensions
        .min((articles.len() / learning.articles_per_dimension.max(1)).max(1));
    let vectors = svd::right_singular_vectors(
        &matrix,
        dimensions,
        learning.oversampling,
        learning.power_iterations,
    );
    let dimensions = vectors.columns;
    let term_vectors: Vec<f32> = vectors.data.iter().map(|&v| v as f32).collect();
    let mut by_key: Vec<(String, Vec<f32>)> = articles
        .into_iter()
        .enumerate()
        .map(|(i, a)| {
            (
                a.key,
                article_vector(matrix.row(i), &term_vectors, dimensions),
            )
        })
        .collect();
    by_key.sort_by(|a, b| a.0.cmp(&b.0));
    by_key.dedup_by(|a, b| a.0 == b.0);
    file::Space {
        dimensions,
        terms: kept
            .iter()
            .map(|&old| terms[old as usize].clone())
            .collect(),
        idf: idfs,
        term_vectors,
        keys: by_key.iter().map(|(k, _)| k.clone()).collect(),
        article_vectors: by_key.into_iter().flat_map(|(_, v)| v).collect(),
    }
}

/// The ids of the terms kept, in the file's order (side, then term): held by at least
/// `min_articles`, the `max_terms` most widespread.
fn kept_terms(terms: &[(Side, String)], held: &[u32], learning: &Learning) -> Vec<u32> {
    let mut kept: Vec<u32> = (0..terms.len() as u32)
        .filter(|&id| held[id as usize] >= learning.min_articles)
        .collect();
    kept.sort_by(|&a, &b| {
        held[b as usize]
            .cmp(&held[a as usize])
            .then_with(|| terms[a as usize].cmp(&terms[b as usize]))
    });
    kept.truncate(learning.max_terms);
    kept.sort_by(|&a, &b| terms[a as usize].cmp(&terms[b as usize]));
    kept
}

/// The article × term matrix: each row the article's kept terms weighed, of unit length.
fn weighted(
    counts: &[Vec<(u32, u32)>],
    new_id: &[u32],
    idfs: &[f32],
    columns: usize,
) -> svd::Sparse {
    let mut matrix = svd::Sparse {
        columns,
        row_starts: vec![0],
        entries: Vec::new(),
    };
    for row in counts {
        let mut entries: Vec<(u32, f32)> = row
            .iter()
            .filter_map(|&(old, count)| {
                let id = new_id[old as usize];
                (id != u32::MAX).then(|| (id, term_weight(count, idfs[id as usize])))
            })
            .collect();
        entries.sort_by_key(|e| e.0);
        let length = entries.iter().map(|e| e.1 * e.1).sum::<f32>().sqrt();
        if length > 0.0 {
            entries.iter_mut().for_each(|e| e.1 /= length);
        }
        matrix.entries.extend(entries);
        matrix.row_starts.push(matrix.entries.len());
    }
    matrix
}

/// An article's place in the space, of unit length (zero when it holds no kept term).
fn article_vector(row: &[(u32, f32)], term_vectors: &[f32], dimensions: usize) -> Vec<f32> {
    let mut vector = vec![0.0f32; dimensions];
    for &(term, weight) in row {
        let at = term as usize * dimensions;
        for (v, t) in vector.iter_mut().zip(&term_vectors[at..at + dimensions]) {
            *v += weight * t;
        }
    }
    normalize(&mut vector);
    vector
}

/// Scales a vector to unit length; a zero vector stays zero.
pub fn normalize(vector: &mut [f32]) {
    let length = vector.iter().map(|v| v * v).sum::<f32>().sqrt();
    if length > 0.0 {
        vector.iter_mut().for_each(|v| *v /= length);
    }
}

#[cfg(test)]
mod tests;
