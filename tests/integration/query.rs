//! `locsearch search` end to end on the sample corpus: hits, passages, headings, query syntax,
//! errors.

use locsearch_query::{Request, Searcher};

use crate::support::{locsearch, repo_root, stderr, stdout};

/// The sample corpus indexed once into a temporary directory.
pub(crate) fn sample_index() -> &'static std::path::Path {
    static DIR: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        locsearch_index::build(
            &repo_root().join("corpus"),
            dir.path(),
            &Default::default(),
            |_| {},
            |_| {},
        )
        .unwrap();
        dir
    })
    .path()
}

pub(crate) fn search(query: &str, langs: &[&str]) -> Vec<locsearch_query::Hit> {
    let searcher = Searcher::open(sample_index()).unwrap();
    let mut request = Request::new(query);
    request.langs = langs.iter().map(|s| s.to_string()).collect();
    searcher.search(&request).unwrap()
}

#[test]
fn the_readme_example_finds_the_article_with_both_sides() {
    let hits = search("greyed-out reset button", &[]);
    let top = &hits[0];
    assert_eq!(
        top.article,
        "AlchemyInsights/password-reset-button-greyed-out.md"
    );
    assert_eq!(
        top.matched, "source",
        "an English query matches through the English source"
    );
    assert_eq!(
        top.source_title.as_deref(),
        Some("The password reset button is greyed out")
    );
    assert_eq!(
        top.locales.len(),
        6,
        "one hit per article, with the locales it exists in: {:?}",
        top.locales
    );
    let segment = &top.segments[0];
    let source = segment.source.as_deref().unwrap();
    let highlighted: Vec<&str> = segment
        .source_highlights
        .iter()
        .map(|h| &source[h.start..h.end])
        .collect();
    assert!(
        highlighted.contains(&"reset") && highlighted.contains(&"button"),
        "{highlighted:?}"
    );
    assert_eq!(
        hits.iter().filter(|h| h.article == top.article).count(),
        1,
        "not once per locale"
    );
}

#[test]
fn a_slovenian_query_finds_the_slovenian_article_without_lang() {
    let hits = search("ponastavitev gesla zatemnjen", &[]);
    assert_eq!(hits[0].locale, "sl-SI");
    assert_eq!(
        hits[0].path,
        "sl-SI/AlchemyInsights/password-reset-button-greyed-out.md"
    );
    assert_eq!(hits[0].matched, "target");
    // Typed without diacritics (skrbniškem središču) and inflected differently (zatemnjen,
    // gumb): none of these words is in the article as typed.
    let query = "zatemnjenem gumbu skrbniskem srediscu";
    let article = std::fs::read_to_string(
        repo_root().join("corpus/sl-SI/AlchemyInsights/password-reset-button-greyed-out.md"),
    )
    .unwrap()
    .to_lowercase();
    for word in query.split(' ') {
        assert!(!article.contains(word), "{word} is in the article verbatim");
    }
    let hits = search(query, &[]);
    assert_eq!(
        hits[0].path,
        "sl-SI/AlchemyInsights/password-reset-button-greyed-out.md"
    );
}

#[test]
fn an_english_query_with_lang_finds_the_localized_article_through_the_source() {
    let hits = search("password reset button greyed out", &["sl-SI"]);
    assert!(hits.iter().all(|h| h.locale == "sl-SI"));
    assert_eq!(
        hits[0].matched, "source",
        "found through the English, and said so"
    );
    let localized = search("ponastavitev gesla", &["sl-SI"]);
    assert_eq!(localized[0].matched, "target");
    assert_eq!(
        hits[0].path,
        "sl-SI/AlchemyInsights/password-reset-button-greyed-out.md"
    );
    let s = &hits[0].segments[0];
    assert!(
        !s.target.is_empty() && s.source.is_some(),
        "localized text with its English original"
    );
}

#[test]
fn a_bare_language_names_the_one_locale_of_it() {
    let paths = |lang: &str| -> Vec<String> {
        search("password reset button greyed out", &[lang])
            .into_iter()
            .map(|h| h.path)
            .collect()
    };
    assert!(!paths("sl-SI").is_empty());
    assert_eq!(paths("sl"), paths("sl-SI"));
    let index = sample_index().to_str().unwrap().to_owned();
    let out = locsearch(
        &["search", "x", "--lang", "zh", "--index", &index],
        &repo_root(),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("zh-CN, zh-TW"),
        "names the locales to choose from: {}",
        stderr(&out)
    );
}

