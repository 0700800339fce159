//! From top documents to [`Hit`]s: stored fields, a snippet with its
//! highlighted ranges, and the quotes worth showing under the hit.
//!
//! Quotes of a `--speaker` come first when they match the query.

use std::collections::BTreeSet;

use serde::Serialize;
use tantivy::schema::Value;
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::{TextAnalyzer, TokenStream};
use tantivy::{DocAddress, TantivyDocument};

use tantivy::collector::{Count, TopDocs};
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;

use super::collapse::Led;
use super::query::Text;
use super::SearchRequest;
use crate::extract::names;
use crate::index::schema::DedupFields;
use crate::index::schema::{en_analyzer, en_highlighter, Stored};
use crate::index::Fields;
use crate::{EntityKind, Result};

/// Characters of body text in a snippet.
pub(crate) const SNIPPET_CHARS: usize = 220;
/// Quotes shown under a hit without `--speaker`.
const QUOTES_WITHOUT_SPEAKER: usize = 3;

/// One ranked article.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    pub rank: usize,
    pub score: f32,
    /// The article's id: its path relative to the indexed root.
    pub id: String,
    /// The indexed directory the article was found under.
    pub root: String,
    pub path: String,
    pub title: String,
    pub date: Option<String>,
    pub snippet: String,
    /// Byte ranges of the matched words in `snippet`.
    pub highlights: Vec<(usize, usize)>,
    /// Everyone quoted in the article.
    pub speakers: Vec<String>,
    /// With `--speaker`: that speaker's quotes (matching ones first);
    /// otherwise the quotes that match the query.
    pub quotes: Vec<QuoteRef>,
    pub entities: Vec<EntityRef>,
    /// The article's group of near-duplicates (absent in an index made
    /// before them).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<u64>,
    /// How many other articles are copies of this one (shown once).
    pub copies: usize,
    /// The first of them (at most [`COPIES_LISTED`]).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub also: Vec<CopyRef>,
}

/// Copies listed under a hit.
pub const COPIES_LISTED: usize = 20;

/// Another article of a hit's group.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct CopyRef {
    pub id: String,
    pub root: String,
    pub path: String,
    pub title: String,
    pub date: Option<String>,
}

/// A quote under a hit.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct QuoteRef {
    pub text: String,
    pub speaker: Option<String>,
}

/// An entity of a hit.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct EntityRef {
    pub name: String,
    pub kind: EntityKind,
}

/// One ranked quote, with the article it comes from.
#[derive(Debug, Clone, Serialize)]
pub struct QuoteHit {
    pub rank: usize,
    pub score: f32,
    pub text: String,
    pub speaker: Option<String>,
    pub title: String,
    pub date: Option<String>,
    pub path: String,
    /// The id of the quote's article.
    pub id: String,
    /// The indexed directory of the quote's article.
    pub root: String,
    /// Byte ranges of the matched words in `text`.
    pub highlights: Vec<(usize, usize)>,
    /// Articles that carry the quote (its words and speaker); the one
    /// shown is the first published.
    pub articles: usize,
}

pub(super) struct HitBuilder<'a> {
    searcher: &'a tantivy::Searcher,
    f: &'a Fields,
    snippets: Option<SnippetGenerator>,
    /// Stemmed query words, to tell which quotes match the query.
    words: BTreeSet<String>,
    /// The `--speaker` names, as [`super::query::person`] reads them.
    speakers: Vec<String>,
    /// Built once and cloned per hit: a stemmer is costly to set up, a
    /// clone is not, and hits are built in parallel.
    analyzer: TextAnalyzer,
    /// Groups with several articles, when near-duplicates are collapsed.
    grouping: Option<Led>,
}

