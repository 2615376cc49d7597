//! Words typed otherwise than the text has them, end to end: as compounds or their parts,
//! as names in the user's script, in another language, or in the user's own synonyms; and
//! what the answer says about them (`explain`). Words typed wrong are in `typos.rs`.

use locsearch_query::{Request, Searcher};

use crate::query::sample_index;
use crate::support::{locsearch, repo_root, stderr};

/// An article of a [`small_corpus`]: locale, file name, aligned (target, source) pairs.
pub(crate) type SmallArticle<'a> = (&'a str, &'a str, &'a [(&'a str, &'a str)]);

/// A searcher over a corpus of these articles, and the directory holding both.
pub(crate) fn small_corpus(articles: &[SmallArticle]) -> (tempfile::TempDir, Searcher) {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    for (locale, name, pairs) in articles {
        let folder = corpus.join(locale);
        std::fs::create_dir_all(&folder).unwrap();
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(t, s)| (t.to_string(), s.to_string()))
            .collect();
        let text = crate::relations::article_in(locale, &pairs);
        let file = folder.join(name);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, text).unwrap();
    }
    let index = dir.path().join("index");
    crate::index::quiet_build(&corpus, &index, false);
    let searcher = Searcher::open(&index).unwrap();
    (dir, searcher)
}

/// An include (a fragment under `includes/` that pages paste in) that lists an article's title
/// in other words does not answer ahead of the article.
#[test]
fn an_include_listing_an_article_answers_after_it() {
    let (_dir, searcher) = small_corpus(&[
        (
            "de-DE",
            "includes/updates.md",
            &[(
                "Benutzerpostfach in ein freigegebenes Postfach umwandeln?",
                "Converting user mailbox into a shared mailbox?",
            )],
        ),
        (
            "de-DE",
            "convert-mailbox.md",
            &[(
                "Benutzerpostfach in ein freigegebenes Postfach konvertieren",
                "Convert a user mailbox to a shared mailbox",
            )],
        ),
        (
            "de-DE",
            "sign-in.md",
            &[("Bei Outlook anmelden", "Sign into Outlook")],
        ),
        (
            "de-DE",
            "import.md",
            &[("Kontakte importieren", "Import contacts into Outlook")],
        ),
    ]);
    let hits = searcher
        .search(&Request::new("turn user mailbox into shared mailbox"))
        .unwrap();
    let paths: Vec<&str> = hits.iter().map(|h| h.path.as_str()).collect();
    assert_eq!(
        paths[..2],
        ["de-DE/convert-mailbox.md", "de-DE/includes/updates.md"],
        "{hits:#?}"
    );
}

/// A word in more than `Ranking::frequent_share` of the documents ("Outlook", named in most
/// articles here, in German only) adds its score where a rarer word of the query occurs, but a
/// document holding only the frequent word is not scored; a query of frequent words only
/// finds them, and so does one whose frequent word expands to a rare one.
#[test]
fn a_document_holding_only_frequent_words_of_the_query_is_not_scored() {
    let filler: Vec<(String, String)> = (0..50)
        .map(|i| (format!("farbe{i} blau{i}"), format!("colour{i} blue{i}")))
        .collect();
    let filler: Vec<(&str, &str)> = filler
        .iter()
        .map(|(t, s)| (t.as_str(), s.as_str()))
        .collect();
    let (dir, searcher) = small_corpus(&[
        ("de-DE", "filler.md", &filler),
        (
            "de-DE",
            "start.md",
            &[("Outlook starten", "Start the mail app")],
        ),
        (
            "de-DE",
            "close.md",
            &[("Outlook schließen", "Close the mail app")],
        ),
        (
            "de-DE",
            "print.md",
            &[("Aus Outlook drucken", "Print from the mail app")],
        ),
        (
            "de-DE",
            "sign-in.md",
            &[("Bei Outlook anmelden", "Sign in to the mail app")],
        ),
        (
            "de-DE",
            "rules.md",
            &[(
                "Regeln in Outlook erstellen",
                "Create rules in the mail app",
            )],
        ),
        (
            "de-DE",
            "signature.md",
            &[("Signatur in Outlook ändern", "Change the mail signature")],
        ),
        (
            "de-DE",
            "share-calendar.md",
            &[("Einen Kalender in Outlook freigeben", "Share a calendar")],
        ),
        (
            "de-DE",
            "export-calendar.md",
            &[("Einen Kalender exportieren", "Export a calendar")],
        ),
    ]);
    let paths = |query: &str, langs: &[&str]| -> Vec<String> {
        let mut request = Request::new(query);
        request.langs = langs.iter().map(|l| l.to_string()).collect();
        let hits = searcher.search(&request).unwrap();
        hits.into_iter().map(|h| h.path).collect()
    };
    assert_eq!(
        paths("Outlook Kalender", &[]),
        ["de-DE/share-calendar.md", "de-DE/export-calendar.md"]
    );
    let outlook = paths("Outlook", &["de-DE"]);
    assert_eq!(outlook.len(), 7, "{outlook:?}");
    assert!(
        !outlook
            .iter()
            .any(|p| p.contains("filler") || p.contains("export"))
    );

    // An expansion only adds documents: a rare word a frequent one expands to does not drive.
    let synonyms = tempfile::tempdir().unwrap();
    std::fs::write(synonyms.path().join("de.txt"), "outlook => kalender\n").unwrap();
    let rules = locsearch_query::synonyms::load(synonyms.path()).unwrap();
    let expanded = Searcher::open(&dir.path().join("index"))
        .unwrap()
        .with_synonyms(&rules);
    let mut request = Request::new("Outlook");
    request.langs = vec!["de-DE".into()];
    let with_synonym: Vec<String> = expanded
        .search(&request)
        .unwrap()
        .into_iter()
        .map(|h| h.path)
        .collect();
    for path in &outlook {
        assert!(with_synonym.contains(path), "{path} in {with_synonym:?}");
    }
}

