//! Every number that decides the order of hits, in one place: chosen on the dev queries
//! (BENCHMARKS.md, "Query quality"), built once with [`Ranking::default`] and passed where
//! needed. Comments elsewhere name these fields, never their values.

/// Most segment scores an article can keep; [`Ranking::best_segments`] uses up to this many.
pub(crate) const MAX_BEST_SEGMENTS: usize = 4;

#[derive(Debug, Clone, Copy)]
pub struct Ranking {
    /// Weight of the title field against the body, for keyword-like queries (see
    /// [`Ranking::shortness`]).
    pub title_boost: f32,
    /// A title word's IDF is at most this much (in nats) above the same word's IDF in the
    /// article texts: a word that the titles use far more rarely than the texts do (`does`,
    /// `nicht`, `inte`, a helper verb) is a function word there, not a rare one, and must
    /// not outweigh the words that say what a title is about (`crate::stats`).
    pub title_idf_excess: f32,
    /// Disjunction-max tie breaker: how much the non-best fields of a document add, and how
    /// much the lesser of an article's title score and body score adds.
    pub tie: f32,
    /// Weight of the query's words found in order (a pasted sentence) in the body, for
    /// sentence-like queries.
    pub phrase_boost: f32,
    /// How far apart the words of that in-order match may be.
    pub phrase_slop: u32,
    /// A hit's score is multiplied by coverage to this power, where coverage is the share of
    /// the query's terms the searched side's vocabulary knows: it tells which language a
    /// query is in without a language detector.
    pub coverage_power: f32,
    /// An article's score is multiplied by its coordination to this power: the share of the
    /// query's words it holds anywhere ([`crate::shortlist::Shortlist::coordination`]).
    pub coordination_power: f32,
    /// Weight of a title holding every term of a keyword-like query.
    pub all_in_title: f32,
    /// Weight of a body holding every term of the query.
    pub all_in_body: f32,
    /// How much a word a side knows only in its reduced form counts toward coverage (a word
    /// known as typed counts 1).
    pub reduced_only_coverage: f32,
    /// With no language given, locales whose coverage is under this share of the best
    /// locale's are not searched.
    pub min_relative_coverage: f32,
    /// With no language given, only the locales (and English) whose n-gram profiles make the
    /// query at most this much less likely than the likeliest's (a log-likelihood
    /// difference, in nats) are drafted first ([`crate::likely`]).
    pub route_margin: f32,
    /// Doing so, a word counts for each locale as at most this much less likely (in nats)
    /// than in English: localized queries hold English product names and terms, which must
    /// not choose the locale.
    pub english_word_cost: f32,
    /// A query that English makes more than this much less likely (in nats) than the
    /// likeliest locale drafts no source side first. Wider than [`Ranking::route_margin`]:
    /// English words cost the locales little, so a locale can read an English query about as
    /// well as English does, and a misspelt product name reads like no language at all.
    pub english_margin: f32,
    /// A term held by more than this share of its field's documents is frequent: a document
    /// holding only frequent terms of a side's query is not scored
    /// ([`crate::clauses::Frequent`]).
    pub frequent_share: f32,
    /// An article's body score is its best segment's, plus this share of its second best,
    /// this share squared of its third, and so on for [`Ranking::best_segments`].
    pub segment_decay: f32,
    /// Segment scores that make an article's body score (at most [`MAX_BEST_SEGMENTS`]).
    pub best_segments: usize,
    /// Articles a locale search scores the segments of: the best by their whole text
    /// ([`crate::shortlist`]), or as many as the search asks for if more.
    pub shortlist: usize,
    /// Of those, an article whose whole text scores under this share of the best's is not
    /// scored again, unless the search asks for more hits than score above it: where the
    /// first pass is decisive, the second scores fewer articles. Not for pasted text
    /// ([`Ranking::literal_words`]).
    pub shortlist_share: f32,
    /// Queries of this many terms or fewer are keywords: the title weighs most.
    pub keyword_terms: f32,
    /// Queries of this many words or more are pasted sentences: word order weighs most, the
    /// title nothing extra, and a leading dash is text rather than an exclusion.
    pub sentence_words: usize,
    /// Results are fetched this many times over when a `path:` filter drops some afterwards.
    pub filtered_fetch: usize,
    /// Passages (best segments) shown per hit.
    pub passages: usize,
    /// A word the searched side does not know may be corrected by one edit from this many
    /// characters on, and by two from [`Ranking::two_typos_chars`] on.
    pub one_typo_chars: usize,
    pub two_typos_chars: usize,
    /// Weight of a corrected term's matches, per edit: below the word as typed.
    pub typo_weight: f32,
    /// Weight of a product name's matches taken for a word typed in another script
    /// ([`crate::loanwords`]; 팀즈 → `teams`): the sound says less than the letters.
    pub loanword_weight: f32,
    /// Weight of each part of a compound the side does not know, taken for two words it does
    /// know ([`crate::compounds`]; Abwesenheitsnotiz → abwesenheit, notiz): a part says less
    /// than the whole.
    pub part_weight: f32,
    /// Weight of a compound a query word starts ([`crate::compounds`]; abwesenheit →
    /// abwesenheitsantworten): it holds the word, and means more.
    pub compound_weight: f32,
    /// Weight of a word the side writes as one that the query typed as two (`one drive` →
    /// `onedrive`; [`crate::compounds::joined`]), for each of the two: together they weigh
    /// about as the word would.
    pub joined_weight: f32,
    /// Known terms a word may be corrected to, the closest and most frequent first.
    pub max_corrections: usize,
    /// Most words of a query corrected on one side: a side that knows fewer of them is not
    /// the query's language.
    pub max_typos: usize,
    /// Weight of the words a user's synonym adds ([`crate::synonyms`]): below the word as
    /// typed.
    pub synonym_weight: f32,
    /// Weight of another form of a query word that the aligned pairs taught
    /// ([`crate::related`]; удалить → удаление): below the word as typed.
    pub form_weight: f32,
    /// Queries of this many words or more are pasted text, not typed: searched without the
    /// words the aligned pairs relate to theirs (forms, likely synonyms, paraphrases, English
    /// renderings), as text this long holds its article's own words and its expansions were a
    /// tenth of its time; and never cut by [`Ranking::shortlist_share`], as the word order
    /// that decides them is not in the first pass. Well above [`Ranking::sentence_words`]:
    /// typed queries of a few more words still miss theirs.
    pub literal_words: usize,
    /// Weight of a likely synonym the aligned pairs taught: lower still, as such links are
    /// often wrong.
    pub mined_synonym_weight: f32,
    /// Weight of an English paraphrase of an English query word that several languages'
    /// aligned pairs agree on (delete → remove).
    pub paraphrase_weight: f32,
    /// Weight of an English rendering of a query word, searched in a locale's English source
    /// text, times the probability of the rendering.
    pub translation_weight: f32,
    /// How much the nearness of the query to a hit's article in its locale's latent space
    /// ([`crate::latent`]) scales the hit's score: by 1 + this × the cosine.
    pub latent_weight: f32,
    /// How many of the best hits the latent space reorders, whatever the limit asked for, so
    /// that a shorter list is the start of a longer one.
    pub latent_depth: usize,
    /// Of those hits, one whose English title does not say something does not work is
    /// weighed by this when the query says so ([`crate::negation`]).
    pub unnegated_weight: f32,
    /// Weight of a query word whose likeliest English rendering is an English function word
    /// ([`crate::function_words`]: `was tun`, "what to do")…
    pub function_word_weight: f32,
    /// …when that rendering has at least this probability: a content word whose renderings
    /// are spread thin may have a function word likeliest by chance…
    pub function_word_share: f32,
    /// …and the query has at least this many words: a shorter one weighed down is a query of
    /// one word, which the function word may be all that narrows ("OneDrive cómo").
    pub function_word_min_words: usize,
    /// Weight of a match in the text of a copy of an article written in another language than
    /// English, in a locale of a third language (the Hungarian copy of a French article):
    /// mostly left in the original language, it would otherwise answer queries in that
    /// language from every locale, ahead of the original's own. Also of a match on such an
    /// article's source side, which holds the original language, not English.
    pub foreign_copy_weight: f32,
    /// Weight of an include (`locsearch_ingest::locale::is_include`): a fragment that pages
    /// paste in, such as a list of other articles' titles, never a page a reader can open,
    /// yet it would often match a query better than the article it names.
    pub include_weight: f32,
}

