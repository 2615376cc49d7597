//! A locale's relations on disk: one text file, a link per line of tab-separated fields,
//! sorted by word, readable by people (`grep löschen DIR/relations/de-DE.tsv` shows what the
//! corpus taught about a word). Here with the tabs shown as spaces:
//!
//! ```text
//! # locsearch relations 10 crc32=5d1a9c3e
//! gelöscht  english  delet  delet  0.8850  1.0000
//! gelöscht  form  löschen  losch  0.5251  0.9130
//! löschen  form  gelöscht  gelosch  0.1943  1.0000
//! ```
//!
//! Fields: the word, the kind, the related word, the term searched for it (its reduced form),
//! the probability, and the cap (the most a match of the term may weigh against a match of the
//! word: the ratio of their IDFs over the pairs, at most 1). The first line names the format,
//! its version and the CRC-32 of every line after it: a file of another version is not used,
//! and a damaged one is told from a sound one ([`verify`]) before it is served. [`Lookup`]
//! finds a word's links by binary search, so a searcher reads a file once and parses only the
//! lines of query words.

use std::path::{Path, PathBuf};

use tantivy::directory::{Directory, MmapDirectory, OwnedBytes};

use crate::{Kind, Link};

/// The format's version: it changes whenever what is mined or how it is written changes.
pub const VERSION: u32 = 10;

const HEADER: &str = "# locsearch relations";

/// The first line's start, up to the checksum's hex digits.
fn header_prefix() -> String {
    format!("{HEADER} {VERSION} crc32=")
}

/// The first line of a file whose lines after it are `body`.
fn header(body: &str) -> String {
    format!(
        "{}{:08x}\n",
        header_prefix(),
        crc32fast::hash(body.as_bytes())
    )
}

/// Why a first line without a checksum this version reads is refused.
fn header_problem(first_line: &[u8]) -> String {
    let text = String::from_utf8_lossy(first_line);
    match text.strip_prefix(HEADER).map(str::split_whitespace) {
        Some(mut rest) => match rest.next() {
            Some(version) if version != VERSION.to_string() => format!(
                "written by another version of locsearch (format {version}; this one reads {VERSION})"
            ),
            _ => format!(
                "its first line is not `{}` and 8 hex digits",
                header_prefix()
            ),
        },
        None => format!("does not start with `{}`", header_prefix()),
    }
}

/// The checksum a first line records; `None` when it is not this format's first line.
fn recorded_checksum(first_line: &[u8]) -> Option<u32> {
    let hex = first_line.strip_prefix(header_prefix().as_bytes())?;
    let hex = std::str::from_utf8(hex).ok().filter(|h| h.len() == 8)?;
    u32::from_str_radix(hex, 16).ok()
}

#[derive(Debug, thiserror::Error)]
#[error("{file}:{line}: {why}\n  hint: `locsearch index` writes it again")]
pub struct RelationsFileError {
    pub file: PathBuf,
    pub line: usize,
    pub why: String,
}

/// The file's text, its links sorted by word (then kind, likeliest first).
pub fn write(links: &[Link]) -> String {
    let mut sorted: Vec<&Link> = links.iter().collect();
    sorted.sort_by(|a, b| {
        (a.word.as_bytes(), a.kind.name())
            .cmp(&(b.word.as_bytes(), b.kind.name()))
            .then(b.probability.total_cmp(&a.probability))
    });
    let mut body = String::new();
    for link in sorted {
        body.push_str(&format!(
            "{}\t{}\t{}\t{}\t{:.4}\t{:.4}\n",
            link.word,
            link.kind.name(),
            link.related,
            link.term,
            link.probability,
            link.cap
        ));
    }
    header(&body) + &body
}

/// Reads a whole file's text back, every line checked; `file` names it in errors.
pub fn read(file: &Path, text: &str) -> Result<Vec<Link>, RelationsFileError> {
    let error = |line: usize, why: String| RelationsFileError {
        file: file.to_owned(),
        line,
        why,
    };
    let (first, body) = text.split_once('\n').unwrap_or((text, ""));
    check_checksum(first.as_bytes(), crc32fast::hash(body.as_bytes()))
        .map_err(|why| error(1, why))?;
    let lines = body.lines();
    let mut links = Vec::new();
    let mut previous = "";
    for (index, line) in lines.enumerate() {
        let link = parse_line(line).map_err(|why| error(index + 2, why))?;
        if link.word.as_str() < previous {
            return Err(error(index + 2, "not sorted by word".into()));
        }
        previous = line.split('\t').next().unwrap_or_default();
        links.push(link);
    }
    Ok(links)
}

