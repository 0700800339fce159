//! Recovery from a run that was killed or hit a full disk: the files its
//! unfinished commit left are found and deleted before the next one writes.
//!
//! tantivy names a file in `.managed.json` before it creates it
//! (`ManagedDirectory::register_file_as_managed`), and a commit becomes
//! visible only when `meta.json` is renamed into place. So everything an
//! aborted commit wrote is on that list but named by no `meta.json`, which
//! is what tantivy's own garbage collection deletes. It only runs after a
//! commit succeeds, though, and a re-run that does what the aborted one did
//! stamps the same opstamps: its delete bitset `<segment>.<opstamp>.del`
//! then meets the aborted one's, and `open_write` (which never overwrites)
//! fails with `FileAlreadyExists` on every run. Collecting the garbage first
//! breaks that, and frees the space of the aborted segments.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use tantivy::directory::{INDEX_WRITER_LOCK, META_LOCK};
use tantivy::{IndexWriter, Opstamp, TantivyDocument};

use crate::{Error, Result};

/// tantivy's list of the files it created in an index directory.
const MANAGED: &str = ".managed.json";

/// Deletes the files of aborted commits from the index `writer` holds.
///
/// Run before the writer writes anything: it holds the index's writer
/// lock, so no other process is writing there, and a searcher opens only
/// what a `meta.json` names (one still on an older commit keeps its files
/// mapped, as it does when tantivy collects them after a commit).
pub(super) fn collect_garbage(writer: &IndexWriter<TantivyDocument>, dir: &Path) -> Result<()> {
    writer.garbage_collect_files().wait()?;
    // tantivy's list is made durable only when a commit syncs the
    // directory, so after a power cut a stray delete bitset may be missing
    // from it. A bitset of a segment the last commit names, but under
    // another opstamp than the commit gives it, belongs to no commit; left
    // there it would wedge the index as above.
    let live: HashMap<String, Option<Opstamp>> = writer
        .index()
        .searchable_segment_metas()?
        .iter()
        .map(|m| (m.id().uuid_string(), m.delete_opstamp()))
        .collect();
    let mut garbage = Vec::new();
    for entry in fs::read_dir(dir).map_err(|e| Error::io(dir, e))? {
        let path = entry.map_err(|e| Error::io(dir, e))?.path();
        let stale_deletes = delete_bitset(&path)
            .is_some_and(|(id, opstamp)| live.get(id).is_some_and(|&d| d != Some(opstamp)));
        if stale_deletes || is_draft(&path) {
            garbage.push(path);
        }
    }
    remove(&garbage)
}

/// What an aborted first run left in `dir`, a directory without
/// `meta.json`: `Some(files)` to delete before the index is created there,
/// or `None` if `dir` holds anything that is not tantivy's, or a list of
/// segments (an index that lost its `meta.json`, not one never made).
///
/// `Index::create` writes `.managed.json` (naming only `meta.json`) and
/// then `meta.json`, each as a draft renamed into place; a kill before the
/// second rename leaves the list, drafts, and lock files. Lock files stay:
/// another process may hold a lock on one.
pub(super) fn aborted_creation(dir: &Path) -> Result<Option<Vec<PathBuf>>> {
    let locks = [
        INDEX_WRITER_LOCK.filepath.as_path(),
        META_LOCK.filepath.as_path(),
    ];
    let mut leftovers = Vec::new();
    for entry in fs::read_dir(dir).map_err(|e| Error::io(dir, e))? {
        let path = entry.map_err(|e| Error::io(dir, e))?.path();
        let name = Path::new(path.file_name().unwrap_or_default());
        if locks.contains(&name) && path.is_file() {
            continue;
        }
        let ours = if name == Path::new(MANAGED) {
            read_small(&path)
                .and_then(|bytes| serde_json::from_slice::<HashSet<String>>(&bytes).ok())
                .is_some_and(|listed| listed.iter().all(|f| f == "meta.json"))
        } else {
            is_draft(&path)
        };
        if !ours {
            return Ok(None);
        }
        leftovers.push(path);
    }
    Ok(Some(leftovers))
}

/// Deletes `files`; one already gone is no error.
pub(super) fn remove(files: &[PathBuf]) -> Result<()> {
    for f in files {
        match fs::remove_file(f) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(Error::io(f, e)),
            _ => {}
        }
    }
    Ok(())
}

/// The segment id and opstamp of a delete bitset, `<32 hex>.<opstamp>.del`.
fn delete_bitset(path: &Path) -> Option<(&str, Opstamp)> {
    let name = path.file_name()?.to_str()?;
    let (id, rest) = name.split_once('.')?;
    let opstamp = rest.strip_suffix(".del")?.parse().ok()?;
    (id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit())).then_some((id, opstamp))
}

