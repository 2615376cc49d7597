//! Words typed wrong, end to end: without their accents, misspelt, or written in other
//! characters of the same sound; corrections weighed below the words spelt right, never
//! displacing an exact match, and reported ("did you mean").

use std::io::Write;
use std::process::{Command, Stdio};

use locsearch_query::{Request, Searcher};

use crate::expansion::{SmallArticle, small_corpus};
use crate::query::{sample_index, search};
use crate::support::{locsearch, repo_root, stdout};

/// A word typed without its accents is the word: `moznost` scores as `možnost` does (its
/// reduced form matched before, but not its exact form).
#[test]
fn a_word_typed_without_accents_scores_as_the_word() {
    let plain = search("moznost povezave", &[]);
    let accented = search("možnost povezave", &[]);
    assert_eq!(
        plain[0].path,
        "sl-SI/AlchemyInsights/sharing-link-greyed-out.md"
    );
    assert_eq!(plain[0].path, accented[0].path);
    assert!(
        (plain[0].score - accented[0].score).abs() < 1e-4,
        "{} vs {}",
        plain[0].score,
        accented[0].score
    );
}

/// A word typed without more accents than a typo's edits allow is the word all the same:
/// `kitapligindan` is three edits from `kitaplığından`.
#[test]
fn a_word_typed_without_many_accents_is_the_word() {
    let (_dir, searcher) = small_corpus(&[
        (
            "tr-TR",
            "library.md",
            &[(
                "Belge kitaplığından dosya silme",
                "Delete a file from the document library",
            )],
        ),
        (
            "tr-TR",
            "other.md",
            &[("Belge kitaplığı ayarları", "Document library settings")],
        ),
    ]);
    let mut request = Request::new("belge kitapligindan");
    request.langs = vec!["tr-TR".into()];
    let answer = searcher.answer(&request).unwrap();
    assert_eq!(answer.corrected.as_deref(), Some("belge kitaplığından"));
    assert_eq!(answer.hits[0].path, "tr-TR/library.md", "{:?}", answer.hits);
}

/// German typed on a keyboard without umlauts spells them out (`loeschen`, `Domaenen`): such
/// a word is the word, as one typed without its accents is, however many it spells out.
#[test]
fn a_word_with_its_umlauts_spelt_out_is_the_word() {
    let (_dir, searcher) = small_corpus(&[
        (
            "de-DE",
            "loeschen.md",
            &[("Benutzer löschen", "Delete users")],
        ),
        (
            "de-DE",
            "domaenen.md",
            &[("Domänenübertragungen verwalten", "Manage domain transfers")],
        ),
        (
            "de-DE",
            "logisch.md",
            &[("Logischen Benutzer anlegen", "Create a logical user")],
        ),
    ]);
    let answer = |query: &str| {
        let mut request = Request::new(query);
        request.langs = vec!["de-DE".into()];
        searcher.answer(&request).unwrap()
    };
    let spelt_out = answer("benutzer loeschen");
    let typed = answer("benutzer löschen");
    assert_eq!(spelt_out.hits[0].path, "de-DE/loeschen.md");
    assert!(
        (spelt_out.hits[0].score - typed.hits[0].score).abs() < 1e-4,
        "{} vs {}",
        spelt_out.hits[0].score,
        typed.hits[0].score
    );
    assert_eq!(spelt_out.corrected.as_deref(), Some("benutzer löschen"));
    let twice = answer("Domaenenuebertragungen");
    assert_eq!(
        twice.hits.first().map(|h| h.path.as_str()),
        Some("de-DE/domaenen.md")
    );
    assert_eq!(twice.corrected.as_deref(), Some("domänenübertragungen"));
}

