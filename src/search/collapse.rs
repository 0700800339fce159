//! Near-duplicates shown once: articles by their group, quotes by their
//! words and speaker. Counts count groups, not copies.
//!
//! Most articles are alone in their group. The groups with more than one
//! article are the terms of the `copy` field (a stale term, left by a
//! deleted copy, only sends a lone article the slower way); a match in
//! any other group is counted on its own, without a set.

use std::sync::Arc;

use rustc_hash::{FxHashMap, FxHashSet};
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::schema::Field;
use tantivy::{DateTime, DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

use crate::Result;

/// Groups with more than one article (see the module doc).
pub type Led = Arc<FxHashSet<u64>>;

/// The groups in the terms of `copy`, across the searcher's segments.
pub fn led(searcher: &tantivy::Searcher, copy: Field) -> Result<Led> {
    let mut out = FxHashSet::default();
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(copy)?;
        let mut terms = inverted
            .terms()
            .stream()
            .map_err(tantivy::TantivyError::from)?;
        while terms.advance() {
            if let Ok(bytes) = <[u8; 8]>::try_from(terms.key()) {
                out.insert(u64::from_be_bytes(bytes));
            }
        }
    }
    Ok(Arc::new(out))
}

/// A u64 fast field of a segment, if the segment has it.
pub fn column(segment: &SegmentReader, field: &str) -> Option<Column<u64>> {
    segment.fast_fields().u64(field).ok()
}

/// The values of `field` of documents, by address.
pub struct Values {
    columns: Vec<Option<Column<u64>>>,
}

impl Values {
    pub fn new(searcher: &tantivy::Searcher, field: &str) -> Values {
        Values {
            columns: searcher
                .segment_readers()
                .iter()
                .map(|s| column(s, field))
                .collect(),
        }
    }

    /// The dates of documents, by address.
    pub fn dates(searcher: &tantivy::Searcher) -> Dates {
        Dates {
            columns: searcher
                .segment_readers()
                .iter()
                .map(|s| s.fast_fields().date("date").ok())
                .collect(),
        }
    }

    pub fn of(&self, addr: DocAddress) -> Option<u64> {
        self.columns
            .get(addr.segment_ord as usize)?
            .as_ref()?
            .first(addr.doc_id)
    }
}

/// The `date` of documents, by address.
pub struct Dates {
    columns: Vec<Option<Column<DateTime>>>,
}

impl Dates {
    pub fn of(&self, addr: DocAddress) -> Option<DateTime> {
        self.columns
            .get(addr.segment_ord as usize)?
            .as_ref()?
            .first(addr.doc_id)
    }
}

/// The first document of each value, in order; documents without a value
/// are each their own.
pub fn first_of_each(values: &Values, page: Vec<(f32, DocAddress)>) -> Vec<(f32, DocAddress)> {
    let mut seen = FxHashSet::default();
    page.into_iter()
        .filter(|(_, addr)| values.of(*addr).is_none_or(|v| seen.insert(v)))
        .collect()
}

/// Puts documents of equal score in an order that does not depend on
/// where the index put them: the earliest published first, then by
/// their key (path). Copies of a story score the same, and which of them
/// leads its group would otherwise follow the order the indexing threads
/// wrote them in, another from one index of the same files to the next.
/// Only the runs of equal scores inside `page` are ordered: a run cut by
/// the page's end keeps tantivy's choice of which of its documents are
/// in.
pub fn settle_ties(searcher: &tantivy::Searcher, page: &mut [(f32, DocAddress)]) {
    if !page.windows(2).any(|w| w[0].0 == w[1].0) {
        return;
    }
    let dates = Values::dates(searcher);
    let keys: Vec<_> = searcher
        .segment_readers()
        .iter()
        .map(|s| s.fast_fields().str("key").ok().flatten())
        .collect();
    let key = |addr: DocAddress| -> String {
        let mut out = String::new();
        if let Some(column) = keys.get(addr.segment_ord as usize).and_then(Option::as_ref) {
            if let Some(ord) = column.term_ords(addr.doc_id).next() {
                // An unreadable key sorts first; the order stays the same.
                let _ = column.ord_to_str(ord, &mut out);
            }
        }
        out
    };
    for run in page.chunk_by_mut(|a, b| a.0 == b.0) {
        if run.len() > 1 {
            run.sort_by_cached_key(|&(_, addr)| {
                let date = dates.of(addr);
                (date.is_none(), date, key(addr))
            });
        }
    }
}

