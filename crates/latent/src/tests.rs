use proptest::prelude::*;
use rustc_hash::FxHashMap;
use tantivy::directory::OwnedBytes;

use crate::file::{Reader, Space, check_checksum, write};
use crate::{ArticleText, Learning, Side, count_terms, learn};

fn article(key: &str, target: &[&str], english: &[&str]) -> ArticleText {
    ArticleText {
        key: key.to_owned(),
        target: target.iter().map(|s| s.to_string()).collect(),
        english: english.iter().map(|s| s.to_string()).collect(),
    }
}

/// German help articles with their English sources: two about printers, two about mail,
/// two about meetings.
fn articles() -> Vec<ArticleText> {
    vec![
        article(
            "printer-fix.md",
            &[
                "Druckerprobleme beheben",
                "Der Drucker druckt nicht. Prüfen Sie das Kabel des Druckers.",
            ],
            &[
                "Fix printer problems",
                "The printer does not print. Check the cable of the printer.",
            ],
        ),
        article(
            "printer-bluetooth.md",
            &[
                "Bluetooth-Drucker verbinden",
                "Schalten Sie den Drucker ein und koppeln Sie den Drucker.",
            ],
            &[
                "Connect a Bluetooth printer",
                "Turn on the printer and pair the printer.",
            ],
        ),
        article(
            "mail-send.md",
            &[
                "E-Mail wird nicht gesendet",
                "Die Nachricht bleibt im Postausgang. Senden Sie die Nachricht erneut.",
            ],
            &[
                "Email is not sent",
                "The message stays in the outbox. Send the message again.",
            ],
        ),
        article(
            "mail-receive.md",
            &[
                "Keine E-Mail empfangen",
                "Neue Nachrichten kommen nicht im Posteingang an.",
            ],
            &[
                "Not receiving email",
                "New messages do not arrive in the inbox.",
            ],
        ),
        article(
            "meeting-record.md",
            &[
                "Besprechung aufzeichnen",
                "Starten Sie die Aufzeichnung der Besprechung in Teams.",
            ],
            &["Record a meeting", "Start recording the meeting in Teams."],
        ),
        article(
            "meeting-schedule.md",
            &[
                "Besprechung planen",
                "Planen Sie eine Besprechung im Teams-Kalender.",
            ],
            &[
                "Schedule a meeting",
                "Schedule a meeting in the Teams calendar.",
            ],
        ),
    ]
}

fn learned() -> Space {
    let german = locsearch_analysis::analyzer("german").unwrap();
    let english = locsearch_analysis::analyzer("english").unwrap();
    let learning = Learning {
        dimensions: 3,
        articles_per_dimension: 1,
        min_articles: 1,
        ..Learning::default()
    };
    learn(&german, &english, articles(), &learning)
}

fn reader(space: &Space) -> Reader {
    Reader::from_bytes(OwnedBytes::new(write(space))).expect("a written space reads back")
}

fn query(reader: &Reader, side: Side, analyzer: &str, text: &str) -> Vec<f32> {
    let mut analyzer = locsearch_analysis::analyzer(analyzer).unwrap();
    let tokens = locsearch_analysis::analyze(&mut analyzer, text);
    let mut counts = FxHashMap::default();
    count_terms(
        tokens.iter().map(|t| (t.text.as_str(), t.position)),
        &mut counts,
    );
    reader
        .query_vector(counts.iter().map(|(t, &c)| (side, t.as_str(), c)))
        .unwrap_or_else(|| panic!("{text}: {counts:?}"))
}

fn nearest(reader: &Reader, query: &[f32]) -> Vec<String> {
    let mut keys: Vec<(f32, String)> = articles()
        .into_iter()
        .map(|a| (reader.similarity(query, &a.key).unwrap(), a.key))
        .collect();
    keys.sort_by(|a, b| b.0.total_cmp(&a.0));
    keys.into_iter().map(|(_, k)| k).collect()
}

