//! Korean without a dictionary: every Hangul word (eojeol) gives its syllable bigrams and
//! the whole word; one that ends in a common particle gives the word without it instead, and
//! the bigrams of that. Bigrams let compounds and inflected forms meet (Lucene's CJK
//! approach); the whole and stripped words reward exact matches (measured: whole words alone
//! beat bigrams alone on verbatim queries). A particle is grammar, not content: a bigram
//! across it (`쇄가` of `인쇄가`) or the word with it would reward a text for using the same
//! particle as the query (`인쇄가 안 돼요` found duplex printing, whose text says `인쇄가`,
//! before printing in Excel, whose says `인쇄를`).

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
    if word.chars().count() < 3 {
        crate::sink::bigrams(text, start, end, sink);
        return;
    }
    let stem = PARTICLES
        .iter()
        .find_map(|p| word.strip_suffix(p))
        .filter(|stem| stem.chars().count() >= 2);
    match stem {
        Some(stem) => {
            let stem_end = start + stem.len();
            crate::sink::bigrams(text, start, stem_end, sink);
            sink.push_text(start, stem_end, stem);
        }
        None => {
            crate::sink::bigrams(text, start, end, sink);
            sink.push(start, end);
        }
    }
}
