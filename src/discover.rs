//! Finding the articles under a directory: hidden entries skipped,
//! symlinks not followed into loops, unreadable entries reported.
//!
//! Yields paths in a stable (sorted) order so runs are reproducible.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::article::Format;
use crate::select::{Pass, Passed, Selection};

/// A file to read, with its id (path relative to the walked root, `/`-separated).
#[derive(Debug, Clone)]
pub struct Found {
    pub path: PathBuf,
    pub id: String,
    pub format: Format,
}

/// Something under the root that could not be walked (a loop, a permission).
#[derive(Debug, Clone)]
pub struct WalkProblem {
    pub path: PathBuf,
    pub reason: String,
}

/// What a walk found: the article files, the entries it could not walk,
/// and the files it passed over (by reason).
#[derive(Debug, Default)]
pub struct Discovery {
    pub files: Vec<Found>,
    pub problems: Vec<WalkProblem>,
    pub passed: Passed,
}

/// One entry of a walk.
#[derive(Debug)]
pub enum Walked {
    /// An article file.
    File(Found),
    /// A file that is not read (see [`Selection`]), and why.
    Passed(PathBuf, Pass),
    Problem(WalkProblem),
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str()
        .is_some_and(|s| s.starts_with('.') && s != "." && s != "..")
}

/// Walks `root` (a directory, or a single file) for article files, lazily:
/// a million files are never all in memory at once.
///
/// Symlinks are followed, but walkdir detects loops and reports them as
/// problems instead of descending forever. Directories that `select`
/// excludes are not entered.
pub fn walk<'a>(root: &'a Path, select: &'a Selection) -> impl Iterator<Item = Walked> + Send + 'a {
    WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(move |e| {
            e.depth() == 0
                || !(is_hidden(e.file_name())
                    || e.file_type().is_dir() && select.excludes_dir(relative(root, e.path())))
        })
        .filter_map(move |entry| match entry {
            Ok(e) if !e.file_type().is_file() => None,
            Ok(e) => {
                let decided = select.decide(e.path(), relative(root, e.path()), e.depth() == 0);
                Some(match decided {
                    Ok(format) => Walked::File(Found {
                        id: id_for(root, e.path()),
                        path: e.into_path(),
                        format,
                    }),
                    Err(pass) => Walked::Passed(e.into_path(), pass),
                })
            }
            Err(e) => {
                let path = e
                    .path()
                    .map(Path::to_path_buf)
                    .unwrap_or_else(|| root.into());
                let reason = if e.loop_ancestor().is_some() {
                    "symlink loop".to_owned()
                } else {
                    e.io_error()
                        .map(|io| io.to_string())
                        .unwrap_or_else(|| e.to_string())
                };
                Some(Walked::Problem(WalkProblem { path, reason }))
            }
        })
}

fn relative<'p>(root: &Path, path: &'p Path) -> &'p Path {
    path.strip_prefix(root).unwrap_or(path)
}

/// Walks `root` for article files, all of them collected.
pub fn discover(root: &Path, select: &Selection) -> Discovery {
    let mut out = Discovery::default();
    for w in walk(root, select) {
        match w {
            Walked::File(f) => out.files.push(f),
            Walked::Passed(path, pass) => out.passed.add(&pass, &path),
            Walked::Problem(p) => out.problems.push(p),
        }
    }
    out
}

/// The id of a file: its path relative to the root (the file name when the
/// root is the file itself), with `/` separators.
pub fn id_for(root: &Path, path: &Path) -> String {
    let rel = path
        .strip_prefix(root)
        .ok()
        .filter(|r| !r.as_os_str().is_empty());
    let rel = rel.unwrap_or_else(|| Path::new(path.file_name().unwrap_or(path.as_os_str())));
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    #[test]
    fn finds_articles_skips_hidden_and_other_files() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::create_dir_all(root.join("world")).unwrap();
        fs::create_dir_all(root.join(".git")).unwrap();
        fs::write(root.join("world/a.txt"), "A\n\nb").unwrap();
        fs::write(root.join("b.md"), "# B\n\nb").unwrap();
        fs::write(root.join(".hidden.txt"), "H\n\nh").unwrap();
        fs::write(root.join(".git/c.txt"), "C\n\nc").unwrap();
        fs::write(root.join("photo.jpg"), "x").unwrap();
        fs::write(root.join("README.md"), "# About\n\nthis folder").unwrap();
        let d = discover(root, &Selection::default());
        let ids: Vec<_> = d.files.iter().map(|f| f.id.as_str()).collect();
        assert_eq!(ids, ["b.md", "world/a.txt"]);
        assert_eq!(d.passed.types["jpg"], 1);
        assert_eq!(d.passed.names, ["README.md"]);
        assert!(d.problems.is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn symlink_loops_are_reported_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::create_dir_all(root.join("sub")).unwrap();
        fs::write(root.join("sub/a.txt"), "A\n\nb").unwrap();
        std::os::unix::fs::symlink(root, root.join("sub/loop")).unwrap();
        let d = discover(root, &Selection::default());
        assert_eq!(d.files.len(), 1);
        assert_eq!(d.problems.len(), 1);
        assert_eq!(d.problems[0].reason, "symlink loop");
    }

    #[test]
    fn excluded_directories_are_not_entered() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::create_dir_all(root.join("drafts/x")).unwrap();
        fs::write(root.join("drafts/x/a.txt"), "A\n\nb").unwrap();
        fs::write(root.join("b.txt"), "B\n\nb").unwrap();
        let select = Selection::new(&["drafts".into()], &[]).unwrap();
        let d = discover(root, &select);
        assert_eq!(d.files.len(), 1);
        assert_eq!(d.passed.total(), 0);
    }

    #[test]
    fn a_single_file_is_its_own_root() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("one.txt");
        fs::write(&f, "T\n\nbody").unwrap();
        let d = discover(&f, &Selection::default());
        assert_eq!(d.files.len(), 1);
        assert_eq!(d.files[0].id, "one.txt");
    }
}
