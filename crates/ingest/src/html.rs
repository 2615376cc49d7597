//! Just enough HTML for ttu markup: split raw HTML into tags and text, read a tag's
//! attributes, decode character references. Never fails: what is not a tag is text.

/// One piece of raw HTML, with its byte range in the input.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Piece<'a> {
    Tag(Tag<'a>),
    /// `<!-- ... -->`, or the part of one inside this input; `closed` is false when the
    /// input ended inside it.
    Comment {
        closed: bool,
    },
    /// Raw text between tags, entities not yet decoded.
    Text(&'a str),
}

#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Tag<'a> {
    pub name: &'a str,
    pub closing: bool,
    pub raw: &'a str,
    attrs: &'a str,
}

impl<'a> Tag<'a> {
    /// The value of attribute `name` (ASCII case-insensitive), quotes removed.
    pub fn attr(&self, name: &str) -> Option<&'a str> {
        let mut rest = self.attrs;
        loop {
            rest = rest.trim_start_matches(|c: char| c.is_ascii_whitespace() || c == '/');
            if rest.is_empty() {
                return None;
            }
            let key_end = rest
                .find(|c: char| c.is_ascii_whitespace() || c == '=' || c == '>' || c == '/')
                .unwrap_or(rest.len());
            let key = &rest[..key_end];
            rest = rest[key_end..].trim_start();
            let mut value = "";
            if let Some(after_eq) = rest.strip_prefix('=') {
                let after_eq = after_eq.trim_start();
                let (v, tail) = match after_eq.chars().next() {
                    Some(q @ ('"' | '\'')) => {
                        let body = &after_eq[1..];
                        match body.find(q) {
                            Some(end) => (&body[..end], &body[end + 1..]),
                            None => (body, ""),
                        }
                    }
                    _ => {
                        let end = after_eq
                            .find(|c: char| c.is_ascii_whitespace() || c == '>')
                            .unwrap_or(after_eq.len());
                        (&after_eq[..end], &after_eq[end..])
                    }
                };
                value = v;
                rest = tail;
            }
            if key.eq_ignore_ascii_case(name) {
                return Some(value);
            }
            if key.is_empty() {
                // Unparseable junk: skip one character so the loop always advances.
                let mut chars = rest.chars();
                chars.next();
                rest = chars.as_str();
            }
        }
    }
}

/// Splits raw HTML (an inline HTML event or a line of an HTML block) into pieces with
/// their byte offsets. `in_comment` carries an unclosed comment across calls.
pub(crate) fn pieces<'a>(html: &'a str, in_comment: &mut bool) -> Vec<(usize, Piece<'a>)> {
    let mut out = Vec::new();
    let mut pos = 0;
    let mut text_start = 0;
    if *in_comment {
        match html.find("-->") {
            Some(end) => {
                *in_comment = false;
                pos = end + 3;
                text_start = pos;
                out.push((0, Piece::Comment { closed: true }));
            }
            None => {
                out.push((0, Piece::Comment { closed: false }));
                return out;
            }
        }
    }
    let bytes = html.as_bytes();
    while let Some(rel) = memchr::memchr(b'<', &bytes[pos..]) {
        let lt = pos + rel;
        let parsed = if html[lt..].starts_with("<!--") {
            match html[lt + 4..].find("-->") {
                Some(end) => Some((lt + 4 + end + 3, Piece::Comment { closed: true })),
                None => {
                    *in_comment = true;
                    Some((html.len(), Piece::Comment { closed: false }))
                }
            }
        } else {
            parse_tag(&html[lt..]).map(|(len, tag)| (lt + len, Piece::Tag(tag)))
        };
        match parsed {
            Some((end, piece)) => {
                if text_start < lt {
                    out.push((text_start, Piece::Text(&html[text_start..lt])));
                }
                out.push((lt, piece));
                pos = end;
                text_start = end;
            }
            None => pos = lt + 1,
        }
    }
    if text_start < html.len() {
        out.push((text_start, Piece::Text(&html[text_start..])));
    }
    out
}

/// Parses a tag at the start of `s`; returns its length.
pub(crate) fn parse_tag(s: &str) -> Option<(usize, Tag<'_>)> {
    let b = s.as_bytes();
    let mut i = 1;
    let closing = b.get(i) == Some(&b'/');
    if closing {
        i += 1;
    }
    let name_start = i;
    if !b.get(i).is_some_and(u8::is_ascii_alphabetic) {
        return None;
    }
    while b
        .get(i)
        .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'-')
    {
        i += 1;
    }
    let name_end = i;
    // Find the closing '>' outside quotes; give up at a newline-free bound to stay linear.
    let mut quote = None;
    while let Some(&c) = b.get(i) {
        match (quote, c) {
            (None, b'>') => {
                let tag = Tag {
                    name: &s[name_start..name_end],
                    closing,
                    raw: &s[..=i],
                    attrs: &s[name_end..i],
                };
                return Some((i + 1, tag));
            }
            (None, b'"' | b'\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, b'<') => return None,
            _ => {}
        }
        i += 1;
    }
    None
}

