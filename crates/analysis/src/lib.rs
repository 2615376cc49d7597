//! A language-appropriate tantivy analyzer for every locale of the corpus, and for English.
//!
//! [`resolve`] maps a BCP-47 locale to an [`AnalyzerInfo`] (a stable name and a version);
//! [`register_all`] registers every analyzer with a tantivy `TokenizerManager` and must be
//! called both when an index is created and when it is opened; [`analyzer`] builds one.
//! The same analyzer processes the text when indexing and the query when searching.

mod chinese;
pub mod compound;
mod filters;
pub mod japanese;
mod korean;
mod numbers;
mod segment;
mod serbian;
mod sink;
mod sound;
mod southeast_asian;

use std::sync::Arc;

use serde::Serialize;
use tantivy::tokenizer::{
    Language, RemoveLongFilter, StopWordFilter, TextAnalyzer, TokenStream, TokenizerManager,
};

pub use chinese::{ChineseForm, chinese_form, reading, readings};
pub use filters::{Normalize, Reduction, StemKeepingExact};
pub use segment::ScriptTokenizer;
pub use sound::{latin_sound_keys, native_sound_keys};

use crate::segment::HanSegmenter;

/// What an analyzer is, as an index records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct AnalyzerInfo {
    /// Stable name, registered with tantivy under it.
    pub name: &'static str,
    /// Bumped whenever the analyzer's output changes: an index built with another version
    /// must be rebuilt.
    pub version: u32,
    /// One line: what the analyzer does.
    pub pipeline: &'static str,
    /// What searching with it may rely on.
    pub capabilities: Capabilities,
}

/// Facts about an analyzer's output that the query side needs: asked of the analyzer, never
/// guessed from its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Capabilities {
    /// How its tokens sit in a text.
    pub positions: Positions,
    /// Whether a word a few edits away from another is likely a misspelling of it: true for
    /// alphabetic scripts, false where one character is a word or a syllable (Han, kana,
    /// Hangul) and for scripts cut by a dictionary (Thai).
    pub edit_distance: bool,
    /// Whether a word is mistyped as another of the same sound: Chinese is typed as pinyin,
    /// and a wrong candidate of the same reading is its usual typo (撤会 for 撤回).
    pub homophones: bool,
    /// Whether the language writes compounds as one word (German, Dutch, the Nordic
    /// languages, Finnish, Hungarian): a word is also found inside the compounds it starts.
    pub compounds: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Positions {
    /// One word per position, cut at spaces and punctuation: the same words get the same
    /// positions in a query and in a document, so a phrase can ask for adjacency.
    Words,
    /// Cut by a dictionary or into overlapping sub-words: the same words may be cut
    /// differently in a short query and in a document, so a phrase asks for all of its words,
    /// in any order.
    Segmented,
}

/// Alphabetic scripts: words between spaces.
const SPACED: Capabilities = Capabilities {
    positions: Positions::Words,
    edit_distance: true,
    homophones: false,
    compounds: false,
};
/// Alphabetic scripts of languages that write compounds as one word.
const COMPOUNDING: Capabilities = Capabilities {
    compounds: true,
    ..SPACED
};
/// Scripts written without spaces between words.
const UNSPACED: Capabilities = Capabilities {
    positions: Positions::Segmented,
    edit_distance: false,
    homophones: false,
    compounds: false,
};
/// Chinese: written without spaces, typed through its sounds.
const CHINESE: Capabilities = Capabilities {
    homophones: true,
    ..UNSPACED
};

#[derive(Debug, Clone, Copy, PartialEq)]
enum Recipe {
    /// Snowball stemmer from rust-stemmers (through tantivy), with elided articles dropped.
    Snowball(Language, &'static [&'static str]),
    /// Prefix truncation: the language has no stemmer to hand.
    Truncate(usize),
    /// Serbian: Cyrillic written in Latin letters, then prefix truncation.
    Serbian,
    English,
    Chinese {
        traditional: bool,
    },
    Japanese,
    /// Korean and Thai segmentation live in the script tokenizer: every analyzer has them.
    Unsegmented,
}

