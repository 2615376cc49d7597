//! The Markdown body → segments. pulldown-cmark finds the blocks and inline syntax; the ttu
//! spans arrive as inline HTML events and drive a small state machine over them.

use std::ops::Range;
use std::sync::Arc;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use crate::html::{self, Piece};
use crate::model::{Block, Segment};

/// A problem found in the body, by 1-based line in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Warning {
    pub line: u32,
    pub message: String,
}

pub(crate) struct ParsedBody {
    pub segments: Vec<Segment>,
    pub warnings: Vec<Warning>,
}

pub(crate) fn markdown_options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_GFM | Options::ENABLE_STRIKETHROUGH
}

/// Parses a Markdown body. `first_line` is the 1-based line of the body's first byte in the file.
pub(crate) fn parse_body(body: &str, first_line: u32) -> ParsedBody {
    let mut walker = Walker::new(body, first_line);
    for (event, range) in Parser::new_ext(body, markdown_options()).into_offset_iter() {
        walker.event(event, range);
    }
    walker.end_block();
    ParsedBody {
        segments: walker.segments,
        warnings: walker.warnings,
    }
}

/// Byte offset → 1-based line.
pub(crate) struct LineIndex {
    newlines: Vec<usize>,
    first_line: u32,
}

impl LineIndex {
    pub(crate) fn new(text: &str, first_line: u32) -> Self {
        Self {
            newlines: memchr::memchr_iter(b'\n', text.as_bytes()).collect(),
            first_line,
        }
    }

    pub(crate) fn line(&self, offset: usize) -> u32 {
        let before = self.newlines.partition_point(|&nl| nl < offset);
        self.first_line
            .saturating_add(u32::try_from(before).unwrap_or(u32::MAX))
    }
}

/// Text being collected for one segment.
#[derive(Debug)]
struct Draft {
    id: Option<String>,
    text: String,
    /// The Markdown as written, as a byte range of the body.
    md: Option<Range<usize>>,
    links: Vec<String>,
    start: usize,
    block: Block,
}

impl Draft {
    fn new(id: Option<String>, start: usize, block: Block) -> Self {
        Self {
            id,
            text: String::new(),
            md: None,
            links: Vec::new(),
            start,
            block,
        }
    }

    fn cover(&mut self, range: &Range<usize>) {
        self.md = Some(match self.md.take() {
            Some(md) => md.start.min(range.start)..md.end.max(range.end),
            None => range.clone(),
        });
    }