/// With no language given, a word typed as one language writes it tells that language from a
/// neighbour whose reduced forms match it too: Russian `зависает` against Ukrainian
/// `зависання`, both truncated to `зависа` by the Ukrainian analyzer. The Ukrainian article's
/// shorter title scores a little more on its own (3.68 against 3.47 when a word known only
/// in its reduced form counted fully).
#[test]
fn a_word_known_as_typed_tells_a_language_from_its_neighbour() {
    let update = "Update Office to the latest version";
    let (_dir, searcher) = small_corpus(&[
        (
            "uk-UA",
            "powerpoint-hangs.md",
            &[
                ("Зависання програми PowerPoint", "PowerPoint hangs"),
                ("Оновіть Office до останньої версії", update),
            ],
        ),
        (
            "ru-RU",
            "powerpoint-hangs.md",
            &[
                (
                    "Программа PowerPoint зависает при запуске",
                    "PowerPoint hangs when it starts",
                ),
                ("Обновите Office до последней версии", update),
            ],
        ),
    ]);
    let hits = searcher
        .search(&Request::new("powerpoint зависает"))
        .unwrap();
    let scores: Vec<_> = hits.iter().map(|h| (&h.locale, h.score)).collect();
    assert_eq!(hits[0].locale, "ru-RU", "{scores:?}");
}

/// Korean text of Teams articles: the product's name stays in Latin letters, as in the
/// corpus, in more segments than a name needs to be taken for a word that sounds like it.
const TEAMS_IN_KOREAN: &[(&str, &str)] = &[
    (
        "Teams에서 화면 공유가 작동하지 않음",
        "Screen sharing not working in Teams",
    ),
    ("Teams를 다시 시작하세요.", "Restart Teams."),
    (
        "Teams 앱을 최신 버전으로 업데이트하세요.",
        "Update the Teams app to the latest version.",
    ),
    (
        "Teams 모임에서 공유를 선택하세요.",
        "In a Teams meeting, select Share.",
    ),
    (
        "Teams 관리 센터에서 정책을 확인하세요.",
        "Check the policy in the Teams admin center.",
    ),
    ("Teams 웹 앱을 사용해 보세요.", "Try the Teams web app."),
    ("Teams 캐시를 지우세요.", "Clear the Teams cache."),
    (
        "Teams 데스크톱 앱에서 로그아웃하세요.",
        "Sign out of the Teams desktop app.",
    ),
    (
        "Teams 채널에 파일을 올리세요.",
        "Upload files to a Teams channel.",
    ),
    (
        "Teams 알림 설정을 확인하세요.",
        "Check your Teams notification settings.",
    ),
    ("Teams 상태를 확인하세요.", "Check your Teams status."),
];