struct Entry {
    info: AnalyzerInfo,
    recipe: Recipe,
}

const FRENCH_ELISIONS: &[&str] = &["l", "d", "j", "m", "n", "s", "t", "c", "qu"];
const ITALIAN_ELISIONS: &[&str] = &[
    "l", "d", "dell", "nell", "all", "dall", "sull", "un", "quell",
];

/// Truncation length for the languages without a stemmer, chosen by measurement
/// (BENCHMARKS.md, "Analysis").
const TRUNCATE: usize = 6;

macro_rules! entry {
    ($name:literal, $version:literal, $pipeline:expr, $recipe:expr) => {
        entry!($name, $version, $pipeline, $recipe, SPACED)
    };
    ($name:literal, $version:literal, $pipeline:expr, $recipe:expr, $capabilities:expr) => {
        Entry {
            info: AnalyzerInfo {
                name: $name,
                version: $version,
                pipeline: $pipeline,
                capabilities: $capabilities,
            },
            recipe: $recipe,
        }
    };
}

const SNOWBALL: &str =
    "words, NFKC, lower case; each word kept as written and as its Snowball stem, folded";
const TRUNCATING: &str =
    "words, NFKC, lower case; each word kept as written and folded+truncated to 6 characters";

/// Every analyzer, by language subtag.
const ANALYZERS: &[(&str, Entry)] = &[
    (
        "ar",
        entry!(
            "arabic",
            6,
            SNOWBALL,
            Recipe::Snowball(Language::Arabic, &[])
        ),
    ),
    (
        "da",
        entry!(
            "danish",
            6,
            SNOWBALL,
            Recipe::Snowball(Language::Danish, &[]),
            COMPOUNDING
        ),
    ),
    (
        "de",
        entry!(
            "german",
            6,
            SNOWBALL,
            Recipe::Snowball(Language::German, &[]),
            COMPOUNDING
        ),
    ),
    (
        "el",
        entry!("greek", 6, SNOWBALL, Recipe::Snowball(Language::Greek, &[])),
    ),
    (
        "es",
        entry!(
            "spanish",
            6,
            SNOWBALL,
            Recipe::Snowball(Language::Spanish, &[])
        ),
    ),
    (
        "fi",
        entry!(
            "finnish",
            6,
            SNOWBALL,
            Recipe::Snowball(Language::Finnish, &[]),
            COMPOUNDING
        ),
    ),
    (
        "fr",
        entry!(
            "french",
            6,
            SNOWBALL,
            Recipe::Snowball(Language::French, FRENCH_ELISIONS)
        ),
    ),
    (
        "hu",
        entry!(
            "hungarian",
            6,
            SNOWBALL,
            Recipe::Snowball(Language::Hungarian, &[]),
            COMPOUNDING
        ),
    ),
    (
        "it",
        entry!(
            "italian",
            6,
            SNOWBALL,
            Recipe::Snowball(Language::Italian, ITALIAN_ELISIONS)
        ),
    ),
    (
        "nb",
        entry!(
            "norwegian",
            6,
            SNOWBALL,
            Recipe::Snowball(Language::Norwegian, &[]),
            COMPOUNDING
        ),
    ),
    (
        "nl",
        entry!(
            "dutch",
            6,
            SNOWBALL,
            Recipe::Snowball(Language::Dutch, &[]),
            COMPOUNDING
        ),
    ),
    (
        "pt",
        entry!(
            "portuguese",
            6,
            SNOWBALL,
            Recipe::Snowball(Language::Portuguese, &[])
        ),
    ),
    (
        "ro",
        entry!(
            "romanian",
            6,
            SNOWBALL,
            Recipe::Snowball(Language::Romanian, &[])
        ),
    ),
    (
        "ru",
        entry!(
            "russian",
            6,
            SNOWBALL,
            Recipe::Snowball(Language::Russian, &[])
        ),
    ),
    (
        "sv",
        entry!(
            "swedish",
            6,
            SNOWBALL,
            Recipe::Snowball(Language::Swedish, &[]),
            COMPOUNDING
        ),
    ),
    (
        "tr",
        entry!(
            "turkish",
            6,
            SNOWBALL,
            Recipe::Snowball(Language::Turkish, &[])
        ),
    ),
    (
        "bg",
        entry!("bulgarian", 6, TRUNCATING, Recipe::Truncate(TRUNCATE)),
    ),
    (
        "cs",
        entry!("czech", 6, TRUNCATING, Recipe::Truncate(TRUNCATE)),
    ),
    (
        "et",
        entry!("estonian", 6, TRUNCATING, Recipe::Truncate(TRUNCATE)),
    ),
    (
        "he",
        entry!("hebrew", 6, TRUNCATING, Recipe::Truncate(TRUNCATE)),
    ),
    (
        "hr",
        entry!("croatian", 6, TRUNCATING, Recipe::Truncate(TRUNCATE)),
    ),
    (
        "id",
        entry!("indonesian", 6, TRUNCATING, Recipe::Truncate(TRUNCATE)),
    ),
    (
        "lt",
        entry!("lithuanian", 6, TRUNCATING, Recipe::Truncate(TRUNCATE)),
    ),
    (
        "lv",
        entry!("latvian", 6, TRUNCATING, Recipe::Truncate(TRUNCATE)),
    ),
    (
        "pl",
        entry!("polish", 6, TRUNCATING, Recipe::Truncate(TRUNCATE)),
    ),
    (
        "sk",
        entry!("slovak", 6, TRUNCATING, Recipe::Truncate(TRUNCATE)),
    ),
    (
        "sl",
        entry!("slovenian", 6, TRUNCATING, Recipe::Truncate(TRUNCATE)),
    ),
    (
        "sr",
        entry!(
            "serbian",
            7,
            "words, NFKC, lower case, Cyrillic in Latin letters; each word kept as written and folded+truncated to 6 characters",
            Recipe::Serbian
        ),
    ),
    (
        "uk",
        entry!("ukrainian", 6, TRUNCATING, Recipe::Truncate(TRUNCATE)),
    ),
    (
        "vi",
        entry!(
            "vietnamese",
            6,
            "words, NFKC, lower case, tones and diacritics folded",
            Recipe::Unsegmented
        ),
    ),
    (
        "en",
        entry!(
            "english",
            6,
            "words, NFKC, lower case, British→American spelling, possessive s dropped, Snowball English, diacritics folded",
            Recipe::English
        ),
    ),
    (
        "zh-hans",
        entry!(
            "chinese_simplified",
            6,
            "jieba-rs search mode (words and sub-words), Latin words as elsewhere",
            Recipe::Chinese { traditional: false },
            CHINESE
        ),
    ),
    (
        "zh-hant",
        entry!(
            "chinese_traditional",
            6,
            "Traditional→Simplified per character, then jieba-rs search mode",
            Recipe::Chinese { traditional: true },
            CHINESE
        ),
    ),
    (
        "ja",
        entry!(
            "japanese",
            8,
            "NFKC, lindera IPADIC, particles/auxiliaries/symbols dropped but the negative (as ない), base forms, katakana long vowel stripped",
            Recipe::Japanese,
            UNSPACED
        ),
    ),
    (
        "ko",
        entry!(
            "korean",
            10,
            "Hangul syllable bigrams per word and the whole word, both without its particle or 하다/되다 ending; every negation also as 않",
            Recipe::Unsegmented,
            UNSPACED
        ),
    ),
    (
        "th",
        entry!(
            "thai",
            6,
            "ICU4X dictionary word segmentation",
            Recipe::Unsegmented,
            UNSPACED
        ),
    ),
    (
        "lo",
        entry!(
            "lao",
            4,
            "ICU4X dictionary word segmentation",
            Recipe::Unsegmented,
            UNSPACED
        ),
    ),
    (
        "km",
        entry!(
            "khmer",
            4,
            "ICU4X dictionary word segmentation",
            Recipe::Unsegmented,
            UNSPACED
        ),
    ),
    (
        "my",
        entry!(
            "burmese",
            4,
            "ICU4X dictionary word segmentation",
            Recipe::Unsegmented,
            UNSPACED
        ),
    ),
    (
        "und",
        entry!(
            "generic",
            6,
            "words, NFKC, lower case, diacritics folded; Han bigrams, Hangul bigrams, Thai/Lao/Khmer/Burmese words",
            Recipe::Unsegmented
        ),
    ),
];

