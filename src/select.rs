//! Which files of a walk are articles: by extension (`--ext`), not by
//! name (README, LICENSE…), not excluded (`--exclude GLOB`); the others are
//! passed over and counted, by reason.
//!
//! A file given as the walk's root itself is always read if its format is.

use std::collections::BTreeMap;
use std::path::Path;

use globset::{Glob, GlobBuilder, GlobSet, GlobSetBuilder};

use crate::article::Format;

/// File names (before the extension, any case) that are a data folder's
/// papers, not its articles.
const NOT_ARTICLES: &[&str] = &[
    "readme",
    "license",
    "licence",
    "copying",
    "provenance",
    "changelog",
    "authors",
    "contributors",
    "contributing",
    "code_of_conduct",
    "citation",
];

/// What a walk reads and what it passes over.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// Globs of paths (relative to the root) or names not to read.
    exclude: Option<GlobSet>,
    /// With `--ext`: the only extensions read, each with its format.
    exts: Option<BTreeMap<String, Format>>,
}

/// Why a file of the walk is not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pass {
    /// An extension newsidx does not read (or not among `--ext`): the
    /// extension, lower-cased (empty when there is none).
    Type(String),
    /// A README, LICENSE, PROVENANCE… file.
    Name,
    /// Matched by `--exclude`.
    Excluded,
}

/// Files passed over, counted by reason.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Passed {
    /// Per extension (`docx`, `xml`; `""` for none).
    pub types: BTreeMap<String, usize>,
    /// The names of files that are not articles by their name (the first
    /// few), and their number.
    pub names: Vec<String>,
    pub named: usize,
    pub excluded: usize,
}

/// Names of not-article files kept for the summary.
const NAMES_KEPT: usize = 8;

impl Passed {
    pub fn add(&mut self, pass: &Pass, path: &Path) {
        match pass {
            Pass::Type(ext) => *self.types.entry(ext.clone()).or_default() += 1,
            Pass::Name => {
                self.named += 1;
                if self.names.len() < NAMES_KEPT {
                    self.names.push(
                        path.file_name()
                            .map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
                    );
                }
            }
            Pass::Excluded => self.excluded += 1,
        }
    }

    pub fn merge(&mut self, other: Passed) {
        for (ext, n) in other.types {
            *self.types.entry(ext).or_default() += n;
        }
        self.named += other.named;
        for n in other.names {
            if self.names.len() < NAMES_KEPT {
                self.names.push(n);
            }
        }
        self.excluded += other.excluded;
    }

    pub fn total(&self) -> usize {
        self.types.values().sum::<usize>() + self.named + self.excluded
    }
}

impl Selection {
    /// From `--exclude` globs and `--ext` specs (`txt`, `.md`, `story=txt`:
    /// files ending `.story` read as text).
    pub fn new(exclude: &[String], exts: &[String]) -> Result<Selection, String> {
        let exclude = if exclude.is_empty() {
            None
        } else {
            let mut b = GlobSetBuilder::new();
            for g in exclude {
                b.add(glob(g)?);
            }
            Some(b.build().map_err(|e| e.to_string())?)
        };
        let exts = if exts.is_empty() {
            None
        } else {
            let mut map = BTreeMap::new();
            for spec in exts.iter().flat_map(|s| s.split(',')) {
                let (ext, format) = match spec.split_once('=') {
                    Some((ext, as_ext)) => {
                        let format = format_of_ext(as_ext).ok_or_else(|| {
                            format!(
                                "--ext {spec}: {as_ext:?} is not a format newsidx reads \
                                 (txt, md, html, json, jsonl)"
                            )
                        })?;
                        (ext, format)
                    }
                    None => {
                        let format = format_of_ext(spec).ok_or_else(|| {
                            format!(
                                "--ext {spec}: newsidx has no parser for it; name one: \
                                 --ext {}=txt (or md, html, json, jsonl)",
                                spec.trim().trim_start_matches('.')
                            )
                        })?;
                        (spec, format)
                    }
                };
                let ext = ext.trim().trim_start_matches('.').to_ascii_lowercase();
                if ext.is_empty() {
                    return Err(format!("--ext {spec:?}: no extension"));
                }
                map.insert(ext, format);
            }
            Some(map)
        };
        Ok(Selection { exclude, exts })
    }

    /// Whether a directory (at `rel` under the root) is left out whole.
    pub fn excludes_dir(&self, rel: &Path) -> bool {
        self.excluded(rel)
    }

    /// The format to read a file at `rel` under the root with, or why it
    /// is passed over. `named` is a file given as the root itself: it is
    /// read whatever its name.
    pub fn decide(&self, path: &Path, rel: &Path, named: bool) -> Result<Format, Pass> {
        if !named && self.excluded(rel) {
            return Err(Pass::Excluded);
        }
        let ext = path
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        let format = match &self.exts {
            Some(map) => map.get(&ext).copied(),
            None => Format::of(path),
        };
        let Some(format) = format else {
            return Err(Pass::Type(ext));
        };
        if !named && not_an_article(path) {
            return Err(Pass::Name);
        }
        Ok(format)
    }