/// Two printer articles, one Portuguese and one Spanish, and a Portuguese query typed
/// without accents: `nao` is too short for a typo yet must meet `não` (which the Portuguese
/// stemmer cuts to `na`), and `impressora`, a Portuguese word, is not a Spanish typo.
#[test]
fn a_short_word_without_its_accent_and_a_word_of_another_language() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    let pair = |t: &str, s: &str| vec![(t.to_owned(), s.to_owned())];
    let write = |locale: &str, name: &str, pairs: &[(String, String)]| {
        let folder = corpus.join(locale);
        std::fs::create_dir_all(&folder).unwrap();
        let text = crate::relations::article_in(locale, pairs);
        std::fs::write(folder.join(name), text).unwrap();
    };
    let printer = "The printer does not print";
    write(
        "pt-BR",
        "impressora.md",
        &pair("A impressora não imprime", printer),
    );
    write(
        "es-ES",
        "impresora.md",
        &pair("La impresora no imprime nada", printer),
    );
    // A Spanish page that names a Brazilian product: Spanish knows `nao` as well, so both
    // languages are as likely before correction.
    let catalogue = pair(
        "Word imprime el catálogo de Nao",
        "Word prints Nao's catalogue",
    );
    write("es-ES", "imprime.md", &catalogue);
    let index = dir.path().join("index");
    crate::index::quiet_build(&corpus, &index, false);
    let searcher = Searcher::open(&index).unwrap();
    let search = |query: &str, langs: &[&str]| {
        let mut request = Request::new(query);
        request.langs = langs.iter().map(|l| l.to_string()).collect();
        searcher.search(&request).unwrap()
    };
    let plain = search("nao", &["pt-BR"]);
    let accented = search("não", &["pt-BR"]);
    assert_eq!(plain.len(), 1, "{plain:?}");
    assert!((plain[0].score - accented[0].score).abs() < 1e-4);
    let mut request = Request::new("impressora nao imprime");
    request.explain = true;
    let answer = searcher.answer(&request).unwrap();
    assert_eq!(
        answer.hits[0].path, "pt-BR/impressora.md",
        "{:?}",
        answer.hits
    );
    let spanish: Vec<_> = answer
        .expansions
        .iter()
        .filter(|e| e.locale == "es-ES" && e.kind == "correction")
        .collect();
    assert!(spanish.is_empty(), "{spanish:?}");
    let portuguese = |e: &&locsearch_query::Expansion| e.locale == "pt-BR" && e.term == "não";
    assert!(answer.expansions.iter().any(|e| portuguese(&e)));
}

/// A typo after the first letters that a truncating analyzer keeps leaves the word's reduced
/// form known: the word is corrected all the same, so the article holding the word as meant
/// comes before one that only shares its first letters.
#[test]
fn a_typo_that_keeps_the_reduced_form_is_corrected() {
    let (_dir, searcher) = small_corpus(&[
        (
            "pl-PL",
            "configure.md",
            &[(
                "Konfigurowanie poczty w aplikacji",
                "Configuring mail in the app",
            )],
        ),
        (
            "pl-PL",
            "configurable.md",
            &[(
                "Konfigurowalne konfiguracje i konfigurator poczty",
                "Configurable configurations and the mail configurator",
            )],
        ),
    ]);
    let first = |query: &str| {
        let mut request = Request::new(query);
        request.langs = vec!["pl-PL".to_owned()];
        searcher.search(&request).unwrap()[0].path.clone()
    };
    assert_eq!(first("konfigurowanie poczty"), "pl-PL/configure.md");
    assert_eq!(first("konfiguroawnie poczty"), "pl-PL/configure.md");
}

/// A letter left out is the commonest slip of typing: `aple` is taken for `apple` (a letter
/// left out) before the far more frequent `alle` (a letter replaced), in the results and in
/// "did you mean".
#[test]
fn a_letter_left_out_is_likelier_than_a_letter_replaced() {
    let pairs: &[(&str, &str)] = &[
        ("Slett alle meldinger", "Delete all messages"),
        ("Flytt alle filer", "Move all files"),
        ("Vis alle mapper", "Show all folders"),
    ];
    let mut articles: Vec<SmallArticle> = vec![(
        "nb-NO",
        "apple.md",
        &[(
            "Apple-sertifikatet er utløpt",
            "The Apple certificate has expired",
        )],
    )];
    let names = ["slett.md", "flytt.md", "vis.md"];
    articles.extend(
        names
            .iter()
            .zip(pairs.chunks(1))
            .map(|(name, pair)| ("nb-NO", *name, pair)),
    );
    let (_dir, searcher) = small_corpus(&articles);
    let answer = |query: &str| {
        let mut request = Request::new(query);
        request.langs = vec!["nb-NO".to_owned()];
        searcher.answer(&request).unwrap()
    };
    let misspelt = answer("aple sertifikatet");
    assert_eq!(misspelt.hits[0].path, "nb-NO/apple.md");
    assert_eq!(misspelt.corrected.as_deref(), Some("apple sertifikatet"));
    assert_eq!(answer("alle meldinger").corrected, None);
}

