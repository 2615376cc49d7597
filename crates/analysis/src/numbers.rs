//! Numbers written with thousands separators (`5,000`, `5.000`, `5 000`, `30,000,000`) are
//! also the number as users type it, `5000`: a word is a run of letters and digits, so the
//! text gives `5` and `000`, which a query for "over 5000 items" never meets. The number is
//! one more token, after its groups, so a phrase of either writing still holds together.
//! Versions and builds (`19041.329`, `1.5`) are no thousands: a first group of one to three
//! digits, and every later one of exactly three, make one.

use crate::sink::Sink;

/// What separates groups of thousands: a comma or a full stop, the no-break spaces French
/// and Nordic texts put there, and the apostrophes of Swiss German.
const SEPARATORS: &[char] = &[',', '.', '\u{a0}', '\u{202f}', '\u{2009}', '\'', '’'];

/// The groups of digits read so far that may be one number: their span in the text.
#[derive(Default)]
pub(crate) struct Thousands {
    /// Start of the first group, end of the last, and how many groups.
    groups: Option<(usize, usize, usize)>,
}

impl Thousands {
    /// Reads the word `text[start..end]`, which the caller pushes itself; before it, pushes
    /// the number that the groups read so far make, if the word does not continue them.
    pub(crate) fn word(&mut self, text: &str, start: usize, end: usize, sink: &mut Sink<'_>) {
        let word = &text[start..end];
        let digits = word.bytes().all(|b| b.is_ascii_digit());
        if let Some((first, last, count)) = self.groups
            && digits
            && word.len() == 3
            && is_separator(&text[last..start])
        {
            self.groups = Some((first, end, count + 1));
            return;
        }
        self.end(text, sink);
        if digits && word.len() <= 3 {
            self.groups = Some((start, end, 1));
        }
    }

    /// Pushes the number that the groups read so far make, if they make one; the text or
    /// its run of words has ended.
    pub(crate) fn end(&mut self, text: &str, sink: &mut Sink<'_>) {
        if let Some((first, last, count)) = self.groups.take()
            && count > 1
        {
            let number: String = text[first..last]
                .chars()
                .filter(char::is_ascii_digit)
                .collect();
            sink.push_text(first, last, &number);
        }
    }
}

fn is_separator(between: &str) -> bool {
    let mut chars = between.chars();
    chars.next().is_some_and(|c| SEPARATORS.contains(&c)) && chars.next().is_none()
}
