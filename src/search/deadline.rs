//! Searches that stop at their deadline: a collector that looks at the
//! clock between segments and every few thousand matches, and gives up.
//!
//! tantivy's collectors cannot end a segment early (`collect` returns
//! nothing), so giving up is an unwind, caught around the one search it
//! came from: the search ends as [`Error::Timeout`] and its thread is free
//! for the next request. tantivy's searcher only reads (its segments are
//! shared, immutable), so nothing is left half-done by the unwind.

use std::panic::{self, AssertUnwindSafe};
use std::time::Instant;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::query::Query;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use crate::{Error, Result};

/// Matches collected between two looks at the clock: about a tenth of a
/// millisecond of work.
const CHECK_EVERY: u32 = 4096;

/// The payload of the unwind that ends a search past its deadline.
struct PastDeadline;

/// Runs `collector` over the matches of `query`, giving up at `deadline`.
pub fn search<C: Collector>(
    searcher: &tantivy::Searcher,
    query: &dyn Query,
    collector: &C,
    deadline: Option<Instant>,
) -> Result<C::Fruit> {
    let Some(at) = deadline else {
        return Ok(searcher.search(query, collector)?);
    };
    check(at)?;
    let bounded = Bounded {
        inner: collector,
        at,
    };
    match panic::catch_unwind(AssertUnwindSafe(|| searcher.search(query, &bounded))) {
        Ok(fruit) => Ok(fruit?),
        Err(payload) if payload.is::<PastDeadline>() => Err(Error::Timeout),
        Err(payload) => panic::resume_unwind(payload),
    }
}

/// [`Error::Timeout`] once `at` has passed.
pub fn check(at: Instant) -> Result<()> {
    if Instant::now() >= at {
        return Err(Error::Timeout);
    }
    Ok(())
}

fn give_up_after(at: Instant) {
    if Instant::now() >= at {
        // Not a panic: no hook runs, nothing is printed.
        panic::resume_unwind(Box::new(PastDeadline));
    }
}

struct Bounded<'c, C> {
    inner: &'c C,
    at: Instant,
}

impl<C: Collector> Collector for Bounded<'_, C> {
    type Fruit = C::Fruit;
    type Child = BoundedSegment<C::Child>;

    fn for_segment(
        &self,
        ord: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<Self::Child> {
        give_up_after(self.at);
        Ok(BoundedSegment {
            inner: self.inner.for_segment(ord, segment)?,
            at: self.at,
            since_check: 0,
        })
    }

    fn requires_scoring(&self) -> bool {
        self.inner.requires_scoring()
    }

    fn merge_fruits(
        &self,
        fruits: Vec<<Self::Child as SegmentCollector>::Fruit>,
    ) -> tantivy::Result<Self::Fruit> {
        self.inner.merge_fruits(fruits)
    }
}

struct BoundedSegment<S> {
    inner: S,
    at: Instant,
    since_check: u32,
}

impl<S: SegmentCollector> BoundedSegment<S> {
    fn tick(&mut self, n: u32) {
        if slowed() {
            for _ in 0..n {
                std::thread::sleep(std::time::Duration::from_millis(50));
                give_up_after(self.at);
            }
        }
        self.since_check += n;
        if self.since_check >= CHECK_EVERY {
            self.since_check = 0;
            give_up_after(self.at);
        }
    }
}

#[cfg(debug_assertions)]
thread_local! {
    static SLOWED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// While alive, searches on this thread take 50 ms per match when
/// `NEWSIDX_FAULT=slow-search:WORD` is set and `query` holds WORD (debug
/// builds only), so that the tests can make one search slow.
pub struct Slowed(());

impl Slowed {
    pub fn for_query(query: &str) -> Slowed {
        #[cfg(debug_assertions)]
        if let Ok(fault) = std::env::var("NEWSIDX_FAULT") {
            if let Some(word) = fault.strip_prefix("slow-search:") {
                SLOWED.set(query.contains(word));
            }
        }
        let _ = query;
        Slowed(())
    }
}

impl Drop for Slowed {
    fn drop(&mut self) {
        #[cfg(debug_assertions)]
        SLOWED.set(false);
    }
}

fn slowed() -> bool {
    #[cfg(debug_assertions)]
    return SLOWED.get();
    #[cfg(not(debug_assertions))]
    false
}

impl<S: SegmentCollector> SegmentCollector for BoundedSegment<S> {
    type Fruit = S::Fruit;

    fn collect(&mut self, doc: DocId, score: Score) {
        self.tick(1);
        self.inner.collect(doc, score);
    }

    fn collect_block(&mut self, docs: &[DocId]) {
        self.tick(docs.len() as u32);
        self.inner.collect_block(docs);
    }

    fn harvest(self) -> Self::Fruit {
        self.inner.harvest()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;
    use tantivy::collector::Count;
    use tantivy::query::AllQuery;
    use tantivy::schema::{Schema, TEXT};
    use tantivy::{doc, Index, IndexWriter};

    fn index(docs: usize) -> Index {
        let mut b = Schema::builder();
        let text = b.add_text_field("text", TEXT);
        let index = Index::create_in_ram(b.build());
        let mut w: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        for i in 0..docs {
            w.add_document(doc!(text => format!("doc {i}"))).unwrap();
        }
        w.commit().unwrap();
        index
    }

    /// Counts like `Count`, slowly.
    struct Slow;
    struct SlowSegment(usize);

    impl Collector for Slow {
        type Fruit = usize;
        type Child = SlowSegment;
        fn for_segment(
            &self,
            _: SegmentOrdinal,
            _: &SegmentReader,
        ) -> tantivy::Result<SlowSegment> {
            Ok(SlowSegment(0))
        }
        fn requires_scoring(&self) -> bool {
            false
        }
        fn merge_fruits(&self, f: Vec<usize>) -> tantivy::Result<usize> {
            Ok(f.into_iter().sum())
        }
    }

    impl SegmentCollector for SlowSegment {
        type Fruit = usize;
        fn collect(&mut self, _: DocId, _: Score) {
            std::thread::sleep(Duration::from_micros(20));
            self.0 += 1;
        }
        fn harvest(self) -> usize {
            self.0
        }
    }

    #[test]
    fn a_search_past_its_deadline_stops_and_one_within_it_answers() {
        let index = index(20_000);
        let searcher = index.reader().unwrap().searcher();
        // 20,000 matches at 20 µs each would take 0.4 s.
        let started = Instant::now();
        let slow = search(
            &searcher,
            &AllQuery,
            &Slow,
            Some(started + Duration::from_millis(30)),
        );
        assert!(matches!(slow, Err(Error::Timeout)), "{slow:?}");
        let far = Some(Instant::now() + Duration::from_secs(60));
        assert_eq!(search(&searcher, &AllQuery, &Count, far).unwrap(), 20_000);
        assert_eq!(search(&searcher, &AllQuery, &Count, None).unwrap(), 20_000);
        let past = Some(Instant::now() - Duration::from_millis(1));
        assert!(matches!(
            search(&searcher, &AllQuery, &Count, past),
            Err(Error::Timeout)
        ));
    }
}
