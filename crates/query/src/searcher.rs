//! The search itself: route a query to locales, plan and run it on each, merge the results
//! into one ranked list, and make hits of the best.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::OnceLock;

mod drafting;

use locsearch_index::Catalog;
use rustc_hash::FxHashMap;

use crate::candidate::Candidate;
use crate::error::QueryError;
use crate::execute::{ArticleTables, Locale};
use crate::hit::{self, Answer, Hit};
use crate::homophones::{HomophoneCell, Homophones};
use crate::keys::KeyLocales;
use crate::latent::{self, LatentTable};
use crate::likely::LikelyLocales;
use crate::loanwords::LoanwordCell;
use crate::merge::{self, SourceHits};
use crate::negation;
use crate::parse::{ParsedQuery, parse};
use crate::plan::{Expansion, Plan, Planner, Searched, Side};
use crate::ranking::Ranking;
use crate::related::RelatedTable;
use crate::request::Request;
use crate::route::Router;
use crate::stats::GlobalStats;
use crate::synonyms::{Rule, SynonymTable};
use crate::terms::Analyzer;

pub struct Searcher {
    pub(crate) catalog: Catalog,
    pub(crate) analyzers: FxHashMap<String, Analyzer>,
    pub(crate) english: Analyzer,
    /// Locales whose source side is searched (the manifest's cover, in order): each answers
    /// for the keys no earlier one holds.
    source_cover: Vec<String>,
    /// BM25 statistics across the locale indexes, so their scores compare.
    pub(crate) stats: GlobalStats,
    /// The scripts of the catalog's locales, for queries with no language.
    router: Router,
    /// Which of a script's locales such a query is likely in, read on its first search.
    likely: OnceLock<LikelyLocales>,
    /// Locale → its position in catalog order (how [`GlobalStats`] knows it).
    pub(crate) positions: FxHashMap<String, usize>,
    tables: ArticleTables,
    /// Which locales hold each article key.
    key_locales: KeyLocales,
    /// The user's synonyms ([`crate::synonyms`]), per locale for the target side, and for
    /// English.
    target_synonyms: FxHashMap<String, SynonymTable>,
    english_synonyms: Option<SynonymTable>,
    /// What each locale's aligned pairs taught ([`crate::related`]), read on the first search
    /// of the locale; a locale whose file is missing or damaged has none (`locsearch index`
    /// mines it again).
    related: FxHashMap<String, OnceLock<Option<RelatedTable>>>,
    /// The English paraphrases the locales agree on, read on the first search.
    english_related: OnceLock<Option<RelatedTable>>,
    /// Each locale's latent space ([`crate::latent`]), read on the first search that ranks
    /// one of its articles among the best; a locale whose file is missing or damaged has none.
    latent: FxHashMap<String, OnceLock<Option<LatentTable>>>,
    /// The words of each locale whose analyzer has `homophones`, by sound, grouped on its
    /// first unknown word ([`crate::homophones`]).
    homophones: FxHashMap<String, HomophoneCell>,
    /// The product names each locale keeps in Latin letters, by sound, grouped on its first
    /// word typed in another script that it does not know ([`crate::loanwords`]).
    loanwords: FxHashMap<String, LoanwordCell>,
    pub ranking: Ranking,
}

/// The plans a search ran, by locale and side: `--segments` scores each hit's segments
/// with its locale's plan.
pub(crate) type Plans = HashMap<(String, Side), Plan>;

impl Searcher {
    pub fn open(dir: &Path) -> Result<Searcher, QueryError> {
        Ok(Searcher::new(Catalog::open(dir)?))
    }