/// A Korean corpus: the Teams and Zoom screen-sharing articles, and a hundred mail
/// segments, the first of them replaced by `first_mail` if given.
fn teams_and_zoom_in_korean(first_mail: Option<(&str, &str)>) -> (tempfile::TempDir, Searcher) {
    let mut others: Vec<(String, String)> = (0..100)
        .map(|i| (format!("메일 {i} 보내기"), format!("Send mail {i}")))
        .collect();
    if let Some((target, source)) = first_mail {
        others[0] = (target.into(), source.into());
    }
    let others: Vec<(&str, &str)> = others.iter().map(|(t, s)| (&t[..], &s[..])).collect();
    small_corpus(&[
        ("ko-KR", "teams-screen-sharing.md", TEAMS_IN_KOREAN),
        (
            "ko-KR",
            "zoom-screen-sharing.md",
            &[(
                "Zoom에서 화면 공유가 작동하지 않음",
                "Screen sharing not working in Zoom",
            )],
        ),
        ("ko-KR", "mail.md", &others),
    ])
}

/// Users type product names as they say them, in their own script (팀즈 for Teams), which no
/// locale's text holds: the word is taken for the name the text keeps in Latin letters that
/// sounds like it, and the answer says so.
#[test]
fn a_name_typed_in_the_users_script_is_taken_for_the_name_the_text_keeps() {
    let (_dir, searcher) = teams_and_zoom_in_korean(None);
    let answer = searcher
        .answer(&Request::new("팀즈 화면 공유 안됨"))
        .unwrap();
    let ranked: Vec<_> = answer.hits.iter().map(|h| (&h.path, h.score)).collect();
    assert_eq!(ranked[0].0, "ko-KR/teams-screen-sharing.md", "{ranked:?}");
    assert!(ranked[0].1 > ranked[1].1, "{ranked:?}");
    assert_eq!(answer.corrected.as_deref(), Some("teams 화면 공유 안됨"));
}

/// A locale's text now and then writes a name as it sounds (one segment of the corpus has
/// 팀즈), while its other documents keep it in Latin letters: a word known that rarely is
/// still taken for the name, beside itself, where the English of a segment holding it says
/// the name; elsewhere it is a word of the language.
#[test]
fn a_name_the_text_spells_in_its_script_only_rarely_is_taken_for_the_name_too() {
    let said = ("팀즈 메일 보내기", "Send mail from Teams");
    let (_dir, searcher) = teams_and_zoom_in_korean(Some(said));
    let answer = searcher
        .answer(&Request::new("팀즈 화면 공유 안됨"))
        .unwrap();
    let ranked: Vec<_> = answer.hits.iter().map(|h| (&h.path, h.score)).collect();
    assert_eq!(ranked[0].0, "ko-KR/teams-screen-sharing.md", "{ranked:?}");
    assert_eq!(answer.corrected.as_deref(), Some("teams 화면 공유 안됨"));
    // Every word known: the query is spelt right, and the name is still taken.
    let answer = searcher.answer(&Request::new("팀즈 화면 공유")).unwrap();
    assert_eq!(answer.corrected.as_deref(), Some("teams 화면 공유"));

    let unsaid = ("팀즈 메일 보내기", "Send mail to the team");
    let (_dir, searcher) = teams_and_zoom_in_korean(Some(unsaid));
    let answer = searcher.answer(&Request::new("팀즈 화면 공유")).unwrap();
    assert_eq!(answer.corrected, None);
}

/// Users coin compounds the text never uses: "Druckerprobleme" is searched as "Drucker" and
/// "Probleme", which the text holds apart, and the answer says so.
#[test]
fn a_compound_the_text_never_uses_is_searched_as_its_parts() {
    let (_dir, searcher) = small_corpus(&[
        (
            "de-DE",
            "drucker.md",
            &[(
                "Probleme mit dem Drucker beheben",
                "Fix problems with the printer",
            )],
        ),
        (
            "de-DE",
            "konto.md",
            &[(
                "Probleme mit dem Konto beheben",
                "Fix problems with the account",
            )],
        ),
    ]);
    let answer = searcher.answer(&Request::new("Druckerprobleme")).unwrap();
    let first = answer.hits.first().map(|hit| hit.path.as_str());
    assert_eq!(first, Some("de-DE/drucker.md"), "{:?}", answer.hits);
    assert_eq!(answer.corrected.as_deref(), Some("drucker probleme"));
}

