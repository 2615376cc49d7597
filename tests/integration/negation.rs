//! Negations: learned by `locsearch index` from a locale's titles beside their English, and at
//! query time a query that says something does not work weighs the best hits whose English
//! title does not say so below those whose does.

use std::path::{Path, PathBuf};

use locsearch_query::{Hit, Request, Searcher};

use crate::index::quiet_build;

/// One article of `locale` in side-by-side form: its title in the front matter and as its
/// heading's pair, then a pair per segment.
fn article<S: AsRef<str>>(locale: &str, title: (&str, &str), pairs: &[(S, S)]) -> String {
    let mut text = format!(
        "---\ntitle: {}\nms.contentlocale: {locale}\n---\n# ",
        title.0
    );
    let pairs = pairs.iter().map(|(t, s)| (t.as_ref(), s.as_ref()));
    for (i, (target, source)) in std::iter::once(title).chain(pairs).enumerate() {
        text.push_str(&format!(
            "<span data-ttu-id=\"{i}\">{target}</span><span class=\"sxs-lookup\"><span data-stu-id=\"{i}\">{source}</span></span>\n\n"
        ));
    }
    text
}

const DEVICES: [(&str, &str); 16] = [
    ("Drucker", "Printer"),
    ("Scanner", "Scanner"),
    ("Maus", "Mouse"),
    ("Tastatur", "Keyboard"),
    ("Kamera", "Camera"),
    ("Mikrofon", "Microphone"),
    ("Lautsprecher", "Speaker"),
    ("Bildschirm", "Screen"),
    ("Netzwerk", "Network"),
    ("Akku", "Battery"),
    ("Browser", "Browser"),
    ("Kalender", "Calendar"),
    ("Postfach", "Mailbox"),
    ("Laufwerk", "Drive"),
    ("Headset", "Headset"),
    ("Router", "Router"),
];

/// A German corpus where the titles that say a device does not work or start ("funktioniert
/// nicht", "startet nicht") are the ones whose English says so, beside as many that set the devices up; and two
/// articles on recording a meeting, how to and what to do when it fails, that only their
/// English titles tell apart.
fn recording_corpus(dir: &Path) -> PathBuf {
    let corpus = dir.join("corpus");
    let de = corpus.join("de-DE");
    std::fs::create_dir_all(&de).unwrap();
    for (i, (device, english)) in DEVICES.iter().enumerate() {
        let broken = if i % 2 == 0 {
            (
                format!("{device} funktioniert nicht"),
                format!("{english} does not work"),
            )
        } else {
            (
                format!("{device} startet nicht"),
                format!("{english} won't start"),
            )
        };
        let pairs = [(
            format!("Starten Sie {device} neu."),
            format!("Restart the {english}."),
        )];
        let text = article("de-DE", (&broken.0, &broken.1), &pairs);
        std::fs::write(de.join(format!("broken-{i}.md")), text).unwrap();
        let setup = (
            format!("{device} einrichten"),
            format!("Set up the {english}"),
        );
        let text = article("de-DE", (&setup.0, &setup.1), &pairs);
        std::fs::write(de.join(format!("setup-{i}.md")), text).unwrap();
    }
    // Machine translation dropped the negation from the German title: only the English
    // tells the two articles apart.
    let body = [
        (
            "Sie können jede Besprechung aufzeichnen.",
            "You can record any meeting.",
        ),
        (
            "Die Aufzeichnung der Besprechung wird gespeichert.",
            "The recording of the meeting is saved.",
        ),
    ];
    let how_to = article(
        "de-DE",
        ("Besprechung aufzeichnen", "Record a Teams meeting"),
        &body,
    );
    std::fs::write(de.join("how-to-record.md"), how_to).unwrap();
    let fails = article(
        "de-DE",
        ("Besprechung aufzeichnen", "Can't record meeting"),
        &body,
    );
    std::fs::write(de.join("record-fails.md"), fails).unwrap();
    corpus
}

fn paths(hits: &[Hit]) -> Vec<&str> {
    hits.iter().map(|h| h.path.as_str()).collect()
}