/// The simplest alternative, for measurement only: tantivy's default tokenizer and lower
/// casing for every locale. Selected with `LOCSEARCH_ANALYZERS=baseline` (an index built so
/// records it, and opening it without the variable is an "incompatible analyzers" error).
pub const BASELINE: AnalyzerInfo = AnalyzerInfo {
    name: "baseline",
    version: 1,
    pipeline: "tantivy default: SimpleTokenizer, RemoveLongFilter(40), LowerCaser",
    capabilities: SPACED,
};

fn baseline_requested() -> bool {
    std::env::var("LOCSEARCH_ANALYZERS").is_ok_and(|v| v == "baseline")
}

/// The analyzer for English, the source side of every aligned segment.
pub fn english() -> AnalyzerInfo {
    resolve("en").info
}

/// A locale's analyzer, and a warning when it fell back to the generic one.
#[derive(Debug, Clone)]
pub struct Resolution {
    pub info: AnalyzerInfo,
    pub warning: Option<String>,
}

/// The analyzer for a BCP-47 locale: `pt-PT`/`pt-BR` → Portuguese, `sr-Latn-RS` → Serbian,
/// `nb-NO`/`no`/`nn` → Norwegian, `zh-TW`/`zh-HK`/`zh-Hant` → Traditional Chinese. An unknown
/// locale gets the generic analyzer and a warning.
pub fn resolve(locale: &str) -> Resolution {
    if baseline_requested() {
        return Resolution {
            info: BASELINE,
            warning: None,
        };
    }
    let lower = locale.trim().to_ascii_lowercase().replace('_', "-");
    let mut parts = lower.split('-');
    let language = parts.next().unwrap_or("");
    let rest: Vec<&str> = parts.collect();
    let key = match language {
        "zh" if rest
            .iter()
            .any(|p| matches!(*p, "hant" | "tw" | "hk" | "mo")) =>
        {
            "zh-hant"
        }
        "zh" => "zh-hans",
        "no" | "nn" | "nb" => "nb",
        other => other,
    };
    match ANALYZERS.iter().find(|(k, _)| *k == key) {
        Some((_, entry)) => Resolution {
            info: entry.info,
            warning: None,
        },
        None => Resolution {
            info: generic(),
            warning: Some(format!(
                "no analyzer for locale {locale:?}; using the generic Unicode analyzer"
            )),
        },
    }
}

