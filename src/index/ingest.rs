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

use super::dedup::{self, InRun, Signature};
use super::gate::Gate;
use super::merge::BoundedMerges;
use super::schema::{self, DedupFields, Grouped, Origin, KIND_ARTICLE};
use super::{open_or_create, Fields};
use super::{rekey, roots};
use crate::article::{ParseOptions, ReadError, MAX_FILE_BYTES};
use crate::discover::{self, Found, Walked};
use crate::select::{Passed, Selection};
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
    /// Which files are read (`--ext`, `--exclude`, not-article names).
    pub select: Selection,
    /// An indexed directory that is now `root` (moved or renamed): its
    /// documents are re-pointed, not parsed again, where the file is the same.
    pub moved_from: Option<PathBuf>,
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
            select: Selection::default(),
            moved_from: None,
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
    /// Files the walk did not read, by reason (their type, their name,
    /// `--exclude`).
    pub passed: Passed,
    pub quotes: usize,
    pub entities: usize,
    /// Articles written that joined a group of near-duplicates.
    pub copies: usize,
    /// Files whose documents were re-pointed from another root, not parsed.
    pub moved: usize,
    /// What the run did beyond the files: a directory inside or around
    /// an indexed one, a moved directory found.
    pub notes: Vec<String>,
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
        return Err(gone(opts));
    }
    let root = opts
        .root
        .canonicalize()
        .map_err(|e| Error::io(&opts.root, e))?;
    check_memory(opts)?;
    let opened = open_or_create(&opts.index_dir)?;
    // The writer first: an index this user may not write to is said so
    // before anything else reads it.
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
    let known = roots::list(&opened)?;
    let overlap = roots::overlap(&known, &root);
    let mut notes = Vec::new();
    // A directory inside an indexed one is indexed as part of it: its
    // files keep the ids they have there, and nothing is indexed twice.
    let (index_root, prefix) = match &overlap.inside {
        Some(outer) => {
            let rel = discover::id_for(Path::new(outer), &root);
            notes.push(format!(
                "{} is inside {outer}, which is indexed: its files are indexed as part of \
                 it (ids {rel}/…); to index it on its own, `newsidx rm {outer}` first",
                root.display()
            ));
            (PathBuf::from(outer), format!("{rel}/"))
        }
        None => (root.clone(), String::new()),
    };
    let root_str = index_root.to_string_lossy().into_owned();
    if opened.fields.dedup.is_none() {
        notes.push(crate::search::OLD_INDEX.to_owned());
    }
    writer.set_merge_policy(Box::new(BoundedMerges::new(
        &opts.index_dir,
        opts.memory_budget as u64,
    )));
    let reader = opened.index.reader()?;
    let searcher = reader.searcher();
    let mut existing = existing_hashes(&opened, &searcher, &root_str)?;
    if !prefix.is_empty() {
        let under = format!("{}/{prefix}", root_str.trim_end_matches('/'));
        existing.retain(|k, _| k.starts_with(&under));
    }
    let mut payload = roots::Payload::of(&opened);
    // Indexed directories inside this one become part of it: their files'
    // keys are the same, their documents are re-pointed.
    for inner in &overlap.contains {
        let taken = existing_hashes(&opened, &searcher, inner)?;
        notes.push(format!(
            "{inner} is inside {}, and was indexed on its own: its {} files are now part of \
             it (not parsed again); to keep it apart, --exclude it",
            root.display(),
            taken.len()
        ));
        adopt(&mut existing, taken, inner, None);
        payload.roots.remove(inner);
    }
    if let Some(old) = &opts.moved_from {
        let old = roots::find(&known, old)?;
        if old != root_str {
            let taken = existing_hashes(&opened, &searcher, &old)?;
            notes.push(format!(
                "{old} moved to {root_str}: its {} files are re-pointed where unchanged",
                taken.len()
            ));
            adopt(&mut existing, taken, &old, Some(&root_str));
            payload.roots.remove(&old);
        }
    }
    // Files of directories that are gone, by content hash: found here,
    // they are re-pointed rather than parsed again.
    let mut gone_roots = Vec::new();
    let mut moved_map: HashMap<String, From> = HashMap::new();
    for r in known.iter().filter(|r| {
        r.missing
            && r.path != root_str
            && !overlap.contains.contains(&r.path)
            && opts
                .moved_from
                .as_ref()
                .is_none_or(|m| roots::resolve(m).to_string_lossy() != r.path)
    }) {
        gone_roots.push((r.path.clone(), r.articles));
        for (key, i) in existing_hashes(&opened, &searcher, &r.path)? {
            moved_map.insert(
                i.hash,
                From {
                    root: r.path.clone(),
                    key,
                },
            );
        }
    }
    let moved_map = Mutex::new(moved_map);

    // Two walks, not one list: for a progress bar the files are counted
    // first, then walked again as they are indexed, so a million paths are
    // never held at once. The count took about 4 s of a 1M-article ingest
    // (under 1%); the list had cost ~200 MB.
    if let Some(total) = total {
        total(
            discover::walk(&root, &opts.select)
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
    let dedup = f.dedup.map(|fields| Dedup {
        fields,
        body: f.body,
        key: f.key,
        searcher: reader.searcher(),
        in_run: Mutex::new(InRun::new(
            opts.memory_budget / 8 / super::dedup::ENTRY_BYTES,
        )),
    });
    discover::walk(&root, &opts.select)
        .par_bridge()
        .for_each(|walked| {
            let found = match walked {
                Walked::File(found) => {
                    counters.seen.fetch_add(1, Ordering::Relaxed);
                    found
                }
                Walked::Passed(path, pass) => {
                    lists
                        .lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .passed
                        .add(&pass, &path);
                    return;
                }
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
            let mut found = found;
            if !prefix.is_empty() {
                found.id = format!("{prefix}{}", found.id);
            }
            let run = Run {
                root_str: &root_str,
                existing: &existing,
                parse: &opts.parse,
                f,
                writer: &writer,
                gate: &gate,
                dedup: dedup.as_ref(),
                searcher: &searcher,
                moved: &moved_map,
            };
            let outcome = ingest_file(&found, &run);
            match outcome {
                Ok(FileOutcome::Unchanged) => counters.unchanged.fetch_add(1, Ordering::Relaxed),
                Ok(FileOutcome::Moved { articles, from }) => {
                    counters.articles.fetch_add(articles, Ordering::Relaxed);
                    if let Some(from) = from {
                        let mut l = lists.lock().unwrap_or_else(|p| p.into_inner());
                        *l.moved_from.entry(from).or_default() += articles;
                    }
                    counters.moved.fetch_add(1, Ordering::Relaxed)
                }
                Ok(FileOutcome::Written {
                    replaced,
                    articles,
                    quotes,
                    entities,
                    bytes,
                    warnings,
                    copies,
                }) => {
                    counters.articles.fetch_add(articles, Ordering::Relaxed);
                    counters.copies.fetch_add(copies, Ordering::Relaxed);
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

    let Lists {
        skipped,
        warnings,
        passed,
        moved_from,
    } = lists.into_inner().unwrap_or_else(|p| p.into_inner());
    for (old, total) in &gone_roots {
        let Some(n) = moved_from.get(old) else {
            continue;
        };
        notes.push(format!(
            "{old} is gone, and {n} of its {total} articles are here, unchanged: re-pointed, \
             not parsed again"
        ));
        if *n as u64 >= *total {
            payload.roots.remove(old);
        }
    }
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
        for (key, i) in existing.iter().filter(|(key, i)| {
            !i.seen.load(Ordering::Relaxed)
                && !unwalked.iter().any(|p| Path::new(key).starts_with(p))
        }) {
            writer.delete_term(Term::from_field_text(f.key, i.old_key(key)));
            stats.removed += 1;
        }
    }
    if prefix.is_empty() {
        payload.roots.insert(
            root_str.clone(),
            roots::RootMeta {
                indexed: roots::now(),
            },
        );
    }
    let mut writer = writer;
    let mut commit = writer.prepare_commit()?;
    commit.set_payload(&payload.to_json());
    commit.commit()?;
    writer.wait_merging_threads()?;

    stats.skipped = skipped;
    stats.skipped.sort_by(|a, b| a.path.cmp(&b.path));
    stats.warnings = warnings;
    stats.warnings.sort();
    stats.passed = passed;
    stats.passed.names.sort();
    stats.seen = counters.seen.into_inner();
    stats.added = counters.added.into_inner();
    stats.updated = counters.updated.into_inner();
    stats.unchanged = counters.unchanged.into_inner();
    stats.articles = counters.articles.into_inner();
    stats.quotes = counters.quotes.into_inner();
    stats.entities = counters.entities.into_inner();
    stats.copies = counters.copies.into_inner();
    stats.moved = counters.moved.into_inner();
    stats.notes = notes;
    stats.bytes = counters.bytes.into_inner() as u64;
    stats.seconds = started.elapsed().as_secs_f64();
    Ok(stats)
}

/// Files skipped, and files indexed with warnings.
#[derive(Default)]
struct Lists {
    skipped: Vec<Skipped>,
    warnings: Vec<(PathBuf, String)>,
    passed: Passed,
    /// Articles re-pointed from directories that are gone, by directory.
    moved_from: HashMap<String, usize>,
}

/// What the index holds of a file: its hash, and whether this run saw
/// the file (those it did not see are gone).
struct Indexed {
    hash: String,
    seen: AtomicBool,
    /// Indexed under another root (a directory moved, or one inside this
    /// one): re-pointed here when unchanged.
    from: Option<From>,
}

/// Where a file's documents are in the index, under another root.
#[derive(Debug, Clone)]
struct From {
    root: String,
    key: String,
}

impl Indexed {
    /// The key its documents have in the index now.
    fn old_key<'a>(&'a self, key: &'a str) -> &'a str {
        self.from.as_ref().map_or(key, |f| f.key.as_str())
    }
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
    copies: AtomicUsize,
    moved: AtomicUsize,
    bytes: AtomicUsize,
}

enum FileOutcome {
    Unchanged,
    /// Re-pointed from another root (`from`: a directory that is gone).
    Moved {
        articles: usize,
        from: Option<String>,
    },
    Written {
        replaced: bool,
        articles: usize,
        quotes: usize,
        entities: usize,
        bytes: usize,
        warnings: Vec<String>,
        copies: usize,
    },
}

enum FileError {
    Read(ReadError),
    Index(tantivy::TantivyError),
}

/// What every file of a run is indexed with.
struct Run<'a> {
    root_str: &'a str,
    existing: &'a HashMap<String, Indexed>,
    parse: &'a ParseOptions,
    f: &'a Fields,
    writer: &'a IndexWriter<TantivyDocument>,
    gate: &'a Gate,
    dedup: Option<&'a Dedup>,
    /// The last commit.
    searcher: &'a tantivy::Searcher,
    /// Files of directories that are gone, by content hash.
    moved: &'a Mutex<HashMap<String, From>>,
}

fn ingest_file(found: &Found, run: &Run) -> std::result::Result<FileOutcome, FileError> {
    let Run {
        root_str,
        existing,
        parse: opts,
        f,
        writer,
        gate,
        dedup,
        ..
    } = *run;
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
    let hash = content_hash(&bytes, opts);
    let path = found.path.to_string_lossy();
    match previous {
        Some(p) if p.hash == hash => {
            let Some(from) = &p.from else {
                return Ok(FileOutcome::Unchanged);
            };
            if let Some(articles) = repoint(run, found, &key, &path, &hash, from)? {
                return Ok(FileOutcome::Moved {
                    articles,
                    from: None,
                });
            }
        }
        Some(_) => {}
        None => {
            let claimed = run
                .moved
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .remove(&hash);
            if let Some(from) = claimed {
                if let Some(articles) = repoint(run, found, &key, &path, &hash, &from)? {
                    return Ok(FileOutcome::Moved {
                        articles,
                        from: Some(from.root),
                    });
                }
            }
        }
    }
    let (articles, warnings) = crate::load::parse(found, &bytes, opts).map_err(FileError::Read)?;
    // All documents of a file share its key: one delete replaces them all.
    if let Some(p) = previous {
        writer.delete_term(Term::from_field_text(f.key, p.old_key(&key)));
    }
    let mut copies = 0;
    for article in &articles {
        let grouped = match dedup {
            Some(d) => Some(d.group(article, &key, &hash).map_err(FileError::Index)?),
            None => None,
        };
        copies += usize::from(grouped.as_ref().is_some_and(|g| g.copy));
        let origin = Origin {
            key: &key,
            root: root_str,
            path: &path,
            hash: &hash,
            grouped: grouped.as_ref(),
        };
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
        copies,
    })
}

/// Writes the documents of a file indexed under another root (`from`)
/// under this one, from what is stored, and deletes the old ones; `None`
/// if the index holds no article of it after all.
fn repoint(
    run: &Run,
    found: &Found,
    key: &str,
    path: &str,
    hash: &str,
    from: &From,
) -> std::result::Result<Option<usize>, FileError> {
    let f = run.f;
    let addrs = rekey::articles_of_key(run.searcher, f, &from.key).map_err(FileError::Index)?;
    if addrs.is_empty() {
        return Ok(None);
    }
    // Before the new documents: the old key may be the new one.
    run.writer
        .delete_term(Term::from_field_text(f.key, &from.key));
    let old_file_id = from
        .key
        .strip_prefix(from.root.trim_end_matches('/'))
        .unwrap_or(&from.key)
        .trim_start_matches('/');
    for addr in &addrs {
        let doc: TantivyDocument = run.searcher.doc(*addr).map_err(FileError::Index)?;
        let mut article = rekey::stored_article(&doc, f);
        article.path = rekey::new_id(&article.path, old_file_id, &found.id);
        let grouped = rekey::grouped(&doc, f, &article);
        let origin = Origin {
            key,
            root: run.root_str,
            path,
            hash,
            grouped: grouped.as_ref(),
        };
        for d in schema::documents(f, &article, &origin) {
            run.writer.add_document(d).map_err(FileError::Index)?;
        }
    }
    Ok(Some(addrs.len()))
}

/// The files of another root (`taken`, keyed under it) as files of this
/// run's: under `moved_to`, the same paths under it; without it (a root
/// inside this one), the same keys.
fn adopt(
    existing: &mut HashMap<String, Indexed>,
    taken: HashMap<String, Indexed>,
    from_root: &str,
    moved_to: Option<&str>,
) {
    let from_prefix = format!("{}/", from_root.trim_end_matches('/'));
    for (old_key, i) in taken {
        let key = match moved_to {
            Some(root) => match old_key.strip_prefix(&from_prefix) {
                Some(rel) => format!("{}/{rel}", root.trim_end_matches('/')),
                None => continue,
            },
            None => old_key.clone(),
        };
        existing.insert(
            key,
            Indexed {
                hash: i.hash,
                seen: AtomicBool::new(false),
                from: Some(From {
                    root: from_root.to_owned(),
                    key: old_key,
                }),
            },
        );
    }
}

/// "no such directory", or for an indexed one, what to do about it.
fn gone(opts: &IngestOptions) -> Error {
    let named = roots::resolve(&opts.root);
    let indexed = super::open(&opts.index_dir)
        .ok()
        .and_then(|o| roots::list(&o).ok())
        .and_then(|list| list.into_iter().find(|r| Path::new(&r.path) == named));
    match indexed {
        Some(r) => Error::RootGone {
            root: r.path,
            articles: r.articles,
        },
        None => Error::NoDir(opts.root.clone()),
    }
}

/// Candidates from the index compared with an article, at most.
const MAX_CANDIDATES: usize = 8;

/// Near-duplicate grouping for a run: the index as it was committed, and
/// the articles written so far.
struct Dedup {
    fields: DedupFields,
    body: tantivy::schema::Field,
    key: tantivy::schema::Field,
    searcher: tantivy::Searcher,
    in_run: Mutex<InRun>,
}

impl Dedup {
    /// The group an article joins, or starts.
    fn group(&self, article: &crate::Article, key: &str, hash: &str) -> tantivy::Result<Grouped> {
        let sig = Signature::of(&article.body);
        let own = || dedup::new_group(&format!("{key}#{}", article.path), hash);
        if !sig.groupable() {
            return Ok(Grouped {
                group: own(),
                copy: false,
                bands: Vec::new(),
            });
        }
        let bands = sig.bands();
        let found = match self.committed(&sig, &bands, key)? {
            Some(g) => Some(g),
            None => self
                .in_run
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .find(&sig, &bands),
        };
        let group = found.unwrap_or_else(own);
        // Later articles of the run find this one (and its group).
        self.in_run
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(sig, &bands, group);
        Ok(Grouped {
            group,
            copy: found.is_some(),
            bands: bands.to_vec(),
        })
    }

    /// The group of an article of the last commit (under another key)
    /// that is a copy of `sig`: those sharing most bands are compared.
    fn committed(
        &self,
        sig: &Signature,
        bands: &[u64; dedup::BANDS],
        own_key: &str,
    ) -> tantivy::Result<Option<u64>> {
        use tantivy::schema::Value;
        use tantivy::{DocSet, TERMINATED};
        let mut shared: HashMap<tantivy::DocAddress, usize> = HashMap::new();
        for (ord, segment) in self.searcher.segment_readers().iter().enumerate() {
            let inverted = segment.inverted_index(self.fields.band)?;
            let alive = segment.alive_bitset();
            for b in bands {
                let term = Term::from_field_u64(self.fields.band, *b);
                let Some(mut postings) =
                    inverted.read_postings(&term, tantivy::schema::IndexRecordOption::Basic)?
                else {
                    continue;
                };
                let mut doc = postings.doc();
                while doc != TERMINATED {
                    if alive.is_none_or(|a| a.is_alive(doc)) {
                        *shared
                            .entry(tantivy::DocAddress::new(ord as u32, doc))
                            .or_default() += 1;
                    }
                    doc = postings.advance();
                }
            }
        }
        if shared.is_empty() {
            return Ok(None);
        }
        let mut candidates: Vec<(tantivy::DocAddress, usize)> = shared.into_iter().collect();
        candidates.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        for (addr, _) in candidates.into_iter().take(MAX_CANDIDATES) {
            let doc: TantivyDocument = self.searcher.doc(addr)?;
            let text = |field| doc.get_first(field).and_then(|v| v.as_str());
            if text(self.key) == Some(own_key) {
                continue;
            }
            let body = text(self.body).unwrap_or_default();
            if sig.same_story(&Signature::of(body)) {
                let group = doc.get_first(self.fields.group).and_then(|v| v.as_u64());
                if group.is_some() {
                    return Ok(group);
                }
            }
        }
        Ok(None)
    }
}

/// The file's bytes with the parser version and the options that change
/// what is parsed (only where they are not the defaults, so that a run
/// with them all is keyed as before): a run with `--field body=x` parses
/// again the files it reads otherwise.
pub(crate) fn content_hash(bytes: &[u8], opts: &ParseOptions) -> String {
    debug_assert!(bytes.len() as u64 <= MAX_FILE_BYTES);
    let mut h = blake3::Hasher::new();
    h.update(PARSER_VERSION.as_bytes());
    let defaults = ParseOptions::default();
    if opts.json_fields != defaults.json_fields {
        h.update(format!("{:?}", opts.json_fields).as_bytes());
    }
    if opts.date_order.is_some() {
        h.update(format!("{:?}", opts.date_order).as_bytes());
    }
    if !opts.entities {
        h.update(b"no entities");
    }
    h.update(bytes);
    h.finalize().to_hex()[..32].to_owned()
}

/// key -> hash of the articles already indexed from `root`.
fn existing_hashes(
    opened: &super::Opened,
    searcher: &tantivy::Searcher,
    root: &str,
) -> Result<HashMap<String, Indexed>> {
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
                        from: None,
                    },
                );
            }
        }
    }
    Ok(out)
}

pub(crate) fn lock_error(dir: &Path, e: tantivy::TantivyError) -> Error {
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
