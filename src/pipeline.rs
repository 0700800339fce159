//! One file pipeline (discover → load → parse → extract) that `index` on
//! either backend, `export` and `parse` share: streaming, parallel, and
//! counting what it skips, passes over and warns about the same way.
//!
//! A [`Files`] walks a root lazily (a million paths are never held) and
//! hands each article file to a [`Handler`] on rayon's threads: the
//! handler sees the file's bytes first ([`Handler::read`]: an unchanged
//! file need not be parsed), then its articles ([`Handler::parsed`]),
//! and adds only what is its own (writing to tantivy, sending bulks,
//! printing). [`Files::run`] handles files in any order; [`Files::run_in_order`]
//! gives them back in walk order, a bounded round at a time.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::Mutex;

use rayon::prelude::*;

use crate::article::{ParseOptions, ReadError, Warning, MAX_FILE_BYTES};
use crate::discover::{self, Found, Walked};
use crate::index::gate::Gate;
use crate::select::{Passed, Selection};
use crate::Article;

/// A file that was not read or parsed, and why.
#[derive(Debug, Clone)]
pub struct Skipped {
    pub path: PathBuf,
    pub reason: String,
    /// Short stable name of the reason, for counts.
    pub kind: &'static str,
}

/// The `kind` of an entry the walk could not enter or read.
pub const UNWALKABLE: &str = "unwalkable";

/// What the pipeline counted over a run.
#[derive(Debug, Default, Clone)]
pub struct Tally {
    /// Article files found.
    pub seen: usize,
    /// Files parsed (and handed over).
    pub parsed: usize,
    /// Of the files parsed: their articles, quotes, entities and bytes.
    pub articles: usize,
    pub quotes: usize,
    pub entities: usize,
    pub bytes: u64,
    /// Entries the walk could not enter, and files that could not be read
    /// or parsed (sorted by path).
    pub skipped: Vec<Skipped>,
    /// Files parsed with a warning: path and message (sorted).
    pub warnings: Vec<(PathBuf, String)>,
    /// Files the walk did not read, by reason.
    pub passed: Passed,
}

impl Tally {
    /// Paths the walk could not enter: files under them may still be there.
    pub fn unwalked(&self) -> Vec<&Path> {
        self.skipped
            .iter()
            .filter(|s| s.kind == UNWALKABLE)
            .map(|s| s.path.as_path())
            .collect()
    }
}

/// What [`Handler::read`] decides for a file whose bytes are read.
pub enum Next<S, T> {
    /// Parse it, and hand its articles to [`Handler::parsed`] with this.
    Parse(S),
    /// Done without parsing (unchanged, re-pointed…).
    Done(T),
}

/// What a command does with each file. Called on rayon's threads.
pub trait Handler: Sync {
    /// Carried from [`Handler::read`] to [`Handler::parsed`] (a hash…).
    type State: Send;
    /// What a file gives.
    type Output: Send;
    /// A failure that stops the run (not a bad file: a bad file is
    /// skipped and counted).
    type Error: Send;

    /// A file the walk found, before it is read: its id may be changed,
    /// its presence noted (whether or not it can be read).
    fn found(&self, _found: &mut Found) {}

    /// The file's bytes: parse it, or be done with it.
    fn read(
        &self,
        found: &Found,
        bytes: &[u8],
    ) -> Result<Next<Self::State, Self::Output>, Self::Error>;

    /// The file's articles, parsed and annotated.
    fn parsed(
        &self,
        found: &Found,
        bytes: &[u8],
        state: Self::State,
        articles: Vec<Article>,
    ) -> Result<Self::Output, Self::Error>;
}

/// The handler that parses every file and hands back its articles
/// (`parse`).
pub struct ParseAll;

impl Handler for ParseAll {
    type State = ();
    type Output = Vec<Article>;
    type Error = std::convert::Infallible;

    fn read(&self, _: &Found, _: &[u8]) -> Result<Next<(), Vec<Article>>, Self::Error> {
        Ok(Next::Parse(()))
    }

    fn parsed(
        &self,
        _: &Found,
        _: &[u8],
        _: (),
        articles: Vec<Article>,
    ) -> Result<Vec<Article>, Self::Error> {
        Ok(articles)
    }
}

/// A file handed back in walk order by [`Files::run_in_order`].
pub enum InOrder<T> {
    /// A file: what the handler gave, or why it was skipped; and the
    /// warnings of its parsing.
    File {
        found: Found,
        result: Result<T, ReadError>,
        warnings: Vec<Warning>,
    },
    /// An entry the walk could not enter.
    Unwalkable(Skipped),
}

