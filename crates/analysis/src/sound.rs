//! How an English name sounds, as a key that survives writing it in another script.
//!
//! Localized text keeps product names in Latin letters (`Teams`, `OneDrive`), but users type
//! them as they say them: 팀즈, тимс, エクセル, אופיס, ويندوز. A word's key is its consonants in
//! seven coarse classes, in order, doubled classes merged, with a mark when it starts with a
//! vowel: 팀즈, тимс and `teams` are all `tms`. The classes are coarse because scripts merge
//! what English tells apart (Korean has no `f` or `v`, Arabic no `p`), and vowels are dropped
//! because every script renders them differently. A key says "may sound alike", never
//! "is": the caller keeps the most frequent of the names sharing it.

/// The key's mark for a word that starts with a vowel (or a sound no script writes: `h`, `w`).
const VOWEL_START: char = '_';

/// The keys of an English word (ASCII letters, lower case): English spelling hides its
/// sound, so there are variants — `r` after a vowel is often not written (쉐어포인트 for
/// SharePoint), `w` is a vowel in Korean or Japanese and a `v` in Russian (виндовс).
pub fn latin_sound_keys(word: &str) -> Vec<String> {
    if word.is_empty() || !word.bytes().all(|b| b.is_ascii_lowercase()) {
        return Vec::new();
    }
    let mut keys: Vec<String> = Vec::new();
    for keep_r in [true, false] {
        for w_as_v in [false, true] {
            let key = latin_key(word.as_bytes(), keep_r, w_as_v);
            if !keys.contains(&key) {
                keys.push(key);
            }
        }
    }
    keys
}

fn latin_key(word: &[u8], keep_r: bool, w_as_v: bool) -> String {
    let mut classes = String::new();
    let mut i = 0;
    while i < word.len() {
        let next = word.get(i + 1).copied();
        let (sound, width): (&str, usize) = match (word[i], next) {
            (b'p', Some(b'h')) => ("p", 2),
            (b't' | b'c', Some(b'h')) => ("t", 2),
            (b's', Some(b'h')) => ("s", 2),
            (b'c', Some(b'k')) | (b'q', Some(b'u')) => ("k", 2),
            (b'g', Some(b'h')) => ("", 2),
            (b'c', Some(b'e' | b'i' | b'y')) => ("s", 1),
            (b'x', _) => ("ks", 1),
            (b'r', _) if !keep_r => ("", 1),
            (b'w', _) if w_as_v => ("p", 1),
            (letter, _) => (latin_class(letter), 1),
        };
        classes.push_str(sound);
        if i == 0 && sound.is_empty() {
            classes.push(VOWEL_START);
        }
        i += width;
    }
    merged(&classes)
}

/// The class of one English letter; vowels, `h`, `w` and `y` have none.
fn latin_class(letter: u8) -> &'static str {
    match letter {
        b'b' | b'p' | b'f' | b'v' => "p",
        b'd' | b't' => "t",
        b'c' | b'g' | b'k' | b'q' => "k",
        b'j' | b's' | b'z' => "s",
        b'l' | b'r' => "l",
        b'm' => "m",
        b'n' => "n",
        _ => "",
    }
}

/// The keys of a word written in Hangul, kana, Cyrillic, Greek, Arabic or Hebrew; none for
/// a word with any other character (Latin letters are the names themselves; Han characters
/// are meanings, not sounds). A Hebrew or Arabic word may carry a one-letter prefix (`ב`
/// "in", `و` "and") or the article `ال`: the word without it is a key too.
pub fn native_sound_keys(word: &str) -> Vec<String> {
    let mut keys = Vec::new();
    if let Some(key) = native_key(word) {
        keys.push(key);
    }
    for prefix in [
        "ال", "ב", "ה", "ו", "כ", "ל", "מ", "ש", "و", "ب", "ل", "ف", "ك",
    ] {
        if let Some(rest) = word.strip_prefix(prefix).filter(|r| r.chars().count() >= 2)
            && let Some(key) = native_key(rest)
            && !keys.contains(&key)
        {
            keys.push(key);
        }
    }
    keys
}

