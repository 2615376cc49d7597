//! Where each word of a segment lies: the byte range of the token at every position of each
//! side, stored with the segment document. A passage reads the positions of the query's
//! terms from the postings and highlights these ranges, so a hit's text is not analyzed again
//! at query time.
//!
//! An analyzer's filters never move a word (`locsearch_analysis::word_tokenizer`): every
//! token at one position covers the bytes of the word tokenizer's token there, so the spans
//! come from the word tokenizer alone, one per position, and are exact.

use tantivy::tokenizer::{TextAnalyzer, Token};

use crate::varint::{Reader, put_varint};

/// The bytes `[start, end)` of a side's text that the token at one position covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

/// A segment's spans by position: `target[p]` is where position `p` of the target text lies.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Offsets {
    pub target: Vec<Span>,
    pub source: Vec<Span>,
}

/// The span of each position of `text`, cut by the word tokenizer of the analyzer that
/// indexes it.
pub fn spans(words: &mut TextAnalyzer, text: &str) -> Vec<Span> {
    let mut spans: Vec<Span> = Vec::new();
    let mut stream = words.token_stream(text);
    while stream.advance() {
        add(&mut spans, stream.token());
    }
    spans
}

/// Sets the span of `token`'s position (the first token there decides); a position no token
/// holds is empty.
fn add(spans: &mut Vec<Span>, token: &Token) {
    let narrow = |offset: usize| u32::try_from(offset).unwrap_or(u32::MAX);
    if token.position < spans.len() {
        return;
    }
    let empty = spans.last().map_or(Span::default(), |s| Span {
        start: s.start,
        end: s.start,
    });
    spans.resize(token.position + 1, empty);
    spans[token.position] = Span {
        start: narrow(token.offset_from),
        end: narrow(token.offset_to),
    };
}

impl Offsets {
    /// Appends the stored form: per side, the number of positions, then for each its start as
    /// a (zigzag) step from the previous start — sub-words overlap, so a start may go back —
    /// and its length. Mostly two bytes per word.
    pub(crate) fn write(&self, out: &mut String) {
        for side in [&self.target, &self.source] {
            put_varint(out, side.len() as u64);
            let mut previous = 0i64;
            for span in side {
                let step = i64::from(span.start) - previous;
                put_varint(out, ((step << 1) ^ (step >> 63)) as u64);
                put_varint(out, u64::from(span.end.saturating_sub(span.start)));
                previous = i64::from(span.start);
            }
        }
    }

    /// Reads the stored form back; `None` when the text is not one.
    pub(crate) fn read(reader: &mut Reader) -> Option<Offsets> {
        let target = side(reader)?;
        let source = side(reader)?;
        Some(Offsets { target, source })
    }
}

/// Reads one side's spans.
fn side(reader: &mut Reader) -> Option<Vec<Span>> {
    // Each span takes two bytes at least.
    let count = reader.count(2)?;
    let mut spans = Vec::with_capacity(count);
    let mut previous = 0i64;
    for _ in 0..count {
        let zigzag = reader.varint()?;
        let step = (zigzag >> 1) as i64 ^ -((zigzag & 1) as i64);
        let start = u32::try_from(previous.checked_add(step)?).ok()?;
        let length = u32::try_from(reader.varint()?).ok()?;
        spans.push(Span {
            start,
            end: start.checked_add(length)?,
        });
        previous = i64::from(start);
    }
    Some(spans)
}
#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn encode(offsets: &Offsets) -> String {
        let mut out = String::new();
        offsets.write(&mut out);
        out
    }

    fn decode(text: &str) -> Option<Offsets> {
        let mut reader = Reader::new(text);
        Offsets::read(&mut reader).filter(|_| reader.left() == 0)
    }

    /// Every token the analyzer indexes lies on its position's span.
    fn check(name: &str, text: &str) -> Vec<Span> {
        let mut words = locsearch_analysis::word_tokenizer(name).unwrap();
        let spans = spans(&mut words, text);
        let mut analyzer = locsearch_analysis::analyzer(name).unwrap();
        let tokens = locsearch_analysis::analyze(&mut analyzer, text);
        assert!(!tokens.is_empty());
        for token in tokens {
            let span = spans[token.position];
            assert_eq!(
                (span.start as usize, span.end as usize),
                (token.start, token.end)
            );
        }
        spans
    }

    #[test]
    fn each_position_has_the_span_of_its_word() {
        let text = "Das Kennwort löschen";
        let words: Vec<&str> = check("german", text)
            .iter()
            .map(|s| &text[s.start as usize..s.end as usize])
            .collect();
        assert_eq!(words, ["Das", "Kennwort", "löschen"]);
    }

    #[test]
    fn overlapping_sub_words_keep_their_own_spans() {
        let spans = check("korean", "비밀번호를 재설정");
        assert!(
            spans.windows(2).any(|w| w[1].start < w[0].end),
            "bigrams overlap"
        );
        let offsets = Offsets {
            target: spans,
            source: Vec::new(),
        };
        assert_eq!(decode(&encode(&offsets)), Some(offsets));
    }

    fn any_spans() -> impl Strategy<Value = Vec<Span>> {
        proptest::collection::vec((0u32..u32::MAX / 2, 0u32..1000), 0..50).prop_map(|v| {
            v.into_iter()
                .map(|(start, length)| Span {
                    start,
                    end: start + length,
                })
                .collect()
        })
    }

    proptest! {
        /// Whatever the spans (going back, empty, far apart), they read back as written.
        #[test]
        fn offsets_read_back_as_written(target in any_spans(), source in any_spans()) {
            let offsets = Offsets { target, source };
            prop_assert_eq!(decode(&encode(&offsets)), Some(offsets));
        }

        /// Arbitrary bytes never panic the reader, and what it accepts it wrote.
        #[test]
        fn damaged_offsets_are_refused_or_read_exactly(text in "[\\x00-\\x7f]{0,64}") {
            if let Some(offsets) = decode(&text) {
                prop_assert_eq!(decode(&encode(&offsets)), Some(offsets));
            }
        }
    }
}