/// Whether `first_line` is this version's first line and records `computed`, the CRC-32 of
/// every line after it; what is wrong otherwise. A file on disk is checked by streaming its
/// lines through a CRC (the index crate's `relations::damage`), a text in memory by [`read`].
pub fn check_checksum(first_line: &[u8], computed: u32) -> Result<(), String> {
    let recorded = recorded_checksum(first_line).ok_or_else(|| header_problem(first_line))?;
    if recorded == computed {
        Ok(())
    } else {
        Err("its lines do not match the checksum on its first line".into())
    }
}

fn parse_line(line: &str) -> Result<Link, String> {
    let fields: Vec<&str> = line.split('\t').collect();
    let [word, kind, related, term, probability, cap] = fields[..] else {
        return Err("not six tab-separated fields".into());
    };
    let kind = Kind::named(kind).ok_or_else(|| format!("kind `{kind}`"))?;
    let share = |field: &str| {
        field
            .parse::<f32>()
            .ok()
            .filter(|p| (0.0..=1.0).contains(p))
            .ok_or_else(|| format!("`{field}` is not a number from 0 to 1"))
    };
    if word.is_empty() || related.is_empty() || term.is_empty() {
        return Err("an empty word".into());
    }
    Ok(Link {
        kind,
        word: word.to_owned(),
        related: related.to_owned(),
        term: term.to_owned(),
        probability: share(probability)?,
        cap: share(cap)?,
    })
}

/// A relations file held as text, its links found by word without parsing the rest.
#[derive(Debug)]
pub struct Lookup {
    /// The file's bytes: mapped from disk by [`Lookup::open`], so a searcher's memory holds
    /// only the pages its queries' words touch. A relations file is replaced by renaming a
    /// new one over it, never written in place, so a mapping stays whole.
    text: OwnedBytes,
    /// Byte offset of every link line, in file (word) order.
    lines: Vec<u32>,
}

/// A file of what the aligned text teaches, mapped from disk: a searcher's memory holds only
/// the pages its queries touch. Such a file is replaced by renaming a new one over it, never
/// written in place, so a mapping stays whole. `None` when it cannot be read.
pub fn mapped(path: &Path) -> Option<OwnedBytes> {
    let (dir, name) = (path.parent()?, path.file_name()?);
    let directory = MmapDirectory::open(dir).ok()?;
    directory.open_read(Path::new(name)).ok()?.read_bytes().ok()
}

impl Lookup {
    /// The file at `path`, mapped from disk, when it can be read and has this format's
    /// header; `None` otherwise.
    pub fn open(path: &Path) -> Option<Lookup> {
        Lookup::from_bytes(mapped(path)?)
    }

    /// The file's text, when it has this format's header; `None` otherwise.
    pub fn new(text: String) -> Option<Lookup> {
        Lookup::from_bytes(OwnedBytes::new(text.into_bytes()))
    }

    /// Its checksum is not computed here: that would read every page of the file, and
    /// opening an index verifies it ([`verify`]).
    fn from_bytes(text: OwnedBytes) -> Option<Lookup> {
        let header_end = memchr::memchr(b'\n', &text)?;
        recorded_checksum(&text[..header_end])?;
        u32::try_from(text.len()).ok()?;
        let mut lines = Vec::new();
        let mut at = header_end + 1;
        while at < text.len() {
            lines.push(at as u32);
            at = memchr::memchr(b'\n', &text[at..]).map_or(text.len(), |i| at + i + 1);
        }
        Some(Lookup { text, lines })
    }

    /// A line's text; `None` when it is not UTF-8 (a damaged file).
    fn line(&self, index: usize) -> Option<&str> {
        let start = self.lines[index] as usize;
        let end = self
            .lines
            .get(index + 1)
            .map_or(self.text.len(), |&e| e as usize);
        let line = std::str::from_utf8(&self.text[start..end]).ok()?;
        Some(line.trim_end_matches('\n'))
    }

    /// The word a line is about: its bytes up to the first tab.
    fn key(&self, index: usize) -> &[u8] {
        let rest = &self.text[self.lines[index] as usize..];
        let end = memchr::memchr2(b'\t', b'\n', rest).unwrap_or(rest.len());
        &rest[..end]
    }

    /// The links of `word`, in file order; a damaged line is skipped.
    pub fn links<'a>(&'a self, word: &'a str) -> impl Iterator<Item = Link> + 'a {
        let key = move |index: usize| self.key(index);
        let (mut low, mut high) = (0, self.lines.len());
        while low < high {
            let middle = (low + high) / 2;
            if key(middle) < word.as_bytes() {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        (low..self.lines.len())
            .take_while(move |&i| key(i) == word.as_bytes())
            .filter_map(|i| parse_line(self.line(i)?).ok())
    }
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
            cap: 0.5,
        }
    }