fn native_key(word: &str) -> Option<String> {
    let mut classes = String::new();
    for (i, c) in word.chars().enumerate() {
        let (onset, coda) = native_sounds(c)?;
        if i == 0 && onset.is_empty() {
            classes.push(VOWEL_START);
        }
        classes.push_str(onset);
        classes.push_str(coda);
    }
    (!word.is_empty()).then(|| merged(&classes))
}

/// The classes of one character: its onset, and a Hangul syllable's final consonant;
/// `None` outside the scripts keyed.
fn native_sounds(c: char) -> Option<(&'static str, &'static str)> {
    let onset = match c {
        '\u{AC00}'..='\u{D7A3}' => return Some(hangul(c)),
        '\u{30A1}'..='\u{30F6}' => kana(c),
        // Hiragana: the same sounds, 0x60 below.
        '\u{3041}'..='\u{3096}' => kana(char::from_u32(c as u32 + 0x60)?),
        // The long-vowel mark.
        'ー' => "",
        _ => cyrillic(c)
            .or_else(|| greek(c))
            .or_else(|| arabic(c))
            .or_else(|| hebrew(c))?,
    };
    Some((onset, ""))
}

/// A Hangul syllable's initial and final consonants.
fn hangul(c: char) -> (&'static str, &'static str) {
    const INITIALS: [&str; 19] = [
        "k", "k", "n", "t", "t", "l", "m", "p", "p", "s", "s", "", "s", "s", "t", "k", "t", "p", "",
    ];
    // A loanword's final ㅅ is a `t` (아웃룩, Outlook); a final ㅇ is `ng`.
    const FINALS: [&str; 28] = [
        "", "k", "k", "ks", "n", "ns", "n", "t", "l", "lk", "lm", "lp", "ls", "lt", "lp", "l", "m",
        "p", "ps", "t", "t", "nk", "t", "t", "k", "t", "p", "",
    ];
    let syllable = c as usize - 0xAC00;
    (INITIALS[syllable / 588], FINALS[syllable % 28])
}

/// A katakana character's consonant, in the order of the block from ァ (U+30A1) to ヶ.
fn kana(c: char) -> &'static str {
    const SOUNDS: &str = concat!(
        "----------",
        "kkkkkkkkkk",
        "ssssssssss",
        "ttts-tstttt",
        "nnnnn",
        "-pp-ppppp-pp-pp",
        "mmmmm",
        "------",
        "lllll",
        "-----",
        "npkk"
    );
    let index = c as usize - 0x30A1;
    match SOUNDS.as_bytes().get(index) {
        Some(b'k') => "k",
        Some(b's') => "s",
        Some(b't') => "t",
        Some(b'n') => "n",
        Some(b'p') => "p",
        Some(b'm') => "m",
        Some(b'l') => "l",
        _ => "",
    }
}

fn cyrillic(c: char) -> Option<&'static str> {
    Some(match c {
        'б' | 'в' | 'п' | 'ф' => "p",
        'г' | 'ґ' | 'к' => "k",
        'д' | 'т' | 'ч' | 'ћ' => "t",
        'ж' | 'з' | 'с' | 'ц' | 'ш' | 'щ' | 'ђ' | 'џ' => "s",
        'л' | 'љ' | 'р' => "l",
        'м' => "m",
        'н' | 'њ' => "n",
        'а' | 'е' | 'ё' | 'и' | 'й' | 'о' | 'у' | 'х' | 'ъ' | 'ы' | 'ь' | 'э' | 'ю' | 'я' | 'і'
        | 'ї' | 'є' | 'ј' => "",
        _ => return None,
    })
}

fn greek(c: char) -> Option<&'static str> {
    Some(match c {
        'β' | 'π' | 'φ' => "p",
        'γ' | 'κ' | 'χ' => "k",
        'δ' | 'θ' | 'τ' => "t",
        'ζ' | 'σ' | 'ς' => "s",
        'ξ' => "ks",
        'ψ' => "ps",
        'λ' | 'ρ' => "l",
        'μ' => "m",
        'ν' => "n",
        'α' | 'ε' | 'η' | 'ι' | 'ο' | 'υ' | 'ω' | 'ά' | 'έ' | 'ή' | 'ί' | 'ό' | 'ύ' | 'ώ' | 'ϊ'
        | 'ϋ' | 'ΐ' | 'ΰ' => "",
        _ => return None,
    })
}

