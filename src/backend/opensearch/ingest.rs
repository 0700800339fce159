//! `newsidx index DIR --backend opensearch=…`: walk and parse in parallel
//! here (rayon, as for the embedded index), send the documents to the
//! cluster in bounded `_bulk` batches from a few sender threads ([`bulk`]).
//!
//! Incremental against what the cluster holds: the hash in each file's
//! record says whether it changed; vanished files' documents are deleted.
//! Each indexing process writes only its own directory's documents (the
//! directory is in every document), so several machines can feed one
//! cluster at once.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::Mutex;
use std::time::Instant;

use reqwest::Method;
use serde_json::{json, Value};

use super::bulk::{Acknowledged, Pending, Refused, Sender};
use super::document::{self, KIND_FILE};
use super::error::said;
use super::mapping::{self, Layout};
use super::Cluster;
use crate::article::ParseOptions;
use crate::discover::Found;
use crate::index::dedup::{self, Committed, Grouper, Signature};
use crate::index::schema::{Origin, KIND_ARTICLE};
use crate::index::{IngestStats, Skipped};
use crate::pipeline::{Files, Handler, Next};
use crate::{Error, Result};

/// What to send, and how.
#[derive(Debug, Clone)]
pub struct ClusterIngestOptions {
    pub root: PathBuf,
    pub keep_missing: bool,
    pub allow_empty: bool,
    pub parse: ParseOptions,
    /// Which files are read.
    pub select: crate::select::Selection,
    /// Documents per `_bulk` request (at most; a request also stops at
    /// [`BATCH_BYTES`]).
    pub batch_docs: usize,
    /// Bulk requests in flight at once.
    pub senders: usize,
    /// Of a new index.
    pub layout: Layout,
}

/// About 5 MB per bulk request: large enough that a request's overhead
/// does not count, small enough that a busy node does not time out on it
/// (OpenSearch's guidance is 5-15 MB).
pub const BATCH_BYTES: usize = 5 << 20;

impl ClusterIngestOptions {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        ClusterIngestOptions {
            root: root.into(),
            keep_missing: false,
            allow_empty: false,
            parse: ParseOptions::default(),
            select: crate::select::Selection::default(),
            batch_docs: 1000,
            senders: 2,
            layout: Layout::default(),
        }
    }
}

/// What a run did: as the embedded index's run says it, and what the
/// cluster acknowledged and cost.
#[derive(Debug, Default, Clone)]
pub struct ClusterStats {
    pub ingest: IngestStats,
    pub cluster: ClusterCounts,
}

/// What the cluster acknowledged and cost (`cluster` in `index --json`).
#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct ClusterCounts {
    pub acknowledged_articles: usize,
    pub acknowledged_quotes: usize,
    /// Files recorded as indexed (their hash is in the cluster).
    pub acknowledged_files: usize,
    /// Documents deleted: of vanished files, and those earlier versions of
    /// changed files had and the new ones have not.
    pub deleted: usize,
    /// HTTP requests sent, and those sent again after a failure.
    pub requests: usize,
    pub retries: usize,
    /// Documents sent again after the cluster refused them for a while.
    pub item_retries: usize,
    /// Time the sender threads waited for the cluster's replies (summed
    /// over threads), and in back-off.
    pub waiting_seconds: f64,
    pub backoff_seconds: f64,
    /// The cluster's own time on the bulk requests (their `took`, summed).
    pub cluster_took_seconds: f64,
    /// CPU the cluster's nodes used during the run (all their work, this
    /// run's and anyone else's), when the nodes say.
    pub cluster_cpu_seconds: Option<f64>,
}

/// What the cluster holds of a file: its hash, and whether this run saw
/// the file.
struct Indexed {
    hash: String,
    seen: AtomicBool,
}

/// What the files of a run came to, beyond what the pipeline counts.
#[derive(Default)]
struct Counters {
    added: AtomicUsize,
    updated: AtomicUsize,
    unchanged: AtomicUsize,
    copies: AtomicUsize,
}

