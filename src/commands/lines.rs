//! Input lines of bounded length. A `batch` line holds one query, so a line far longer than
//! any query can be is reported by its length and skipped, never read into memory whole: a
//! JSON array given instead of JSON Lines, or a binary file, costs what its first bytes cost.

use std::io::{self, BufRead};

/// One line of input, without its line ending (`\n` or `\r\n`).
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Line {
    Text(String),
    /// A line longer than the bound: how many bytes it had.
    TooLong(usize),
}

/// The lines of `reader`, each at most `max` bytes (its `\r` counted) or [`Line::TooLong`];
/// a line that is not UTF-8 is an `InvalidData` error, and the lines after it still come.
pub(crate) struct BoundedLines<R> {
    reader: R,
    max: usize,
}

impl<R: BufRead> BoundedLines<R> {
    pub(crate) fn new(reader: R, max: usize) -> Self {
        BoundedLines { reader, max }
    }
}

impl<R: BufRead> Iterator for BoundedLines<R> {
    type Item = io::Result<Line>;

    fn next(&mut self) -> Option<io::Result<Line>> {
        let mut line = Vec::new();
        let (mut length, mut read_any) = (0usize, false);
        loop {
            let buffer = match self.reader.fill_buf() {
                Ok(buffer) => buffer,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Some(Err(e)),
            };
            if buffer.is_empty() {
                if !read_any {
                    return None;
                }
                break;
            }
            read_any = true;
            let newline = buffer.iter().position(|&b| b == b'\n');
            let part = &buffer[..newline.unwrap_or(buffer.len())];
            length += part.len();
            if length <= self.max {
                line.extend_from_slice(part);
            } else {
                line = Vec::new();
            }
            let used = part.len() + usize::from(newline.is_some());
            self.reader.consume(used);
            if newline.is_some() {
                break;
            }
        }
        if length > self.max {
            return Some(Ok(Line::TooLong(length)));
        }
        if line.last() == Some(&b'\r') {
            line.pop();
        }
        Some(
            String::from_utf8(line).map(Line::Text).map_err(|_| {
                io::Error::new(io::ErrorKind::InvalidData, "a line is not valid UTF-8")
            }),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// What the lines should be: split at `\n`, a final `\n` ending the last line.
    fn expected(input: &[u8], max: usize) -> Vec<Result<Line, ()>> {
        let mut segments: Vec<&[u8]> = input.split(|&b| b == b'\n').collect();
        if input.is_empty() || input.ends_with(b"\n") {
            segments.pop();
        }
        segments
            .into_iter()
            .map(|segment| {
                if segment.len() > max {
                    return Ok(Line::TooLong(segment.len()));
                }
                let text = segment.strip_suffix(b"\r").unwrap_or(segment);
                String::from_utf8(text.to_vec())
                    .map(Line::Text)
                    .map_err(|_| ())
            })
            .collect()
    }

    fn read(input: &[u8], max: usize, buffer: usize) -> Vec<Result<Line, ()>> {
        let reader = io::BufReader::with_capacity(buffer, input);
        BoundedLines::new(reader, max)
            .map(|line| line.map_err(|_| ()))
            .collect()
    }

    #[test]
    fn long_lines_are_measured_and_skipped_and_the_rest_still_read() {
        let input = format!(
            "{}\r\n{{\"q\": 1}}\r\nok\n\n{}",
            "x".repeat(100),
            "y".repeat(40)
        );
        assert_eq!(
            read(input.as_bytes(), 32, 8),
            vec![
                Ok(Line::TooLong(101)),
                Ok(Line::Text("{\"q\": 1}".into())),
                Ok(Line::Text("ok".into())),
                Ok(Line::Text(String::new())),
                Ok(Line::TooLong(40)),
            ]
        );
        assert_eq!(read(b"", 8, 8), vec![]);
        assert_eq!(
            read(b"\xff\xfe\nok", 8, 8),
            vec![Err(()), Ok(Line::Text("ok".into()))]
        );
    }

    proptest! {
        /// Whatever the bytes, the bound and the buffer size: the lines split at `\n`, each
        /// whole, measured or an error, in order.
        #[test]
        fn lines_are_what_splitting_gives(
            input in proptest::collection::vec(
                prop_oneof![Just(b'\n'), Just(b'\r'), Just(0xC3u8), Just(0xA9u8), any::<u8>()],
                0..200,
            ),
            max in 0usize..40,
            buffer in 1usize..16,
        ) {
            prop_assert_eq!(read(&input, max, buffer), expected(&input, max));
        }
    }
}
