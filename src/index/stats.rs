//! `newsidx stats`: what an index holds (articles, quotes, names, groups
//! of near-duplicates, the dated share) and what it takes on disk.

use std::path::Path;

use serde::Serialize;
use tantivy::collector::Count;
use tantivy::query::{BooleanQuery, ExistsQuery, Occur, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::Term;

use super::schema::{KIND_ARTICLE, KIND_QUOTE};
use super::Opened;
use crate::Result;

/// What an index holds.
#[derive(Debug, Clone, Serialize)]
pub struct IndexStats {
    pub articles: u64,
    pub quotes: u64,
    /// Distinct speakers (people and organisations quoted).
    pub speakers: u64,
    /// Distinct entities of each kind, and in all.
    pub entities: u64,
    pub people: u64,
    pub organisations: u64,
    pub places: u64,
    pub other_names: u64,
    /// Articles with a date, and their share of all.
    pub dated: u64,
    pub dated_share: f64,
    /// Groups of near-duplicates with more than one article, and the
    /// articles in them (`None`: an index made before groups).
    pub groups: Option<u64>,
    pub grouped_articles: Option<u64>,
    pub roots: usize,
    pub segments: usize,
    /// Documents (articles and quotes) deleted but still on disk until a
    /// merge.
    pub deleted: u64,
    pub bytes: u64,
}

/// Bytes of the files in the index directory.
pub fn size_on_disk(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .filter_map(|e| e.metadata().ok())
                .filter(|m| m.is_file())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}

/// Counts what the index holds.
pub fn stats(opened: &Opened) -> Result<IndexStats> {
    let reader = opened.index.reader()?;
    let searcher = reader.searcher();
    let f = &opened.fields;
    let kind = |k: &str| TermQuery::new(Term::from_field_text(f.kind, k), IndexRecordOption::Basic);
    let articles = searcher.search(&kind(KIND_ARTICLE), &Count)? as u64;
    let quotes = searcher.search(&kind(KIND_QUOTE), &Count)? as u64;
    let dated = searcher.search(
        &BooleanQuery::new(vec![
            (Occur::Must, Box::new(kind(KIND_ARTICLE))),
            (
                Occur::Must,
                Box::new(ExistsQuery::new("date".into(), false)),
            ),
        ]),
        &Count,
    )? as u64;
    let names = crate::search::facet_name_counts(&searcher)?;
    let count = |root: &str| names.iter().find(|(r, _)| r == root).map_or(0, |(_, n)| *n);
    let (groups, grouped_articles) = match f.dedup {
        Some(d) => {
            let led = crate::search::collapse::led(&searcher, d.copy)?;
            let mut groups = 0;
            let mut members = 0;
            for g in led.iter() {
                let n = searcher.search(
                    &TermQuery::new(Term::from_field_u64(d.group, *g), IndexRecordOption::Basic),
                    &Count,
                )? as u64;
                if n > 1 {
                    groups += 1;
                    members += n;
                }
            }
            (Some(groups), Some(members))
        }
        None => (None, None),
    };
    let people = count("person");
    let organisations = count("org");
    let places = count("place");
    let other_names = count("misc");
    Ok(IndexStats {
        articles,
        quotes,
        speakers: count("speaker"),
        entities: people + organisations + places + other_names,
        people,
        organisations,
        places,
        other_names,
        dated,
        dated_share: if articles > 0 {
            dated as f64 / articles as f64
        } else {
            0.0
        },
        groups,
        grouped_articles,
        roots: super::roots::list(opened)?.len(),
        segments: searcher.segment_readers().len(),
        deleted: searcher
            .segment_readers()
            .iter()
            .map(|s| u64::from(s.num_deleted_docs()))
            .sum(),
        bytes: size_on_disk(&opened.dir),
    })
}
