//! Answering `search`, `quotes`, `speakers`, `entities` and the server's
//! API from the cluster: the same requests and result types as
//! [`crate::search::Searcher`], the queries [`super::query`] builds.
//!
//! Ranking is BM25 on both (Lucene's and tantivy's are the same formula);
//! articles holding every word still come before those holding some (two
//! searches, as the embedded index does). Snippets come from the
//! cluster's highlighter, facets from `terms` aggregations.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::time::Instant;

use reqwest::Method;
use serde::Deserialize;
use serde_json::{json, Value};
use tantivy::tokenizer::TokenStream;

use super::client::{Body, Reply};
use super::document::{ArticleDoc, KIND_FILE};
use super::error::{said, ClusterError};
use super::query::{filters, with_filters, Lexicon, Text};
use super::Cluster;
use crate::index::schema::{en_analyzer, en_highlighter, Stored, KIND_ARTICLE, KIND_QUOTE};
use crate::search::hits::{lead, SNIPPET_CHARS};
use crate::search::query::{person, Scope};
use crate::search::timeline::{Period, PeriodCount, Timeline};
use crate::search::COPIES_LISTED;
use crate::search::{
    CopyRef, EntityRef, FacetKind, Health, Hit, NameCount, QuoteHit, QuoteRef, QuoteResults,
    SearchRequest, SearchResults, Sort, MAX_WINDOW,
};
use crate::{Article, EntityKind, Error, Result};

/// The most indexed directories an ambiguous article id names.
const MAX_ROOTS: usize = 16;
/// Above this many names, facets are read page by page (a `composite`
/// aggregation) instead of as one `terms` aggregation.
const MAX_TERMS_BUCKETS: usize = 10_000;
/// The most names one search counts the groups of: each name's distinct
/// count of groups takes 64 kB of the cluster's memory until the search
/// ends (10,000 of them trip a 512 MB node's request breaker).
const MAX_GROUPED_BUCKETS: usize = 500;

/// The order of hits by score: equal scores by date, the earliest first,
/// then by path.
fn relevance() -> Value {
    json!(["_score", {"date": {"order": "asc", "missing": "_last"}}, {"key": "asc"}])
}

/// Marks the highlighter puts around matched words: private-use
/// characters, which no article holds.
const PRE: &str = "\u{e000}";
const POST: &str = "\u{e001}";

/// A cluster's index, ready for queries. Cheap to share between threads.
#[derive(Debug)]
pub struct ClusterSearcher {
    cluster: Cluster,
}

#[derive(Deserialize)]
struct HitSource {
    #[serde(default)]
    id: String,
    #[serde(default)]
    root: String,
    #[serde(default)]
    key: String,
    #[serde(default)]
    path: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    date: Option<String>,
    #[serde(default)]
    extract: Option<Stored>,
    #[serde(default)]
    quotes: Option<Value>,
    #[serde(default)]
    speaker: Option<Value>,
    #[serde(default)]
    article_title: String,
    #[serde(default)]
    group: Option<String>,
}

impl ClusterSearcher {
    /// The cluster's newsidx index; fails unless it is there, made by
    /// this version of newsidx.
    pub fn open(cluster: Cluster) -> Result<ClusterSearcher> {
        super::mapping::check(&cluster.client, &cluster.index)?;
        Ok(ClusterSearcher { cluster })
    }

    pub fn cluster(&self) -> &Cluster {
        &self.cluster
    }

    fn post(&self, endpoint: &str, body: &Value, deadline: Option<Instant>) -> Result<Value> {
        let path = format!("/{}/{endpoint}", self.cluster.index);
        let reply: Reply =
            self.cluster
                .client
                .send(Method::POST, &path, Body::Json(body), deadline)?;
        if reply.status.as_u16() == 400 {
            return Err(Error::Query(reply.reason()));
        }
        reply.into_ok(&format!("POST {path}"))
    }

    /// Several searches in one request (`_msearch`); their replies in order.
    fn msearch(&self, bodies: &[Value], deadline: Option<Instant>) -> Result<Vec<Value>> {
        let mut nd = Vec::new();
        for b in bodies {
            nd.extend_from_slice(b"{}\n");
            serde_json::to_writer(&mut nd, b)
                .map_err(ClusterError::unexpected("search to send"))?;
            nd.push(b'\n');
        }
        let path = format!("/{}/_msearch", self.cluster.index);
        let reply = self
            .cluster
            .client
            .send(Method::POST, &path, Body::NdJson(&nd), deadline)?;
        let json = reply.into_ok(&format!("POST {path}"))?;
        let responses = json["responses"].as_array().cloned().unwrap_or_default();
        if responses.len() != bodies.len() {
            return Err(said(format!(
                "_msearch answered {} searches for {}",
                responses.len(),
                bodies.len()
            )));
        }
        for r in &responses {
            if !r["error"].is_null() {
                let e = &r["error"];
                let text = format!(
                    "{}: {}",
                    e["type"].as_str().unwrap_or("error"),
                    e["reason"].as_str().unwrap_or_default()
                );
                return Err(if r["status"].as_u64() == Some(400) {
                    Error::Query(text)
                } else {
                    said(format!("POST {path}: {text}"))
                });
            }
        }
        Ok(responses)
    }

    /// Ranked articles for a request.
    pub fn search(&self, req: &SearchRequest) -> Result<SearchResults> {
        Ok(self.search_with_facets(req, &[], 0)?.0)
    }

