//! A locale's relations on disk: one text file, a link per line of tab-separated fields,
//! readable by people (`grep löschen DIR/relations/de-DE.tsv` shows what the corpus taught
//! about a word). Here with the tabs shown as spaces:
//!
//! ```text
//! # locsearch relations 1
//! form  löschen  gelöscht  gelosch  0.1943
//! synonym  zurücksetzen  kennwortzurücksetzung  kennwortzurucksetz  0.2413
//! english  löschen  delet  delet  0.9810
//! ```
//!
//! Fields: kind, the word, the related word, the term searched for it (its reduced form), and
//! the probability.
//!
//! The first line names the format and its version; a file of another version is not used.

use std::path::{Path, PathBuf};

use crate::{Kind, Link};

/// The format's version: it changes whenever what is mined or how it is written changes.
pub const VERSION: u32 = 1;

const HEADER: &str = "# locsearch relations";

#[derive(Debug, thiserror::Error)]
#[error("{file}:{line}: {why}\n  hint: `locsearch index --rebuild` writes it again")]
pub struct RelationsFileError {
    pub file: PathBuf,
    pub line: usize,
    pub why: String,
}

/// The file's text.
pub fn write(links: &[Link]) -> String {
    let mut out = format!("{HEADER} {VERSION}\n");
    for link in links {
        out.push_str(&format!(
            "{}\t{}\t{}\t{}\t{:.4}\n",
            link.kind.name(),
            link.word,
            link.related,
            link.term,
            link.probability
        ));
    }
    out
}

/// Reads a file's text back; `file` names it in errors.
pub fn read(file: &Path, text: &str) -> Result<Vec<Link>, RelationsFileError> {
    let error = |line: usize, why: String| RelationsFileError {
        file: file.to_owned(),
        line,
        why,
    };
    let mut lines = text.lines();
    let expected = format!("{HEADER} {VERSION}");
    if lines.next() != Some(expected.as_str()) {
        return Err(error(1, format!("does not start with `{expected}`")));
    }
    let mut links = Vec::new();
    for (index, line) in lines.enumerate() {
        let fields: Vec<&str> = line.split('\t').collect();
        let [kind, word, related, term, probability] = fields[..] else {
            return Err(error(index + 2, "not five tab-separated fields".into()));
        };
        let kind = Kind::named(kind).ok_or_else(|| error(index + 2, format!("kind `{kind}`")))?;
        let probability = probability
            .parse::<f32>()
            .ok()
            .filter(|p| (0.0..=1.0).contains(p))
            .ok_or_else(|| error(index + 2, format!("probability `{probability}`")))?;
        if word.is_empty() || related.is_empty() || term.is_empty() {
            return Err(error(index + 2, "an empty word".into()));
        }
        links.push(Link {
            kind,
            word: word.to_owned(),
            related: related.to_owned(),
            term: term.to_owned(),
            probability,
        });
    }
    Ok(links)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn link(kind: Kind, word: &str, related: &str, probability: f32) -> Link {
        Link {
            kind,
            word: word.into(),
            related: related.into(),
            term: related.chars().take(6).collect(),
            probability,
        }
    }

    #[test]
    fn links_read_back_as_written() {
        let links = vec![
            link(Kind::Form, "löschen", "gelöscht", 0.18),
            link(Kind::Synonym, "ausgegraut", "abgeblendet", 0.12),
            link(Kind::English, "削除", "delet", 0.6),
        ];
        let read = read(Path::new("de.tsv"), &write(&links)).unwrap();
        assert_eq!(read, links);
    }

    #[test]
    fn another_version_or_a_damaged_line_is_refused() {
        let path = Path::new("x.tsv");
        let other = write(&[]).replace(&VERSION.to_string(), "0");
        assert!(read(path, &other).is_err());
        let damaged = format!("{}form\tlöschen\tgelöscht\t0.5\n", write(&[]));
        let e = read(path, &damaged).unwrap_err();
        assert_eq!(e.line, 2);
        assert!(e.to_string().contains("hint:"));
        let bad = format!("{}form\ta\tb\tb\t7\n", write(&[]));
        assert!(read(path, &bad).is_err());
    }

    proptest! {
        /// What is written reads back the same (probabilities to the written precision).
        #[test]
        fn written_links_read_back(
            words in proptest::collection::vec(("[^\t\n\r]{1,12}", "[^\t\n\r]{1,12}", 0u32..10_000), 0..20)
        ) {
            let links: Vec<Link> = words
                .iter()
                .filter(|(w, r, _)| !w.trim().is_empty() && !r.trim().is_empty())
                .map(|(w, r, p)| link(Kind::Form, w, r, *p as f32 / 10_000.0))
                .collect();
            let read = read(Path::new("x.tsv"), &write(&links)).unwrap();
            prop_assert_eq!(read.len(), links.len());
            for (a, b) in read.iter().zip(&links) {
                prop_assert_eq!((&a.word, &a.related, &a.term), (&b.word, &b.related, &b.term));
                prop_assert!((a.probability - b.probability).abs() < 1e-4);
            }
        }

        /// Reading never panics, whatever the bytes.
        #[test]
        fn reading_anything_never_panics(text in "\\PC*") {
            let _ = read(Path::new("x.tsv"), &text);
            let _ = read(Path::new("x.tsv"), &format!("{HEADER} {VERSION}\n{text}"));
        }
    }
}