/// Chinese is typed through pinyin, and its usual typo is a word of the right sound written
/// with other characters: 撤会 for 撤回 ("recall"). It is taken for the known word read alike,
/// and the answer says so.
#[test]
fn a_chinese_word_of_the_right_sound_is_taken_for_the_known_word() {
    let (_dir, searcher) = small_corpus(&[
        (
            "zh-CN",
            "recall.md",
            &[("如何撤回已发送的邮件", "How to recall a sent email")],
        ),
        (
            "zh-CN",
            "signature.md",
            &[("如何在邮件中添加签名", "How to add a signature")],
        ),
        (
            "zh-CN",
            "meeting.md",
            &[("如何召开团队会议", "How to hold a team meeting")],
        ),
    ]);
    let answer = searcher.answer(&Request::new("邮件撤会")).unwrap();
    assert_eq!(answer.hits[0].path, "zh-CN/recall.md", "{:?}", answer.hits);
    assert_eq!(answer.corrected.as_deref(), Some("邮件撤回"));
    let right = searcher.answer(&Request::new("邮件撤回")).unwrap();
    assert!(answer.hits[0].score < right.hits[0].score);
    assert_eq!(right.corrected, None);
}

/// A product name typed in Latin letters inside a Japanese, Korean or Chinese query is
/// corrected as any Latin word is, though edit distance means nothing to the query's own
/// script: `Teasm` is taken for `Teams`, and the answer says so.
#[test]
fn a_misspelt_latin_name_in_a_query_of_another_script_is_corrected() {
    let (_dir, searcher) = small_corpus(&[
        (
            "ja-JP",
            "teams.md",
            &[(
                "Teams の通知音が鳴らない",
                "Teams notification sound does not play",
            )],
        ),
        (
            "ja-JP",
            "outlook.md",
            &[(
                "Outlook の通知音が鳴らない",
                "Outlook notification sound does not play",
            )],
        ),
        (
            "ko-KR",
            "teams.md",
            &[("Teams 화면 공유", "Screen sharing in Teams")],
        ),
        (
            "ko-KR",
            "outlook.md",
            &[("Outlook 화면 공유", "Screen sharing in Outlook")],
        ),
    ]);
    for (query, taken, article) in [
        (
            "Teasm 通知音が鳴らない",
            "teams 通知音が鳴らない",
            "ja-JP/teams.md",
        ),
        (
            "Outloook 화면 공유",
            "outlook 화면 공유",
            "ko-KR/outlook.md",
        ),
    ] {
        let answer = searcher.answer(&Request::new(query)).unwrap();
        assert_eq!(answer.hits[0].path, article, "{query}: {:?}", answer.hits);
        assert_eq!(answer.corrected.as_deref(), Some(taken), "{query}");
    }
}

/// A first letter mistyped (`xcel`, `Nenutzer`) is corrected when no term is one edit away
/// otherwise, weighed as two edits: `Nenutzer` is `Benutzer`, not `Nutzer` (two edits that
/// keep the first letter).
#[test]
fn a_mistyped_first_letter_is_corrected_when_nothing_else_is_near() {
    let (_dir, searcher) = small_corpus(&[
        (
            "de-DE",
            "benutzer.md",
            &[
                ("Benutzer löschen", "Delete users"),
                ("Benutzer hinzufügen", "Add users"),
            ],
        ),
        (
            "de-DE",
            "nutzer.md",
            &[("Nutzer der Daten löschen", "Delete data users")],
        ),
        ("de-DE", "excel.md", &[("Excel stürzt ab", "Excel crashes")]),
        ("de-DE", "word.md", &[("Word stürzt ab", "Word crashes")]),
    ]);
    for (query, taken, article) in [
        ("Nenutzer löschen", "benutzer löschen", "de-DE/benutzer.md"),
        ("xcel crashes", "excel crashes", "de-DE/excel.md"),
    ] {
        let answer = searcher.answer(&Request::new(query)).unwrap();
        assert_eq!(answer.corrected.as_deref(), Some(taken), "{query}");
        let first = answer.hits.first().map(|h| h.path.as_str());
        assert_eq!(first, Some(article), "{query}: {:?}", answer.hits);
    }
}

