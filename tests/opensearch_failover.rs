//! One of the cluster's two nodes stops (SIGKILL) in the middle of an
//! ingest: the run rides it out or fails, and a second run leaves exactly
//! the directory's documents, none lost and none twice.
//!
//! A test binary of its own: it stops a node of the cluster the other
//! backend tests use, so it must not run beside them (cargo runs test
//! binaries one after another). It starts the node again at the end.
//! Needs the cluster of `.ci/run` (see `tests/cluster/mod.rs`).

mod cluster;
mod util;

use std::process::Stdio;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use cluster::{cluster_sh, http, TestIndex};
use util::{run_of, Env};

/// Copies of `sample_corpus/`: enough files that the ingest is still
/// sending when the node is stopped.
const COPIES: usize = 24;

/// Starts node 2 again when the test ends, however it ends.
struct Restart;

impl Drop for Restart {
    fn drop(&mut self) {
        cluster_sh(&["start-node", "2"]);
    }
}

/// Node 1's and node 2's HTTP addresses (node 2's port is the next).
fn nodes() -> (String, String) {
    let one = cluster::url();
    let port: u16 = one
        .rsplit(':')
        .next()
        .and_then(|p| p.parse().ok())
        .expect("the URL ends with its port");
    let two = format!("{}:{}", &one[..one.rfind(':').unwrap()], port + 1);
    (one, two)
}

#[test]
#[ignore = "needs OpenSearch: NEWSIDX_TEST_OPENSEARCH=URL, -- --ignored (.ci/run starts a cluster)"]
fn a_node_stopped_mid_bulk_loses_and_doubles_nothing() {
    let env = Env::new();
    let sample = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_corpus");
    for i in 0..COPIES {
        util::copy_dir(&sample, &env.corpus().join(format!("copy{i:02}")));
    }
    let files = util::file_count(&env.corpus()) as u64;
    // What the directory holds, from the embedded index.
    let run = env.run(&["index", env.corpus().to_str().unwrap(), "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let expected = run.json();
    let (articles, quotes) = (
        expected["articles"].as_u64().unwrap(),
        expected["quotes"].as_u64().unwrap(),
    );

    // The index's one primary shard on node 2, its replica on node 1:
    // stopping node 2 takes the primary away mid-write.
    let os = TestIndex::new("failover");
    let mut body = newsidx::backend::opensearch::mapping::index_body(
        newsidx::backend::opensearch::mapping::Layout {
            shards: 1,
            replicas: 0,
        },
    );
    body["settings"]["index"]["routing.allocation.require._name"] = json!("node2");
    let (status, v) = http("PUT", &format!("/{}", os.name), Some(&body));
    assert_eq!(status, 200, "{v}");
    http(
        "GET",
        &format!(
            "/_cluster/health/{}?wait_for_status=green&timeout=60s",
            os.name
        ),
        None,
    );
    let (status, v) = http(
        "PUT",
        &format!("/{}/_settings", os.name),
        Some(&json!({"index": {
            "number_of_replicas": 1,
            "routing.allocation.require._name": null
        }})),
    );
    assert_eq!(status, 200, "{v}");
    let (_, health) = http(
        "GET",
        &format!(
            "/_cluster/health/{}?wait_for_status=green&timeout=60s",
            os.name
        ),
        None,
    );
    assert_eq!(health["status"], "green", "{health}");
    let (_, shards) = http(
        "GET",
        &format!("/_cat/shards/{}?format=json", os.name),
        None,
    );
    let primary = shards
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["prirep"] == "p")
        .cloned()
        .unwrap_or(Value::Null);
    assert_eq!(primary["node"], "node2", "{shards}");

    // Node 2 first: requests go there until it is gone.
    let (one, two) = nodes();
    let backend = format!("opensearch={two},{one}");
    let corpus = env.corpus();
    let index = || {
        let args = [
            "--backend",
            backend.as_str(),
            "index",
            corpus.to_str().unwrap(),
            "--json",
            "--bulk-docs",
            "100",
        ];
        let mut cmd = env.command(&args);
        cmd.env("NEWSIDX_OPENSEARCH_INDEX", &os.name)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        cmd
    };
    let _restart = Restart;
    let child = index().spawn().expect("newsidx runs");
    // Once the first documents are in, node 2 goes.
    let started = Instant::now();
    loop {
        let (_, c) = http(
            "POST",
            &format!("/{}/_count", os.name),
            Some(&json!({"query": {"match_all": {}}})),
        );
        if c["count"].as_u64().unwrap_or(0) > 0 {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "no document arrived in 2 minutes"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    cluster_sh(&["kill-node", "2"]);
    let killed_at = started.elapsed();
    let first = run_of(child.wait_with_output().unwrap());
    eprintln!(
        "first run (node 2 killed after {:.1} s): exit {}\n{}",
        killed_at.as_secs_f64(),
        first.code,
        first.stderr
    );
    // The stop must have landed while documents were being sent: the run
    // failed, or it retried.
    if first.code == 0 {
        let s = first.json();
        let c = &s["cluster"];
        let retried = c["retries"].as_u64().unwrap() + c["item_retries"].as_u64().unwrap();
        assert!(
            retried > 0,
            "the node was stopped, yet nothing was retried (the run finished first?): {s}"
        );
        // All files sent: only the ones the stop interrupted.
        assert!(s["added"].as_u64().unwrap() > 0, "{s}");
    }
    let (_, count) = http(
        "POST",
        &format!("/{}/_count", os.name),
        Some(&json!({"query": {"term": {"kind": "file"}}})),
    );
    eprintln!("file records after the first run: {count}");

    // The re-run, on the one node left.
    let second = run_of(index().output().unwrap());
    assert_eq!(second.code, 0, "{}", second.stderr);
    eprintln!("second run: {}", second.stderr);

    // Exactly the directory: every article, quote and file once.
    assert_eq!(os.count("article"), articles);
    assert_eq!(os.count("quote"), quotes);
    assert_eq!(os.count("file"), files);
    let (_, dup) = http(
        "POST",
        &format!("/{}/_search", os.name),
        Some(&json!({
            "size": 0,
            "query": {"term": {"kind": "article"}},
            "aggs": {"twice": {"terms": {"field": "key", "min_doc_count": 2, "size": 10}}}
        })),
    );
    assert_eq!(
        dup["aggregations"]["twice"]["buckets"],
        json!([]),
        "files with two article documents: {dup}"
    );
    // And a third run has nothing to do.
    let third = run_of(index().output().unwrap());
    assert_eq!(third.code, 0, "{}", third.stderr);
    assert_eq!(third.json()["unchanged"], files, "{}", third.stdout);
}
