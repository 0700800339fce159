//! The OpenSearch cluster the backend tests run against: its address from
//! `NEWSIDX_TEST_OPENSEARCH` (`.ci/run` starts a 2-node cluster with
//! `tests/support/opensearch/cluster.sh` and sets it), an index of each
//! test's own, deleted when the test ends.
//!
//! These tests are `#[ignore]`d, so that `cargo test` without a cluster
//! says so instead of passing; run with `-- --ignored` and the variable
//! set, they fail loudly when it is not.

#![allow(dead_code)]

use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use serde_json::Value;

/// How the tests are told where the cluster is.
pub const ENV_URL: &str = "NEWSIDX_TEST_OPENSEARCH";

/// The cluster's URL; panics saying how to start one when it is not set.
pub fn url() -> String {
    match std::env::var(ENV_URL) {
        Ok(u) if !u.is_empty() => u.trim_end_matches('/').to_owned(),
        _ => panic!(
            "{ENV_URL} is not set: these tests need an OpenSearch cluster. Start one with \
             `tests/support/opensearch/cluster.sh start` (it prints its URL), then run \
             `{ENV_URL}=http://127.0.0.1:9250 cargo test --test opensearch -- --ignored` \
             (.ci/run does both)"
        ),
    }
}

/// The cluster script, for the tests that stop and start a node.
pub fn script() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/support/opensearch/cluster.sh")
}

/// Runs `cluster.sh ARGS` (with the environment `.ci/run` gave it).
pub fn cluster_sh(args: &[&str]) {
    let status = Command::new("bash")
        .arg(script())
        .args(args)
        .status()
        .expect("cluster.sh runs");
    assert!(status.success(), "cluster.sh {args:?} failed");
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(120)))
        .build()
        .into()
}

/// A request to the cluster; its status and JSON body.
pub fn http(method: &str, path: &str, body: Option<&Value>) -> (u16, Value) {
    let url = format!("{}{path}", url());
    let agent = agent();
    let reply = match (method, body) {
        ("GET", None) => agent.get(&url).call(),
        ("DELETE", None) => agent.delete(&url).call(),
        ("PUT", Some(b)) => agent
            .put(&url)
            .header("content-type", "application/json")
            .send(b.to_string()),
        ("POST", Some(b)) => agent
            .post(&url)
            .header("content-type", "application/json")
            .send(b.to_string()),
        ("POST", None) => agent.post(&url).send_empty(),
        ("PUT", None) => agent.put(&url).send_empty(),
        _ => panic!("{method} with a body is not used here"),
    };
    let mut reply = reply.unwrap_or_else(|e| panic!("{method} {url}: {e}"));
    let status = reply.status().as_u16();
    let text = reply.body_mut().read_to_string().unwrap_or_default();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

/// An index of a test's own, named after it, deleted before and after.
pub struct TestIndex {
    pub name: String,
}

impl TestIndex {
    pub fn new(test: &str) -> TestIndex {
        let name = format!("newsidx-test-{test}-{}", std::process::id());
        http("DELETE", &format!("/{name}"), None);
        http("DELETE", &format!("/_index_template/newsidx-{name}"), None);
        TestIndex { name }
    }

    /// Documents of a kind (`article`, `quote`, `file`).
    pub fn count(&self, kind: &str) -> u64 {
        http("POST", &format!("/{}/_refresh", self.name), None);
        let (status, v) = http(
            "POST",
            &format!("/{}/_count", self.name),
            Some(&serde_json::json!({"query": {"term": {"kind": kind}}})),
        );
        assert_eq!(status, 200, "{v}");
        v["count"].as_u64().expect("a count")
    }

    /// The `--backend` and environment that make newsidx use this index.
    pub fn backend(&self) -> String {
        format!("opensearch={}", url())
    }
}

impl Drop for TestIndex {
    fn drop(&mut self) {
        // A test that failed keeps its index for a look, when asked.
        if std::env::var_os("NEWSIDX_TEST_KEEP_INDEX").is_none() {
            http("DELETE", &format!("/{}", self.name), None);
            http(
                "DELETE",
                &format!("/_index_template/newsidx-{}", self.name),
                None,
            );
        }
    }
}