fn arabic(c: char) -> Option<&'static str> {
    Some(match c {
        'ب' | 'ف' | 'پ' | 'ڤ' => "p",
        'ت' | 'د' | 'ض' | 'ط' | 'چ' => "t",
        'ث' | 'ج' | 'ذ' | 'ز' | 'س' | 'ش' | 'ص' | 'ظ' | 'ژ' => "s",
        'خ' | 'غ' | 'ق' | 'ك' | 'ک' | 'گ' => "k",
        'ر' | 'ل' => "l",
        'م' => "m",
        'ن' => "n",
        'ا' | 'أ' | 'إ' | 'آ' | 'ء' | 'ئ' | 'ؤ' | 'ح' | 'ع' | 'ه' | 'ة' | 'و' | 'ي' | 'ى' | 'ی' => {
            ""
        }
        _ => return None,
    })
}

fn hebrew(c: char) -> Option<&'static str> {
    Some(match c {
        'ב' | 'פ' | 'ף' => "p",
        'ד' | 'ט' | 'ת' => "t",
        'ז' | 'ס' | 'צ' | 'ץ' | 'ש' => "s",
        'ג' | 'ח' | 'כ' | 'ך' | 'ק' => "k",
        'ל' | 'ר' => "l",
        'מ' | 'ם' => "m",
        'נ' | 'ן' => "n",
        'א' | 'ה' | 'ו' | 'י' | 'ע' | '\'' | '׳' => "",
        _ => return None,
    })
}

/// Runs of one class merged: a doubled letter, or two letters of one class (`bp`), is one
/// sound as another script writes it.
fn merged(classes: &str) -> String {
    let mut out = String::with_capacity(classes.len());
    for c in classes.chars() {
        if !out.ends_with(c) {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn meets(native: &str, english: &str) -> bool {
        let latin = latin_sound_keys(english);
        native_sound_keys(native).iter().any(|k| latin.contains(k))
    }

    /// Names as users of seven scripts write them meet the name the text keeps.
    #[test]
    fn a_name_written_in_another_script_meets_its_latin_spelling() {
        for (native, english) in [
            ("팀즈", "teams"),
            ("엑셀", "excel"),
            ("원드라이브", "onedrive"),
            ("아웃룩", "outlook"),
            ("파워포인트", "powerpoint"),
            ("тимс", "teams"),
            ("виндовс", "windows"),
            ("эксель", "excel"),
            ("エクセル", "excel"),
            ("チムズ", "teams"),
            ("ワンドライブ", "onedrive"),
            ("אופיס", "office"),
            ("באייפון", "iphone"),
            ("ويندوز", "windows"),
            ("σκαιπ", "skype"),
        ] {
            assert!(
                meets(native, english),
                "{native} {:?} vs {english} {:?}",
                native_sound_keys(native),
                latin_sound_keys(english)
            );
        }
    }

    /// The key tells names apart that differ in a consonant or in how they start.
    #[test]
    fn names_that_sound_different_do_not_meet() {
        for (native, english) in [
            ("팀즈", "items"),
            ("엑셀", "access"),
            ("тимс", "tips"),
            ("эксель", "export"),
            ("아웃룩", "outline"),
        ] {
            assert!(!meets(native, english), "{native} met {english}");
        }
    }

    /// Latin, Han and digits are not keyed: they are no other script's rendering of a name.
    #[test]
    fn words_of_other_scripts_have_no_key() {
        for word in ["teams", "会議", "365", "팀즈365", ""] {
            assert!(native_sound_keys(word).is_empty(), "{word}");
        }
        assert!(latin_sound_keys("Teams").is_empty());
    }

    proptest! {
        /// Any text: no panic, and every key is made of the classes and the start mark.
        #[test]
        fn keys_are_made_of_the_classes(word in "\\PC{0,12}") {
            for key in native_sound_keys(&word).into_iter().chain(latin_sound_keys(&word)) {
                prop_assert!(key.chars().all(|c| "ptkslmn_".contains(c)), "{key}");
            }
        }
    }
}
