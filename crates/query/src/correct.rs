//! Words a side does not know as typed, taken for terms it knows: error codes typed without
//! their prefix ([`crate::codes`]), misspellings and words typed without accents
//! ([`crate::spelling`], [`crate::homophones`]), words typed without their hyphen and
//! compounds the text never uses ([`crate::compounds`]), and product names typed in another
//! script ([`crate::loanwords`]).

use tantivy::schema::Field;

use crate::coverage::Vocabulary;
use crate::homophones::Homophones;
use crate::loanwords::Loanwords;
use crate::plan::SideFields;
use crate::ranking::Ranking;
use crate::spelling;
use crate::terms::{Analyzer, Correction, CorrectionKind, QueryTerms};

/// Whether `word`, one of the query's words (`typed`), may be a name written in a script
/// that renders sounds. An analyzer may also cut a word into overlapping pieces (Korean
/// syllable pairs): a piece from inside a word names nothing, and a word's start (the word
/// without its particle) is tried after the whole word.
fn may_be_a_name(word: &str, typed: &[String]) -> bool {
    let inside_another = typed
        .iter()
        .any(|t| t.len() > word.len() && t.contains(word) && !t.starts_with(word));
    !inside_another && !locsearch_analysis::native_sound_keys(word).is_empty()
}

/// Each corrected term's reduced form too, at its weight: a word given back its accent is
/// searched as if typed so (`nao` → `não`, which the Portuguese stemmer reduces to `na`).
fn with_reduced_forms(analyzer: &Analyzer, found: &mut Vec<spelling::Corrected>) {
    let mut reduced = Vec::new();
    for (term, weight) in found.iter() {
        let form = analyzer.tokens(term).pop().map(|(t, _)| t);
        if let Some(form) = form.filter(|f| f != term && !found.iter().any(|(t, _)| t == f)) {
            reduced.push((form, *weight));
        }
    }
    found.extend(reduced);
}

/// Corrections of the words the side does not know as typed, in turn: misspellings
/// ([`respelt`]), compounds the text never uses ([`split`]) and product names typed in another
/// script ([`names_typed_in_script`], beside a word's other corrections). `english` is the
/// locale's English body field.
pub(crate) fn correct_words(
    searcher: &tantivy::Searcher,
    (side, english): (&SideFields, Field),
    terms: &mut QueryTerms,
    ranking: &Ranking,
) {
    let mut unknown: Vec<Unknown> = Vec::new();
    let mut rare: Vec<Unknown> = Vec::new();
    let vocabulary = Vocabulary::of(searcher, side);
    for (typed, (reduced, _)) in terms.typed.iter().zip(&terms.per_position) {
        let listed = |words: &[Unknown]| words.iter().any(|u| u.reduced == reduced);
        match seen(searcher, (side, &vocabulary), typed) {
            Seen::Never if !listed(&unknown) => unknown.push(Unknown {
                typed,
                reduced,
                reduced_known: vocabulary.knows(reduced),
                known_rarely: false,
            }),
            Seen::Rarely if !listed(&rare) => rare.push(Unknown {
                typed,
                reduced,
                reduced_known: true,
                known_rarely: true,
            }),
            _ => {}
        }
    }
    let mut corrections = codes((side.analyzer, &vocabulary), &unknown);
    corrections.extend(unhyphenated(
        searcher,
        (side, &vocabulary),
        &unknown,
        ranking,
    ));
    unknown.retain(|u| !corrections.iter().any(|c| c.typed == *u.typed));
    corrections.extend(respelt(searcher, side, &unknown, ranking));
    corrections.extend(split(searcher, side, &unknown, &corrections, ranking));
    let mut unnamed: Vec<&Unknown> = unknown.iter().filter(|u| !u.reduced_known).collect();
    unnamed.extend(&rare);
    for named in names_typed_in_script(searcher, (side, english), (unnamed, &terms.typed), ranking)
    {
        match corrections.iter_mut().find(|c| c.typed == named.typed) {
            Some(spelt) => spelt.terms.extend(named.terms),
            None => corrections.push(named),
        }
    }
    terms.corrections = corrections;
}