impl<'a> HitBuilder<'a> {
    pub fn new(
        searcher: &'a tantivy::Searcher,
        f: &'a Fields,
        text: &Text,
        req: &'a SearchRequest,
        grouping: Option<Led>,
    ) -> Result<Self> {
        let snippets = if text.is_empty {
            None
        } else {
            Some(snippet_generator(searcher, text.any.as_ref(), f.body)?)
        };
        let words = query_words(text.any.as_ref());
        Ok(HitBuilder {
            searcher,
            f,
            snippets,
            words,
            speakers: req
                .speakers
                .iter()
                .map(|s| super::query::person(s))
                .collect(),
            analyzer: en_analyzer(),
            grouping,
        })
    }

    /// The other articles of a hit's group, when it has several.
    fn copies(&self, group: Option<u64>, own: DocAddress) -> Result<(usize, Vec<CopyRef>)> {
        let (Some(g), Some(led), Some(d)) = (group, &self.grouping, self.f.dedup) else {
            return Ok((0, Vec::new()));
        };
        if !led.contains(&g) {
            return Ok((0, Vec::new()));
        }
        let q = TermQuery::new(
            tantivy::Term::from_field_u64(d.group, g),
            IndexRecordOption::Basic,
        );
        let (count, top) = self.searcher.search(
            &q,
            &(
                Count,
                TopDocs::with_limit(COPIES_LISTED + 1).order_by_score(),
            ),
        )?;
        let mut also = Vec::new();
        for (_, addr) in top.into_iter().filter(|(_, a)| *a != own) {
            let doc: TantivyDocument = self.searcher.doc(addr)?;
            also.push(CopyRef {
                id: text_of(&doc, self.f.id),
                root: text_of(&doc, self.f.root),
                path: text_of(&doc, self.f.path),
                title: text_of(&doc, self.f.title),
                date: date_of(&doc, self.f),
            });
        }
        also.truncate(COPIES_LISTED);
        Ok((count.saturating_sub(1), also))
    }

    pub fn hit(&self, rank: usize, score: f32, addr: DocAddress) -> Result<Hit> {
        let doc: TantivyDocument = self.searcher.doc(addr)?;
        let f = self.f;
        let body = text_of(&doc, f.body);
        let (snippet, highlights) = match &self.snippets {
            Some(g) => {
                let s = g.snippet(&body);
                if s.fragment().is_empty() {
                    (lead(&body), Vec::new())
                } else {
                    let h = s.highlighted().iter().map(|r| (r.start, r.end)).collect();
                    (s.fragment().to_owned(), h)
                }
            }
            None => (lead(&body), Vec::new()),
        };
        let stored: Stored = serde_json::from_str(&text_of(&doc, f.extract)).unwrap_or_default();
        let mut speakers: Vec<String> = stored
            .quotes
            .iter()
            .filter_map(|q| q.speaker.clone())
            .collect();
        speakers.sort();
        speakers.dedup();
        let group = f
            .dedup
            .and_then(|d| doc.get_first(d.group))
            .and_then(|v| v.as_u64());
        let (copies, also) = self.copies(group, addr)?;
        Ok(Hit {
            group,
            copies,
            also,
            rank,
            score,
            id: text_of(&doc, f.id),
            root: text_of(&doc, f.root),
            path: text_of(&doc, f.path),
            title: text_of(&doc, f.title),
            date: date_of(&doc, f).or(stored.date.clone()),
            snippet,
            highlights,
            speakers,
            quotes: self.quotes_to_show(&stored, &mut self.analyzer.clone()),
            entities: stored
                .entities
                .into_iter()
                .map(|e| EntityRef {
                    name: e.name,
                    kind: e.kind,
                })
                .collect(),
        })
    }

    fn quotes_to_show(&self, stored: &Stored, analyzer: &mut TextAnalyzer) -> Vec<QuoteRef> {
        pick_quotes(&stored.quotes, &self.speakers, |q| {
            self.matching_words(analyzer, q)
        })
    }

    fn matching_words(&self, analyzer: &mut TextAnalyzer, text: &str) -> usize {
        if self.words.is_empty() {
            return 0;
        }
        let mut stream = analyzer.token_stream(text);
        let mut seen = BTreeSet::new();
        while stream.advance() {
            if self.words.contains(&stream.token().text) {
                seen.insert(stream.token().text.clone());
            }
        }
        seen.len()
    }
}

