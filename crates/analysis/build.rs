//! Builds the Japanese dictionary (lindera format) from Debian's `mecab-ipadic` source, which
//! ships EUC-JP CSVs in /usr/share/mecab/dic/ipadic. No network: if the source is missing the
//! build says so and the Japanese analyzer reports itself unavailable (`locsearch doctor`).

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
    let source = std::env::var("LOCSEARCH_IPADIC_SRC")
        .unwrap_or_else(|_| "/usr/share/mecab/dic/ipadic".into());
    let source = Path::new(&source);
    println!("cargo::rerun-if-changed={}", source.display());
    if !source.join("matrix.def").is_file() {
        println!(
            "cargo::warning=Japanese dictionary source not found at {}: ja-JP cannot be indexed. \
             Install it with `apt-get install mecab-ipadic` and rebuild.",
            source.display()
        );
        println!("cargo::rustc-env=LOCSEARCH_IPADIC_BUILT=");
        return;
    }
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR")).join("ipadic");
    if !out.join("metadata.json").is_file() || !out.join("dict.trie").is_file() {
        let metadata = serde_json::from_str(METADATA).expect("metadata");
        let builder = lindera::dictionary::DictionaryBuilder::new(metadata);
        if let Err(e) = builder.build_dictionary(source, &out) {
            println!(
                "cargo::warning=building the Japanese dictionary failed: {e}; ja-JP cannot be indexed"
            );
            println!("cargo::rustc-env=LOCSEARCH_IPADIC_BUILT=");
            return;
        }
    }
    println!("cargo::rustc-env=LOCSEARCH_IPADIC_BUILT={}", out.display());
}