    /// Ranked articles, and the most frequent names of each `kind` among
    /// all the matches (`names` of each).
    pub fn search_with_facets(
        &self,
        req: &SearchRequest,
        kinds: &[FacetKind],
        names: usize,
    ) -> Result<(SearchResults, Vec<Vec<NameCount>>)> {
        let want = check_window(req)?;
        let text = Text::parse(self, &req.query, Scope::Articles, req.exact)?;
        let filters = filters(req, Scope::Articles)?;
        let any = with_filters(&text.any, &filters);
        let mut aggs = serde_json::Map::new();
        for (i, kind) in kinds.iter().enumerate() {
            if *kind == FacetKind::Speaker {
                aggs.insert(
                    format!("{i}_speaker_facet"),
                    terms_agg("speaker_facet", read_for(names, req.collapse), req.collapse),
                );
            }
        }
        if req.collapse {
            aggs.insert("groups".into(), distinct("group"));
        }
        let tiered = text.tiered && req.sort == Sort::Relevance;
        let mut body = json!({
            "query": any,
            "track_total_hits": true,
            "_source": false,
            "aggs": aggs,
        });
        // A story once: the best of each group of copies.
        if req.collapse {
            body["collapse"] = json!({"field": "group"});
        }
        // Equal scores (copies of a story) in the order of publication,
        // then of path, as the embedded index orders them
        // (search::collapse::settle_ties), not in the shards' order.
        if req.sort == Sort::Relevance {
            body["sort"] = relevance();
            body["track_scores"] = json!(true);
        }
        let (total, page, reply) = if tiered {
            // Every word first, then the rest of those with some words:
            // two searches (in one request), so the order is guaranteed.
            body["size"] = json!(want.max(1));
            let mut all = json!({
                "query": with_filters(&text.all, &filters),
                "size": want.max(1),
                "_source": false,
                "track_total_hits": false,
                "sort": relevance(),
                "track_scores": true,
            });
            if req.collapse {
                all["collapse"] = body["collapse"].clone();
            }
            let mut replies = self.msearch(&[all, body], req.deadline)?.into_iter();
            let (first, reply) = (
                replies.next().unwrap_or_default(),
                replies.next().unwrap_or_default(),
            );
            let mut page = scored_ids(&first);
            if page.len() < want {
                // An article, or a copy of it, is not shown twice.
                let seen: HashSet<String> = page.iter().map(|s| s.id.clone()).collect();
                let groups: HashSet<String> = page.iter().filter_map(|s| s.group.clone()).collect();
                let need = want - page.len();
                page.extend(
                    scored_ids(&reply)
                        .into_iter()
                        .filter(|s| {
                            let copy = req.collapse
                                && s.group.as_ref().is_some_and(|g| groups.contains(g));
                            !seen.contains(&s.id) && !copy
                        })
                        .take(need),
                );
            }
            let page = page.into_iter().skip(req.offset).collect();
            (total(&reply, req.collapse), page, reply)
        } else {
            // The page only: the cluster skips the offset.
            body["from"] = json!(req.offset);
            body["size"] = json!(req.limit);
            if req.sort == Sort::Date {
                body["sort"] = json!([{"date": {"order": "desc", "missing": "_last"}}]);
            }
            let reply = self.post("_search", &body, req.deadline)?;
            (total(&reply, req.collapse), scored_ids(&reply), reply)
        };
        let mut facets = Vec::with_capacity(kinds.len());
        for (i, kind) in kinds.iter().enumerate() {
            facets.push(match kind {
                FacetKind::Speaker => top_names(
                    buckets(&reply["aggregations"][format!("{i}_speaker_facet")], None),
                    names,
                ),
                FacetKind::Entity(k) => {
                    self.entity_names(&any, *k, names, req.collapse, req.deadline)?
                }
            });
        }
        let page: Vec<Scored> = page.into_iter().take(req.limit).collect();
        let mut notes = text.notes.clone();
        if (req.since.is_some() || req.until.is_some()) && total < req.offset + req.limit.max(1) {
            notes.extend(self.undated_hint(req.deadline)?);
        }
        let hits = self.hits(&page, &text, &any, req)?;
        Ok((
            SearchResults {
                query: req.query.clone(),
                notes,
                total,
                hits,
            },
            facets,
        ))
    }

    /// The page's articles, with snippets: one search for just their ids.
    fn hits(
        &self,
        page: &[Scored],
        text: &Text,
        query: &Value,
        req: &SearchRequest,
    ) -> Result<Vec<Hit>> {
        if page.is_empty() {
            return Ok(Vec::new());
        }
        let ids: Vec<&str> = page.iter().map(|s| s.id.as_str()).collect();
        let mut body = json!({
            "query": {"bool": {"must": [query], "filter": [{"ids": {"values": ids}}]}},
            "size": ids.len(),
            "_source": {"includes": ["id", "root", "path", "title", "date", "extract", "group"]},
        });
        if !text.is_empty {
            body["highlight"] = json!({
                "pre_tags": [PRE],
                "post_tags": [POST],
                "fields": {"body": {
                    "type": "unified",
                    "fragment_size": SNIPPET_CHARS,
                    "number_of_fragments": 1,
                    "no_match_size": SNIPPET_CHARS * 2
                }}
            });
        } else {
            body["highlight"] = json!({
                "fields": {"body": {"number_of_fragments": 1, "no_match_size": SNIPPET_CHARS * 2}}
            });
        }
        let reply = self.post("_search", &body, req.deadline)?;
        let mut by_id: HashMap<String, &Value> = HashMap::new();
        for h in reply["hits"]["hits"].as_array().into_iter().flatten() {
            if let Some(id) = h["_id"].as_str() {
                by_id.insert(id.to_owned(), h);
            }
        }
        let speakers: Vec<String> = req.speakers.iter().map(|s| person(s)).collect();
        let mut analyzer = en_analyzer();
        let mut out = Vec::with_capacity(page.len());
        // The document id of each hit, to leave it out of its copies.
        let mut ids: Vec<&str> = Vec::with_capacity(page.len());
        for (i, Scored { id, score, .. }) in page.iter().enumerate() {
            let Some(h) = by_id.get(id) else {
                // Deleted between the two searches.
                continue;
            };
            let src: HitSource = serde_json::from_value(h["_source"].clone())
                .map_err(ClusterError::unexpected("document"))?;
            let stored = src.extract.unwrap_or_default();
            let fragment = h["highlight"]["body"][0].as_str().unwrap_or_default();
            let (snippet, highlights) = if fragment.contains(PRE) {
                marked(fragment)
            } else {
                (lead(&marked(fragment).0), Vec::new())
            };
            let mut who: Vec<String> = stored
                .quotes
                .iter()
                .filter_map(|q| q.speaker.clone())
                .collect();
            who.sort();
            who.dedup();
            let quotes = quotes_to_show(&stored, &speakers, text, &mut analyzer);
            out.push(Hit {
                rank: req.offset + i + 1,
                score: *score,
                id: src.id,
                root: src.root,
                path: src.path,
                title: src.title,
                date: src.date.or(stored.date.clone()),
                snippet,
                highlights,
                speakers: who,
                quotes,
                group: src.group.and_then(|g| g.parse().ok()),
                copies: 0,
                also: Vec::new(),
                entities: stored
                    .entities
                    .into_iter()
                    .map(|e| EntityRef {
                        name: e.name,
                        kind: e.kind,
                    })
                    .collect(),
            });
            ids.push(id.as_str());
        }
        if req.collapse {
            self.copies(&mut out, &ids, req.deadline)?;
        }
        Ok(out)
    }