/// An article can match both through its own text and through its English source (a product
/// name is in both): it is still one hit, the better of the two, not the same article twice in
/// the same locale.
#[test]
fn an_article_matched_on_both_sides_is_listed_once() {
    for query in [
        "onedrive",
        "sharepoint",
        "sharepoint portal",
        "onedrive link",
    ] {
        let hits = search(query, &[]);
        assert!(!hits.is_empty(), "{query}: no hits");
        let mut seen = std::collections::HashSet::new();
        for hit in &hits {
            assert!(
                seen.insert((&hit.locale, &hit.path)),
                "{query}: {} listed twice ({:?})",
                hit.path,
                hits.iter()
                    .map(|h| (&h.path, &h.matched, h.score))
                    .collect::<Vec<_>>()
            );
        }
    }
    let hits = search("onedrive", &[]);
    assert_eq!(hits[0].matched, "source", "the better of the two is kept");
}
#[test]
fn english_scores_compare_across_locale_indexes() {
    // The sample's locale indexes differ in size (sl-SI holds two articles, the others one),
    // so each index's own BM25 statistics would score the same English source differently
    // (8.17 in sl-SI, 5.70 in de-DE when measured). Shared statistics make them equal.
    let mut scores = Vec::new();
    for locale in ["sl-SI", "de-DE", "ru-RU", "ja-JP", "th-TH"] {
        let hits = search("greyed out reset button", &[locale]);
        let hit = hits
            .iter()
            .find(|h| h.article == "AlchemyInsights/password-reset-button-greyed-out.md")
            .unwrap_or_else(|| panic!("{locale}: {hits:?}"));
        scores.push((locale, hit.score));
    }
    let (first, expected) = scores[0];
    for (locale, score) in &scores {
        assert!(
            (score - expected).abs() < 1e-3 * expected,
            "{locale} scored {score}, {first} {expected}"
        );
    }
}

#[test]
fn hits_and_articles_show_the_headings_above_each_segment() {
    let hits = search("ponastavitev gesla", &["sl-SI"]);
    let top = &hits[0];
    let below_title = top
        .segments
        .iter()
        .find(|s| !s.kind.starts_with('h'))
        .expect("a body segment matches");
    assert_eq!(below_title.heading_path.first(), Some(&top.title));
    let searcher = Searcher::open(sample_index()).unwrap();
    let article = searcher
        .article(
            "sl-SI",
            "AlchemyInsights/password-reset-button-greyed-out.md",
        )
        .unwrap()
        .unwrap();
    assert_eq!(
        article.article,
        "AlchemyInsights/password-reset-button-greyed-out.md"
    );
    assert_eq!(article.title, top.title);
    assert!(
        article.segments[0].heading_path.is_empty(),
        "nothing above the title"
    );
    for s in &article.segments[1..] {
        assert_eq!(s.heading_path.first(), Some(&article.title), "{s:?}");
    }
}

/// A hit's passages come from the segments that matched best: a word that matched only
/// through its correction is shown where it is, not the article's first segment.
#[test]
fn a_passage_shows_the_segment_a_corrected_word_matched() {
    let hits = search("Minutn", &["de-DE"]);
    let top = &hits[0];
    assert_eq!(
        top.article,
        "AlchemyInsights/password-reset-button-greyed-out.md"
    );
    let first = &top.segments[0];
    assert!(
        first.target.contains("Minuten"),
        "the segment holding the correction: {first:?}"
    );
    assert_eq!(
        first.heading_path.first(),
        Some(&top.title),
        "a passage keeps the headings above it"
    );
}

#[test]
fn cjk_words_match_in_any_order_with_correct_highlights() {
    for query in ["灰色 按钮", "按钮 灰色", "按钮灰色"] {
        let hits = search(query, &[]);
        assert_eq!(hits[0].locale, "zh-CN", "{query}");
        let s = &hits[0].segments[0];
        assert!(
            !s.target_highlights.is_empty(),
            "{query}: nothing highlighted"
        );
        for h in &s.target_highlights {
            let text = &s.target[h.start..h.end];
            assert!(
                text.contains("灰色") || text.contains("按钮"),
                "{query}: {text}"
            );
        }
    }
    let hits = search("共用連結", &[]);
    assert_eq!(hits[0].locale, "zh-TW");
    // No language given: the kana route it to Japanese (or Chinese), and Japanese must win.
    let hits = search("サーバー パスワード リセット", &[]);
    assert_eq!(hits[0].locale, "ja-JP");
    let hits = search("ปุ่มรีเซ็ตรหัสผ่าน", &[]);
    assert_eq!(hits[0].locale, "th-TH");
    let hits = search("링크 복사", &[]);
    assert_eq!(hits[0].locale, "ko-KR");
}