/// Indexes the articles under `opts.root` into the cluster's index.
///
/// `on_file` is called once per file handled; `total`, if given, once
/// with the number of files before the work starts.
pub fn ingest(
    cluster: &Cluster,
    opts: &ClusterIngestOptions,
    total: Option<&dyn Fn(usize)>,
    on_file: &(dyn Fn() + Sync),
) -> Result<ClusterStats> {
    let started = Instant::now();
    if !opts.root.exists() {
        return Err(Error::NoDir(opts.root.clone()));
    }
    let root = opts
        .root
        .canonicalize()
        .map_err(|e| Error::io(&opts.root, e))?;
    let root_str = root.to_string_lossy().into_owned();
    let client = &cluster.client;
    let index = cluster.index.as_str();
    mapping::ensure(client, index, opts.layout)?;
    let cpu_before = cluster_cpu_ms(cluster);
    let existing = existing_hashes(cluster, &root_str)?;
    // Documents of this directory without a record (a run stopped before
    // it recorded them) may be stale: only then are new files checked.
    let unrecorded = count(
        cluster,
        json!({"bool": {
            "filter": [{"term": {"root": root_str}}],
            "must_not": [{"term": {"kind": KIND_FILE}}]
        }}),
    )? > 0;
    // Copies are looked for among the articles the cluster held before
    // the run only if it held any (a search per article otherwise spent).
    let held = count(cluster, json!({"term": {"kind": KIND_ARTICLE}}))? > 0;
    let files = Files::new(&root, &opts.select, &opts.parse);
    if let Some(total) = total {
        total(files.count());
    }

    let acknowledged = Acknowledged::default();
    let refused: Mutex<Vec<Refused>> = Mutex::new(Vec::new());
    let failure: Mutex<Option<Error>> = Mutex::new(None);
    let stop = AtomicBool::new(false);
    let sender = Sender {
        client,
        index,
        root: &root_str,
        acknowledged: &acknowledged,
    };
    let (tx, rx) = mpsc::sync_channel::<Pending>(opts.senders.max(1) * 64);
    let rx = Mutex::new(rx);
    let run = Run {
        root_str: &root_str,
        existing: &existing,
        parse: &opts.parse,
        unrecorded,
        grouper: Grouper::new(
            ClusterCommitted { cluster, held },
            (crate::index::ingest::DEFAULT_MEMORY >> 3) / dedup::ENTRY_BYTES,
        ),
        tx,
        stop: &stop,
        counters: Counters::default(),
    };
    let (tally, counters) = std::thread::scope(|scope| {
        for _ in 0..opts.senders.max(1) {
            scope.spawn(|| {
                send_batches(
                    &sender,
                    &rx,
                    opts.batch_docs.max(1),
                    &refused,
                    &failure,
                    &stop,
                )
            });
        }
        let tally = files.run(&run, on_file);
        let Run { counters, tx, .. } = run;
        // The senders end when the channel closes.
        drop(tx);
        (tally, counters)
    });
    // A sender's failure is why the walk stopped, if it did.
    if let Some(e) = failure.into_inner().unwrap_or_else(|p| p.into_inner()) {
        return Err(e);
    }
    let tally = tally?;
    let mut skipped = tally.skipped.clone();
    let seen = tally.seen;
    if seen == 0 && !existing.is_empty() && !opts.allow_empty {
        return Err(Error::EmptyRoot {
            root,
            indexed: existing.len(),
        });
    }
    let mut removed = 0;
    if !opts.keep_missing {
        let unwalked = tally.unwalked();
        let gone: Vec<&str> = existing
            .iter()
            .filter(|(key, i)| {
                !i.seen.load(Ordering::Relaxed)
                    && !unwalked.iter().any(|p| Path::new(key).starts_with(p))
            })
            .map(|(key, _)| key.as_str())
            .collect();
        sender.delete_files(&gone)?;
        removed = gone.len();
    }
    client.json(Method::POST, &format!("/{index}/_refresh"), None)?;

    let refused = refused.into_inner().unwrap_or_else(|p| p.into_inner());
    for r in &refused {
        skipped.push(Skipped {
            path: PathBuf::from(&r.key),
            reason: r.reason.clone(),
            kind: "refused by the cluster",
        });
    }
    skipped.sort_by(|a, b| a.path.cmp(&b.path));
    let spent = &client.spent;
    let nanos = |a: &std::sync::atomic::AtomicU64| a.load(Ordering::Relaxed) as f64 / 1e9;
    let cluster_cpu_seconds = cpu_before
        .zip(cluster_cpu_ms(cluster))
        .map(|(a, b)| cpu_used(&a, &b));
    let mut ingest = IngestStats {
        seen,
        added: counters.added.into_inner(),
        updated: counters.updated.into_inner(),
        unchanged: counters.unchanged.into_inner(),
        removed,
        skipped,
        articles: tally.articles,
        copies: counters.copies.into_inner(),
        warnings: tally.warnings,
        passed: tally.passed,
        quotes: tally.quotes,
        entities: tally.entities,
        bytes: tally.bytes,
        ..IngestStats::default()
    };
    // A refused file was counted as sent; it is not indexed.
    for _ in &refused {
        if ingest.added > 0 {
            ingest.added -= 1;
        } else {
            ingest.updated = ingest.updated.saturating_sub(1);
        }
    }
    ingest.seconds = started.elapsed().as_secs_f64();
    Ok(ClusterStats {
        ingest,
        cluster: ClusterCounts {
            acknowledged_articles: acknowledged.articles.into_inner(),
            acknowledged_quotes: acknowledged.quotes.into_inner(),
            acknowledged_files: acknowledged.files.into_inner(),
            deleted: acknowledged.deleted.into_inner(),
            requests: spent.requests.load(Ordering::Relaxed),
            retries: spent.retries.load(Ordering::Relaxed),
            item_retries: acknowledged.item_retries.into_inner(),
            waiting_seconds: nanos(&spent.waiting_nanos),
            backoff_seconds: nanos(&spent.backoff_nanos),
            cluster_took_seconds: acknowledged.took_ms.into_inner() as f64 / 1e3,
            cluster_cpu_seconds,
        },
    })
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// One sender thread: batches files from `rx` and sends each batch.
fn send_batches(
    sender: &Sender,
    rx: &Mutex<mpsc::Receiver<Pending>>,
    batch_docs: usize,
    refused: &Mutex<Vec<Refused>>,
    failure: &Mutex<Option<Error>>,
    stop: &AtomicBool,
) {
    let mut batch: Vec<Pending> = Vec::new();
    let (mut docs, mut bytes) = (0usize, 0usize);
    let flush = |batch: &mut Vec<Pending>| {
        if batch.is_empty() || stop.load(Ordering::Relaxed) {
            batch.clear();
            return;
        }
        match sender.send(batch) {
            Ok(r) => lock(refused).extend(r),
            Err(e) => {
                stop.store(true, Ordering::Relaxed);
                lock(failure).get_or_insert(e);
            }
        }
        batch.clear();
    };
    loop {
        // The lock is held only while waiting for one file.
        let next = lock(rx).recv();
        let Ok(pending) = next else { break };
        docs += pending.docs.docs.len() + 1;
        bytes += pending
            .docs
            .docs
            .iter()
            .map(|d| d.source.len())
            .sum::<usize>();
        batch.push(pending);
        if docs >= batch_docs || bytes >= BATCH_BYTES {
            flush(&mut batch);
            (docs, bytes) = (0, 0);
        }
    }
    flush(&mut batch);
}

/// What every file of a run is sent with: the pipeline's handler.
struct Run<'a> {
    root_str: &'a str,
    existing: &'a HashMap<String, Indexed>,
    parse: &'a ParseOptions,
    /// Documents of the root without a record are in the cluster.
    unrecorded: bool,
    grouper: Grouper<ClusterCommitted<'a>>,
    /// To the sender threads.
    tx: mpsc::SyncSender<Pending>,
    /// Set when a sender failed: the run stops.
    stop: &'a AtomicBool,
    counters: Counters,
}

