//! The latent space: learned by `locsearch index` for every locale, and at query time a
//! reordering of the best hits by their nearness to the query — never a change of which hits,
//! and none when the best hit's title holds every word of the query.

use std::path::{Path, PathBuf};

use locsearch_query::{Hit, Request, Searcher};

use crate::index::quiet_build;

/// One German article in side-by-side form: its title in the front matter and as its
/// heading, then a pair per segment.
fn article(title: (&str, &str), pairs: &[(&str, &str)]) -> String {
    let mut text = format!("---\ntitle: {}\nms.contentlocale: de-DE\n---\n", title.0);
    let heading = (format!("# {}", title.0), format!("# {}", title.1));
    let pairs =
        std::iter::once((heading.0.as_str(), heading.1.as_str())).chain(pairs.iter().copied());
    for (i, (target, source)) in pairs.enumerate() {
        text.push_str(&format!(
            "<span data-ttu-id=\"{i}\">{target}</span><span class=\"sxs-lookup\"><span data-stu-id=\"{i}\">{source}</span></span>\n\n"
        ));
    }
    text
}

/// A German corpus of three topics, five articles each, with their English sources: printers,
/// mail and meetings. "Treiber" (driver) belongs to printers: four printer articles use it
/// among their words; one mail article, `mail-treiber.md`, names it once in a short segment
/// and nothing else of printers. Forty articles about other things make the
/// topics' words rare.
fn topics_corpus(dir: &Path) -> PathBuf {
    let corpus = dir.join("corpus");
    let de = corpus.join("de-DE");
    std::fs::create_dir_all(&de).unwrap();
    let printers = [
        ("Drucker druckt nicht", "Printer does not print"),
        (
            "Toner und Papier im Drucker",
            "Toner and paper in the printer",
        ),
        (
            "Der Drucker zieht kein Papier ein",
            "The printer does not feed paper",
        ),
        (
            "Druckauftrag bleibt im Drucker hängen",
            "Print job is stuck in the printer",
        ),
        ("Toner des Druckers wechseln", "Replace the printer toner"),
    ];
    for (i, (title, source)) in printers.iter().enumerate() {
        let mut pairs = vec![
            (
                "Prüfen Sie Drucker, Toner und Papier.",
                "Check the printer, toner and paper.",
            ),
            (
                "Der Druckauftrag wartet auf den Drucker.",
                "The print job waits for the printer.",
            ),
        ];
        if i < 4 {
            pairs.push(("Treiber installieren.", "Install the driver."));
        }
        let text = article((title, source), &pairs);
        std::fs::write(de.join(format!("drucker-{i}.md")), text).unwrap();
    }
    let mail = [
        ("E-Mail wird nicht gesendet", "Email is not sent"),
        (
            "Anhang einer Nachricht öffnen",
            "Open an attachment of a message",
        ),
        ("Postfach ist voll", "Mailbox is full"),
        (
            "Nachricht an viele Empfänger senden",
            "Send a message to many recipients",
        ),
    ];
    for (i, (title, source)) in mail.iter().enumerate() {
        let pairs = [
            (
                "Öffnen Sie das Postfach und die Nachricht mit dem Anhang.",
                "Open the mailbox and the message with the attachment.",
            ),
            (
                "Senden Sie die E-Mail an den Empfänger erneut.",
                "Send the email to the recipient again.",
            ),
        ];
        let text = article((title, source), &pairs);
        std::fs::write(de.join(format!("mail-{i}.md")), text).unwrap();
    }
    let odd_one = [
        (
            "Öffnen Sie das Postfach und die Nachricht mit dem Anhang.",
            "Open the mailbox and the message with the attachment.",
        ),
        ("Treiber?", "Driver?"),
    ];
    let text = article(("Ein Postfach einrichten", "Set up a mailbox"), &odd_one);
    std::fs::write(de.join("mail-treiber.md"), text).unwrap();
    // Articles on other things, so that the topics' words are rare, as they are in a real
    // locale.
    for i in 0..40 {
        let pairs = [(
            format!("Wählen Sie Farbe{i} und Muster{i}."),
            format!("Choose colour{i} and pattern{i}."),
        )];
        let pairs: Vec<(&str, &str)> = pairs
            .iter()
            .map(|(t, s)| (t.as_str(), s.as_str()))
            .collect();
        let title = (format!("Farbe{i} einstellen"), format!("Set colour{i}"));
        let text = article((&title.0, &title.1), &pairs);
        std::fs::write(de.join(format!("farbe-{i}.md")), text).unwrap();
    }
    let meetings = [
        ("Besprechung planen", "Schedule a meeting"),
        (
            "Einladung zu einer Besprechung annehmen",
            "Accept a meeting invitation",
        ),
        ("Kalender freigeben", "Share a calendar"),
        (
            "Termin im Kalender verschieben",
            "Move an appointment in the calendar",
        ),
        (
            "Teilnehmer einer Besprechung einladen",
            "Invite participants to a meeting",
        ),
    ];
    for (i, (title, source)) in meetings.iter().enumerate() {
        let pairs = [
            (
                "Öffnen Sie den Kalender und die Einladung zur Besprechung.",
                "Open the calendar and the meeting invitation.",
            ),
            (
                "Der Termin erscheint bei jedem Teilnehmer.",
                "The appointment appears for every participant.",
            ),
        ];
        let text = article((title, source), &pairs);
        std::fs::write(de.join(format!("besprechung-{i}.md")), text).unwrap();
    }
    corpus
}

