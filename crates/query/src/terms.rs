//! A query's words as one analyzer sees them.

use locsearch_analysis::{Capabilities, Positions};
use tantivy::tokenizer::TextAnalyzer;

/// Words of a query that are searched; the rest is ignored (pasted text is known by its
/// start): the cost of a search grows with its words (every one is a term and a phrase
/// position), so a query of thousands of one-letter words costs what its first words cost.
pub const MAX_QUERY_POSITIONS: usize = 64;

/// An analyzer and what searching with it may rely on.
#[derive(Clone)]
pub(crate) struct Analyzer {
    /// Its name in the registry: one name, one pipeline.
    name: &'static str,
    /// The name of the first analyzer of the same pipeline, which gives the same tokens
    /// ([`locsearch_analysis::output_name`]).
    output: &'static str,
    text: TextAnalyzer,
    pub capabilities: Capabilities,
}

/// Texts each thread analyzed last, by analyzer output name: a search drafting every locale
/// of a script analyzes its query once for the locales whose analyzers give the same tokens
/// (Portuguese for two locales, truncation for nine languages without a stemmer).
const RECENT_ANALYSES: usize = 8;

type Tokens = Vec<(String, usize)>;

/// Bytes of text a thread's working copy of an analyzer analyzes before it is copied afresh:
/// a copy keeps the reduced form of every word it met, which should not grow for the life of
/// a server.
const WORKING_COPY_BYTES: usize = 64 * 1024;

