//! Korean without a dictionary: every Hangul word (eojeol) gives its syllable bigrams, the
//! whole word, and, when it ends in a common particle, the word without it. Bigrams let
//! compounds and inflected forms meet (Lucene's CJK approach); the whole and stripped words
//! reward exact matches (measured: whole words alone beat bigrams alone on verbatim queries).

use crate::sink::Sink;

/// Common particles (josa) and copula endings, longest first.
const PARTICLES: &[&str] = &[
    "에서는",
    "으로는",
    "에게서",
    "이라고",
    "까지는",
    "부터는",
    "에서",
    "에게",
    "으로",
    "까지",
    "부터",
    "처럼",
    "보다",
    "이나",
    "에는",
    "와의",
    "과의",
    "하고",
    "이며",
    "이고",
    "입니다",
    "은",
    "는",
    "이",
    "가",
    "을",
    "를",
    "에",
    "의",
    "로",
    "와",
    "과",
    "도",
    "만",
    "나",
];

pub(crate) fn segment(text: &str, start: usize, end: usize, sink: &mut Sink<'_>) {
    let word = &text[start..end];
    crate::sink::bigrams(text, start, end, sink);
    if word.chars().count() < 3 {
        return;
    }
    sink.push(start, end);
    if let Some(stem) = PARTICLES.iter().find_map(|p| word.strip_suffix(p))
        && stem.chars().count() >= 2
    {
        sink.push_text(start, start + stem.len(), stem);
    }
}
