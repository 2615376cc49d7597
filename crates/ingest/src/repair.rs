//! Recovers span tags that a broken export wrote with entity-escaped quotes:
//! `<span data-ttu-id="x&quot;>` or `<span data-ttu-id=&quot;x&quot;>`.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;

pub(crate) struct Repaired<'a> {
    pub text: Cow<'a, str>,
    /// Byte offsets (in `text`) of the tags that were rewritten.
    pub fixes: Vec<usize>,
}

/// A span whose only attribute is a ttu/stu id or the sxs-lookup class, with at least one
/// quote written as `&quot;`/`&#34;`. The value admits only id characters, so the intent is
/// unambiguous; anything else is left alone and stays text.
static ESCAPED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"<span\s+(data-ttu-id|data-stu-id|class)\s*=\s*("|&quot;|&#34;)([A-Za-z0-9._:-]+)("|&quot;|&#34;)\s*>"#,
    )
    .expect("static regex")
});

/// Runs every repair.
pub(crate) fn repair(body: &str) -> Repaired<'_> {
    let first = entity_escaped_attributes(body);
    let second = split_closers(&first.text);
    if second.fixes.is_empty() {
        return first;
    }
    let mut fixes = first.fixes;
    fixes.extend(second.fixes);
    fixes.sort_unstable();
    Repaired {
        text: Cow::Owned(second.text.into_owned()),
        fixes,
    }
}

const CLOSER: &str = "</span><span class=\"sxs-lookup\">";

/// A target span cut by line breaks from its closing tag:
/// `<span data-ttu-id="x">text\n\n</span><span class="sxs-lookup">...` would end the paragraph
/// inside the span. The breaks move to the end of the closer's line, so line numbers stay.
pub(crate) fn split_closers(body: &str) -> Repaired<'_> {
    let mut out = String::new();
    let mut fixes = Vec::new();
    let mut last = 0;
    for at in memchr::memmem::find_iter(body.as_bytes(), CLOSER.as_bytes()) {
        if at < last
            || !body[line_start(body, at)..at]
                .chars()
                .all(char::is_whitespace)
        {
            continue;
        }
        // The white space (with at least one newline) between the text and the closer.
        let gap_start = body[..at].trim_end().len();
        let gap = &body[gap_start..at];
        let newlines = gap.matches('\n').count();
        let previous_line = &body[line_start(body, gap_start)..gap_start];
        if newlines == 0 || gap_start < last || !opens_target_unclosed(previous_line) {
            continue;
        }
        let closer_line_end = body[at..].find('\n').map_or(body.len(), |i| at + i);
        out.push_str(&body[last..gap_start]);
        fixes.push(out.len());
        out.push_str(&body[at..closer_line_end]);
        out.push_str(&"\n".repeat(newlines));
        last = closer_line_end;
    }
    if fixes.is_empty() {
        return Repaired {
            text: Cow::Borrowed(body),
            fixes,
        };
    }
    out.push_str(&body[last..]);
    Repaired {
        text: Cow::Owned(out),
        fixes,
    }
}

fn line_start(body: &str, at: usize) -> usize {
    body[..at].rfind('\n').map_or(0, |i| i + 1)
}

/// The line's last `data-ttu-id` span is never closed on it.
fn opens_target_unclosed(line: &str) -> bool {
    line.rfind("<span data-ttu-id=")
        .is_some_and(|open| !line[open..].contains("</span>"))
}

pub(crate) fn entity_escaped_attributes(body: &str) -> Repaired<'_> {
    let unchanged = |body| Repaired {
        text: Cow::Borrowed(body),
        fixes: Vec::new(),
    };
    if memchr::memmem::find(body.as_bytes(), b"&quot;").is_none()
        && memchr::memmem::find(body.as_bytes(), b"&#34;").is_none()
    {
        return unchanged(body);
    }
    let mut out = String::with_capacity(body.len());
    let mut fixes = Vec::new();
    let mut last = 0;
    for caps in ESCAPED.captures_iter(body) {
        let (open, close) = (&caps[2], &caps[4]);
        if open == "\"" && close == "\"" {
            continue;
        }
        let (attr, value) = (&caps[1], &caps[3]);
        if attr == "class" && value != "sxs-lookup" {
            continue;
        }
        let whole = caps.get(0).expect("group 0");
        out.push_str(&body[last..whole.start()]);
        fixes.push(out.len());
        out.push_str(&format!("<span {attr}=\"{value}\">"));
        last = whole.end();
    }
    if fixes.is_empty() {
        return unchanged(body);
    }
    out.push_str(&body[last..]);
    Repaired {
        text: Cow::Owned(out),
        fixes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rewrites_escaped_quotes() {
        let r = entity_escaped_attributes(
            r#"<span data-ttu-id="a1-2&quot;>X</span><span class=&quot;sxs-lookup&quot;>"#,
        );
        assert_eq!(
            r.text,
            r#"<span data-ttu-id="a1-2">X</span><span class="sxs-lookup">"#
        );
        assert_eq!(r.fixes, vec![0, 33]);
    }

    #[test]
    fn rejoins_a_closer_cut_off_by_blank_lines() {
        let body = "  - <span data-ttu-id=\"9e-105\">32-bitni Windows 7.\n\n\n</span><span class=\"sxs-lookup\"><span data-stu-id=\"9e-105\">32-bit Windows 7</span></span>\nnext\n";
        let r = split_closers(body);
        assert_eq!(
            r.text,
            "  - <span data-ttu-id=\"9e-105\">32-bitni Windows 7.</span><span class=\"sxs-lookup\"><span data-stu-id=\"9e-105\">32-bit Windows 7</span></span>\n\n\n\nnext\n"
        );
        assert_eq!(r.text.matches('\n').count(), body.matches('\n').count());
    }

    #[test]
    fn leaves_closed_lines_alone() {
        let body = "<span data-ttu-id=\"a-1\">x</span>\n</span><span class=\"sxs-lookup\">";
        assert!(split_closers(body).fixes.is_empty());
    }

    #[test]
    fn leaves_ambiguous_markup_alone() {
        let body = r#"<span data-ttu-id="a b&quot;>X</span> and &quot;quoted&quot; text"#;
        let r = entity_escaped_attributes(body);
        assert_eq!(r.text, body);
        assert!(r.fixes.is_empty());
    }
}