thread_local! {
    static RECENT: std::cell::RefCell<Vec<(&'static str, String, Tokens)>> =
        const { std::cell::RefCell::new(Vec::new()) };
    /// Per analyzer name, this thread's working copy and the bytes it has analyzed. Queries
    /// repeat words: a copy keeps the reduced forms of those it has met.
    static WORKING: std::cell::RefCell<Vec<(&'static str, TextAnalyzer, usize)>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

impl Analyzer {
    /// The analyzer registered under `name`, if there is one.
    pub fn named(name: &str) -> Option<Analyzer> {
        let info = locsearch_analysis::info(name)?;
        Some(Analyzer {
            name: info.name,
            output: locsearch_analysis::output_name(name)?,
            text: locsearch_analysis::analyzer(name)?,
            capabilities: info.capabilities,
        })
    }

    /// Whether it is the analyzer of English, the source side's language.
    pub fn is_english(&self) -> bool {
        self.name == locsearch_analysis::english().name
    }

    /// Whether a phrase may ask for its words side by side.
    pub fn keeps_word_positions(&self) -> bool {
        self.capabilities.positions == Positions::Words
    }

    /// Runs `f` with this thread's working copy of the analyzer, which is to analyze about
    /// `bytes` of text. The copy is out of the thread's store while `f` runs, so `f` may ask
    /// for another (or another copy of the same).
    pub fn with_working_copy<R>(&self, bytes: usize, f: impl FnOnce(&mut TextAnalyzer) -> R) -> R {
        let kept = WORKING.with_borrow_mut(|working| {
            let i = working.iter().position(|(name, ..)| *name == self.name)?;
            Some(working.swap_remove(i))
        });
        let (mut analyzer, mut analyzed) = match kept {
            Some((_, analyzer, analyzed)) if analyzed < WORKING_COPY_BYTES => (analyzer, analyzed),
            _ => (self.text.clone(), 0),
        };
        let out = f(&mut analyzer);
        analyzed += bytes;
        // A copy made while another was out (nested calls) is dropped: one per name is kept.
        WORKING.with_borrow_mut(|working| {
            if !working.iter().any(|(name, ..)| *name == self.name) {
                working.push((self.name, analyzer, analyzed));
            }
        });
        out
    }

    /// Analyzed tokens with their positions, up to [`MAX_QUERY_POSITIONS`] words.
    pub fn tokens(&self, text: &str) -> Tokens {
        let known = RECENT.with_borrow(|recent| {
            recent
                .iter()
                .find(|(output, t, _)| *output == self.output && t == text)
                .map(|(.., tokens)| tokens.clone())
        });
        if let Some(tokens) = known {
            return tokens;
        }
        let tokens: Tokens = self
            .with_working_copy(text.len(), |analyzer| {
                locsearch_analysis::analyze(analyzer, text)
            })
            .into_iter()
            .take_while(|t| t.position < MAX_QUERY_POSITIONS)
            .map(|t| (t.text, t.position))
            .collect();
        RECENT.with_borrow_mut(|recent| {
            if recent.len() == RECENT_ANALYSES {
                recent.remove(0);
            }
            recent.push((self.output, text.to_owned(), tokens.clone()));
        });
        tokens
    }
}

/// A text analyzed once: every term for matching, and one token per position (the reduced
/// form, which the analyzers emit after the exact one) for coverage and word order — exact
/// forms are a bonus, not a requirement.
pub(crate) struct QueryTerms {
    /// Every distinct term, exact and reduced forms.
    pub all: Vec<String>,
    /// One token per position: the reduced form.
    pub per_position: Vec<(String, usize)>,
    /// The distinct reduced forms, in order.
    pub reduced: Vec<String>,
    /// One token per position: the word as typed (the exact form, emitted first).
    pub typed: Vec<String>,
    /// Known terms in place of words the side does not know ([`crate::spelling`]).
    pub corrections: Vec<Correction>,
    /// Reduced forms the user's synonyms add ([`crate::synonyms`]), with the entry of the
    /// query that adds each.
    pub synonyms: Vec<(String, String)>,
    /// Terms the aligned pairs relate to the words as typed ([`crate::related`]).
    pub related: Vec<crate::related::Related>,
    /// Compounds the words as typed start ([`crate::compounds`]), with the word that starts
    /// each.
    pub compounds: Vec<crate::compounds::Compound>,
    /// English terms the words as typed render ([`crate::related`]), for the source side.
    pub translations: Vec<crate::related::Related>,
    /// Terms of `all` that weigh less than 1: English words in a locale's text
    /// ([`crate::untranslated`]).
    pub weights: Vec<(String, f32)>,
    /// The query's English auxiliaries, as typed, that are not searched
    /// ([`crate::do_support`]).
    pub auxiliaries: Vec<String>,
    /// The query says something does not work, in words the side reads ([`crate::negation`]).
    pub negated: bool,
}

/// A word the side does not know, and the known terms it is taken for.
#[derive(Clone)]
pub(crate) struct Correction {
    /// The word as typed (analyzed: lower case), as in [`QueryTerms::typed`].
    pub typed: String,
    /// The word's reduced form, as in [`QueryTerms::reduced`].
    pub reduced: String,
    /// Whether the side knows the reduced form (the word was typed without its accents).
    pub reduced_known: bool,
    pub kind: CorrectionKind,
    pub terms: Vec<crate::spelling::Corrected>,
}

impl Correction {
    /// Whether the word is one of its terms typed without accents (or with its umlauts spelt
    /// out: [`crate::spelling::typed_without_marks`]).
    pub fn restores_accents(&self) -> bool {
        let folded = locsearch_analysis::folded(&self.typed);
        self.kind == CorrectionKind::Spelling
            && self
                .terms
                .iter()
                .any(|(term, _)| crate::spelling::typed_without_marks(term, &folded))
    }
}

/// How a word was taken for known terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CorrectionKind {
    /// Misspelt, or typed without its accents ([`crate::spelling`], [`crate::homophones`]), or
    /// a code typed without its prefix ([`crate::codes`]).
    Spelling,
    /// A product name typed in another script, by its sound ([`crate::loanwords`]): the word
    /// stands for the name, and the pieces an analyzer cut from it (Korean syllable pairs)
    /// are not searched.
    Name,
    /// A compound of two known words ([`crate::compounds`]): its terms are the two parts.
    Parts,
    /// Two words the text writes side by side, typed as one without the hyphen (or space)
    /// between them ([`crate::compounds::unhyphenated`]; `addins` → `add ins`, as the text's
    /// `add-ins` reads): its terms are the two.
    Joined,
}

impl QueryTerms {
    pub fn analyze(analyzer: &Analyzer, text: &str) -> QueryTerms {
        QueryTerms::of_tokens(analyzer.tokens(text))
    }

    /// A query's free text: as [`QueryTerms::analyze`], without the auxiliaries of English
    /// do-support ([`crate::do_support`]), on every side, since a localized text's English
    /// words are English too; on an English side, its negations typed without their
    /// apostrophe read as typed with it ([`crate::apostrophes`]).
    pub fn of_query(analyzer: &Analyzer, text: &str) -> QueryTerms {
        let text = if analyzer.is_english() {
            crate::apostrophes::restored(text)
        } else {
            std::borrow::Cow::Borrowed(text)
        };
        let mut tokens = analyzer.tokens(&text);
        let auxiliaries = crate::do_support::drop_do_support(&mut tokens);
        QueryTerms {
            auxiliaries,
            ..QueryTerms::of_tokens(tokens)
        }
    }

    fn of_tokens(tokens: Tokens) -> QueryTerms {
        let all = distinct(tokens.iter().map(|(t, _)| t));
        let mut typed: Vec<String> = Vec::new();
        let mut last = None;
        for (t, p) in &tokens {
            if last != Some(*p) {
                typed.push(t.clone());
                last = Some(*p);
            }
        }
        let per_position = per_position(tokens);
        let reduced = distinct(per_position.iter().map(|(t, _)| t));
        QueryTerms {
            all,
            per_position,
            reduced,
            typed,
            corrections: Vec::new(),
            synonyms: Vec::new(),
            related: Vec::new(),
            compounds: Vec::new(),
            translations: Vec::new(),
            weights: Vec::new(),
            auxiliaries: Vec::new(),
            negated: false,
        }
    }

    /// The weight of a term of `all`.
    pub fn weight(&self, term: &str) -> f32 {
        self.weights
            .iter()
            .find(|(t, _)| t == term)
            .map_or(1.0, |(_, w)| *w)
    }

    /// The query's words `term` stands for, one bit per word of [`QueryTerms::reduced`] (its
    /// first 32): the word it is a form of, or the word it was searched for — a correction,
    /// a synonym (each word of its entry), a relation, a compound, an English rendering.
    pub fn words_of(&self, term: &str) -> u32 {
        let mut words = self.word_bit(term);
        for c in &self.corrections {
            if c.terms.iter().any(|(t, _)| t == term) {
                words |= self.word_bit(&c.reduced);
            }
        }
        for (entry, t) in &self.synonyms {
            if t == term {
                words |= entry
                    .split(' ')
                    .map(|w| self.word_bit(w))
                    .fold(0, |a, b| a | b);
            }
        }
        let related = self.related.iter().chain(&self.translations);
        let searched_for = related
            .map(|r| (&r.word, &r.term))
            .chain(self.compounds.iter().map(|c| (&c.word, &c.term)));
        for (word, t) in searched_for {
            if t == term {
                words |= self.word_bit(word);
            }
        }
        words
    }

    /// The bit of the word `word` is typed as or reduced to, or was corrected to.
    fn word_bit(&self, word: &str) -> u32 {
        let reduced = self
            .typed
            .iter()
            .zip(&self.per_position)
            .find(|(typed, (reduced, _))| *typed == word || reduced == word)
            .map(|(_, (reduced, _))| reduced.as_str())
            .or_else(|| {
                self.corrections
                    .iter()
                    .find(|c| c.terms.iter().any(|(t, _)| t == word))
                    .map(|c| c.reduced.as_str())
            });
        reduced
            .and_then(|r| self.reduced.iter().position(|known| known == r))
            .filter(|&i| i < 32)
            .map_or(0, |i| 1 << i)
    }

    /// The words as typed whose reduced form is `reduced`.
    pub fn typed_forms<'a>(&'a self, reduced: &'a str) -> impl Iterator<Item = &'a String> + 'a {
        self.typed
            .iter()
            .zip(&self.per_position)
            .filter(move |(_, (r, _))| r == reduced)
            .map(|(typed, _)| typed)
    }

    /// Whether `term` is a piece of a word taken for a product name, not the word itself.
    pub fn is_piece_of_a_name(&self, term: &str) -> bool {
        self.corrections
            .iter()
            .any(|c| c.kind == CorrectionKind::Name && c.typed != term && c.typed.contains(term))
    }

    /// The weight of the best term a word (by its reduced form) was corrected to, if it was.
    pub fn correction_weight(&self, reduced: &str) -> Option<f32> {
        self.corrections
            .iter()
            .find(|c| c.reduced == reduced)
            .and_then(|c| c.terms.first())
            .map(|(_, weight)| *weight)
    }

    /// What a quoted phrase holds in a word's place (by its reduced form), if the side knows
    /// neither the word nor its reduced form: the best term it was taken for, or the two
    /// words, in order, it joins ([`CorrectionKind::Joined`]).
    pub fn phrase_words(&self, reduced: &str) -> Option<Vec<&str>> {
        let correction = self
            .corrections
            .iter()
            .find(|c| c.reduced == reduced && !c.reduced_known)?;
        // A joined word's terms are its two words, then their reduced forms.
        let taken = match correction.kind {
            CorrectionKind::Joined => 2,
            _ => 1,
        };
        let words: Vec<&str> = correction.terms[..taken.min(correction.terms.len())]
            .iter()
            .map(|(term, _)| term.as_str())
            .collect();
        (!words.is_empty()).then_some(words)
    }

    /// The words as typed, then the best term each corrected word was taken for, with the
    /// weight of that correction: what a word's relations are looked up by.
    pub fn typed_and_corrected(&self) -> Vec<(String, f32)> {
        self.and_corrected(&self.typed)
    }

    /// The reduced forms, then the best term each corrected word was taken for, with the
    /// weight of that correction: what English paraphrases are looked up by.
    pub fn reduced_and_corrected(&self) -> Vec<(String, f32)> {
        self.and_corrected(&self.reduced)
    }

    /// `words` at weight 1 (but pieces of a name), then the best term each corrected word
    /// was taken for.
    fn and_corrected(&self, words: &[String]) -> Vec<(String, f32)> {
        let words = words
            .iter()
            .filter(|t| !self.is_piece_of_a_name(t))
            .map(|t| (t.clone(), 1.0));
        let corrected = self
            .corrections
            .iter()
            .filter_map(|c| c.terms.first().cloned());
        words.chain(corrected).collect()
    }

    /// The reduced forms, each unknown one replaced by the best term it was corrected to: the
    /// terms "every word of the query" means.
    pub fn reduced_or_corrected(&self) -> Vec<String> {
        self.reduced
            .iter()
            .map(|r| {
                self.corrections
                    .iter()
                    .find(|c| c.reduced == *r && !c.reduced_known)
                    .and_then(|c| c.terms.first())
                    .map_or_else(|| r.clone(), |(t, _)| t.clone())
            })
            .collect()
    }
}

/// The terms, each once, in order. A query holds at most [`MAX_QUERY_POSITIONS`] words, a
/// form or two each: a scan is cheaper than a set.
fn distinct<'a>(terms: impl Iterator<Item = &'a String>) -> Vec<String> {
    let mut kept: Vec<String> = Vec::new();
    for term in terms {
        if !kept.contains(term) {
            kept.push(term.clone());
        }
    }
    kept
}