/// Counts the distinct values of a u64 fast field among the matches
/// (documents without one count once each). With `led`, only values in it
/// go through a set.
pub struct Distinct {
    pub field: &'static str,
    pub led: Option<Led>,
}

pub struct SegmentDistinct {
    column: Option<Column<u64>>,
    led: Option<Led>,
    alone: usize,
    values: FxHashSet<u64>,
}

impl Collector for Distinct {
    type Fruit = usize;
    type Child = SegmentDistinct;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<SegmentDistinct> {
        Ok(SegmentDistinct {
            column: column(segment, self.field),
            led: self.led.clone(),
            alone: 0,
            values: FxHashSet::default(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<(usize, FxHashSet<u64>)>) -> tantivy::Result<usize> {
        let mut alone = 0;
        let mut all = FxHashSet::default();
        for (n, values) in fruits {
            alone += n;
            all.extend(values);
        }
        Ok(alone + all.len())
    }
}

impl SegmentCollector for SegmentDistinct {
    type Fruit = (usize, FxHashSet<u64>);

    fn collect(&mut self, doc: DocId, _: Score) {
        match self.column.as_ref().and_then(|c| c.first(doc)) {
            Some(v) if self.led.as_ref().is_none_or(|l| l.contains(&v)) => {
                self.values.insert(v);
            }
            _ => self.alone += 1,
        }
    }

    fn harvest(self) -> (usize, FxHashSet<u64>) {
        (self.alone, self.values)
    }
}

/// For each distinct value of a u64 fast field among the matches, its
/// earliest dated document (the first publication of a quote): value,
/// date (`None`: no match of it is dated) and address.
pub struct FirstSeen {
    pub field: &'static str,
}

pub type Seen = FxHashMap<u64, (Option<DateTime>, DocAddress)>;

pub struct SegmentFirstSeen {
    ord: SegmentOrdinal,
    column: Option<Column<u64>>,
    dates: Option<Column<DateTime>>,
    seen: Seen,
    /// Documents without a value, each its own.
    alone: Vec<(Option<DateTime>, DocAddress)>,
}

/// Whether `a` is earlier than `b` (a date before none).
fn earlier(a: Option<DateTime>, b: Option<DateTime>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => a < b,
        (Some(_), None) => true,
        _ => false,
    }
}

impl Collector for FirstSeen {
    type Fruit = Vec<(Option<DateTime>, DocAddress)>;
    type Child = SegmentFirstSeen;

    fn for_segment(
        &self,
        ord: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<SegmentFirstSeen> {
        Ok(SegmentFirstSeen {
            ord,
            column: column(segment, self.field),
            dates: segment.fast_fields().date("date").ok(),
            seen: Seen::default(),
            alone: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(
        &self,
        fruits: Vec<(Seen, Vec<(Option<DateTime>, DocAddress)>)>,
    ) -> tantivy::Result<Self::Fruit> {
        let mut all = Seen::default();
        let mut out = Vec::new();
        for (seen, alone) in fruits {
            out.extend(alone);
            for (v, (date, addr)) in seen {
                let e = all.entry(v).or_insert((date, addr));
                if earlier(date, e.0) || (date == e.0 && addr < e.1) {
                    *e = (date, addr);
                }
            }
        }
        out.extend(all.into_values());
        Ok(out)
    }
}

impl SegmentCollector for SegmentFirstSeen {
    type Fruit = (Seen, Vec<(Option<DateTime>, DocAddress)>);

    fn collect(&mut self, doc: DocId, _: Score) {
        let date = self.dates.as_ref().and_then(|c| c.first(doc));
        let addr = DocAddress::new(self.ord, doc);
        match self.column.as_ref().and_then(|c| c.first(doc)) {
            Some(v) => {
                let e = self.seen.entry(v).or_insert((date, addr));
                if earlier(date, e.0) {
                    *e = (date, addr);
                }
            }
            None => self.alone.push((date, addr)),
        }
    }

    fn harvest(self) -> Self::Fruit {
        (self.seen, self.alone)
    }
}

/// Newest first, the undated last; the earlier address first among equals.
pub fn newest_first(list: &mut [(Option<DateTime>, DocAddress)]) {
    list.sort_by(|a, b| match (a.0, b.0) {
        (Some(x), Some(y)) => y.cmp(&x).then(a.1.cmp(&b.1)),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.1.cmp(&b.1),
    });
}
