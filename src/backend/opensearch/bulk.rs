//! Sending files' documents with `_bulk`, so that a file counts as indexed
//! only when the cluster holds all of its documents:
//!
//! 1. its articles and quotes (items the cluster refuses for a while, 429
//!    or 5xx, are sent again after a wait; a file with an item refused for
//!    good is reported and left for the next run);
//! 2. the documents a previous version of a changed file had and this one
//!    has not (its key with another hash, and an id this one has not:
//!    found with `_search`, deleted with `_bulk`, so that only the core
//!    APIs are used);
//! 3. its record, with the content hash that lets the next run skip it.
//!
//! A run that stops anywhere leaves each file either recorded with all of
//! its documents, or with its previous record (or none), which the next
//! run sees as changed and sends again. Ids are the same each time, so
//! nothing is ever there twice.

use std::collections::HashSet;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Instant;

use reqwest::Method;
use serde::Deserialize;
use serde_json::{json, Value};

use super::client::{backoff, Body, Client};
use super::document::{DocKind, FileDocuments, Prepared};
use crate::{Error, Result};

/// How long items refused for a while are sent again before their files
/// are given up on (for this run).
const ITEM_RETRY_BUDGET: std::time::Duration = std::time::Duration::from_secs(120);
/// The most files one search for stale documents names (each is a
/// clause; the cluster allows 1,024 by default).
const FILES_PER_DELETE: usize = 500;
/// Documents found per search for documents to delete.
const DELETE_PAGE: usize = 10_000;

/// What the cluster acknowledged, over a run.
#[derive(Debug, Default)]
pub struct Acknowledged {
    pub articles: AtomicUsize,
    pub quotes: AtomicUsize,
    pub files: AtomicUsize,
    /// Documents of earlier versions or of vanished files deleted.
    pub deleted: AtomicUsize,
    /// Items sent again after the cluster refused them for a while.
    pub item_retries: AtomicUsize,
    /// The cluster's own time on the bulk requests (their `took`), in ms.
    pub took_ms: AtomicU64,
}

/// A file in a batch: its documents, and whether an earlier version's
/// documents may be in the index (then step 2 runs for it).
pub struct Pending {
    pub docs: FileDocuments,
    pub may_have_stale: bool,
}

/// A file the cluster would not take, and why.
#[derive(Debug, Clone)]
pub struct Refused {
    pub key: String,
    pub reason: String,
}

#[derive(Deserialize)]
struct BulkReply {
    #[serde(default)]
    took: u64,
    #[serde(default)]
    items: Vec<std::collections::HashMap<String, ItemReply>>,
}

#[derive(Deserialize)]
struct ItemReply {
    status: u16,
    #[serde(default)]
    error: Option<Value>,
}

/// Writes batches of files into one index.
pub struct Sender<'a> {
    pub client: &'a Client,
    pub index: &'a str,
    pub root: &'a str,
    pub acknowledged: &'a Acknowledged,
}

