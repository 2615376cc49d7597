//! Where each word of a segment lies: the byte range of the token at every position of each
//! side, stored with the segment document. A passage reads the positions of the query's
//! terms from the postings and highlights these ranges, so a hit's text is not analyzed again
//! at query time.
//!
//! An analyzer's filters never move a word (`locsearch_analysis::word_tokenizer`): every
//! token at one position covers the bytes of the word tokenizer's token there, so the spans
//! come from the word tokenizer alone, one per position, and are exact.

use tantivy::tokenizer::{TextAnalyzer, Token};

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
    /// The stored form: per side, the number of positions, then for each its start as a
    /// (zigzag) step from the previous start — sub-words overlap, so a start may go back —
    /// and its length, all as LEB128 varints. Mostly two bytes per word.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(2 * (self.target.len() + self.source.len()) + 4);
        for side in [&self.target, &self.source] {
            put_varint(&mut out, side.len() as u64);
            let mut previous = 0i64;
            for span in side {
                let step = i64::from(span.start) - previous;
                put_varint(&mut out, ((step << 1) ^ (step >> 63)) as u64);
                put_varint(&mut out, u64::from(span.end.saturating_sub(span.start)));
                previous = i64::from(span.start);
            }
        }
        out
    }

    /// Reads the stored form back; `None` when the bytes are not one.
    pub fn decode(bytes: &[u8]) -> Option<Offsets> {
        let mut reader = Reader { bytes, at: 0 };
        let target = reader.side()?;
        let source = reader.side()?;
        (reader.at == bytes.len()).then_some(Offsets { target, source })
    }
}

fn put_varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn varint(&mut self) -> Option<u64> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = *self.bytes.get(self.at)?;
            self.at += 1;
            value |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Some(value);
            }
        }
        None
    }

    fn side(&mut self) -> Option<Vec<Span>> {
        let count = usize::try_from(self.varint()?).ok()?;
        // Each span takes two bytes at least: a damaged count cannot ask for a huge vector.
        if count > (self.bytes.len() - self.at) / 2 {
            return None;
        }
        let mut spans = Vec::with_capacity(count);
        let mut previous = 0i64;
        for _ in 0..count {
            let zigzag = self.varint()?;
            let step = (zigzag >> 1) as i64 ^ -((zigzag & 1) as i64);
            let start = u32::try_from(previous.checked_add(step)?).ok()?;
            let length = u32::try_from(self.varint()?).ok()?;
            spans.push(Span {
                start,
                end: start.checked_add(length)?,
            });
            previous = i64::from(start);
        }
        Some(spans)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

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
        assert_eq!(Offsets::decode(&offsets.encode()), Some(offsets));
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
            prop_assert_eq!(Offsets::decode(&offsets.encode()), Some(offsets));
        }

        /// Arbitrary bytes never panic the reader, and what it accepts it wrote.
        #[test]
        fn damaged_offsets_are_refused_or_read_exactly(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
            if let Some(offsets) = Offsets::decode(&bytes) {
                prop_assert_eq!(Offsets::decode(&offsets.encode()), Some(offsets));
            }
        }
    }
}