#[test]
fn query_syntax_filters_phrases_and_exclusions() {
    let hits = search("button lang:de-DE", &[]);
    assert!(!hits.is_empty() && hits.iter().all(|h| h.locale == "de-DE"));
    // Without the exclusion the password article is among the hits; with it, it is not,
    // and the other greyed-out article still is.
    let excluded = "AlchemyInsights/password-reset-button-greyed-out.md";
    assert!(search("greyed", &[]).iter().any(|h| h.article == excluded));
    let hits = search("greyed -password", &[]);
    assert!(!hits.is_empty());
    assert!(hits.iter().all(|h| h.article != excluded), "{hits:?}");
    let hits = search("\"reset button\" path:AlchemyInsights/password", &[]);
    assert!(!hits.is_empty());
    assert!(
        hits.iter()
            .all(|h| h.article.starts_with("AlchemyInsights/password"))
    );
}

/// A phrase is its words in order. When no article holds a quoted phrase (a pasted message
/// that differs by a word), the words are searched without the quotes, as a web search does,
/// and the answer says so: never an empty page for words the index holds.
#[test]
fn a_phrase_no_article_holds_is_searched_as_its_words_and_said_so() {
    let searcher = Searcher::open(sample_index()).unwrap();
    let answer = |query: &str| searcher.answer(&Request::new(query)).unwrap();
    let held = answer("\"reset button\" path:AlchemyInsights/password");
    assert!(!held.hits.is_empty());
    assert_eq!(held.corrected, None);
    let reversed = answer("\"button reset\" path:AlchemyInsights/password");
    assert_eq!(
        reversed.corrected.as_deref(),
        Some("button reset path:AlchemyInsights/password")
    );
    let words = answer("button reset path:AlchemyInsights/password");
    let paths =
        |a: &locsearch_query::Answer| a.hits.iter().map(|h| h.path.clone()).collect::<Vec<_>>();
    assert!(!words.hits.is_empty());
    assert_eq!(paths(&reversed), paths(&words));
    // Words no article holds stay no hits, with nothing to say.
    let nowhere = answer("\"qqqzz xxyyq\"");
    assert!(nowhere.hits.is_empty());
}

#[test]
fn segments_mode_gives_one_hit_per_matching_pair() {
    let searcher = Searcher::open(sample_index()).unwrap();
    let mut request = Request::new("gumb");
    request.segments = true;
    let hits = searcher.search(&request).unwrap();
    assert!(hits.len() >= 3, "{}", hits.len());
    assert!(
        hits.iter()
            .all(|h| h.segments.len() == 1 && h.segments[0].target.to_lowercase().contains("gumb"))
    );
    // Each pair is ranked by its own segment document's score, not its article's: the pairs
    // of one article score differently, best first, and say their score.
    assert!(hits.windows(2).all(|w| w[0].score >= w[1].score));
    assert!(hits.iter().all(|h| h.segments[0].score == Some(h.score)));
    let same_article: Vec<f32> = hits
        .iter()
        .filter(|h| h.path == hits[0].path)
        .map(|h| h.score)
        .collect();
    assert!(same_article.len() >= 3, "{same_article:?}");
    assert!(
        same_article.windows(2).any(|w| w[0] > w[1]),
        "{same_article:?}"
    );
}

#[test]
fn bad_queries_are_clear_errors_with_exit_code_2() {
    let index = sample_index().to_str().unwrap().to_owned();
    for (args, message) in [
        (
            vec!["search", "   ", "--index", &index],
            "the query is empty",
        ),
        (
            vec!["search", "x", "--lang", "xx-YY", "--index", &index],
            "unknown locale xx-YY",
        ),
        (
            vec!["search", "x lang:german", "--index", &index],
            "not a locale",
        ),
        (
            vec!["search", "x", "--limit", "0", "--index", &index],
            "limit must be between",
        ),
    ] {
        let out = locsearch(&args, &repo_root());
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(stderr(&out).contains(message), "{args:?}: {}", stderr(&out));
    }
}

