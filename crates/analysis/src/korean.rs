//! Korean without a dictionary: every Hangul word (eojeol) gives its syllable bigrams and
//! the whole word; one that ends in a common particle, or is a noun's verb with 하다 or 되다
//! (`변경합니다`, `삭제됨`), gives the word without it instead, and the bigrams of that. Bigrams let compounds and inflected forms meet (Lucene's CJK
//! approach); the whole and stripped words reward exact matches (measured: whole words alone
//! beat bigrams alone on verbatim queries). A particle is grammar, not content: a bigram
//! across it (`쇄가` of `인쇄가`) or the word with it would reward a text for using the same
//! particle as the query (`인쇄가 안 돼요` found duplex printing, whose text says `인쇄가`,
//! before printing in Excel, whose says `인쇄를`).
//!
//! Korean says not in a long form, which titles use (`작동하지 않습니다`), and in short ones,
//! which users type (`안 돼요`, `안됨`, `못 해요`): every one of them also gives [`NEGATIVE`],
//! so that the negation the relations learn from the titles is the one a query says.

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

/// Endings of the verbs a noun makes with 하다 ("to do") and 되다 ("to become"), longest first:
/// `변경합니다` ("changes") is `변경` ("change"), as titles write it. Not `한` or `하다` alone:
/// nouns end so (`권한`, "permission"; `무제한`, "unlimited").
const VERB_ENDINGS: &[&str] = &[
    "되었습니다",
    "했습니다",
    "합니다",
    "하십시오",
    "하세요",
    "하려면",
    "하려고",
    "됩니다",
    "하는",
    "하기",
    "하여",
    "하지",
    "해야",
    "해요",
    "되는",
    "되지",
    "되어",
    "되면",
    "할",
    "된",
    "됨",
    "함",
];

/// The term every Korean negation gives: the long form's stem.
pub const NEGATIVE: &str = "않";

/// How a word that says not begins: the long form ending a sentence (`않습니다`, `않음`,
/// `않아요`, `않았습니다`), and the short form joined to 되다, "to work" (`안돼요`, `안됨`). The
/// long form describing a noun (`지원되지 않는 기능`, "unsupported features") names a kind of
/// thing, not a failure; the short form joined to other verbs is rare, and its syllable
/// starts nouns (`안전`, "safety"; `안내`, "guidance").
const NEGATED_STARTS: &[&str] = &[
    "않습", "않음", "않아", "않았", "안되", "안돼", "안됨", "안됐", "안됩",
];

/// The short negations as words of their own (`안 돼요`, `메일이 안 와요`, `로그인 못 해요`).
const SHORT_NEGATIONS: &[&str] = &["안", "못"];

/// `안` before 하다 is the label of a setting turned off (`사용 안 함`, "Disabled").
const DISABLED: (&str, &[&str]) = ("안", &["하", "함", "한", "할", "해"]);

pub(crate) fn segment(text: &str, start: usize, end: usize, sink: &mut Sink<'_>) {
    let word = &text[start..end];
    if SHORT_NEGATIONS.contains(&word) {
        let next = text[end..].trim_start();
        if !(word == DISABLED.0 && DISABLED.1.iter().any(|v| next.starts_with(v))) {
            sink.push_text(start, end, NEGATIVE);
        }
        return;
    }
    segment_word(text, start, end, sink);
    if NEGATED_STARTS.iter().any(|s| word.starts_with(s)) {
        sink.push_text(start, end, NEGATIVE);
    }
}

fn segment_word(text: &str, start: usize, end: usize, sink: &mut Sink<'_>) {
    let word = &text[start..end];
    if word.chars().count() < 3 {
        crate::sink::bigrams(text, start, end, sink);
        return;
    }
    let stem = PARTICLES
        .iter()
        .chain(VERB_ENDINGS)
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