    #[test]
    fn links_read_back_as_written() {
        let links = vec![
            link(Kind::Synonym, "ausgegraut", "abgeblendet", 0.12),
            link(Kind::Form, "löschen", "gelöscht", 0.18),
            link(Kind::Form, "löschen", "gelöschte", 0.12),
            link(Kind::English, "削除", "delet", 0.6),
        ];
        let text = write(&links);
        assert_eq!(read(Path::new("de.tsv"), &text).unwrap(), links);
        let lookup = Lookup::new(text).unwrap();
        assert_eq!(lookup.links("löschen").collect::<Vec<_>>(), links[1..3]);
        assert_eq!(lookup.links("削除").collect::<Vec<_>>(), links[3..]);
        assert_eq!(lookup.links("ausgegraut").count(), 1);
        assert_eq!(lookup.links("lösch").count(), 0);
        assert_eq!(lookup.links("zzz").count(), 0);
        assert!(Lookup::new("# locsearch relations 0\n".into()).is_none());
    }

    #[test]
    fn a_file_is_looked_up_from_disk() {
        let dir = tempfile::tempdir().unwrap();
        let links = vec![
            link(Kind::English, "löschen", "delet", 0.6),
            link(Kind::Form, "löschen", "gelöscht", 0.18),
        ];
        let path = dir.path().join("de-DE.tsv");
        std::fs::write(&path, write(&links)).unwrap();
        let lookup = Lookup::open(&path).unwrap();
        assert_eq!(lookup.links("löschen").collect::<Vec<_>>(), links);
        assert!(Lookup::open(&dir.path().join("fr-FR.tsv")).is_none());
        let other = dir.path().join("old.tsv");
        std::fs::write(
            &other,
            write(&links).replace(&format!(" {VERSION} "), " 0 "),
        )
        .unwrap();
        assert!(Lookup::open(&other).is_none());
        // A line damaged into something that is not UTF-8 is skipped, not a panic.
        let mut damaged = write(&links).into_bytes();
        let at = damaged.len() - 3;
        damaged[at] = 0xFF;
        std::fs::write(&path, damaged).unwrap();
        assert_eq!(Lookup::open(&path).unwrap().links("löschen").count(), 1);
    }

    /// A file of these lines, with the first line that vouches for them.
    fn file_of(body: &str) -> String {
        header(body) + body
    }

    #[test]
    fn another_version_or_a_damaged_line_is_refused() {
        let path = Path::new("x.tsv");
        let other = write(&[]).replace(&format!(" {VERSION} "), " 0 ");
        assert!(read(path, &other).is_err());
        let damaged = file_of("löschen\tform\tgelöscht\t0.5\n");
        let e = read(path, &damaged).unwrap_err();
        assert_eq!(e.line, 2);
        assert!(e.to_string().contains("hint:"));
        assert!(read(path, &file_of("a\tform\tb\tb\t7\t1\n")).is_err());
        let unsorted = file_of("b\tform\tc\tc\t0.5\t1\na\tform\tc\tc\t0.5\t1\n");
        assert!(read(path, &unsorted).is_err());
    }

    #[test]
    fn a_changed_byte_is_damage() {
        let path = Path::new("de-DE.tsv");
        let links = vec![
            link(Kind::English, "löschen", "delet", 0.6),
            link(Kind::Form, "löschen", "gelöscht", 0.18),
        ];
        let sound = write(&links);
        read(path, &sound).unwrap();
        // A weight that still parses: only the checksum tells.
        let edited = sound.replacen("0.1800", "0.9800", 1);
        assert_ne!(edited, sound);
        let why = read(path, &edited).unwrap_err().to_string();
        assert!(why.contains("checksum") && why.contains("hint:"), "{why}");
        assert!(read(path, &sound[..sound.len() - 2]).is_err());
        assert!(read(path, "").is_err());
        let why = read(path, "# locsearch relations 5\n")
            .unwrap_err()
            .to_string();
        assert!(why.contains("another version of locsearch"), "{why}");
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
            let text = write(&links);
            let read = read(Path::new("x.tsv"), &text).unwrap();
            prop_assert_eq!(read.len(), links.len());
            let lookup = Lookup::new(text).unwrap();
            for link in &links {
                let found = lookup.links(&link.word).find(|l| l.related == link.related);
                prop_assert!(found.is_some(), "{} not found", link.word);
                let found = found.unwrap();
                prop_assert_eq!(&found.term, &link.term);
                prop_assert!((found.probability - link.probability).abs() < 1e-4);
            }
        }

        /// Reading never panics, whatever the bytes.
        #[test]
        fn reading_anything_never_panics(text in "\\PC*", word in "\\PC{0,8}") {
            let _ = read(Path::new("x.tsv"), &text);
            let with_header = format!("{}{text}", header(&text));
            let _ = read(Path::new("x.tsv"), &with_header);
            let _ = Lookup::new(with_header).map(|l| l.links(&word).count());
        }
    }
}