/// A word typed without the hyphen the text writes (`addins`) is the two words, where the
/// text writes them side by side as often as it uses a name: not a misspelt `admins`, in a
/// quoted phrase as elsewhere. Two
/// known words the text joins once (`sky-blue`) are not read so: `skyblue` is corrected as
/// any misspelt word is.
#[test]
fn a_word_typed_without_its_hyphen_is_the_two_words() {
    let verbs = [
        "Install", "Remove", "Update", "Find", "Enable", "Disable", "Share", "Pin", "Sort", "Trust",
    ];
    let add_ins: Vec<(String, String)> = verbs
        .iter()
        .map(|verb| (format!("Add-Ins: {verb}"), format!("{verb} add-ins")))
        .collect();
    let add_ins: Vec<(&str, &str)> = add_ins
        .iter()
        .map(|(t, s)| (t.as_str(), s.as_str()))
        .collect();
    let (_dir, searcher) = small_corpus(&[
        ("de-DE", "add-ins.md", &add_ins),
        (
            "de-DE",
            "admins.md",
            &[("Administratoren verwalten", "Manage admins")],
        ),
        (
            "de-DE",
            "sky.md",
            &[
                ("Ein himmelblaues Design", "A sky-blue theme"),
                ("Himmel", "The sky"),
            ],
        ),
    ]);
    let answer = |query: &str| searcher.answer(&Request::new(query)).unwrap();
    let joined = answer("update addins");
    assert_eq!(joined.corrected.as_deref(), Some("update add ins"));
    let first = joined.hits.first().map(|h| h.path.as_str());
    assert_eq!(first, Some("de-DE/add-ins.md"), "{:?}", joined.hits);
    // In a quoted phrase, too: the two words, in order.
    let quoted = answer("\"addins: update\"");
    let first = quoted.hits.first().map(|h| h.path.as_str());
    assert_eq!(first, Some("de-DE/add-ins.md"), "{:?}", quoted.hits);
    let once = answer("skyblue theme");
    assert_ne!(once.corrected.as_deref(), Some("sky-blue theme"));
}

/// A name typed apart (`One Drive`) is the one word the text writes (`OneDrive`), where the
/// text writes it joined `apart::MIN_JOINED_RATIO` times as often as the two side by side;
/// two words it writes apart as often as joined (`set up`, `setup`) stay as typed.
#[test]
fn a_name_typed_apart_is_the_one_word() {
    let verbs = [
        "Restore",
        "Share",
        "Sync",
        "Sign in to",
        "Find",
        "Empty",
        "Stop",
        "Pause",
        "Move",
        "Back up",
    ];
    let onedrive: Vec<(String, String)> = verbs
        .iter()
        .flat_map(|verb| {
            [
                (
                    format!("OneDrive: {verb}"),
                    format!("{verb} files in OneDrive"),
                ),
                (
                    format!("{verb} (OneDrive)"),
                    format!("How to {verb} with OneDrive"),
                ),
            ]
        })
        .collect();
    let setup: Vec<(String, String)> = (0..10)
        .map(|n| {
            (
                format!("Setup {n}"),
                format!("Run setup or set up device {n}"),
            )
        })
        .collect();
    let (_dir, searcher) = small_corpus(&[
        ("de-DE", "onedrive.md", &borrowed(&onedrive)),
        (
            "de-DE",
            "drives.md",
            &[
                ("Ein Laufwerk", "Restore one drive"),
                ("Wiederherstellen", "Restore one drive files"),
            ],
        ),
        ("de-DE", "setup.md", &borrowed(&setup)),
    ]);
    let answer = |query: &str| searcher.answer(&Request::new(query)).unwrap();
    let apart = answer("restore One Drive files");
    assert_eq!(apart.corrected.as_deref(), Some("restore OneDrive files"));
    let first = apart.hits.first().map(|h| h.path.as_str());
    assert_eq!(first, Some("de-DE/onedrive.md"), "{:?}", apart.hits);
    assert_eq!(answer("set up device").corrected, None);
}