/// The quotes shown under a hit, by both backends: with `--speaker`, that
/// speaker's (those with most query words first); otherwise up to
/// [`QUOTES_WITHOUT_SPEAKER`] that hold a query word. `matching` counts a
/// quote's distinct query words.
pub(crate) fn pick_quotes(
    quotes: &[crate::Quote],
    speakers: &[String],
    mut matching: impl FnMut(&str) -> usize,
) -> Vec<QuoteRef> {
    let mut scored: Vec<(usize, usize, &crate::Quote)> = quotes
        .iter()
        .enumerate()
        .filter(|(_, q)| {
            speakers.is_empty()
                || q.speaker
                    .as_deref()
                    .is_some_and(|s| speakers.iter().any(|want| names::names(want, s)))
        })
        .map(|(i, q)| (matching(&q.text), i, q))
        .collect();
    if speakers.is_empty() {
        scored.retain(|(m, _, _)| *m > 0);
        scored.truncate(QUOTES_WITHOUT_SPEAKER);
    }
    // Most matching words first; the article's order among equals.
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    scored
        .into_iter()
        .map(|(_, _, q)| QuoteRef {
            text: q.text.clone(),
            speaker: q.speaker.clone(),
        })
        .collect()
}

/// What `SnippetGenerator::create` builds (each body term of the query,
/// scored by its rarity), but with an analyzer that stems only the words
/// that can match: re-stemming every word of every hit's body was most of
/// a query's time.
fn snippet_generator(
    searcher: &tantivy::Searcher,
    query: &dyn tantivy::query::Query,
    field: tantivy::schema::Field,
) -> Result<SnippetGenerator> {
    let mut terms = BTreeSet::new();
    query.query_terms(&mut |term, _| {
        if term.field() == field {
            terms.insert(term.clone());
        }
    });
    let mut scored = std::collections::BTreeMap::new();
    for term in &terms {
        let value = term.value();
        let Some(text) = value.as_str() else {
            continue;
        };
        let doc_freq = searcher.doc_freq(term)?;
        if doc_freq > 0 {
            scored.insert(text.to_owned(), 1.0 / (1.0 + doc_freq as f32));
        }
    }
    let analyzer = en_highlighter(scored.keys().map(String::as_str));
    Ok(SnippetGenerator::new(
        scored,
        analyzer,
        field,
        SNIPPET_CHARS,
    ))
}

/// The stemmed words of a query, to find in texts with [`highlights`].
pub(super) fn query_words(query: &dyn tantivy::query::Query) -> BTreeSet<String> {
    let mut words = BTreeSet::new();
    query.query_terms(&mut |term, _| {
        if let Some(s) = term.value().as_str() {
            words.insert(s.to_owned());
        }
    });
    words
}

/// Byte ranges of the words of `text` that are among `words` (stems), as
/// the index analyses it.
pub fn highlights(words: &BTreeSet<String>, text: &str) -> Vec<(usize, usize)> {
    if words.is_empty() {
        return Vec::new();
    }
    let mut analyzer = en_highlighter(words.iter().map(String::as_str));
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while stream.advance() {
        let t = stream.token();
        if words.contains(&t.text) {
            out.push((t.offset_from, t.offset_to));
        }
    }
    out
}

pub(super) fn quote_hit(
    searcher: &tantivy::Searcher,
    f: &Fields,
    words: &BTreeSet<String>,
    rank: usize,
    score: f32,
    addr: DocAddress,
) -> Result<QuoteHit> {
    let doc: TantivyDocument = searcher.doc(addr)?;
    let speaker = text_of(&doc, f.speaker);
    let id = text_of(&doc, f.id);
    let text = text_of(&doc, f.quotes);
    Ok(QuoteHit {
        highlights: highlights(words, &text),
        root: root_of(&text_of(&doc, f.key), &id),
        rank,
        score,
        text,
        speaker: (!speaker.is_empty()).then_some(speaker),
        title: text_of(&doc, f.article_title),
        date: date_of(&doc, f),
        path: text_of(&doc, f.path),
        id,
        articles: 1,
    })
}

