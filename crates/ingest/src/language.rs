//! Which language an article's source side is written in. Most sources are English; a few
//! articles were written in French, Spanish or Portuguese, and every locale's copy then
//! "translates" from that language — often barely, so that the Hungarian copy of a French
//! article is mostly French.

use crate::model::Article;

/// Frequent function words per language: short, common and distinctive — none that a close
/// language uses as often (Spanish and Portuguese share `no`, `de`, `se`, `por`, `para`), so a
/// few sentences tell the languages apart.
const FUNCTION_WORDS: &[(&str, &[&str])] = &[
    (
        "en",
        &[
            "the", "and", "to", "of", "is", "for", "you", "your", "that", "with", "this", "are",
            "can", "if", "or", "from",
        ],
    ),
    (
        "fr",
        &[
            "le", "les", "des", "et", "est", "pour", "vous", "votre", "dans", "une", "pas", "sur",
            "avec", "du", "au", "qui",
        ],
    ),
    (
        "es",
        &[
            "el", "los", "las", "del", "y", "su", "una", "con", "usted", "puede", "al", "lo", "la",
            "es", "cómo", "está",
        ],
    ),
    (
        "pt",
        &[
            "o", "os", "do", "da", "em", "um", "uma", "seu", "sua", "não", "você", "é", "ao",
            "pelo", "pela", "também",
        ],
    ),
    (
        "de",
        &[
            "der", "die", "das", "und", "ist", "nicht", "sie", "zu", "mit", "den", "ein", "eine",
            "auf", "für", "wird", "von",
        ],
    ),
    (
        "it",
        &[
            "il", "di", "che", "per", "un", "non", "della", "sono", "si", "è", "gli", "le", "nel",
            "alla", "questo", "ed",
        ],
    ),
];

/// Fewer function words than this say nothing: the source is taken for English.
const MIN_EVIDENCE: usize = 3;

/// The language subtag of a locale (`fr` of `fr-FR`), as [`source_language`] names them.
pub fn locale_language(locale: &str) -> &str {
    locale.split(['-', '_']).next().unwrap_or_default()
}

/// The language subtag of an article's source side (`en` when unsure or unaligned).
pub fn source_language(article: &Article) -> &'static str {
    language(article.segments.iter().filter_map(|s| s.source.as_deref()))
}

/// The language of some texts, by their function words (`en` when unsure).
pub fn language<'a>(texts: impl Iterator<Item = &'a str>) -> &'static str {
    let mut counts = [0usize; FUNCTION_WORDS.len()];
    for text in texts {
        for word in words(text) {
            for (count, (_, list)) in counts.iter_mut().zip(FUNCTION_WORDS) {
                *count += usize::from(list.contains(&word.as_str()));
            }
        }
    }
    let (best, &count) = counts
        .iter()
        .enumerate()
        .max_by_key(|(i, c)| (**c, std::cmp::Reverse(*i)))
        .expect("languages");
    if count < MIN_EVIDENCE {
        "en"
    } else {
        FUNCTION_WORDS[best].0
    }
}

fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::language;

    #[test]
    fn function_words_tell_the_source_languages_apart() {
        let cases = [
            (
                "en",
                "If you forgot your password, go to the reset page and follow the steps.",
            ),
            (
                "fr",
                "Si vous avez oublié votre mot de passe, accédez à la page et suivez les étapes pour votre compte.",
            ),
            (
                "es",
                "Si olvidó su contraseña, vaya a la página para restablecerla y siga los pasos del asistente.",
            ),
            (
                "es",
                "Si ve un aumento de correo no deseado, hay formas de reducir la cantidad de correo no deseado y los mensajes del remitente en su Bandeja de entrada.",
            ),
            (
                "pt",
                "Se você esqueceu sua senha, acesse a página da conta e siga as etapas do site com o seu telefone.",
            ),
            (
                "de",
                "Wenn Sie Ihr Kennwort vergessen haben, wird die Seite zum Zurücksetzen für Sie und den Benutzer geöffnet.",
            ),
        ];
        for (expected, text) in cases {
            assert_eq!(language([text].into_iter()), expected, "{text}");
        }
        assert_eq!(
            language(["Outlook.com"].into_iter()),
            "en",
            "too little to tell"
        );
        assert_eq!(language(std::iter::empty()), "en");
    }
}