impl Sender<'_> {
    /// Sends a batch of files (the three steps above); the files refused,
    /// or an error when the cluster could not be reached for long.
    pub fn send(&self, batch: &[Pending]) -> Result<Vec<Refused>> {
        let mut refused: Vec<Option<String>> = vec![None; batch.len()];
        let docs: Vec<(usize, &Prepared)> = batch
            .iter()
            .enumerate()
            .flat_map(|(i, p)| p.docs.docs.iter().map(move |d| (i, d)))
            .collect();
        self.index_items(&docs, &mut refused)?;
        let stale: Vec<&FileDocuments> = batch
            .iter()
            .zip(&refused)
            .filter(|(p, r)| p.may_have_stale && r.is_none())
            .map(|(p, _)| &p.docs)
            .collect();
        for chunk in stale.chunks(FILES_PER_DELETE) {
            self.delete_stale(chunk, &mut refused)?;
        }
        let records: Vec<(usize, &Prepared)> = batch
            .iter()
            .enumerate()
            .filter(|(i, _)| refused[*i].is_none())
            .map(|(i, p)| (i, &p.docs.record))
            .collect();
        self.index_items(&records, &mut refused)?;
        Ok(batch
            .iter()
            .zip(refused)
            .filter_map(|(p, r)| {
                r.map(|reason| Refused {
                    key: p.docs.key.clone(),
                    reason,
                })
            })
            .collect())
    }

    /// Indexes `items` (each of file `.0`), sending those refused for a
    /// while again; a file with an item refused for good gets its reason.
    fn index_items(
        &self,
        items: &[(usize, &Prepared)],
        refused: &mut [Option<String>],
    ) -> Result<()> {
        let ops: Vec<(Option<usize>, Op)> = items
            .iter()
            .map(|(file, doc)| (Some(*file), Op::Index(doc)))
            .collect();
        self.bulk(ops, refused)
    }

    /// Sends `ops` with `_bulk`, those refused for a while again after a
    /// wait. An item refused for good marks its file (`.0`) refused; a
    /// delete of no file refused for good is an error.
    fn bulk(&self, ops: Vec<(Option<usize>, Op)>, refused: &mut [Option<String>]) -> Result<()> {
        let started = Instant::now();
        let mut todo = ops;
        let mut attempt = 0u32;
        while !todo.is_empty() {
            attempt += 1;
            let mut body = Vec::new();
            for (_, op) in &todo {
                let action = match op {
                    Op::Index(d) => json!({"index": {"_id": d.id}}),
                    Op::Delete(id) => json!({"delete": {"_id": id}}),
                };
                serde_json::to_writer(&mut body, &action)
                    .map_err(|e| Error::Cluster(e.to_string()))?;
                body.push(b'\n');
                if let Op::Index(d) = op {
                    body.extend_from_slice(&d.source);
                    body.push(b'\n');
                }
            }
            let reply = self.client.send(
                Method::POST,
                &format!("/{}/_bulk", self.index),
                Body::NdJson(&body),
                None,
            )?;
            let json = reply.into_ok("sending documents (_bulk)")?;
            let parsed: BulkReply = serde_json::from_value(json)
                .map_err(|e| Error::Cluster(format!("an unexpected _bulk reply: {e}")))?;
            self.acknowledged
                .took_ms
                .fetch_add(parsed.took, Ordering::Relaxed);
            if parsed.items.len() != todo.len() {
                return Err(Error::Cluster(format!(
                    "_bulk answered {} items for {} sent",
                    parsed.items.len(),
                    todo.len()
                )));
            }
            let mut again = Vec::new();
            for ((file, op), item) in todo.into_iter().zip(parsed.items) {
                let Some(item) = item.into_values().next() else {
                    continue;
                };
                match (item.status, &op) {
                    (200 | 201, Op::Index(doc)) => {
                        let counter = match doc.kind {
                            DocKind::Article => &self.acknowledged.articles,
                            DocKind::Quote => &self.acknowledged.quotes,
                            DocKind::File => &self.acknowledged.files,
                        };
                        counter.fetch_add(1, Ordering::Relaxed);
                    }
                    (200, Op::Delete(_)) => {
                        self.acknowledged.deleted.fetch_add(1, Ordering::Relaxed);
                    }
                    // Deleted already.
                    (404, Op::Delete(_)) => {}
                    (429 | 500.., _) => again.push((file, op)),
                    (status, _) => {
                        let reason = item_reason(status, &item.error);
                        match file {
                            Some(f) => {
                                refused[f].get_or_insert(reason);
                            }
                            None => return Err(Error::Cluster(reason)),
                        }
                    }
                }
            }
            if again.is_empty() {
                break;
            }
            let wait = backoff(attempt);
            if started.elapsed() + wait > ITEM_RETRY_BUDGET {
                let why = format!(
                    "the cluster kept refusing documents for {:.0} s",
                    started.elapsed().as_secs_f64()
                );
                for (file, _) in &again {
                    match file {
                        Some(f) => {
                            refused[*f].get_or_insert_with(|| why.clone());
                        }
                        None => return Err(Error::Cluster(why)),
                    }
                }
                break;
            }
            self.acknowledged
                .item_retries
                .fetch_add(again.len(), Ordering::Relaxed);
            std::thread::sleep(wait);
            todo = again;
        }
        Ok(())
    }

    /// Deletes the documents of these files that an earlier version left:
    /// the file's key with another hash. A document just replaced under
    /// the same id may still show its old version to a search (the index
    /// is not refreshed yet): ids of the new version are never deleted.
    fn delete_stale(&self, files: &[&FileDocuments], refused: &mut [Option<String>]) -> Result<()> {
        let clauses: Vec<Value> = files
            .iter()
            .map(|f| {
                json!({"bool": {
                    "filter": [{"term": {"key": f.key}}],
                    "must_not": [{"term": {"hash": f.hash}}]
                }})
            })
            .collect();
        let query = json!({"bool": {
            "filter": [{"term": {"root": self.root}}],
            "should": clauses,
            "minimum_should_match": 1
        }});
        let current: HashSet<&str> = files
            .iter()
            .flat_map(|f| f.docs.iter().chain([&f.record]).map(|d| d.id.as_str()))
            .collect();
        self.delete_matching(&query, &current, refused)
    }

    /// Deletes every document of these files (they are gone).
    pub fn delete_files(&self, keys: &[&str]) -> Result<()> {
        for chunk in keys.chunks(FILES_PER_DELETE) {
            let query = json!({"bool": {"filter": [
                {"term": {"root": self.root}},
                {"terms": {"key": chunk}}
            ]}});
            self.delete_matching(&query, &HashSet::new(), &mut [])?;
        }
        Ok(())
    }

    /// Deletes the documents matching `query` but those in `keep`, a page
    /// at a time: each page deleted is gone from the next search.
    fn delete_matching(
        &self,
        query: &Value,
        keep: &HashSet<&str>,
        refused: &mut [Option<String>],
    ) -> Result<()> {
        loop {
            let body = json!({
                "query": query,
                "size": DELETE_PAGE,
                "_source": false,
                "track_total_hits": false
            });
            let found = self.client.json(
                Method::POST,
                &format!("/{}/_search", self.index),
                Some(&body),
            )?;
            let hits = found["hits"]["hits"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            let ops: Vec<(Option<usize>, Op)> = hits
                .iter()
                .filter_map(|h| h["_id"].as_str())
                .filter(|id| !keep.contains(id))
                .map(|id| (None, Op::Delete(id.to_owned())))
                .collect();
            let deleted = ops.len();
            self.bulk(ops, refused)?;
            if hits.len() < DELETE_PAGE || deleted == 0 {
                return Ok(());
            }
            self.client
                .json(Method::POST, &format!("/{}/_refresh", self.index), None)?;
        }
    }
}

/// One `_bulk` operation.
enum Op<'a> {
    Index(&'a Prepared),
    Delete(String),
}

/// Why the cluster refused an item for good, for the file's report.
fn item_reason(status: u16, error: &Option<Value>) -> String {
    match error {
        Some(e) => format!(
            "the cluster refused a document (HTTP {status}): {}: {}",
            e["type"].as_str().unwrap_or("error"),
            e["reason"].as_str().unwrap_or_default()
        ),
        None => format!("the cluster refused a document (HTTP {status})"),
    }
}
