//! Bounds on how much text an answer carries. A corpus may hold a paragraph of megabytes (a
//! pasted log, a generated table); an answer quoting it whole would be as large, and a server
//! answering many at once would hold them all. Cut text is marked `truncated`.

use crate::snippet::Highlight;

/// Most bytes of one side of a passage in a hit: a window around its first highlight.
pub const MAX_PASSAGE_BYTES: usize = 4096;
/// Most bytes of one side of a segment in which matches are highlighted (a match further in
/// is not shown): a pasted log's highlights stay bounded.
pub const MAX_SCANNED_BYTES: usize = 1024 * 1024;
/// Most bytes of one side of a segment in an article view.
pub const MAX_ARTICLE_SEGMENT_BYTES: usize = 64 * 1024;
/// Most bytes of segment text in an article view; later segments are left out.
pub const MAX_ARTICLE_BYTES: usize = 2 * 1024 * 1024;

/// Cuts `text` to its first `max` bytes (at a character boundary); true if it was cut.
pub(crate) fn prefix(text: &mut String, max: usize) -> bool {
    if text.len() <= max {
        return false;
    }
    text.truncate(text.floor_char_boundary(max));
    true
}

/// Cuts `text` to a window of at most `max` bytes that starts a little before its first
/// highlight, keeping the highlights inside the window (shifted to it); true if it was cut.
pub(crate) fn window(text: &mut String, highlights: &mut Vec<Highlight>, max: usize) -> bool {
    if text.len() <= max {
        return false;
    }
    let first = highlights.first().map_or(0, |h| h.start);
    let start = first.saturating_sub(max / 4).min(text.len() - max);
    let start = text.floor_char_boundary(start);
    let end = text.floor_char_boundary(start + max);
    *text = text[start..end].to_owned();
    highlights.retain(|h| h.start >= start && h.end <= end);
    for h in highlights.iter_mut() {
        h.start -= start;
        h.end -= start;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Whatever the text and highlights, the window is at most `max` bytes of the text on
        /// character boundaries, and every highlight kept points at the same words as before.
        #[test]
        fn windows_keep_highlights_on_the_same_text(
            text in "\\PC{0,300}",
            spans in proptest::collection::vec((0usize..400, 1usize..20), 0..4),
            max in 1usize..200,
        ) {
            let mut highlights: Vec<Highlight> = spans
                .into_iter()
                .map(|(s, l)| (text.floor_char_boundary(s), text.floor_char_boundary(s + l)))
                .filter(|(s, e)| s < e)
                .map(|(start, end)| Highlight { start, end })
                .collect();
            highlights.sort_by_key(|h| h.start);
            let before: Vec<String> =
                highlights.iter().map(|h| text[h.start..h.end].to_owned()).collect();
            let mut cut = text.clone();
            let was_cut = window(&mut cut, &mut highlights, max);
            prop_assert_eq!(was_cut, text.len() > max);
            prop_assert!(cut.len() <= max.max(text.len().min(max)));
            prop_assert!(text.contains(&cut));
            for h in &highlights {
                prop_assert!(before.contains(&cut[h.start..h.end].to_owned()));
            }
        }
    }

    #[test]
    fn a_long_passage_is_cut_around_its_first_match() {
        let mut text = "x ".repeat(5000) + "geslo" + &" y".repeat(5000);
        let at = text.find("geslo").unwrap();
        let mut highlights = vec![Highlight {
            start: at,
            end: at + 5,
        }];
        assert!(window(&mut text, &mut highlights, MAX_PASSAGE_BYTES));
        assert!(text.len() <= MAX_PASSAGE_BYTES);
        let h = highlights[0];
        assert_eq!(&text[h.start..h.end], "geslo");
    }
}
