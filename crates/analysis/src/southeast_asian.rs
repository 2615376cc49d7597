//! Thai, Lao, Khmer and Burmese: no spaces between words, so ICU4X's dictionary word segmenter
//! (compiled data with a dictionary for each of the four, works offline) finds the breaks. Its
//! `new_auto` (LSTM) model merged Thai words in our tests.

use icu_segmenter::WordSegmenter;
use icu_segmenter::options::WordBreakInvariantOptions;

use crate::sink::Sink;

pub(crate) fn segment(text: &str, start: usize, end: usize, sink: &mut Sink<'_>) {
    let run = &text[start..end];
    let segmenter = WordSegmenter::new_dictionary(WordBreakInvariantOptions::default());
    let breaks = segmenter.segment_str(run).iter_with_word_type();
    let mut previous = 0;
    for (index, word_type) in breaks {
        if index > previous && word_type.is_word_like() {
            sink.push(start + previous, start + index);
        }
        previous = index;
    }
}
