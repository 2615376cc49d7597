//! The data model every later stage reads: articles made of ordered, aligned segments.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

/// One Markdown file of the corpus, in one locale.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Article {
    /// BCP-47 tag: `ms.contentlocale`, else the locale folder the file sits in.
    pub locale: String,
    /// Path relative to the corpus root, `/`-separated (`sl-SI/AlchemyInsights/x.md`).
    pub path: String,
    /// The same for every translation of one article: the path below the locale folder
    /// (`AlchemyInsights/x.md`). See [`article_key`](crate::article_key) for loose files.
    pub key: String,
    /// Localized title: front matter `title`, else the first heading's target text.
    pub title: String,
    /// English title: the source side of the first heading, when it is aligned.
    pub source_title: Option<String>,
    pub front_matter: FrontMatter,
    pub segments: Vec<Segment>,
}

impl Article {
    /// Segments from a ttu span pair.
    pub fn aligned_segments(&self) -> usize {
        self.segments.iter().filter(|s| s.is_aligned()).count()
    }
}

/// The YAML front matter, with the keys the product uses typed and every other key kept.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FrontMatter {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `ms.contentlocale`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_locale: Option<String>,
    /// `ms.openlocfilehash`: a hash of the English source file, shared by its translations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_hash: Option<String>,
    /// `ms.translationtype` (`MT`, `HT`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub translation_type: Option<String>,
    /// Every other `ms.*` key, by its full name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub ms: BTreeMap<String, serde_json::Value>,
    /// Keys that are neither typed above nor `ms.*`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub other: BTreeMap<String, serde_json::Value>,
}

/// One translated unit: a ttu span pair, or (unaligned) a block's text outside any pair.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Segment {
    /// `data-ttu-id`, when the segment came from a span.
    pub id: Option<String>,
    /// Position within the article, from 0, in document order.
    pub ordinal: u32,
    pub block: Block,
    /// Plain target text of the headings above this segment, outermost first (shared by
    /// the segments under one heading).
    pub heading_path: Arc<[String]>,
    /// Plain text: Markdown syntax removed; link text, inline code and UI labels kept.
    pub target: String,
    /// Plain English source text; `None` when the segment is unaligned.
    pub source: Option<String>,
    /// The target Markdown as written.
    pub target_md: String,
    /// The source Markdown as written.
    pub source_md: Option<String>,
    /// Link destinations inside the segment: kept for display, never indexed as words.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<String>,
    /// 1-based line of the segment's start in the file.
    pub line: u32,
}

impl Segment {
    /// Came from a ttu span pair. The target may still be empty: a translator can leave it so.
    pub fn is_aligned(&self) -> bool {
        self.source.is_some()
    }
}

/// The Markdown block a segment sits in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "level")]
pub enum Block {
    Heading(u8),
    Paragraph,
    ListItem,
    TableCell,
    /// A block quote: GitHub/DocFX alerts (`> [!NOTE]`) and plain quotes alike.
    Note,
    Code,
}

impl Block {
    /// A short stable name: `h1`..`h6`, `paragraph`, `list_item`, `table_cell`, `note`, `code`.
    pub fn name(self) -> &'static str {
        match self {
            Block::Heading(1) => "h1",
            Block::Heading(2) => "h2",
            Block::Heading(3) => "h3",
            Block::Heading(4) => "h4",
            Block::Heading(5) => "h5",
            Block::Heading(_) => "h6",
            Block::Paragraph => "paragraph",
            Block::ListItem => "list_item",
            Block::TableCell => "table_cell",
            Block::Note => "note",
            Block::Code => "code",
        }
    }

    pub fn is_heading(self) -> bool {
        matches!(self, Block::Heading(_))
    }
}

/// How bad a diagnostic is: an error means the file was skipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

/// Something worth telling the user about one file. The run always goes on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Path relative to the corpus root (or as given, for a single file).
    pub path: String,
    /// 1-based line, when the problem has one.
    pub line: Option<u32>,
    pub message: String,
}

impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sev = match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        match self.line {
            Some(line) => write!(f, "{}:{}: {}: {}", self.path, line, sev, self.message),
            None => write!(f, "{}: {}: {}", self.path, sev, self.message),
        }
    }
}