    /// The other articles of each hit's group (how many, and the first
    /// [`COPIES_LISTED`]): one search per hit, in one request.
    fn copies(&self, hits: &mut [Hit], ids: &[&str], deadline: Option<Instant>) -> Result<()> {
        let grouped: Vec<(usize, u64)> = hits
            .iter()
            .enumerate()
            .filter_map(|(i, h)| Some((i, h.group?)))
            .collect();
        if grouped.is_empty() {
            return Ok(());
        }
        let bodies: Vec<Value> = grouped
            .iter()
            .map(|(_, g)| {
                json!({
                    "query": {"bool": {"filter": [
                        {"term": {"kind": KIND_ARTICLE}},
                        {"term": {"group": g.to_string()}}
                    ]}},
                    "size": COPIES_LISTED + 1,
                    "track_total_hits": true,
                    "sort": [{"key": "asc"}, {"id": "asc"}],
                    "_source": {"includes": ["id", "root", "path", "title", "date", "extract.date"]},
                })
            })
            .collect();
        let replies = self.msearch(&bodies, deadline)?;
        for ((i, _), reply) in grouped.into_iter().zip(replies) {
            let own = ids[i];
            let mut also = Vec::new();
            for h in reply["hits"]["hits"].as_array().into_iter().flatten() {
                if h["_id"].as_str() == Some(own) {
                    continue;
                }
                let src: HitSource = serde_json::from_value(h["_source"].clone())
                    .map_err(ClusterError::unexpected("document"))?;
                also.push(CopyRef {
                    id: src.id,
                    root: src.root,
                    path: src.path,
                    title: src.title,
                    date: src.date.or(src.extract.and_then(|e| e.date)),
                });
            }
            also.truncate(COPIES_LISTED);
            hits[i].copies = total_of(&reply).saturating_sub(1);
            hits[i].also = also;
        }
        Ok(())
    }

    /// "N of M articles have no date", when some have none.
    fn undated_hint(&self, deadline: Option<Instant>) -> Result<Option<String>> {
        let count = |q: Value| -> Result<usize> {
            let r = self.post("_count", &json!({ "query": q }), deadline)?;
            Ok(r["count"].as_u64().unwrap_or(0) as usize)
        };
        let all = count(json!({"term": {"kind": KIND_ARTICLE}}))?;
        let dated = count(json!({"bool": {"filter": [
            {"term": {"kind": KIND_ARTICLE}},
            {"exists": {"field": "date"}}
        ]}}))?;
        let undated = all - dated.min(all);
        Ok((undated > 0).then(|| {
            format!(
                "{undated} of {all} articles have no date, so a date filter (--since, --until, date:) leaves them out"
            )
        }))
    }

    /// Ranked quotes for a request. With `collapse`, a quote once (its
    /// words and speaker, [`crate::index::dedup::quote_hash`]): at its
    /// first publication, with the number of articles that carry it, as
    /// the embedded index shows it.
    pub fn quotes(&self, req: &SearchRequest) -> Result<QuoteResults> {
        let want = check_window(req)?;
        let text = Text::parse(self, &req.query, Scope::Quotes, req.exact)?;
        let filters = filters(req, Scope::Quotes)?;
        let query = with_filters(&text.any, &filters);
        let highlight = (!text.is_empty).then(|| {
            json!({
                "pre_tags": [PRE],
                "post_tags": [POST],
                "fields": {"quotes": {"type": "unified", "number_of_fragments": 0}}
            })
        });
        if req.collapse && req.sort == Sort::Date {
            // Newest first by first publication: every quote's is needed.
            let mut seen = self.first_publications(&query, req.deadline)?;
            seen.sort_by(|a, b| match (a.1, b.1) {
                (Some(x), Some(y)) => y.cmp(&x).then(a.0.cmp(&b.0)),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => a.0.cmp(&b.0),
            });
            let total = seen.len();
            let page: Vec<(String, f32)> = seen
                .into_iter()
                .take(want)
                .skip(req.offset)
                .map(|(hash, _)| (hash, 0.0))
                .collect();
            let hits = self.first_quote_hits(&page, &query, highlight.as_ref(), req)?;
            return Ok(QuoteResults {
                query: req.query.clone(),
                notes: text.notes.clone(),
                total,
                hits,
            });
        }
        let mut body = json!({
            "query": query,
            "from": req.offset.min(want),
            "size": req.limit.min(want - req.offset.min(want)),
            "track_total_hits": true,
            "_source": {"includes": QUOTE_SOURCE},
        });
        if req.sort == Sort::Date {
            body["sort"] = json!([{"date": {"order": "desc", "missing": "_last"}}]);
        }
        if let Some(h) = &highlight {
            body["highlight"] = h.clone();
        }
        if req.collapse {
            // The best-scoring copy of each quote; shown at its first
            // publication below.
            body["collapse"] = json!({"field": "quote_hash"});
            body["aggs"] = json!({"quotes": distinct("quote_hash")});
        }
        let reply = self.post("_search", &body, req.deadline)?;
        let found = reply["hits"]["hits"].as_array().map_or(&[][..], |h| h);
        let (total, hits) = if req.collapse {
            let page: Vec<(String, f32)> = found
                .iter()
                .filter_map(|h| {
                    Some((
                        h["fields"]["quote_hash"][0].as_str()?.to_owned(),
                        h["_score"].as_f64().unwrap_or(0.0) as f32,
                    ))
                })
                .collect();
            (
                reply["aggregations"]["quotes"]["value"]
                    .as_u64()
                    .unwrap_or(0) as usize,
                self.first_quote_hits(&page, &query, highlight.as_ref(), req)?,
            )
        } else {
            let hits = found
                .iter()
                .enumerate()
                .map(|(i, h)| {
                    let score = h["_score"].as_f64().unwrap_or(0.0) as f32;
                    quote_hit(h, req.offset + i + 1, score)
                })
                .collect::<Result<Vec<_>>>()?;
            (total_of(&reply), hits)
        };
        Ok(QuoteResults {
            query: req.query.clone(),
            notes: text.notes.clone(),
            total,
            hits,
        })
    }