impl Run<'_> {
    fn key(&self, found: &Found) -> String {
        format!("{}/{}", self.root_str.trim_end_matches('/'), found.id)
    }

    /// The run stops (a sender failed; its error is the run's).
    fn stopped() -> Error {
        said("the sending stopped")
    }
}

impl Handler for Run<'_> {
    /// The file's content hash.
    type State = String;
    type Output = ();
    type Error = Error;

    fn found(&self, found: &mut Found) {
        if let Some(p) = self.existing.get(&self.key(found)) {
            // Present, whether or not it can be read this time.
            p.seen.store(true, Ordering::Relaxed);
        }
    }

    fn read(&self, found: &Found, bytes: &[u8]) -> Result<Next<String, ()>> {
        if self.stop.load(Ordering::Relaxed) {
            return Err(Self::stopped());
        }
        let hash = crate::index::ingest::content_hash(bytes, self.parse);
        if self
            .existing
            .get(&self.key(found))
            .is_some_and(|p| p.hash == hash)
        {
            self.counters.unchanged.fetch_add(1, Ordering::Relaxed);
            return Ok(Next::Done(()));
        }
        Ok(Next::Parse(hash))
    }

    fn parsed(
        &self,
        found: &Found,
        _: &[u8],
        hash: String,
        articles: Vec<crate::Article>,
    ) -> Result<()> {
        let key = self.key(found);
        let previous = self.existing.get(&key);
        let mut groups = Vec::with_capacity(articles.len());
        for a in &articles {
            let g = self.grouper.group(&a.body, &key, &a.path, &hash)?;
            if g.copy {
                self.counters.copies.fetch_add(1, Ordering::Relaxed);
            }
            groups.push(g);
        }
        let path = found.path.to_string_lossy();
        let origin = Origin {
            key: &key,
            root: self.root_str,
            path: &path,
            hash: &hash,
            grouped: None,
        };
        let pending = Pending {
            docs: document::file_documents(&articles, &origin, &groups),
            may_have_stale: previous.is_some() || self.unrecorded,
        };
        let counter = if previous.is_some() {
            &self.counters.updated
        } else {
            &self.counters.added
        };
        counter.fetch_add(1, Ordering::Relaxed);
        // Fails only when every sender has stopped.
        self.tx.send(pending).map_err(|_| Self::stopped())
    }
}

