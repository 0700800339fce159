//! Searching an index: articles ([`Searcher::search`]), quotes
//! ([`Searcher::quotes`]) and the most quoted or mentioned names
//! ([`Searcher::facets`]).
//!
//! Requests and results are plain data; rendering is elsewhere.

pub mod collapse;
mod deadline;
pub(crate) mod hits;
mod join;
pub(crate) mod kinds;
mod names;
pub(crate) mod query;
pub(crate) mod syntax;
pub mod timeline;

pub use query::MAX_QUERY_BYTES;

use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{DocAddress, IndexReader, Order, ReloadPolicy, TantivyDocument, Term};

use crate::index::{self, Fields, Opened};
use crate::{Article, Entity, EntityKind, Error, Result};
use names::{Fold, GlobalNames, NameCounter, NameCounts};

pub use hits::{CopyRef, EntityRef, Hit, QuoteHit, QuoteRef, COPIES_LISTED};

/// The deepest page a request may reach (offset + limit): top-k
/// collectors allocate for k, so a huge limit is refused, not attempted.
pub const MAX_WINDOW: usize = 100_000;

/// Said of an index made before near-duplicate groups.
pub const OLD_INDEX: &str = "this index was made before newsidx grouped copies of a story: \
     copies are shown apart (index into a new index, -i NEW, to group them)";

/// The most indexed directories an ambiguous article id names in its error.
const MAX_ROOTS: usize = 16;

/// How article hits are ordered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Sort {
    /// BM25 with field boosts; articles with every query word first.
    #[default]
    Relevance,
    /// Newest first.
    Date,
}

/// An article or quote search.
#[derive(Debug, Clone)]
pub struct SearchRequest {
    /// tantivy query syntax; empty matches everything.
    pub query: String,
    /// Only articles quoting all of these speakers; quotes of any of them.
    pub speakers: Vec<String>,
    /// Only articles that name these entities (all of them); quotes from
    /// such articles.
    pub entities: Vec<String>,
    /// Only articles (or quotes) in this language (an ISO 639 code).
    pub lang: Option<String>,
    /// The first day, inclusive.
    pub since: Option<time::Date>,
    /// The last day, inclusive.
    pub until: Option<time::Date>,
    pub sort: Sort,
    pub limit: usize,
    pub offset: usize,
    /// Words searched only as typed (no typo tolerance).
    pub exact: bool,
    /// When the request gives up ([`Error::Timeout`]); `None` for never.
    pub deadline: Option<std::time::Instant>,
    /// Near-duplicates once: an article per group (counts and facets count
    /// groups), a quote once (at its first publication). `false` shows
    /// every copy.
    pub collapse: bool,
}

impl Default for SearchRequest {
    fn default() -> Self {
        SearchRequest {
            query: String::new(),
            speakers: Vec::new(),
            entities: Vec::new(),
            lang: None,
            since: None,
            until: None,
            sort: Sort::Relevance,
            limit: 10,
            offset: 0,
            exact: false,
            deadline: None,
            collapse: true,
        }
    }
}

/// A page of article hits.
#[derive(Debug, Clone, Serialize)]
pub struct SearchResults {
    pub query: String,
    /// How the query was read, where that is not as written (an open
    /// quote, a prefix too short, words that cannot be searched).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// Articles that match, over all pages.
    pub total: usize,
    pub hits: Vec<Hit>,
}

/// A page of quote hits.
#[derive(Debug, Clone, Serialize)]
pub struct QuoteResults {
    pub query: String,
    /// As [`SearchResults::notes`].
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    pub total: usize,
    pub hits: Vec<QuoteHit>,
}

/// What [`Searcher::facets`] counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FacetKind {
    Speaker,
    Entity(Option<EntityKind>),
}

/// A name and the number of matching articles it occurs in.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct NameCount {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<EntityKind>,
    pub count: u64,
}

/// An open index, ready for queries. Cheap to share between threads.
pub struct Searcher {
    opened: Opened,
    reader: IndexReader,
    /// The facet names of the last commit searched (see [`names`]).
    names: std::sync::Mutex<Option<Arc<GlobalNames>>>,
    /// The archive's kind of each entity name in the last commit searched
    /// (its generation; see [`kinds`]).
    folds: std::sync::Mutex<Option<(u64, Fold)>>,
}

