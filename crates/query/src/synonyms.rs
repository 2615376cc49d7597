//! Synonyms of the user's own: one file per language, in the format Solr and Elasticsearch
//! users know, read when an index is opened (no reindex):
//!
//! ```text
//! # a comment
//! delete, remove, erase          (equivalent: each finds the others)
//! greyed out, grayed out         (an entry may be several words)
//! unsend => recall               (one way: "unsend" also finds "recall")
//! ```
//!
//! `DIR/de.txt` holds German synonyms, `DIR/en.txt` English ones (the source side of every
//! locale); a file is named after a language subtag. A query word that starts an entry also
//! matches the other entries' words, weighed `Ranking::synonym_weight`: below the word as
//! typed.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use crate::terms::Analyzer;

/// The most words a user's synonyms add to one query on one side: a query word in a group of
/// thousands would otherwise search thousands of terms.
pub const MAX_SYNONYM_WORDS: usize = 64;

/// One line of a synonyms file: the entries that expand, and what they expand to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    pub from: Vec<String>,
    pub to: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
#[error(
    "{file}:{line}: {why}\n  hint: a line is `a, b, c` (each finds the others) or `a, b => c` (a and b also find c); `#` starts a comment"
)]
pub struct SynonymsError {
    pub file: PathBuf,
    pub line: usize,
    pub why: String,
}

/// Parses one synonyms file's text into rules, in file order.
pub fn parse(file: &Path, text: &str) -> Result<Vec<Rule>, SynonymsError> {
    let mut rules = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let error = |why: &str| SynonymsError {
            file: file.to_owned(),
            line: index + 1,
            why: why.to_owned(),
        };
        let line = line.split('#').next().unwrap_or_default().trim();
        if line.is_empty() {
            continue;
        }
        let entries = |side: &str| -> Result<Vec<String>, SynonymsError> {
            side.split(',')
                .map(|e| e.split_whitespace().collect::<Vec<_>>().join(" "))
                .map(|e| {
                    if e.is_empty() {
                        Err(error("an empty entry"))
                    } else {
                        Ok(e)
                    }
                })
                .collect()
        };
        match line.split("=>").collect::<Vec<_>>()[..] {
            [group] => {
                let group = entries(group)?;
                if group.len() < 2 {
                    return Err(error("one entry alone has no synonym"));
                }
                rules.push(Rule {
                    from: group.clone(),
                    to: group,
                });
            }
            [from, to] => rules.push(Rule {
                from: entries(from)?,
                to: entries(to)?,
            }),
            _ => return Err(error("more than one `=>`")),
        }
    }
    Ok(rules)
}

/// Every synonyms file of a directory, by language subtag (`de.txt` → `de`).
pub fn load(dir: &Path) -> Result<BTreeMap<String, Vec<Rule>>, SynonymsError> {
    let unreadable = |why: String| SynonymsError {
        file: dir.to_owned(),
        line: 0,
        why,
    };
    let mut by_language = BTreeMap::new();
    let entries = std::fs::read_dir(dir).map_err(|e| unreadable(format!("cannot read: {e}")))?;
    for entry in entries.flatten() {
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "txt") {
            continue;
        }
        let Some(language) = path.file_stem().and_then(|s| s.to_str()) else {
            continue;
        };
        let text = std::fs::read_to_string(&path).map_err(|e| SynonymsError {
            file: path.clone(),
            line: 0,
            why: format!("cannot read: {e}"),
        })?;
        by_language.insert(language.to_ascii_lowercase(), parse(&path, &text)?);
    }
    Ok(by_language)
}

/// The reduced form of each word of `text`, one per position, as the analyzer searches it.
fn reduced_words(analyzer: &Analyzer, text: &str) -> Vec<String> {
    crate::terms::QueryTerms::analyze(analyzer, text)
        .per_position
        .into_iter()
        .map(|(t, _)| t)
        .collect()
}