/// Where a run finds copies among the articles the cluster held before
/// it: those sharing most bands with an article (a search), compared by
/// their stored signatures.
struct ClusterCommitted<'a> {
    cluster: &'a Cluster,
    /// The cluster held articles when the run began.
    held: bool,
}

impl Committed for ClusterCommitted<'_> {
    type Error = Error;

    fn find(
        &self,
        sig: &Signature,
        bands: &[u64; dedup::BANDS],
        own_key: &str,
    ) -> Result<Option<u64>> {
        if !self.held {
            return Ok(None);
        }
        // Each shared band scores 1: the best candidates come first.
        let should: Vec<Value> = bands
            .iter()
            .map(|b| json!({"constant_score": {"filter": {"term": {"band": b.to_string()}}}}))
            .collect();
        let body = json!({
            "size": dedup::MAX_CANDIDATES,
            "_source": ["group", "signature"],
            "track_total_hits": false,
            "query": {"bool": {
                "filter": [{"term": {"kind": KIND_ARTICLE}}],
                "must_not": [{"term": {"key": own_key}}],
                "should": should,
                "minimum_should_match": 1
            }}
        });
        let reply = self.cluster.client.json(
            Method::POST,
            &format!("/{}/_search", self.cluster.index),
            Some(&body),
        )?;
        let hits = reply["hits"]["hits"].as_array().map_or(&[][..], |h| h);
        for h in hits {
            let source = &h["_source"];
            let other = source["signature"].as_str().and_then(Signature::from_hex);
            if other.is_some_and(|o| sig.same_story(&o)) {
                if let Some(g) = source["group"].as_str().and_then(|g| g.parse().ok()) {
                    return Ok(Some(g));
                }
            }
        }
        Ok(None)
    }
}