#[test]
fn search_without_an_index_builds_one_from_the_sample_corpus() {
    let dir = tempfile::tempdir().unwrap();
    let out = locsearch(&["search", "greyed-out reset button", "--json"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("building index from the sample corpus"),
        "{}",
        stderr(&out)
    );
    let first: serde_json::Value =
        serde_json::from_str(stdout(&out).lines().next().unwrap()).unwrap();
    assert_eq!(
        first["article"],
        "AlchemyInsights/password-reset-button-greyed-out.md"
    );
}

/// A ttu article of the password-reset page in `locale`, two aligned segments.
fn ttu_article(locale: &str, title: &str, body: &str) -> String {
    format!(
        "---\ntitle: {title}\nms.contentlocale: {locale}\n---\n\n\
         # <span data-ttu-id=\"a-1\">{title}</span><span class=\"sxs-lookup\"><span data-stu-id=\"a-1\">The password reset button is greyed out</span></span>\n\n\
         <span data-ttu-id=\"a-2\">{body}</span><span class=\"sxs-lookup\"><span data-stu-id=\"a-2\">Users see the Reset password button greyed out in the Microsoft 365 admin center.</span></span>\n"
    )
}

/// Users type a number without its thousands separator: "5000" meets the text's "5.000"
/// (German) and "5,000" (English), and decides between articles that differ by it alone.
#[test]
fn a_number_typed_without_its_thousands_separator_meets_the_text() {
    let dir = tempfile::tempdir().unwrap();
    let de = dir.path().join("corpus/de-DE");
    std::fs::create_dir_all(&de).unwrap();
    let limit = |number: &str, english: &str| {
        vec![(
            format!("Listen mit mehr als {number} Elementen"),
            format!("Lists with more than {english} items"),
        )]
    };
    let write = |name: &str, pairs: &[(String, String)]| {
        std::fs::write(de.join(name), crate::relations::article_in("de-DE", pairs)).unwrap()
    };
    // Named so that a tie of their words puts the small list first.
    write("a-small-lists.md", &limit("100", "100"));
    write("b-large-lists.md", &limit("5.000", "5,000"));
    // The number as typed is a word the index knows, so it is not read as its two groups.
    write(
        "port.md",
        &[("Port 5000 öffnen".into(), "Open port 5000".into())],
    );
    let index = dir.path().join("index");
    crate::index::quiet_build(&dir.path().join("corpus"), &index, false);
    let searcher = Searcher::open(&index).unwrap();
    for query in ["Listen mit mehr als 5000 Elementen", "list over 5000 items"] {
        let mut request = Request::new(query);
        request.langs = vec!["de-DE".into()];
        let hits = searcher.search(&request).unwrap();
        let paths: Vec<&str> = hits.iter().map(|h| h.path.as_str()).collect();
        assert_eq!(
            paths.first(),
            Some(&"de-DE/b-large-lists.md"),
            "{query}: {paths:?}"
        );
    }
}

/// An English word left untranslated in a locale's text is rare there, so it would weigh far
/// more on the target side than the same word in the English source: the article whose
/// English holds more of the query must come first all the same.
#[test]
fn an_english_word_left_in_a_locales_text_weighs_no_more_than_in_english() {
    let dir = tempfile::tempdir().unwrap();
    let de = dir.path().join("corpus/de-DE");
    std::fs::create_dir_all(&de).unwrap();
    let pair = |t: &str, s: &str| (t.to_owned(), s.to_owned());
    let switches: Vec<(String, String)> = (0..60)
        .map(|i| {
            pair(
                &format!("Schalter{i} deaktivieren"),
                &format!("Disable switch{i}"),
            )
        })
        .collect();
    let write = |name: &str, pairs: &[(String, String)]| {
        std::fs::write(de.join(name), crate::relations::article_in("de-DE", pairs)).unwrap()
    };
    write("schalter.md", &switches);
    write("video.md", &[pair("Disable IP video", "Disable IP video")]);
    write(
        "ablauf.md",
        &[pair("Kennwörter laufen nie ab", "Passwords never expire")],
    );
    let index = dir.path().join("index");
    crate::index::quiet_build(&dir.path().join("corpus"), &index, false);
    let searcher = Searcher::open(&index).unwrap();
    let mut request = Request::new("disable password expiration");
    request.langs = vec!["de-DE".into()];
    let hits = searcher.search(&request).unwrap();
    let paths: Vec<&str> = hits.iter().map(|h| h.path.as_str()).collect();
    assert_eq!(paths.first(), Some(&"de-DE/ablauf.md"), "{paths:?}");
    assert!(paths.contains(&"de-DE/video.md"), "{paths:?}");
}

/// Languages and scripts the real corpus does not have: Khmer (no spaces between words) and
/// Hindi (vowel signs and viramas are combining marks) are found without `--lang`, and the
/// highlights cover whole words.
#[test]
fn khmer_and_hindi_articles_are_found_by_their_words() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    for (locale, title, body) in [
        (
            "km-KH",
            "ប៊ូតុងកំណត់ពាក្យសម្ងាត់ឡើងវិញមានពណ៌ប្រផេះ",
            "អ្នកប្រើមើលឃើញប៊ូតុងកំណត់ពាក្យសម្ងាត់ឡើងវិញមានពណ៌ប្រផេះនៅក្នុងមជ្ឈមណ្ឌលរដ្ឋបាល Microsoft 365។",
        ),
        (
            "hi-IN",
            "पासवर्ड रीसेट बटन धूसर है",
            "उपयोगकर्ताओं को Microsoft 365 व्यवस्थापक केंद्र में पासवर्ड रीसेट बटन धूसर दिखाई देता है।",
        ),
    ] {
        let folder = corpus.join(locale).join("docs");
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(
            folder.join("password-reset.md"),
            ttu_article(locale, title, body),
        )
        .unwrap();
    }
    let index = dir.path().join("index");
    let report =
        locsearch_index::build(&corpus, &index, &Default::default(), |_| {}, |_| {}).unwrap();
    assert_eq!((report.errors, report.added), (0, 2));
    let searcher = Searcher::open(&index).unwrap();
    for (query, locale, word) in [
        ("ពាក្យសម្ងាត់", "km-KH", "ពាក្យសម្ងាត់"),
        ("पासवर्ड", "hi-IN", "पासवर्ड"),
    ] {
        let hits = searcher.search(&Request::new(query)).unwrap();
        assert_eq!(hits.len(), 1, "{query}");
        assert_eq!(hits[0].locale, locale);
        let segment = &hits[0].segments[0];
        assert!(!segment.target_highlights.is_empty(), "{query}");
        for h in &segment.target_highlights {
            assert_eq!(&segment.target[h.start..h.end], word);
        }
    }
    // And through the English source, with the language given.
    let mut request = Request::new("password reset greyed out");
    request.langs = vec!["km-KH".into()];
    let hits = searcher.search(&request).unwrap();
    assert_eq!(hits[0].locale, "km-KH");
}