/// A language's rules as one analyzer sees them: entries as their reduced forms, each held
/// once, and each rule as the entries it links (a group of n entries is one rule of n, not
/// n² links).
#[derive(Debug, Clone, Default)]
pub(crate) struct SynonymTable {
    /// The distinct entries, as their words' reduced forms.
    entries: Vec<Vec<String>>,
    /// Each rule: the entries that expand, and those they expand to (indexes in `entries`).
    rules: Vec<(Vec<usize>, Vec<usize>)>,
    /// For each entry, the rules it expands by.
    expands_by: Vec<Vec<usize>>,
    /// The entries each word starts.
    starting: HashMap<String, Vec<usize>>,
}

impl SynonymTable {
    pub fn new(rules: &[Rule], analyzer: &Analyzer) -> SynonymTable {
        let mut table = SynonymTable::default();
        let mut ids: HashMap<Vec<String>, usize> = HashMap::new();
        for rule in rules {
            let mut id_of = |entry: &str| table.entry(&mut ids, analyzer, entry);
            let from: Vec<usize> = rule.from.iter().filter_map(|e| id_of(e)).collect();
            let to: Vec<usize> = rule.to.iter().filter_map(|e| id_of(e)).collect();
            let index = table.rules.len();
            for &entry in &from {
                if !table.expands_by[entry].contains(&index) {
                    table.expands_by[entry].push(index);
                }
            }
            table.rules.push((from, to));
        }
        table
    }

    /// The index of `entry` by its reduced words, added if new; `None` when no word remains.
    fn entry(
        &mut self,
        ids: &mut HashMap<Vec<String>, usize>,
        analyzer: &Analyzer,
        entry: &str,
    ) -> Option<usize> {
        let words = reduced_words(analyzer, entry);
        let first = words.first()?.clone();
        if let Some(&id) = ids.get(&words) {
            return Some(id);
        }
        let id = self.entries.len();
        ids.insert(words.clone(), id);
        self.entries.push(words);
        self.expands_by.push(Vec::new());
        self.starting.entry(first).or_default().push(id);
        Some(id)
    }

    /// How many links between entries the table holds.
    #[cfg(test)]
    fn links(&self) -> usize {
        self.rules
            .iter()
            .map(|(from, to)| from.len() + to.len())
            .sum()
    }