fn generic() -> AnalyzerInfo {
    ANALYZERS
        .iter()
        .find(|(k, _)| *k == "und")
        .map(|(_, e)| e.info)
        .expect("generic analyzer")
}

/// Every analyzer there is.
pub fn all() -> impl Iterator<Item = AnalyzerInfo> {
    ANALYZERS.iter().map(|(_, e)| e.info)
}

fn entry(name: &str) -> Option<&'static Entry> {
    ANALYZERS
        .iter()
        .map(|(_, e)| e)
        .find(|e| e.info.name == name)
}

/// What the analyzer registered under `name` is; `None` for an unknown name.
pub fn info(name: &str) -> Option<AnalyzerInfo> {
    if name == BASELINE.name {
        return Some(BASELINE);
    }
    entry(name).map(|e| e.info)
}

/// The first analyzer registered with the same recipe as the one under `name`: two analyzers
/// of one output name give the same tokens for every text (the languages without a stemmer
/// all truncate alike), so a text analyzed by one need not be analyzed by the other.
pub fn output_name(name: &str) -> Option<&'static str> {
    if name == BASELINE.name {
        return Some(BASELINE.name);
    }
    let recipe = entry(name)?.recipe;
    ANALYZERS
        .iter()
        .map(|(_, e)| e)
        .find(|e| e.recipe == recipe)
        .map(|e| e.info.name)
}

