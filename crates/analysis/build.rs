//! Builds the Japanese dictionary (lindera format) from the IPADIC source that comes with the
//! crate (`dict/ipadic.tar.xz`, EUC-JP CSVs; `dict/README.md`), or from the directory
//! `LOCSEARCH_IPADIC_SRC` names. No network and no system package: if the build fails it says
//! so and the Japanese analyzer reports itself unavailable (`locsearch doctor`).

use std::path::{Path, PathBuf};

/// lindera-ipadic's metadata.json, with the encoding of Debian's source files.
const METADATA: &str = r#"{
  "name": "ipadic",
  "encoding": "EUC-JP",
  "default_word_cost": -10000,
  "default_left_context_id": 0,
  "default_right_context_id": 0,
  "default_field_value": "*",
  "flexible_csv": true,
  "skip_invalid_cost_or_id": false,
  "normalize_details": true,
  "dictionary_schema": { "fields": ["surface", "left_context_id", "right_context_id", "cost",
    "part_of_speech", "part_of_speech_subcategory_1", "part_of_speech_subcategory_2",
    "part_of_speech_subcategory_3", "conjugation_form", "conjugation_type", "base_form",
    "reading", "pronunciation"] },
  "user_dictionary_schema": { "fields": ["surface", "part_of_speech", "reading"] }
}"#;

fn main() {
    println!("cargo::rerun-if-env-changed=LOCSEARCH_IPADIC_SRC");
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR"));
    let source = match std::env::var_os("LOCSEARCH_IPADIC_SRC") {
        Some(dir) => PathBuf::from(dir),
        None => match unpack_vendored(&out_dir) {
            Ok(dir) => dir,
            Err(e) => return unavailable(&format!("unpacking {VENDORED} failed: {e}")),
        },
    };
    println!("cargo::rerun-if-changed={}", source.display());
    if !source.join("matrix.def").is_file() {
        return unavailable(&format!(
            "no IPADIC source at {} (matrix.def missing); unset LOCSEARCH_IPADIC_SRC to use the one that comes with locsearch",
            source.display()
        ));
    }
    let out = out_dir.join("ipadic");
    if !out.join("metadata.json").is_file() || !out.join("dict.trie").is_file() {
        let metadata = serde_json::from_str(METADATA).expect("metadata");
        let builder = lindera::dictionary::DictionaryBuilder::new(metadata);
        if let Err(e) = builder.build_dictionary(&source, &out) {
            return unavailable(&format!("building the Japanese dictionary failed: {e}"));
        }
    }
    println!("cargo::rustc-env=LOCSEARCH_IPADIC_BUILT={}", out.display());
}

/// The IPADIC source archive that comes with the crate.
const VENDORED: &str = "dict/ipadic.tar.xz";

/// Unpacks the vendored source into `out_dir/ipadic-src` once; its directory.
fn unpack_vendored(out_dir: &Path) -> std::io::Result<PathBuf> {
    println!("cargo::rerun-if-changed={VENDORED}");
    let target = out_dir.join("ipadic-src");
    let source = target.join("ipadic");
    if source.join("matrix.def").is_file() {
        return Ok(source);
    }
    let mut compressed = std::io::BufReader::new(std::fs::File::open(VENDORED)?);
    let mut archive = Vec::new();
    lzma_rs::xz_decompress(&mut compressed, &mut archive)
        .map_err(|e| std::io::Error::other(format!("{e:?}")))?;
    tar::Archive::new(archive.as_slice()).unpack(&target)?;
    Ok(source)
}

/// The build goes on without Japanese, and says why.
fn unavailable(why: &str) {
    println!("cargo::warning={why}: ja-JP cannot be indexed");
    println!("cargo::rustc-env=LOCSEARCH_IPADIC_BUILT=");
}