    /// The words the query's words (one reduced form per position) also find, each with the
    /// entry of the query that adds it: every entry whose words stand in the query in order.
    /// At most [`MAX_SYNONYM_WORDS`], the query's first entries and the file's first rules
    /// first.
    pub fn expand(&self, words: &[String]) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = Vec::new();
        for (at, word) in words.iter().enumerate() {
            let found = self.starting.get(word).into_iter().flatten();
            for &entry in found.filter(|&&e| words[at..].starts_with(&self.entries[e])) {
                let typed = &self.entries[entry];
                for &rule in &self.expands_by[entry] {
                    for &other in &self.rules[rule].1 {
                        for word in self.entries[other].iter().filter(|_| other != entry) {
                            if out.len() == MAX_SYNONYM_WORDS {
                                return out;
                            }
                            if !words.contains(word) && !out.iter().any(|(_, w)| w == word) {
                                out.push((typed.join(" "), word.clone()));
                            }
                        }
                    }
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn rules(text: &str) -> Result<Vec<Rule>, SynonymsError> {
        parse(Path::new("de.txt"), text)
    }

    #[test]
    fn groups_one_way_rules_comments_and_errors() {
        let parsed =
            rules("# comment\n\ndelete, remove ,erase\nunsend, un send => recall # why\n").unwrap();
        assert_eq!(parsed[0].from, ["delete", "remove", "erase"]);
        assert_eq!(parsed[0].to, parsed[0].from);
        assert_eq!(parsed[1].from, ["unsend", "un send"]);
        assert_eq!(parsed[1].to, ["recall"]);
        for (bad, why) in [
            ("a, , b", "empty entry"),
            ("a => b => c", "more than one"),
            ("alone", "no synonym"),
            ("=> b", "empty entry"),
        ] {
            let e = rules(&format!("x, y\n{bad}")).unwrap_err();
            assert_eq!(e.line, 2, "{bad}");
            assert!(e.why.contains(why), "{bad}: {}", e.why);
            assert!(e.to_string().contains("de.txt:2") && e.to_string().contains("hint:"));
        }
    }

    #[test]
    fn entries_expand_to_the_others_by_reduced_form() {
        let english = Analyzer::named(locsearch_analysis::english().name).unwrap();
        let table = SynonymTable::new(
            &rules("delete, remove\ngreyed out => disabled").unwrap(),
            &english,
        );
        let words = |text: &str| reduced_words(&english, text);
        let added = |text: &str| -> Vec<String> {
            table
                .expand(&words(text))
                .into_iter()
                .map(|(_, t)| t)
                .collect()
        };
        assert_eq!(added("Deleting users"), words("remove"));
        assert_eq!(added("button greyed out"), words("disabled"));
        assert_eq!(
            table.expand(&words("button greyed out"))[0].0,
            words("greyed out").join(" ")
        );
        assert!(table.expand(&words("out greyed")).is_empty());
        assert!(table.expand(&words("disabled")).is_empty(), "one way");
    }

    /// A group of thousands of entries (a 30 KB file) took gigabytes and seconds a query when
    /// every entry was linked to every other: it is held once, and a query word in it adds
    /// at most `MAX_SYNONYM_WORDS` words.
    #[test]
    fn a_large_group_is_held_once_and_adds_a_bounded_number_of_words() {
        let english = Analyzer::named(locsearch_analysis::english().name).unwrap();
        let entries: Vec<String> = (0..3000).map(|i| format!("entry{i}")).collect();
        let table = SynonymTable::new(&rules(&entries.join(", ")).unwrap(), &english);
        assert!(
            table.links() <= 2 * entries.len(),
            "{} links",
            table.links()
        );
        let added = table.expand(&["entry7".to_owned()]);
        assert_eq!(added.len(), MAX_SYNONYM_WORDS);
        assert!(
            added
                .iter()
                .all(|(from, word)| from == "entry7" && word != "entry7")
        );
    }

    proptest! {
        /// Any text parses or is refused with its line; a parsed group expands each entry to
        /// every other.
        #[test]
        fn parsing_never_panics(text in "\\PC{0,200}") {
            match rules(&text) {
                Ok(parsed) => prop_assert!(parsed.iter().all(|r| !r.from.is_empty() && !r.to.is_empty())),
                Err(e) => prop_assert!(e.line >= 1 && e.line <= text.lines().count()),
            }
        }

        /// The table adds the words every entry of the query is linked to, as linking each
        /// entry to every other one did (a few one-letter words, so that entries meet).
        #[test]
        fn the_table_adds_what_linking_every_pair_adds(
            lines in proptest::collection::vec(
                (proptest::collection::vec("[a-d]( [a-d])?", 1..4), proptest::bool::ANY, "[a-d]"),
                1..5,
            ),
            query in proptest::collection::vec("[a-d]", 1..4),
        ) {
            let text: String = lines
                .iter()
                .map(|(entries, one_way, to)| {
                    let entries = entries.join(", ");
                    if *one_way { format!("{entries} => {to}\n") } else { format!("{entries}, {to}\n") }
                })
                .collect();
            let Ok(parsed) = rules(&text) else { return Ok(()); };
            let english = Analyzer::named(locsearch_analysis::english().name).unwrap();
            let table = SynonymTable::new(&parsed, &english);
            let reduced = |text: &str| reduced_words(&english, text);
            let words = reduced(&query.join(" "));
            let mut expected = std::collections::BTreeSet::new();
            for rule in &parsed {
                for from in rule.from.iter().map(|e| reduced(e)) {
                    let present = !from.is_empty() && words.windows(from.len()).any(|w| w == from.as_slice());
                    for to in rule.to.iter().map(|e| reduced(e)).filter(|to| present && *to != from) {
                        expected.extend(to.into_iter().filter(|w| !words.contains(w)));
                    }
                }
            }
            let added: std::collections::BTreeSet<String> =
                table.expand(&words).into_iter().map(|(_, w)| w).collect();
            prop_assert_eq!(added, expected);
        }

        #[test]
        fn a_group_is_every_entry_to_every_other(words in proptest::collection::vec("[a-z]{2,8}", 2..6)) {
            let parsed = rules(&words.join(", ")).unwrap();
            prop_assert_eq!(&parsed[0].from, &words);
            prop_assert_eq!(&parsed[0].to, &words);
        }
    }
}
