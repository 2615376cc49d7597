//! The tantivy queries a [`crate::plan::Plan`] is made of: per side, the terms of each field
//! (the best field counts, with every word present), boosters for words in order, phrase
//! conditions and exclusions.

use tantivy::Term;
use tantivy::query::{
    BooleanQuery, BoostQuery, EnableScoring, Occur, PhraseQuery, Query, TermQuery, Weight,
};
use tantivy::schema::{Field, IndexRecordOption};

use crate::best_field::{AllTerms, BestFieldQuery, WeighedTerm};
use crate::parse::ParsedQuery;
use crate::plan::SideFields;
use crate::ranking::Ranking;
use crate::related::Related;
use crate::shortlist::{ArticleTerm, ArticleTerms, Words};
use crate::stats::Provider;
use crate::terms::QueryTerms;

/// A term and its weight.
type Weighed = (String, f32);

/// The scoring part of a plan: per field, the best field counts (disjunction-max), and
/// every word present and words in order add.
pub(crate) struct Scoring<'a> {
    /// The best field's terms, each with its disjunct.
    terms: Vec<WeighedTerm>,
    disjuncts: usize,
    /// Per field, every word of the query: scored with the best field.
    all_terms: Vec<AllTerms>,
    /// Words in order: nested on the best field, each its own query.
    boosters: Vec<Box<dyn Query>>,
    /// The same terms, in the same order, those of a body field in its article text field:
    /// the driving ones score whole articles ([`Scored::articles`]). An article whose text
    /// holds only terms that do not drive has no document to score.
    article_terms: Vec<ArticleTerm>,
    /// Each body field and the article text field that holds the same words per article.
    article_text: [(Field, Field); 2],
    frequent: Frequent<'a>,
}

/// What a plan scores documents with: the best field, and boosters (words in order, quoted
/// phrases), each adding its score to the documents it holds. As a query, tantivy's
/// `BooleanQuery` of the best field as `Must` and a booster as `Should`, nested once per
/// booster; [`crate::shortlist::search_articles`] scores the same without the nesting.
#[derive(Debug)]
pub(crate) struct Documents {
    pub best_field: BestFieldQuery,
    pub boosters: Vec<Box<dyn Query>>,
}

impl Clone for Documents {
    fn clone(&self) -> Self {
        Documents {
            best_field: self.best_field.clone(),
            boosters: self.boosters.iter().map(|b| b.box_clone()).collect(),
        }
    }
}

impl Query for Documents {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let best_field: Box<dyn Query> = Box::new(self.best_field.clone());
        let nested = self.boosters.iter().fold(best_field, |scored, booster| {
            Box::new(BooleanQuery::new(vec![
                (Occur::Must, scored),
                (Occur::Should, booster.box_clone()),
            ]))
        });
        nested.weight(enable_scoring)
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.best_field.query_terms(visitor);
        for booster in &self.boosters {
            booster.query_terms(visitor);
        }
    }
}

/// What a plan scores with.
pub(crate) struct Scored {
    /// Whole articles, by their article documents: which articles' documents `documents`
    /// scores ([`crate::shortlist`]).
    pub articles: ArticleTerms,
    /// Documents: their scores make their articles' ([`crate::articles`]).
    pub documents: Documents,
}

/// Which terms are frequent: held by more than `above` of their field's documents
/// ([`Ranking::frequent_share`]). A document holding only frequent terms of a query ("the",
/// "de", a product name every article names) scores little, and such documents are most of
/// those a union of the query's terms visits: they are not scored. A document holding a rarer
/// term scores its frequent terms as before.
pub(crate) struct Frequent<'a> {
    pub stats: &'a Provider<'a>,
    pub above: f32,
}

/// How many of its field's documents hold a term.
#[derive(PartialEq)]
enum Held {
    Nowhere,
    Rarely,
    Frequently,
}

impl Frequent<'_> {
    fn held(&self, term: &Term) -> Held {
        match self.stats.share(term) {
            share if share > f64::from(self.above) => Held::Frequently,
            share if share > 0.0 => Held::Rarely,
            _ => Held::Nowhere,
        }
    }
}

