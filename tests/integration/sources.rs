//! Articles whose source side is not English: detected per article at index time, reported by
//! `stats`, and their copies in third languages kept below the original for its language.

use std::path::Path;

use locsearch_query::{Request, Searcher};

use crate::index::quiet_build;
use crate::support::{locsearch, stdout};

const FRENCH: &[&str] = &[
    "Changer votre mot de passe dans Outlook.com",
    "Votre mot de passe Outlook.com est le même que votre mot de passe de compte Microsoft.",
    "Si vous avez oublié votre mot de passe, accédez à la page de réinitialisation et suivez les étapes.",
];

/// A copy of a French-written article in `locale`: every segment's source is the French, and
/// its target `translate` of it.
fn french_copy(corpus: &Path, locale: &str, translate: impl Fn(&str) -> String) {
    let dir = corpus.join(locale).join("AlchemyInsights");
    std::fs::create_dir_all(&dir).unwrap();
    let mut text = format!("---\nms.contentlocale: {locale}\n---\n");
    for (i, source) in FRENCH.iter().enumerate() {
        let target = translate(source);
        text.push_str(&format!(
            "<span data-ttu-id=\"f-{i}\">{target}</span><span class=\"sxs-lookup\"><span data-stu-id=\"f-{i}\">{source}</span></span>\n\n"
        ));
    }
    std::fs::write(dir.join("change-password-french.md"), text).unwrap();
}

#[test]
fn a_french_article_is_found_in_french_before_its_barely_translated_copies() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    french_copy(&corpus, "fr-FR", str::to_owned);
    // The Hungarian copy is the French with a word or two changed, as machine translation
    // left it; so is the Hungarian title.
    french_copy(&corpus, "hu-HU", |s| s.replace("Changer", "Módosítása"));
    let index = dir.path().join("index");
    quiet_build(&corpus, &index, false);

    let out = locsearch(&["stats", "--index", index.to_str().unwrap()], dir.path());
    let text = format!("{}{}", stdout(&out), String::from_utf8_lossy(&out.stderr));
    assert!(
        text.contains("articles written in another language than English: 1 (fr 1)"),
        "{text}"
    );

    let mut searcher = Searcher::open(&index).unwrap();
    let scores = |searcher: &Searcher, side: &str| -> Vec<(String, f32)> {
        let request = Request::new("mot de passe oublié outlook.com");
        let hits = searcher.search(&request).unwrap();
        hits.into_iter()
            .filter(|h| side == "any" || h.matched == side)
            .map(|h| (h.locale, h.score))
            .collect()
    };
    // The localized texts' hits (the French source also answers, through the English side).
    let weighed = scores(&searcher, "target");
    assert_eq!(weighed[0].0, "fr-FR", "{weighed:?}");
    // Its "English" side is French too, in every copy: the original's own text comes first.
    let best = &searcher
        .search(&Request::new("mot de passe oublié outlook.com"))
        .unwrap()[0];
    assert_eq!(
        (best.locale.as_str(), best.matched),
        ("fr-FR", "target"),
        "{best:?}"
    );
    assert_eq!(weighed[1].0, "hu-HU", "{weighed:?}");
    // Without the weight, the copy ranks as high as the original, or higher: the bug.
    // (An article is listed once per locale: the copy's better side, its own text or its
    // French "source".)
    searcher.ranking.foreign_copy_weight = 1.0;
    let unweighed = scores(&searcher, "any");
    let score_of = |locale: &str| unweighed.iter().find(|(l, _)| l == locale).unwrap().1;
    assert!(score_of("hu-HU") > 0.9 * score_of("fr-FR"), "{unweighed:?}");
}
