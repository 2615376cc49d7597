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
    let no_front_matter = Split { yaml: None, body_start: 0 };
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
            return Split { yaml: Some(&doc[yaml_start..pos]), body_start: next_line(doc, end) };
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
    let value: serde_yaml_ng::Value = serde_yaml_ng::from_str(yaml)
        .map_err(|e| (format!("front matter is not valid YAML: {e}"), e.location().map(|l| l.line())))?;
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
        assert_eq!(split(doc), Split { yaml: None, body_start: 0 });
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
    fn bad_yaml_reports_a_line() {
        let (msg, line) = parse("title: x\n  bad: [unclosed\n").unwrap_err();
        assert!(msg.contains("not valid YAML"), "{msg}");
        assert!(line.is_some());
    }
}