    /// Each matching quote's hash and the day of its first publication
    /// (`None` when no article carrying it is dated), a page of hashes at
    /// a time (a `composite` aggregation).
    fn first_publications(
        &self,
        query: &Value,
        deadline: Option<Instant>,
    ) -> Result<Vec<(String, Option<i64>)>> {
        let mut out = Vec::new();
        let mut after: Option<Value> = None;
        loop {
            let mut composite = json!({
                "size": MAX_TERMS_BUCKETS,
                "sources": [{"hash": {"terms": {"field": "quote_hash"}}}]
            });
            if let Some(a) = &after {
                composite["after"] = a.clone();
            }
            let body = json!({
                "query": query, "size": 0, "track_total_hits": false,
                "aggs": {"quotes": {
                    "composite": composite,
                    "aggs": {"first": {"min": {"field": "date"}}}
                }}
            });
            let reply = self.post("_search", &body, deadline)?;
            let agg = &reply["aggregations"]["quotes"];
            let page = agg["buckets"].as_array().cloned().unwrap_or_default();
            for b in &page {
                if let Some(hash) = b["key"]["hash"].as_str() {
                    let first = b["first"]["value"].as_f64().map(|ms| ms as i64);
                    out.push((hash.to_owned(), first));
                }
            }
            match agg.get("after_key") {
                Some(a) if !page.is_empty() => after = Some(a.clone()),
                _ => break,
            }
        }
        Ok(out)
    }

    /// The quotes of these hashes, each at its first publication among
    /// the matches, with the number of articles that carry it; ranked in
    /// the order given, from `req.offset + 1`.
    fn first_quote_hits(
        &self,
        page: &[(String, f32)],
        query: &Value,
        highlight: Option<&Value>,
        req: &SearchRequest,
    ) -> Result<Vec<QuoteHit>> {
        if page.is_empty() {
            return Ok(Vec::new());
        }
        let mut bodies = Vec::with_capacity(page.len() * 2);
        for (hash, _) in page {
            let mut first = json!({
                "query": {"bool": {"must": [query], "filter": [{"term": {"quote_hash": hash}}]}},
                "size": 1,
                "track_total_hits": false,
                "sort": [{"date": {"order": "asc", "missing": "_last"}}, {"key": "asc"}, {"id": "asc"}],
                "_source": {"includes": QUOTE_SOURCE},
            });
            if let Some(h) = highlight {
                first["highlight"] = h.clone();
            }
            bodies.push(first);
            bodies.push(json!({
                "query": {"bool": {"filter": [
                    {"term": {"kind": KIND_QUOTE}},
                    {"term": {"quote_hash": hash}}
                ]}},
                "size": 0,
                "track_total_hits": true,
            }));
        }
        let replies = self.msearch(&bodies, req.deadline)?;
        let mut hits = Vec::with_capacity(page.len());
        for ((i, (_, score)), pair) in page.iter().enumerate().zip(replies.chunks(2)) {
            let Some(h) = pair[0]["hits"]["hits"].get(0) else {
                // Deleted between the two searches.
                continue;
            };
            let mut hit = quote_hit(h, req.offset + i + 1, *score)?;
            hit.articles = pair.get(1).map_or(1, total_of).max(1);
            hits.push(hit);
        }
        Ok(hits)
    }

    /// How many quotes match a request per period, with the first quote
    /// of each: with `collapse` each quote once, at its first publication
    /// (from [`Self::first_publications`]); else every copy, by a
    /// `date_histogram`.
    pub fn timeline(&self, req: &SearchRequest, by: Period) -> Result<Timeline> {
        let text = Text::parse(self, &req.query, Scope::Quotes, req.exact)?;
        let filters = filters(req, Scope::Quotes)?;
        let query = with_filters(&text.any, &filters);
        let label = |ms: i64| by.label(tantivy::DateTime::from_timestamp_millis(ms));
        let (total, undated, periods) = if req.collapse {
            let mut seen = self.first_publications(&query, req.deadline)?;
            seen.sort_by(|a, b| match (a.1, b.1) {
                (Some(x), Some(y)) => x.cmp(&y).then(a.0.cmp(&b.0)),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => a.0.cmp(&b.0),
            });
            let total = seen.len();
            let mut undated = 0;
            // (period, quotes, the hash of its first).
            let mut periods: Vec<(String, usize, String)> = Vec::new();
            for (hash, first) in seen {
                let Some(ms) = first else {
                    undated += 1;
                    continue;
                };
                let period = label(ms);
                match periods.last_mut() {
                    Some(p) if p.0 == period => p.1 += 1,
                    _ => periods.push((period, 1, hash)),
                }
            }
            let firsts: Vec<(String, f32)> = periods.iter().map(|p| (p.2.clone(), 0.0)).collect();
            let first_req = SearchRequest {
                offset: 0,
                ..req.clone()
            };
            let hits = self.first_quote_hits(&firsts, &query, None, &first_req)?;
            if hits.len() != periods.len() {
                return Err(said(
                    "quotes were deleted while the timeline was made: ask again",
                ));
            }
            let periods = periods
                .into_iter()
                .zip(hits)
                .map(|((period, quotes, _), first)| PeriodCount {
                    period,
                    quotes,
                    first,
                })
                .collect();
            (total, undated, periods)
        } else {
            let interval = match by {
                Period::Year => "year",
                Period::Month => "month",
                Period::Week => "week",
                Period::Day => "day",
            };
            let body = json!({
                "query": query, "size": 0, "track_total_hits": true,
                "aggs": {
                    "periods": {
                        "date_histogram": {"field": "date", "calendar_interval": interval, "min_doc_count": 1},
                        "aggs": {"first": {"top_hits": {
                            "size": 1,
                            "sort": [{"date": "asc"}, {"key": "asc"}, {"id": "asc"}],
                            "_source": {"includes": QUOTE_SOURCE}
                        }}}
                    },
                    "undated": {"missing": {"field": "date"}}
                }
            });
            let reply = self.post("_search", &body, req.deadline)?;
            let aggs = &reply["aggregations"];
            let mut periods = Vec::new();
            for (i, b) in aggs["periods"]["buckets"]
                .as_array()
                .into_iter()
                .flatten()
                .enumerate()
            {
                let (Some(ms), Some(h)) = (b["key"].as_i64(), b["first"]["hits"]["hits"].get(0))
                else {
                    continue;
                };
                periods.push(PeriodCount {
                    period: label(ms),
                    quotes: b["doc_count"].as_u64().unwrap_or(0) as usize,
                    first: quote_hit(h, i + 1, 0.0)?,
                });
            }
            let undated = aggs["undated"]["doc_count"].as_u64().unwrap_or(0) as usize;
            (total_of(&reply), undated, periods)
        };
        Ok(Timeline {
            query: req.query.clone(),
            total,
            periods,
            undated,
        })
    }