impl Searcher {
    /// Opens the index at `dir`; it sees new commits as they land (a
    /// thread watches the index for them).
    pub fn open(dir: &Path) -> Result<Searcher> {
        Self::open_with(dir, ReloadPolicy::OnCommitWithDelay)
    }

    /// Opens the index at `dir` as it is now, for a command that asks once:
    /// no thread is started to watch for commits.
    pub fn open_once(dir: &Path) -> Result<Searcher> {
        Self::open_with(dir, ReloadPolicy::Manual)
    }

    fn open_with(dir: &Path, policy: ReloadPolicy) -> Result<Searcher> {
        let opened = index::open(dir)?;
        let reader = opened
            .index
            .reader_builder()
            .reload_policy(policy)
            .try_into()
            .map_err(|e: tantivy::TantivyError| index::open_error(dir, e))?;
        Ok(Searcher {
            opened,
            reader,
            names: std::sync::Mutex::new(None),
            folds: std::sync::Mutex::new(None),
        })
    }

    pub fn fields(&self) -> &Fields {
        &self.opened.fields
    }

    /// Ranked articles for a request.
    pub fn search(&self, req: &SearchRequest) -> Result<SearchResults> {
        Ok(self.search_counting(req, &[])?.0)
    }

    /// Ranked articles for a request, and the most frequent names of each
    /// `kind` among all its matches (`names` of each), counted in the same
    /// pass over the matches.
    pub fn search_with_facets(
        &self,
        req: &SearchRequest,
        kinds: &[FacetKind],
        names: usize,
    ) -> Result<(SearchResults, Vec<Vec<NameCount>>)> {
        let (results, counts) = self.search_counting(req, kinds)?;
        let facets = kinds
            .iter()
            .map(|k| match &counts {
                Some((counter, counts)) => facet_names(counter, counts, kinds, *k, names),
                None => Vec::new(),
            })
            .collect();
        Ok((results, facets))
    }

    /// The facet names of `searcher`'s commit, merged once per commit.
    fn global_names(&self, searcher: &tantivy::Searcher) -> Result<Arc<GlobalNames>> {
        let generation = searcher.generation().generation_id();
        let mut cached = self.names.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(names) = cached.as_ref().filter(|n| n.generation == generation) {
            return Ok(Arc::clone(names));
        }
        let names = Arc::new(GlobalNames::build(searcher, "facets")?);
        *cached = Some(Arc::clone(&names));
        Ok(names)
    }

    /// Per facet of `searcher`'s commit, the facet it is counted as: an
    /// entity name under the kind the archive gives it ([`kinds`]), from
    /// the articles of the commit (a group of copies once), once per
    /// commit.
    fn entity_fold(&self, searcher: &tantivy::Searcher) -> Result<Fold> {
        let generation = searcher.generation().generation_id();
        let mut cached = self.folds.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((_, fold)) = cached.as_ref().filter(|(g, _)| *g == generation) {
            return Ok(Arc::clone(fold));
        }
        let names = self.global_names(searcher)?;
        let f = &self.opened.fields;
        let roots = EntityKind::ALL.map(EntityKind::as_str);
        let grouping = match f.dedup {
            Some(d) => Some(collapse::led(searcher, d.copy)?),
            None => None,
        };
        let counter = NameCounter::new(Arc::clone(&names), "facets", &roots).by_groups(grouping);
        let articles = TermQuery::new(
            Term::from_field_text(f.kind, index::schema::KIND_ARTICLE),
            IndexRecordOption::Basic,
        );
        let counts = searcher.search(&articles, &counter)?;
        // Per name, its ordinal and articles under each kind.
        let mut by_name: rustc_hash::FxHashMap<&str, [(u32, u64); 4]> = Default::default();
        for i in 0..roots.len() {
            for g in counter.root(i) {
                if let Some(&n) = counts.get(&g) {
                    by_name.entry(names.name(g)).or_default()[i] = (g, u64::from(n));
                }
            }
        }
        let mut fold: Vec<u32> = (0..names.facets() as u32).collect();
        for per in by_name.values() {
            let shown = kinds::shown_as(per.map(|(_, n)| n));
            for (i, (g, n)) in per.iter().enumerate() {
                let to = per[kinds::index_of(shown[i])].0;
                if *n > 0 && to != *g {
                    fold[*g as usize] = to;
                }
            }
        }
        let fold = Arc::new(fold);
        *cached = Some((generation, Arc::clone(&fold)));
        Ok(fold)
    }

