//! A locale's space on disk, `DIR/relations/<locale>.latent`: a first line that names the
//! format's version and the CRC-32 of the rest, then little-endian binary:
//!
//! ```text
//! u32 dimensions, u32 terms, u32 articles
//! u32 × (terms + 1)     where each term starts in the term text, and where the last ends
//! term text             each term a side byte (T, E) and its UTF-8, sorted
//! per term              f32 IDF, f32 scale, i8 × dimensions
//! u32 × (articles + 1)  where each key starts in the key text, and where the last ends
//! key text              each article key's UTF-8, sorted
//! per article           f32 scale, i8 × dimensions (a unit vector)
//! ```
//!
//! A vector is kept as bytes (each number ÷ its scale, rounded): a locale's file is about
//! 2 MB, a sixth of its numbers as `f32`, and cosines move by less than 0.01. Reading never
//! panics: a file of another shape is not used.

use std::path::Path;

use tantivy::directory::OwnedBytes;

use crate::{Side, normalize, term_weight};

/// The format's version: it changes whenever what is learned or how it is written changes.
pub const VERSION: u32 = 1;

const HEADER: &str = "# locsearch latent";

fn header_prefix() -> String {
    format!("{HEADER} {VERSION} crc32=")
}

/// A learned space, as [`crate::learn`] makes it and [`write`] writes it.
#[derive(Debug, Clone, Default)]
pub struct Space {
    pub dimensions: usize,
    /// Sorted.
    pub terms: Vec<(Side, String)>,
    pub idf: Vec<f32>,
    /// `dimensions` numbers per term.
    pub term_vectors: Vec<f32>,
    /// Sorted, distinct.
    pub keys: Vec<String>,
    /// `dimensions` numbers per key, each vector of unit length or zero.
    pub article_vectors: Vec<f32>,
}

/// The file's bytes.
pub fn write(space: &Space) -> Vec<u8> {
    let mut body = Vec::new();
    let dims = space.dimensions;
    for n in [dims, space.terms.len(), space.keys.len()] {
        body.extend_from_slice(&(n as u32).to_le_bytes());
    }
    let term_texts: Vec<Vec<u8>> = space
        .terms
        .iter()
        .map(|(side, t)| [&[side.byte()], t.as_bytes()].concat())
        .collect();
    write_texts(&mut body, &term_texts);
    for (i, idf) in space.idf.iter().enumerate() {
        body.extend_from_slice(&idf.to_le_bytes());
        write_vector(&mut body, &space.term_vectors[i * dims..(i + 1) * dims]);
    }
    let keys: Vec<Vec<u8>> = space.keys.iter().map(|k| k.as_bytes().to_vec()).collect();
    write_texts(&mut body, &keys);
    for i in 0..space.keys.len() {
        write_vector(&mut body, &space.article_vectors[i * dims..(i + 1) * dims]);
    }
    let mut out = format!("{}{:08x}\n", header_prefix(), crc32fast::hash(&body)).into_bytes();
    out.extend(body);
    out
}

fn write_texts(out: &mut Vec<u8>, texts: &[Vec<u8>]) {
    let mut at = 0u32;
    out.extend_from_slice(&at.to_le_bytes());
    for t in texts {
        at += t.len() as u32;
        out.extend_from_slice(&at.to_le_bytes());
    }
    for t in texts {
        out.extend_from_slice(t);
    }
}

fn write_vector(out: &mut Vec<u8>, vector: &[f32]) {
    let largest = vector.iter().fold(0.0f32, |m, v| m.max(v.abs()));
    let scale = if largest > 0.0 { largest / 127.0 } else { 1.0 };
    out.extend_from_slice(&scale.to_le_bytes());
    out.extend(
        vector
            .iter()
            .map(|v| (v / scale).round().clamp(-127.0, 127.0) as i8 as u8),
    );
}

/// Whether the first line (without its newline) names this format and `computed` (the
/// CRC-32 of the rest) is the checksum it records.
pub fn check_checksum(first_line: &[u8], computed: u32) -> Result<(), String> {
    let line = std::str::from_utf8(first_line).map_err(|_| "not a latent space file")?;
    let Some(hex) = line.strip_prefix(&header_prefix()) else {
        return Err(format!("not a version {VERSION} latent space file"));
    };
    match u32::from_str_radix(hex, 16) {
        Ok(recorded) if recorded == computed => Ok(()),
        Ok(_) => Err("its checksum does not match: it was changed or damaged".to_owned()),
        Err(_) => Err("its checksum is unreadable".to_owned()),
    }
}

/// A space read from its file (mapped from disk), looked up by the query's terms and by the
/// hits' article keys.
#[derive(Debug)]
pub struct Reader {
    bytes: OwnedBytes,
    dimensions: usize,
    terms: Texts,
    term_records: usize,
    keys: Texts,
    key_records: usize,
}

/// A sorted list of texts inside the file: `count` offsets at `offsets`, the texts after.
#[derive(Debug, Clone, Copy)]
struct Texts {
    count: usize,
    offsets: usize,
    start: usize,
}

