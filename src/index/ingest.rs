//! Ingest: walk a directory, parse and extract in parallel (rayon), and
//! write tantivy documents in one commit.
//!
//! Incremental: a file whose content hash is already indexed is skipped,
//! a changed one replaced, a vanished one removed. Until the commit the
//! index stays at its last commit, whatever happens to this process.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Instant;

use rayon::prelude::*;
use tantivy::{IndexWriter, TantivyDocument, Term};

use super::gate::Gate;
use super::merge::BoundedMerges;
use super::schema::{self, Origin, KIND_ARTICLE};
use super::{open_or_create, Fields};
use crate::article::{ParseOptions, ReadError, MAX_FILE_BYTES};
use crate::discover::{self, Found, Walked};
use crate::{Error, Result};

/// What an unchanged file's hash is keyed on, so that re-indexing picks up
/// every change of parsing or extraction: the digest of what `parse --json`
/// extracts from `sample_corpus/` and the format fixtures, which
/// `tests/extraction.rs` checks against the extraction of the day.
const PARSER_VERSION: &str = include_str!("extraction.digest");

/// What to ingest, and where.
#[derive(Debug, Clone)]
pub struct IngestOptions {
    pub root: PathBuf,
    pub index_dir: PathBuf,
    /// Keep documents whose files are gone.
    pub keep_missing: bool,
    /// Remove the documents of a root that holds no articles any more
    /// (without it, such a run is refused: see [`Error::EmptyRoot`]).
    pub allow_empty: bool,
    /// Memory for the run, in bytes: tantivy's indexing buffers take three
    /// quarters, the files being parsed the rest (see [`super::gate`]).
    pub memory_budget: usize,
    /// tantivy indexing threads (0: tantivy's default).
    pub threads: usize,
    pub parse: ParseOptions,
}

impl IngestOptions {
    pub fn new(root: impl Into<PathBuf>, index_dir: impl Into<PathBuf>) -> Self {
        IngestOptions {
            root: root.into(),
            index_dir: index_dir.into(),
            keep_missing: false,
            allow_empty: false,
            memory_budget: 256 * 1024 * 1024,
            threads: 0,
            parse: ParseOptions::default(),
        }
    }
}

/// A file that was not indexed, and why.
#[derive(Debug, Clone)]
pub struct Skipped {
    pub path: PathBuf,
    pub reason: String,
    /// Short stable name of the reason, for counts.
    pub kind: &'static str,
}

/// What a run did.
#[derive(Debug, Default, Clone)]
pub struct IngestStats {
    /// Article files found.
    pub seen: usize,
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub removed: usize,
    pub skipped: Vec<Skipped>,
    /// Articles written (a JSON file may hold many).
    pub articles: usize,
    /// Files indexed with a warning (path, message).
    pub warnings: Vec<(PathBuf, String)>,
    pub quotes: usize,
    pub entities: usize,
    /// Bytes of the files that were parsed.
    pub bytes: u64,
    pub seconds: f64,
}

impl IngestStats {
    /// Files parsed and written in this run.
    pub fn indexed(&self) -> usize {
        self.added + self.updated
    }
}

