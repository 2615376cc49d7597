//! YAML front matter: `---` at the very start, closed by `---` or `...`.

use crate::model::FrontMatter;

/// Where the front matter and the body are in a document.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Split<'a> {
    /// The YAML between the fences, if the document has front matter.
    pub yaml: Option<&'a str>,
    /// Byte offset of the body in the document.
    pub body_start: usize,
}

/// Finds the front matter fences. A document whose opening fence is never closed has no
/// front matter: its first line is body text, so no text is lost.
pub(crate) fn split(doc: &str) -> Split<'_> {
    let no_front_matter = Split {
        yaml: None,
        body_start: 0,
    };
    let Some(first_end) = line_end(doc, 0) else {
        return no_front_matter;
    };
    if doc[..first_end].trim_end() != "---" {
        return no_front_matter;
    }
    let yaml_start = next_line(doc, first_end);
    let mut pos = yaml_start;
    while pos < doc.len() {
        let end = line_end(doc, pos).unwrap_or(doc.len());
        let line = doc[pos..end].trim_end();
        if line == "---" || line == "..." {
            return Split {
                yaml: Some(&doc[yaml_start..pos]),
                body_start: next_line(doc, end),
            };
        }
        pos = next_line(doc, end);
    }
    no_front_matter
}

fn line_end(doc: &str, from: usize) -> Option<usize> {
    if from >= doc.len() {
        return None;
    }
    Some(memchr::memchr(b'\n', &doc.as_bytes()[from..]).map_or(doc.len(), |i| from + i))
}

fn next_line(doc: &str, line_end: usize) -> usize {
    (line_end + 1).min(doc.len())
}

/// Parses the YAML into typed fields. An error message comes back with the 1-based line
/// within the YAML, when the YAML parser knows it.
pub(crate) fn parse(yaml: &str) -> Result<FrontMatter, (String, Option<usize>)> {
    if yaml.trim().is_empty() {
        return Ok(FrontMatter::default());
    }
    let value = match simple_yaml(yaml) {
        Some(value) => value,
        None => serde_yaml_ng::from_str(yaml).map_err(|e| {
            (
                format!("front matter is not valid YAML: {e}"),
                e.location().map(|l| l.line()),
            )
        })?,
    };
    let serde_yaml_ng::Value::Mapping(map) = value else {
        return Err(("front matter is not a YAML mapping".into(), Some(1)));
    };
    let mut fm = FrontMatter::default();
    for (key, value) in map {
        let key = match key {
            serde_yaml_ng::Value::String(s) => s,
            other => scalar_text(&other).unwrap_or_default(),
        };
        let text = scalar_text(&value);
        match key.as_str() {
            "title" => fm.title = text,
            "description" => fm.description = text,
            "ms.contentlocale" => fm.content_locale = text,
            "ms.openlocfilehash" => fm.source_hash = text,
            "ms.translationtype" => fm.translation_type = text,
            _ => {
                let json = serde_json::to_value(&value).unwrap_or(serde_json::Value::Null);
                if key.starts_with("ms.") {
                    fm.ms.insert(key, json);
                } else {
                    fm.other.insert(key, json);
                }
            }
        }
    }
    Ok(fm)
}

/// A fast reader for the one shape docs front matter nearly always has — `key: scalar`
/// lines and `key:` followed by `- scalar` items — giving exactly what the YAML library
/// gives for it. Anything else (flow collections, block scalars, escapes, anchors,
/// comments, nesting) returns `None` and goes to the library. It exists because the library
/// took a third of the whole parse time on the real corpus.
fn simple_yaml(yaml: &str) -> Option<serde_yaml_ng::Value> {
    use serde_yaml_ng::{Mapping, Value};
    if yaml.trim().is_empty() {
        return None;
    }
    let mut map = Mapping::new();
    let mut list_key: Option<Value> = None;
    let mut list: Vec<Value> = Vec::new();
    for line in yaml.lines() {
        if line.trim().is_empty() {
            continue;
        }
        if let Some(item) = line
            .strip_prefix("- ")
            .or_else(|| line.strip_prefix("  - "))
        {
            list_key.as_ref()?;
            list.push(simple_scalar(item)?);
            continue;
        }
        if let Some(key) = list_key.take() {
            let items = std::mem::take(&mut list);
            map.insert(
                key,
                if items.is_empty() {
                    Value::Null
                } else {
                    Value::Sequence(items)
                },
            );
        }
        let (key, value) = line.split_once(':')?;
        let plain_key = |k: &str| {
            !k.is_empty()
                && k.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
        };
        if !plain_key(key) || map.contains_key(key) {
            return None;
        }
        if value.trim().is_empty() {
            list_key = Some(Value::String(key.to_owned()));
        } else {
            map.insert(
                Value::String(key.to_owned()),
                simple_scalar(value.strip_prefix(' ')?)?,
            );
        }
    }
    if let Some(key) = list_key {
        map.insert(
            key,
            if list.is_empty() {
                Value::Null
            } else {
                Value::Sequence(list)
            },
        );
    }
    Some(Value::Mapping(map))
}