/// The article files under a root, as a pipeline.
pub struct Files<'a> {
    root: &'a Path,
    select: &'a Selection,
    parse: &'a ParseOptions,
    gate: Option<&'a Gate>,
}

/// Files handed back in order are parsed this many at a time, at most…
const ROUND_FILES: usize = 256;
/// …and about this many bytes (a larger file makes a round of its own):
/// a round's articles are held until they are handed back.
const ROUND_BYTES: u64 = 32 << 20;

impl<'a> Files<'a> {
    pub fn new(root: &'a Path, select: &'a Selection, parse: &'a ParseOptions) -> Files<'a> {
        Files {
            root,
            select,
            parse,
            gate: None,
        }
    }

    /// Files wait for memory at `gate` before they are read (see
    /// [`crate::index::gate`]); the reservation is held until the
    /// handler is done with the file.
    pub fn with_gate(mut self, gate: &'a Gate) -> Files<'a> {
        self.gate = Some(gate);
        self
    }

    /// The article files under the root, counted (for a progress bar: a
    /// walk of its own, so that the files are never held).
    pub fn count(&self) -> usize {
        discover::walk(self.root, self.select)
            .filter(|w| matches!(w, Walked::File(_)))
            .count()
    }

    /// Handles every file, in parallel and in any order; `on_file` is
    /// called once per file handled. The first handler error stops the
    /// run (files under way finish) and is returned.
    pub fn run<H: Handler>(
        &self,
        handler: &H,
        on_file: &(dyn Fn() + Sync),
    ) -> Result<Tally, H::Error> {
        let shared = Shared::default();
        let stop = AtomicBool::new(false);
        let failure: Mutex<Option<H::Error>> = Mutex::new(None);
        // Entries that are not files are counted as the walk meets them
        // (in walk order), not on the workers.
        let files = discover::walk(self.root, self.select).filter_map(|w| shared.file(w));
        files.par_bridge().for_each(|mut found| {
            if stop.load(Ordering::Relaxed) {
                return;
            }
            handler.found(&mut found);
            match self.file(handler, &found, &shared) {
                Ok(Handled { result, .. }) => {
                    if let Err(e) = result {
                        shared.skip(&found, &e);
                    }
                }
                Err(e) => {
                    stop.store(true, Ordering::Relaxed);
                    lock(&failure).get_or_insert(e);
                }
            }
            on_file();
        });
        if let Some(e) = failure.into_inner().unwrap_or_else(|p| p.into_inner()) {
            return Err(e);
        }
        Ok(shared.into_tally())
    }

    /// Handles every file, in parallel a round at a time, and gives each
    /// to `emit` in walk order (with the entries the walk could not
    /// enter). The first error, of the handler or of `emit`, stops the run.
    pub fn run_in_order<H: Handler, E>(
        &self,
        handler: &H,
        mut emit: impl FnMut(InOrder<H::Output>) -> Result<(), E>,
    ) -> Result<Tally, E>
    where
        E: From<H::Error>,
    {
        let shared = Shared::default();
        let mut walk = discover::walk(self.root, self.select);
        loop {
            // The next round: files, and the unwalkable entries among them.
            let mut round: Vec<Result<Found, Skipped>> = Vec::new();
            let (mut files, mut bytes) = (0, 0u64);
            for w in walk.by_ref() {
                match w {
                    Walked::Problem(p) => {
                        let s = Skipped {
                            path: p.path,
                            reason: p.reason,
                            kind: UNWALKABLE,
                        };
                        lock(&shared.lists).skipped.push(s.clone());
                        round.push(Err(s));
                    }
                    other => {
                        if let Some(mut found) = shared.file(other) {
                            handler.found(&mut found);
                            bytes += std::fs::metadata(&found.path).map_or(0, |m| m.len());
                            files += 1;
                            round.push(Ok(found));
                        }
                    }
                }
                if files >= ROUND_FILES || bytes >= ROUND_BYTES {
                    break;
                }
            }
            if round.is_empty() {
                break;
            }
            let done: Vec<Result<InOrder<H::Output>, H::Error>> = round
                .into_par_iter()
                .map(|entry| match entry {
                    Err(s) => Ok(InOrder::Unwalkable(s)),
                    Ok(found) => {
                        let Handled { result, warnings } = self.file(handler, &found, &shared)?;
                        if let Err(e) = &result {
                            shared.skip(&found, e);
                        }
                        Ok(InOrder::File {
                            found,
                            result,
                            warnings,
                        })
                    }
                })
                .collect();
            for item in done {
                emit(item?)?;
            }
        }
        Ok(shared.into_tally())
    }

    /// One file: read, decided on, parsed, handed over.
    fn file<H: Handler>(
        &self,
        handler: &H,
        found: &Found,
        shared: &Shared,
    ) -> Result<Handled<H::Output>, H::Error> {
        // Held until the handler is done with the file (its documents
        // handed to tantivy, whose buffers count from there).
        let _reserved = self.gate.map(|g| {
            let len = std::fs::metadata(&found.path).map_or(0, |m| m.len().min(MAX_FILE_BYTES));
            g.reserve(len, found.format)
        });
        let failed = |e| Handled {
            result: Err(e),
            warnings: Vec::new(),
        };
        let bytes = match crate::load::read_bounded(&found.path) {
            Ok(b) => b,
            Err(e) => return Ok(failed(e)),
        };
        let state = match handler.read(found, &bytes)? {
            Next::Done(out) => {
                return Ok(Handled {
                    result: Ok(out),
                    warnings: Vec::new(),
                })
            }
            Next::Parse(state) => state,
        };
        let (articles, warnings) = match crate::load::parse(found, &bytes, self.parse) {
            Ok(parsed) => parsed,
            Err(e) => return Ok(failed(e)),
        };
        let counts = Counts::of(&articles, bytes.len());
        let out = handler.parsed(found, &bytes, state, articles)?;
        shared.parsed(found, counts, &warnings);
        Ok(Handled {
            result: Ok(out),
            warnings,
        })
    }
}

/// A file's outcome inside the pipeline.
struct Handled<T> {
    result: Result<T, ReadError>,
    warnings: Vec<Warning>,
}

/// What a parsed file adds to the tally.
struct Counts {
    articles: usize,
    quotes: usize,
    entities: usize,
    bytes: usize,
}

impl Counts {
    fn of(articles: &[Article], bytes: usize) -> Counts {
        Counts {
            articles: articles.len(),
            quotes: articles.iter().map(|a| a.quotes.len()).sum(),
            entities: articles.iter().map(|a| a.entities.len()).sum(),
            bytes,
        }
    }
}

/// The tally as the workers add to it.
#[derive(Default)]
struct Shared {
    seen: AtomicUsize,
    parsed: AtomicUsize,
    articles: AtomicUsize,
    quotes: AtomicUsize,
    entities: AtomicUsize,
    bytes: AtomicU64,
    lists: Mutex<Lists>,
}

#[derive(Default)]
struct Lists {
    skipped: Vec<Skipped>,
    warnings: Vec<(PathBuf, String)>,
    passed: Passed,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Shared {
    /// The file of a walked entry; the others are counted.
    fn file(&self, walked: Walked) -> Option<Found> {
        match walked {
            Walked::File(found) => {
                self.seen.fetch_add(1, Ordering::Relaxed);
                Some(found)
            }
            Walked::Passed(path, pass) => {
                lock(&self.lists).passed.add(&pass, &path);
                None
            }
            Walked::Problem(p) => {
                lock(&self.lists).skipped.push(Skipped {
                    path: p.path,
                    reason: p.reason,
                    kind: UNWALKABLE,
                });
                None
            }
        }
    }

    fn skip(&self, found: &Found, e: &ReadError) {
        lock(&self.lists).skipped.push(Skipped {
            path: found.path.clone(),
            reason: e.to_string(),
            kind: e.kind(),
        });
    }

    fn parsed(&self, found: &Found, c: Counts, warnings: &[Warning]) {
        self.parsed.fetch_add(1, Ordering::Relaxed);
        self.articles.fetch_add(c.articles, Ordering::Relaxed);
        self.quotes.fetch_add(c.quotes, Ordering::Relaxed);
        self.entities.fetch_add(c.entities, Ordering::Relaxed);
        self.bytes.fetch_add(c.bytes as u64, Ordering::Relaxed);
        if !warnings.is_empty() {
            lock(&self.lists)
                .warnings
                .extend(warnings.iter().map(|w| (found.path.clone(), w.to_string())));
        }
    }

    fn into_tally(self) -> Tally {
        let Lists {
            mut skipped,
            mut warnings,
            mut passed,
        } = self.lists.into_inner().unwrap_or_else(|p| p.into_inner());
        skipped.sort_by(|a, b| a.path.cmp(&b.path));
        warnings.sort();
        passed.names.sort();
        Tally {
            seen: self.seen.into_inner(),
            parsed: self.parsed.into_inner(),
            articles: self.articles.into_inner(),
            quotes: self.quotes.into_inner(),
            entities: self.entities.into_inner(),
            bytes: self.bytes.into_inner(),
            skipped,
            warnings,
            passed,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    /// Parses everything, and keeps the titles.
    struct Titles;

    impl Handler for Titles {
        type State = ();
        type Output = Vec<String>;
        type Error = std::convert::Infallible;

        fn read(&self, _: &Found, bytes: &[u8]) -> Result<Next<(), Vec<String>>, Self::Error> {
            // A file that says so is not parsed.
            Ok(if bytes.starts_with(b"SKIP") {
                Next::Done(Vec::new())
            } else {
                Next::Parse(())
            })
        }

        fn parsed(
            &self,
            _: &Found,
            _: &[u8],
            _: (),
            articles: Vec<Article>,
        ) -> Result<Vec<String>, Self::Error> {
            Ok(articles.into_iter().map(|a| a.title).collect())
        }
    }

    fn corpus() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for i in 0..600 {
            fs::write(
                root.join(format!("{i:03}.txt")),
                format!("Title {i}\n\nThe body of article {i}, long enough to be one.\n"),
            )
            .unwrap();
        }
        fs::write(root.join("empty.txt"), "").unwrap();
        fs::write(root.join("skip.txt"), "SKIP\n\nnot parsed").unwrap();
        fs::write(root.join("README.md"), "# About\n\nthis folder").unwrap();
        fs::write(root.join("photo.jpg"), "x").unwrap();
        dir
    }

    #[test]
    fn files_come_back_in_walk_order_with_their_skips_counted() {
        let dir = corpus();
        let (select, opts) = (Selection::default(), ParseOptions::default());
        let files = Files::new(dir.path(), &select, &opts);
        let mut titles = Vec::new();
        let mut skipped = Vec::new();
        let tally = files
            .run_in_order(&Titles, |item| -> Result<(), std::convert::Infallible> {
                match item {
                    InOrder::File {
                        result: Ok(t),
                        found,
                        ..
                    } => {
                        if t.is_empty() {
                            titles.push(found.id);
                        }
                        titles.extend(t);
                    }
                    InOrder::File {
                        result: Err(e),
                        found,
                        ..
                    } => skipped.push((found.id, e.kind())),
                    InOrder::Unwalkable(s) => skipped.push((s.path.display().to_string(), "")),
                }
                Ok(())
            })
            .unwrap();
        let mut expected: Vec<String> = (0..600).map(|i| format!("Title {i}")).collect();
        expected.push("skip.txt".into());
        assert_eq!(titles, expected);
        assert_eq!(skipped, [("empty.txt".to_owned(), "empty")]);
        assert_eq!(tally.seen, 602);
        assert_eq!(tally.parsed, 600);
        assert_eq!(tally.articles, 600);
        assert_eq!(tally.skipped.len(), 1);
        assert_eq!(tally.passed.names, ["README.md"]);
        assert_eq!(tally.passed.types["jpg"], 1);
    }

    #[test]
    fn files_in_any_order_are_each_handled_once() {
        let dir = corpus();
        let (select, opts) = (Selection::default(), ParseOptions::default());
        let gate = Gate::new(1 << 20);
        let files = Files::new(dir.path(), &select, &opts).with_gate(&gate);
        let handled = AtomicUsize::new(0);
        let tally = files.run(&Titles, &|| {
            handled.fetch_add(1, Ordering::Relaxed);
        });
        let tally = tally.unwrap();
        assert_eq!(handled.into_inner(), 602);
        assert_eq!(tally.parsed, 600);
        assert_eq!(tally.skipped[0].kind, "empty");
        assert_eq!(files.count(), 602);
    }

    #[test]
    fn a_handler_error_stops_the_run() {
        struct Fails;
        impl Handler for Fails {
            type State = ();
            type Output = ();
            type Error = String;
            fn read(&self, found: &Found, _: &[u8]) -> Result<Next<(), ()>, String> {
                Err(found.id.clone())
            }
            fn parsed(&self, _: &Found, _: &[u8], _: (), _: Vec<Article>) -> Result<(), String> {
                Ok(())
            }
        }
        let dir = corpus();
        let (select, opts) = (Selection::default(), ParseOptions::default());
        let files = Files::new(dir.path(), &select, &opts);
        assert!(files.run(&Fails, &|| {}).is_err());
        let emitted = std::cell::Cell::new(0);
        let got = files.run_in_order(&Fails, |_| {
            emitted.set(emitted.get() + 1);
            Ok::<(), String>(())
        });
        assert_eq!(got.unwrap_err(), "000.txt");
        assert_eq!(emitted.get(), 0);
    }
}