    fn excluded(&self, rel: &Path) -> bool {
        let Some(set) = &self.exclude else {
            return false;
        };
        if rel.as_os_str().is_empty() {
            return false;
        }
        set.is_match(rel) || rel.file_name().is_some_and(|n| set.is_match(n))
    }
}

/// A glob as gitignore reads it: `*` stays within a path's part, `**`
/// crosses them; a glob without `/` also matches a name at any depth.
fn glob(g: &str) -> Result<Glob, String> {
    GlobBuilder::new(g.trim_start_matches("./").trim_end_matches('/'))
        .literal_separator(true)
        .build()
        .map_err(|e| format!("--exclude {g}: {e}"))
}

fn format_of_ext(ext: &str) -> Option<Format> {
    let ext = ext.trim().trim_start_matches('.');
    Format::of(Path::new(&format!("x.{ext}")))
}

/// README, LICENSE.txt, PROVENANCE.md, CHANGELOG…: a data folder's papers.
pub fn not_an_article(path: &Path) -> bool {
    let Some(stem) = path.file_stem().and_then(|s| s.to_str()) else {
        return false;
    };
    if NOT_ARTICLES.contains(&stem.to_ascii_lowercase().as_str()) {
        return true;
    }
    // "README.de.md", "LICENSE-MIT": in capitals, as such files are named
    // ("license-fees.txt" may be a story).
    let head = stem.split(['.', '-', '_']).next().unwrap_or(stem);
    head.len() < stem.len()
        && head.bytes().all(|b| b.is_ascii_uppercase() || b == b'_')
        && NOT_ARTICLES.contains(&head.to_ascii_lowercase().as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decide(s: &Selection, rel: &str) -> Result<Format, Pass> {
        s.decide(Path::new(rel), Path::new(rel), false)
    }

    #[test]
    fn papers_of_a_data_folder_are_not_articles_unless_named() {
        let s = Selection::default();
        for name in [
            "README.TXT",
            "PROVENANCE.md",
            "docs/CHANGELOG.md",
            "LICENSE-MIT.txt",
        ] {
            assert_eq!(decide(&s, name), Err(Pass::Name), "{name}");
        }
        assert_eq!(decide(&s, "license-fees-rise.txt"), Ok(Format::Text));
        assert_eq!(decide(&s, "newsroom.txt"), Ok(Format::Text));
        assert_eq!(decide(&s, "business/001.txt"), Ok(Format::Text));
        let named = Path::new("README.TXT");
        assert_eq!(s.decide(named, named, true), Ok(Format::Text));
    }

    #[test]
    fn other_types_are_passed_over_by_extension() {
        let s = Selection::default();
        assert_eq!(decide(&s, "a.docx"), Err(Pass::Type("docx".into())));
        assert_eq!(decide(&s, "Makefile"), Err(Pass::Type(String::new())));
    }

    #[test]
    fn ext_restricts_and_maps() {
        let s = Selection::new(&[], &["md,story=txt".into()]).unwrap();
        assert_eq!(decide(&s, "a.md"), Ok(Format::Markdown));
        assert_eq!(decide(&s, "a.STORY"), Ok(Format::Text));
        assert_eq!(decide(&s, "a.txt"), Err(Pass::Type("txt".into())));
        assert!(Selection::new(&[], &["docx".into()]).is_err());
        assert!(Selection::new(&[], &["x=docx".into()]).is_err());
    }

    #[test]
    fn exclude_matches_paths_and_names() {
        let s = Selection::new(
            &["drafts".into(), "*.bak.txt".into(), "world/**/old*".into()],
            &[],
        )
        .unwrap();
        assert_eq!(decide(&s, "a/b/x.bak.txt"), Err(Pass::Excluded));
        assert_eq!(decide(&s, "world/2020/old-1.txt"), Err(Pass::Excluded));
        assert_eq!(decide(&s, "sport/old-1.txt"), Ok(Format::Text));
        assert!(s.excludes_dir(Path::new("news/drafts")));
        assert!(!s.excludes_dir(Path::new("news/drafts2")));
        assert!(Selection::new(&["a[".into()], &[]).is_err());
    }

    #[test]
    fn passed_files_are_counted_by_reason() {
        let mut p = Passed::default();
        p.add(&Pass::Type("docx".into()), Path::new("a.docx"));
        p.add(&Pass::Type("docx".into()), Path::new("b.docx"));
        p.add(&Pass::Name, Path::new("x/README.TXT"));
        p.add(&Pass::Excluded, Path::new("d.txt"));
        assert_eq!(p.types["docx"], 2);
        assert_eq!(p.names, ["README.TXT"]);
        assert_eq!(p.total(), 4);
    }
}
