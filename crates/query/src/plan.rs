//! A query made ready to run on one locale index: analyzed with each searched side's
//! analyzer, weighed by [`Ranking`], its coverage of the side's vocabulary measured, and
//! turned into tantivy queries.

use std::cell::OnceCell;

use locsearch_index::LocaleIndex;
use tantivy::query::Query;
use tantivy::schema::Field;

use crate::clauses::{Documents, Frequent, Scoring, exclusion, phrase_filters};
use crate::correct::Seen;
use crate::coverage::{self, Known, Vocabulary};
use crate::homophones::HomophoneCell;
use crate::loanwords::LoanwordCell;
use crate::parse::ParsedQuery;
use crate::ranking::Ranking;
use crate::related::RelatedTable;
use crate::shortlist::ArticleTerms;
use crate::stats::Provider;
use crate::synonyms::SynonymTable;
use crate::terms::{Analyzer, Correction, CorrectionKind, QueryTerms};

/// Which text of a locale index is searched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Side {
    /// The localized text.
    Target,
    /// The English source text.
    Source,
    /// Both, the better of the two per document (a language was named).
    Both,
}

impl Side {
    /// How [`Searched::side`] names it.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Side::Target => "target",
            Side::Source => "source",
            Side::Both => "both",
        }
    }
}

/// A side a search looked in, and how much of the query it knew (`--explain`): with no
/// language given, the locales the query was taken to be in.
#[derive(Debug, Clone, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct Searched {
    pub locale: String,
    /// `target` (the localized text), `source` (the English), or `both` (a language was
    /// named).
    pub side: &'static str,
    /// The share of the query's words the side's vocabulary knows.
    pub coverage: f32,
    /// The query's English auxiliaries (`does` in "does not", `do` in "how do I"), read as
    /// grammar and not searched.
    pub auxiliaries: Vec<String>,
    /// The query says something does not work, in words the side reads: its hits whose
    /// English title does not say so weigh less ([`crate::negation`]).
    pub negated: bool,
}

/// A locale's query, ready to run.
pub(crate) struct Plan {
    /// Scores whole articles: the first pass, which picks the articles whose documents
    /// `query` scores ([`crate::shortlist`]).
    pub articles: ArticleTerms,
    /// Scores documents; their scores make their articles' ([`crate::articles`]).
    pub query: Documents,
    /// Each must match some document of an article (quoted phrases).
    pub required: Vec<Box<dyn Query>>,
    /// No document of an article may match it (excluded words).
    pub excluded: Option<Box<dyn Query>>,
    /// Share of the query's terms the searched side's vocabulary knows (the best side's).
    pub coverage: f32,
    /// Searching both sides, the English one knows more of the query: hits are reported as
    /// matched through the source.
    pub source_led: bool,
    /// Words taken for known terms ([`crate::spelling`]): each word as typed (analyzed) and
    /// its best correction.
    pub corrections: Vec<(String, String)>,
    /// Every term searched besides the query's own words, and why (`--explain`).
    pub expansions: Vec<Expansion>,
    /// The query's English auxiliaries, not searched (`--explain`, [`crate::do_support`]).
    pub auxiliaries: Vec<String>,
    /// The query is pasted text ([`Ranking::literal_words`]): searched without related
    /// words, and its first pass never decisive.
    pub pasted: bool,
    /// A side read the query as saying something does not work ([`crate::negation`]).
    pub negated: bool,
}

/// A term searched besides the query's own words: a correction, a synonym, or a form or
/// synonym the aligned pairs taught, and its weight (`--explain`).
#[derive(Debug, Clone, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct Expansion {
    pub locale: String,
    /// `target` (the localized text) or `source` (the English).
    pub side: &'static str,
    /// `correction`, `synonym` (the user's), `form`, `related`, `translation` (the aligned
    /// pairs': an English rendering of a target word, searched in the English source),
    /// `paraphrase` (an English word that several languages render alike) or `compound` (a
    /// compound the word starts).
    pub kind: &'static str,
    /// The query's word (or a synonym entry's words), analyzed.
    pub word: String,
    /// The term searched for it.
    pub term: String,
    pub weight: f32,
}

/// One searched side: its body and title fields, the analyzer that made them, the user's
/// synonyms of its language and the relations its aligned pairs taught.
pub(crate) struct SideFields<'a> {
    /// `target` or `source`, as [`Expansion::side`] says.
    pub name: &'static str,
    pub body: Field,
    pub title: Field,
    pub analyzer: &'a Analyzer,
    pub synonyms: Option<&'a SynonymTable>,
    pub related: Option<&'a RelatedTable>,
    /// The side's words by sound, where its analyzer has `homophones`.
    pub homophones: Option<&'a HomophoneCell>,
    /// The product names the side keeps in Latin letters, by sound (a target side).
    pub loanwords: Option<&'a LoanwordCell>,
}