fn paths(hits: &[Hit]) -> Vec<&str> {
    hits.iter().map(|h| h.path.as_str()).collect()
}

/// A searcher that leaves the order the words give.
fn without_space(index: &Path) -> Searcher {
    let mut searcher = Searcher::open(index).unwrap();
    searcher.ranking.latent_weight = 0.0;
    searcher
}

#[test]
fn nearness_moves_the_article_about_the_topic_ahead_of_one_that_only_names_the_word() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = topics_corpus(dir.path());
    let index = dir.path().join("index");
    quiet_build(&corpus, &index, false);
    assert!(index.join("relations/de-DE.latent").exists());

    let plain = without_space(&index)
        .search(&Request::new("Treiber"))
        .unwrap();
    let near = Searcher::open(&index)
        .unwrap()
        .search(&Request::new("Treiber"))
        .unwrap();
    assert_eq!(
        paths(&plain)[0],
        "de-DE/mail-treiber.md",
        "by its words alone, the short segment naming the word comes first: {:?}",
        paths(&plain)
    );
    assert!(
        paths(&near)[0].starts_with("de-DE/drucker-"),
        "the space puts a printer article first: {:?}",
        paths(&near)
    );
    let mut same_hits = (paths(&plain), paths(&near));
    same_hits.0.sort();
    same_hits.1.sort();
    assert_eq!(
        same_hits.0, same_hits.1,
        "the space never adds or removes a hit"
    );
}

#[test]
fn a_query_whose_best_hit_title_holds_every_word_keeps_the_order_of_its_words() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = topics_corpus(dir.path());
    let index = dir.path().join("index");
    quiet_build(&corpus, &index, false);
    let (plain, near) = (without_space(&index), Searcher::open(&index).unwrap());
    // Titles, and a title's words in another order: the words have found their article.
    for query in [
        "Drucker druckt nicht",
        "Postfach ist voll",
        "Ein Postfach einrichten",
        "Kalender freigeben",
        "verschieben Termin Kalender",
    ] {
        let (a, b) = (
            plain.search(&Request::new(query)).unwrap(),
            near.search(&Request::new(query)).unwrap(),
        );
        assert_eq!(paths(&a), paths(&b), "{query}");
        let scores = |hits: &[Hit]| hits.iter().map(|h| h.score).collect::<Vec<_>>();
        assert_eq!(scores(&a), scores(&b), "{query}");
    }
}

#[test]
fn a_shorter_list_is_the_start_of_a_longer_one() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = topics_corpus(dir.path());
    let index = dir.path().join("index");
    quiet_build(&corpus, &index, false);
    let searcher = Searcher::open(&index).unwrap();
    for query in ["Treiber", "Papier Nachricht", "Einladung Anhang"] {
        let all = searcher.search(&Request::new(query)).unwrap();
        for limit in 1..all.len() {
            let mut request = Request::new(query);
            request.limit = limit;
            let head = searcher.search(&request).unwrap();
            assert_eq!(paths(&head), paths(&all)[..limit], "{query}, limit {limit}");
        }
    }
}