/// The text holds a word inside a compound ("Abwesenheitsantworten") that a user types
/// alone: the word finds the compounds it starts, though weighed below itself.
#[test]
fn a_word_finds_the_compounds_it_starts() {
    let products = ["SPF", "Visio", "SharePoint", "Teams", "OneDrive", "Project"];
    let setups: Vec<(String, [(String, String); 1])> = products
        .iter()
        .map(|p| {
            (
                format!("{p}.md"),
                [(format!("Einrichten von {p}"), format!("Set up {p}"))],
            )
        })
        .collect();
    let setups: Vec<(String, Vec<(&str, &str)>)> = setups
        .iter()
        .map(|(name, pairs)| {
            (
                name.clone(),
                pairs.iter().map(|(t, s)| (&t[..], &s[..])).collect(),
            )
        })
        .collect();
    let mut articles: Vec<SmallArticle> = setups
        .iter()
        .map(|(name, pairs)| ("de-DE", name.as_str(), pairs.as_slice()))
        .collect();
    articles.push((
        "de-DE",
        "abwesenheit.md",
        &[(
            "Einrichten von automatischen Abwesenheitsantworten",
            "Set up automatic out-of-office replies",
        )],
    ));
    let (_dir, searcher) = small_corpus(&articles);
    let answer = searcher
        .answer(&Request::new("Abwesenheit einrichten"))
        .unwrap();
    let first = answer.hits.first().map(|hit| hit.path.as_str());
    assert_eq!(first, Some("de-DE/abwesenheit.md"), "{:?}", answer.hits);
}

/// A compound a common word starts is rare, and a rare term weighs much: "nicht" must not
/// find "Nichtjunk" ahead of the articles that hold "nicht" as typed.
#[test]
fn a_compound_never_outweighs_the_word_that_starts_it() {
    let failures = [
        (
            "drucker.md",
            [("Der Drucker druckt nicht", "The printer does not print")],
        ),
        (
            "konto.md",
            [("Das Konto wird nicht gefunden", "The account is not found")],
        ),
        (
            "akku.md",
            [("Der Akku wird nicht geladen", "The battery does not charge")],
        ),
        (
            "teams.md",
            [("Teams startet nicht", "Teams does not start")],
        ),
        (
            "maus.md",
            [("Die Maus reagiert nicht", "The mouse does not respond")],
        ),
    ];
    let mut articles: Vec<SmallArticle> = failures
        .iter()
        .map(|(name, pairs)| ("de-DE", *name, &pairs[..]))
        .collect();
    articles.push((
        "de-DE",
        "junk.md",
        &[("Nichtjunk-Absender verwalten", "Manage not-junk senders")],
    ));
    let (_dir, searcher) = small_corpus(&articles);
    let mut request = Request::new("nicht");
    request.explain = true;
    let answer = searcher.answer(&request).unwrap();
    let searched = |term: &str| answer.expansions.iter().any(|e| e.term == term);
    assert!(searched("nichtjunk"), "{:?}", answer.expansions);
    let paths: Vec<&str> = answer.hits.iter().map(|hit| hit.path.as_str()).collect();
    assert_eq!(paths.len(), failures.len() + 1, "{paths:?}");
    assert_eq!(paths.last(), Some(&"de-DE/junk.md"), "{paths:?}");
}

/// Serbian is written in two alphabets: a user who types Cyrillic meets the Latin text of the
/// Serbian locale, ahead of the Bulgarian text written in Cyrillic.
#[test]
fn serbian_typed_in_cyrillic_meets_serbian_written_in_latin() {
    let (_dir, searcher) = small_corpus(&[
        (
            "sr-Latn-RS",
            "password.md",
            &[(
                "Promena lozinke u Outlook.com",
                "Change your password in Outlook.com",
            )],
        ),
        (
            "bg-BG",
            "font.md",
            &[(
                "Промяна на шрифта в Outlook.com",
                "Change the font in Outlook.com",
            )],
        ),
    ]);
    let answer = searcher
        .answer(&Request::new("промена лозинке outlook"))
        .unwrap();
    let first = answer.hits.first().map(|hit| hit.path.as_str());
    assert_eq!(first, Some("sr-Latn-RS/password.md"), "{:?}", answer.hits);
}