/// Whether `path` is a draft of one of tantivy's atomic writes, left by a
/// process killed before it renamed the draft into place. tantivy writes
/// `meta.json` and `.managed.json` through `tempfile` in the index
/// directory: `.tmp` and six random letters or digits, holding nothing yet,
/// the JSON list of files, or the index meta (with its schema and segments).
/// Both name and content must match, so no one else's file is taken for one.
fn is_draft(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    let named = name
        .strip_prefix(".tmp")
        .is_some_and(|r| r.len() == 6 && r.bytes().all(|b| b.is_ascii_alphanumeric()));
    if !named || !path.is_file() {
        return false;
    }
    let Some(bytes) = read_small(path) else {
        return false;
    };
    if bytes.is_empty() || serde_json::from_slice::<Vec<String>>(&bytes).is_ok() {
        return true;
    }
    serde_json::from_slice::<serde_json::Value>(&bytes).is_ok_and(|v| {
        ["schema", "segments", "opstamp"]
            .iter()
            .all(|k| v.get(k).is_some())
    })
}

/// The bytes of a file if it is small enough to be one of tantivy's JSON
/// files (a `meta.json` takes about 200 bytes a segment).
fn read_small(path: &Path) -> Option<Vec<u8>> {
    const MAX: u64 = 64 * 1024 * 1024;
    let len = fs::metadata(path).ok()?.len();
    (len <= MAX).then(|| fs::read(path).ok()).flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    use tantivy::schema::{Schema, STRING};
    use tantivy::{doc, Index, Term};

    #[test]
    fn drafts_are_known_by_name_and_content() {
        let dir = tempfile::tempdir().unwrap();
        let at = |name: &str, text: &str| {
            let p = dir.path().join(name);
            fs::write(&p, text).unwrap();
            p
        };
        assert!(is_draft(&at(".tmpAb12Cd", "")));
        assert!(is_draft(&at(".tmpAb12Ce", "[\"meta.json\"]\n")));
        assert!(is_draft(&at(
            ".tmpAb12Cf",
            r#"{"schema": [], "segments": [], "opstamp": 0}"#
        )));
        assert!(!is_draft(&at(".tmpAb12Cg", "my notes")));
        assert!(!is_draft(&at(".tmpAb12C", "")), "five random letters");
        assert!(!is_draft(&at("tmpAb12Ch", "")));
        assert!(!is_draft(&at(".tmpAb12Ci", r#"{"segments": []}"#)));
    }

    #[test]
    fn an_aborted_creation_is_only_tantivys_files_and_no_segments() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        assert_eq!(aborted_creation(d).unwrap(), Some(vec![]));
        fs::write(d.join(".tantivy-writer.lock"), "").unwrap();
        fs::write(d.join(MANAGED), "[\"meta.json\"]\n").unwrap();
        fs::write(
            d.join(".tmpXy12Zw"),
            "{\"schema\":[],\"segments\":[],\"opstamp\":0}",
        )
        .unwrap();
        let mut left = aborted_creation(d).unwrap().expect("all tantivy's");
        left.sort();
        assert_eq!(left, vec![d.join(MANAGED), d.join(".tmpXy12Zw")]);

        fs::write(d.join("notes.txt"), "mine").unwrap();
        assert_eq!(aborted_creation(d).unwrap(), None);
        fs::remove_file(d.join("notes.txt")).unwrap();
        fs::write(d.join(MANAGED), "[\"meta.json\", \"0123.store\"]").unwrap();
        assert_eq!(aborted_creation(d).unwrap(), None, "segments were written");
        fs::write(d.join(MANAGED), "not json").unwrap();
        assert_eq!(aborted_creation(d).unwrap(), None);
    }

    #[test]
    fn a_stale_delete_bitset_missing_from_tantivys_list_is_collected() {
        let dir = tempfile::tempdir().unwrap();
        let mut b = Schema::builder();
        let key = b.add_text_field("key", STRING);
        let index = Index::create_in_dir(dir.path(), b.build()).unwrap();
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        writer.add_document(doc!(key => "a")).unwrap();
        writer.add_document(doc!(key => "b")).unwrap();
        writer.commit().unwrap();
        drop(writer);
        let segment = index.searchable_segment_metas().unwrap()[0].id();
        // A writer's stamps start at the committed opstamp: the delete
        // below takes it, and its commit (with the bitset) the next one.
        let opstamp = index.load_metas().unwrap().opstamp + 1;
        // As after a power cut: the bitset of an aborted commit that did
        // the same, not on tantivy's list of its files.
        let name = format!("{}.{opstamp}.del", segment.uuid_string());
        let stale = dir.path().join(name);
        fs::write(&stale, "").unwrap();

        let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        writer.garbage_collect_files().wait().unwrap();
        assert!(
            stale.exists(),
            "tantivy's collection keeps what it did not list"
        );
        collect_garbage(&writer, dir.path()).unwrap();
        assert!(!stale.exists());
        writer.delete_term(Term::from_field_text(key, "a"));
        writer.commit().unwrap();
        let metas = index.searchable_segment_metas().unwrap();
        assert_eq!(
            metas[0].delete_opstamp(),
            Some(opstamp),
            "the commit wrote the bitset under the stale one's name"
        );
        assert_eq!(index.reader().unwrap().searcher().num_docs(), 1);
    }
}