/// The quote at `addr` shown once: at its first publication among the
/// request's matches (`matching`: the earliest dated quote document of the
/// same words and speaker that the query and filters match), with the
/// number of articles that carry it (all of them).
#[allow(clippy::too_many_arguments)]
pub(super) fn first_quote_hit(
    searcher: &tantivy::Searcher,
    f: &Fields,
    d: DedupFields,
    words: &BTreeSet<String>,
    rank: usize,
    score: f32,
    addr: DocAddress,
    matching: &dyn tantivy::query::Query,
) -> Result<QuoteHit> {
    let segment = searcher.segment_reader(addr.segment_ord);
    let Some(hash) =
        super::collapse::column(segment, "quote_hash").and_then(|c| c.first(addr.doc_id))
    else {
        return quote_hit(searcher, f, words, rank, score, addr);
    };
    let q = TermQuery::new(
        tantivy::Term::from_field_u64(d.quote, hash),
        IndexRecordOption::Basic,
    );
    let carried = searcher.search(&q, &Count)?;
    let matched =
        tantivy::query::BooleanQuery::intersection(vec![Box::new(q), matching.box_clone()]);
    let all = searcher.search(&matched, &tantivy::collector::DocSetCollector)?;
    let dates: Vec<Option<tantivy::columnar::Column<tantivy::DateTime>>> = searcher
        .segment_readers()
        .iter()
        .map(|s| s.fast_fields().date("date").ok())
        .collect();
    let date = |a: &DocAddress| {
        dates
            .get(a.segment_ord as usize)
            .and_then(|c| c.as_ref())
            .and_then(|c| c.first(a.doc_id))
    };
    let first = all
        .iter()
        .min_by(|a, b| match (date(a), date(b)) {
            (Some(x), Some(y)) => x.cmp(&y).then(a.cmp(b)),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => a.cmp(b),
        })
        .copied()
        .unwrap_or(addr);
    let mut hit = quote_hit(searcher, f, words, rank, score, first)?;
    hit.articles = carried.max(1);
    Ok(hit)
}

/// The indexed directory in a document's key (quote documents keep the
/// key, not the directory). The key is the directory joined with the id of
/// the article's file: the article's id, or for an object of a JSON file,
/// its id before the `#`.
fn root_of(key: &str, id: &str) -> String {
    let of_file =
        |file: &str| id == file || id.strip_prefix(file).is_some_and(|r| r.starts_with('#'));
    key.match_indices('/')
        .map(|(i, _)| (&key[..i], &key[i + 1..]))
        .find(|&(_, file)| of_file(file))
        .map_or(String::new(), |(root, _)| {
            if root.is_empty() { "/" } else { root }.to_owned()
        })
}

fn text_of(doc: &TantivyDocument, field: tantivy::schema::Field) -> String {
    doc.get_first(field)
        .and_then(|v| v.as_str())
        .unwrap_or_default()
        .to_owned()
}

fn date_of(doc: &TantivyDocument, f: &Fields) -> Option<String> {
    let d = doc.get_first(f.date)?.as_datetime()?;
    Some(d.into_utc().date().to_string())
}

/// The start of the body, cut at a word boundary, for hits without a
/// matched fragment.
pub(crate) fn lead(body: &str) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_root_is_the_key_less_the_articles_file() {
        assert_eq!(root_of("/archive/world/a.txt", "world/a.txt"), "/archive");
        // An object of a JSON file: the key names the file, the id the object.
        assert_eq!(root_of("/archive/feed.jsonl", "feed.jsonl#17"), "/archive");
        assert_eq!(root_of("/a.txt", "a.txt"), "/");
        // A directory named like the file does not fool it.
        assert_eq!(root_of("/x/x/y.txt", "x/y.txt"), "/x");
    }
}
