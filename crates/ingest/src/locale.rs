//! BCP-47 locale tags as the corpus uses them (`sl-SI`, `sr-Latn-RS`, `zh-TW`).

/// Canonical case for a tag that looks like a locale: language lower case, script title
/// case, region upper case. `None` when `s` is not shaped like a locale tag.
pub fn canonicalize(s: &str) -> Option<String> {
    let mut parts = s.trim().split(['-', '_']);
    let language = parts.next()?;
    if !(2..=3).contains(&language.len()) || !language.bytes().all(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    let mut out = language.to_ascii_lowercase();
    let mut seen_region = false;
    for part in parts {
        let is_alpha = part.bytes().all(|b| b.is_ascii_alphabetic());
        match part.len() {
            4 if is_alpha && !seen_region => {
                out.push('-');
                out.push_str(&part[..1].to_ascii_uppercase());
                out.push_str(&part[1..].to_ascii_lowercase());
            }
            2 if is_alpha && !seen_region => {
                seen_region = true;
                out.push('-');
                out.push_str(&part.to_ascii_uppercase());
            }
            3 if part.bytes().all(|b| b.is_ascii_digit()) && !seen_region => {
                seen_region = true;
                out.push('-');
                out.push_str(part);
            }
            _ => return None,
        }
    }
    Some(out)
}

/// Splits `sl-SI/AlchemyInsights/x.md` into the locale of its first locale-shaped folder
/// and the path below it. A file name is never a locale folder.
pub fn split_locale_folder(rel_path: &str) -> Option<(String, &str)> {
    let mut offset = 0;
    for component in rel_path.split('/') {
        let next = offset + component.len() + 1;
        if next > rel_path.len() {
            return None;
        }
        // Only region-qualified folder names count: `it/` may be an ordinary folder.
        if component.contains('-')
            && let Some(locale) = canonicalize(component)
        {
            return Some((locale, &rel_path[next..]));
        }
        offset = next;
    }
    None
}

/// Whether the file at `rel_path` is an include: a fragment under an `includes/` folder, which
/// documentation builds (docfx) paste into the pages that include it and never publish alone.
pub fn is_include(rel_path: &str) -> bool {
    let folders = rel_path.rsplit_once('/').map_or("", |(folders, _)| folders);
    folders
        .split('/')
        .any(|f| f.eq_ignore_ascii_case("includes"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn includes_are_files_below_an_includes_folder() {
        assert!(is_include(
            "de-DE/AlchemyInsights/includes/alchemyinsights-content-updates.md"
        ));
        assert!(is_include("includes/x.md"));
        assert!(!is_include("de-DE/AlchemyInsights/includes.md"));
        assert!(!is_include(
            "de-DE/AlchemyInsights/includes-and-excludes.md"
        ));
        assert!(!is_include("de-DE/AlchemyInsights/set-up-spf.md"));
    }

    #[test]
    fn canonical_forms() {
        assert_eq!(canonicalize("sl-si").as_deref(), Some("sl-SI"));
        assert_eq!(canonicalize("sr-latn-rs").as_deref(), Some("sr-Latn-RS"));
        assert_eq!(canonicalize("zh_TW").as_deref(), Some("zh-TW"));
        assert_eq!(canonicalize("es-419").as_deref(), Some("es-419"));
        assert_eq!(canonicalize("AlchemyInsights"), None);
        assert_eq!(canonicalize("commercial-dialogues"), None);
    }

    #[test]
    fn locale_folder() {
        assert_eq!(
            split_locale_folder("sl-SI/AlchemyInsights/x.md"),
            Some(("sl-SI".into(), "AlchemyInsights/x.md"))
        );
        assert_eq!(
            split_locale_folder("corpus/sr-Latn-RS/a/b.md"),
            Some(("sr-Latn-RS".into(), "a/b.md"))
        );
        assert_eq!(split_locale_folder("seeds/000.txt"), None);
        assert_eq!(split_locale_folder("sl-SI.md"), None);
    }

    proptest::proptest! {
        /// Whatever a folder is called: no panic; a canonical form is its own, whatever the
        /// case it was written in; a locale folder's path below it is the rest of the path.
        #[test]
        fn canonical_forms_are_stable_and_folders_split_the_path(
            name in "[a-zA-Z0-9_\\-]{0,14}|\\PC{0,10}",
            below in "[a-zA-Z./é-]{0,12}",
        ) {
            if let Some(canonical) = canonicalize(&name) {
                proptest::prop_assert_eq!(canonicalize(&canonical), Some(canonical.clone()));
                proptest::prop_assert_eq!(canonicalize(&name.to_ascii_uppercase()), Some(canonical));
            }
            let path = format!("{name}/{below}");
            if let Some((locale, rest)) = split_locale_folder(&path) {
                proptest::prop_assert!(path.ends_with(rest));
                proptest::prop_assert_eq!(canonicalize(&locale), Some(locale));
            }
        }
    }
}
