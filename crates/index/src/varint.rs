//! The numbers and texts of the form the index stores with each segment document
//! ([`crate::schema::StoredSegment`]): a text value, so every byte of a number is ASCII.
//! tantivy reads a stored bytes value back one byte at a time, a text value in one copy —
//! and a hit reads three or four of these forms for every passage it shows.
//!
//! A number is written six bits a byte, lowest first, `0x40` set on every byte but its last;
//! a text is its byte length, then its UTF-8.

const MORE: u8 = 0x40;
const BITS: u8 = 0x3f;

pub(crate) fn put_varint(out: &mut String, mut value: u64) {
    while value > u64::from(BITS) {
        out.push(char::from(MORE | (value as u8 & BITS)));
        value >>= 6;
    }
    out.push(char::from(value as u8));
}

pub(crate) fn put_str(out: &mut String, text: &str) {
    put_varint(out, text.len() as u64);
    out.push_str(text);
}

/// Reads what `put_*` wrote; every read is `None` on text that is not such a form.
pub(crate) struct Reader<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(text: &'a str) -> Reader<'a> {
        Reader { text, at: 0 }
    }

    pub(crate) fn varint(&mut self) -> Option<u64> {
        let bytes = self.text.as_bytes();
        let mut value = 0u64;
        for shift in (0..64).step_by(6) {
            let byte = *bytes.get(self.at)?;
            if byte & !(MORE | BITS) != 0 {
                return None;
            }
            self.at += 1;
            value |= u64::from(byte & BITS).checked_shl(shift)?;
            if byte & MORE == 0 {
                return Some(value);
            }
        }
        None
    }

    /// A count of items that take at least `min_bytes` each: a damaged count cannot ask for
    /// more than the bytes left hold.
    pub(crate) fn count(&mut self, min_bytes: usize) -> Option<usize> {
        let count = usize::try_from(self.varint()?).ok()?;
        (count <= self.left() / min_bytes.max(1)).then_some(count)
    }

    pub(crate) fn str(&mut self) -> Option<&'a str> {
        let len = usize::try_from(self.varint()?).ok()?;
        let end = self.at.checked_add(len)?;
        let text = self.text.get(self.at..end)?;
        self.at = end;
        Some(text)
    }

    pub(crate) fn left(&self) -> usize {
        self.text.len() - self.at
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Every number reads back as written, in ASCII.
        #[test]
        fn numbers_read_back_as_written(values in proptest::collection::vec(any::<u64>(), 0..20)) {
            let mut out = String::new();
            for &v in &values {
                put_varint(&mut out, v);
            }
            prop_assert!(out.is_ascii());
            let mut reader = Reader::new(&out);
            for &v in &values {
                prop_assert_eq!(reader.varint(), Some(v));
            }
            prop_assert_eq!(reader.left(), 0);
        }

        /// Any text never panics the reader.
        #[test]
        fn any_text_is_read_or_refused(text in ".{0,40}") {
            let mut reader = Reader::new(&text);
            while reader.left() > 0 {
                if reader.str().is_none() {
                    break;
                }
            }
        }
    }
}