#[test]
fn a_word_lies_near_the_articles_that_use_it_and_its_translation() {
    let reader = reader(&learned());
    // "Drucker" and the English "printer" are used by the same two articles.
    for (side, analyzer, text) in [
        (Side::Target, "german", "Drucker"),
        (Side::English, "english", "printer"),
    ] {
        let near = nearest(&reader, &query(&reader, side, analyzer, text));
        let mut first_two = near[..2].to_vec();
        first_two.sort();
        assert_eq!(
            first_two,
            ["printer-bluetooth.md", "printer-fix.md"],
            "{text}: {near:?}"
        );
    }
}

#[test]
fn a_query_sharing_no_word_with_an_article_still_lies_near_its_topic() {
    let reader = reader(&learned());
    // "Postausgang" is only in mail-send.md, yet mail-receive.md (no word in common) ranks
    // above every printer and meeting article: both are about mail.
    let near = nearest(
        &reader,
        &query(&reader, Side::Target, "german", "Postausgang"),
    );
    let mut first_two = near[..2].to_vec();
    first_two.sort();
    assert_eq!(first_two, ["mail-receive.md", "mail-send.md"], "{near:?}");
}

#[test]
fn a_space_reads_back_as_it_was_learned() {
    let space = learned();
    let reader = reader(&space);
    assert_eq!(reader.dimensions(), space.dimensions);
    let dims = space.dimensions;
    for (i, key) in space.keys.iter().enumerate() {
        let vector = &space.article_vectors[i * dims..(i + 1) * dims];
        let read = reader.similarity(vector, key).unwrap();
        assert!(
            (read - 1.0).abs() < 0.01,
            "{key}: cosine with itself {read}"
        );
    }
    assert_eq!(
        reader.similarity(&vec![1.0; dims], "no-such-article.md"),
        None
    );
    assert_eq!(reader.query_vector([(Side::Target, "zzzz", 1)]), None);
}

#[test]
fn a_changed_file_fails_its_checksum() {
    let bytes = write(&learned());
    let line_end = bytes.iter().position(|&b| b == b'\n').unwrap();
    let (first, rest) = (&bytes[..line_end], &bytes[line_end + 1..]);
    assert_eq!(check_checksum(first, crc32fast::hash(rest)), Ok(()));
    let mut changed = rest.to_vec();
    changed[20] ^= 1;
    assert!(check_checksum(first, crc32fast::hash(&changed)).is_err());
    assert!(check_checksum(b"# locsearch relations 6 crc32=00000000", 0).is_err());
}

#[test]
fn an_empty_corpus_learns_an_empty_space() {
    let german = locsearch_analysis::analyzer("german").unwrap();
    let space = learn(&german, &german, Vec::new(), &Learning::default());
    let reader = reader(&space);
    assert_eq!(reader.dimensions(), 0);
    assert_eq!(reader.query_vector([(Side::Target, "drucker", 1)]), None);
}

proptest! {
    #[test]
    fn reading_any_bytes_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        if let Some(reader) = Reader::from_bytes(OwnedBytes::new(bytes)) {
            let q = reader.query_vector([(Side::Target, "drucker", 2)]);
            let _ = reader.similarity(&q.unwrap_or_default(), "printer-fix.md");
        }
    }

    #[test]
    fn reading_a_damaged_space_never_panics(at in 0usize..4000, value in any::<u8>(), cut in 0usize..4000) {
        let mut bytes = write(&learned());
        let at = at % bytes.len();
        bytes[at] = value;
        bytes.truncate(bytes.len() - cut % bytes.len());
        let reader = Reader::from_bytes(OwnedBytes::new(bytes));
        let terms = [(Side::Target, "drucker", 2), (Side::English, "printer", 1)];
        if let Some((reader, q)) = reader.and_then(|r| r.query_vector(terms).map(|q| (r, q))) {
            let _ = reader.similarity(&q, "printer-fix.md");
        }
    }
}