fn simple_scalar(raw: &str) -> Option<serde_yaml_ng::Value> {
    use serde_yaml_ng::Value;
    let s = raw.trim_matches([' ', '\t']);
    if let Some(inner) = s.strip_prefix('"').and_then(|r| r.strip_suffix('"')) {
        return (!inner.contains(['"', '\\'])).then(|| Value::String(inner.to_owned()));
    }
    if let Some(inner) = s.strip_prefix('\'').and_then(|r| r.strip_suffix('\'')) {
        return (!inner.contains('\'')).then(|| Value::String(inner.to_owned()));
    }
    // Plain scalars: only text that YAML reads as a string, or a plain decimal integer.
    let first = s.chars().next()?;
    if "-?:,[]{}#&*!|>'\"%@`~".contains(first)
        || s.contains(": ")
        || s.contains(" #")
        || s.ends_with(':')
    {
        return None;
    }
    if s.bytes().all(|b| b.is_ascii_digit()) {
        if s.len() > 1 && s.starts_with('0') {
            return None;
        }
        return s.parse::<u64>().ok().map(|n| Value::Number(n.into()));
    }
    let lower = s.to_ascii_lowercase();
    let special = [
        "true", "false", "yes", "no", "on", "off", "null", "y", "n", ".nan", ".inf", "-.inf",
    ];
    if special.contains(&lower.as_str()) || s.parse::<f64>().is_ok() || s.starts_with(['+', '.']) {
        return None;
    }
    if s.starts_with("0x") || s.starts_with("0o") || s.contains('\t') {
        return None;
    }
    Some(Value::String(s.to_owned()))
}

fn scalar_text(value: &serde_yaml_ng::Value) -> Option<String> {
    use serde_yaml_ng::Value;
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_fences_with_crlf() {
        let doc = "---\r\ntitle: x\r\n---\r\n# Body\r\n";
        let s = split(doc);
        assert_eq!(s.yaml, Some("title: x\r\n"));
        assert_eq!(&doc[s.body_start..], "# Body\r\n");
    }

    #[test]
    fn unclosed_fence_is_body() {
        let doc = "---\ntitle: x\n# Body\n";
        assert_eq!(
            split(doc),
            Split {
                yaml: None,
                body_start: 0
            }
        );
    }

    #[test]
    fn no_front_matter() {
        assert_eq!(split("# Heading\n").yaml, None);
        assert_eq!(split("").yaml, None);
    }

    #[test]
    fn typed_and_unknown_keys() {
        let fm = parse(
            "title: Težave s poverilnicami\nms.contentlocale: sl-SI\nms.custom:\n- \"9004330\"\nROBOTS: NOINDEX\nms.locfileid: \"50063688\"\n",
        )
        .unwrap();
        assert_eq!(fm.title.as_deref(), Some("Težave s poverilnicami"));
        assert_eq!(fm.content_locale.as_deref(), Some("sl-SI"));
        assert_eq!(fm.ms["ms.custom"], serde_json::json!(["9004330"]));
        assert_eq!(fm.ms["ms.locfileid"], serde_json::json!("50063688"));
        assert_eq!(fm.other["ROBOTS"], serde_json::json!("NOINDEX"));
    }

    #[test]
    fn fast_path_matches_the_library() {
        let yaml = "title: Težave s poverilnicami\nms.date: 04/8/2021\nms.custom:\n- \"9004330\"\n- '7723'\nROBOTS: NOINDEX, NOFOLLOW\nms.locfileid: 50063688\nempty:\n";
        let fast = simple_yaml(yaml).expect("simple shape");
        let library: serde_yaml_ng::Value = serde_yaml_ng::from_str(yaml).unwrap();
        assert_eq!(fast, library);
    }

    #[test]
    fn fast_path_declines_what_it_does_not_know() {
        for yaml in [
            "a: [1, 2]\n",
            "a: |\n  x\n",
            "a: \"x\\\"y\"\n",
            "a: yes\n",
            "a: 1.5\n",
            "a:\n  b: c\n",
            "a: b # c\n",
        ] {
            assert_eq!(simple_yaml(yaml), None, "{yaml}");
        }
    }

    proptest::proptest! {
        /// Whenever the fast path answers, it answers what the library does.
        #[test]
        fn fast_path_agrees(lines in proptest::collection::vec("[a-z.]{1,6}: [ -~]{0,12}|- [ -~]{0,8}|[a-z]{1,4}:", 0..8)) {
            let yaml = lines.join("\n");
            if let Some(fast) = simple_yaml(&yaml) {
                let library: serde_yaml_ng::Value = serde_yaml_ng::from_str(&yaml).unwrap();
                proptest::prop_assert_eq!(fast, library);
            }
        }
    }

    #[test]
    fn bad_yaml_reports_a_line() {
        let (msg, line) = parse("title: x\n  bad: [unclosed\n").unwrap_err();
        assert!(msg.contains("not valid YAML"), "{msg}");
        assert!(line.is_some());
    }
}