/// Pasted text scores whole articles first by word counts alone: articles that repeat the
/// words in a short text can outscore, many times over, a long one holding the very
/// sentence once. The sentence must still be found, and first: its word order counts in the
/// second pass, which the first pass cannot foresee.
#[test]
fn pasted_text_finds_the_long_article_holding_it_word_for_word() {
    let dir = tempfile::tempdir().unwrap();
    let de = dir.path().join("corpus/de-DE");
    std::fs::create_dir_all(&de).unwrap();
    let pair = |t: String| (t.clone(), format!("{t} (en)"));
    let write = |name: &str, pairs: &[(String, String)]| {
        std::fs::write(de.join(name), crate::relations::article_in("de-DE", pairs)).unwrap()
    };
    let sentence = "Melden Sie sich bei Ihrem Microsoft Konto an wenn Sie dazu aufgefordert werden";
    let mut words: Vec<&str> = sentence.split(' ').collect();
    words.reverse();
    let shuffled = words.join(" ");
    // More dense articles than a search's hits, so that the shortlist has enough without it.
    for i in 0..12 {
        write(&format!("dicht{i}.md"), &vec![pair(shuffled.clone()); 2]);
    }
    let mut long: Vec<(String, String)> = (0..150)
        .map(|i| pair(format!("Farbe{i} Blau{i} Grün{i} Rot{i}")))
        .collect();
    long.insert(75, pair(sentence.to_owned()));
    write("satz.md", &long);
    for i in 0..30 {
        write(&format!("fuell{i}.md"), &[pair(format!("Haus{i} Baum{i}"))]);
    }
    let index = dir.path().join("index");
    crate::index::quiet_build(&dir.path().join("corpus"), &index, false);
    let searcher = Searcher::open(&index).unwrap();
    assert!(sentence.split(' ').count() >= searcher.ranking.literal_words);
    let mut request = Request::new(sentence);
    request.langs = vec!["de-DE".into()];
    let hits = searcher.search(&request).unwrap();
    let paths: Vec<&str> = hits.iter().map(|h| h.path.as_str()).collect();
    assert_eq!(paths.first(), Some(&"de-DE/satz.md"), "{paths:?}");
}