/// A name typed against its number (`Windows10`) is the two words the text writes (`Windows
/// 10`), where it writes them so `apart::MIN_JOINED_RATIO` times as often as glued: one stray
/// mention of the glued form does not make a quoted `"Windows10"` find only that.
#[test]
fn a_name_typed_against_its_number_is_the_two_words() {
    let tasks = [
        "Change brightness",
        "Activate",
        "Update",
        "Reset",
        "Upgrade",
        "Back up",
        "Restore",
        "Install",
        "Uninstall",
        "Repair",
    ];
    let windows: Vec<(String, String)> = tasks
        .iter()
        .map(|task| {
            (
                format!("Windows 10: {task}"),
                format!("{task} in Windows 10"),
            )
        })
        .collect();
    let (_dir, searcher) = small_corpus(&[
        ("de-DE", "windows.md", &borrowed(&windows)),
        (
            "de-DE",
            "bitlocker.md",
            &[("BitLocker", "Windows10 settings for BitLocker")],
        ),
    ]);
    let answer = searcher
        .answer(&Request::new("\"Windows10\" brightness"))
        .unwrap();
    assert_eq!(
        answer.corrected.as_deref(),
        Some("\"Windows 10\" brightness")
    );
    let first = answer.hits.first().map(|h| h.path.as_str());
    assert_eq!(first, Some("de-DE/windows.md"), "{:?}", answer.hits);
}

fn borrowed(pairs: &[(String, String)]) -> Vec<(&str, &str)> {
    pairs
        .iter()
        .map(|(t, s)| (t.as_str(), s.as_str()))
        .collect()
}

/// An error code typed without its hexadecimal prefix (`80070005`) is the code the text
/// writes with it; one typed without its hyphen (`300344`) is the code the text hyphenates
/// (`30034-4`), were it written once; and a code one digit off is another code, not a typo
/// of a known one.
#[test]
fn a_code_is_found_without_its_prefix_and_never_respelt() {
    let (_dir, searcher) = small_corpus(&[
        (
            "de-DE",
            "activation.md",
            &[(
                "Aktivierungsfehler 0x80070005 beheben",
                "Fix activation error 0x80070005",
            )],
        ),
        (
            "de-DE",
            "update.md",
            &[("Updatefehler beheben", "Fix update errors")],
        ),
        (
            "de-DE",
            "install.md",
            &[("Installationsfehler 30034-4", "Install error 30034-4")],
        ),
    ]);
    let answer = |query: &str| searcher.answer(&Request::new(query)).unwrap();
    for (typed, taken, article) in [
        ("error 300344", "error 30034 4", "de-DE/install.md"),
        ("error 80070005", "error 0x80070005", "de-DE/activation.md"),
    ] {
        let found = answer(typed);
        assert_eq!(found.corrected.as_deref(), Some(taken), "{typed}");
        let first = found.hits.first().map(|h| h.path.as_str());
        assert_eq!(first, Some(article), "{typed}: {:?}", found.hits);
    }
    let other = answer("error 0x80070006");
    assert_eq!(other.corrected, None);
}

/// A number one digit off is another number: `50gb` is not respelt as the `20gb` the text
/// holds, while a slip in its letters (`20gn`) still is.
#[test]
fn a_number_is_never_respelt_only_its_letters() {
    let (_dir, searcher) = small_corpus(&[
        (
            "de-DE",
            "storage.md",
            &[("Postfach mit 20GB Speicher", "Mailbox with 20GB of storage")],
        ),
        (
            "de-DE",
            "calendar.md",
            &[("Kalender freigeben", "Share a calendar")],
        ),
    ]);
    let corrected = |query: &str| searcher.answer(&Request::new(query)).unwrap().corrected;
    assert_eq!(corrected("postfach 50gb"), None);
    assert_eq!(corrected("postfach 20gn").as_deref(), Some("postfach 20gb"));
}