fn per_position(tokens: Vec<(String, usize)>) -> Vec<(String, usize)> {
    let mut out: Vec<(String, usize)> = Vec::new();
    for (t, p) in tokens {
        match out.last_mut() {
            Some(last) if last.1 == p => *last = (t, p),
            _ => out.push((t, p)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A term stands for the word it is a form of, and an alternative for the word it was
    /// searched for; anything else for no word.
    #[test]
    fn a_term_stands_for_its_words() {
        let english = Analyzer::named(locsearch_analysis::english().name).unwrap();
        let mut terms = QueryTerms::analyze(&english, "deleting old users");
        assert_eq!(terms.reduced, ["delet", "old", "user"]);
        assert_eq!(terms.words_of("deleting"), 0b001);
        assert_eq!(terms.words_of("delet"), 0b001);
        assert_eq!(terms.words_of("users"), 0b100);
        assert_eq!(terms.words_of("user"), 0b100);
        assert_eq!(terms.words_of("remov"), 0);
        terms.synonyms.push(("delet".into(), "remov".into()));
        terms.synonyms.push(("old user".into(), "alumni".into()));
        assert_eq!(terms.words_of("remov"), 0b001);
        assert_eq!(terms.words_of("alumni"), 0b110);
    }

    /// In a quoted phrase, a word read as two stands for the two as typed, not for their
    /// reduced forms too (`microsoft365` is `microsoft 365`, not `microsoft 365 micros`); a
    /// misspelt word for its best correction.
    #[test]
    fn a_phrase_holds_a_corrected_word_as_its_words() {
        let lithuanian = Analyzer::named(locsearch_analysis::resolve("lt-LT").info.name).unwrap();
        let mut terms = QueryTerms::analyze(&lithuanian, "microsoft365 grupes");
        let correction = |typed: &str, kind, found: &[&str]| Correction {
            typed: typed.into(),
            reduced: typed.into(),
            reduced_known: false,
            kind,
            terms: found.iter().map(|t| (t.to_string(), 0.8)).collect(),
        };
        let parts = ["microsoft", "365", "micros"];
        terms
            .corrections
            .push(correction("microsoft365", CorrectionKind::Joined, &parts));
        terms.corrections.push(correction(
            "grupes",
            CorrectionKind::Spelling,
            &["grupės", "grup"],
        ));
        assert_eq!(
            terms.phrase_words("microsoft365"),
            Some(vec!["microsoft", "365"])
        );
        assert_eq!(terms.phrase_words("grupes"), Some(vec!["grupės"]));
        assert_eq!(terms.phrase_words("teams"), None);
    }

    /// A text analyzed again is answered from the thread's recent analyses, and only by the
    /// analyzer that made them.
    #[test]
    fn a_recent_analysis_answers_for_its_own_analyzer_only() {
        let english = Analyzer::named(locsearch_analysis::english().name).unwrap();
        let german = Analyzer::named(locsearch_analysis::resolve("de-DE").info.name).unwrap();
        let text = "Benutzer löschen";
        let first = english.tokens(text);
        assert_eq!(english.tokens(text), first);
        let in_german = german.tokens(text);
        assert!(in_german.iter().any(|(t, _)| t == "losch"), "{in_german:?}");
        assert!(!first.iter().any(|(t, _)| t == "losch"), "{first:?}");
        assert_eq!(english.tokens(text), first);
    }

    /// A working copy analyzes as a fresh copy does, inside another copy of the same
    /// analyzer, and after it is copied afresh.
    #[test]
    fn a_working_copy_analyzes_as_a_fresh_copy() {
        let german = Analyzer::named(locsearch_analysis::resolve("de-DE").info.name).unwrap();
        let text = "Benutzer löschen, gelöschte Benutzer wiederherstellen";
        let fresh = locsearch_analysis::analyze(&mut german.text.clone(), text);
        assert!(fresh.iter().any(|t| t.text == "losch"), "{fresh:?}");
        let nested = german.with_working_copy(text.len(), |outer| {
            let inner = german
                .with_working_copy(text.len(), |inner| locsearch_analysis::analyze(inner, text));
            (locsearch_analysis::analyze(outer, text), inner)
        });
        assert_eq!(nested, (fresh.clone(), fresh.clone()));
        for _ in 0..3 {
            let again = german
                .with_working_copy(WORKING_COPY_BYTES, |a| locsearch_analysis::analyze(a, text));
            assert_eq!(again, fresh);
        }
        let copies = WORKING.with_borrow(|w| w.iter().filter(|(n, ..)| *n == german.name).count());
        assert_eq!(copies, 1, "one working copy per analyzer and thread");
    }

    fn correction(typed: &str, kind: CorrectionKind, terms: &[&str]) -> Correction {
        Correction {
            typed: typed.to_owned(),
            reduced: typed.to_owned(),
            reduced_known: false,
            kind,
            terms: terms.iter().map(|t| (t.to_string(), 1.0)).collect(),
        }
    }

    #[test]
    fn a_word_typed_without_its_accents_is_restored_not_misspelt() {
        use CorrectionKind::*;
        assert!(
            correction("configuracion", Spelling, &["configuración", "configur"])
                .restores_accents()
        );
        assert!(correction("loschen", Spelling, &["löschen"]).restores_accents());
        assert!(!correction("configuraton", Spelling, &["configuration"]).restores_accents());
        assert!(!correction("teams", Name, &["teams"]).restores_accents());
    }
}
