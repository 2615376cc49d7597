//! Side-by-side ("ttu") Markdown → [`Article`]s of aligned source/target [`Segment`]s.
//!
//! ```text
//! <span data-ttu-id="ID">TARGET</span><span class="sxs-lookup"><span data-stu-id="ID">SOURCE</span></span>
//! ```
//!
//! [`parse_document`] reads one document; [`walk`] finds the files of a corpus and
//! [`ingest`] reads them all in parallel, in a deterministic order, turning every problem
//! into a [`Diagnostic`] instead of stopping.

mod frontmatter;
mod html;
pub mod language;
pub mod locale;
mod model;
mod parse;
mod repair;
mod walk;

#[cfg(test)]
mod tests;

pub use model::{Article, Block, Diagnostic, FrontMatter, Segment, Severity};
pub use walk::{
    CorpusFile, FileOutcome, IngestOptions, Links, LocaleCounts, Report, Walk, fnv1a, ingest,
    ingest_files, read_file, walk, walk_with,
};

/// What [`parse_document`] found in one document.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub front_matter: FrontMatter,
    pub segments: Vec<Segment>,
    /// Problems by 1-based line; the document was still read in full.
    pub warnings: Vec<(u32, String)>,
}

impl Document {
    /// The localized title: front matter `title`, else the first heading.
    pub fn title(&self) -> String {
        self.front_matter.title.clone().unwrap_or_else(|| {
            self.first_heading()
                .map(|s| s.target.clone())
                .unwrap_or_default()
        })
    }

    /// The English title: the source of the first heading, when aligned.
    pub fn source_title(&self) -> Option<String> {
        self.first_heading()
            .and_then(|s| s.source.clone())
            .filter(|s| !s.is_empty())
    }

    fn first_heading(&self) -> Option<&Segment> {
        let level_one = self.segments.iter().find(|s| s.block == Block::Heading(1));
        level_one.or_else(|| self.segments.iter().find(|s| s.block.is_heading()))
    }
}

/// Parses one document (front matter + Markdown body). Never fails and never panics:
/// problems become warnings, and every character of target text lands in one segment.
pub fn parse_document(text: &str) -> Document {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut split = frontmatter::split(text);
    let mut warnings = Vec::new();
    let front_matter = match split.yaml {
        Some(yaml) => frontmatter::parse(yaml).unwrap_or_else(|(message, line)| {
            // The fence is line 1, so YAML line n is file line n + 1.
            let line = line.map_or(1, |l| {
                u32::try_from(l).unwrap_or(u32::MAX).saturating_add(1)
            });
            if yaml.contains("data-ttu-id") {
                // A broken export translated the front matter itself: it is text, keep it.
                warnings.push((
                    line,
                    format!("{message}; it holds translated spans, read as body text"),
                ));
                split.body_start = 0;
            } else {
                warnings.push((line, message));
            }
            FrontMatter::default()
        }),
        None => FrontMatter::default(),
    };
    let body_first_line = 1 + count_lines(&text[..split.body_start]);
    let raw_body = &text[split.body_start..];
    let repaired = repair::repair(raw_body);
    for &offset in &repaired.fixes {
        let line = body_first_line + count_lines(&repaired.text[..offset]);
        warnings.push((
            line,
            "recovered a broken span tag (entity-escaped quotes, or cut off by line breaks)".into(),
        ));
    }
    let parsed = parse::parse_body(&repaired.text, body_first_line);
    warnings.extend(parsed.warnings.into_iter().map(|w| (w.line, w.message)));
    Document {
        front_matter,
        segments: parsed.segments,
        warnings,
    }
}

fn count_lines(s: &str) -> u32 {
    u32::try_from(memchr::memchr_iter(b'\n', s.as_bytes()).count()).unwrap_or(u32::MAX)
}

/// Every piece of text in a body, source side included, by a walk independent of the
/// segmenter: text events, decoded HTML text, and placeholder tags like `<user>`. The
/// parser's invariant is that each of these characters lands in exactly one segment, on its
/// target or its source side; which side is the segmenter's call, pinned by unit tests.
pub fn body_text(text: &str) -> String {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let split = frontmatter::split(text);
    let broken_front_matter = split
        .yaml
        .is_some_and(|y| y.contains("data-ttu-id") && frontmatter::parse(y).is_err());
    let body = if broken_front_matter {
        text
    } else {
        &text[split.body_start..]
    };
    let repaired = repair::repair(body);
    let mut out = String::new();
    let mut in_comment = false;
    for event in pulldown_cmark::Parser::new_ext(&repaired.text, parse::markdown_options()) {
        use pulldown_cmark::Event;
        match event {
            Event::Text(t) | Event::Code(t) | Event::InlineMath(t) | Event::DisplayMath(t) => {
                out.push_str(&t)
            }
            Event::Html(raw) | Event::InlineHtml(raw) => {
                for (_, piece) in html::pieces(&raw, &mut in_comment) {
                    match piece {
                        html::Piece::Text(t) => out.push_str(&html::decode_entities(t)),
                        html::Piece::Tag(tag) if !html::is_html_element(tag.name) => {
                            out.push_str(tag.raw)
                        }
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// The parser's invariant for one document: every non-space character of [`body_text`] is in
/// exactly one of `segments`, on its target or its source side (compared as multisets).
pub fn conserves_text(text: &str, segments: &[Segment]) -> bool {
    let mut segmented: Vec<char> = segments
        .iter()
        .flat_map(|s| {
            s.target
                .chars()
                .chain(s.source.iter().flat_map(|s| s.chars()))
        })
        .filter(|c| !c.is_whitespace())
        .collect();
    let mut expected: Vec<char> = body_text(text)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    segmented.sort_unstable();
    expected.sort_unstable();
    segmented == expected
}

/// The key that links the translations of one article: the path below the locale folder
/// (`AlchemyInsights/x.md`). A loose file, in no locale folder, is keyed by the hash of its
/// English source (`ms.openlocfilehash`), which all its translations share, else its path.
pub fn article_key(rel_path: &str, front_matter: &FrontMatter) -> String {
    match locale::split_locale_folder(rel_path) {
        Some((_, below)) => below.to_owned(),
        None => match &front_matter.source_hash {
            Some(hash) => format!("source:{hash}"),
            None => rel_path.to_owned(),
        },
    }
}
