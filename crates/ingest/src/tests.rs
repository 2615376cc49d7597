//! Parser behaviour, one test per case the ttu corpus throws at it, plus the property tests.

use proptest::prelude::*;

use crate::{Block, Document, conserves_text, parse_document};

fn pair(id: &str, target: &str, source: &str) -> String {
    format!(
        r#"<span data-ttu-id="{id}">{target}</span><span class="sxs-lookup"><span data-stu-id="{id}">{source}</span></span>"#
    )
}

fn targets(doc: &Document) -> Vec<&str> {
    doc.segments.iter().map(|s| s.target.as_str()).collect()
}

fn sources(doc: &Document) -> Vec<Option<&str>> {
    doc.segments.iter().map(|s| s.source.as_deref()).collect()
}

/// Non-space characters, for comparing texts whose spacing legitimately differs.
fn dense(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Every character of the body's text lands in exactly one segment, target or source side.
fn assert_invariant(text: &str) {
    let doc = parse_document(text);
    assert!(
        conserves_text(text, &doc.segments),
        "text lost or duplicated in {text:?}:\n{:?}",
        doc.segments
    );
}

#[test]
fn several_segments_per_line() {
    let text = format!(
        "{} {}\n",
        pair("a-1", "Prvi stavek.", "First sentence."),
        pair("a-2", "Drugi.", "Second.")
    );
    let doc = parse_document(&text);
    assert_eq!(targets(&doc), ["Prvi stavek.", "Drugi."]);
    assert_eq!(sources(&doc), [Some("First sentence."), Some("Second.")]);
    assert_eq!(doc.segments[1].id.as_deref(), Some("a-2"));
    assert_eq!(doc.segments[1].ordinal, 1);
    assert!(doc.warnings.is_empty(), "{:?}", doc.warnings);
}

#[test]
fn list_items_tables_and_notes_have_their_block() {
    let text = format!(
        "- {}\n\n| {} | {} |\n|---|---|\n| {} | x |\n\n> [!NOTE]\n> {}\n",
        pair("b-1", "Postavka", "Item"),
        pair("b-2", "Nastavitev", "Setting"),
        pair("b-3", "Vrednost", "Value"),
        pair("b-4", "Vsi", "Anyone"),
        pair("b-5", "Opomba", "Note"),
    );
    let doc = parse_document(&text);
    let blocks: Vec<_> = doc
        .segments
        .iter()
        .map(|s| (s.target.as_str(), s.block))
        .collect();
    assert_eq!(
        blocks,
        [
            ("Postavka", Block::ListItem),
            ("Nastavitev", Block::TableCell),
            ("Vrednost", Block::TableCell),
            ("Vsi", Block::TableCell),
            ("x", Block::TableCell),
            ("Opomba", Block::Note),
        ]
    );
    assert_eq!(
        doc.segments[4].source, None,
        "untranslated cell text stays, unaligned"
    );
}

#[test]
fn headings_with_anchors_build_the_heading_path() {
    let text = format!(
        "# <a name=\"x\"></a>{}\n\n## {}\n\n{}\n",
        pair("c-1", "Naslov", "Title"),
        pair("c-2", "Podnaslov", "Subtitle"),
        pair("c-3", "Besedilo", "Text"),
    );
    let doc = parse_document(&text);
    assert_eq!(doc.segments[0].block, Block::Heading(1));
    assert_eq!(doc.segments[0].target, "Naslov", "the anchor is not text");
    assert_eq!(doc.segments[1].block, Block::Heading(2));
    assert_eq!(&*doc.segments[1].heading_path, ["Naslov"]);
    assert_eq!(&*doc.segments[2].heading_path, ["Naslov", "Podnaslov"]);
    assert_eq!(doc.title(), "Naslov");
    assert_eq!(doc.source_title().as_deref(), Some("Title"));
}

#[test]
fn links_and_bold_keep_their_text_not_their_markup() {
    let text = pair(
        "d-1",
        "Preberite **[članek](https://example.com/a)** in `Set-Mailbox`.",
        "Read the **[article](https://example.com/a)** and `Set-Mailbox`.",
    );
    let doc = parse_document(&text);
    let s = &doc.segments[0];
    assert_eq!(s.target, "Preberite članek in Set-Mailbox.");
    assert_eq!(
        s.source.as_deref(),
        Some("Read the article and Set-Mailbox.")
    );
    assert_eq!(
        s.target_md,
        "Preberite **[članek](https://example.com/a)** in `Set-Mailbox`."
    );
    assert_eq!(s.links, ["https://example.com/a"]);
}

#[test]
fn html_entities_are_decoded() {
    let doc = parse_document(&pair("e-1", "Tom &amp; Jerry &lt;3 &#233;", "x"));
    assert_eq!(doc.segments[0].target, "Tom & Jerry <3 é");
}

#[test]
fn placeholders_in_angle_brackets_are_text() {
    let doc = parse_document(&pair(
        "e-2",
        "Zaženite Get-Mailbox <user>",
        "Run Get-Mailbox <user>",
    ));
    assert_eq!(doc.segments[0].target, "Zaženite Get-Mailbox <user>");
}

#[test]
fn entity_escaped_attribute_quotes_are_recovered() {
    let text = r#"<span data-ttu-id="f-1&quot;>Gumb</span><span class="sxs-lookup"><span data-stu-id="f-1&quot;>Button</span></span>"#;
    let doc = parse_document(text);
    assert_eq!(targets(&doc), ["Gumb"]);
    assert_eq!(sources(&doc), [Some("Button")]);
    assert_eq!(doc.warnings.len(), 2);
    assert!(
        doc.warnings[0].1.contains("recovered"),
        "{:?}",
        doc.warnings
    );
}

#[test]
fn ambiguous_broken_markup_stays_as_unaligned_text() {
    // The id has a space: we cannot tell where it ends, so nothing is rewritten.
    let text = r#"<span data-ttu-id="f 2&quot;>Gumb</span> ostane."#;
    let doc = parse_document(text);
    assert!(doc.segments.iter().all(|s| s.source.is_none()));
    assert!(
        dense(
            &doc.segments
                .iter()
                .map(|s| s.target.clone())
                .collect::<String>()
        )
        .contains("Gumbostane.")
    );
    assert_invariant(text);
}

#[test]
fn missing_partner_keeps_text_and_warns_with_line() {
    let text = format!(
        "Uvod.\n\n<span data-ttu-id=\"g-1\">Brez para.</span>\n\n{}\n",
        pair("g-2", "Par.", "Pair.")
    );
    let doc = parse_document(&text);
    assert_eq!(targets(&doc), ["Uvod.", "Brez para.", "Par."]);
    assert_eq!(sources(&doc), [None, None, Some("Pair.")]);
    assert_eq!(doc.warnings.len(), 1);
    assert_eq!(doc.warnings[0].0, 3);
    assert!(doc.warnings[0].1.contains("g-1"));
}

#[test]
fn stray_and_nested_spans_keep_every_character() {
    let nested =
        r#"<span data-ttu-id="h-1">Zunanji <span data-ttu-id="h-2">notranji</span> konec</span>"#;
    let doc = parse_document(nested);
    assert_eq!(dense(&targets(&doc).concat()), "Zunanjinotranjikonec");
    assert!(doc.warnings.iter().any(|(_, m)| m.contains("nested")));
    assert_invariant(nested);

    let stray = "Besedilo </span> naprej.";
    let doc = parse_document(stray);
    assert_eq!(targets(&doc), ["Besedilo naprej."]);
    assert!(doc.warnings.iter().any(|(_, m)| m.contains("stray")));
}

#[test]
fn extra_closing_tag_inside_a_target_is_joined() {
    // As in outlook-com-setting-changes.md, every locale of the real corpus.
    let text = r#"- <span data-ttu-id="i-1">Sledite navodilom </span> v tem [članku](https://x).</span><span class="sxs-lookup"><span data-stu-id="i-1">Follow the instructions</span> in this [article](https://x).</span></span>"#;
    let doc = parse_document(text);
    assert_eq!(targets(&doc), ["Sledite navodilom v tem članku."]);
    assert_eq!(
        sources(&doc),
        [Some("Follow the instructions in this article.")]
    );
}

#[test]
fn closer_cut_off_by_blank_lines_is_rejoined() {
    // As in ru-RU ediscovery-export-tool.md.
    let text = "  - <span data-ttu-id=\"j-1\">Windows 7 ali novejši.\n\n\n</span><span class=\"sxs-lookup\"><span data-stu-id=\"j-1\">Windows 7 or later</span></span>\n";
    let doc = parse_document(text);
    assert_eq!(targets(&doc), ["Windows 7 ali novejši."]);
    assert_eq!(sources(&doc), [Some("Windows 7 or later")]);
}

#[test]
fn plain_translation_gives_one_segment_per_block() {
    let text = "---\ntitle: 凭据问题\nms.contentlocale: zh-CN\n---\n# 凭据问题\n\n**如何管理应用程序的密码？**\n\n- 第一\n- 第二\n";
    let doc = parse_document(text);
    assert_eq!(
        targets(&doc),
        ["凭据问题", "如何管理应用程序的密码？", "第一", "第二"]
    );
    assert!(
        doc.segments
            .iter()
            .all(|s| s.source.is_none() && s.id.is_none())
    );
    assert_eq!(doc.front_matter.content_locale.as_deref(), Some("zh-CN"));
}

#[test]
fn bom_crlf_and_line_numbers() {
    let text = format!(
        "\u{feff}---\r\ntitle: T\r\n---\r\n\r\n{}\r\n",
        pair("k-1", "Ena", "One")
    );
    let doc = parse_document(&text);
    assert_eq!(doc.front_matter.title.as_deref(), Some("T"));
    assert_eq!(targets(&doc), ["Ena"]);
    assert_eq!(doc.segments[0].line, 5);
}

#[test]
fn empty_and_front_matter_only_documents() {
    assert!(parse_document("").segments.is_empty());
    let doc = parse_document("---\ntitle: Le naslov\n---\n");
    assert!(doc.segments.is_empty());
    assert_eq!(doc.title(), "Le naslov");
}

#[test]
fn no_front_matter_is_fine() {
    let doc = parse_document(&format!("## {}\n", pair("l-1", "Tedni", "Weeks")));
    assert_eq!(doc.front_matter, Default::default());
    assert_eq!(targets(&doc), ["Tedni"]);
}

#[test]
fn broken_front_matter_with_spans_is_read_as_text() {
    let text = format!(
        "---\n{}\n- 9257\n---\n# Naslov\n",
        pair(
            "m-1",
            "naslov: \"Težave\" ms.author: x",
            "title: \"Issues\" ms.author: x"
        )
    );
    let doc = parse_document(&text);
    assert!(
        doc.warnings
            .iter()
            .any(|(_, m)| m.contains("read as body text"))
    );
    assert_eq!(
        doc.segments[0].source.as_deref(),
        Some("title: \"Issues\" ms.author: x")
    );
}

#[test]
fn invalid_yaml_without_spans_is_a_warning_not_text() {
    let doc = parse_document("---\ntitle: [unclosed\n---\nBody.\n");
    assert_eq!(targets(&doc), ["Body."]);
    assert_eq!(doc.warnings.len(), 1);
    assert_eq!(
        doc.warnings[0].0, 3,
        "line of the YAML problem within the file"
    );
}

/// Markup fragments a mutation may insert: the corpus's own syntax, to reach deep states.
const FRAGMENTS: &[&str] = &[
    "<span data-ttu-id=\"z-9\">",
    "<span class=\"sxs-lookup\">",
    "<span data-stu-id=\"z-9\">",
    "</span>",
    "&quot;>",
    "\n\n",
    "\n",
    "**",
    "[",
    "](http://x)",
    "> [!NOTE]\n> ",
    "| a | b |\n|---|---|\n",
    "```\n",
    "<!--",
    "-->",
    "# ",
    "- ",
    "<user>",
    "&amp;",
    "\\",
    "---\n",
    "    ",
];

fn real_article() -> String {
    include_str!("../../../corpus/sl-SI/AlchemyInsights/sharing-link-greyed-out.md").to_owned()
}

fn mutate(mut text: String, edits: &[(u8, usize, usize)]) -> String {
    for &(op, at, len) in edits {
        let boundary = |i: usize, t: &str| {
            let mut i = i % (t.len() + 1);
            while !t.is_char_boundary(i) {
                i -= 1;
            }
            i
        };
        let start = boundary(at, &text);
        let end = boundary(start + len % 64, &text).max(start);
        match op % 3 {
            0 => text.replace_range(start..end, ""),
            1 => text.insert_str(start, FRAGMENTS[len % FRAGMENTS.len()]),
            _ => {
                let copy = text[start..end].to_owned();
                text.insert_str(end, &copy);
            }
        }
    }
    text
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let text = String::from_utf8_lossy(&bytes);
        let _ = parse_document(&text);
    }

    #[test]
    fn arbitrary_text_keeps_the_invariant(text in "(\\PC|[<>/\"=&;*\\[\\]()\\n -])*") {
        assert_invariant(&text);
    }

    #[test]
    fn mutated_articles_keep_the_invariant(edits in proptest::collection::vec((any::<u8>(), any::<usize>(), any::<usize>()), 1..12)) {
        let text = mutate(real_article(), &edits);
        assert_invariant(&text);
    }
}