/// Indexes the articles under `opts.root` into `opts.index_dir`.
///
/// `on_file` is called once per file handled, for progress; `total`, if
/// given, is called once with the number of files before the work starts
/// (they are counted only for it).
pub fn ingest(
    opts: &IngestOptions,
    total: Option<&dyn Fn(usize)>,
    on_file: &(dyn Fn() + Sync),
) -> Result<IngestStats> {
    let started = Instant::now();
    if !opts.root.exists() {
        return Err(Error::NoDir(opts.root.clone()));
    }
    let root = opts
        .root
        .canonicalize()
        .map_err(|e| Error::io(&opts.root, e))?;
    let root_str = root.to_string_lossy().into_owned();
    check_memory(opts)?;
    let opened = open_or_create(&opts.index_dir)?;
    let writer: IndexWriter<TantivyDocument> = if opts.threads > 0 {
        opened
            .index
            .writer_with_num_threads(opts.threads, writer_memory(opts))
    } else {
        opened.index.writer(writer_memory(opts))
    }
    .map_err(|e| lock_error(&opts.index_dir, e))?;
    // Before anything is written: an aborted run's files would collide.
    super::recover::collect_garbage(&writer, &opts.index_dir)?;
    writer.set_merge_policy(Box::new(BoundedMerges::new(
        &opts.index_dir,
        opts.memory_budget as u64,
    )));
    let existing = existing_hashes(&opened, &root_str)?;

    // Two walks, not one list: for a progress bar the files are counted
    // first, then walked again as they are indexed, so a million paths are
    // never held at once. The count took about 4 s of a 1M-article ingest
    // (under 1%); the list had cost ~200 MB.
    if let Some(total) = total {
        total(
            discover::walk(&root)
                .filter(|w| matches!(w, Walked::File(_)))
                .count(),
        );
    }
    let mut stats = IngestStats::default();

    let gate = Gate::new(opts.memory_budget.saturating_sub(writer_memory(opts)) as u64);
    let counters = Counters::default();
    let lists = Mutex::new(Lists::default());
    let failure: Mutex<Option<tantivy::TantivyError>> = Mutex::new(None);
    let f = &opened.fields;
    discover::walk(&root).par_bridge().for_each(|walked| {
        let found = match walked {
            Walked::File(found) => {
                counters.seen.fetch_add(1, Ordering::Relaxed);
                found
            }
            Walked::Other => return,
            Walked::Problem(p) => {
                lists
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .skipped
                    .push(Skipped {
                        path: p.path,
                        reason: p.reason,
                        kind: "unwalkable",
                    });
                return;
            }
        };
        let outcome = ingest_file(&found, &root_str, &existing, &opts.parse, f, &writer, &gate);
        match outcome {
            Ok(FileOutcome::Unchanged) => counters.unchanged.fetch_add(1, Ordering::Relaxed),
            Ok(FileOutcome::Written {
                replaced,
                articles,
                quotes,
                entities,
                bytes,
                warnings,
            }) => {
                counters.articles.fetch_add(articles, Ordering::Relaxed);
                counters.quotes.fetch_add(quotes, Ordering::Relaxed);
                counters.entities.fetch_add(entities, Ordering::Relaxed);
                counters.bytes.fetch_add(bytes, Ordering::Relaxed);
                if !warnings.is_empty() {
                    let mut l = lists.lock().unwrap_or_else(|p| p.into_inner());
                    l.warnings
                        .extend(warnings.into_iter().map(|w| (found.path.clone(), w)));
                }
                if replaced {
                    counters.updated.fetch_add(1, Ordering::Relaxed)
                } else {
                    counters.added.fetch_add(1, Ordering::Relaxed)
                }
            }
            Err(FileError::Read(e)) => {
                let mut l = lists.lock().unwrap_or_else(|p| p.into_inner());
                l.skipped.push(Skipped {
                    path: found.path.clone(),
                    reason: e.to_string(),
                    kind: e.kind(),
                });
                0
            }
            Err(FileError::Index(e)) => {
                failure
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .get_or_insert(e);
                0
            }
        };
        on_file();
    });
    if let Some(e) = failure.into_inner().unwrap_or_else(|p| p.into_inner()) {
        return Err(e.into());
    }

    let Lists { skipped, warnings } = lists.into_inner().unwrap_or_else(|p| p.into_inner());
    // A directory that is there but holds no articles at all, while the
    // index holds its documents, is more likely an unmounted disk or a
    // failed copy than an archive emptied on purpose: nothing is removed,
    // and nothing is committed, unless the user says so.
    if counters.seen.load(Ordering::Relaxed) == 0 && !existing.is_empty() && !opts.allow_empty {
        return Err(Error::EmptyRoot {
            root,
            indexed: existing.len(),
        });
    }
    if !opts.keep_missing {
        // The walk did not see the files under a directory it could not
        // enter, but they may still be there: their documents stay.
        let unwalked: Vec<&Path> = skipped
            .iter()
            .filter(|s| s.kind == "unwalkable")
            .map(|s| s.path.as_path())
            .collect();
        for (key, _) in existing.iter().filter(|(key, i)| {
            !i.seen.load(Ordering::Relaxed)
                && !unwalked.iter().any(|p| Path::new(key).starts_with(p))
        }) {
            writer.delete_term(Term::from_field_text(f.key, key));
            stats.removed += 1;
        }
    }
    let mut writer = writer;
    writer.commit()?;
    writer.wait_merging_threads()?;

    stats.skipped = skipped;
    stats.skipped.sort_by(|a, b| a.path.cmp(&b.path));
    stats.warnings = warnings;
    stats.warnings.sort();
    stats.seen = counters.seen.into_inner();
    stats.added = counters.added.into_inner();
    stats.updated = counters.updated.into_inner();
    stats.unchanged = counters.unchanged.into_inner();
    stats.articles = counters.articles.into_inner();
    stats.quotes = counters.quotes.into_inner();
    stats.entities = counters.entities.into_inner();
    stats.bytes = counters.bytes.into_inner() as u64;
    stats.seconds = started.elapsed().as_secs_f64();
    Ok(stats)
}

