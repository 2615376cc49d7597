//! Relations mined from the aligned pairs: learned by `locsearch index`, kept with the index
//! through updates, damage and rebuilds, and used by queries below the words as typed.

use std::path::Path;

use locsearch_query::{Request, Searcher};

use crate::index::{cli_index, copy_dir, quiet_build, real_index};
use crate::support::{locsearch, stderr};

/// One article of `locale` in side-by-side form, a pair per segment.
pub fn article_in(locale: &str, pairs: &[(String, String)]) -> String {
    let mut text = format!("---\nms.contentlocale: {locale}\n---\n");
    for (i, (target, source)) in pairs.iter().enumerate() {
        text.push_str(&format!(
            "<span data-ttu-id=\"{i}\">{target}</span><span class=\"sxs-lookup\"><span data-stu-id=\"{i}\">{source}</span></span>\n\n"
        ));
    }
    text
}

/// A pair of a segment's target text and its English source.
fn pair(target: &str, source: &str) -> (String, String) {
    (target.to_owned(), source.to_owned())
}

/// Writes `articles` (file name, pairs) of `locale` into `corpus`, beside an article of 100
/// pairs of other words, so that none of theirs is a function word.
fn write_locale(corpus: &Path, locale: &str, articles: &[(&str, &[(String, String)])]) {
    let folder = corpus.join(locale);
    std::fs::create_dir_all(&folder).unwrap();
    let filler: Vec<(String, String)> = (0..100)
        .map(|i| pair(&format!("farbe{i} blau{i}"), &format!("colour{i} blue{i}")))
        .collect();
    std::fs::write(folder.join("fuellung.md"), article_in(locale, &filler)).unwrap();
    for (name, pairs) in articles {
        std::fs::write(folder.join(name), article_in(locale, pairs)).unwrap();
    }
}

/// A German corpus where "löschen" and "gelöscht" — forms the German stemmer keeps apart —
/// both render English "delete"/"deleted", among enough other pairs that neither is a
/// function word. Only `entfernen.md` holds "löschen"; `ordner.md` holds "gelöscht".
fn german_corpus(dir: &Path) -> std::path::PathBuf {
    let corpus = dir.join("corpus");
    let deleting = [
        pair("Sie können Bilder löschen.", "You can delete pictures."),
        pair(
            "Nachrichten löschen und fortfahren.",
            "Delete messages and continue.",
        ),
    ];
    let deleted = [
        pair("Der Ordner wurde gelöscht.", "The folder was deleted."),
        pair("Kontakte gelöscht.", "Contacts deleted."),
    ];
    write_locale(
        &corpus,
        "de-DE",
        &[("entfernen.md", &deleting), ("ordner.md", &deleted)],
    );
    corpus
}

fn relations_of(index: &Path) -> String {
    std::fs::read_to_string(index.join("relations/de-DE.tsv")).unwrap()
}

#[test]
fn a_mined_form_finds_the_article_with_the_other_form_below_exact_matches() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = german_corpus(dir.path());
    let index = dir.path().join("index");
    quiet_build(&corpus, &index, false);
    let relations = relations_of(&index);
    assert!(
        relations.contains("gelöscht\tform\tlöschen\t"),
        "{relations}"
    );

    let mut searcher = Searcher::open(&index).unwrap();
    let answer = searcher.answer(&Request::new("gelöscht")).unwrap();
    let paths: Vec<&str> = answer.hits.iter().map(|h| h.path.as_str()).collect();
    assert_eq!(
        paths,
        ["de-DE/ordner.md", "de-DE/entfernen.md"],
        "the exact form first, the other form after it"
    );
    let mut explained = Request::new("gelöscht");
    explained.explain = true;
    let expansions = searcher.answer(&explained).unwrap().expansions;
    assert!(
        expansions
            .iter()
            .any(|e| e.kind == "form" && e.word == "gelöscht" && e.weight > 0.0),
        "{expansions:?}"
    );

    searcher.ranking.form_weight = 0.0;
    let plain = searcher.search(&Request::new("gelöscht")).unwrap();
    assert_eq!(
        plain.len(),
        1,
        "without the relation only the exact form matches"
    );
}