/// An English negation typed without its apostrophe (`cant`, `doesnt`) is the negation, not
/// a typo: the answer is the one typed with it, and says nothing of a correction.
#[test]
fn a_negation_typed_without_its_apostrophe_is_no_typo() {
    let searcher = Searcher::open(sample_index()).unwrap();
    for (typed, meant) in [
        ("cant reset password", "can't reset password"),
        ("reset button doesnt work", "reset button doesn't work"),
    ] {
        let answer = searcher.answer(&Request::new(typed)).unwrap();
        let right = searcher.answer(&Request::new(meant)).unwrap();
        assert_eq!(answer.corrected, None, "{typed}");
        let articles =
            |a: &locsearch_query::Answer| a.hits.iter().map(|h| h.path.clone()).collect::<Vec<_>>();
        assert!(!right.hits.is_empty(), "{meant}");
        assert_eq!(articles(&answer), articles(&right), "{typed}");
    }
}

/// Misspelt words are taken for the closest words the index knows, weighed below the words
/// spelt right: the article is found first, with a score below the right spelling's.
#[test]
fn misspelt_words_find_the_article_below_the_right_spelling() {
    let article = "sl-SI/AlchemyInsights/password-reset-button-greyed-out.md";
    let right = search("password reset button", &["sl-SI"]);
    let misspelt = search("pasword reset buton", &["sl-SI"]);
    assert_eq!(right[0].path, article);
    assert_eq!(misspelt[0].path, article);
    assert!(misspelt[0].score < right[0].score);
    // Unknown, the two words would only lower the coverage weight (to a tenth of this).
    assert!(
        misspelt[0].score > 0.25 * right[0].score,
        "{} vs {}",
        misspelt[0].score,
        right[0].score
    );
    // Without a language the misspelt English query still finds it through the source side.
    let routed = search("pasword reset buton", &[]);
    assert_eq!(
        routed[0].article,
        "AlchemyInsights/password-reset-button-greyed-out.md"
    );
}

/// A misspelt word inside quotes is corrected there too: the phrase condition holds its
/// correction, so the article is found (not nothing) and the correction reported.
#[test]
fn a_misspelt_word_inside_quotes_is_corrected_in_the_phrase() {
    let searcher = Searcher::open(sample_index()).unwrap();
    let right = searcher
        .answer(&Request::new("\"password reset button\""))
        .unwrap();
    let answer = searcher
        .answer(&Request::new("\"password reset buton\""))
        .unwrap();
    assert!(!right.hits.is_empty());
    assert_eq!(
        answer.hits.first().map(|h| &h.article),
        Some(&right.hits[0].article)
    );
    assert_eq!(
        answer.corrected.as_deref(),
        Some("\"password reset button\"")
    );
    // A phrase that no segment holds in that order is searched as its words, corrected,
    // and the answer says so.
    let reordered = searcher
        .answer(&Request::new("\"buton reset password\""))
        .unwrap();
    assert_eq!(
        reordered.corrected.as_deref(),
        Some("button reset password")
    );
}