    pub fn new(catalog: Catalog) -> Searcher {
        let analyzers = catalog
            .locales
            .iter()
            .filter_map(|(locale, index)| Some((locale.clone(), Analyzer::named(index.analyzer)?)))
            .collect();
        let english =
            Analyzer::named(locsearch_analysis::english().name).expect("english analyzer");
        let source_cover = catalog
            .manifest
            .source_cover
            .iter()
            .filter(|l| catalog.locales.contains_key(*l))
            .cloned()
            .collect();
        let stats = GlobalStats::new(&catalog);
        let related = catalog
            .locales
            .keys()
            .map(|l| (l.clone(), OnceLock::new()))
            .collect();
        let latent = catalog
            .locales
            .keys()
            .map(|l| (l.clone(), OnceLock::new()))
            .collect();
        let homophones = catalog
            .locales
            .iter()
            .filter(|(_, index)| {
                locsearch_analysis::info(index.analyzer)
                    .is_some_and(|info| info.capabilities.homophones)
            })
            .map(|(l, _)| (l.clone(), HomophoneCell::new()))
            .collect();
        let loanwords = catalog
            .locales
            .keys()
            .map(|l| (l.clone(), LoanwordCell::new()))
            .collect();
        let router = Router::new(catalog.locales.keys().map(String::as_str));
        let positions = catalog
            .locales
            .keys()
            .enumerate()
            .map(|(i, l)| (l.clone(), i))
            .collect();
        Searcher {
            catalog,
            analyzers,
            english,
            source_cover,
            stats,
            router,
            likely: OnceLock::new(),
            positions,
            tables: ArticleTables::default(),
            key_locales: KeyLocales::default(),
            target_synonyms: FxHashMap::default(),
            english_synonyms: None,
            related,
            english_related: OnceLock::new(),
            latent,
            homophones,
            loanwords,
            ranking: Ranking::default(),
        }
    }

    /// Searches with the user's synonyms, by language subtag ([`crate::synonyms::load`]).
    pub fn with_synonyms(mut self, by_language: &BTreeMap<String, Vec<Rule>>) -> Searcher {
        let language = |locale: &str| {
            locale
                .split(['-', '_'])
                .next()
                .unwrap_or("")
                .to_ascii_lowercase()
        };
        for (locale, analyzer) in &self.analyzers {
            if let Some(rules) = by_language.get(&language(locale)) {
                let table = SynonymTable::new(rules, analyzer);
                self.target_synonyms.insert(locale.clone(), table);
            }
        }
        self.english_synonyms = by_language
            .get("en")
            .map(|rules| SynonymTable::new(rules, &self.english));
        self
    }

    /// Loads what a locale's first search would: every analyzer's dictionaries (Chinese and
    /// Japanese load on their first text), the router's tables and profiles, each locale's
    /// article table and mined relations; reads the index files a search reads (term dictionaries,
    /// postings, positions, field norms, fast fields, stored documents) into the operating
    /// system's cache, and builds the typo automata and the Chinese words' groups by sound.
    /// A server warms a searcher before it serves it, so no user waits for these.
    pub fn warm(&self) -> Result<(), QueryError> {
        self.warm_thread();
        crate::spelling::warm();
        self.likely_locales();
        for locale in self.catalog.locales.keys() {
            read_search_files(&locsearch_index::locale_dir(&self.catalog.dir, locale));
        }
        for locale in self.catalog.locales.keys() {
            let search = self.locale_search(locale);
            search.warm()?;
            self.planner(locale);
        }
        for (locale, cell) in &self.homophones {
            let index = &self.catalog.locales[locale];
            cell.get_or_init(|| Homophones::build(&index.reader.searcher(), index.fields.target));
        }
        Ok(())
    }

    /// Runs every analyzer and the router over text of every script on this thread. Besides
    /// what they build once (jieba, lindera), the regular expressions in them keep a cache
    /// per thread, built on its first match: a server calls this on each thread it searches on.
    pub fn warm_thread(&self) {
        // 鑫淼犇骉, rare characters in a row, take jieba through its model of unknown words,
        // whose tables it builds on first use.
        const EVERY_SCRIPT: &str =
            "warm 准备 準備 鑫淼犇骉 じゅんび 준비 เตรียม подготовка προετοιμασία הכנה تحضير";
        for analyzer in self.analyzers.values().chain([&self.english]) {
            analyzer.tokens(EVERY_SCRIPT);
        }
        // Routing Chinese builds its table of Simplified forms on first use.
        self.router.route(EVERY_SCRIPT);
    }

    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    pub fn search(&self, request: &Request) -> Result<Vec<Hit>, QueryError> {
        self.answer(request).map(|answer| answer.hits)
    }