impl<'a> Scoring<'a> {
    pub fn new(frequent: Frequent<'a>, article_text: [(Field, Field); 2]) -> Scoring<'a> {
        Scoring {
            terms: Vec::new(),
            disjuncts: 0,
            all_terms: Vec::new(),
            boosters: Vec::new(),
            article_terms: Vec::new(),
            article_text,
            frequent,
        }
    }

    /// Whether no side had a word to score.
    pub fn is_empty(&self) -> bool {
        self.disjuncts == 0
    }

    /// The side searched `index`-th (0 or 1) and its terms.
    pub fn add_side(
        &mut self,
        (index, side): (usize, &SideFields),
        terms: &QueryTerms,
        ranking: &Ranking,
    ) {
        let shortness = ranking.shortness(terms.reduced.len());
        let title_weight = 1.0 + (ranking.title_boost - 1.0) * shortness;
        let corrected = alternative_terms(terms, ranking);
        let typed: Vec<(String, f32)> = terms
            .all
            .iter()
            .filter(|t| !terms.is_piece_of_a_name(t))
            .map(|t| (t.clone(), terms.weight(t)))
            .collect();
        self.add_disjunct(
            &[(side.body, 1.0), (side.title, title_weight)],
            (&typed, &corrected),
            (index, terms),
        );
        let every_word = terms.reduced_or_corrected();
        // Every word of the query somewhere in the body: the coordination BM25 lacks; and,
        // for keyword-like queries, every word in the title.
        for (field, weight) in [
            (side.body, ranking.all_in_body),
            (side.title, ranking.all_in_title * shortness),
        ] {
            if weight > 0.0 && every_word.len() >= 2 {
                self.all_terms.push(AllTerms {
                    terms: every_word
                        .iter()
                        .map(|t| Term::from_field_text(field, t))
                        .collect(),
                    boost: weight,
                });
            }
        }
        let phrase_weight = ranking.phrase_boost * (1.0 - shortness);
        let tokens = &terms.per_position;
        if phrase_weight > 0.0 && side.analyzer.keeps_word_positions() && tokens.len() >= 2 {
            let first = tokens[0].1;
            let with_offsets: Vec<(usize, Term)> = tokens
                .iter()
                .map(|(t, p)| (p - first, Term::from_field_text(side.body, t)))
                .collect();
            let phrase = PhraseQuery::new_with_offset_and_slop(with_offsets, ranking.phrase_slop);
            self.boosters
                .push(Box::new(BoostQuery::new(Box::new(phrase), phrase_weight)));
        }
    }

    /// English terms rendering the words of the side searched `index`-th (`terms`), searched
    /// in the English fields: one more field whose best match counts.
    pub fn add_translations(
        &mut self,
        (body, title): (Field, Field),
        (index, terms): (usize, &QueryTerms),
    ) {
        let weighed: Vec<(String, f32)> = terms
            .translations
            .iter()
            .map(|r: &Related| (r.term.clone(), r.weight))
            .collect();
        self.add_disjunct(
            &[(body, 1.0), (title, 1.0)],
            (&weighed, &[]),
            (index, terms),
        );
    }

    /// The scoring, with `phrases` (quoted) also scoring the segments that hold them.
    pub fn scored(self, ranking: &Ranking, phrases: &[Box<dyn Query>]) -> Scored {
        let boosters = self
            .boosters
            .into_iter()
            .chain(phrases.iter().map(|p| p.box_clone()))
            .collect();
        let articles = ArticleTerms {
            terms: self
                .article_terms
                .into_iter()
                .zip(&self.terms)
                .filter(|(_, t)| t.drives)
                .map(|(term, _)| term)
                .collect(),
        };
        let documents = Documents {
            best_field: BestFieldQuery {
                terms: self.terms,
                disjuncts: self.disjuncts,
                tie: ranking.tie,
                all_terms: self.all_terms,
            },
            boosters,
        };
        Scored {
            articles,
            documents,
        }
    }

    /// Documents holding any of `terms` or of the alternative terms (each weighed) in any
    /// of `fields` (each boosted), their scores added: one disjunct of the best field. In a
    /// field where some are frequent and one of `terms` that it holds is not, only
    /// documents holding a term that is not. The fields must be of different kinds of
    /// document (a segment's text, an article's title), so that no document holds two of
    /// them and the sum is the score of the one field a document has. Each term stands for
    /// words of the query as the side searched `index`-th analyzed them (`words`).
    fn add_disjunct(
        &mut self,
        fields: &[(Field, f32)],
        (terms, alternatives): (&[Weighed], &[Weighed]),
        (index, words): (usize, &QueryTerms),
    ) {
        let disjunct = self.disjuncts;
        self.disjuncts += 1;
        let stand_for: Vec<Words> = terms
            .iter()
            .chain(alternatives)
            .map(|(t, _)| Words::on_side(index, words.words_of(t)))
            .collect();
        for &(field, boost) in fields {
            let article_field = self
                .article_text
                .iter()
                .find(|(body, _)| *body == field)
                .map_or(field, |&(_, article)| article);
            let first = self.terms.len();
            // Only a typed word decides: an alternative (a correction, a synonym) adds
            // documents and must never make the typed words' documents wait for it.
            let mut typed_rare_held = false;
            for (i, (t, weight)) in terms.iter().chain(alternatives).enumerate() {
                let term = Term::from_field_text(field, t);
                let held = self.frequent.held(&term);
                typed_rare_held |= i < terms.len() && held == Held::Rarely;
                self.article_terms.push(ArticleTerm {
                    term: Term::from_field_text(article_field, t),
                    weight: weight * boost,
                    words: stand_for[i],
                    // A body field's terms are read in its article text field.
                    in_title: article_field == field,
                });
                self.terms.push(WeighedTerm {
                    term,
                    weight: weight * boost,
                    drives: held != Held::Frequently,
                    disjunct,
                });
            }
            if !typed_rare_held {
                for t in &mut self.terms[first..] {
                    t.drives = true;
                }
            }
        }
    }
}

/// Quoted phrases are about articles: an article qualifies when one of its segments holds
/// the phrase (on either side searched). A word of the phrase that a side corrected
/// (`terms`, one per side) is its best correction there, as in the rest of the query.
pub(crate) fn phrase_filters(
    sides: &[SideFields],
    terms: &[(QueryTerms, f32)],
    parsed: &ParsedQuery,
) -> Vec<Box<dyn Query>> {
    let mut required: Vec<Box<dyn Query>> = Vec::new();
    for phrase in &parsed.phrases {
        let options: Vec<Box<dyn Query>> = sides
            .iter()
            .zip(terms)
            .filter_map(|(side, (terms, _))| {
                let typed = QueryTerms::analyze(side.analyzer, phrase).per_position;
                let tokens = spelt_in_place(&typed, terms);
                phrase_query(side.body, &tokens, side.analyzer.keeps_word_positions())
            })
            .collect();
        if !options.is_empty() {
            required.push(Box::new(BooleanQuery::union(options)));
        }
    }
    required
}

/// A phrase's words with their positions, each a side does not know in its corrected
/// spelling; a word read as two takes two positions, the words after it moving up.
fn spelt_in_place(typed: &[(String, usize)], terms: &QueryTerms) -> Vec<(String, usize)> {
    let mut tokens = Vec::with_capacity(typed.len());
    let mut shift = 0;
    for (token, position) in typed {
        let words = terms
            .phrase_words(token)
            .unwrap_or_else(|| vec![token.as_str()]);
        for (i, word) in words.iter().enumerate() {
            tokens.push((word.to_string(), position + shift + i));
        }
        shift += words.len() - 1;
    }
    tokens
}

/// An article is out when any of its documents holds an excluded word.
pub(crate) fn exclusion(sides: &[SideFields], parsed: &ParsedQuery) -> Option<Box<dyn Query>> {
    let mut excluded: Vec<Box<dyn Query>> = Vec::new();
    for word in &parsed.excluded {
        for side in sides {
            for term in QueryTerms::analyze(side.analyzer, word).all {
                for field in [side.body, side.title] {
                    let t = Term::from_field_text(field, &term);
                    excluded.push(Box::new(TermQuery::new(t, IndexRecordOption::Basic)));
                }
            }
        }
    }
    (!excluded.is_empty()).then(|| Box::new(BooleanQuery::union(excluded)) as Box<dyn Query>)
}

/// The terms words were corrected to, those the user's synonyms add, those the aligned
/// pairs relate to the words and the compounds the words start, that the query does not hold
/// already, with their weights.
fn alternative_terms(terms: &QueryTerms, ranking: &Ranking) -> Vec<(String, f32)> {
    let corrected = terms
        .corrections
        .iter()
        .flat_map(|c| c.terms.iter().cloned());
    let synonyms = terms
        .synonyms
        .iter()
        .map(|(_, t)| (t.clone(), ranking.synonym_weight));
    let related = terms.related.iter().map(|r| (r.term.clone(), r.weight));
    let compounds = terms.compounds.iter().map(|c| (c.term.clone(), c.weight));
    let mut out: Vec<(String, f32)> = Vec::new();
    for (term, weight) in corrected.chain(synonyms).chain(related).chain(compounds) {
        if !terms.all.contains(&term) && !out.iter().any(|(t, _)| *t == term) {
            out.push((term, weight));
        }
    }
    out
}

/// Words in order where the analyzer keeps word positions; elsewhere (overlapping or
/// dictionary-cut words) a phrase means all its words, in any order, since tantivy would
/// otherwise demand an adjacency the cut may not give.
fn phrase_query(
    field: Field,
    tokens: &[(String, usize)],
    word_positions: bool,
) -> Option<Box<dyn Query>> {
    let term = |t: &str| Term::from_field_text(field, t);
    match tokens {
        [] => None,
        [(one, _)] => Some(Box::new(TermQuery::new(
            term(one),
            IndexRecordOption::WithFreqs,
        ))),
        _ if !word_positions => Some(Box::new(BooleanQuery::intersection(
            tokens
                .iter()
                .map(|(t, _)| {
                    Box::new(TermQuery::new(term(t), IndexRecordOption::Basic)) as Box<dyn Query>
                })
                .collect(),
        ))),
        _ => {
            let first = tokens[0].1;
            Some(Box::new(PhraseQuery::new_with_offset(
                tokens.iter().map(|(t, p)| (p - first, term(t))).collect(),
            )))
        }
    }
}