/// A German corpus where "Drucker" renders "printer" and the compound "Druckerverbindung"
/// renders "printer connection", beside "Verbindung" on its own.
fn compound_corpus(dir: &Path) -> std::path::PathBuf {
    let corpus = dir.join("corpus");
    let printer = [
        pair("Drucker einschalten.", "Turn on the printer."),
        pair("Drucker ausschalten.", "Turn off the printer."),
        pair("Drucker reinigen.", "Clean the printer."),
    ];
    let connection = [
        pair("Druckerverbindung prüfen.", "Check the printer connection."),
        pair(
            "Druckerverbindung trennen.",
            "Remove the printer connection.",
        ),
        pair("Verbindung prüfen.", "Check the connection."),
        pair("Verbindung trennen.", "Remove the connection."),
    ];
    write_locale(
        &corpus,
        "de-DE",
        &[("drucker.md", &printer), ("verbindung.md", &connection)],
    );
    corpus
}

#[test]
fn a_compound_is_not_mined_as_a_form_of_the_word_it_starts() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = compound_corpus(dir.path());
    let index = dir.path().join("index");
    quiet_build(&corpus, &index, false);
    let relations = relations_of(&index);
    assert!(
        relations.contains("drucker\tenglish\tprinter\t"),
        "the words are related at all: {relations}"
    );
    let forms: Vec<&str> = relations
        .lines()
        .filter(|l| l.contains("\tform\t") && l.contains("drucker"))
        .collect();
    assert!(forms.is_empty(), "{forms:?}");

    let searcher = Searcher::open(&index).unwrap();
    let mut explained = Request::new("Drucker");
    explained.explain = true;
    let answer = searcher.answer(&explained).unwrap();
    assert!(
        answer
            .expansions
            .iter()
            .all(|e| e.kind != "form" || !e.term.starts_with("druckerverbind")),
        "{:?}",
        answer.expansions
    );
    assert_eq!(answer.hits[0].path, "de-DE/drucker.md");
}

#[test]
fn pasted_text_is_searched_without_relations() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = german_corpus(dir.path());
    let index = dir.path().join("index");
    quiet_build(&corpus, &index, false);
    let mut searcher = Searcher::open(&index).unwrap();
    let words = searcher.ranking.literal_words;
    let mut text = vec!["Kontakte".to_owned(), "gelöscht".to_owned()];
    text.extend((0..words - 2).map(|i| format!("farbe{i}")));
    let mut pasted = Request::new(text.join(" "));
    pasted.explain = true;
    let forms = |searcher: &mut Searcher| {
        let answer = searcher.answer(&pasted).unwrap();
        let forms = answer
            .expansions
            .iter()
            .filter(|e| e.kind == "form")
            .count();
        let paths: Vec<String> = answer.hits.into_iter().map(|h| h.path).collect();
        (forms, paths)
    };
    let (as_pasted, paths) = forms(&mut searcher);
    assert_eq!(as_pasted, 0, "text of {words} words is searched as typed");
    assert!(paths.contains(&"de-DE/ordner.md".to_owned()), "{paths:?}");
    assert!(
        !paths.contains(&"de-DE/entfernen.md".to_owned()),
        "{paths:?}"
    );

    searcher.ranking.literal_words = words + 1;
    let (as_typed, paths) = forms(&mut searcher);
    assert!(
        as_typed > 0,
        "a word fewer than typed text and its forms are searched"
    );
    assert!(
        paths.contains(&"de-DE/entfernen.md".to_owned()),
        "{paths:?}"
    );
}

#[test]
fn relations_follow_updates_are_repaired_and_belong_to_the_index() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = german_corpus(dir.path());
    let index = dir.path().join("index");
    quiet_build(&corpus, &index, false);
    let file = index.join("relations/de-DE.tsv");

    // A changed locale is mined again: without its pairs, the link is gone.
    std::fs::remove_file(corpus.join("de-DE/ordner.md")).unwrap();
    quiet_build(&corpus, &index, false);
    assert!(!relations_of(&index).contains("gelöscht"));

    // A lost or damaged file is mined again by the next `index`.
    let corpus_again = german_corpus(&dir.path().join("again"));
    copy_dir(&corpus_again, &corpus);
    quiet_build(&corpus, &index, false);
    let mined = relations_of(&index);
    std::fs::write(&file, "damaged").unwrap();
    let refused = locsearch_query::Searcher::open(&index)
        .err()
        .map(|e| e.to_string());
    assert!(
        refused
            .as_deref()
            .is_some_and(|e| e.contains("relations/de-DE.tsv")),
        "a damaged file is served: {refused:?}"
    );
    cli_index(&corpus, &index);
    assert_eq!(relations_of(&index), mined);
    let index_arg = index.to_str().unwrap();
    std::fs::remove_file(&file).unwrap();
    quiet_build(&corpus, &index, false);
    assert_eq!(relations_of(&index), mined);

    // The relations folder is the index's own: a rebuild replaces it; anything else in it
    // makes the directory foreign, untouched.
    quiet_build(&corpus, &index, true);
    assert_eq!(relations_of(&index), mined);
    std::fs::write(index.join("relations/notes.txt"), "mine").unwrap();
    let out = locsearch(
        &[
            "index",
            corpus.to_str().unwrap(),
            "--index",
            index_arg,
            "--rebuild",
        ],
        dir.path(),
    );
    assert_ne!(out.status.code(), Some(0));
    assert!(
        stderr(&out).contains("not a locsearch index"),
        "{}",
        stderr(&out)
    );
    assert!(index.join("relations/notes.txt").exists());
}