/// Builds the analyzer registered under `name`; `None` for an unknown name.
pub fn analyzer(name: &str) -> Option<TextAnalyzer> {
    if name == BASELINE.name {
        return Some(baseline());
    }
    entry(name).map(|e| build(e.recipe))
}

/// Longest token kept, in bytes: far above any word (the default 40 would drop long German
/// compounds and unsegmented CJK runs), low enough to drop base64 and hashes.
const MAX_TOKEN_BYTES: usize = 120;

/// The tokenizer the analyzer registered under `name` starts with; `None` for an unknown
/// name. **Filters never move a word:** every token the analyzer emits has the position and
/// the byte offsets of this tokenizer's token at that position (they change a word's text,
/// add a form at its position, or drop it), so this gives where each word lies at a fraction
/// of the analyzer's cost — what an index stores to highlight without analyzing again.
pub fn word_tokenizer(name: &str) -> Option<TextAnalyzer> {
    if name == BASELINE.name {
        return Some(TextAnalyzer::from(
            tantivy::tokenizer::SimpleTokenizer::default(),
        ));
    }
    entry(name).map(|e| TextAnalyzer::from(ScriptTokenizer::new(han_segmenter(e.recipe))))
}

/// How the recipe cuts Han and kana.
fn han_segmenter(recipe: Recipe) -> HanSegmenter {
    match recipe {
        Recipe::Chinese { traditional: false } => {
            HanSegmenter::Chinese(Arc::new(chinese::ChineseSegmenter::simplified()))
        }
        Recipe::Chinese { traditional: true } => {
            HanSegmenter::Chinese(Arc::new(chinese::ChineseSegmenter::traditional()))
        }
        Recipe::Japanese => HanSegmenter::Japanese(Arc::new(japanese::JapaneseSegmenter)),
        _ => HanSegmenter::Bigrams,
    }
}

fn build(recipe: Recipe) -> TextAnalyzer {
    let base = TextAnalyzer::builder(ScriptTokenizer::new(han_segmenter(recipe)))
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(Normalize);
    match recipe {
        Recipe::Snowball(language, elisions) => base
            .filter(StopWordFilter::remove(
                elisions.iter().map(|s| s.to_string()),
            ))
            .filter(StemKeepingExact(Reduction::Snowball(algorithm(language))))
            .build(),
        Recipe::Truncate(max_chars) => base
            .filter(StemKeepingExact(Reduction::Truncate(max_chars)))
            .build(),
        Recipe::Serbian => base
            .filter(serbian::SerbianLatin)
            .filter(StemKeepingExact(Reduction::Truncate(TRUNCATE)))
            .build(),
        Recipe::English => base.filter(StemKeepingExact(Reduction::English)).build(),
        Recipe::Chinese { .. } | Recipe::Japanese | Recipe::Unsegmented => {
            base.filter(StemKeepingExact(Reduction::FoldOnly)).build()
        }
    }
}