/// HTML elements whose tags are markup, not text. A tag with any other name, like the
/// placeholders `<user>` or `<CustomDomain>` in PowerShell examples, is kept as text.
const HTML_ELEMENTS: &[&str] = &[
    "a",
    "abbr",
    "b",
    "big",
    "blockquote",
    "body",
    "br",
    "button",
    "caption",
    "center",
    "cite",
    "code",
    "col",
    "colgroup",
    "dd",
    "del",
    "details",
    "div",
    "dl",
    "dt",
    "em",
    "embed",
    "figcaption",
    "figure",
    "font",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "hr",
    "html",
    "i",
    "iframe",
    "img",
    "input",
    "ins",
    "kbd",
    "label",
    "li",
    "link",
    "mark",
    "meta",
    "nobr",
    "object",
    "ol",
    "p",
    "picture",
    "pre",
    "q",
    "s",
    "samp",
    "script",
    "section",
    "small",
    "source",
    "span",
    "strike",
    "strong",
    "style",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "title",
    "tr",
    "tt",
    "u",
    "ul",
    "var",
    "video",
    "wbr",
];

pub(crate) fn is_html_element(name: &str) -> bool {
    HTML_ELEMENTS.iter().any(|e| e.eq_ignore_ascii_case(name))
}

/// Tags that separate words when rendered.
pub(crate) fn is_break(name: &str) -> bool {
    ["br", "p", "div", "li", "td", "th", "tr", "hr"]
        .iter()
        .any(|e| e.eq_ignore_ascii_case(name))
}

/// Decodes character references (`&amp;`, `&#233;`, `&#xE9;`); unknown ones stay as written.
pub(crate) fn decode_entities(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.contains('&') {
        return s.into();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let decoded = rest[1..].find(';').filter(|&n| n <= 10).and_then(|n| {
            let name = &rest[1..1 + n];
            decode_one(name).map(|c| (c, n + 2))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out.into()
}

fn decode_one(name: &str) -> Option<char> {
    if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        return char::from_u32(code).filter(|&c| c != '\0');
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        "ndash" => '–',
        "mdash" => '—',
        "hellip" => '…',
        "copy" => '©',
        "reg" => '®',
        "trade" => '™',
        "laquo" => '«',
        "raquo" => '»',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_and_attrs() {
        let mut c = false;
        let p = pieces(r#"<span data-ttu-id="3545b-102">Težave</span>"#, &mut c);
        let Piece::Tag(t) = &p[0].1 else {
            panic!("{p:?}")
        };
        assert_eq!(
            (t.name, t.closing, t.attr("data-ttu-id")),
            ("span", false, Some("3545b-102"))
        );
        assert_eq!(p[1], (30, Piece::Text("Težave")));
        let Piece::Tag(t) = &p[2].1 else { panic!() };
        assert!(t.closing);
    }

    #[test]
    fn single_quotes_and_unquoted() {
        let (_, t) = parse_tag("<span class=sxs-lookup data-x='a b'>").unwrap();
        assert_eq!(t.attr("class"), Some("sxs-lookup"));
        assert_eq!(t.attr("data-x"), Some("a b"));
        assert_eq!(t.attr("nope"), None);
    }

    #[test]
    fn lone_angle_is_text() {
        let mut c = false;
        assert_eq!(pieces("a < b", &mut c), vec![(0, Piece::Text("a < b"))]);
    }

    #[test]
    fn comments_span_calls() {
        let mut c = false;
        let p = pieces("x <!-- open", &mut c);
        assert!(c);
        assert_eq!(p[0], (0, Piece::Text("x ")));
        let p = pieces("still --> after", &mut c);
        assert!(!c);
        assert_eq!(p[1], (9, Piece::Text(" after")));
    }

    #[test]
    fn entities() {
        assert_eq!(
            decode_entities("a &amp; b &#233; &#xE9; &bogus; &"),
            "a & b é é &bogus; &"
        );
    }

    #[test]
    fn placeholders_are_not_elements() {
        assert!(is_html_element("SPAN"));
        assert!(!is_html_element("user"));
        assert!(!is_html_element("CustomDomain"));
    }
}