impl Default for Ranking {
    fn default() -> Self {
        Ranking {
            title_boost: 2.0,
            title_idf_excess: 1.5,
            tie: 0.3,
            phrase_boost: 3.0,
            phrase_slop: 2,
            coverage_power: 3.0,
            coordination_power: 0.5,
            all_in_title: 2.0,
            all_in_body: 1.0,
            reduced_only_coverage: 0.9,
            min_relative_coverage: 0.8,
            route_margin: 10.0,
            english_word_cost: 8.0,
            english_margin: 40.0,
            frequent_share: 0.1,
            segment_decay: 0.1,
            best_segments: 3,
            shortlist: 100,
            shortlist_share: 0.3,
            keyword_terms: 2.0,
            sentence_words: 6,
            filtered_fetch: 10,
            passages: 3,
            one_typo_chars: 4,
            two_typos_chars: 8,
            typo_weight: 0.7,
            loanword_weight: 0.7,
            part_weight: 0.8,
            compound_weight: 0.5,
            joined_weight: 0.5,
            max_corrections: 3,
            max_typos: 2,
            synonym_weight: 0.8,
            form_weight: 0.8,
            literal_words: 10,
            mined_synonym_weight: 0.3,
            paraphrase_weight: 0.3,
            translation_weight: 0.5,
            latent_weight: 1.0,
            latent_depth: 10,
            unnegated_weight: 0.9,
            function_word_weight: 0.5,
            function_word_share: 0.5,
            function_word_min_words: 3,
            foreign_copy_weight: 0.5,
            include_weight: 0.5,
        }
    }
}