/// An English query with a typo that happens to be a word of another language ("delte":
/// Danish "shared") is still English: the Danish text's untranslated English words count
/// toward Danish only as much as they weigh there, so the English side, which corrects the
/// typo, answers.
#[test]
fn english_words_left_in_a_locales_text_do_not_make_an_english_query_that_locales() {
    let (_dir, searcher) = small_corpus(&[
        (
            "da-DK",
            "shared-mailbox.md",
            &[
                (
                    "Send mail fra den delte postkasse",
                    "Send mail from the shared mailbox",
                ),
                // Left untranslated, as UI strings and whole segments often are.
                (
                    "How to add a user to a group",
                    "How to add a user to a group",
                ),
            ],
        ),
        // The rest of the Danish text is translated: its English words are in its source only.
        (
            "da-DK",
            "users.md",
            &[
                ("Sådan tilføjer du en bruger", "How to add a user"),
                ("Sådan fjerner du en bruger", "How to remove a user"),
                (
                    "Sådan nulstiller du en brugers adgangskode",
                    "How to reset a user's password",
                ),
                (
                    "Sådan ændrer du en brugers navn",
                    "How to change a user's name",
                ),
            ],
        ),
        (
            "de-DE",
            "delete-user.md",
            &[
                ("Benutzer löschen", "Delete a user"),
                ("So löschen Sie einen Benutzer", "How to delete a user"),
            ],
        ),
        (
            "de-DE",
            "groups.md",
            &[("Gruppen verwalten", "Manage groups")],
        ),
    ]);
    let hits = searcher
        .search(&Request::new("how to delte a user"))
        .unwrap();
    assert_eq!(hits[0].article, "delete-user.md", "{hits:?}");
}

/// A user's synonyms (`--synonyms DIR`, one file per language) add their words to a query,
/// below the word as typed, without reindexing; a mistake in a file is an error that names
/// its line.
#[test]
fn user_synonyms_add_their_words_and_bad_files_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("en.txt"),
        "# ours\nunavailable => greyed out\n",
    )
    .unwrap();
    let rules = locsearch_query::synonyms::load(dir.path()).unwrap();
    let plain = Searcher::open(sample_index()).unwrap();
    let with = Searcher::open(sample_index())
        .unwrap()
        .with_synonyms(&rules);
    let request = Request::new("link option unavailable");
    let article = "AlchemyInsights/sharing-link-greyed-out.md";
    let score = |searcher: &Searcher| {
        let hits = searcher.search(&request).unwrap();
        hits.iter()
            .find(|h| h.article == article)
            .map_or(0.0, |h| h.score)
    };
    assert!(
        score(&with) > score(&plain),
        "{} vs {}",
        score(&with),
        score(&plain)
    );
    // One way only: "greyed out" does not add "unavailable" (which no article holds anyway).
    let greyed = Request::new("link option greyed out");
    assert_eq!(
        with.search(&greyed).unwrap()[0].score,
        plain.search(&greyed).unwrap()[0].score
    );

    let index = sample_index().to_str().unwrap();
    let synonyms = dir.path().to_str().unwrap();
    let out = locsearch(
        &[
            "search",
            "link option unavailable",
            "--index",
            index,
            "--synonyms",
            synonyms,
            "--json",
        ],
        &repo_root(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    std::fs::write(dir.path().join("de.txt"), "löschen, entfernen\nnur eins\n").unwrap();
    let out = locsearch(
        &["search", "x", "--index", index, "--synonyms", synonyms],
        &repo_root(),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("de.txt:2: one entry alone has no synonym"),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("hint:"));
}

/// `explain` lists every term searched besides the query's words, and why: corrections with
/// their weights, synonyms; without it, nothing.
#[test]
fn explain_lists_corrections_and_synonyms_with_their_weights() {
    let ranking = locsearch_query::Ranking::default();
    let mut request = Request::new("pasword reset buton");
    request.explain = true;
    let searcher = Searcher::open(sample_index()).unwrap();
    let answer = searcher.answer(&request).unwrap();
    let pasword = answer
        .expansions
        .iter()
        .find(|e| e.word == "pasword" && e.term == "password")
        .expect("the correction listed");
    assert_eq!((pasword.kind, pasword.side), ("correction", "source"));
    assert!((pasword.weight - ranking.typo_weight).abs() < 1e-6);
    request.explain = false;
    assert!(searcher.answer(&request).unwrap().expansions.is_empty());

    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("en.txt"), "unavailable => greyed out\n").unwrap();
    let rules = locsearch_query::synonyms::load(dir.path()).unwrap();
    let with = Searcher::open(sample_index())
        .unwrap()
        .with_synonyms(&rules);
    let mut request = Request::new("link option unavailable");
    request.explain = true;
    let answer = with.answer(&request).unwrap();
    // "greyed out" as the English analyzer reduces it: two terms.
    let synonyms: Vec<_> = answer
        .expansions
        .iter()
        .filter(|e| e.kind == "synonym")
        .collect();
    assert_eq!(synonyms.len(), 2, "{:?}", answer.expansions);
    assert!(
        synonyms
            .iter()
            .all(|e| e.weight == ranking.synonym_weight && e.side == "source")
    );
}