/// A searcher that weighs negations by `unnegated_weight`, nearness not at all: the two
/// articles on recording hold the same words and lie as near any query.
fn searcher(index: &Path, unnegated_weight: f32) -> Searcher {
    let mut searcher = Searcher::open(index).unwrap();
    searcher.ranking.latent_weight = 0.0;
    searcher.ranking.unnegated_weight = unnegated_weight;
    searcher
}

/// The index of the corpus `write` makes, once the build has learned that `word` says not in
/// `locale`; the directory holds both.
fn index_learning(
    write: fn(&Path) -> PathBuf,
    locale: &str,
    word: &str,
) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let corpus = write(dir.path());
    let index = dir.path().join("index");
    quiet_build(&corpus, &index, false);
    let relations = std::fs::read_to_string(index.join(format!("relations/{locale}.tsv"))).unwrap();
    assert!(
        relations.contains(&format!("{word}\tnegation\t")),
        "the titles teach that `{word}` says not: {relations}"
    );
    (dir, index)
}

#[test]
fn a_query_that_says_it_does_not_work_finds_the_article_on_what_fails() {
    let (_dir, index) = index_learning(recording_corpus, "de-DE", "nicht");

    let weight = Searcher::open(&index).unwrap().ranking.unnegated_weight;
    for query in [
        "Besprechung aufzeichnen funktioniert nicht",
        "cannot record meeting",
    ] {
        let plain = searcher(&index, 1.0).search(&Request::new(query)).unwrap();
        let negated = searcher(&index, weight)
            .search(&Request::new(query))
            .unwrap();
        let recording = |hits: &[Hit]| -> Vec<(String, f32)> {
            hits.iter()
                .filter(|h| h.path.contains("record"))
                .map(|h| (h.path.clone(), h.score))
                .collect()
        };
        let (plain, negated) = (recording(&plain), recording(&negated));
        assert_eq!(plain.len(), 2, "{query}: {plain:?}");
        assert!(
            (plain[0].1 - plain[1].1).abs() < plain[0].1 * (1.0 - weight),
            "{query}: by its words alone, nearly a tie: {plain:?}"
        );
        assert_eq!(
            negated[0].0, "de-DE/record-fails.md",
            "{query}: the article whose English says can't comes first: {negated:?}"
        );
    }
}

#[test]
fn a_query_that_does_not_say_so_keeps_the_order_of_its_words() {
    let (_dir, index) = index_learning(recording_corpus, "de-DE", "nicht");
    let weight = Searcher::open(&index).unwrap().ranking.unnegated_weight;
    for query in ["Besprechung aufzeichnen", "record meeting"] {
        let query = Request::new(query);
        let plain = searcher(&index, 1.0).search(&query).unwrap();
        let searched = searcher(&index, weight).search(&query).unwrap();
        assert_eq!(paths(&plain), paths(&searched));
    }
}

/// How a language words the titles of
/// [`devices_corpus`]: a device's name (localized, English) and its titles.
struct DeviceTitles {
    locale: &'static str,
    devices: [(&'static str, &'static str); 8],
    missing: fn(&str) -> String,
    broken: fn(&str) -> String,
    setup: fn(&str) -> String,
    restart: fn(&str) -> String,
    /// The recording articles' localized title and body sentence.
    record: (&'static str, &'static str),
}

/// A corpus whose titles say not as `titles` does, half of them where their English says a
/// device is missing, half where it says it won't start, beside as many that set the devices
/// up; and the two articles on recording a meeting.
fn devices_corpus(dir: &Path, titles: &DeviceTitles) -> PathBuf {
    let corpus = dir.join("corpus");
    let folder = corpus.join(titles.locale);
    std::fs::create_dir_all(&folder).unwrap();
    for (i, (device, english)) in titles.devices.iter().enumerate() {
        let pairs = [((titles.restart)(device), format!("Restart the {english}."))];
        for (name, title) in [
            (
                "missing",
                ((titles.missing)(device), format!("{english} missing")),
            ),
            (
                "broken",
                ((titles.broken)(device), format!("{english} won't start")),
            ),
            (
                "setup",
                ((titles.setup)(device), format!("Set up the {english}")),
            ),
        ] {
            let text = article(titles.locale, (&title.0, &title.1), &pairs);
            std::fs::write(folder.join(format!("{name}-{i}.md")), text).unwrap();
        }
    }
    let (title, sentence) = titles.record;
    let body = [(sentence, "You can record any meeting.")];
    let how_to = article(titles.locale, (title, "Record a Teams meeting"), &body);
    std::fs::write(folder.join("how-to-record.md"), how_to).unwrap();
    let fails = article(titles.locale, (title, "Can't record meeting"), &body);
    std::fs::write(folder.join("record-fails.md"), fails).unwrap();
    corpus
}