/// A German corpus where `was` renders "what" (a function word) and `tun` "do": one article
/// holds both, "what to do when an account is hacked"; another is about a full mailbox, in
/// words several articles share.
fn function_word_corpus(dir: &Path) -> std::path::PathBuf {
    let corpus = dir.join("corpus");
    let hacked = [
        pair(
            "Was tun, wenn das Konto gehackt wird",
            "What to do when the account is hacked",
        ),
        pair("Was Sie zuerst tun", "What you do first"),
        pair("Was Angreifer sehen", "What attackers see"),
    ];
    let full = [pair("Postfach voll", "Mailbox full")];
    // Words of many articles: a mailbox that is moved, shared, archived…; a calendar, a disk…
    // that is full.
    let mailboxes = [
        "verschieben",
        "freigeben",
        "archivieren",
        "löschen",
        "sichern",
    ];
    let mailboxes: Vec<[(String, String); 1]> = mailboxes
        .iter()
        .map(|verb| {
            [pair(
                &format!("Postfach {verb}"),
                &format!("Mailbox {verb}"),
            )]
        })
        .collect();
    let things = [
        "Kalender",
        "Datenträger",
        "Speicher",
        "Papierkorb",
        "Ordner",
    ];
    let fulls: Vec<[(String, String); 1]> = things
        .iter()
        .map(|thing| [pair(&format!("{thing} voll"), &format!("{thing} full"))])
        .collect();
    let names: Vec<String> = (0..10).map(|i| format!("other-{i}.md")).collect();
    let mut articles: Vec<(&str, &[(String, String)])> =
        vec![("hacked.md", &hacked), ("full.md", &full)];
    for (name, pairs) in names.iter().zip(mailboxes.iter().chain(&fulls)) {
        articles.push((name, pairs));
    }
    write_locale(&corpus, "de-DE", &articles);
    corpus
}

/// "Postfach voll was tun" asks what to do about a full mailbox: `was`, whose English is a
/// function word, weighs less than the words that say what the query is about. The article
/// that holds `was tun` loses by it; the one on a full mailbox, which holds no function word
/// of the query, loses nothing. A query of two words keeps its weights.
#[test]
fn a_word_that_renders_an_english_function_word_weighs_less() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = function_word_corpus(dir.path());
    let index = dir.path().join("index");
    quiet_build(&corpus, &index, false);
    assert!(
        relations_of(&index).contains("was\tenglish\twhat\t"),
        "{}",
        relations_of(&index)
    );
    let score_of = |query: &str, function_word_weight: f32, path: &str| {
        let mut searcher = Searcher::open(&index).unwrap();
        searcher.ranking.function_word_weight = function_word_weight;
        let mut request = Request::new(query);
        request.langs = vec!["de-DE".into()];
        let hits = searcher.search(&request).unwrap();
        hits.iter().find(|h| h.path == path).map(|h| h.score)
    };
    let score = |weight: f32, path: &str| score_of("Postfach voll was tun", weight, path);
    let weight = Searcher::open(&index).unwrap().ranking.function_word_weight;
    let (hacked, full) = ("de-DE/hacked.md", "de-DE/full.md");
    let (hacked_plain, hacked_weighed) =
        (score(1.0, hacked).unwrap(), score(weight, hacked).unwrap());
    assert!(
        hacked_weighed < 0.9 * hacked_plain,
        "{hacked_weighed} against {hacked_plain}"
    );
    assert!(score(weight, full).unwrap() >= score(1.0, full).unwrap());
    // Two words are too few to weigh one down: it may be all that narrows the other.
    let short = |weight: f32| score_of("Konto was", weight, hacked).unwrap();
    assert_eq!(short(weight), short(1.0));
}