impl Ranking {
    /// 1 for keyword-like queries, 0 for sentence-like ones, linear in between: short
    /// queries look like titles and keywords, long ones like pasted sentences.
    pub(crate) fn shortness(&self, terms: usize) -> f32 {
        let sentence = self.sentence_words as f32;
        ((sentence - terms as f32) / (sentence - self.keyword_terms)).clamp(0.0, 1.0)
    }

    /// The share of the best article's first-pass score under which an article is not
    /// scored again ([`Ranking::shortlist_share`]); none for pasted text.
    pub(crate) fn decisive_share(&self, pasted: bool) -> f32 {
        if pasted { 0.0 } else { self.shortlist_share }
    }

    /// Edits a correction of a word of this many characters may make.
    pub(crate) fn typo_edits(&self, chars: usize) -> u8 {
        if chars >= self.two_typos_chars {
            2
        } else if chars >= self.one_typo_chars {
            1
        } else {
            0
        }
    }

    /// The weight of a locale's hits from its coverage of the query.
    pub(crate) fn coverage_weight(&self, coverage: f32) -> f32 {
        coverage.powf(self.coverage_power)
    }

    /// The weight of an article's score from its coordination.
    pub(crate) fn coordination_weight(&self, coordination: f32) -> f32 {
        coordination.powf(self.coordination_power)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortness_runs_from_keywords_to_sentences() {
        let r = Ranking::default();
        assert_eq!(r.shortness(1), 1.0);
        assert_eq!(r.shortness(r.keyword_terms as usize), 1.0);
        assert_eq!(r.shortness(r.sentence_words), 0.0);
        let between = r.shortness(r.sentence_words - 1);
        assert!(between > 0.0 && between < 1.0, "{between}");
    }

    #[test]
    fn best_segments_fit_what_an_article_keeps() {
        assert!(Ranking::default().best_segments <= MAX_BEST_SEGMENTS);
    }
}
