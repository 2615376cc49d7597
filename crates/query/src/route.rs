//! Which locales a query with no language could be in, from the scripts of its letters.
//! A query with any non-Latin letters goes to the locales written in those scripts (Latin
//! words in a Japanese query are product names); an all-Latin query goes to every
//! Latin-script locale and to the English source side; letterless queries go everywhere.
//!
//! Scripts are Unicode's (ICU4X's Script property), and a locale's script is its explicit
//! script subtag or else the likely one from CLDR (`hi` → Devanagari, `km` → Khmer;
//! Serbian, either alphabet): locales and scripts this corpus never had route as well as its own.
//! Chinese written in one form (a character only Simplified or only Traditional writing has)
//! goes to the locales of that form (`zh-CN`, `zh-TW`) when the catalog has one.

use icu_locale::LocaleExpander;
use icu_locale::langid;
use icu_properties::props::Script;
use icu_properties::{CodePointMapData, PropertyParser};
use locsearch_analysis::{ChineseForm, chinese_form};

/// The scripts each locale of a catalog is written in, computed once.
#[derive(Debug, Clone)]
pub struct Router {
    /// Each locale, its scripts, and the form of Chinese it is written in, if any.
    locales: Vec<(String, Vec<Script>, Option<ChineseForm>)>,
}

impl Router {
    pub fn new<'a>(locales: impl Iterator<Item = &'a str>) -> Router {
        let expander = LocaleExpander::new_extended();
        Router {
            locales: locales
                .map(|l| {
                    let (scripts, form) = locale_scripts(&expander, l);
                    (l.to_owned(), scripts, form)
                })
                .collect(),
        }
    }

    /// Where to look for a query with no language: the target-side locales, and whether the
    /// English source side is a candidate too.
    pub fn route(&self, text: &str) -> (Vec<&str>, bool) {
        let scripts = query_scripts(text);
        let all = self.locales.iter().map(|(l, _, _)| l.as_str());
        if scripts.is_empty() {
            return (all.collect(), true);
        }
        let non_latin: Vec<Script> = scripts
            .iter()
            .copied()
            .filter(|s| *s != Script::Latin)
            .collect();
        let wanted = if non_latin.is_empty() {
            vec![Script::Latin]
        } else {
            non_latin.clone()
        };
        let mut chosen: Vec<&(String, Vec<Script>, Option<ChineseForm>)> = self
            .locales
            .iter()
            .filter(|(_, scripts, _)| scripts.iter().any(|s| wanted.contains(s)))
            .collect();
        if let Some(form) = wanted
            .contains(&Script::Han)
            .then(|| chinese_form(text))
            .flatten()
            && chosen.iter().any(|(_, _, f)| *f == Some(form))
        {
            chosen.retain(|(_, _, f)| f.is_none_or(|f| f == form));
        }
        let chosen = chosen.into_iter().map(|(l, _, _)| l.as_str()).collect();
        (chosen, non_latin.is_empty())
    }
}

/// The script of a letter; `None` for digits, punctuation, symbols and marks (Common,
/// Inherited), which say nothing about the language.
pub fn script_of(c: char) -> Option<Script> {
    match CodePointMapData::<Script>::new().get(c) {
        Script::Common | Script::Inherited | Script::Unknown => None,
        script => Some(script),
    }
}

/// The query's scripts, by letters.
pub fn query_scripts(text: &str) -> Vec<Script> {
    let mut out = Vec::new();
    for s in text.chars().filter_map(script_of) {
        if !out.contains(&s) {
            out.push(s);
        }
    }
    out
}

/// The scripts a locale's text is written in (its own letters, not borrowed product names),
/// and its form of Chinese.
fn locale_scripts(expander: &LocaleExpander, locale: &str) -> (Vec<Script>, Option<ChineseForm>) {
    let mut id = icu_locale::LanguageIdentifier::try_from_str(&locale.replace('_', "-"))
        .unwrap_or(langid!("und"));
    // Serbian is written in both alphabets, whichever its text uses, and the Serbian
    // analyzer writes Cyrillic in Latin letters: a Serbian locale is searched for either.
    if id.language.as_str() == "sr" {
        return (vec![Script::Cyrillic, Script::Latin], None);
    }
    expander.maximize(&mut id);
    let Some(code) = id.script else {
        return (vec![Script::Latin], None);
    };
    match code.as_str() {
        // Composite codes: Japanese mixes Han and kana; Chinese is Han in both forms.
        "Jpan" => (vec![Script::Han, Script::Hiragana, Script::Katakana], None),
        "Hans" => (vec![Script::Han], Some(ChineseForm::Simplified)),
        "Hant" => (vec![Script::Han], Some(ChineseForm::Traditional)),
        "Kore" => (vec![Script::Hangul], None),
        other => (
            vec![
                PropertyParser::<Script>::new()
                    .get_strict(other)
                    .unwrap_or(Script::Latin),
            ],
            None,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOCALES: [&str; 6] = ["de-DE", "ja-JP", "ru-RU", "sl-SI", "zh-CN", "zh-TW"];

    fn route(text: &str) -> (Vec<&'static str>, bool) {
        let router = Router::new(LOCALES.into_iter());
        let (locales, source) = router.route(text);
        let locales = locales
            .into_iter()
            .map(|l| *LOCALES.iter().find(|k| **k == l).unwrap())
            .collect();
        (locales, source)
    }

    #[test]
    fn routes_by_script() {
        assert_eq!(
            route("共享链接 设置"),
            (vec!["ja-JP", "zh-CN"], false),
            "链 and 设 are Simplified only"
        );
        assert_eq!(
            route("共享链接 灰色"),
            (vec!["ja-JP", "zh-CN", "zh-TW"], false),
            "one Simplified form may be shared"
        );
        assert_eq!(route("共享連結 灰色"), (vec!["ja-JP", "zh-TW"], false));
        assert_eq!(
            route("共享 灰色"),
            (vec!["ja-JP", "zh-CN", "zh-TW"], false),
            "characters both forms share"
        );
        assert_eq!(route("Outlook でエラー"), (vec!["ja-JP"], false));
        assert_eq!(route("Кнопка сброса"), (vec!["ru-RU"], false));
        assert_eq!(route("geslo ponastavitev"), (vec!["de-DE", "sl-SI"], true));
        assert_eq!(route("80070005").0.len(), 6);
        assert_eq!(route("0x80070005"), (vec!["de-DE", "sl-SI"], true));
    }

    #[test]
    fn locales_outside_the_corpus_route_by_their_likely_script() {
        let locales = [
            "hi-IN",
            "km-KH",
            "ka-GE",
            "sr-Latn-RS",
            "sr-RS",
            "pa-Arab-PK",
            "de-DE",
        ];
        let router = Router::new(locales.into_iter());
        assert_eq!(router.route("पासवर्ड रीसेट").0, ["hi-IN"]);
        assert_eq!(router.route("ពាក្យសម្ងាត់").0, ["km-KH"]);
        assert_eq!(router.route("Outlook პაროლი").0, ["ka-GE"]);
        // Serbian in either alphabet: the Serbian analyzer writes Cyrillic in Latin letters.
        assert_eq!(router.route("Лозинка").0, ["sr-Latn-RS", "sr-RS"]);
        assert_eq!(router.route("لوزینکا").0, ["pa-Arab-PK"]);
        assert_eq!(
            router.route("lozinka"),
            (vec!["sr-Latn-RS", "sr-RS", "de-DE"], true)
        );
    }
}
