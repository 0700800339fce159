//! End-to-end: the parser version that incremental indexing keys on is the
//! digest of what `parse --json` extracts from `sample_corpus/` and the
//! format fixtures, so no extraction change can leave it stale: an
//! unchanged file indexed before the change is extracted again.

mod util;

use std::path::Path;

use util::Env;

/// Where the digest lives; `src/index/ingest.rs` compiles it in.
const DIGEST: &str = "src/index/extraction.digest";

#[test]
fn the_parser_version_is_the_digest_of_the_extraction() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut args = vec![
        "parse".to_owned(),
        "--json".to_owned(),
        root.join("sample_corpus").display().to_string(),
        root.join("tests/fixtures/json").display().to_string(),
    ];
    let mut pages: Vec<String> = std::fs::read_dir(root.join("tests/fixtures/html"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .map(|p| p.display().to_string())
        .collect();
    pages.sort();
    args.extend(pages);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let run = Env::new().run(&args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.lines().count() > 50, "{}", run.stderr);
    let digest = blake3::hash(run.stdout.as_bytes()).to_hex()[..16].to_owned();
    let recorded = std::fs::read_to_string(root.join(DIGEST)).unwrap();
    assert_eq!(
        recorded.trim(),
        digest,
        "extraction output changed: write {digest} to {DIGEST}; it is the parser \
         version, so re-indexing will extract every file again"
    );
}