    /// The most frequent speakers or entities among the articles matching
    /// a request (its limit is the number of names).
    pub fn facets(&self, req: &SearchRequest, kind: FacetKind) -> Result<Vec<NameCount>> {
        let text = Text::parse(self, &req.query, Scope::Articles, req.exact)?;
        let filters = filters(req, Scope::Articles)?;
        let query = with_filters(&text.any, &filters);
        if let FacetKind::Entity(k) = kind {
            return self.entity_names(&query, k, req.limit, req.collapse, req.deadline);
        }
        let counts = if req.limit > MAX_TERMS_BUCKETS {
            self.all_names(&query, "speaker_facet", req.collapse, req.deadline)?
        } else {
            let aggs = json!({"names": terms_agg(
                "speaker_facet",
                read_for(req.limit, req.collapse),
                req.collapse,
            )});
            let body = json!({"query": query, "size": 0, "track_total_hits": false, "aggs": aggs});
            let reply = self.post("_search", &body, req.deadline)?;
            buckets(&reply["aggregations"]["names"], None)
        };
        Ok(top_names(counts, req.limit))
    }

    /// The `limit` most frequent entity names among the matches of `query`
    /// (of `kind` only, when given), each under the kind the archive gives
    /// it ([`crate::search::kinds`]), counting the articles that gave it
    /// another. Names are read by how many matches name them under any
    /// kind, more of them until those not read cannot be among the first
    /// `limit`.
    fn entity_names(
        &self,
        query: &Value,
        kind: Option<EntityKind>,
        limit: usize,
        collapse: bool,
        deadline: Option<Instant>,
    ) -> Result<Vec<NameCount>> {
        let mut read = read_for(limit, true);
        loop {
            let (named, all, least) = if read > MAX_TERMS_BUCKETS {
                (
                    self.all_names(query, "entity.keyword", collapse, deadline)?,
                    true,
                    0,
                )
            } else {
                let aggs = json!({"names": terms_agg("entity.keyword", read, collapse)});
                let body =
                    json!({"query": query, "size": 0, "track_total_hits": false, "aggs": aggs});
                let reply = self.post("_search", &body, deadline)?;
                let agg = &reply["aggregations"]["names"];
                let named = buckets(agg, None);
                let all = named.len() < read;
                (named, all, least_articles(agg))
            };
            let list: Vec<String> = named.iter().map(|n| n.name.clone()).collect();
            let archive = self.archive_counts(&list, deadline)?;
            let mut out = Vec::with_capacity(named.len());
            // Names the archive gives several kinds: matches per kind shown.
            let mut split: Vec<(String, EntityKind, Vec<&'static str>)> = Vec::new();
            for n in &named {
                let counts = archive.get(&n.name).copied().unwrap_or_default();
                let shown = crate::search::kinds::shown_as(counts);
                let mut kinds: Vec<EntityKind> = Vec::new();
                for (i, k) in shown.iter().enumerate() {
                    if counts[i] > 0 && !kinds.contains(k) {
                        kinds.push(*k);
                    }
                }
                match kinds[..] {
                    [] => {}
                    [only] => out.push(NameCount {
                        name: n.name.clone(),
                        kind: Some(only),
                        count: n.count,
                    }),
                    _ => {
                        for k in kinds {
                            let fields = EntityKind::ALL
                                .iter()
                                .zip(shown)
                                .filter(|(_, s)| *s == k)
                                .map(|(from, _)| from.as_str())
                                .collect();
                            split.push((n.name.clone(), k, fields));
                        }
                    }
                }
            }
            out.extend(self.split_counts(query, &split, collapse, deadline)?);
            if let Some(k) = kind {
                out.retain(|n| n.kind == Some(k));
            }
            let out = top_names(out, limit);
            let enough = out.len() >= limit && out.last().is_some_and(|n| n.count > least);
            if all || enough {
                return Ok(out);
            }
            read = read.saturating_mul(4);
        }
    }

    /// Per name, the articles of the whole archive (groups of copies once)
    /// giving it each kind, in [`EntityKind::ALL`] order.
    fn archive_counts(
        &self,
        names: &[String],
        deadline: Option<Instant>,
    ) -> Result<HashMap<String, [u64; 4]>> {
        let mut out: HashMap<String, [u64; 4]> = HashMap::new();
        if names.is_empty() {
            return Ok(out);
        }
        let articles = json!({"term": {"kind": KIND_ARTICLE}});
        if names.len() > MAX_TERMS_BUCKETS {
            // Every name of the archive, a page at a time.
            for (i, k) in EntityKind::ALL.iter().enumerate() {
                for n in self.all_names(&articles, k.as_str(), true, deadline)? {
                    out.entry(n.name).or_default()[i] = n.count;
                }
            }
            return Ok(out);
        }
        // A few names per search: all four kinds count their groups.
        for chunk in names.chunks(MAX_GROUPED_BUCKETS / 4) {
            let mut aggs = serde_json::Map::new();
            for k in EntityKind::ALL {
                let mut agg = terms_agg(k.as_str(), chunk.len(), true);
                agg["terms"]["include"] = json!(chunk);
                agg["terms"]["shard_size"] = json!(chunk.len());
                aggs.insert(k.as_str().to_owned(), agg);
            }
            let body =
                json!({"query": articles, "size": 0, "track_total_hits": false, "aggs": aggs});
            let reply = self.post("_search", &body, deadline)?;
            for (i, k) in EntityKind::ALL.iter().enumerate() {
                for n in buckets(&reply["aggregations"][k.as_str()], None) {
                    out.entry(n.name).or_default()[i] = n.count;
                }
            }
        }
        Ok(out)
    }

    /// The matches naming each name under any of its kinds `fields` (the
    /// kinds shown as one), as counts of that name and kind.
    fn split_counts(
        &self,
        query: &Value,
        split: &[(String, EntityKind, Vec<&'static str>)],
        collapse: bool,
        deadline: Option<Instant>,
    ) -> Result<Vec<NameCount>> {
        if split.is_empty() {
            return Ok(Vec::new());
        }
        let mut out = Vec::new();
        for chunk in split.chunks(MAX_GROUPED_BUCKETS) {
            let mut aggs = serde_json::Map::new();
            for (i, (name, _, fields)) in chunk.iter().enumerate() {
                let should: Vec<Value> =
                    fields.iter().map(|f| json!({"term": {*f: name}})).collect();
                let mut agg =
                    json!({"filter": {"bool": {"should": should, "minimum_should_match": 1}}});
                if collapse {
                    agg["aggs"] = json!({"groups": groups_of_name()});
                }
                aggs.insert(i.to_string(), agg);
            }
            let body = json!({"query": query, "size": 0, "track_total_hits": false, "aggs": aggs});
            let reply = self.post("_search", &body, deadline)?;
            for (i, (name, k, _)) in chunk.iter().enumerate() {
                let count = bucket_count(&reply["aggregations"][i.to_string()]).unwrap_or(0);
                if count > 0 {
                    out.push(NameCount {
                        name: name.clone(),
                        kind: Some(*k),
                        count,
                    });
                }
            }
        }
        Ok(out)
    }

    /// Every name of `field` among the matches, a page at a time.
    fn all_names(
        &self,
        query: &Value,
        field: &str,
        collapse: bool,
        deadline: Option<Instant>,
    ) -> Result<Vec<NameCount>> {
        let mut out = Vec::new();
        let mut after: Option<Value> = None;
        loop {
            let mut composite = json!({
                "size": if collapse { MAX_GROUPED_BUCKETS } else { MAX_TERMS_BUCKETS },
                "sources": [{"name": {"terms": {"field": field}}}]
            });
            if let Some(a) = &after {
                composite["after"] = a.clone();
            }
            let mut names = json!({"composite": composite});
            if collapse {
                names["aggs"] = json!({"groups": groups_of_name()});
            }
            let body = json!({
                "query": query, "size": 0, "track_total_hits": false,
                "aggs": {"names": names}
            });
            let reply = self.post("_search", &body, deadline)?;
            let agg = &reply["aggregations"]["names"];
            let page = agg["buckets"].as_array().cloned().unwrap_or_default();
            for b in &page {
                if let (Some(name), Some(count)) = (b["key"]["name"].as_str(), bucket_count(b)) {
                    out.push(NameCount {
                        name: name.to_owned(),
                        kind: None,
                        count,
                    });
                }
            }
            match agg.get("after_key") {
                Some(a) if !page.is_empty() => after = Some(a.clone()),
                _ => break,
            }
        }
        Ok(out)
    }

    /// Byte ranges in `text` of the words `query` looks for in articles.
    pub fn highlights(&self, query: &str, text: &str) -> Result<Vec<(usize, usize)>> {
        let parsed = Text::parse(self, query, Scope::Articles, false)?;
        if parsed.is_empty {
            return Ok(Vec::new());
        }
        Ok(word_ranges(&parsed, text))
    }

    /// The stored article with this id, as [`crate::search::Searcher::article`].
    pub fn article(&self, id: &str, root: Option<&str>) -> Result<Option<Article>> {
        let mut filter = vec![
            json!({"term": {"kind": KIND_ARTICLE}}),
            json!({"term": {"id": id}}),
        ];
        if let Some(root) = root {
            filter.push(json!({"term": {"root": root}}));
        }
        let body = json!({"query": {"bool": {"filter": filter}}, "size": MAX_ROOTS});
        let reply = self.post("_search", &body, None)?;
        let hits = reply["hits"]["hits"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let docs: Vec<ArticleDoc> = hits
            .into_iter()
            .filter_map(|h| serde_json::from_value(h["_source"].clone()).ok())
            .collect();
        if docs.len() > 1 {
            let mut roots: Vec<String> = docs.iter().map(|d| d.root.clone()).collect();
            roots.sort();
            return Err(Error::AmbiguousId {
                id: id.to_owned(),
                roots,
            });
        }
        let Some(d) = docs.into_iter().next() else {
            return Ok(None);
        };
        Ok(Some(Article {
            path: d.id,
            title: d.title,
            date: d.date.or(d.extract.date),
            author: d.author,
            source: d.source,
            url: d.url,
            lang: d.extract.lang,
            entities: crate::search::spans_of(d.extract.entities, &d.body),
            body: d.body,
            quotes: d.extract.quotes,
        }))
    }

    /// The index's state, for `/api/health`: articles, documents (articles
    /// and quotes), and Lucene segments in its primaries.
    pub fn health(&self) -> Result<Health> {
        let count = |kinds: &[&str]| -> Result<u64> {
            let r = self.post(
                "_count",
                &json!({"query": {"terms": {"kind": kinds}}}),
                None,
            )?;
            Ok(r["count"].as_u64().unwrap_or(0))
        };
        let stats = self.cluster.client.json(
            Method::GET,
            &format!("/{}/_stats/segments,refresh", self.cluster.index),
            None,
        )?;
        let primaries = &stats["_all"]["primaries"];
        Ok(Health {
            articles: count(&[KIND_ARTICLE])?,
            documents: count(&[KIND_ARTICLE, KIND_QUOTE])?,
            segments: primaries["segments"]["count"].as_u64().unwrap_or(0) as usize,
            opstamp: primaries["refresh"]["total"].as_u64().unwrap_or(0),
            committed: None,
        })
    }
}

impl Lexicon for ClusterSearcher {
    fn doc_freqs(&self, fields: &[&str], words: &[String]) -> Result<Vec<u64>> {
        let mut filters = serde_json::Map::new();
        for (i, w) in words.iter().enumerate() {
            for f in fields {
                filters.insert(format!("{i}:{f}"), json!({"term": {*f: w}}));
            }
        }
        let body = json!({
            "size": 0,
            "track_total_hits": false,
            "query": {"bool": {"must_not": [{"term": {"kind": KIND_FILE}}]}},
            "aggs": {"held": {"filters": {"filters": filters}}}
        });
        let reply = self.post("_search", &body, None)?;
        let b = &reply["aggregations"]["held"]["buckets"];
        Ok((0..words.len())
            .map(|i| {
                fields
                    .iter()
                    .map(|f| b[format!("{i}:{f}")]["doc_count"].as_u64().unwrap_or(0))
                    .sum()
            })
            .collect())
    }

    fn near(&self, fields: &[&str], word: &str, edits: u8) -> Result<Vec<(String, u64)>> {
        let mut suggest = serde_json::Map::new();
        suggest.insert("text".into(), json!(word));
        for f in fields {
            suggest.insert(
                (*f).to_owned(),
                json!({"term": {
                    "field": f,
                    "analyzer": "keyword",
                    "suggest_mode": "always",
                    "max_edits": edits,
                    "prefix_length": 0,
                    "min_word_length": 1,
                    "max_term_freq": 1_000_000_000,
                    "accuracy": 0.0,
                    "size": 50,
                    "max_inspections": 20,
                    "sort": "frequency",
                    "string_distance": "damerau_levenshtein"
                }}),
            );
        }
        let body = json!({"size": 0, "track_total_hits": false, "suggest": suggest});
        let reply = self.post("_search", &body, None)?;
        let mut freq: HashMap<String, u64> = HashMap::new();
        for f in fields {
            for entry in reply["suggest"][*f].as_array().into_iter().flatten() {
                for o in entry["options"].as_array().into_iter().flatten() {
                    if let (Some(t), Some(n)) = (o["text"].as_str(), o["freq"].as_u64()) {
                        *freq.entry(t.to_owned()).or_default() += n;
                    }
                }
            }
        }
        Ok(freq.into_iter().collect())
    }
}

/// What a quote hit is read from.
const QUOTE_SOURCE: &[&str] = &[
    "id",
    "key",
    "root",
    "path",
    "date",
    "quotes",
    "speaker",
    "article_title",
];

/// A quote document found, as a hit (one article: the caller counts
/// those that carry it).
fn quote_hit(h: &Value, rank: usize, score: f32) -> Result<QuoteHit> {
    let src: HitSource = serde_json::from_value(h["_source"].clone())
        .map_err(ClusterError::unexpected("document"))?;
    let text_of = |v: &Option<Value>| {
        v.as_ref()
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_owned()
    };
    let quote = text_of(&src.quotes);
    let highlights = h["highlight"]["quotes"][0]
        .as_str()
        .map(marked)
        .filter(|(plain, _)| *plain == quote)
        .map(|(_, h)| h)
        .unwrap_or_default();
    let speaker = text_of(&src.speaker);
    Ok(QuoteHit {
        rank,
        score,
        text: quote,
        speaker: (!speaker.is_empty()).then_some(speaker),
        title: src.article_title,
        date: src.date,
        path: src.path,
        root: if src.root.is_empty() {
            src.key
        } else {
            src.root
        },
        id: src.id,
        highlights,
        articles: 1,
    })
}

/// `offset + limit`, refused above [`MAX_WINDOW`].
fn check_window(req: &SearchRequest) -> Result<usize> {
    req.offset
        .checked_add(req.limit)
        .filter(|w| *w <= MAX_WINDOW)
        .ok_or_else(|| Error::Query(format!("offset + limit must be at most {MAX_WINDOW}")))
}

fn total_of(reply: &Value) -> usize {
    reply["hits"]["total"]["value"].as_u64().unwrap_or(0) as usize
}

/// A hit of a page: its document id, score, and group (when collapsed).
struct Scored {
    id: String,
    score: f32,
    group: Option<String>,
}

/// The hits of a reply.
fn scored_ids(reply: &Value) -> Vec<Scored> {
    reply["hits"]["hits"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|h| {
            Some(Scored {
                id: h["_id"].as_str()?.to_owned(),
                score: h["_score"].as_f64().unwrap_or(0.0) as f32,
                group: h["fields"]["group"][0].as_str().map(str::to_owned),
            })
        })
        .collect()
}

/// Matches over all pages: documents, or with `collapse` the groups the
/// `groups` aggregation counted.
fn total(reply: &Value, collapse: bool) -> usize {
    if collapse {
        reply["aggregations"]["groups"]["value"]
            .as_u64()
            .unwrap_or(0) as usize
    } else {
        total_of(reply)
    }
}

/// Counts the distinct values of `field` (exactly up to 40,000 of them,
/// the most the cluster counts exactly; within a few percent above).
fn distinct(field: &str) -> Value {
    json!({"cardinality": {"field": field, "precision_threshold": 40_000}})
}

/// The `size` most frequent names of `field`, exactly: every shard
/// reports all its names up to a generous `shard_size`.
///
/// With `collapse`, a name counts the groups of copies it is in (a story
/// once), as the embedded index counts them.
fn terms_agg(field: &str, size: usize, collapse: bool) -> Value {
    let size = size.clamp(1, MAX_TERMS_BUCKETS);
    let mut agg = json!({"terms": {
        "field": field,
        "size": size,
        "shard_size": (size * 10).max(1000),
        "order": [{"_count": "desc"}, {"_key": "asc"}]
    }});
    if collapse {
        // The names by their articles, and their groups counted for those
        // only (breadth first): ordered by the groups, every name of the
        // shard would count its groups, gigabytes of a node's memory on a
        // few thousand articles. A name's groups are at most its articles,
        // so the first by groups are among the first by articles read with
        // enough more (the callers read more than they show: [`read_for`]).
        agg["terms"]["collect_mode"] = json!("breadth_first");
        agg["aggs"] = json!({"groups": groups_of_name()});
    }
    agg
}

/// How many names to read by their articles to show the first `limit`
/// by their groups of copies: more, since a name's groups are at most its
/// articles (the first by groups are seldom far down the list).
fn read_for(limit: usize, collapse: bool) -> usize {
    if collapse {
        limit.saturating_mul(2).max(limit.saturating_add(20))
    } else {
        limit
    }
}

/// The groups of copies of one name's articles: exact up to 3,000 (a
/// count in every bucket of a terms aggregation holds memory by its
/// precision, 16 kB here against 256 kB at [`distinct`]'s).
fn groups_of_name() -> Value {
    json!({"cardinality": {"field": "group", "precision_threshold": 3_000}})
}

/// The articles of the last bucket of a terms aggregation: no name not
/// read has more.
fn least_articles(agg: &Value) -> u64 {
    agg["buckets"]
        .as_array()
        .and_then(|b| b.last())
        .and_then(|b| b["doc_count"].as_u64())
        .unwrap_or(0)
}

/// A bucket's count: its groups where they were counted, else its documents.
fn bucket_count(b: &Value) -> Option<u64> {
    b["groups"]["value"]
        .as_u64()
        .or_else(|| b["doc_count"].as_u64())
}

fn buckets(agg: &Value, kind: Option<EntityKind>) -> Vec<NameCount> {
    agg["buckets"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|b| {
            Some(NameCount {
                name: b["key"].as_str()?.to_owned(),
                kind,
                count: bucket_count(b)?,
            })
        })
        .collect()
}

/// The `limit` most frequent, most frequent first, then by name (as the
/// embedded index orders them).
fn top_names(mut counts: Vec<NameCount>, limit: usize) -> Vec<NameCount> {
    counts.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.name.cmp(&b.name)));
    counts.truncate(limit);
    counts
}

/// A highlighted text without its marks, and the byte ranges they marked.
fn marked(text: &str) -> (String, Vec<(usize, usize)>) {
    let mut plain = String::with_capacity(text.len());
    let mut ranges = Vec::new();
    let mut start = None;
    for c in text.chars() {
        match c {
            '\u{e000}' => start = Some(plain.len()),
            '\u{e001}' => {
                if let Some(s) = start.take() {
                    ranges.push((s, plain.len()));
                }
            }
            _ => plain.push(c),
        }
    }
    (plain, ranges)
}

/// Distinct query words (or prefixes) in `text`, as the index analyses it.
fn matching_words(
    text: &Text,
    quote: &str,
    analyzer: &mut tantivy::tokenizer::TextAnalyzer,
) -> usize {
    if text.words.is_empty() && text.prefixes.is_empty() {
        return 0;
    }
    let mut stream = analyzer.token_stream(quote);
    let mut seen = BTreeSet::new();
    while stream.advance() {
        let t = &stream.token().text;
        if text.words.contains(t) || text.prefixes.iter().any(|p| t.starts_with(p.as_str())) {
            seen.insert(t.clone());
        }
    }
    seen.len()
}

/// The quotes shown under a hit, as the embedded index picks them: with
/// `--speaker`, that speaker's (matching ones first); otherwise up to
/// three that match the query.
fn quotes_to_show(
    stored: &Stored,
    speakers: &[String],
    text: &Text,
    analyzer: &mut tantivy::tokenizer::TextAnalyzer,
) -> Vec<QuoteRef> {
    crate::search::hits::pick_quotes(&stored.quotes, speakers, |q| {
        matching_words(text, q, analyzer)
    })
}

/// Byte ranges of the words of `body` a query looks for.
fn word_ranges(text: &Text, body: &str) -> Vec<(usize, usize)> {
    let mut analyzer = en_highlighter(text.words.iter().map(String::as_str));
    let mut full = en_analyzer();
    let mut out = Vec::new();
    let mut stream = analyzer.token_stream(body);
    while stream.advance() {
        let t = stream.token();
        if text.words.contains(&t.text) {
            out.push((t.offset_from, t.offset_to));
        } else if !text.prefixes.is_empty() {
            let mut s = full.token_stream(&body[t.offset_from..t.offset_to]);
            if s.advance()
                && text
                    .prefixes
                    .iter()
                    .any(|p| s.token().text.starts_with(p.as_str()))
            {
                out.push((t.offset_from, t.offset_to));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_become_byte_ranges() {
        let (plain, ranges) = marked("a \u{e000}café\u{e001} b \u{e000}x\u{e001}");
        assert_eq!(plain, "a café b x");
        assert_eq!(ranges, [(2, 7), (10, 11)]);
        assert_eq!(&plain[2..7], "café");
    }

    #[test]
    fn names_rank_by_count_then_name() {
        let n = |name: &str, count| NameCount {
            name: name.into(),
            kind: None,
            count,
        };
        let top = top_names(vec![n("b", 2), n("a", 2), n("c", 5)], 2);
        assert_eq!(top, [n("c", 5), n("a", 2)]);
    }
}