/// Files skipped, and files indexed with warnings.
#[derive(Default)]
struct Lists {
    skipped: Vec<Skipped>,
    warnings: Vec<(PathBuf, String)>,
}

/// What the index holds of a file: its hash, and whether this run saw
/// the file (those it did not see are gone).
struct Indexed {
    hash: String,
    seen: AtomicBool,
}

#[derive(Default)]
struct Counters {
    seen: AtomicUsize,
    articles: AtomicUsize,
    added: AtomicUsize,
    updated: AtomicUsize,
    unchanged: AtomicUsize,
    quotes: AtomicUsize,
    entities: AtomicUsize,
    bytes: AtomicUsize,
}

enum FileOutcome {
    Unchanged,
    Written {
        replaced: bool,
        articles: usize,
        quotes: usize,
        entities: usize,
        bytes: usize,
        warnings: Vec<String>,
    },
}

enum FileError {
    Read(ReadError),
    Index(tantivy::TantivyError),
}

fn ingest_file(
    found: &Found,
    root_str: &str,
    existing: &HashMap<String, Indexed>,
    opts: &ParseOptions,
    f: &Fields,
    writer: &IndexWriter<TantivyDocument>,
    gate: &Gate,
) -> std::result::Result<FileOutcome, FileError> {
    // The root joined with the id the walk gave the file.
    let key = format!("{}/{}", root_str.trim_end_matches('/'), found.id);
    let previous = existing.get(&key);
    if let Some(p) = previous {
        // Present, whether or not it can be read this time.
        p.seen.store(true, Ordering::Relaxed);
    }
    // Held until its documents are handed to tantivy, whose buffers count
    // from there.
    let len = std::fs::metadata(&found.path).map_or(0, |m| m.len().min(MAX_FILE_BYTES));
    let _reserved = gate.reserve(len, found.format);
    let bytes = crate::load::read_bounded(&found.path).map_err(FileError::Read)?;
    let hash = content_hash(&bytes);
    if previous.is_some_and(|p| p.hash == hash) {
        return Ok(FileOutcome::Unchanged);
    }
    let (articles, warnings) = crate::load::parse(found, &bytes, opts).map_err(FileError::Read)?;
    let path = found.path.to_string_lossy();
    let origin = Origin {
        key: &key,
        root: root_str,
        path: &path,
        hash: &hash,
    };
    // All documents of a file share its key: one delete replaces them all.
    if previous.is_some() {
        writer.delete_term(Term::from_field_text(f.key, &key));
    }
    for article in &articles {
        for doc in schema::documents(f, article, &origin) {
            writer.add_document(doc).map_err(FileError::Index)?;
        }
    }
    Ok(FileOutcome::Written {
        replaced: previous.is_some(),
        articles: articles.len(),
        quotes: articles.iter().map(|a| a.quotes.len()).sum(),
        entities: articles.iter().map(|a| a.entities.len()).sum(),
        bytes: bytes.len(),
        warnings: warnings.iter().map(|w| w.to_string()).collect(),
    })
}

pub(crate) fn content_hash(bytes: &[u8]) -> String {
    debug_assert!(bytes.len() as u64 <= MAX_FILE_BYTES);
    let mut h = blake3::Hasher::new();
    h.update(PARSER_VERSION.as_bytes());
    h.update(bytes);
    h.finalize().to_hex()[..32].to_owned()
}