/// Hits without passages read their titles straight from the article's document: after the
/// article changes, the title shown is the new one, never that of its replaced document.
#[test]
fn a_hit_without_passages_shows_the_current_title_after_an_update() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = crate::index::sample_copy(dir.path());
    let index = dir.path().join("index");
    crate::index::quiet_build(&corpus, &index, false);
    let file = corpus.join("sl-SI/AlchemyInsights/password-reset-button-greyed-out.md");
    let titles = |index: &std::path::Path| {
        let mut request = Request::new("gumb");
        request.langs = vec!["sl-SI".into()];
        request.snippets = false;
        Searcher::open(index)
            .unwrap()
            .search(&request)
            .unwrap()
            .into_iter()
            .map(|h| h.title)
            .collect::<Vec<_>>()
    };
    assert_eq!(titles(&index), ["Gumb za ponastavitev gesla je zatemnjen"]);
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replace("title: Gumb za", "title: Novi gumb za")).unwrap();
    crate::index::quiet_build(&corpus, &index, false);
    assert_eq!(
        titles(&index),
        ["Novi gumb za ponastavitev gesla je zatemnjen"]
    );
}

/// Users split a name the text writes as one (`one drive`): the two words also search the
/// word they join, where the text uses it as a name (here in ten segments), and not a join
/// the text uses once (`skydrive`), which is no name but a stray token. (Here the text also
/// writes `one drive` twice, too often for the query to be read as the name alone:
/// `a_name_typed_apart_is_the_one_word`.)
#[test]
fn a_name_typed_as_two_words_searches_the_name() {
    let mut texts: Vec<(String, String)> = [
        "restart",
        "install",
        "sign in to",
        "update",
        "pause",
        "open",
        "share files from",
        "stop",
        "reset",
        "uninstall",
    ]
    .iter()
    .map(|verb| {
        (
            format!("OneDrive: {verb}"),
            format!("How to {verb} OneDrive"),
        )
    })
    .collect();
    for (target, source) in [
        ("SkyDrive", "SkyDrive was renamed"),
        ("Netzlaufwerk zuordnen", "Map a network drive"),
        ("Himmel", "The sky is blue"),
        ("Eine Option", "Choose one option"),
        ("Ein Laufwerk", "Restore one drive"),
        ("Zwei Laufwerke", "Back up one drive of two"),
    ] {
        texts.push((target.into(), source.into()));
    }
    let pairs: Vec<(&str, &str)> = texts
        .iter()
        .map(|(t, s)| (t.as_str(), s.as_str()))
        .collect();
    let (_dir, searcher) = small_corpus(&[("de-DE", "onedrive.md", &pairs)]);
    let joined = |query: &str| {
        let mut request = Request::new(query);
        request.explain = true;
        let answer = searcher.answer(&request).unwrap();
        let mut joined: Vec<(String, String, &str)> = answer
            .expansions
            .iter()
            .filter(|e| e.kind == "compound")
            .map(|e| (e.word.clone(), e.term.clone(), e.side))
            .collect();
        joined.dedup();
        joined
    };
    let one_drive = joined("one drive restart");
    for word in ["one", "drive"] {
        assert!(
            one_drive
                .iter()
                .any(|(w, t, side)| w == word && t == "onedrive" && *side == "source"),
            "{one_drive:?}"
        );
    }
    assert!(joined("sky drive").is_empty());
}
