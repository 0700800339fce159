//! `newsidx export --format opensearch-bulk`: the documents `index
//! --backend opensearch=…` would send, as `_bulk` NDJSON (an action line,
//! then the document), for users who load them with their own tools.
//!
//! From a directory (parsed here, in parallel, written in walk order) or
//! from an embedded index (its stored articles, without parsing again).

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde_json::json;
use tantivy::collector::DocSetCollector;
use tantivy::query::TermQuery;
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{TantivyDocument, Term};

use super::document::{self, FileDocuments, Prepared};
use crate::article::ParseOptions;
use crate::discover::Found;
use crate::index::dedup::{self, Grouper, NothingCommitted};
use crate::index::ingest::content_hash;
use crate::index::rekey;
use crate::index::schema::{Grouped, Origin, Stored, KIND_ARTICLE};
use crate::index::Skipped;
use crate::pipeline::{Files, Handler, InOrder, Next};
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

/// Articles remembered to find copies among (as the embedded index
/// remembers with its default memory budget).
const REMEMBERED: usize = (crate::index::ingest::DEFAULT_MEMORY >> 3) / dedup::ENTRY_BYTES;

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

/// The pipeline's handler for an export: a file's hash and articles.
struct Read<'a> {
    parse: &'a ParseOptions,
}

impl Handler for Read<'_> {
    type State = String;
    type Output = (String, Vec<Article>);
    type Error = Error;

    fn read(&self, _: &Found, bytes: &[u8]) -> Result<Next<String, Self::Output>> {
        Ok(Next::Parse(content_hash(bytes, self.parse)))
    }

    fn parsed(
        &self,
        _: &Found,
        _: &[u8],
        hash: String,
        articles: Vec<Article>,
    ) -> Result<Self::Output> {
        Ok((hash, articles))
    }
}

/// Parses the articles under `root` (with the pipeline every command
/// shares) and writes their documents for `index`, in walk order; files
/// that cannot be read are skipped and counted. Copies of a story are
/// grouped as `index` groups them, in walk order (so the same each time).
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
    let grouper = Grouper::new(NothingCommitted, REMEMBERED);
    let files = Files::new(&root, select, opts);
    let tally = files.run_in_order(&Read { parse: opts }, |item| -> Result<()> {
        let InOrder::File {
            found,
            result: Ok((hash, articles)),
            ..
        } = item
        else {
            return Ok(());
        };
        let key = format!("{}/{}", root_str.trim_end_matches('/'), found.id);
        let groups: Vec<Grouped> = articles
            .iter()
            .map(|a| match grouper.group(&a.body, &key, &a.path, &hash) {
                Ok(g) => g,
                Err(never) => match never {},
            })
            .collect();
        let path = found.path.to_string_lossy();
        let origin = Origin {
            key: &key,
            root: &root_str,
            path: &path,
            hash: &hash,
            grouped: None,
        };
        let docs = document::file_documents(&articles, &origin, &groups);
        write_file(out, index, &docs, &mut stats).map_err(io_error)
    })?;
    stats.skipped = tally.skipped;
    stats.passed = tally.passed;
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
            let article = article_of(&doc, f);
            let grouped = rekey::grouped(&doc, f, &article);
            articles.push((article, grouped));
        }
        // The parse order is not kept: by id (and so the same ids).
        articles.sort_by(|a, b| a.0.path.cmp(&b.0.path));
        // The index's groups, where it has them (all its articles or none).
        let groups: Vec<Grouped> = articles.iter().filter_map(|(_, g)| g.clone()).collect();
        let articles: Vec<Article> = articles.into_iter().map(|(a, _)| a).collect();
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
            &groups,
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
