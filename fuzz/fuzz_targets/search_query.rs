//! Fuzzes query handling: any string as a query, a speaker or an entity
//! gives results or an error, never a panic or a hang.

#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use newsidx::index::{ingest, IngestOptions};
use newsidx::search::{SearchRequest, Searcher, Sort};

static SEARCHER: LazyLock<(tempfile::TempDir, Searcher)> = LazyLock::new(|| {
    let dir = tempfile::tempdir().expect("temp dir");
    let corpus = dir.path().join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    std::fs::write(
        corpus.join("a.txt"),
        "---\ndate: 2023-03-21\n---\nXi and Putin meet\n\n“We are friends,” Putin said. Xi agreed.\n",
    )
    .unwrap();
    std::fs::write(
        corpus.join("b.txt"),
        "Rates rise\n\nThe Federal Reserve raised rates.\n",
    )
    .unwrap();
    let ix = dir.path().join("index");
    ingest(&IngestOptions::new(&corpus, &ix), None, &|| {}).expect("ingest");
    let searcher = Searcher::open(&ix).expect("open");
    (dir, searcher)
});

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    let searcher = &SEARCHER.1;
    let (query, rest) = s.split_once('\u{1}').unwrap_or((s, ""));
    let req = SearchRequest {
        query: query.to_owned(),
        speakers: rest
            .split('\u{2}')
            .filter(|x| !x.is_empty())
            .map(str::to_owned)
            .collect(),
        sort: if query.len() % 2 == 0 {
            Sort::Relevance
        } else {
            Sort::Date
        },
        limit: 5,
        ..SearchRequest::default()
    };
    let _ = searcher.search(&req);
    let _ = searcher.quotes(&req);
});