/// What plans a query: the locale's analyzer, the English one, their synonyms, the weights.
pub(crate) struct Planner<'a> {
    pub target: &'a Analyzer,
    pub english: &'a Analyzer,
    pub target_synonyms: Option<&'a SynonymTable>,
    pub english_synonyms: Option<&'a SynonymTable>,
    pub target_related: Option<&'a RelatedTable>,
    pub english_related: Option<&'a RelatedTable>,
    pub target_homophones: Option<&'a HomophoneCell>,
    pub target_loanwords: Option<&'a LoanwordCell>,
    pub ranking: &'a Ranking,
    /// The locale's share of the BM25 statistics: which of its terms are frequent.
    pub stats: Provider<'a>,
}

/// A draft's corrections and coverage, per side, and its coverage before them
/// ([`Draft::corrected`]).
pub(crate) struct CorrectedSides {
    before: Vec<f32>,
    after: Vec<(Vec<Correction>, f32)>,
}

/// A query analyzed for one locale and side, its coverage known, before it becomes a
/// [`Plan`]: routing compares drafts, corrects the likely ones, and plans only those it runs.
pub(crate) struct Draft<'a> {
    locale: String,
    side: Side,
    sides: Vec<SideFields<'a>>,
    /// Per side searched, in `sides` order (target first): its terms and coverage.
    analyzed: Vec<(QueryTerms, f32)>,
    /// Per side, what it knows of each word ([`coverage::known_words`]).
    known: Vec<Vec<Known>>,
    searcher: tantivy::Searcher,
    /// The locale's English body and title fields, searched for the English renderings of
    /// the target side's words ([`crate::related`]).
    english: (Field, Field),
    /// Each body field and the article text field holding the same words per article.
    article_text: [(Field, Field); 2],
    /// Whether the draft knows as much of the query as any: only in the query's likeliest
    /// language do its words search their English renderings and the compounds they start.
    likeliest: bool,
    ranking: &'a Ranking,
}