    fn has_text(&self) -> bool {
        self.text.chars().any(|c| !c.is_whitespace())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Span {
    Target,
    Lookup,
    Source,
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Container {
    Heading(u8),
    Paragraph,
    Item,
    TableCell,
    Quote,
    Code,
    Other,
}

struct Walker<'a> {
    src: &'a str,
    lines: LineIndex,
    containers: Vec<Container>,
    /// Headings above the current position: (level, plain text).
    headings: Vec<(u8, String)>,
    /// `headings` as segments carry it, rebuilt when `headings` changes.
    heading_path: Arc<[String]>,
    /// Plain text of the heading being read.
    heading_text: String,
    spans: Vec<Span>,
    /// Text in the current block outside any ttu span.
    loose: Option<Draft>,
    /// An open `data-ttu-id` span.
    target: Option<Draft>,
    /// A closed target span still waiting for its `sxs-lookup` partner.
    pending: Option<Draft>,
    /// An open `data-stu-id` span.
    source: Option<Draft>,
    /// A closed `data-stu-id` span whose `sxs-lookup` wrapper is still open.
    closed_source: Option<Draft>,
    links: Vec<String>,
    in_comment: bool,
    segments: Vec<Segment>,
    warnings: Vec<Warning>,
}

impl<'a> Walker<'a> {
    fn new(src: &'a str, first_line: u32) -> Self {
        Self {
            src,
            lines: LineIndex::new(src, first_line),
            containers: Vec::new(),
            headings: Vec::new(),
            heading_path: Arc::from(Vec::new()),
            heading_text: String::new(),
            spans: Vec::new(),
            loose: None,
            target: None,
            pending: None,
            source: None,
            closed_source: None,
            links: Vec::new(),
            in_comment: false,
            segments: Vec::new(),
            warnings: Vec::new(),
        }
    }

    fn warn(&mut self, offset: usize, message: String) {
        let line = self.lines.line(offset);
        self.warnings.push(Warning { line, message });
    }

    fn block(&self) -> Block {
        for c in self.containers.iter().rev() {
            match c {
                Container::Heading(level) => return Block::Heading(*level),
                Container::TableCell => return Block::TableCell,
                Container::Code => return Block::Code,
                Container::Item => return Block::ListItem,
                Container::Quote => return Block::Note,
                Container::Paragraph | Container::Other => {}
            }
        }
        Block::Paragraph
    }

    fn event(&mut self, event: Event<'a>, range: Range<usize>) {
        match event {
            Event::Start(tag) => self.start(tag, range),
            Event::End(tag) => self.end(tag, range),
            Event::Text(text) | Event::Code(text) => self.text(&text, range),
            Event::InlineMath(text) | Event::DisplayMath(text) => self.text(&text, range),
            Event::Html(raw) | Event::InlineHtml(raw) => self.html(&raw, range),
            Event::SoftBreak | Event::HardBreak => self.text(" ", range),
            Event::FootnoteReference(_) | Event::Rule | Event::TaskListMarker(_) => {}
        }
    }

    fn start(&mut self, tag: Tag<'a>, range: Range<usize>) {
        let container = match &tag {
            Tag::Heading { level, .. } => Container::Heading(*level as u8),
            Tag::Paragraph => Container::Paragraph,
            Tag::Item => Container::Item,
            Tag::TableCell => Container::TableCell,
            Tag::BlockQuote(_) => Container::Quote,
            Tag::CodeBlock(_) => Container::Code,
            Tag::List(_)
            | Tag::Table(_)
            | Tag::TableHead
            | Tag::TableRow
            | Tag::HtmlBlock
            | Tag::FootnoteDefinition(_)
            | Tag::DefinitionList
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition
            | Tag::MetadataBlock(_) => Container::Other,
            Tag::Link { dest_url, .. } => {
                let dest = dest_url.to_string();
                if let Some(draft) = self.open_draft() {
                    draft.links.push(dest.clone());
                }
                self.links.push(dest);
                self.cover_loose(&range);
                return;
            }
            _ => {
                self.cover_loose(&range);
                return;
            }
        };
        self.end_block();
        if let Container::Heading(level) = container {
            self.headings.retain(|(l, _)| *l < level);
            self.heading_path = self.headings.iter().map(|(_, t)| t.clone()).collect();
            self.heading_text.clear();
        }
        self.containers.push(container);
    }

    fn end(&mut self, tag: TagEnd, range: Range<usize>) {
        match tag {
            TagEnd::Link => {
                self.links.pop();
                self.cover_loose(&range);
            }
            TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Image
            | TagEnd::Superscript
            | TagEnd::Subscript => self.cover_loose(&range),
            _ => {
                self.end_block();
                if let Some(Container::Heading(level)) = self.containers.pop() {
                    let text = collapse_whitespace(&self.heading_text);
                    self.headings.push((level, text));
                    self.heading_path = self.headings.iter().map(|(_, t)| t.clone()).collect();
                }
            }
        }
    }

    /// The draft that text goes to when it is inside a span.
    fn open_draft(&mut self) -> Option<&mut Draft> {
        if self.source.is_some() {
            self.source.as_mut()
        } else {
            self.target.as_mut()
        }
    }

    fn cover_loose(&mut self, range: &Range<usize>) {
        if self.target.is_none()
            && self.source.is_none()
            && !self.spans.contains(&Span::Lookup)
            && let Some(loose) = self.loose.as_mut()
        {
            loose.cover(range);
        }
    }

    fn text(&mut self, text: &str, range: Range<usize>) {
        if let Some(draft) = self.open_draft() {
            draft.text.push_str(text);
            return;
        }
        let has_text = text.chars().any(|c| !c.is_whitespace());
        if self.spans.contains(&Span::Lookup) {
            // Text inside `sxs-lookup` but outside `data-stu-id` is still source text.
            if has_text {
                let block = self.block();
                let source = self
                    .closed_source
                    .get_or_insert_with(|| Draft::new(None, range.start, block));
                source.text.push_str(text);
                source.md = source.md.clone().map(|md| md.start..md.end.max(range.end));
            }
            return;
        }
        // Text after a closed target span stays loose until we know what it is: the rest of
        // the target (a stray `</span>` follows), or text of its own.
        let block = self.block();
        let links = self.links.last().cloned();
        let loose = self
            .loose
            .get_or_insert_with(|| Draft::new(None, range.start, block));
        if loose.links.is_empty() {
            loose.links.extend(links);
        }
        loose.text.push_str(text);
        loose.cover(&range);
    }

    fn html(&mut self, raw: &str, range: Range<usize>) {
        // Fast path: an inline HTML event is nearly always one whole tag.
        if !self.in_comment
            && let Some((len, tag)) = html::parse_tag(raw).filter(|(len, _)| *len == raw.len())
            && self.src.get(range.clone()) == Some(raw)
        {
            self.tag(&tag, range.start..range.start + len);
            return;
        }
        // Inline HTML events are exact slices of the body; block HTML lines may not be
        // (container markers stripped), so offsets are clamped into the event's range.
        let exact = self.src.get(range.clone()) == Some(raw);
        let at = |offset: usize| {
            if exact {
                range.start + offset
            } else {
                range.start
            }
        };
        let mut in_comment = self.in_comment;
        let pieces = html::pieces(raw, &mut in_comment);
        self.in_comment = in_comment;
        for (offset, piece) in pieces {
            let start = at(offset);
            match piece {
                Piece::Comment { .. } => {}
                Piece::Text(text) => {
                    let end = if exact { start + text.len() } else { range.end };
                    self.text(&html::decode_entities(text), start..end);
                }
                Piece::Tag(tag) => {
                    let end = if exact {
                        start + tag.raw.len()
                    } else {
                        range.end
                    };
                    self.tag(&tag, start..end);
                }
            }
        }
    }

    fn tag(&mut self, tag: &html::Tag<'_>, range: Range<usize>) {
        if tag.name.eq_ignore_ascii_case("span") {
            self.span_tag(tag, range);
        } else if !html::is_html_element(tag.name) {
            // A placeholder such as `<user>`: text the reader is meant to see.
            self.text(tag.raw, range);
        } else if html::is_break(tag.name) {
            self.text(" ", range);
        } else {
            self.cover_loose(&range);
        }
    }

    fn span_tag(&mut self, tag: &html::Tag<'_>, range: Range<usize>) {
        if tag.closing {
            self.close_span(range);
        } else if let Some(id) = tag.attr("data-ttu-id") {
            self.open_target(id, range);
        } else if tag
            .attr("class")
            .is_some_and(|c| c.split_whitespace().any(|c| c == "sxs-lookup"))
        {
            self.open_lookup(range);
        } else if let Some(id) = tag.attr("data-stu-id") {
            self.open_source(id, range);
        } else {
            self.spans.push(Span::Other);
        }
    }

    /// `</span>`: ends whichever span is innermost.
    fn close_span(&mut self, range: Range<usize>) {
        match self.spans.pop() {
            None if self.pending.is_some() && self.loose.as_ref().is_some_and(Draft::has_text) => {
                // `<span ttu>text </span> more text</span><span lookup>`: the first
                // `</span>` was an extra one; the target runs to this one.
                let loose = self.loose.take().expect("checked");
                let pending = self.pending.as_mut().expect("checked");
                pending.text.push_str(&loose.text);
                pending.links.extend(loose.links);
                pending.md = Some(pending.start..range.start);
                let id = pending.id.clone().unwrap_or_default();
                self.warn(
                    range.start,
                    format!("extra </span> inside target span {id}; joined its text"),
                );
            }
            None => self.warn(range.start, "stray </span> with no open span".into()),
            Some(Span::Target) => {
                if let Some(mut target) = self.target.take() {
                    target.md = Some(target.start..range.start);
                    self.pending = Some(target);
                }
            }
            Some(Span::Source) => {
                if let Some(mut source) = self.source.take() {
                    source.md = Some(source.start..range.start);
                    if self.spans.last() == Some(&Span::Lookup) {
                        // Wait for the lookup to close: text may follow inside it.
                        self.closed_source = Some(source);
                    } else {
                        self.emit_source(source);
                    }
                }
            }
            Some(Span::Lookup) => {
                if let Some(source) = self.closed_source.take() {
                    self.emit_source(source);
                }
                if self.pending.is_some() {
                    self.flush_unpartnered(range.start);
                }
                self.flush_loose();
            }
            Some(Span::Other) => {}
        }
    }

    /// `<span data-ttu-id>`: a target segment begins; whatever was left open before it ends.
    fn open_target(&mut self, id: &str, range: Range<usize>) {
        let block = self.block();
        if let Some(lookup) = self.spans.iter().position(|s| *s == Span::Lookup) {
            // A new target inside a lookup: the lookup was never closed.
            self.warn(
                range.start,
                "unclosed sxs-lookup span before a new target span".into(),
            );
            self.spans.truncate(lookup);
            self.end_open_sources(range.start);
        }
        if let Some(mut outer) = self.target.take() {
            self.warn(
                range.start,
                format!("span data-ttu-id=\"{id}\" is nested in another target span"),
            );
            outer.md = Some(outer.start..range.start);
            self.emit(outer, None);
            self.spans.retain(|s| *s != Span::Target);
        }
        if self.pending.is_some() {
            self.flush_unpartnered(range.start);
        }
        self.flush_loose();
        let mut draft = Draft::new(Some(id.to_owned()), range.end, block);
        draft.links.extend(self.links.last().cloned());
        self.target = Some(draft);
        self.spans.push(Span::Target);
    }

    /// `<span class="sxs-lookup">`: the target before it is complete; its source follows.
    fn open_lookup(&mut self, range: Range<usize>) {
        if let Some(mut target) = self.target.take() {
            // The target's `</span>` is missing: it ends where its source begins.
            let id = target.id.clone().unwrap_or_default();
            self.warn(
                range.start,
                format!("target span {id} not closed before its sxs-lookup"),
            );
            target.md = Some(target.start..range.start);
            self.spans.retain(|s| *s != Span::Target);
            self.pending = Some(target);
        }
        match &self.pending {
            None => self.warn(
                range.start,
                "sxs-lookup span with no target span before it".into(),
            ),
            Some(p) if self.loose.as_ref().is_some_and(Draft::has_text) => {
                let id = p.id.clone().unwrap_or_default();
                self.warn(
                    range.start,
                    format!("text between target span {id} and its source; kept unaligned"),
                );
            }
            Some(_) => {}
        }
        self.spans.push(Span::Lookup);
    }

    /// `<span data-stu-id>`: the English source of the pending target begins.
    fn open_source(&mut self, id: &str, range: Range<usize>) {
        let block = self.block();
        match &self.pending {
            Some(p) if p.id.as_deref() != Some(id) => self.warn(
                range.start,
                format!(
                    "source id {id} does not match target id {}",
                    p.id.as_deref().unwrap_or("")
                ),
            ),
            Some(_) => {}
            None => self.warn(
                range.start,
                format!("span data-stu-id=\"{id}\" has no target span"),
            ),
        }
        self.end_open_sources(range.start);
        self.source = Some(Draft::new(Some(id.to_owned()), range.end, block));
        self.spans.push(Span::Source);
    }

    /// Source spans still open, or closed inside a lookup still open, end at `at`.
    fn end_open_sources(&mut self, at: usize) {
        for mut source in [self.source.take(), self.closed_source.take()]
            .into_iter()
            .flatten()
        {
            source.md.get_or_insert(source.start..at);
            self.emit_source(source);
        }
    }

    /// A source span ended: pair it with the pending target, or keep it alone.
    fn emit_source(&mut self, source: Draft) {
        match self.pending.take() {
            Some(target) => {
                self.emit(target, Some(source));
                self.flush_loose();
            }
            None => {
                let mut empty = Draft::new(source.id.clone(), source.start, source.block);
                empty.md = Some(source.start..source.start);
                self.emit(empty, Some(source));
            }
        }
    }

    fn flush_unpartnered(&mut self, at: usize) {
        if let Some(target) = self.pending.take() {
            let id = target.id.clone().unwrap_or_default();
            self.warn(
                at,
                format!("target span {id} has no sxs-lookup source partner; kept unaligned"),
            );
            self.emit(target, None);
        }
    }

    fn flush_loose(&mut self) {
        if let Some(loose) = self.loose.take()
            && loose.has_text()
        {
            self.emit(loose, None);
        }
    }

    /// A block boundary: nothing may stay open across it.
    fn end_block(&mut self) {
        let here = self.src.len().min(
            self.loose
                .as_ref()
                .and_then(|l| l.md.clone())
                .map_or(0, |r| r.end),
        );
        if let Some(mut source) = self.source.take() {
            self.warn(source.start, "unclosed data-stu-id span".into());
            source
                .md
                .get_or_insert(source.start..source.start.max(here));
            self.emit_source(source);
        }
        if let Some(source) = self.closed_source.take() {
            self.warn(source.start, "unclosed sxs-lookup span".into());
            self.emit_source(source);
        }
        if let Some(mut target) = self.target.take() {
            self.warn(
                target.start,
                "unclosed data-ttu-id span; kept unaligned".into(),
            );
            let end = target.start.max(here);
            target.md = Some(target.start..end);
            self.emit(target, None);
        }
        if let Some(pending) = &self.pending {
            let at = pending.start;
            self.flush_unpartnered(at);
        }
        self.flush_loose();
        self.spans.clear();
    }

    fn emit(&mut self, target: Draft, source: Option<Draft>) {
        let md = |d: &Draft| {
            d.md.clone()
                .and_then(|r| self.src.get(r))
                .unwrap_or("")
                .trim()
                .to_owned()
        };
        let target_text = collapse_whitespace(&target.text);
        if target.block.is_heading() && !target_text.is_empty() {
            if !self.heading_text.is_empty() {
                self.heading_text.push(' ');
            }
            self.heading_text.push_str(&target_text);
        }
        let segment = Segment {
            id: target
                .id
                .clone()
                .or_else(|| source.as_ref().and_then(|s| s.id.clone())),
            ordinal: u32::try_from(self.segments.len()).unwrap_or(u32::MAX),
            block: target.block,
            heading_path: Arc::clone(&self.heading_path),
            target: target_text,
            source: source.as_ref().map(|s| collapse_whitespace(&s.text)),
            target_md: md(&target),
            source_md: source.as_ref().map(md),
            links: target.links,
            line: self.lines.line(target.start),
        };
        self.segments.push(segment);
    }
}

/// Trims and folds every run of white space into one space.
pub(crate) fn collapse_whitespace(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}
