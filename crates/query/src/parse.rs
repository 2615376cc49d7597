//! The query language: words; "quoted phrases"; -excluded words; lang:xx-YY and path:prefix
//! filters. Pasted text is text: in a long query (over `Ranking::sentence_words` words) a leading
//! `-` is not syntax,
//! so `Export-AIPLogs -OnBehalfOf` pasted from a ticket keeps its parameter.

use crate::error::QueryError;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedQuery {
    /// Free text (words and phrases), as typed, for analysis.
    pub text: String,
    /// Each quoted phrase.
    pub phrases: Vec<String>,
    /// Words that must not occur.
    pub excluded: Vec<String>,
    /// Locales from `lang:`.
    pub langs: Vec<String>,
    /// Path prefixes from `path:`.
    pub paths: Vec<String>,
}

impl ParsedQuery {
    /// The words of its free text (quoted phrases' words too).
    pub fn word_count(&self) -> usize {
        self.text.split_whitespace().count()
    }
}

/// Longest query accepted, in bytes.
pub const MAX_QUERY_BYTES: usize = 4096;

/// Parses a query; in one of more than `sentence_words` words (pasted text) `-word` is not an
/// exclusion.
pub fn parse(input: &str, sentence_words: usize) -> Result<ParsedQuery, QueryError> {
    if input.len() > MAX_QUERY_BYTES {
        return Err(QueryError::BadQuery(format!(
            "query is {} bytes; the limit is {MAX_QUERY_BYTES}",
            input.len()
        )));
    }
    let mut q = ParsedQuery::default();
    let word_count = input.split_whitespace().count();
    let mut rest = input;
    let mut text_parts: Vec<String> = Vec::new();
    while let Some(start) = rest.find(|c: char| !c.is_whitespace()) {
        rest = &rest[start..];
        if let Some(after) = rest.strip_prefix('"') {
            let (phrase, tail) = match after.find('"') {
                Some(end) => (&after[..end], &after[end + 1..]),
                // An unclosed quote: the rest is the phrase.
                None => (after, ""),
            };
            if !phrase.trim().is_empty() {
                q.phrases.push(phrase.trim().to_owned());
                text_parts.push(phrase.trim().to_owned());
            }
            rest = tail;
            continue;
        }
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let word = &rest[..end];
        rest = &rest[end..];
        if let Some(value) = word.strip_prefix("lang:") {
            let locale = locsearch_ingest::locale::canonicalize(value).ok_or_else(|| {
                QueryError::BadQuery(format!("lang:{value} is not a locale (try lang:sl-SI)"))
            })?;
            q.langs.push(locale);
        } else if let Some(value) = word.strip_prefix("path:") {
            if value.is_empty() {
                return Err(QueryError::BadQuery(
                    "path: needs a prefix, like path:AlchemyInsights/".into(),
                ));
            }
            q.paths.push(value.to_owned());
        } else if word.len() > 1
            && word.starts_with('-')
            && word_count <= sentence_words
            && word[1..].starts_with(char::is_alphanumeric)
        {
            q.excluded.push(word[1..].to_owned());
        } else {
            text_parts.push(word.to_owned());
        }
    }
    q.text = text_parts.join(" ");
    if q.text.trim().is_empty() {
        return Err(QueryError::BadQuery(if input.trim().is_empty() {
            "the query is empty".into()
        } else {
            "the query has no words to search for (only filters or exclusions)".into()
        }));
    }
    Ok(q)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words() -> usize {
        crate::Ranking::default().sentence_words
    }

    #[test]
    fn syntax() {
        let q = parse(
            r#"reset "password button" -gray lang:sl-si path:AlchemyInsights/"#,
            words(),
        )
        .unwrap();
        assert_eq!(q.text, "reset password button");
        assert_eq!(q.phrases, ["password button"]);
        assert_eq!(q.excluded, ["gray"]);
        assert_eq!(q.langs, ["sl-SI"]);
        assert_eq!(q.paths, ["AlchemyInsights/"]);
    }

    #[test]
    fn pasted_text_keeps_its_dashes() {
        let q = parse(
            "يمكنك أيضا استخدام Export-AIPLogs -OnBehalfOf. في السجلات",
            words(),
        )
        .unwrap();
        assert!(q.excluded.is_empty());
        assert!(q.text.contains("-OnBehalfOf."));
    }

    #[test]
    fn errors() {
        assert!(
            matches!(parse("   ", words()), Err(QueryError::BadQuery(m)) if m.contains("empty"))
        );
        assert!(
            matches!(parse("-only lang:de-DE", words()), Err(QueryError::BadQuery(m)) if m.contains("no words"))
        );
        assert!(
            matches!(parse("x lang:german", words()), Err(QueryError::BadQuery(m)) if m.contains("not a locale"))
        );
        assert!(parse(&"a".repeat(5000), words()).is_err());
    }

    proptest::proptest! {
        #[test]
        fn never_panics(s in "\\PC{0,80}") {
            let _ = parse(&s, words());
        }
    }
}