impl Draft<'_> {
    /// The share of the query the best side knows.
    pub fn coverage(&self) -> f32 {
        self.analyzed.iter().map(|(_, c)| *c).fold(0.0f32, f32::max)
    }

    /// Whether some side knows every word of the query as typed (then nothing needs
    /// respelling, there or elsewhere), and whether such a side knows one of them only
    /// rarely ([`Seen::Rarely`]: it may still be a name typed in another script).
    pub fn knows_every_word(&self) -> Option<Seen> {
        let mut every = None;
        for (side, (terms, _)) in self.sides.iter().zip(&self.analyzed) {
            let vocabulary = Vocabulary::of(&self.searcher, side);
            let mut least = Seen::Often;
            for word in &terms.typed {
                match crate::correct::seen(&self.searcher, (side, &vocabulary), word) {
                    Seen::Never => {
                        least = Seen::Never;
                        break;
                    }
                    Seen::Rarely => least = Seen::Rarely,
                    Seen::Often => {}
                }
            }
            if !terms.typed.is_empty() && least != Seen::Never {
                every = Some(every.map_or(least, |seen: Seen| seen.min(least)));
            }
        }
        every
    }

    /// Whether some side knows every word of the query, as typed, in its reduced form (by
    /// the lookups drafting made) or with accents the user left out (once corrected:
    /// `configuracion` is `configuración`, which the stemmer reduces only with its accent):
    /// a word no side knows is a typo, or another language's.
    pub fn knows_every_word_in_some_form(&self) -> bool {
        self.known
            .iter()
            .zip(&self.analyzed)
            .any(|(known, (terms, _))| {
                !terms.reduced.is_empty()
                    && known.iter().zip(&terms.reduced).all(|(k, reduced)| {
                        k.typed
                            || k.reduced
                            || terms
                                .corrections
                                .iter()
                                .any(|c| &c.reduced == reduced && c.restores_accents())
                    })
            })
    }

    /// The query's words some side of this draft knows as typed.
    pub fn words_known_as_typed(&self) -> Vec<String> {
        let mut known = Vec::new();
        for (side, (terms, _)) in self.sides.iter().zip(&self.analyzed) {
            let vocabulary = Vocabulary::of(&self.searcher, side);
            for word in &terms.typed {
                if !known.contains(word) && vocabulary.knows(word) {
                    known.push(word.clone());
                }
            }
        }
        known
    }

    /// Each side's coverage: before [`Planner::correct`], what [`Draft::corrected`] keeps
    /// to recognize the draft by.
    pub fn coverages(&self) -> Vec<f32> {
        self.analyzed
            .iter()
            .map(|(_, coverage)| *coverage)
            .collect()
    }

    /// What [`Planner::correct`] made of the draft, whose sides covered `before`: each side's
    /// corrections and coverage.
    pub fn corrected(&self, before: Vec<f32>) -> CorrectedSides {
        CorrectedSides {
            before,
            after: self
                .analyzed
                .iter()
                .map(|(terms, coverage)| (terms.corrections.clone(), *coverage))
                .collect(),
        }
    }

    /// Takes what [`Planner::correct`] made of a draft of the same locale, side and query
    /// ([`Draft::corrected`]), rather than looking its words up again; false, taking nothing,
    /// if that draft's sides covered the query otherwise than this one's.
    pub fn take_corrected(&mut self, corrected: CorrectedSides) -> bool {
        let coverages = self.analyzed.iter().map(|(_, coverage)| *coverage);
        if !coverages.eq(corrected.before.iter().copied()) {
            return false;
        }
        for ((terms, coverage), (corrections, after)) in
            self.analyzed.iter_mut().zip(corrected.after)
        {
            terms.corrections = corrections;
            *coverage = after;
        }
        true
    }

    /// Takes back the corrections of these words, which are not typos but words of another
    /// language, and counts the coverage again.
    pub fn withdraw_corrections(&mut self, words: &[String]) {
        for ((terms, coverage), known) in self.analyzed.iter_mut().zip(&self.known) {
            let before = terms.corrections.len();
            terms.corrections.retain(|c| !words.contains(&c.typed));
            if terms.corrections.len() != before {
                *coverage = coverage::coverage(terms, known, self.ranking);
            }
        }
    }

    /// Searches no English renderings and no compounds: the side is not among the query's
    /// likeliest.
    pub fn mark_less_likely(&mut self) {
        self.likeliest = false;
    }

    /// The query's English auxiliaries that no side searches.
    fn auxiliaries(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for word in self.analyzed.iter().flat_map(|(t, _)| &t.auxiliaries) {
            if !out.contains(word) {
                out.push(word.clone());
            }
        }
        out
    }

    /// The terms each side searches besides the query's words.
    fn expansions(&self, ranking: &Ranking) -> Vec<Expansion> {
        let mut out = Vec::new();
        for (side, (terms, _)) in self.sides.iter().zip(&self.analyzed) {
            let expansion = |kind, word: &str, term: &str, weight| Expansion {
                locale: self.locale.clone(),
                side: side.name,
                kind,
                word: word.to_owned(),
                term: term.to_owned(),
                weight,
            };
            for c in &terms.corrections {
                for (term, weight) in &c.terms {
                    out.push(expansion("correction", &c.typed, term, *weight));
                }
            }
            for (word, term) in &terms.synonyms {
                out.push(expansion("synonym", word, term, ranking.synonym_weight));
            }
            for r in &terms.related {
                let kind = match r.kind {
                    locsearch_relations::Kind::Form => "form",
                    locsearch_relations::Kind::Paraphrase => "paraphrase",
                    _ => "related",
                };
                out.push(expansion(kind, &r.word, &r.term, r.weight));
            }
            for c in &terms.compounds {
                out.push(expansion("compound", &c.word, &c.term, c.weight));
            }
            for r in &terms.translations {
                let mut translated = expansion("translation", &r.word, &r.term, r.weight);
                translated.side = "source";
                out.push(translated);
            }
        }
        out
    }

    /// Words taken for known terms: each word as typed (analyzed) and the correction to show
    /// for it ([`shown_correction`]).
    fn corrections(&self) -> Vec<(String, String)> {
        self.sides
            .iter()
            .zip(&self.analyzed)
            .flat_map(|(side, (terms, _))| {
                terms.corrections.iter().filter_map(|c| {
                    let shown = shown_correction(side.analyzer, c)?;
                    Some((c.typed.clone(), shown))
                })
            })
            .collect()
    }
}

