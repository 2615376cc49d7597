//! A locale's profiles on disk, `DIR/relations/<locale>.grams`: a first line that names the
//! format's version and the CRC-32 of the rest, then little-endian binary, two profiles —
//! the locale's own text, then the English its aligned pairs translate:
//!
//! ```text
//! per profile   u64 total, u32 n-grams, n-grams × (u64 packed n-gram, u32 count)
//! ```
//!
//! Reading never panics: a file of another shape is an error, and its locale is not guessed.

use crate::grams::Gram;
use crate::profile::Profile;

/// The format's version: it changes whenever what is learned or how it is written changes.
pub const VERSION: u32 = 1;

const HEADER: &str = "# locsearch grams";

fn header_prefix() -> String {
    format!("{HEADER} {VERSION} crc32=")
}

/// What a locale's file holds.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LocaleProfiles {
    /// The locale's own text (the target side).
    pub target: Profile,
    /// The English its aligned pairs translate (the source side, where it is English).
    pub english: Profile,
}

/// The file's bytes.
pub fn write(profiles: &LocaleProfiles) -> Vec<u8> {
    let mut body = Vec::new();
    for profile in [&profiles.target, &profiles.english] {
        body.extend_from_slice(&profile.total.to_le_bytes());
        body.extend_from_slice(&(profile.counts.len() as u32).to_le_bytes());
        for (gram, count) in &profile.counts {
            body.extend_from_slice(&gram.0.to_le_bytes());
            body.extend_from_slice(&count.to_le_bytes());
        }
    }
    let mut out = format!("{}{:08x}\n", header_prefix(), crc32fast::hash(&body)).into_bytes();
    out.extend(body);
    out
}

/// Whether the first line (without its newline) names this format and `computed` (the
/// CRC-32 of the rest) is the checksum it records.
pub fn check_checksum(first_line: &[u8], computed: u32) -> Result<(), String> {
    let line = std::str::from_utf8(first_line).map_err(|_| "not an n-gram profile file")?;
    let Some(hex) = line.strip_prefix(&header_prefix()) else {
        return Err(format!("not a version {VERSION} n-gram profile file"));
    };
    match u32::from_str_radix(hex, 16) {
        Ok(recorded) if recorded == computed => Ok(()),
        Ok(_) => Err("its checksum does not match: it was changed or damaged".to_owned()),
        Err(_) => Err("its checksum is unreadable".to_owned()),
    }
}

/// The profiles in a file's bytes, checked against its checksum.
pub fn read(bytes: &[u8]) -> Result<LocaleProfiles, String> {
    let newline = bytes
        .iter()
        .position(|b| *b == b'\n')
        .ok_or("not an n-gram profile file")?;
    let body = &bytes[newline + 1..];
    check_checksum(&bytes[..newline], crc32fast::hash(body))?;
    let mut rest = body;
    let target = read_profile(&mut rest)?;
    let english = read_profile(&mut rest)?;
    if !rest.is_empty() {
        return Err(format!("{} bytes after the profiles", rest.len()));
    }
    Ok(LocaleProfiles { target, english })
}

fn read_profile(rest: &mut &[u8]) -> Result<Profile, String> {
    let total = u64::from_le_bytes(take(rest)?);
    let n = u32::from_le_bytes(take(rest)?) as usize;
    // Twelve bytes an n-gram: a count larger than the file is damage, not an allocation.
    if n > rest.len() / 12 {
        return Err(format!("{n} n-grams in a profile of {} bytes", rest.len()));
    }
    let mut counts = Vec::with_capacity(n);
    for _ in 0..n {
        let gram = Gram(u64::from_le_bytes(take(rest)?));
        counts.push((gram, u32::from_le_bytes(take(rest)?)));
    }
    Ok(Profile { total, counts })
}

fn take<const N: usize>(rest: &mut &[u8]) -> Result<[u8; N], String> {
    let Some((head, tail)) = rest.split_first_chunk::<N>() else {
        return Err("the file ends inside a profile".to_owned());
    };
    *rest = tail;
    Ok(*head)
}
