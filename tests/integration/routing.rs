//! Queries that name no language: the locales they are searched in. Each locale's n-gram
//! profile (`crates/langid`, learned at index time) tells which of the locales of the query's
//! script it reads like; the others are not searched, even where their text holds the
//! query's words.

use locsearch_query::{Request, Searcher};

use crate::expansion::{SmallArticle, small_corpus};

/// One article in three languages that share many words.
const INSTALL: [SmallArticle; 3] = [
    (
        "da-DK",
        "install.md",
        &[
            (
                "Ingen mulighed for at installere Office, Visio eller Project",
                "No option to install Office, Visio, or Project",
            ),
            (
                "Hvis du ikke kan se en mulighed for at installere Office, skal du kontrollere, at du har en licens til Microsoft 365.",
                "If you don't see an option to install Office, check that you have a Microsoft 365 license.",
            ),
            (
                "Vælg en anden mulighed, hvis den første mulighed ikke er tilgængelig.",
                "Choose another option if the first option isn't available.",
            ),
        ],
    ),
    (
        "nb-NO",
        "install.md",
        &[
            (
                "Ingen alternativer for å installere Office, Visio eller Project",
                "No option to install Office, Visio, or Project",
            ),
            (
                "Hvis du ikke ser et alternativ for å installere Office, må du kontrollere at du har en lisens for Microsoft 365.",
                "If you don't see an option to install Office, check that you have a Microsoft 365 license.",
            ),
            (
                "Velg et annet alternativ hvis det første alternativet ikke er tilgjengelig.",
                "Choose another option if the first option isn't available.",
            ),
        ],
    ),
    (
        "sv-SE",
        "install.md",
        &[
            (
                "Ingen möjlighet att installera Office, Visio eller Project",
                "No option to install Office, Visio, or Project",
            ),
            (
                "Om du inte ser något alternativ för att installera Office kontrollerar du att du har en licens för Microsoft 365.",
                "If you don't see an option to install Office, check that you have a Microsoft 365 license.",
            ),
            (
                "Välj ett annat alternativ om det första alternativet inte är tillgängligt.",
                "Choose another option if the first option isn't available.",
            ),
        ],
    ),
];

/// The sides a query with no language was searched in, as `locale side`.
fn searched(searcher: &Searcher, query: &str) -> Vec<String> {
    let mut request = Request::new(query);
    request.explain = true;
    let answer = searcher.answer(&request).unwrap();
    answer
        .searched
        .iter()
        .map(|s| format!("{} {}", s.locale, s.side))
        .collect()
}

#[test]
fn a_query_is_searched_in_the_locales_whose_language_it_reads_like() {
    let (_dir, searcher) = small_corpus(&INSTALL);
    // Norwegian text holds five of the six words, enough to be searched by coverage alone;
    // `mulighed` is Danish.
    assert_eq!(
        searched(&searcher, "ikke mulighed installere office visio project"),
        ["da-DK target"]
    );
    assert_eq!(
        searched(&searcher, "ikke alternativ installere office visio project"),
        ["nb-NO target"]
    );
}

#[test]
fn a_query_whose_letters_tell_no_language_is_searched_everywhere() {
    let (_dir, searcher) = small_corpus(&INSTALL);
    let targets: Vec<String> = searched(&searcher, "365")
        .into_iter()
        .filter(|s| s.ends_with("target"))
        .collect();
    assert_eq!(targets, ["da-DK target", "nb-NO target", "sv-SE target"]);
}

/// One article in two neighbouring languages, written with their accents: Czech nouns end
/// in `-ní` where Slovak ones end in `-nie`.
const SETTINGS: [SmallArticle; 2] = [
    (
        "cs-CZ",
        "settings.md",
        &[
            (
                "Povolení a nastavení oprávnění",
                "Permissions and their settings",
            ),
            (
                "Uložení nastavení vyžaduje oprávnění správce.",
                "Saving the settings requires admin permissions.",
            ),
            (
                "Po přihlášení otevřete nastavení sdílení.",
                "After signing in, open the sharing settings.",
            ),
        ],
    ),
    (
        "sk-SK",
        "settings.md",
        &[
            (
                "Povolenie a nastavenie oprávnení",
                "Permissions and their settings",
            ),
            (
                "Uloženie nastavenia vyžaduje oprávnenie správcu.",
                "Saving the settings requires admin permissions.",
            ),
            (
                "Po prihlásení otvorte nastavenie zdieľania.",
                "After signing in, open the sharing settings.",
            ),
        ],
    ),
];

#[test]
fn a_query_typed_without_accents_reads_like_the_language_it_drops_them_from() {
    let (_dir, searcher) = small_corpus(&SETTINGS);
    let targets = |query| -> Vec<String> {
        searched(&searcher, query)
            .into_iter()
            .filter(|s| s.ends_with("target"))
            .collect()
    };
    // Read with its accents, `-eni` is Slovak: Czech writes `-ení`.
    let unaccented = targets("povoleni nastaveni opravneni");
    assert!(
        unaccented.contains(&"cs-CZ target".to_owned()),
        "{unaccented:?}"
    );
    // Typed with its accents, the same query is read with them.
    assert_eq!(targets("povolení nastavení oprávnění"), ["cs-CZ target"]);
}

/// An article written in Spanish (its "English" side is Spanish in every copy) beside one
/// translated from English, in the Spanish locale.
const SPANISH_BORN: [SmallArticle; 2] = [
    (
        "es-ES",
        "sync-spanish.md",
        &[
            (
                "Problemas de sincronización del correo electrónico",
                "Problemas de sincronización del correo electrónico",
            ),
            (
                "Si el correo electrónico no se sincroniza, compruebe la configuración de la cuenta.",
                "Si el correo electrónico no se sincroniza, compruebe la configuración de la cuenta.",
            ),
            (
                "La sincronización puede tardar unos minutos.",
                "La sincronización puede tardar unos minutos.",
            ),
        ],
    ),
    (
        "es-ES",
        "calendar.md",
        &[
            (
                "Compartir el calendario con otras personas",
                "Share your calendar with other people",
            ),
            (
                "Puede compartir su calendario con cualquier persona de la organización.",
                "You can share your calendar with anyone in your organization.",
            ),
        ],
    ),
];

#[test]
fn a_query_that_does_not_read_like_english_is_searched_in_its_language_first() {
    let (_dir, searcher) = small_corpus(&SPANISH_BORN);
    // The Spanish-born article's source side holds these words with their accents folded,
    // as English text is analyzed, so it knows them as typed; the Spanish side knows them
    // once their accents are given back. The source side must not decide for the query.
    let sides = searched(&searcher, "sincronizacion correo electronico");
    assert!(sides.contains(&"es-ES target".to_owned()), "{sides:?}");
}