/// Documents matching `query`.
fn count(cluster: &Cluster, query: Value) -> Result<u64> {
    let reply = cluster.client.json(
        Method::POST,
        &format!("/{}/_count", cluster.index),
        Some(&json!({ "query": query })),
    )?;
    Ok(reply["count"].as_u64().unwrap_or(0))
}

/// key -> hash of the files of `root` the cluster has recorded, read a
/// page at a time in key order.
fn existing_hashes(cluster: &Cluster, root: &str) -> Result<HashMap<String, Indexed>> {
    let mut out = HashMap::new();
    let mut after: Option<Value> = None;
    loop {
        let mut body = json!({
            "size": 10_000,
            "_source": ["key", "hash"],
            "query": {"bool": {"filter": [
                {"term": {"kind": KIND_FILE}},
                {"term": {"root": root}}
            ]}},
            "sort": [{"key": "asc"}],
            "track_total_hits": false
        });
        if let Some(a) = &after {
            body["search_after"] = a.clone();
        }
        let reply = cluster.client.json(
            Method::POST,
            &format!("/{}/_search", cluster.index),
            Some(&body),
        )?;
        let hits = reply["hits"]["hits"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        if hits.is_empty() {
            break;
        }
        for h in &hits {
            if let (Some(k), Some(hash)) =
                (h["_source"]["key"].as_str(), h["_source"]["hash"].as_str())
            {
                out.insert(
                    k.to_owned(),
                    Indexed {
                        hash: hash.to_owned(),
                        seen: AtomicBool::new(false),
                    },
                );
            }
        }
        after = hits.last().map(|h| h["sort"].clone());
    }
    Ok(out)
}

/// CPU milliseconds each of the cluster's nodes has used since it
/// started, by node id.
fn cluster_cpu_ms(cluster: &Cluster) -> Option<HashMap<String, u64>> {
    let stats = cluster
        .client
        .json(Method::GET, "/_nodes/stats/process", None)
        .ok()?;
    let nodes = stats["nodes"].as_object()?;
    nodes
        .iter()
        .map(|(id, n)| Some((id.clone(), n["process"]["cpu"]["total_in_millis"].as_u64()?)))
        .collect()
}

/// CPU seconds used between two readings, over the nodes in both (a node
/// that went away or came back counts for neither).
fn cpu_used(before: &HashMap<String, u64>, after: &HashMap<String, u64>) -> f64 {
    before
        .iter()
        .filter_map(|(id, b)| Some(after.get(id)?.saturating_sub(*b)))
        .sum::<u64>() as f64
        / 1e3
}

/// The cluster's part of the `index` summary, after the files' line.
pub fn summary<W: std::io::Write>(w: &mut W, s: &ClusterStats) -> std::io::Result<()> {
    let s = &s.cluster;
    writeln!(
        w,
        "cluster acknowledged {} articles, {} quotes, {} file records; deleted {} documents; \
         {} requests, {} retried, {} documents sent again",
        s.acknowledged_articles,
        s.acknowledged_quotes,
        s.acknowledged_files,
        s.deleted,
        s.requests,
        s.retries,
        s.item_retries
    )?;
    let cpu = s.cluster_cpu_seconds.map_or(String::new(), |c| {
        format!("; its nodes used {c:.1} s of CPU")
    });
    writeln!(
        w,
        "time in the cluster: {:.2} s waited for replies (over all senders), {:.2} s in back-off, \
         {:.2} s by the cluster's own count (took){cpu}",
        s.waiting_seconds, s.backoff_seconds, s.cluster_took_seconds
    )
}

/// The `index --json` summary with the cluster's part.
#[derive(serde::Serialize)]
pub struct StatsJson<'a> {
    #[serde(flatten)]
    pub files: crate::render::StatsJson<'a>,
    pub cluster: &'a ClusterCounts,
}

impl<'a> From<&'a ClusterStats> for StatsJson<'a> {
    fn from(s: &'a ClusterStats) -> Self {
        StatsJson {
            files: crate::render::StatsJson::from(&s.ingest),
            cluster: &s.cluster,
        }
    }
}