/// The correction "did you mean" shows: a compound's two parts, or the two words a word
/// joined (the text may have a hyphen or a space between them); else a word — the body field
/// holds reduced forms beside words, and a truncated `moznos` is no word to show. The best
/// correction that the analyzer reduces to something else is a word; failing that, the best
/// that is not the typed word's own reduced form.
fn shown_correction(analyzer: &Analyzer, c: &Correction) -> Option<String> {
    if matches!(c.kind, CorrectionKind::Parts | CorrectionKind::Joined) {
        return Some(format!("{} {}", c.terms.first()?.0, c.terms.get(1)?.0));
    }
    let is_word = |term: &str| analyzer.tokens(term).last().is_some_and(|(r, _)| r != term);
    c.terms
        .iter()
        .find(|(term, _)| is_word(term))
        .or_else(|| c.terms.iter().find(|(term, _)| *term != c.reduced))
        .map(|(term, _)| term.clone())
}

impl<'a> Planner<'a> {
    /// The query as one tantivy query over the side's fields; `None` when no side has a word
    /// to search for. With `correct`, words a side does not know are also taken for the known
    /// terms closest to them ([`Planner::correct`]).
    pub fn plan(
        &self,
        index: &LocaleIndex,
        parsed: &ParsedQuery,
        side: Side,
        correct: bool,
    ) -> Option<Plan> {
        let mut draft = self.draft(index, parsed, side, 0.0)?;
        self.weigh_english_words(&mut draft, parsed, &OnceCell::new());
        if correct {
            self.correct(&mut draft);
        }
        self.finish(draft, parsed)
    }