    /// Counts the names of all `kinds` (entities under the archive's kind
    /// of each name), their roots in order.
    fn facet_collector(
        &self,
        searcher: &tantivy::Searcher,
        kinds: &[FacetKind],
    ) -> Result<NameCounter> {
        let fold = if kinds.iter().any(|k| matches!(k, FacetKind::Entity(_))) {
            Some(self.entity_fold(searcher)?)
        } else {
            None
        };
        let roots: Vec<&str> = kinds
            .iter()
            .flat_map(|k| facet_roots(*k))
            .map(|(root, _)| root)
            .collect();
        Ok(NameCounter::new(self.global_names(searcher)?, "facets", &roots).folded(fold))
    }

    fn search_counting(
        &self,
        req: &SearchRequest,
        kinds: &[FacetKind],
    ) -> Result<(SearchResults, Option<(NameCounter, NameCounts)>)> {
        let _slowed = deadline::Slowed::for_query(&req.query);
        let searcher = self.reader.searcher();
        let f = &self.opened.fields;
        let text = query::Text::parse(&searcher, f, &req.query, query::Scope::Articles, req.exact)?;
        let filters = query::filters(&searcher, f, req, query::Scope::Articles)?;
        let any = query::with_filters(text.any.box_clone(), &filters);
        let want = check_window(req)?;
        let facets = if kinds.is_empty() {
            None
        } else {
            Some(self.facet_collector(&searcher, kinds)?)
        };
        let grouping = match (req.collapse, f.dedup) {
            (true, Some(d)) => Some(collapse::led(&searcher, d.copy)?),
            _ => None,
        };
        let facets = facets.map(|c| c.by_groups(grouping.clone()));
        let counter = facets.as_ref().map(NameCounter::same);
        let (total, page, counts) = if let Some(led) = &grouping {
            let distinct = collapse::Distinct {
                field: "group",
                led: Some(Arc::clone(led)),
            };
            let (total, counts) =
                deadline::search(&searcher, &any, &(distinct, facets), req.deadline)?;
            let values = collapse::Values::new(&searcher, "group");
            let page = collapsed_top(&values, want, |n| {
                if text.tiered && req.sort == Sort::Relevance {
                    let all = query::with_filters(text.all.box_clone(), &filters);
                    tiered_top(&searcher, &all, &any, n, req.deadline)
                } else {
                    Ok(counted_top(&searcher, &any, req.sort, n, None, req.deadline)?.1)
                }
            })?;
            (total, page, counts)
        } else if text.tiered && req.sort == Sort::Relevance {
            let all = query::with_filters(text.all.box_clone(), &filters);
            let (total, counts) =
                deadline::search(&searcher, &any, &(Count, facets), req.deadline)?;
            (
                total,
                tiered_top(&searcher, &all, &any, want, req.deadline)?,
                counts,
            )
        } else {
            counted_top(&searcher, &any, req.sort, want, facets, req.deadline)?
        };
        let mut notes = text.notes.clone();
        if req.collapse && f.dedup.is_none() {
            notes.push(OLD_INDEX.to_owned());
        }
        if (req.since.is_some() || req.until.is_some()) && total < req.offset + req.limit.max(1) {
            notes.extend(self.undated_hint(&searcher)?);
        }
        let page = page.into_iter().skip(req.offset).take(req.limit);
        let builder = hits::HitBuilder::new(&searcher, f, &text, req, grouping)?;
        // Fetching, decompressing and snippeting the page's documents is
        // most of a query's time: done on all cores.
        let page: Vec<_> = page.collect();
        let hits = page
            .par_iter()
            .enumerate()
            .map(|(i, &(score, addr))| builder.hit(req.offset + i + 1, score, addr))
            .collect::<Result<Vec<_>>>()?;
        let results = SearchResults {
            query: req.query.clone(),
            notes,
            total,
            hits,
        };
        Ok((results, counter.zip(counts)))
    }

    /// "N of M articles have no date", when some have none: a date
    /// filter leaves them out, which an empty page does not say.
    fn undated_hint(&self, searcher: &tantivy::Searcher) -> Result<Option<String>> {
        let f = &self.opened.fields;
        let articles = TermQuery::new(
            Term::from_field_text(f.kind, index::schema::KIND_ARTICLE),
            IndexRecordOption::Basic,
        );
        let all = searcher.search(&articles, &Count)?;
        let dated = BooleanQuery::new(vec![
            (Occur::Must, Box::new(articles.clone())),
            (
                Occur::Must,
                Box::new(tantivy::query::ExistsQuery::new("date".into(), false)),
            ),
        ]);
        let undated = all - searcher.search(&dated, &Count)?.min(all);
        Ok((undated > 0).then(|| {
            format!(
                "{undated} of {all} articles have no date, so a date filter (--since, --until, date:) leaves them out"
            )
        }))
    }