/// key -> hash of the articles already indexed from `root`.
fn existing_hashes(opened: &super::Opened, root: &str) -> Result<HashMap<String, Indexed>> {
    let reader = opened.index.reader()?;
    let searcher = reader.searcher();
    let query = tantivy::query::TermQuery::new(
        Term::from_field_text(opened.fields.root, root),
        tantivy::schema::IndexRecordOption::Basic,
    );
    let kind = tantivy::query::TermQuery::new(
        Term::from_field_text(opened.fields.kind, KIND_ARTICLE),
        tantivy::schema::IndexRecordOption::Basic,
    );
    let both = tantivy::query::BooleanQuery::intersection(vec![Box::new(query), Box::new(kind)]);
    let docs = searcher.search(&both, &tantivy::collector::DocSetCollector)?;
    let mut out = HashMap::with_capacity(docs.len());
    let mut by_segment: HashMap<u32, Vec<u32>> = HashMap::new();
    for d in docs {
        by_segment.entry(d.segment_ord).or_default().push(d.doc_id);
    }
    for (seg, ids) in by_segment {
        let ff = searcher.segment_reader(seg).fast_fields();
        let (Some(keys), Some(hashes)) = (ff.str("key")?, ff.str("hash")?) else {
            continue;
        };
        for id in ids {
            let (mut k, mut h) = (String::new(), String::new());
            if let (Some(ko), Some(ho)) = (keys.term_ords(id).next(), hashes.term_ords(id).next()) {
                keys.ord_to_str(ko, &mut k)
                    .map_err(|e| Error::io(&opened.dir, e))?;
                hashes
                    .ord_to_str(ho, &mut h)
                    .map_err(|e| Error::io(&opened.dir, e))?;
                out.insert(
                    k,
                    Indexed {
                        hash: h,
                        seen: AtomicBool::new(false),
                    },
                );
            }
        }
    }
    Ok(out)
}

fn lock_error(dir: &Path, e: tantivy::TantivyError) -> Error {
    use tantivy::directory::error::LockError;
    use tantivy::TantivyError::LockFailure;
    match e {
        LockFailure(LockError::LockBusy, _) => Error::Locked(dir.into()),
        // The writer's lock is the first file a run writes.
        LockFailure(LockError::IoError(io), _) => Error::ReadOnly(dir.into(), io.kind()),
        other => super::open_error(dir, other),
    }
}

/// The most memory tantivy gives one indexing thread (its
/// `MEMORY_BUDGET_NUM_BYTES_MAX`, not exported), and the least.
const MAX_THREAD_MEMORY: usize = u32::MAX as usize - 1_000_000;
const MIN_THREAD_MEMORY: usize = 15_000_000;

/// tantivy's share of the run's memory: three quarters, and never less
/// than one indexing thread needs.
fn writer_memory(opts: &IngestOptions) -> usize {
    (opts.memory_budget / 4 * 3).max(MIN_THREAD_MEMORY)
}

/// Whether tantivy can use the memory budget with the threads it will
/// have; said before the index is touched, in the options' own terms.
fn check_memory(opts: &IngestOptions) -> Result<()> {
    let mb = |bytes: usize| bytes / (1024 * 1024);
    let asked = mb(opts.memory_budget);
    let budget = writer_memory(opts);
    let threads = if opts.threads > 0 {
        opts.threads
    } else {
        // As tantivy's `Index::writer` picks them; it uses fewer threads
        // rather than too little memory.
        std::thread::available_parallelism().map_or(1, |n| n.get().min(8))
    };
    if budget / threads > MAX_THREAD_MEMORY {
        return Err(Error::Memory {
            asked,
            why: format!(
                "tantivy uses at most {} MB per indexing thread, {} MB with {threads} \
                 (lower --memory, or raise --threads)",
                mb(MAX_THREAD_MEMORY),
                mb(MAX_THREAD_MEMORY) * threads
            ),
        });
    }
    if opts.threads > 0 && budget / threads < MIN_THREAD_MEMORY {
        return Err(Error::Memory {
            asked,
            why: format!(
                "tantivy needs at least 15 MB per indexing thread, {} MB for {threads} \
                 (raise --memory, or lower --threads)",
                15 * threads
            ),
        });
    }
    Ok(())
}
