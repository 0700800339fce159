//! The directories indexed into an index: listed with their articles and
//! when they were last indexed, removed whole, and told apart when one is
//! inside another.
//!
//! When each was last indexed is in the commit's payload (JSON, written
//! with the commit that indexed it, so it is never out of step with the
//! documents); an index made before it lists its roots without a date.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use serde::{Deserialize, Serialize};
use tantivy::collector::Count;
use tantivy::query::{BooleanQuery, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{IndexWriter, TantivyDocument, Term};

use super::schema::KIND_ARTICLE;
use super::{Fields, Opened};
use crate::{Error, Result};

/// What the commit payload says of the roots.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub struct Payload {
    #[serde(default)]
    pub roots: BTreeMap<String, RootMeta>,
}

/// What the payload says of one root.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub struct RootMeta {
    /// When it was last indexed (RFC 3339, UTC).
    pub indexed: String,
}

impl Payload {
    /// The payload of the index's last commit (empty if it has none, or
    /// one this version cannot read).
    pub fn of(opened: &Opened) -> Payload {
        opened
            .index
            .load_metas()
            .ok()
            .and_then(|m| m.payload)
            .and_then(|p| serde_json::from_str(&p).ok())
            .unwrap_or_default()
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// Now, as the payload writes it.
pub fn now() -> String {
    time::OffsetDateTime::now_utc()
        .replace_nanosecond(0)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_default()
}

/// One indexed directory.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Root {
    pub path: String,
    pub articles: u64,
    /// When it was last indexed (RFC 3339), if the index says.
    pub indexed: Option<String>,
    /// The directory is not there any more.
    pub missing: bool,
}

/// The roots of an index, by path.
pub fn list(opened: &Opened) -> Result<Vec<Root>> {
    let reader = opened.index.reader()?;
    let searcher = reader.searcher();
    let f = &opened.fields;
    let payload = Payload::of(opened);
    let mut paths: Vec<String> = Vec::new();
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(f.root)?;
        let mut terms = inverted
            .terms()
            .stream()
            .map_err(tantivy::TantivyError::from)?;
        while terms.advance() {
            paths.push(String::from_utf8_lossy(terms.key()).into_owned());
        }
    }
    paths.extend(payload.roots.keys().cloned());
    paths.sort();
    paths.dedup();
    let mut out = Vec::with_capacity(paths.len());
    for path in paths {
        let articles = searcher.search(&articles_of(f, &path), &Count)? as u64;
        let indexed = payload.roots.get(&path).map(|m| m.indexed.clone());
        // A term left by deleted documents only.
        if articles == 0 && indexed.is_none() {
            continue;
        }
        out.push(Root {
            missing: !Path::new(&path).is_dir(),
            path,
            articles,
            indexed,
        });
    }
    Ok(out)
}

/// The article documents of a root.
pub fn articles_of(f: &Fields, root: &str) -> BooleanQuery {
    let term = |field, text: &str| -> Box<dyn tantivy::query::Query> {
        Box::new(TermQuery::new(
            Term::from_field_text(field, text),
            IndexRecordOption::Basic,
        ))
    };
    BooleanQuery::intersection(vec![term(f.root, root), term(f.kind, KIND_ARTICLE)])
}

/// The keys of a root's articles (each also the key of its quotes).
pub fn keys_of(opened: &Opened, searcher: &tantivy::Searcher, root: &str) -> Result<Vec<String>> {
    let f = &opened.fields;
    let docs = searcher.search(&articles_of(f, root), &tantivy::collector::DocSetCollector)?;
    let mut keys = Vec::with_capacity(docs.len());
    for addr in docs {
        let doc: TantivyDocument = searcher.doc(addr)?;
        if let Some(k) = doc.get_first(f.key).and_then(|v| v.as_str()) {
            keys.push(k.to_owned());
        }
    }
    keys.sort();
    keys.dedup();
    Ok(keys)
}

