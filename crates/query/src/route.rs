//! Which locales a query with no language could be in, from the scripts of its letters.
//! A query with any non-Latin letters goes to the locales written in those scripts (Latin
//! words in a Japanese query are product names); an all-Latin query goes to every
//! Latin-script locale and to the English source side; letterless queries go everywhere.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Script {
    Latin,
    Cyrillic,
    Greek,
    Hebrew,
    Arabic,
    Thai,
    Hangul,
    Han,
    Kana,
}

pub fn script_of(c: char) -> Option<Script> {
    let u = c as u32;
    Some(match u {
        0x0041..=0x005A | 0x0061..=0x007A | 0x00C0..=0x024F | 0x1E00..=0x1EFF => Script::Latin,
        0x0400..=0x052F => Script::Cyrillic,
        0x0370..=0x03FF | 0x1F00..=0x1FFF => Script::Greek,
        0x0590..=0x05FF => Script::Hebrew,
        0x0600..=0x06FF | 0x0750..=0x077F | 0xFB50..=0xFDFF | 0xFE70..=0xFEFF => Script::Arabic,
        0x0E00..=0x0E7F => Script::Thai,
        0x1100..=0x11FF | 0x3130..=0x318F | 0xAC00..=0xD7AF => Script::Hangul,
        0x3040..=0x30FF | 0x31F0..=0x31FF | 0xFF66..=0xFF9F => Script::Kana,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3134F => Script::Han,
        _ if c.is_alphabetic() => Script::Latin,
        _ => return None,
    })
}

/// The scripts a locale's text is written in (its own letters, not borrowed product names).
pub fn locale_scripts(locale: &str) -> &'static [Script] {
    let language = locale.split('-').next().unwrap_or("").to_ascii_lowercase();
    match language.as_str() {
        "ru" | "uk" | "bg" | "be" | "mk" | "kk" => &[Script::Cyrillic],
        "sr" if !locale.to_ascii_lowercase().contains("latn") => &[Script::Cyrillic, Script::Latin],
        "el" => &[Script::Greek],
        "he" | "yi" => &[Script::Hebrew],
        "ar" | "fa" | "ur" => &[Script::Arabic],
        "th" => &[Script::Thai],
        "ko" => &[Script::Hangul],
        "ja" => &[Script::Han, Script::Kana],
        "zh" => &[Script::Han],
        _ => &[Script::Latin],
    }
}

/// The query's scripts, by letters (digits and punctuation say nothing).
pub fn query_scripts(text: &str) -> Vec<Script> {
    let mut out = Vec::new();
    for s in text.chars().filter_map(script_of) {
        if !out.contains(&s) {
            out.push(s);
        }
    }
    out
}

/// Where to look for a query with no language: the target-side locales, and whether the
/// English source side is a candidate too.
pub fn route<'a>(text: &str, locales: impl Iterator<Item = &'a str>) -> (Vec<&'a str>, bool) {
    let scripts = query_scripts(text);
    let non_latin: Vec<Script> = scripts
        .iter()
        .copied()
        .filter(|s| *s != Script::Latin)
        .collect();
    let all: Vec<&str> = locales.collect();
    if scripts.is_empty() {
        return (all, true);
    }
    let wanted = if non_latin.is_empty() {
        vec![Script::Latin]
    } else {
        non_latin.clone()
    };
    let chosen = all
        .into_iter()
        .filter(|l| locale_scripts(l).iter().any(|s| wanted.contains(s)))
        .collect();
    (chosen, non_latin.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOCALES: [&str; 6] = ["de-DE", "ja-JP", "ru-RU", "sl-SI", "zh-CN", "zh-TW"];

    #[test]
    fn routes_by_script() {
        assert_eq!(
            route("共享链接 灰色", LOCALES.into_iter()),
            (vec!["ja-JP", "zh-CN", "zh-TW"], false)
        );
        assert_eq!(
            route("Outlook でエラー", LOCALES.into_iter()),
            (vec!["ja-JP"], false)
        );
        assert_eq!(
            route("Кнопка сброса", LOCALES.into_iter()),
            (vec!["ru-RU"], false)
        );
        assert_eq!(
            route("geslo ponastavitev", LOCALES.into_iter()),
            (vec!["de-DE", "sl-SI"], true)
        );
        assert_eq!(route("80070005", LOCALES.into_iter()).0.len(), 6);
        assert_eq!(
            route("0x80070005", LOCALES.into_iter()),
            (vec!["de-DE", "sl-SI"], true)
        );
    }
}