/// Japanese titles say not with an auxiliary, `ない`.
const JAPANESE: DeviceTitles = DeviceTitles {
    locale: "ja-JP",
    devices: [
        ("プリンター", "Printer"),
        ("スキャナー", "Scanner"),
        ("キーボード", "Keyboard"),
        ("カメラ", "Camera"),
        ("マイク", "Microphone"),
        ("スピーカー", "Speaker"),
        ("ルーター", "Router"),
        ("ヘッドセット", "Headset"),
    ],
    missing: |device| format!("{device}が表示されない"),
    broken: |device| format!("{device}が起動しない"),
    setup: |device| format!("{device}を設定する"),
    restart: |device| format!("{device}を再起動します。"),
    record: ("会議を記録する", "会議を記録できます。"),
};

fn japanese_corpus(dir: &Path) -> PathBuf {
    devices_corpus(dir, &JAPANESE)
}

/// Korean titles say not in the long form (`작동하지 않습니다`, `표시되지 않음`).
const KOREAN: DeviceTitles = DeviceTitles {
    locale: "ko-KR",
    devices: [
        ("프린터", "Printer"),
        ("스캐너", "Scanner"),
        ("키보드", "Keyboard"),
        ("카메라", "Camera"),
        ("마이크", "Microphone"),
        ("스피커", "Speaker"),
        ("라우터", "Router"),
        ("헤드셋", "Headset"),
    ],
    missing: |device| format!("{device}가 표시되지 않음"),
    broken: |device| format!("{device}가 작동하지 않습니다"),
    setup: |device| format!("{device} 설정"),
    restart: |device| format!("{device}를 다시 시작합니다."),
    record: ("회의 녹음", "모든 회의를 녹음할 수 있습니다."),
};

fn korean_corpus(dir: &Path) -> PathBuf {
    devices_corpus(dir, &KOREAN)
}

/// The two recording articles of `hits`, in their order.
fn recording(hits: &[Hit]) -> Vec<&str> {
    paths(hits)
        .into_iter()
        .filter(|p| p.contains("record"))
        .collect()
}

#[test]
fn japanese_learns_its_negation_from_titles_that_say_missing_or_not() {
    let (_dir, index) = index_learning(japanese_corpus, "ja-JP", "ない");
    let weight = Searcher::open(&index).unwrap().ranking.unnegated_weight;
    let hits = searcher(&index, weight)
        .search(&Request::new("会議を記録できない"))
        .unwrap();
    assert_eq!(
        recording(&hits),
        ["ja-JP/record-fails.md", "ja-JP/how-to-record.md"],
        "{hits:?}"
    );
}

/// Titles say not in the long form; users type the short one (`안 돼요`, `안됨`), which the
/// analyzer gives the same term.
#[test]
fn korean_learns_its_negation_from_the_long_form_and_reads_the_short_one() {
    let (_dir, index) = index_learning(korean_corpus, "ko-KR", "않");
    let weight = Searcher::open(&index).unwrap().ranking.unnegated_weight;
    for query in ["회의 녹음 안됨", "회의 녹음이 안 돼요"] {
        let hits = searcher(&index, weight)
            .search(&Request::new(query))
            .unwrap();
        assert_eq!(
            recording(&hits),
            ["ko-KR/record-fails.md", "ko-KR/how-to-record.md"],
            "{query}: {hits:?}"
        );
    }
}