/// A path as the index names roots: absolute and canonical when it
/// exists; otherwise made absolute and cleaned of `.` and `..`, so that a
/// directory that is gone can still be named.
pub fn resolve(path: &Path) -> PathBuf {
    if let Ok(p) = path.canonicalize() {
        return p;
    }
    let abs = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut out = PathBuf::new();
    for c in abs.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// How a directory about to be indexed stands to the roots already there.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Overlap {
    /// The indexed root it is inside, if any.
    pub inside: Option<String>,
    /// The indexed roots inside it.
    pub contains: Vec<String>,
}

/// `dir` (canonical) against the index's roots.
pub fn overlap(roots: &[Root], dir: &Path) -> Overlap {
    let mut out = Overlap::default();
    for r in roots {
        let p = Path::new(&r.path);
        if p == dir {
            continue;
        }
        if dir.starts_with(p) {
            // The innermost.
            if out.inside.as_ref().is_none_or(|i| p.starts_with(i)) {
                out.inside = Some(r.path.clone());
            }
        } else if p.starts_with(dir) {
            out.contains.push(r.path.clone());
        }
    }
    out
}

/// What [`remove`] did.
#[derive(Debug, Clone, Serialize)]
pub struct Removed {
    pub root: String,
    pub articles: usize,
}

/// Removes the documents of `roots` (paths as [`list`] gives them), in
/// one commit.
pub fn remove(opened: &Opened, roots: &[String]) -> Result<Vec<Removed>> {
    let mut writer: IndexWriter<TantivyDocument> = opened
        .index
        .writer_with_num_threads(1, 15_000_000)
        .map_err(|e| super::ingest::lock_error(&opened.dir, e))?;
    super::recover::collect_garbage(&writer, &opened.dir)?;
    let reader = opened.index.reader()?;
    let searcher = reader.searcher();
    let mut payload = Payload::of(opened);
    let mut out = Vec::new();
    for root in roots {
        let keys = keys_of(opened, &searcher, root)?;
        for k in &keys {
            writer.delete_term(Term::from_field_text(opened.fields.key, k));
        }
        payload.roots.remove(root);
        out.push(Removed {
            root: root.clone(),
            articles: searcher.search(&articles_of(&opened.fields, root), &Count)?,
        });
    }
    let mut commit = writer.prepare_commit()?;
    commit.set_payload(&payload.to_json());
    commit.commit()?;
    writer.wait_merging_threads()?;
    Ok(out)
}

/// The root a user names: exactly, or the one path that ends with it.
pub fn find(roots: &[Root], named: &Path) -> Result<String> {
    let want = resolve(named);
    let want = want.to_string_lossy();
    if let Some(r) = roots.iter().find(|r| r.path == want) {
        return Ok(r.path.clone());
    }
    let known: Vec<&str> = roots.iter().map(|r| r.path.as_str()).collect();
    Err(Error::NotARoot {
        path: want.into_owned(),
        roots: known.join(", "),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root(p: &str) -> Root {
        Root {
            path: p.into(),
            articles: 1,
            indexed: None,
            missing: false,
        }
    }

    #[test]
    fn a_directory_inside_or_around_roots() {
        let roots = [root("/a"), root("/a/b"), root("/c/d"), root("/e")];
        let o = overlap(&roots, Path::new("/a/b/c"));
        assert_eq!(o.inside.as_deref(), Some("/a/b"));
        assert!(o.contains.is_empty());
        let o = overlap(&roots, Path::new("/c"));
        assert_eq!(o.inside, None);
        assert_eq!(o.contains, ["/c/d"]);
        assert_eq!(overlap(&roots, Path::new("/e")), Overlap::default());
        // A name that only starts the same is not inside.
        assert_eq!(overlap(&roots, Path::new("/ee")), Overlap::default());
    }

    #[test]
    fn a_gone_directory_is_resolved_without_the_disk() {
        let p = resolve(Path::new("/no/such/dir/../place/./x"));
        assert_eq!(p, Path::new("/no/such/place/x"));
    }
}