/// Three locales, each rendering English "delete" and "remove" with one word of its own:
/// `loeschen.md` says "delete" in its English source, `entfernen.md` says "remove".
fn paraphrase_corpus(dir: &Path) -> std::path::PathBuf {
    let corpus = dir.join("corpus");
    for (locale, word) in [
        ("de-DE", "löschen"),
        ("fr-FR", "supprimer"),
        ("nl-NL", "verwijderen"),
    ] {
        let deleting = [
            pair(&format!("{word} bilder"), "Delete pictures"),
            pair(&format!("{word} kontakte"), "Delete contacts"),
        ];
        let removing = [
            pair(&format!("{word} nachrichten"), "Remove messages"),
            pair(&format!("{word} ordner"), "Remove folders"),
        ];
        write_locale(
            &corpus,
            locale,
            &[("loeschen.md", &deleting), ("entfernen.md", &removing)],
        );
    }
    corpus
}

#[test]
fn english_paraphrases_that_languages_agree_on_find_the_other_wording_below_exact_matches() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = paraphrase_corpus(dir.path());
    let index = dir.path().join("index");
    quiet_build(&corpus, &index, false);
    let paraphrases =
        std::fs::read_to_string(index.join("relations/english-paraphrases.tsv")).unwrap();
    assert!(
        paraphrases.contains("delet\tparaphrase\tremov\t"),
        "{paraphrases}"
    );

    let mut searcher = Searcher::open(&index).unwrap();
    let mut request = Request::new("delete");
    request.langs = vec!["de-DE".into()];
    request.explain = true;
    let answer = searcher.answer(&request).unwrap();
    let paths: Vec<&str> = answer.hits.iter().map(|h| h.path.as_str()).collect();
    assert_eq!(
        paths,
        ["de-DE/loeschen.md", "de-DE/entfernen.md"],
        "the article that says \"delete\" first, the one that says \"remove\" after it"
    );
    assert!(
        answer
            .expansions
            .iter()
            .any(|e| e.kind == "paraphrase" && e.term == "remov" && e.weight > 0.0),
        "{:?}",
        answer.expansions
    );

    searcher.ranking.paraphrase_weight = 0.0;
    let plain = searcher.search(&request).unwrap();
    assert_eq!(
        plain.len(),
        1,
        "without paraphrases only \"delete\" matches"
    );

    // Two languages are not enough.
    std::fs::remove_dir_all(corpus.join("nl-NL")).unwrap();
    quiet_build(&corpus, &index, false);
    let paraphrases =
        std::fs::read_to_string(index.join("relations/english-paraphrases.tsv")).unwrap();
    assert!(!paraphrases.contains("remov"), "{paraphrases}");
}

/// The dev queries in a fixed order (every 7th): known items, each with its best exact match.
fn dev_queries() -> Vec<(String, Option<String>)> {
    let Some(shared) = crate::support::shared("dev queries") else {
        return Vec::new();
    };
    let text = std::fs::read_to_string(shared.join("queries/alchemy-dev.jsonl")).unwrap();
    text.lines()
        .step_by(7)
        .map(|line| {
            let q: serde_json::Value = serde_json::from_str(line).unwrap();
            let lang = q["lang"].as_str().map(str::to_owned);
            (q["query"].as_str().unwrap().to_owned(), lang)
        })
        .collect()
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

    /// Mined relations only add: whatever a real query's best hit is without them, it stays
    /// among the top hits with them.
    #[test]
    fn mined_relations_never_push_the_best_exact_match_out_of_the_top(pick in 0usize..10_000) {
        static QUERIES: std::sync::OnceLock<Vec<(String, Option<String>)>> =
            std::sync::OnceLock::new();
        static SEARCHERS: std::sync::OnceLock<Option<(Searcher, Searcher)>> =
            std::sync::OnceLock::new();
        let queries = QUERIES.get_or_init(dev_queries);
        let Some((with, without)) = SEARCHERS
            .get_or_init(|| {
                let index = real_index()?;
                let mut without = Searcher::open(&index).unwrap();
                without.ranking.form_weight = 0.0;
                without.ranking.mined_synonym_weight = 0.0;
                Some((Searcher::open(&index).unwrap(), without))
            })
            .as_ref()
        else {
            return Ok(());
        };
        let (query, lang) = &queries[pick % queries.len()];
        let mut request = Request::new(query);
        request.snippets = false;
        request.langs = lang.iter().cloned().collect();
        let best = without.search(&request).unwrap().into_iter().next();
        let Some(best) = best else { return Ok(()) };
        let hits = with.search(&request).unwrap();
        proptest::prop_assert!(
            hits.iter().any(|h| h.path == best.path),
            "{query}: {} left the top hits", best.path
        );
    }
}