/// "Did you mean": when corrections decided the best hit, the answer says how the query was
/// taken — in the answer, in `batch`'s JSON and as a line of `search`'s text — and a query
/// spelt right says nothing.
#[test]
fn a_correction_that_decided_the_result_is_reported() {
    let searcher = Searcher::open(sample_index()).unwrap();
    let answer = searcher
        .answer(&Request::new("pasword reset buton"))
        .unwrap();
    assert_eq!(answer.corrected.as_deref(), Some("password reset button"));
    let right = searcher
        .answer(&Request::new("password reset button"))
        .unwrap();
    assert_eq!(right.corrected, None);
    let accents = searcher.answer(&Request::new("moznost povezave")).unwrap();
    assert_eq!(accents.corrected.as_deref(), Some("možnost povezave"));
    // The body field holds the truncated `moznos` beside the word, as near and more frequent:
    // "did you mean" shows the word.
    let mut doubled = Request::new("mozznost povezave");
    doubled.langs = vec!["sl-SI".to_owned()];
    let doubled = searcher.answer(&doubled).unwrap();
    assert_eq!(doubled.corrected.as_deref(), Some("možnost povezave"));

    let index = sample_index().to_str().unwrap();
    let out = locsearch(
        &["search", "pasword reset buton", "--index", index],
        &repo_root(),
    );
    assert!(
        stdout(&out).starts_with("showing results for: password reset button\n"),
        "{}",
        stdout(&out)
    );
    let mut batch = Command::new(env!("CARGO_BIN_EXE_locsearch"))
        .args(["batch", "--index", index])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    batch
        .stdin
        .take()
        .unwrap()
        .write_all(b"{\"qid\": 1, \"query\": \"pasword reset buton\"}\n{\"qid\": 2, \"query\": \"password\"}\n")
        .unwrap();
    let out = batch.wait_with_output().unwrap();
    let answers: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(answers[0]["corrected"], "password reset button");
    assert!(answers[1].get("corrected").is_none());
}

/// The sample articles' titles (their front matter), as people would type them.
fn titles() -> Vec<Vec<String>> {
    let mut titles: Vec<Vec<String>> = Vec::new();
    let mut dirs = vec![repo_root().join("corpus")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if let Ok(text) = std::fs::read_to_string(&path) {
                let found = text.lines().filter_map(|l| l.strip_prefix("title:"));
                titles.extend(found.map(|t| t.split_whitespace().map(str::to_owned).collect()));
            }
        }
    }
    titles.sort();
    titles
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

    /// Corrections only ever add: a query of words of one title, as the index holds them, gets
    /// the same hits, in the same order and with the same scores, with corrections on or off; and with
    /// one of its words misspelt, the article it matched best stays among the top hits.
    #[test]
    fn corrections_never_displace_exact_matches(
        title in 0usize..1_000,
        picks in proptest::collection::vec(0usize..1_000, 1..4),
        typo_at in 0usize..100,
    ) {
        static TITLES: std::sync::OnceLock<Vec<Vec<String>>> = std::sync::OnceLock::new();
        let titles = TITLES.get_or_init(titles);
        let words = &titles[title % titles.len()];
        let query: Vec<&str> = picks.iter().map(|i| words[i % words.len()].as_str()).collect();
        let query = query.join(" ");
        let mut with = Searcher::open(sample_index()).unwrap();
        let plain = with.answer(&Request::new(&query));
        with.ranking.max_corrections = 0;
        let without = with.answer(&Request::new(&query));
        let (Ok(plain), Ok(without)) = (plain, without) else { return Ok(()) };
        let key = |a: &locsearch_query::Answer| -> Vec<(String, u32)> {
            a.hits.iter().map(|h| (h.path.clone(), (h.score * 1e3) as u32)).collect()
        };
        proptest::prop_assert_eq!(key(&plain), key(&without));

        // One of the words misspelt (two letters swapped): the best exact match stays among
        // the top hits.
        let Some(best) = plain.hits.first() else { return Ok(()) };
        let words_of: Vec<&str> = query.split_whitespace().collect();
        let at = typo_at % words_of.len();
        if words_of[at].chars().count() < 6 || !words_of[at].chars().all(char::is_alphabetic) {
            return Ok(());
        }
        let mut chars: Vec<char> = words_of[at].chars().collect();
        chars.swap(2, 3);
        let misspelt: String = chars.into_iter().collect();
        let mut typo_words = words_of.clone();
        typo_words[at] = &misspelt;
        let typo_query = typo_words.join(" ");
        let with = Searcher::open(sample_index()).unwrap();
        if let Ok(answer) = with.answer(&Request::new(&typo_query)) {
            proptest::prop_assert!(
                answer.hits.iter().any(|h| h.path == best.path),
                "{typo_query}: {} left the top hits", best.path
            );
        }
    }
}