/// How often a side's text uses a word as typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Seen {
    Never,
    /// In fewer documents than a name is used in ([`crate::loanwords::MIN_DOCS`]), and it may
    /// be a name typed in a script that renders sounds: a side's text now and then spells a
    /// name so (one Arabic segment writes ويندوز), while its other documents keep it in
    /// Latin letters. Such a word is searched as typed, and beside it a name that sounds like
    /// it and that the English of a segment holding it says. Only on a side that takes words
    /// for names.
    Rarely,
    Often,
}

/// How often the side (`vocabulary`, [`Vocabulary::of`] it) uses `word` as typed: one
/// dictionary lookup, as knowing it costs.
pub(crate) fn seen(
    searcher: &tantivy::Searcher,
    (side, vocabulary): (&SideFields, &Vocabulary),
    word: &str,
) -> Seen {
    if side.loanwords.is_none() || locsearch_analysis::native_sound_keys(word).is_empty() {
        return if vocabulary.knows(word) {
            Seen::Often
        } else {
            Seen::Never
        };
    }
    match Vocabulary::of_fields(searcher, &[side.body]).doc_freq(word) {
        0 if vocabulary.knows(word) => Seen::Often,
        0 => Seen::Never,
        docs if docs < crate::loanwords::MIN_DOCS => Seen::Rarely,
        _ => Seen::Often,
    }
}

/// Whether `word` may be respelt on this side: where its analyzer allows edit distance or
/// has homophones, and wherever it is spelt in letters (a product name typed in Latin
/// letters inside a Japanese or Korean query is misspelt as it would be in English).
fn respellable(side: &SideFields, word: &str) -> bool {
    let capabilities = side.analyzer.capabilities;
    let respelt_here = capabilities.edit_distance
        || capabilities.homophones
        || locsearch_analysis::spelt_in_letters(word);
    respelt_here && !crate::codes::is_code(word)
}

/// Whether the words may be respelt on this side: it knows all but `Ranking::max_typos` of
/// those it could respell at least in their reduced forms (else it is not the query's
/// language).
fn respells(side: &SideFields, unknown: &[Unknown], ranking: &Ranking) -> bool {
    let respellable = unknown
        .iter()
        .filter(|u| !u.reduced_known && respellable(side, u.typed));
    respellable.count() <= ranking.max_typos
}

/// The known words closest to the unknown ones ([`crate::spelling`], or
/// [`crate::homophones`]).
fn respelt(
    searcher: &tantivy::Searcher,
    side: &SideFields,
    unknown: &[Unknown],
    ranking: &Ranking,
) -> Vec<Correction> {
    if !respells(side, unknown, ranking) {
        return Vec::new();
    }
    let mut corrections = Vec::new();
    for word in unknown.iter().filter(|u| respellable(side, u.typed)) {
        // A word whose reduced form the side knows may be an inflection the side has not
        // seen, or a typo that kept the reduced form (a truncating analyzer keeps the first
        // letters): it is corrected too, its corrections weighed below its reduced form.
        let in_letters = locsearch_analysis::spelt_in_letters(word.typed);
        let found = match side.homophones {
            Some(cell) if side.analyzer.capabilities.homophones && !in_letters => cell
                .get_or_init(|| Homophones::build(searcher, side.body))
                .corrections(word.typed, ranking),
            _ => spelling::corrections(searcher, side.body, word.typed, ranking),
        };
        corrections.extend(word.correction(side.analyzer, found, CorrectionKind::Spelling));
    }
    corrections
}

/// The unknown hexadecimal codes the side knows with their prefix added or left out
/// ([`crate::codes::prefix_toggled`]): the same code, at full weight.
fn codes((analyzer, vocabulary): (&Analyzer, &Vocabulary), unknown: &[Unknown]) -> Vec<Correction> {
    let mut corrections = Vec::new();
    for word in unknown {
        let Some(code) = crate::codes::prefix_toggled(word.typed) else {
            continue;
        };
        if vocabulary.knows(&code) {
            let found = vec![(code, 1.0)];
            corrections.extend(word.correction(analyzer, found, CorrectionKind::Spelling));
        }
    }
    corrections
}