fn algorithm(language: Language) -> rust_stemmers::Algorithm {
    use rust_stemmers::Algorithm as A;
    match language {
        Language::Arabic => A::Arabic,
        Language::Danish => A::Danish,
        Language::Dutch => A::Dutch,
        Language::English => A::English,
        Language::Finnish => A::Finnish,
        Language::French => A::French,
        Language::German => A::German,
        Language::Greek => A::Greek,
        Language::Hungarian => A::Hungarian,
        Language::Italian => A::Italian,
        Language::Norwegian => A::Norwegian,
        Language::Portuguese => A::Portuguese,
        Language::Romanian => A::Romanian,
        Language::Russian => A::Russian,
        Language::Spanish => A::Spanish,
        Language::Swedish => A::Swedish,
        Language::Tamil => A::Tamil,
        Language::Turkish => A::Turkish,
    }
}

/// Registers every analyzer under its name. Call it when an index is created *and* when it is
/// opened: tantivy looks analyzers up by name and does not store them.
pub fn register_all(manager: &TokenizerManager) {
    for (_, entry) in ANALYZERS {
        manager.register(entry.info.name, build(entry.recipe));
    }
    manager.register(BASELINE.name, baseline());
}

fn baseline() -> TextAnalyzer {
    TextAnalyzer::builder(tantivy::tokenizer::SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(tantivy::tokenizer::LowerCaser)
        .build()
}

/// Whether a locale's analyzer can run here; `Err` says why not and how to fix it. Only a
/// recipe with a dictionary outside the binary can fail.
pub fn check(info: &AnalyzerInfo) -> Result<(), String> {
    match entry(info.name).map(|e| e.recipe) {
        Some(Recipe::Japanese) => japanese::segmenter().map(|_| ()).map_err(str::to_owned),
        _ => Ok(()),
    }
}

/// One character of [`folded`], appended to `out`, for a reader that decodes a term a
/// character at a time.
pub fn fold_letter(c: char, out: &mut String) {
    filters::fold_letter(c, out)
}

/// `text` with its diacritics folded as the analyzers fold reduced forms (`löschen` →
/// `loschen`): tells a word typed without accents from a misspelt one.
pub fn folded(text: &str) -> String {
    let mut out = text.to_owned();
    filters::fold(&mut out);
    out
}

/// The letters a keyboard without `c` spells it with, where they are not its fold: German
/// (and Swedish, Finnish) `ä`, `ö`, `ü` as `ae`, `oe`, `ue`; Danish and Norwegian `å` as `aa`
/// and `ø` as `oe`. (`ß`, `æ` and `œ` fold to their spelling already.)
pub fn spelt_out_letter(c: char) -> Option<&'static str> {
    match c {
        'ä' | 'æ' => Some("ae"),
        'ö' | 'ø' | 'œ' => Some("oe"),
        'ü' => Some("ue"),
        'å' => Some("aa"),
        _ => None,
    }
}

/// Whether `word` is written in an alphabetic script, where a word a few edits from another
/// is likely a misspelling of it, whatever the script of the text around it: `Outloook`
/// inside a Japanese query is as misspelt as inside an English one, though edit distance
/// means nothing to the Japanese analyzer ([`Capabilities::edit_distance`]).
pub fn spelt_in_letters(word: &str) -> bool {
    use segment::Script;
    word.chars().any(char::is_alphabetic)
        && word.chars().all(|c| {
            !matches!(
                segment::script(c),
                Script::Han | Script::Hangul | Script::SoutheastAsian
            )
        })
}

/// One token as `locsearch analyze` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AnalyzedToken {
    pub text: String,
    pub position: usize,
    /// Byte offsets into the analyzed text.
    pub start: usize,
    pub end: usize,
}

/// Runs an analyzer over `text`.
pub fn analyze(analyzer: &mut TextAnalyzer, text: &str) -> Vec<AnalyzedToken> {
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while stream.advance() {
        let t = stream.token();
        out.push(AnalyzedToken {
            text: t.text.clone(),
            position: t.position,
            start: t.offset_from,
            end: t.offset_to,
        });
    }
    out
}

#[cfg(test)]
mod tests;
