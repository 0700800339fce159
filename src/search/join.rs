//! Quotes filtered by what their article holds (`quotes --entity`): the
//! keys of the matching articles, as a filter on quote documents.
//!
//! Quote documents keep their article's key, not its entities: a join at
//! query time keeps the index as it is (no re-indexing, no larger index).

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::StrColumn;
use tantivy::query::{Query, TermSetQuery};
use tantivy::schema::Field;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader, Term};

use crate::Result;

/// A filter on documents whose `key` is the key of a document matching
/// `articles`.
pub fn same_key(
    searcher: &tantivy::Searcher,
    articles: &dyn Query,
    key: Field,
    key_name: &str,
) -> Result<Box<dyn Query>> {
    let keys = searcher.search(
        articles,
        &Keys {
            field: key_name.to_owned(),
        },
    )?;
    let terms = keys.iter().map(|k| Term::from_field_text(key, k));
    Ok(Box::new(TermSetQuery::new(terms)))
}

/// Collects the values of a string fast field.
struct Keys {
    field: String,
}

struct SegmentKeys {
    column: Option<StrColumn>,
    keys: Vec<String>,
}

impl Collector for Keys {
    type Fruit = Vec<String>;
    type Child = SegmentKeys;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<SegmentKeys> {
        Ok(SegmentKeys {
            column: segment.fast_fields().str(&self.field)?,
            keys: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Vec<String>>) -> tantivy::Result<Vec<String>> {
        let mut all: Vec<String> = fruits.into_iter().flatten().collect();
        all.sort_unstable();
        all.dedup();
        Ok(all)
    }
}

impl SegmentCollector for SegmentKeys {
    type Fruit = Vec<String>;

    fn collect(&mut self, doc: DocId, _: Score) {
        let Some(column) = &self.column else {
            return;
        };
        for ord in column.term_ords(doc) {
            let mut key = String::new();
            if column.ord_to_str(ord, &mut key).unwrap_or(false) {
                self.keys.push(key);
            }
        }
    }

    fn harvest(self) -> Vec<String> {
        self.keys
    }
}