    /// The hits, and the query as it was corrected when a correction decided the best hit.
    /// When no article holds the quoted phrases (a pasted message that differs by a word),
    /// the words without the quotes, as a web search does, reported as the query searched.
    /// A name spaced as the English text writes it (`One Drive` → `OneDrive`, `Windows10` →
    /// `Windows 10`; [`crate::apart`]), reported as the query searched.
    pub fn answer(&self, request: &Request) -> Result<Answer, QueryError> {
        request.validate()?;
        let english = self
            .source_cover
            .first()
            .and_then(|locale| self.catalog.locales.get(locale));
        let respaced = english.and_then(|index| {
            let searcher = index.reader.searcher();
            crate::apart::respaced(&request.query, (&searcher, index.fields.source))
        });
        let Some(respaced) = respaced else {
            return self.answer_unquoting(request);
        };
        let request = Request {
            query: respaced.clone(),
            ..request.clone()
        };
        let mut answer = self.answer_unquoting(&request)?;
        answer.corrected.get_or_insert(respaced);
        Ok(answer)
    }

    fn answer_unquoting(&self, request: &Request) -> Result<Answer, QueryError> {
        let parsed = parse(&request.query, self.ranking.sentence_words)?;
        let quoted = !parsed.phrases.is_empty();
        let answer = self.answer_parsed(request, parsed)?;
        if !answer.hits.is_empty() || !quoted {
            return Ok(answer);
        }
        let unquoted = request.query.replace('"', " ");
        let unquoted = unquoted.split_whitespace().collect::<Vec<_>>().join(" ");
        let request = Request {
            query: unquoted.clone(),
            ..request.clone()
        };
        let parsed = parse(&request.query, self.ranking.sentence_words)?;
        let mut words = self.answer_parsed(&request, parsed)?;
        if words.hits.is_empty() {
            return Ok(answer);
        }
        words.corrected.get_or_insert(unquoted);
        Ok(words)
    }

    fn answer_parsed(&self, request: &Request, parsed: ParsedQuery) -> Result<Answer, QueryError> {
        let mut langs = request.langs.clone();
        langs.extend(parsed.langs.iter().cloned());
        // The latent space reorders the first `latent_depth` hits whatever the limit; and
        // over-fetch when results are filtered afterwards.
        let depth = request.limit.max(self.ranking.latent_depth);
        let fetch = if parsed.paths.is_empty() {
            depth
        } else {
            depth * self.ranking.filtered_fetch
        };
        let mut plans = Plans::new();
        let candidates = if langs.is_empty() {
            self.search_routed(&parsed, request, fetch, &mut plans)?
        } else {
            self.search_named(&langs, &parsed, request, fetch, &mut plans)?
        };
        let mut ranked = merge::rank(candidates, &parsed.paths, depth);
        let spaces = |locale: &str| self.latent_space(locale);
        let query_of = |c: &Candidate| {
            plans
                .get(&(c.locale.clone(), c.side))
                .and_then(|plan| hit::corrected_query(&parsed.text, &plan.corrections))
                .unwrap_or_else(|| parsed.text.clone())
        };
        latent::rerank(
            &mut ranked,
            &query_of,
            &spaces,
            &self.english,
            &self.ranking,
        );
        let negated: Vec<(&str, Side)> = plans
            .iter()
            .filter(|(_, plan)| plan.negated)
            .map(|((locale, side), _)| (locale.as_str(), *side))
            .collect();
        if !negated.is_empty() {
            let negated = |c: &Candidate| negated.contains(&(c.locale.as_str(), c.side));
            negation::rerank(&mut ranked, &negated, &self.ranking);
        }
        ranked.truncate(request.limit);
        let corrected = ranked
            .first()
            .and_then(|best| plans.get(&(best.locale.clone(), best.side)))
            .and_then(|plan| hit::corrected_query(&request.query, &plan.corrections));
        let hits = self.hits(ranked, &parsed, request, &plans)?;
        let hits = if request.segments {
            hit::concordance(hits, request.limit)
        } else {
            hits
        };
        let mut expansions: Vec<Expansion> = Vec::new();
        let mut searched: Vec<Searched> = Vec::new();
        if request.explain {
            searched = plans
                .iter()
                .map(|((locale, side), plan)| Searched {
                    locale: locale.clone(),
                    side: side.name(),
                    coverage: plan.coverage,
                    auxiliaries: plan.auxiliaries.clone(),
                    negated: plan.negated,
                })
                .collect();
            searched.sort_by(|a, b| (&a.locale, a.side).cmp(&(&b.locale, b.side)));
            expansions = plans.into_values().flat_map(|p| p.expansions).collect();
            expansions
                .sort_by(|a, b| (&a.locale, a.side, &a.word).cmp(&(&b.locale, b.side, &b.word)));
        }
        Ok(Answer {
            hits,
            corrected,
            expansions,
            searched,
        })
    }

