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
use super::query::{filters, with_filters, Lexicon, Text};
use super::Cluster;
use crate::extract::names;
use crate::index::schema::{en_analyzer, en_highlighter, Stored, KIND_ARTICLE, KIND_QUOTE};
use crate::search::query::{person, Scope};
use crate::search::{
    EntityRef, FacetKind, Health, Hit, NameCount, QuoteHit, QuoteRef, QuoteResults, SearchRequest,
    SearchResults, Sort, MAX_WINDOW,
};
use crate::{Article, Entity, EntityKind, Error, Result};

/// Characters of body text in a snippet (as the embedded index's).
const SNIPPET_CHARS: usize = 220;
/// Quotes shown under a hit without `--speaker`.
const QUOTES_WITHOUT_SPEAKER: usize = 3;
/// The most indexed directories an ambiguous article id names.
const MAX_ROOTS: usize = 16;
/// Above this many names, facets are read page by page (a `composite`
/// aggregation) instead of as one `terms` aggregation.
const MAX_TERMS_BUCKETS: usize = 10_000;
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
            serde_json::to_writer(&mut nd, b).map_err(|e| Error::Cluster(e.to_string()))?;
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
            return Err(Error::Cluster(format!(
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
                    Error::Cluster(format!("POST {path}: {text}"))
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
            for (field, _) in facet_fields(*kind) {
                aggs.insert(format!("{i}_{field}"), terms_agg(field, names));
            }
        }
        let tiered = text.tiered && req.sort == Sort::Relevance;
        let mut body = json!({
            "query": any,
            "track_total_hits": true,
            "_source": false,
            "aggs": aggs,
        });
        let (total, page, reply) = if tiered {
            // Every word first, then the rest of those with some words:
            // two searches (in one request), so the order is guaranteed.
            body["size"] = json!(want.max(1));
            let all = json!({
                "query": with_filters(&text.all, &filters),
                "size": want.max(1),
                "_source": false,
                "track_total_hits": false,
            });
            let mut replies = self.msearch(&[all, body], req.deadline)?.into_iter();
            let (first, reply) = (
                replies.next().unwrap_or_default(),
                replies.next().unwrap_or_default(),
            );
            let mut page = scored_ids(&first);
            if page.len() < want {
                let seen: HashSet<String> = page.iter().map(|(id, _)| id.clone()).collect();
                let need = want - page.len();
                page.extend(
                    scored_ids(&reply)
                        .into_iter()
                        .filter(|(id, _)| !seen.contains(id))
                        .take(need),
                );
            }
            let page = page.into_iter().skip(req.offset).collect();
            (total_of(&reply), page, reply)
        } else {
            // The page only: the cluster skips the offset.
            body["from"] = json!(req.offset);
            body["size"] = json!(req.limit);
            if req.sort == Sort::Date {
                body["sort"] = json!([{"date": {"order": "desc", "missing": "_last"}}]);
            }
            let reply = self.post("_search", &body, req.deadline)?;
            (total_of(&reply), scored_ids(&reply), reply)
        };
        let facets = kinds
            .iter()
            .enumerate()
            .map(|(i, kind)| {
                let mut counts = Vec::new();
                for (field, k) in facet_fields(*kind) {
                    counts.extend(buckets(&reply["aggregations"][format!("{i}_{field}")], k));
                }
                top_names(counts, names)
            })
            .collect();
        let page: Vec<(String, f32)> = page.into_iter().take(req.limit).collect();
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
        page: &[(String, f32)],
        text: &Text,
        query: &Value,
        req: &SearchRequest,
    ) -> Result<Vec<Hit>> {
        if page.is_empty() {
            return Ok(Vec::new());
        }
        let ids: Vec<&str> = page.iter().map(|(id, _)| id.as_str()).collect();
        let mut body = json!({
            "query": {"bool": {"must": [query], "filter": [{"ids": {"values": ids}}]}},
            "size": ids.len(),
            "_source": {"includes": ["id", "root", "path", "title", "date", "extract"]},
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
        for (i, (id, score)) in page.iter().enumerate() {
            let Some(h) = by_id.get(id) else {
                // Deleted between the two searches.
                continue;
            };
            let src: HitSource = serde_json::from_value(h["_source"].clone())
                .map_err(|e| Error::Cluster(format!("an unexpected document: {e}")))?;
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
                // The cluster does not group near-duplicates (yet).
                group: None,
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
        }
        Ok(out)
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

    /// Ranked quotes for a request.
    pub fn quotes(&self, req: &SearchRequest) -> Result<QuoteResults> {
        let want = check_window(req)?;
        let text = Text::parse(self, &req.query, Scope::Quotes, req.exact)?;
        let filters = filters(req, Scope::Quotes)?;
        let query = with_filters(&text.any, &filters);
        let mut body = json!({
            "query": query,
            "from": req.offset.min(want),
            "size": req.limit.min(want - req.offset.min(want)),
            "track_total_hits": true,
            "_source": {"includes": ["id", "key", "root", "path", "date", "quotes", "speaker", "article_title"]},
        });
        if req.sort == Sort::Date {
            body["sort"] = json!([{"date": {"order": "desc", "missing": "_last"}}]);
        }
        if !text.is_empty {
            body["highlight"] = json!({
                "pre_tags": [PRE],
                "post_tags": [POST],
                "fields": {"quotes": {"type": "unified", "number_of_fragments": 0}}
            });
        }
        let reply = self.post("_search", &body, req.deadline)?;
        let mut hits = Vec::new();
        for (i, h) in reply["hits"]["hits"]
            .as_array()
            .into_iter()
            .flatten()
            .enumerate()
        {
            let src: HitSource = serde_json::from_value(h["_source"].clone())
                .map_err(|e| Error::Cluster(format!("an unexpected document: {e}")))?;
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
            hits.push(QuoteHit {
                rank: req.offset + i + 1,
                score: h["_score"].as_f64().unwrap_or(0.0) as f32,
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
            });
        }
        Ok(QuoteResults {
            query: req.query.clone(),
            notes: text.notes.clone(),
            total: total_of(&reply),
            hits,
        })
    }

    /// The most frequent speakers or entities among the articles matching
    /// a request (its limit is the number of names).
    pub fn facets(&self, req: &SearchRequest, kind: FacetKind) -> Result<Vec<NameCount>> {
        let text = Text::parse(self, &req.query, Scope::Articles, req.exact)?;
        let filters = filters(req, Scope::Articles)?;
        let query = with_filters(&text.any, &filters);
        let mut counts = Vec::new();
        if req.limit > MAX_TERMS_BUCKETS {
            for (field, k) in facet_fields(kind) {
                counts.extend(self.all_names(&query, field, k, req.deadline)?);
            }
        } else {
            let mut aggs = serde_json::Map::new();
            for (field, _) in facet_fields(kind) {
                aggs.insert(field.to_owned(), terms_agg(field, req.limit));
            }
            let body = json!({"query": query, "size": 0, "track_total_hits": false, "aggs": aggs});
            let reply = self.post("_search", &body, req.deadline)?;
            for (field, k) in facet_fields(kind) {
                counts.extend(buckets(&reply["aggregations"][field], k));
            }
        }
        Ok(top_names(counts, req.limit))
    }

    /// Every name of `field` among the matches, a page at a time.
    fn all_names(
        &self,
        query: &Value,
        field: &str,
        kind: Option<EntityKind>,
        deadline: Option<Instant>,
    ) -> Result<Vec<NameCount>> {
        let mut out = Vec::new();
        let mut after: Option<Value> = None;
        loop {
            let mut composite = json!({
                "size": MAX_TERMS_BUCKETS,
                "sources": [{"name": {"terms": {"field": field}}}]
            });
            if let Some(a) = &after {
                composite["after"] = a.clone();
            }
            let body = json!({
                "query": query, "size": 0, "track_total_hits": false,
                "aggs": {"names": {"composite": composite}}
            });
            let reply = self.post("_search", &body, deadline)?;
            let agg = &reply["aggregations"]["names"];
            let page = agg["buckets"].as_array().cloned().unwrap_or_default();
            for b in &page {
                if let (Some(name), Some(count)) =
                    (b["key"]["name"].as_str(), b["doc_count"].as_u64())
                {
                    out.push(NameCount {
                        name: name.to_owned(),
                        kind,
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
            entities: spans_of(d.extract.entities, &d.body),
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

/// The hits of a reply: their document ids and scores.
fn scored_ids(reply: &Value) -> Vec<(String, f32)> {
    reply["hits"]["hits"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|h| {
            Some((
                h["_id"].as_str()?.to_owned(),
                h["_score"].as_f64().unwrap_or(0.0) as f32,
            ))
        })
        .collect()
}

/// The fields a kind of name is counted in, with the kind they give.
fn facet_fields(kind: FacetKind) -> Vec<(&'static str, Option<EntityKind>)> {
    match kind {
        FacetKind::Speaker => vec![("speaker_facet", None)],
        FacetKind::Entity(Some(k)) => vec![(k.as_str(), Some(k))],
        FacetKind::Entity(None) => EntityKind::ALL
            .iter()
            .map(|k| (k.as_str(), Some(*k)))
            .collect(),
    }
}

/// The `size` most frequent names of `field`, exactly: every shard
/// reports all its names up to a generous `shard_size`.
fn terms_agg(field: &str, size: usize) -> Value {
    let size = size.clamp(1, MAX_TERMS_BUCKETS);
    json!({"terms": {
        "field": field,
        "size": size,
        "shard_size": (size * 10).max(1000),
        "order": [{"_count": "desc"}, {"_key": "asc"}]
    }})
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
                count: b["doc_count"].as_u64()?,
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

/// The start of the body, cut at a word boundary.
fn lead(body: &str) -> String {
    if body.len() <= SNIPPET_CHARS {
        return body.to_owned();
    }
    let mut end = SNIPPET_CHARS;
    while !body.is_char_boundary(end) {
        end -= 1;
    }
    let cut = body[..end].rfind(char::is_whitespace).unwrap_or(end);
    format!("{}…", body[..cut].trim_end())
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
    let mut scored: Vec<(usize, usize, &crate::Quote)> = stored
        .quotes
        .iter()
        .enumerate()
        .filter(|(_, q)| {
            speakers.is_empty()
                || q.speaker
                    .as_deref()
                    .is_some_and(|s| speakers.iter().any(|want| names::names(want, s)))
        })
        .map(|(i, q)| (matching_words(text, &q.text, analyzer), i, q))
        .collect();
    if speakers.is_empty() {
        scored.retain(|(m, _, _)| *m > 0);
        scored.truncate(QUOTES_WITHOUT_SPEAKER);
    }
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    scored
        .into_iter()
        .map(|(_, _, q)| QuoteRef {
            text: q.text.clone(),
            speaker: q.speaker.clone(),
        })
        .collect()
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

/// Stored entities with their mention spans, by tagging the body again.
fn spans_of(stored: Vec<Entity>, body: &str) -> Vec<Entity> {
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