    /// The query analyzed for each searched side, with its coverage before English words
    /// are weighed ([`Planner::weigh_english_words`], which can only lower it); `None` when
    /// no side can know `at_least` of it ([`coverage::known_words`]).
    pub fn draft(
        &self,
        index: &LocaleIndex,
        parsed: &ParsedQuery,
        side: Side,
        at_least: f32,
    ) -> Option<Draft<'a>> {
        let sides = self.sides(index, side);
        let searcher = index.reader.searcher();
        let mut analyzed: Vec<(QueryTerms, f32)> = sides
            .iter()
            .map(|fields| {
                let mut terms = QueryTerms::of_query(fields.analyzer, &parsed.text);
                if let Some(table) = fields.synonyms {
                    let words: Vec<String> =
                        terms.per_position.iter().map(|(t, _)| t.clone()).collect();
                    terms.synonyms = table.expand(&words);
                }
                (terms, 0.0)
            })
            .collect();
        let bounded: Vec<Option<Vec<Known>>> = sides
            .iter()
            .zip(&analyzed)
            .map(|(fields, (terms, _))| {
                coverage::known_words(&searcher, fields, terms, (at_least, self.ranking))
            })
            .collect();
        if bounded.iter().all(Option::is_none) {
            return None;
        }
        // A side that cannot reach `at_least` beside one that can: its words are looked up
        // all the same, for the draft holds both.
        let known: Vec<Vec<Known>> = bounded
            .into_iter()
            .zip(sides.iter().zip(&analyzed))
            .map(|(known, (fields, (terms, _)))| {
                known.unwrap_or_else(|| {
                    coverage::known_words(&searcher, fields, terms, (0.0, self.ranking))
                        .unwrap_or_default()
                })
            })
            .collect();
        for ((terms, coverage), known) in analyzed.iter_mut().zip(&known) {
            *coverage = coverage::coverage(terms, known, self.ranking);
        }
        Some(Draft {
            locale: index.locale.clone(),
            side,
            sides,
            analyzed,
            known,
            searcher,
            english: (index.fields.source, index.fields.source_title),
            article_text: [
                (index.fields.target, index.fields.article_target),
                (index.fields.source, index.fields.article_source),
            ],
            likeliest: true,
            ranking: self.ranking,
        })
    }

    /// English words left in the locale's text count for it, in coverage and in scores, as
    /// little as they weigh there ([`crate::untranslated`]): "how to delte a user" is English,
    /// whatever Danish knows. `english` holds the query as the English analyzer sees it, for
    /// drafts with no source side of their own: one analysis serves every locale.
    pub fn weigh_english_words(
        &self,
        draft: &mut Draft,
        parsed: &ParsedQuery,
        english: &OnceCell<QueryTerms>,
    ) {
        if draft.sides.first().is_none_or(|s| s.name != "target") {
            return;
        }
        let (target, source) = draft.analyzed.split_at_mut(1);
        let english = match source.first() {
            Some((terms, _)) => terms,
            None => english.get_or_init(|| QueryTerms::of_query(self.english, &parsed.text)),
        };
        crate::untranslated::weigh_english_words(
            &draft.searcher,
            (draft.sides[0].body, &mut target[0].0, &draft.known[0]),
            (draft.english.0, english),
        );
        target[0].1 = coverage::coverage(&target[0].0, &draft.known[0], self.ranking);
    }

    /// Corrects the words the draft's sides do not know ([`correct_words`]) on the sides that
    /// know most of the query: on the other one (of a locale searched on both sides) an
    /// unknown word is most likely the other language's. Whether anything was corrected.
    pub fn correct(&self, draft: &mut Draft) -> bool {
        let best = draft.coverage();
        let mut corrected = false;
        let english = draft.english.0;
        let sides = draft
            .sides
            .iter()
            .zip(&mut draft.analyzed)
            .zip(&draft.known);
        for ((fields, (terms, coverage)), known) in sides {
            if *coverage >= best * self.ranking.min_relative_coverage {
                crate::correct::correct_words(
                    &draft.searcher,
                    (fields, english),
                    terms,
                    self.ranking,
                );
                if !terms.corrections.is_empty() {
                    *coverage = coverage::coverage(terms, known, self.ranking);
                    corrected = true;
                }
            }
        }
        corrected
    }

    /// The draft as a plan; `None` when no side has a word to search for.
    pub fn finish(&self, mut draft: Draft, parsed: &ParsedQuery) -> Option<Plan> {
        let pasted = parsed.word_count() >= self.ranking.literal_words;
        self.expand(&mut draft, !pasted);
        let frequent = Frequent {
            stats: &self.stats,
            above: self.ranking.frequent_share,
        };
        let mut scoring = Scoring::new(frequent, draft.article_text);
        for (index, (fields, (terms, _))) in draft.sides.iter().zip(&draft.analyzed).enumerate() {
            if !terms.all.is_empty() {
                scoring.add_side((index, fields), terms, self.ranking);
            }
            if !terms.translations.is_empty() {
                scoring.add_translations(draft.english, (index, terms));
            }
        }
        if scoring.is_empty() {
            return None;
        }
        let required = phrase_filters(&draft.sides, &draft.analyzed, parsed);
        // A phrase's matching segments also score it.
        let scored = scoring.scored(self.ranking, &required);
        let coverages: Vec<f32> = draft.analyzed.iter().map(|(_, c)| *c).collect();
        let negated = draft.analyzed.iter().any(|(terms, _)| terms.negated);
        Some(Plan {
            articles: scored.articles,
            query: scored.documents,
            required,
            excluded: exclusion(&draft.sides, parsed),
            coverage: draft.coverage(),
            source_led: draft.side == Side::Both
                && coverages.len() == 2
                && coverages[1] > coverages[0],
            corrections: draft.corrections(),
            expansions: draft.expansions(self.ranking),
            auxiliaries: draft.auxiliaries(),
            pasted,
            negated,
        })
    }

    /// What only a searched draft needs, after its words were corrected: the terms its
    /// words relate to (when `relate`).
    fn expand(&self, draft: &mut Draft, relate: bool) {
        for (fields, (terms, _)) in draft.sides.iter().zip(&mut draft.analyzed) {
            if let Some(table) = fields.related.filter(|_| relate) {
                table.relate(terms, self.ranking);
            }
            if relate && fields.analyzer.is_english() {
                terms.negated = crate::negation::says_not(&terms.typed);
            }
            if draft.likeliest && fields.analyzer.capabilities.compounds {
                terms.compounds = crate::compounds::started(
                    (&draft.searcher, &self.stats),
                    fields,
                    terms,
                    self.ranking.compound_weight,
                );
            }
            if draft.likeliest && relate {
                let weight = self.ranking.joined_weight;
                let joined = crate::compounds::joined(&draft.searcher, fields, terms, weight);
                terms.compounds.extend(joined);
            }
            if !draft.likeliest {
                terms.translations.clear();
            }
        }
    }

    fn sides(&self, index: &LocaleIndex, side: Side) -> Vec<SideFields<'a>> {
        let f = &index.fields;
        let mut sides = Vec::new();
        if matches!(side, Side::Target | Side::Both) {
            sides.push(SideFields {
                name: Side::Target.name(),
                body: f.target,
                title: f.title,
                analyzer: self.target,
                synonyms: self.target_synonyms,
                related: self.target_related,
                homophones: self.target_homophones,
                loanwords: self.target_loanwords,
            });
        }
        if matches!(side, Side::Source | Side::Both) {
            sides.push(SideFields {
                name: Side::Source.name(),
                body: f.source,
                title: f.source_title,
                analyzer: self.english,
                synonyms: self.english_synonyms,
                related: self.english_related,
                homophones: None,
                loanwords: None,
            });
        }
        sides
    }
}