    /// No language given: the locales of the query's script that it reads like, and the
    /// English source side of the cover for Latin text. Every side is planned first: a side
    /// whose vocabulary knows much less of the query than the best one's (under
    /// `min_relative_coverage` of it) cannot rank, so it is not searched at all.
    fn search_routed(
        &self,
        parsed: &ParsedQuery,
        request: &Request,
        fetch: usize,
        plans: &mut Plans,
    ) -> Result<Vec<Candidate>, QueryError> {
        let (locales, with_source) = self.router.route(&parsed.text);
        let sides = |locales: &[&str], with_source: bool| {
            let mut sides: Vec<(String, Side)> = locales
                .iter()
                .map(|l| (l.to_string(), Side::Target))
                .collect();
            if with_source {
                sides.extend(self.source_cover.iter().map(|l| (l.clone(), Side::Source)));
            }
            sides
        };
        let likely =
            self.likely_locales()
                .narrow(&parsed.text, &locales, with_source, &self.ranking);
        let mut drafts = self.drafts(parsed, sides(&likely.locales, likely.english));
        let mut corrected = FxHashMap::default();
        self.correct_likely_sides(parsed, &mut drafts, &mut corrected);
        // A word no likely side knows in any form is a typo, or a word only a less likely
        // side's text holds (a name, a foreign article's word): the query is drafted
        // everywhere, as it would be with no profiles.
        let narrowed = likely.locales.len() < locales.len() || likely.english != with_source;
        if narrowed
            && !drafts
                .iter()
                .any(|(_, d)| d.knows_every_word_in_some_form())
        {
            drafts = self.drafts(parsed, sides(&locales, with_source));
            self.correct_likely_sides(parsed, &mut drafts, &mut corrected);
        }
        let best = drafts
            .iter()
            .map(|(_, d)| d.coverage())
            .fold(0.0f32, f32::max);
        let floor = best * self.ranking.min_relative_coverage;
        let mut candidates = Vec::new();
        let mut source = SourceHits::default();
        let mut score_floor = ScoreFloor::new(parsed, fetch);
        drafts.retain(|(_, draft)| draft.coverage() > 0.0 && draft.coverage() >= floor);
        // The likeliest sides first: their hits raise the score floor early, and the sides
        // after them read the paths and keys of fewer candidates. Answers do not depend on
        // the order (`merge::rank` sorts; `SourceHits` asks which locales hold a key).
        drafts.sort_by(|(_, a), (_, b)| b.coverage().total_cmp(&a.coverage()));
        for ((locale, side), mut draft) in drafts {
            // English renderings and compounds are for the query's language: the locales that
            // know most of it. Elsewhere they would search English text in every locale that
            // shares a product name with the query, and compounds of that name.
            if draft.coverage() < best {
                draft.mark_less_likely();
            }
            let Some(plan) = self.planner(&locale).and_then(|p| p.finish(draft, parsed)) else {
                continue;
            };
            request.check_deadline()?;
            let found = self.locale_search(&locale).execute(
                &plan,
                side,
                fetch,
                &self.ranking,
                score_floor.value(),
            )?;
            if side == Side::Target {
                score_floor.add(found.iter().map(|c| c.score));
                candidates.extend(found);
            } else {
                let earlier = &self.source_cover[..self.search_order(&locale, side)];
                let kept = source.add(found, |key| {
                    !earlier.is_empty() && {
                        let holding = self.key_locales.of(&self.catalog, key);
                        earlier
                            .iter()
                            .any(|l| holding.contains(&(self.positions[l] as u16)))
                    }
                });
                // A key is answered by one cover locale only: these hits are distinct from
                // every other.
                score_floor.add(kept);
            }
            plans.insert((locale, side), plan);
        }
        candidates.extend(source.into_candidates());
        Ok(candidates)
    }