impl Reader {
    /// The space in `path`; `None` when the file is missing or not of this format.
    pub fn open(path: &Path) -> Option<Reader> {
        Reader::from_bytes(locsearch_relations::file::mapped(path)?)
    }

    /// The space in `bytes`, a file's whole content; `None` when it is not of this format.
    pub fn from_bytes(bytes: OwnedBytes) -> Option<Reader> {
        let data = bytes.as_slice();
        let line_end = data.iter().position(|&b| b == b'\n')?;
        if !data[..line_end].starts_with(header_prefix().as_bytes()) {
            return None;
        }
        let mut at = line_end + 1;
        let dimensions = read_u32(data, at)? as usize;
        let term_count = read_u32(data, at + 4)? as usize;
        let key_count = read_u32(data, at + 8)? as usize;
        at += 12;
        let terms = texts(data, at, term_count)?;
        let term_records = terms.start + read_u32(data, terms.offsets + 4 * term_count)? as usize;
        let keys_at = term_records.checked_add(term_count.checked_mul(8 + dimensions)?)?;
        let keys = texts(data, keys_at, key_count)?;
        let key_records = keys.start + read_u32(data, keys.offsets + 4 * key_count)? as usize;
        let end = key_records.checked_add(key_count.checked_mul(4 + dimensions)?)?;
        (end == data.len()).then_some(Reader {
            bytes,
            dimensions,
            terms,
            term_records,
            keys,
            key_records,
        })
    }

    pub fn dimensions(&self) -> usize {
        self.dimensions
    }

    /// Where the query lies: the sum of its terms' vectors, each weighed as learning weighed
    /// it in an article, of unit length; `None` when it holds no term of the space.
    pub fn query_vector<'a>(
        &self,
        terms: impl IntoIterator<Item = (Side, &'a str, u32)>,
    ) -> Option<Vec<f32>> {
        let mut vector = vec![0.0f32; self.dimensions];
        let mut found = false;
        let mut wanted = Vec::new();
        for (side, term, count) in terms {
            wanted.clear();
            wanted.push(side.byte());
            wanted.extend_from_slice(term.as_bytes());
            let Some(i) = self.find(self.terms, &wanted) else {
                continue;
            };
            let record = self.term_records + i * (8 + self.dimensions);
            let idf = read_f32(self.bytes.as_slice(), record)?;
            found |= self.add_vector(&mut vector, record + 4, term_weight(count, idf));
        }
        normalize(&mut vector);
        (found && vector.iter().any(|v| *v != 0.0)).then_some(vector)
    }

    /// The cosine of a query's vector and the article's; `None` when the space does not
    /// hold the article.
    pub fn similarity(&self, query: &[f32], key: &str) -> Option<f32> {
        let i = self.find(self.keys, key.as_bytes())?;
        let mut vector = vec![0.0f32; self.dimensions];
        self.add_vector(
            &mut vector,
            self.key_records + i * (4 + self.dimensions),
            1.0,
        );
        normalize(&mut vector);
        Some(vector.iter().zip(query).map(|(a, b)| a * b).sum())
    }

    /// Adds `factor` times the vector stored at `at` (its scale, then its bytes).
    fn add_vector(&self, out: &mut [f32], at: usize, factor: f32) -> bool {
        let data = self.bytes.as_slice();
        let (Some(scale), Some(values)) = (
            read_f32(data, at),
            data.get(at + 4..at + 4 + self.dimensions),
        ) else {
            return false;
        };
        for (o, &v) in out.iter_mut().zip(values) {
            *o += factor * scale * f32::from(v as i8);
        }
        true
    }

    /// The index of `wanted` among `texts`, by binary search.
    fn find(&self, texts: Texts, wanted: &[u8]) -> Option<usize> {
        let data = self.bytes.as_slice();
        let text = |i: usize| -> Option<&[u8]> {
            let from = read_u32(data, texts.offsets + 4 * i)? as usize;
            let to = read_u32(data, texts.offsets + 4 * (i + 1))? as usize;
            data.get(texts.start + from..texts.start + to)
        };
        let (mut low, mut high) = (0, texts.count);
        while low < high {
            let middle = low + (high - low) / 2;
            match text(middle)?.cmp(wanted) {
                std::cmp::Ordering::Less => low = middle + 1,
                std::cmp::Ordering::Greater => high = middle,
                std::cmp::Ordering::Equal => return Some(middle),
            }
        }
        None
    }
}

fn texts(data: &[u8], offsets: usize, count: usize) -> Option<Texts> {
    let start = offsets.checked_add(count.checked_add(1)?.checked_mul(4)?)?;
    (start <= data.len()).then_some(Texts {
        count,
        offsets,
        start,
    })
}

fn read_u32(data: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(
        data.get(at..at.checked_add(4)?)?.try_into().ok()?,
    ))
}

fn read_f32(data: &[u8], at: usize) -> Option<f32> {
    read_u32(data, at).map(f32::from_bits)
}
