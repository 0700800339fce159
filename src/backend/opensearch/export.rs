//! `newsidx export --format opensearch-bulk`: the documents `index
//! --backend opensearch=…` would send, as `_bulk` NDJSON (an action line,
//! then the document), for users who load them with their own tools.
//!
//! From a directory (parsed here, in parallel, written in walk order) or
//! from an embedded index (its stored articles, without parsing again).

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde_json::json;
use tantivy::collector::DocSetCollector;
use tantivy::query::TermQuery;
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{TantivyDocument, Term};

use super::document::{self, FileDocuments, Prepared};
use crate::article::ParseOptions;
use crate::discover::{self, Walked};
use crate::index::schema::{Origin, Stored, KIND_ARTICLE};
use crate::index::Skipped;
use crate::{Article, Error, Result};

/// What an export wrote.
#[derive(Debug, Default, Clone)]
pub struct ExportStats {
    pub files: usize,
    pub articles: usize,
    pub quotes: usize,
    /// Lines of NDJSON (two per document).
    pub lines: usize,
    pub skipped: Vec<Skipped>,
    /// Files not read, by reason.
    pub passed: crate::select::Passed,
}

/// Files parsed at once: their documents are held until written.
const FILES_PER_ROUND: usize = 256;

fn io_error(e: std::io::Error) -> Error {
    Error::io("<output>", e)
}

fn write_doc<W: Write>(out: &mut W, index: &str, d: &Prepared) -> std::io::Result<()> {
    serde_json::to_writer(&mut *out, &json!({"index": {"_index": index, "_id": d.id}}))?;
    out.write_all(b"\n")?;
    out.write_all(&d.source)?;
    out.write_all(b"\n")
}

fn write_file<W: Write>(
    out: &mut W,
    index: &str,
    f: &FileDocuments,
    stats: &mut ExportStats,
) -> std::io::Result<()> {
    for d in f.docs.iter().chain([&f.record]) {
        write_doc(out, index, d)?;
        stats.lines += 2;
        match d.kind {
            document::DocKind::Article => stats.articles += 1,
            document::DocKind::Quote => stats.quotes += 1,
            document::DocKind::File => stats.files += 1,
        }
    }
    Ok(())
}

/// Parses the articles under `root` and writes their documents for
/// `index`; files that cannot be read are skipped and counted.
pub fn from_dir<W: Write>(
    root: &Path,
    opts: &ParseOptions,
    select: &crate::select::Selection,
    index: &str,
    out: &mut W,
) -> Result<ExportStats> {
    if !root.exists() {
        return Err(Error::NoDir(root.into()));
    }
    let root = root.canonicalize().map_err(|e| Error::io(root, e))?;
    let root_str = root.to_string_lossy().into_owned();
    let mut stats = ExportStats::default();
    let mut walk = discover::walk(&root, select);
    loop {
        let mut round = Vec::with_capacity(FILES_PER_ROUND);
        for w in walk.by_ref() {
            match w {
                Walked::File(f) => round.push(f),
                Walked::Passed(path, pass) => stats.passed.add(&pass, &path),
                Walked::Problem(p) => stats.skipped.push(Skipped {
                    path: p.path,
                    reason: p.reason,
                    kind: "unwalkable",
                }),
            }
            if round.len() == FILES_PER_ROUND {
                break;
            }
        }
        if round.is_empty() {
            break;
        }
        let made: Vec<_> = round
            .par_iter()
            .map(|found| {
                let bytes = crate::load::read_bounded(&found.path)?;
                let hash = crate::index::ingest::content_hash(&bytes, opts);
                let (articles, _) = crate::load::parse(found, &bytes, opts)?;
                let key = format!("{}/{}", root_str.trim_end_matches('/'), found.id);
                let path = found.path.to_string_lossy();
                Ok(document::file_documents(
                    &articles,
                    &Origin {
                        key: &key,
                        root: &root_str,
                        path: &path,
                        hash: &hash,
                        grouped: None,
                    },
                ))
            })
            .collect();
        for (found, result) in round.iter().zip(made) {
            match result {
                Ok(f) => write_file(out, index, &f, &mut stats).map_err(io_error)?,
                Err(e) => {
                    let e: crate::article::ReadError = e;
                    stats.skipped.push(Skipped {
                        path: found.path.clone(),
                        reason: e.to_string(),
                        kind: e.kind(),
                    })
                }
            }
        }
    }
    Ok(stats)
}

/// Writes the documents of every article an embedded index holds, file by
/// file (in key order), without parsing anything again.
pub fn from_index<W: Write>(index_dir: &Path, index: &str, out: &mut W) -> Result<ExportStats> {
    let opened = crate::index::open(index_dir)?;
    let f = &opened.fields;
    let reader = opened
        .index
        .reader_builder()
        .reload_policy(tantivy::ReloadPolicy::Manual)
        .try_into()
        .map_err(|e: tantivy::TantivyError| crate::index::open_error(index_dir, e))?;
    let searcher = reader.searcher();
    let articles = TermQuery::new(
        Term::from_field_text(f.kind, KIND_ARTICLE),
        IndexRecordOption::Basic,
    );
    let addresses = searcher.search(&articles, &DocSetCollector)?;
    // key -> the addresses of its articles.
    let mut by_key: HashMap<String, Vec<tantivy::DocAddress>> = HashMap::new();
    for addr in addresses {
        let doc: TantivyDocument = searcher.doc(addr)?;
        by_key.entry(text(&doc, f.key)).or_default().push(addr);
    }
    let mut keys: Vec<String> = by_key.keys().cloned().collect();
    keys.sort_unstable();
    let mut stats = ExportStats::default();
    for key in keys {
        let mut articles = Vec::new();
        let (mut root, mut path, mut hash) = (String::new(), PathBuf::new(), String::new());
        for &addr in &by_key[&key] {
            let doc: TantivyDocument = searcher.doc(addr)?;
            root = text(&doc, f.root);
            path = PathBuf::from(text(&doc, f.path));
            hash = text(&doc, f.hash);
            articles.push(article_of(&doc, f));
        }
        // The parse order is not kept: by id (and so the same ids).
        articles.sort_by(|a, b| a.path.cmp(&b.path));
        let path = path.to_string_lossy();
        let docs = document::file_documents(
            &articles,
            &Origin {
                key: &key,
                root: &root,
                path: &path,
                hash: &hash,
                grouped: None,
            },
        );
        write_file(out, index, &docs, &mut stats).map_err(io_error)?;
    }
    Ok(stats)
}

fn text(doc: &TantivyDocument, field: tantivy::schema::Field) -> String {
    doc.get_first(field)
        .and_then(|v| v.as_str())
        .unwrap_or_default()
        .to_owned()
}

/// An article as the embedded index stored it (entities without spans).
fn article_of(doc: &TantivyDocument, f: &crate::index::Fields) -> Article {
    let opt = |field| Some(text(doc, field)).filter(|s| !s.is_empty());
    let stored: Stored = serde_json::from_str(&text(doc, f.extract)).unwrap_or_default();
    let date = doc
        .get_first(f.date)
        .and_then(|v| v.as_datetime())
        .map(|d| d.into_utc().date().to_string())
        .or(stored.date);
    Article {
        path: text(doc, f.id),
        title: text(doc, f.title),
        date,
        author: opt(f.author),
        source: opt(f.source),
        url: opt(f.url),
        lang: stored.lang,
        body: text(doc, f.body),
        quotes: stored.quotes,
        entities: stored.entities,
    }
}