    /// Languages given: each is searched on both sides.
    fn search_named(
        &self,
        langs: &[String],
        parsed: &ParsedQuery,
        request: &Request,
        fetch: usize,
        plans: &mut Plans,
    ) -> Result<Vec<Candidate>, QueryError> {
        let mut candidates = Vec::new();
        let mut score_floor = ScoreFloor::new(parsed, fetch);
        for lang in langs {
            request.check_deadline()?;
            let locale = self.locale(lang)?;
            let Some(plan) = self.plan(&locale, parsed, Side::Both, true) else {
                continue;
            };
            if plan.coverage > 0.0 {
                let search = self.locale_search(&locale);
                let found =
                    search.execute(&plan, Side::Both, fetch, &self.ranking, score_floor.value())?;
                score_floor.add(found.iter().map(|c| c.score));
                candidates.extend(found);
            }
            plans.insert((locale, Side::Both), plan);
        }
        Ok(candidates)
    }

    /// The locales holding a live article keyed `key`, in catalog order.
    pub(crate) fn locales_holding(&self, key: &str) -> Vec<String> {
        let holding = self.key_locales.of(&self.catalog, key);
        self.catalog
            .locales
            .keys()
            .enumerate()
            .filter(|(i, _)| holding.contains(&(*i as u16)))
            .map(|(_, l)| l.clone())
            .collect()
    }

    /// Where a side is searched among the others: target sides in catalog order, source sides
    /// in source-cover order (the order in which the cover's locales answer).
    fn search_order(&self, locale: &str, side: Side) -> usize {
        match side {
            Side::Source => self.source_cover.iter().position(|l| l == locale),
            _ => self.positions.get(locale).copied(),
        }
        .unwrap_or(usize::MAX)
    }

    fn plan(&self, locale: &str, parsed: &ParsedQuery, side: Side, correct: bool) -> Option<Plan> {
        self.planner(locale)?
            .plan(&self.catalog.locales[locale], parsed, side, correct)
    }

