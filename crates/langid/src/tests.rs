use proptest::prelude::*;

use crate::file::{self, LocaleProfiles};
use crate::{Gram, Guesser, Learning, Profile, grams};

fn grams_of(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    grams(text, |gram| out.push(gram.text()));
    out
}

proptest! {
    #[test]
    fn a_gram_is_its_text(text in "[^\\x00]{1,3}") {
        let gram = Gram::from_text(&text).unwrap();
        prop_assert_eq!(gram.text(), text.clone());
        prop_assert_eq!(gram.is_ascii(), text.is_ascii());
    }
}

#[test]
fn only_one_to_three_characters_make_a_gram() {
    assert_eq!(Gram::from_text(""), None);
    assert_eq!(Gram::from_text("abcd"), None);
}

#[test]
fn a_folded_profile_adds_the_counts_of_grams_that_fold_alike() {
    let learning = Learning::default();
    let profile = Profile::learn(["löschen loschen Straße"], &learning);
    let fold = |text: &str| text.replace('ö', "o").replace('ß', "ss");
    let folded = profile.folded(fold);
    let count = |profile: &Profile, text: &str| {
        let gram = Gram::from_text(text).unwrap();
        profile
            .counts
            .iter()
            .find(|(g, _)| *g == gram)
            .map_or(0, |(_, c)| *c)
    };
    assert_eq!(count(&profile, "sch"), 2);
    assert_eq!(count(&profile, "lös") + count(&profile, "los"), 2);
    assert_eq!(count(&folded, "los"), 2);
    assert_eq!(count(&folded, "lös"), 0);
    // `aß` folds to `ass`; `aße` to four characters, no n-gram: left out, its count kept
    // in the total.
    assert_eq!(count(&folded, "ass"), 1);
    assert!(folded.counts.iter().all(|(g, _)| !g.text().contains('ß')));
    assert_eq!(folded.total, profile.total);
    assert!(
        folded.counts.windows(2).all(|w| w[0].0 < w[1].0),
        "sorted, each once"
    );
}

#[test]
fn a_word_gives_its_grams_between_two_edges() {
    assert_eq!(grams_of("Ab"), ["a", " a", "b", "ab", " ab", "b ", "ab "]);
    assert_eq!(grams_of("a1b"), grams_of("a b"), "a digit separates words");
    assert!(grams_of("42 — ...").is_empty());
}

#[test]
fn letters_are_lowered_and_keep_their_accents() {
    assert_eq!(grams_of("LÖSCHEN"), grams_of("löschen"));
    assert_ne!(grams_of("löschen"), grams_of("loschen"));
    assert_eq!(
        grams_of("नमस्ते").len(),
        3 * 6 + 1,
        "a mark is inside its word"
    );
}

const GERMAN: &str = "Wenn Sie einen Benutzer löschen, werden seine Lizenzen freigegeben. \
    Melden Sie sich beim Microsoft 365 Admin Center an und wählen Sie Benutzer aus. \
    Das Kennwort wurde zurückgesetzt, und der Benutzer muss es bei der nächsten Anmeldung ändern.";
const DUTCH: &str = "Als u een gebruiker verwijdert, worden de licenties vrijgegeven. \
    Meld u aan bij het Microsoft 365-beheercentrum en selecteer Gebruikers. \
    Het wachtwoord is opnieuw ingesteld en de gebruiker moet het bij de volgende aanmelding wijzigen.";
const ENGLISH: &str = "When you delete a user, their licenses are released. \
    Sign in to the Microsoft 365 admin center and select Users. \
    The password was reset, and the user must change it at their next sign-in.";

fn guesser() -> Guesser {
    let learning = Learning::default();
    let profiles: Vec<Profile> = [GERMAN, DUTCH, ENGLISH]
        .into_iter()
        .map(|text| Profile::learn([text], &learning))
        .collect();
    Guesser::new(&profiles.iter().collect::<Vec<_>>())
}

fn likeliest(guesser: &Guesser, text: &str) -> usize {
    let scores = guesser.scores(text, None);
    (0..scores.len())
        .max_by(|a, b| scores[*a].total_cmp(&scores[*b]))
        .unwrap()
}

#[test]
fn a_query_is_likeliest_in_the_language_it_is_typed_in() {
    let guesser = guesser();
    assert_eq!(likeliest(&guesser, "benutzer loschen admin"), 0);
    assert_eq!(likeliest(&guesser, "gebruiker verwijderen"), 1);
    assert_eq!(likeliest(&guesser, "delete a user"), 2);
    assert_eq!(
        guesser.scores("365", None),
        [0.0; 3],
        "no letters, no evidence"
    );
}

#[test]
fn an_english_name_does_not_choose_the_language() {
    let guesser = guesser();
    // The German text says "Admin Center", the Dutch one "beheercentrum".
    let plain = guesser.scores("admin center", None);
    assert!(plain[0] > plain[1] + 10.0, "{plain:?}");
    // Read as borrowed from English, at a cost of 2 nats a word, it no longer rules Dutch
    // out.
    let borrowing = guesser.scores("admin center", Some((2, 2.0)));
    assert!(borrowing[0] - borrowing[1] < 10.0, "{borrowing:?}");
    assert!(borrowing[1] >= borrowing[2] - 4.0 - 1e-3);
}