    /// Ranked quotes for a request (the quotes themselves, with their article).
    pub fn quotes(&self, req: &SearchRequest) -> Result<QuoteResults> {
        let _slowed = deadline::Slowed::for_query(&req.query);
        let searcher = self.reader.searcher();
        let f = &self.opened.fields;
        let text = query::Text::parse(&searcher, f, &req.query, query::Scope::Quotes, req.exact)?;
        let filters = query::filters(&searcher, f, req, query::Scope::Quotes)?;
        let any = query::with_filters(text.any.box_clone(), &filters);
        let want = check_window(req)?;
        let words = hits::query_words(text.any.as_ref());
        let dedup = f.dedup.filter(|_| req.collapse);
        let (total, page) = match dedup {
            Some(_) if req.sort == Sort::Date => {
                let mut seen = deadline::search(
                    &searcher,
                    &any,
                    &collapse::FirstSeen {
                        field: "quote_hash",
                    },
                    req.deadline,
                )?;
                collapse::newest_first(&mut seen);
                let total = seen.len();
                seen.truncate(want);
                (total, seen.into_iter().map(|(_, a)| (0.0, a)).collect())
            }
            Some(_) => {
                let distinct = collapse::Distinct {
                    field: "quote_hash",
                    led: None,
                };
                let total = deadline::search(&searcher, &any, &distinct, req.deadline)?;
                let values = collapse::Values::new(&searcher, "quote_hash");
                let page = collapsed_top(&values, want, |n| {
                    Ok(counted_top(&searcher, &any, req.sort, n, None, req.deadline)?.1)
                })?;
                (total, page)
            }
            None => {
                let (total, page, _) =
                    counted_top(&searcher, &any, req.sort, want, None, req.deadline)?;
                (total, page)
            }
        };
        let hits = page
            .into_iter()
            .skip(req.offset)
            .take(req.limit)
            .enumerate()
            .map(|(i, (score, addr))| {
                let rank = req.offset + i + 1;
                match dedup {
                    Some(d) => {
                        hits::first_quote_hit(&searcher, f, d, &words, rank, score, addr, &any)
                    }
                    None => hits::quote_hit(&searcher, f, &words, rank, score, addr),
                }
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(QuoteResults {
            query: req.query.clone(),
            notes: text.notes.clone(),
            total,
            hits,
        })
    }

    /// How many quotes match a request per period, each counted once at its
    /// first publication (with `collapse`; else each copy on its own), with
    /// the first quote of each period.
    pub fn timeline(
        &self,
        req: &SearchRequest,
        by: timeline::Period,
    ) -> Result<timeline::Timeline> {
        let _slowed = deadline::Slowed::for_query(&req.query);
        let searcher = self.reader.searcher();
        let f = &self.opened.fields;
        let text = query::Text::parse(&searcher, f, &req.query, query::Scope::Quotes, req.exact)?;
        let filters = query::filters(&searcher, f, req, query::Scope::Quotes)?;
        let any = query::with_filters(text.any.box_clone(), &filters);
        let dedup = f.dedup.filter(|_| req.collapse);
        let seen = match dedup {
            Some(_) => deadline::search(&searcher, &any, &timeline::collector(), req.deadline)?,
            None => {
                let docs = deadline::search(
                    &searcher,
                    &any,
                    &tantivy::collector::DocSetCollector,
                    req.deadline,
                )?;
                let dates = collapse::Values::dates(&searcher);
                docs.into_iter().map(|a| (dates.of(a), a)).collect()
            }
        };
        let total = seen.len();
        let words = hits::query_words(text.any.as_ref());
        let mut periods: Vec<timeline::PeriodCount> = Vec::new();
        let mut undated = 0;
        for (date, addr) in timeline::first_publications(seen) {
            let Some(date) = date else {
                undated += 1;
                continue;
            };
            let label = by.label(date);
            match periods.last_mut() {
                Some(p) if p.period == label => p.quotes += 1,
                _ => {
                    let rank = periods.len() + 1;
                    let first = match dedup {
                        Some(d) => {
                            hits::first_quote_hit(&searcher, f, d, &words, rank, 0.0, addr, &any)?
                        }
                        None => hits::quote_hit(&searcher, f, &words, rank, 0.0, addr)?,
                    };
                    periods.push(timeline::PeriodCount {
                        period: label,
                        quotes: 1,
                        first,
                    });
                }
            }
        }
        Ok(timeline::Timeline {
            query: req.query.clone(),
            total,
            periods,
            undated,
        })
    }

    /// Byte ranges in `text` of the words `query` looks for in articles,
    /// to mark them in an article shown whole.
    pub fn highlights(&self, query: &str, text: &str) -> Result<Vec<(usize, usize)>> {
        let searcher = self.reader.searcher();
        let f = &self.opened.fields;
        let parsed = query::Text::parse(&searcher, f, query, query::Scope::Articles, false)?;
        if parsed.is_empty {
            return Ok(Vec::new());
        }
        Ok(hits::highlights(
            &hits::query_words(parsed.any.as_ref()),
            text,
        ))
    }

    /// The most frequent speakers or entities among the articles matching
    /// a request (its limit is the number of names).
    pub fn facets(&self, req: &SearchRequest, kind: FacetKind) -> Result<Vec<NameCount>> {
        let _slowed = deadline::Slowed::for_query(&req.query);
        let searcher = self.reader.searcher();
        let f = &self.opened.fields;
        let text = query::Text::parse(&searcher, f, &req.query, query::Scope::Articles, req.exact)?;
        let filters = query::filters(&searcher, f, req, query::Scope::Articles)?;
        let q = query::with_filters(text.any.box_clone(), &filters);
        let grouping = match (req.collapse, f.dedup) {
            (true, Some(d)) => Some(collapse::led(&searcher, d.copy)?),
            _ => None,
        };
        let counter = self
            .facet_collector(&searcher, &[kind])?
            .by_groups(grouping);
        let counts = deadline::search(&searcher, &q, &counter, req.deadline)?;
        Ok(facet_names(&counter, &counts, &[kind], kind, req.limit))
    }
}

/// The number of distinct names under each facet root (`speaker`,
/// `person`, `org`, `place`, `misc`, `lang`) in `searcher`'s commit.
pub fn facet_name_counts(searcher: &tantivy::Searcher) -> Result<Vec<(String, u64)>> {
    let names = GlobalNames::build(searcher, "facets")?;
    Ok(["speaker", "person", "org", "place", "misc", "lang"]
        .iter()
        .map(|root| (root.to_string(), names.count_under(root)))
        .collect())
}

/// The facet roots (`speaker`, `person`, …) a kind of name is counted
/// under: an entity of one kind under all kinds, since the archive's kind
/// of a name counts the articles that gave it another.
fn facet_roots(kind: FacetKind) -> Vec<(&'static str, Option<EntityKind>)> {
    match kind {
        FacetKind::Speaker => vec![("speaker", None)],
        FacetKind::Entity(_) => EntityKind::ALL
            .iter()
            .map(|k| (k.as_str(), Some(*k)))
            .collect(),
    }
}

/// The `limit` names of `kind` that `counter` (made by
/// [`Searcher::facet_collector`] for `kinds`) counted most, most frequent
/// first.
fn facet_names(
    counter: &NameCounter,
    counts: &NameCounts,
    kinds: &[FacetKind],
    kind: FacetKind,
    limit: usize,
) -> Vec<NameCount> {
    // Where this kind's roots are among all of the collector's.
    let first: usize = kinds
        .iter()
        .take_while(|k| **k != kind)
        .map(|k| facet_roots(*k).len())
        .sum();
    let names = counter.names();
    let mut top: Vec<(u32, u32, Option<EntityKind>)> = Vec::new();
    let wanted = match kind {
        FacetKind::Entity(Some(k)) => Some(k),
        _ => None,
    };
    for (i, (_, k)) in facet_roots(kind).into_iter().enumerate() {
        if wanted.is_some() && k != wanted {
            continue;
        }
        let range = counter.root(first + i);
        top.extend(
            counts
                .iter()
                .filter(|(g, _)| range.contains(g))
                .map(|(&g, &n)| (g, n, k)),
        );
    }
    let order = |a: &(u32, u32, Option<EntityKind>), b: &(u32, u32, Option<EntityKind>)| {
        b.1.cmp(&a.1)
            .then_with(|| names.name(a.0).cmp(names.name(b.0)))
    };
    // The first `limit` only: an empty query counts tens of thousands.
    if limit < top.len() {
        top.select_nth_unstable_by(limit, order);
        top.truncate(limit);
    }
    top.sort_unstable_by(order);
    top.into_iter()
        .map(|(g, count, kind)| NameCount {
            name: names.name(g).to_owned(),
            kind,
            count: u64::from(count),
        })
        .collect()
}

/// `offset + limit`, refused above [`MAX_WINDOW`].
fn check_window(req: &SearchRequest) -> Result<usize> {
    req.offset
        .checked_add(req.limit)
        .filter(|w| *w <= MAX_WINDOW)
        .ok_or_else(|| Error::Query(format!("offset + limit must be at most {MAX_WINDOW}")))
}

/// What one pass over the matches gives: how many, the first of them
/// (score and address), and the names counted among them.
type Counted = (usize, Vec<(f32, DocAddress)>, Option<NameCounts>);

/// How many documents match `q`, the first `want` of them in `sort`
/// order, and with `facets` the names among them, in one pass over the
/// matches.
fn counted_top(
    searcher: &tantivy::Searcher,
    q: &dyn Query,
    sort: Sort,
    want: usize,
    facets: Option<NameCounter>,
    until: Option<std::time::Instant>,
) -> Result<Counted> {
    let want = want.max(1);
    if sort == Sort::Date {
        let by_date =
            TopDocs::with_limit(want).order_by_fast_field::<tantivy::DateTime>("date", Order::Desc);
        let (total, page, counts) =
            deadline::search(searcher, q, &(Count, by_date, facets), until)?;
        let page = page.into_iter().map(|(_, a)| (0.0, a)).collect();
        return Ok((total, page, counts));
    }
    let by_score = (Count, TopDocs::with_limit(want).order_by_score(), facets);
    let (total, mut page, counts) = deadline::search(searcher, q, &by_score, until)?;
    collapse::settle_ties(searcher, &mut page);
    Ok((total, page, counts))
}

/// The first `want` documents of distinct values (groups, quotes) from a
/// ranked list: `top(n)` gives the first `n` documents, asked for more
/// while copies leave the page short and more documents match.
fn collapsed_top(
    values: &collapse::Values,
    want: usize,
    top: impl Fn(usize) -> Result<Vec<(f32, DocAddress)>>,
) -> Result<Vec<(f32, DocAddress)>> {
    let want = want.max(1);
    let mut n = want * 2 + 16;
    loop {
        let page = top(n)?;
        let fetched = page.len();
        let mut once = collapse::first_of_each(values, page);
        if once.len() >= want || fetched < n || n >= MAX_WINDOW * 4 {
            once.truncate(want);
            return Ok(once);
        }
        n = (n * 4).min(MAX_WINDOW * 4);
    }
}

/// The first `want` matches by score, those of `first` (all words) before
/// the others of `second` (some words): two searches, so the order is
/// guaranteed, not a boost's hope.
fn tiered_top(
    searcher: &tantivy::Searcher,
    first: &dyn Query,
    second: &dyn Query,
    want: usize,
    until: Option<std::time::Instant>,
) -> Result<Vec<(f32, DocAddress)>> {
    let want = want.max(1);
    let top = |n: usize| TopDocs::with_limit(n).order_by_score();
    let mut page = deadline::search(searcher, first, &top(want), until)?;
    collapse::settle_ties(searcher, &mut page);
    if page.len() < want {
        // `first` matched fewer than `want`, all of them on the page: the
        // best `want` of `second` hold at least the rest. (Not `second`
        // AND NOT `first`: tantivy 0.27's exclusion of a phrase inside an
        // intersection seeks backwards, a debug assertion in its
        // PhraseScorer.)
        let seen: std::collections::HashSet<DocAddress> = page.iter().map(|(_, d)| *d).collect();
        let mut more = deadline::search(searcher, second, &top(want), until)?;
        collapse::settle_ties(searcher, &mut more);
        let need = want - page.len();
        page.extend(
            more.into_iter()
                .filter(|(_, d)| !seen.contains(d))
                .take(need),
        );
    }
    Ok(page)
}

/// What an index is now, for `/api/health`.
#[derive(Debug, Clone, Serialize)]
pub struct Health {
    /// Articles in the commit being searched.
    pub articles: u64,
    /// Documents (articles and their quotes) in it.
    pub documents: u64,
    pub segments: usize,
    /// The last commit on disk: its operation stamp, and when it was
    /// written (RFC 3339, UTC).
    pub opstamp: u64,
    pub committed: Option<String>,
}

impl Searcher {
    /// The index's state, read from disk now: an error when its last
    /// commit cannot be read (the directory gone, `meta.json` unreadable),
    /// even while the commit already open is still being searched.
    pub fn health(&self) -> Result<Health> {
        let dir = &self.opened.dir;
        let metas = self
            .opened
            .index
            .load_metas()
            .map_err(|e| index::open_error(dir, e))?;
        let committed = std::fs::metadata(dir.join("meta.json"))
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| {
                time::OffsetDateTime::from(t)
                    .format(&time::format_description::well_known::Rfc3339)
                    .ok()
            });
        let searcher = self.reader.searcher();
        let articles = TermQuery::new(
            Term::from_field_text(self.opened.fields.kind, index::schema::KIND_ARTICLE),
            IndexRecordOption::Basic,
        );
        Ok(Health {
            articles: searcher.search(&articles, &Count)? as u64,
            documents: searcher.num_docs(),
            segments: searcher.segment_readers().len(),
            opstamp: metas.opstamp,
            committed,
        })
    }

    /// The stored article with this id (its path relative to the indexed
    /// root), with its quotes and entities; `None` if there is none. The
    /// same id under two indexed directories needs their `root` to tell
    /// them apart ([`Error::AmbiguousId`] without it).
    pub fn article(&self, id: &str, root: Option<&str>) -> Result<Option<Article>> {
        let searcher = self.reader.searcher();
        let f = &self.opened.fields;
        let term = |field, text: &str| -> Box<dyn tantivy::query::Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(field, text),
                IndexRecordOption::Basic,
            ))
        };
        let mut clauses = vec![
            (Occur::Must, term(f.kind, index::schema::KIND_ARTICLE)),
            (Occur::Must, term(f.id, id)),
        ];
        if let Some(root) = root {
            clauses.push((Occur::Must, term(f.root, root)));
        }
        // An id is unique under one root: more than one match means roots.
        let found = searcher.search(
            &BooleanQuery::new(clauses),
            &TopDocs::with_limit(MAX_ROOTS).order_by_score(),
        )?;
        if found.len() > 1 {
            let mut roots = Vec::with_capacity(found.len());
            for &(_, addr) in &found {
                let doc: TantivyDocument = searcher.doc(addr)?;
                roots.extend(
                    doc.get_first(f.root)
                        .and_then(|v| v.as_str())
                        .map(str::to_owned),
                );
            }
            roots.sort();
            return Err(Error::AmbiguousId {
                id: id.to_owned(),
                roots,
            });
        }
        let Some(&(_, addr)) = found.first() else {
            return Ok(None);
        };
        let doc: TantivyDocument = searcher.doc(addr)?;
        let text = |field| {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .map(str::to_owned)
        };
        let stored: index::schema::Stored = text(f.extract)
            .and_then(|s| serde_json::from_str(&s).ok())
            .unwrap_or_default();
        let body = text(f.body).unwrap_or_default();
        Ok(Some(Article {
            path: text(f.id).unwrap_or_default(),
            title: text(f.title).unwrap_or_default(),
            date: doc
                .get_first(f.date)
                .and_then(|v| v.as_datetime())
                .map(|d| d.into_utc().date().to_string()),
            author: text(f.author),
            source: text(f.source),
            url: text(f.url),
            lang: stored.lang,
            entities: spans_of(stored.entities, &body),
            body,
            quotes: stored.quotes,
        }))
    }
}

/// The stored entities with their mention spans, found by tagging the body
/// again: the index keeps names only. An entity the tagger no longer finds
/// (an index built by another version) keeps its name, without spans.
pub(crate) fn spans_of(stored: Vec<Entity>, body: &str) -> Vec<Entity> {
    if stored.is_empty() {
        return stored;
    }
    let tagged = crate::extract::entities::extract(body);
    stored
        .into_iter()
        .map(|mut e| {
            if let Some(t) = tagged.iter().find(|t| t.name == e.name && t.kind == e.kind) {
                e.spans.clone_from(&t.spans);
            }
            e
        })
        .collect()
}