    /// What plans queries for a locale: its analyzer, the English one, the weights.
    fn planner(&self, locale: &str) -> Option<Planner<'_>> {
        Some(Planner {
            target: self.analyzers.get(locale)?,
            english: &self.english,
            target_synonyms: self.target_synonyms.get(locale),
            english_synonyms: self.english_synonyms.as_ref(),
            target_related: self.related.get(locale).and_then(|cell| {
                cell.get_or_init(|| RelatedTable::open(&self.catalog.dir, locale))
                    .as_ref()
            }),
            english_related: self
                .english_related
                .get_or_init(|| RelatedTable::open_english(&self.catalog.dir))
                .as_ref(),
            target_homophones: self.homophones.get(locale),
            target_loanwords: self.loanwords.get(locale),
            ranking: &self.ranking,
            stats: self
                .stats
                .provider(*self.positions.get(locale)?, self.ranking.title_idf_excess),
        })
    }

    fn likely_locales(&self) -> &LikelyLocales {
        self.likely
            .get_or_init(|| LikelyLocales::open(&self.catalog.dir, self.catalog.locales.keys()))
    }

    /// The locale's latent space and analyzer, the space read on first use.
    fn latent_space(&self, locale: &str) -> Option<(&LatentTable, &Analyzer)> {
        let table = self
            .latent
            .get(locale)?
            .get_or_init(|| LatentTable::open(&self.catalog.dir, locale))
            .as_ref()?;
        Some((table, self.analyzers.get(locale)?))
    }

    fn locale_search<'a>(&'a self, locale: &'a str) -> Locale<'a> {
        Locale {
            name: locale,
            index: &self.catalog.locales[locale],
            stats: self
                .stats
                .provider(self.positions[locale], self.ranking.title_idf_excess),
            tables: &self.tables,
            source_languages: &self.catalog.manifest.source_languages,
        }
    }

    /// The catalog's locale for a requested one (`sl-si` → `sl-SI`), or for a bare language
    /// the catalog's one locale of it (`sl` → `sl-SI`; `zh`, with `zh-CN` and `zh-TW`, is
    /// an error naming both).
    pub(crate) fn locale(&self, lang: &str) -> Result<String, QueryError> {
        let canonical =
            locsearch_ingest::locale::canonicalize(lang).unwrap_or_else(|| lang.to_owned());
        if self.catalog.locales.contains_key(&canonical) {
            return Ok(canonical);
        }
        let listed =
            |locales: Vec<&String>| locales.into_iter().cloned().collect::<Vec<_>>().join(", ");
        let of_language: Vec<&String> = self
            .catalog
            .locales
            .keys()
            .filter(|l| l.split('-').next() == Some(canonical.as_str()))
            .collect();
        match of_language.as_slice() {
            [one] => Ok((*one).clone()),
            [] => Err(QueryError::UnknownLocale {
                locale: lang.to_owned(),
                available: listed(self.catalog.locales.keys().collect()),
            }),
            _ => Err(QueryError::AmbiguousLocale {
                locale: lang.to_owned(),
                candidates: listed(of_language),
            }),
        }
    }
}

/// The extensions of the tantivy files a search reads from: the document store too, for the
/// passages of its hits.
const SEARCHED_FILES: [&str; 6] = ["term", "idx", "pos", "fieldnorm", "fast", "store"];

/// Reads a locale index's searched files once, so that the operating system holds them in
/// its cache before the first query needs them; a file that cannot be read is left to the
/// search that needs it, which reports the error.
fn read_search_files(dir: &Path) {
    use std::io::Read;
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut buffer = vec![0u8; 1 << 20];
    for path in entries.flatten().map(|e| e.path()) {
        let searched = path
            .extension()
            .is_some_and(|e| SEARCHED_FILES.iter().any(|s| e == *s));
        if let (true, Ok(mut file)) = (searched, std::fs::File::open(&path)) {
            while matches!(file.read(&mut buffer), Ok(n) if n > 0) {}
        }
    }
}

/// The score a candidate must reach to be among the answer's hits: the `limit`-th best of the
/// candidates found so far that stay distinct hits (a locale's articles on its target side;
/// on the source side, the keys a cover locale answers for), so that a later side reads the
/// paths and keys of its likely hits only. None with `path:` filters, which may remove any
/// of them.
struct ScoreFloor {
    best: Vec<f32>,
    limit: usize,
}

impl ScoreFloor {
    fn new(parsed: &ParsedQuery, limit: usize) -> ScoreFloor {
        ScoreFloor {
            best: Vec::new(),
            limit: if parsed.paths.is_empty() { limit } else { 0 },
        }
    }

    fn add(&mut self, scores: impl IntoIterator<Item = f32>) {
        if self.limit == 0 {
            return;
        }
        self.best.extend(scores);
        self.best.sort_by(|a, b| b.total_cmp(a));
        self.best.truncate(self.limit);
    }

    fn value(&self) -> f32 {
        match self.best.get(self.limit.wrapping_sub(1)) {
            Some(&score) if self.best.len() == self.limit => score,
            _ => f32::NEG_INFINITY,
        }
    }
}