#[test]
fn a_profile_keeps_its_most_frequent_grams_and_counts_them_all() {
    let learning = Learning { max_grams: 2 };
    let profile = Profile::learn(["aaa ab"], &learning);
    assert_eq!(profile.total, grams_of("aaa ab").len() as u64);
    let kept: Vec<u32> = profile.counts.iter().map(|(_, c)| *c).collect();
    assert_eq!(kept, [4, 2], "a (4×), then ` a` (2×), in n-gram order");
    let merged = Profile::merge([&profile, &profile], &learning);
    assert_eq!(merged.total, 2 * profile.total);
    assert_eq!(merged.counts[0].1, 8);
}

#[test]
fn a_damaged_file_is_an_error() {
    let profiles = LocaleProfiles {
        target: Profile::learn([GERMAN], &Learning::default()),
        english: Profile::learn([ENGLISH], &Learning::default()),
    };
    let mut bytes = file::write(&profiles);
    assert_eq!(file::read(&bytes), Ok(profiles));
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    assert!(file::read(&bytes).unwrap_err().contains("checksum"));
    assert!(file::read(b"# locsearch grams 0 crc32=00000000\n").is_err());
}

fn arbitrary_profile() -> impl Strategy<Value = Profile> {
    (
        any::<u64>(),
        prop::collection::btree_map(any::<u64>(), any::<u32>(), 0..40),
    )
        .prop_map(|(total, counts)| Profile {
            total,
            counts: counts.into_iter().map(|(g, c)| (Gram(g), c)).collect(),
        })
}

proptest! {
    #[test]
    fn a_word_of_k_letters_gives_3k_plus_1_grams(text in "[a-zA-Z0-9 éÖłø.,-]{0,60}") {
        // Each of these letters is one letter lowered.
        let expected: usize = text
            .split(|c: char| !c.is_alphabetic())
            .filter(|w| !w.is_empty())
            .map(|w| 3 * w.chars().count() + 1)
            .sum();
        prop_assert_eq!(grams_of(&text).len(), expected);
    }

    #[test]
    fn every_gram_of_any_text_is_one_to_three_characters(text in "\\PC{0,60}") {
        for gram in grams_of(&text) {
            prop_assert!((1..=3).contains(&gram.chars().count()), "{:?}", gram);
        }
    }

    #[test]
    fn a_borrowed_word_costs_every_language_at_most_the_cost(text in "[a-z ]{0,40}", cost in 0.0f32..20.0) {
        let guesser = guesser();
        let plain = guesser.scores(&text, None);
        let borrowing = guesser.scores(&text, Some((2, cost)));
        let words = text.split_whitespace().count() as f32;
        prop_assert_eq!(borrowing[2], plain[2]);
        for language in 0..2 {
            prop_assert!(borrowing[language] >= plain[language] - 1e-3);
            prop_assert!(borrowing[language] >= plain[2] - cost * words - 1e-3 * (1.0 + words));
        }
    }

    #[test]
    fn a_profile_folded_a_character_at_a_time_is_its_grams_folded_whole(text in "[a-zäöüßłøæñçéè ]{0,80}") {
        let fold = |text: &str| {
            text.replace(['ä', 'æ'], "a").replace('ö', "o").replace('ü', "ue").replace('ß', "ss")
                .replace('ł', "l").replace('ø', "").replace('ñ', "n").replace('ç', "c")
        };
        let profile = Profile::learn([text.as_str()], &Learning::default());
        let mut whole: Vec<(Gram, u32)> = profile
            .counts
            .iter()
            .filter_map(|(gram, count)| Some((Gram::from_text(&fold(&gram.text()))?, *count)))
            .collect();
        whole.sort_by_key(|(gram, _)| *gram);
        whole.dedup_by(|next, kept| {
            let same = next.0 == kept.0;
            if same {
                kept.1 += next.1;
            }
            same
        });
        let folded = profile.folded(fold);
        prop_assert_eq!(folded.counts, whole);
        prop_assert_eq!(folded.total, profile.total);
    }

    #[test]
    fn a_file_reads_back_what_was_written(target in arbitrary_profile(), english in arbitrary_profile()) {
        let profiles = LocaleProfiles { target, english };
        prop_assert_eq!(file::read(&file::write(&profiles)), Ok(profiles));
    }

    #[test]
    fn reading_any_bytes_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        let _ = file::read(&bytes);
    }

    #[test]
    fn reading_a_cut_file_is_an_error(cut in 0usize..1000) {
        let profiles = LocaleProfiles {
            target: Profile::learn([GERMAN], &Learning::default()),
            english: Profile::learn([ENGLISH], &Learning::default()),
        };
        let bytes = file::write(&profiles);
        let cut = cut.min(bytes.len() - 1);
        prop_assert!(file::read(&bytes[..cut]).is_err());
    }
}