/// The unknown words that join two words the side's text writes side by side, typed without
/// the hyphen between them ([`crate::compounds::unhyphenated`]): read so, not respelt.
fn unhyphenated(
    searcher: &tantivy::Searcher,
    (side, vocabulary): (&SideFields, &Vocabulary),
    unknown: &[Unknown],
    ranking: &Ranking,
) -> Vec<Correction> {
    if !respells(side, unknown, ranking) {
        return Vec::new();
    }
    let known = |part: &str| vocabulary.knows(part);
    let mut corrections = Vec::new();
    for word in unknown.iter().filter(|u| !u.reduced_known) {
        let Some(parts) = crate::compounds::unhyphenated(searcher, side.body, known, word.typed)
        else {
            continue;
        };
        let found = parts.map(|part| (part, ranking.part_weight)).into();
        corrections.extend(word.correction(side.analyzer, found, CorrectionKind::Joined));
    }
    corrections
}

/// The unknown words, not respelt, that join two known words ([`locsearch_analysis::compound::parts`]),
/// in alphabetic scripts.
fn split(
    searcher: &tantivy::Searcher,
    side: &SideFields,
    unknown: &[Unknown],
    respelt: &[Correction],
    ranking: &Ranking,
) -> Vec<Correction> {
    if !side.analyzer.capabilities.edit_distance || !respells(side, unknown, ranking) {
        return Vec::new();
    }
    let mut corrections = Vec::new();
    let vocabulary = Vocabulary::of(searcher, side);
    for word in unknown.iter().filter(|u| !u.reduced_known) {
        if respelt.iter().any(|c| c.typed == *word.typed) {
            continue;
        }
        let known = |part: &str| vocabulary.knows(part);
        let Some(parts) = locsearch_analysis::compound::parts(word.typed, known) else {
            continue;
        };
        let found = parts.map(|part| (part, ranking.part_weight)).into();
        corrections.extend(word.correction(side.analyzer, found, CorrectionKind::Parts));
    }
    corrections
}

/// A query word the side does not know as typed.
struct Unknown<'t> {
    typed: &'t String,
    reduced: &'t String,
    /// Whether the side knows the reduced form (the word was typed without its accents).
    reduced_known: bool,
    /// Whether the side knows the word as typed, rarely ([`Seen::Rarely`]).
    known_rarely: bool,
}

impl Unknown<'_> {
    /// The word taken for `found`.
    fn correction(
        &self,
        analyzer: &Analyzer,
        mut found: Vec<spelling::Corrected>,
        kind: CorrectionKind,
    ) -> Option<Correction> {
        with_reduced_forms(analyzer, &mut found);
        (!found.is_empty()).then(|| Correction {
            typed: self.typed.clone(),
            reduced: self.reduced.clone(),
            reduced_known: self.reduced_known,
            kind,
            terms: found,
        })
    }
}

/// The product names the side keeps in Latin letters that words typed in another script
/// stand for ([`crate::loanwords`]), the longest words first ([`may_be_a_name`]).
fn names_typed_in_script(
    searcher: &tantivy::Searcher,
    (side, english): (&SideFields, Field),
    (mut words, typed): (Vec<&Unknown>, &[String]),
    ranking: &Ranking,
) -> Vec<Correction> {
    words.retain(|w| may_be_a_name(w.typed, typed));
    let Some(cell) = side.loanwords.filter(|_| !words.is_empty()) else {
        return Vec::new();
    };
    words.sort_by_key(|w| std::cmp::Reverse(w.typed.chars().count()));
    let names = cell.get_or_init(|| Loanwords::build(searcher, side.body, english));
    let mut named: Vec<Correction> = Vec::new();
    for word in words {
        if named.iter().any(|c| c.typed.contains(word.typed.as_str())) {
            continue;
        }
        let mut found = names.corrections(word.typed, ranking);
        if word.known_rarely {
            // A word of the side's language first: a name only where the text says so.
            found.retain(|(name, _)| {
                crate::loanwords::rendered_beside(
                    searcher,
                    (side.body, word.typed),
                    (english, name),
                )
            });
        }
        named.extend(word.correction(side.analyzer, found, CorrectionKind::Name));
    }
    named
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Korean cuts `단축키` into `단축`, `축키` and the whole word: the piece from inside
    /// the word is no name, the word and its start may be.
    #[test]
    fn a_piece_from_inside_a_word_is_no_name() {
        let typed: Vec<String> = ["단축", "축키", "단축키", "teams"].map(String::from).into();
        let names: Vec<&String> = typed.iter().filter(|w| may_be_a_name(w, &typed)).collect();
        assert_eq!(names, ["단축", "단축키"]);
    }
}
