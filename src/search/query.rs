//! From a [`SearchRequest`] to tantivy queries: the user's text (parsed
//! by [`super::syntax`], built twice: any word, every word) and the
//! filters (kind, speakers, entities, dates).

use std::ops::Bound;

use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, EmptyQuery, FuzzyTermQuery, Occur, PhraseQuery, Query,
    RangeQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::{TextAnalyzer, TokenStream};
use tantivy::Term;

use super::join;
use super::syntax::{self, Leaf, Match, Node};
use super::SearchRequest;
use crate::extract::names;
use crate::index::schema::{day_value, en_analyzer, name_analyzer, KIND_ARTICLE, KIND_QUOTE};
use crate::index::Fields;
use crate::{Error, Result};

/// Which documents the text is searched in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// title (x3), quotes (x1.5), body.
    Articles,
    /// The quote's text.
    Quotes,
}

/// Field boosts: a word in the title says more than one in a quote, which
/// says more than one in the body.
pub(crate) const TITLE_BOOST: f32 = 3.0;
pub(crate) const QUOTES_BOOST: f32 = 1.5;

/// The most words a prefix stands for (the most frequent ones), as
/// Elasticsearch's `max_expansions`: `s*` must not become a query of
/// every word in the index.
pub(crate) const MAX_EXPANSIONS: usize = 50;

/// The user's query, as "any word" and as "every word"; both are the
/// same for queries with operators.
pub struct Text {
    pub any: Box<dyn Query>,
    pub all: Box<dyn Query>,
    pub is_empty: bool,
    /// Whether `all` differs from `any` (several words joined by no
    /// operator), so that ranking has two tiers.
    pub tiered: bool,
    /// How the query was read, where that is not as written.
    pub notes: Vec<String>,
}

/// A query tree with tantivy queries at its leaves, built once and
/// assembled for either default operator.
enum Built {
    Leaf(Box<dyn Query>),
    /// A filter (`date:`): required wherever the default operator joins it.
    Filter(Box<dyn Query>),
    Group(Vec<(syntax::Occur, Built)>),
}

impl Text {
    pub fn parse(
        searcher: &tantivy::Searcher,
        f: &Fields,
        query: &str,
        scope: Scope,
        exact: bool,
    ) -> Result<Text> {
        if query.len() > MAX_QUERY_BYTES {
            return Err(Error::Query(format!(
                "the query is {} bytes long; the limit is {MAX_QUERY_BYTES}",
                query.len()
            )));
        }
        if query.trim().is_empty() {
            return Ok(Text {
                any: Box::new(AllQuery),
                all: Box::new(AllQuery),
                is_empty: true,
                tiered: false,
                notes: Vec::new(),
            });
        }
        let parsed = syntax::parse(query);
        let mut builder = Builder {
            searcher,
            f,
            scope,
            exact,
            typo_checks: MAX_TYPO_CHECKS,
            notes: parsed.notes,
            en: en_analyzer(),
            name: name_analyzer(),
        };
        let built = builder.build(&parsed.root)?;
        let mut notes = builder.notes;
        let (any, all, tiered) = match built {
            Some(b) => {
                let (any, tiered) = assemble(&b, Occur::Should);
                let (all, _) = assemble(&b, Occur::Must);
                (any, all, tiered)
            }
            None => {
                notes.push(format!(
                    "nothing in {query:?} can be searched (only very common words or signs), so nothing matches"
                ));
                let none = || -> Box<dyn Query> { Box::new(EmptyQuery) };
                (none(), none(), false)
            }
        };
        Ok(Text {
            any,
            all,
            is_empty: false,
            tiered,
            notes,
        })
    }
}

/// The query of a built tree, the default operator standing for
/// `default`; and whether it joined two clauses or more anywhere.
fn assemble(built: &Built, default: Occur) -> (Box<dyn Query>, bool) {
    match built {
        Built::Leaf(q) | Built::Filter(q) => (q.box_clone(), false),
        Built::Group(clauses) => {
            let mut joined = 0;
            let mut tiered = false;
            // Filters joined by the default operator restrict the rest,
            // which must still match on its own terms.
            let mut filters = Vec::new();
            let mut out: Vec<(Occur, Box<dyn Query>)> = Vec::with_capacity(clauses.len());
            for (occur, b) in clauses {
                let (q, inner) = assemble(b, default);
                tiered |= inner;
                let occur = match (occur, b) {
                    (syntax::Occur::Default, Built::Filter(_)) => {
                        filters.push((Occur::Must, q));
                        continue;
                    }
                    (syntax::Occur::Default, _) => {
                        joined += 1;
                        default
                    }
                    (syntax::Occur::Must, _) => Occur::Must,
                    (syntax::Occur::Should, _) => Occur::Should,
                    (syntax::Occur::MustNot, _) => Occur::MustNot,
                };
                out.push((occur, q));
            }
            let tiered = tiered || joined > 1;
            let rest: Option<Box<dyn Query>> = if out.is_empty() {
                None
            } else if out.len() == 1 && out[0].0 != Occur::MustNot {
                Some(out.remove(0).1)
            } else {
                if out.iter().all(|(o, _)| *o == Occur::MustNot) {
                    out.push((Occur::Must, Box::new(AllQuery)));
                }
                Some(Box::new(BooleanQuery::new(out)))
            };
            let Some(rest) = rest else {
                if filters.len() == 1 {
                    return (filters.remove(0).1, tiered);
                }
                return (Box::new(BooleanQuery::new(filters)), tiered);
            };
            if filters.is_empty() {
                return (rest, tiered);
            }
            filters.insert(0, (Occur::Must, rest));
            (Box::new(BooleanQuery::new(filters)), tiered)
        }
    }
}

struct Builder<'a> {
    searcher: &'a tantivy::Searcher,
    f: &'a Fields,
    scope: Scope,
    /// No typo tolerance: words are searched as typed.
    exact: bool,
    /// Words still to be looked up for typos (each a scan of the
    /// dictionaries): a pasted page of gibberish stays fast.
    typo_checks: usize,
    notes: Vec<String>,
    en: TextAnalyzer,
    name: TextAnalyzer,
}

/// Words and their positions, as an analyzer makes them of a text.
/// "U.S.", "U.K.", "e.g.": single letters each followed by a full stop,
/// two or more; their letters joined ("US").
pub(crate) fn initialism(text: &str) -> Option<String> {
    let parts: Vec<&str> = text.trim_end_matches('.').split('.').collect();
    let letters = parts.len() >= 2
        && parts
            .iter()
            .all(|p| p.chars().count() == 1 && p.chars().all(char::is_alphabetic));
    letters.then(|| parts.concat())
}

/// The tokens of `text` by `analyzer`, with their positions.
pub(crate) fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<(usize, String)> {
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while stream.advance() {
        let t = stream.token();
        out.push((t.position, t.text.clone()));
    }
    out
}

/// How a prefix query (`ukrain*`, `"prime minis"*`) is read, by both
/// backends: the words before the last as they are, the last one a prefix
/// of the words the index holds.
pub(crate) enum PrefixParts {
    /// The last word is too short to be a prefix: the words as typed.
    TooShort { words: Vec<(usize, String)> },
    Prefix {
        last_pos: usize,
        /// Where the last word starts in the text (a byte offset).
        last_from: usize,
        /// The last word as typed (lower-cased by the analyzer).
        last: String,
        /// What the index's words must start with.
        prefix: String,
        before: Vec<(usize, String)>,
    },
}

impl PrefixParts {
    /// `None` when `text` has no words. With `names`, the words are read as
    /// names (not stemmed).
    pub(crate) fn read(
        name: &mut TextAnalyzer,
        en: &mut TextAnalyzer,
        names: bool,
        text: &str,
        notes: &mut Vec<String>,
    ) -> Option<PrefixParts> {
        let mut raw = Vec::new();
        let mut last_from = 0;
        let mut stream = name.token_stream(text);
        while stream.advance() {
            let t = stream.token();
            raw.push((t.position, t.text.clone()));
            last_from = t.offset_from;
        }
        let (last_pos, last) = raw.last().cloned()?;
        // The index holds stems; a word that starts with "minist" has a
        // stem that starts with the common part of "minist" and its stem.
        let prefix = if names {
            last.clone()
        } else {
            let stem = tokens(en, &last).pop().map_or(last.clone(), |t| t.1);
            let common = last
                .char_indices()
                .zip(stem.chars())
                .take_while(|((_, a), b)| a == b)
                .last()
                .map_or(0, |((i, c), _)| i + c.len_utf8());
            last[..common].to_owned()
        };
        if prefix.chars().count() < syntax::MIN_PREFIX_CHARS {
            notes.push(format!(
                "{last}* is too short for a prefix, so it was searched as a word"
            ));
            let words = if names { raw } else { tokens(en, text) };
            return (!words.is_empty()).then_some(PrefixParts::TooShort { words });
        }
        let before = if names {
            raw[..raw.len() - 1].to_vec()
        } else {
            tokens(en, text)
                .into_iter()
                .filter(|(p, _)| *p < last_pos)
                .collect()
        };
        Some(PrefixParts::Prefix {
            last_pos,
            last_from,
            last,
            prefix,
            before,
        })
    }
}

impl Builder<'_> {
    /// `None` for a tree with nothing searchable in it.
    fn build(&mut self, node: &Node) -> Result<Option<Built>> {
        match node {
            Node::Leaf(leaf) => self.leaf(leaf),
            Node::Group(clauses) => {
                let mut out = Vec::with_capacity(clauses.len());
                for (occur, n) in clauses {
                    if let Some(b) = self.build(n)? {
                        out.push((*occur, b));
                    }
                }
                Ok((!out.is_empty()).then_some(Built::Group(out)))
            }
        }
    }

    /// The fields a leaf is searched in, with their boosts, and whether
    /// they hold names (not stemmed).
    fn fields(&self, field: Option<&str>) -> (Vec<(Field, f32)>, bool) {
        let f = self.f;
        match field {
            None => match self.scope {
                Scope::Articles => (
                    vec![
                        (f.title, TITLE_BOOST),
                        (f.quotes, QUOTES_BOOST),
                        (f.body, 1.0),
                    ],
                    false,
                ),
                Scope::Quotes => (vec![(f.quotes, 1.0)], false),
            },
            Some(name) => {
                let (field, names) = match name {
                    "title" => (f.title, false),
                    "body" => (f.body, false),
                    "quotes" => (f.quotes, false),
                    "speaker" => (f.speaker, true),
                    "entity" => (f.entity, true),
                    "author" => (f.author, true),
                    _ => (f.source, true),
                };
                (vec![(field, 1.0)], names)
            }
        }
    }

    fn leaf(&mut self, leaf: &Leaf) -> Result<Option<Built>> {
        let (field, text, quoted, how) = match leaf {
            Leaf::Date { since, until } => {
                let bound = |d: time::Date| -> Result<Bound<Term>> {
                    let v = day_value(d).ok_or(Error::DateRange(d))?;
                    Ok(Bound::Included(Term::from_field_date_for_search(
                        self.f.date,
                        v,
                    )))
                };
                let q = RangeQuery::new(bound(*since)?, bound(*until)?);
                return Ok(Some(Built::Filter(Box::new(q))));
            }
            Leaf::Text {
                field,
                text,
                quoted,
                how,
            } => (*field, text, *quoted, how),
        };
        let (fields, names) = self.fields(field);
        let words = if names {
            tokens(&mut self.name, text)
        } else {
            tokens(&mut self.en, text)
        };
        let per_field: Vec<(Field, f32, Box<dyn Query>)> = match how {
            Match::Words => {
                if words.is_empty() {
                    return Ok(None);
                }
                let mut words = words;
                if !self.exact && !quoted && field.is_none() && words.len() == 1 {
                    if let Some(better) = self.correction(&fields, text, &words[0].1)? {
                        words[0].1 = better;
                    }
                }
                let mut out = Vec::new();
                for &(field, boost) in &fields {
                    out.push((field, boost, words_query(field, &words)));
                }
                // "AT&T": the analyzer drops the "at", and "t" alone
                // matches any "don't"; the entity names keep every word.
                if !names && !quoted && field.is_none() && self.scope == Scope::Articles {
                    let all = tokens(&mut self.name, text);
                    if all.len() > words.len() && text.contains('&') {
                        let entity = words_query(self.f.entity, &all);
                        return Ok(Some(Built::Leaf(entity)));
                    }
                }
                // "U.S." is also written "US": either matches.
                if let Some(joined) = initialism(text) {
                    let alt = tokens(&mut self.en, &joined);
                    if !alt.is_empty() && !names {
                        out = out
                            .into_iter()
                            .map(|(field, boost, q)| {
                                let both: Box<dyn Query> = Box::new(BooleanQuery::union(vec![
                                    q,
                                    words_query(field, &alt),
                                ]));
                                (field, boost, both)
                            })
                            .collect();
                    }
                }
                out
            }
            Match::Fuzzy(edits) => {
                if words.len() != 1 {
                    self.notes.push(format!(
                        "~ applies to one word; {text:?} was searched as written"
                    ));
                    return self.leaf(&Leaf::Text {
                        field,
                        text: text.clone(),
                        quoted,
                        how: Match::Words,
                    });
                }
                fields
                    .iter()
                    .map(|&(field, boost)| {
                        let term = Term::from_field_text(field, &words[0].1);
                        let q: Box<dyn Query> = Box::new(FuzzyTermQuery::new(term, *edits, true));
                        (field, boost, q)
                    })
                    .collect()
            }
            Match::Prefix => return self.prefix(&fields, names, text),
        };
        Ok(Some(Built::Leaf(boosted(per_field))))
    }

    /// For a word of [`MIN_TYPO_CHARS`] letters or more that no document
    /// holds, the word within [`typo_edits`] edits that most documents
    /// hold (as Meilisearch does, and Elasticsearch's `fuzziness: AUTO`).
    fn correction(
        &mut self,
        fields: &[(Field, f32)],
        typed: &str,
        word: &str,
    ) -> Result<Option<String>> {
        let letters = typed.chars().filter(|c| c.is_alphanumeric()).count();
        let Some(edits) = typo_edits(letters) else {
            return Ok(None);
        };
        if self.typo_checks == 0 {
            return Ok(None);
        }
        let mut held = 0;
        for &(field, _) in fields {
            held += self
                .searcher
                .doc_freq(&Term::from_field_text(field, word))?;
        }
        // "Little": a word a few documents hold beside one many hold
        // (a typo that slipped into an article or two).
        if held > FEW_DOCS {
            return Ok(None);
        }
        self.typo_checks -= 1;
        let mut freq: std::collections::HashMap<Vec<u8>, u64> = std::collections::HashMap::new();
        // The automaton depends on the word only: built once (a two-edit
        // one takes milliseconds), run on every field's dictionaries.
        let Some(&(first, _)) = fields.first() else {
            return Ok(None);
        };
        let dfa =
            FuzzyTermQuery::new(Term::from_field_text(first, word), edits, true).automaton()?;
        for &(field, _) in fields {
            for segment in self.searcher.segment_readers() {
                let index = segment.inverted_index(field)?;
                let mut stream = index
                    .terms()
                    .search(&dfa)
                    .into_stream()
                    .map_err(|e| Error::Query(format!("reading the index's words: {e}")))?;
                while stream.advance() {
                    *freq.entry(stream.key().to_vec()).or_default() +=
                        u64::from(stream.value().doc_freq);
                }
            }
        }
        let best = freq
            .into_iter()
            .filter(|(k, _)| k.as_slice() != word.as_bytes())
            .filter_map(|(k, n)| String::from_utf8(k).ok().map(|w| (n, w)))
            .max_by(|a, b| a.0.cmp(&b.0).then_with(|| b.1.cmp(&a.1)))
            .filter(|(n, _)| held == 0 || *n >= (held * MANY_TIMES).max(MIN_MANY));
        Ok(best.map(|(n, w)| {
            let why = if held == 0 {
                format!("no document has {typed:?}")
            } else {
                format!("{held} documents have {typed:?}, {n} have {w:?}")
            };
            self.notes.push(format!(
                "showing results for {w:?}: {why} (--exact searches only what was typed)"
            ));
            w
        }))
    }

    /// `ukrain*`, `"prime minis"*`: the words before the last as they are,
    /// the last one a prefix of the words the index holds.
    fn prefix(
        &mut self,
        fields: &[(Field, f32)],
        names: bool,
        text: &str,
    ) -> Result<Option<Built>> {
        let parts = PrefixParts::read(&mut self.name, &mut self.en, names, text, &mut self.notes);
        let (last_pos, last, prefix, before) = match parts {
            None => return Ok(None),
            Some(PrefixParts::TooShort { words }) => {
                let per_field = fields
                    .iter()
                    .map(|&(f, b)| (f, b, words_query(f, &words)))
                    .collect();
                return Ok(Some(Built::Leaf(boosted(per_field))));
            }
            Some(PrefixParts::Prefix {
                last_pos,
                last,
                prefix,
                before,
                ..
            }) => (last_pos, last, prefix, before),
        };
        let mut per_field = Vec::new();
        let mut found = 0;
        for &(field, boost) in fields {
            let words = expansions(self.searcher, field, &prefix)?;
            found += words.len();
            let alternatives: Vec<(Occur, Box<dyn Query>)> = words
                .into_iter()
                .map(|w| {
                    let mut phrase = before.clone();
                    phrase.push((last_pos, w));
                    (Occur::Should, words_query(field, &phrase))
                })
                .collect();
            if !alternatives.is_empty() {
                let q: Box<dyn Query> = Box::new(BooleanQuery::new(alternatives));
                per_field.push((field, boost, q));
            }
        }
        if found == 0 {
            self.notes
                .push(format!("no word in the index starts with {last:?}"));
            return Ok(Some(Built::Leaf(Box::new(EmptyQuery))));
        }
        Ok(Some(Built::Leaf(boosted(per_field))))
    }
}

/// The most words of one query looked up for typos.
pub(crate) const MAX_TYPO_CHECKS: usize = 8;

/// Words shorter than this are searched only as typed: one edit away
/// from a four-letter word is too many other words.
const MIN_TYPO_CHARS: usize = 5;

/// At most this many documents holding a typed word count as "little":
/// the word may be a typo that slipped into an article.
pub(crate) const FEW_DOCS: u64 = 2;

/// A word a few documents hold gives way to one that many times as many
/// documents hold, and at least [`MIN_MANY`].
pub(crate) const MANY_TIMES: u64 = 20;
pub(crate) const MIN_MANY: u64 = 10;

/// The edits a typo of a word of `letters` may have.
pub(crate) fn typo_edits(letters: usize) -> Option<u8> {
    match letters {
        0..MIN_TYPO_CHARS => None,
        MIN_TYPO_CHARS..=8 => Some(1),
        _ => Some(2),
    }
}

/// The words of `field` that start with `prefix`, the most frequent
/// first, at most [`MAX_EXPANSIONS`].
fn expansions(searcher: &tantivy::Searcher, field: Field, prefix: &str) -> Result<Vec<String>> {
    let mut freq: std::collections::HashMap<Vec<u8>, u64> = std::collections::HashMap::new();
    for segment in searcher.segment_readers() {
        let index = segment.inverted_index(field)?;
        let mut stream = index
            .terms()
            .range()
            .ge(prefix.as_bytes())
            .into_stream()
            .map_err(|e| Error::Query(format!("reading the index's words: {e}")))?;
        while stream.advance() {
            if !stream.key().starts_with(prefix.as_bytes()) {
                break;
            }
            *freq.entry(stream.key().to_vec()).or_default() += u64::from(stream.value().doc_freq);
        }
    }
    let mut words: Vec<(u64, String)> = freq
        .into_iter()
        .filter_map(|(k, n)| String::from_utf8(k).ok().map(|w| (n, w)))
        .collect();
    words.sort_unstable_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    words.truncate(MAX_EXPANSIONS);
    Ok(words.into_iter().map(|(_, w)| w).collect())
}

/// One word as a term, several as a phrase (their positions kept, so a
/// dropped stop word leaves its gap as it does in the index).
fn words_query(field: Field, words: &[(usize, String)]) -> Box<dyn Query> {
    if let [(_, word)] = words {
        return Box::new(TermQuery::new(
            Term::from_field_text(field, word),
            IndexRecordOption::WithFreqs,
        ));
    }
    let first = words.first().map_or(0, |w| w.0);
    let terms = words
        .iter()
        .map(|(p, w)| (p - first, Term::from_field_text(field, w)))
        .collect();
    Box::new(PhraseQuery::new_with_offset(terms))
}

/// A query over several fields: any of them, each with its boost.
fn boosted(per_field: Vec<(Field, f32, Box<dyn Query>)>) -> Box<dyn Query> {
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = per_field
        .into_iter()
        .map(|(_, boost, q)| {
            let q: Box<dyn Query> = if boost == 1.0 {
                q
            } else {
                Box::new(BoostQuery::new(q, boost))
            };
            (Occur::Should, q)
        })
        .collect();
    if clauses.len() == 1 {
        return clauses.remove(0).1;
    }
    Box::new(BooleanQuery::new(clauses))
}

/// Queries (and speaker or entity names) longer than this are refused, on
/// the command line and by the API: no one types them, and the parser's
/// work grows with them. A pasted paragraph fits.
pub const MAX_QUERY_BYTES: usize = 16 * 1024;
/// Names are not parsed as queries, but bound as they always were.
const MAX_NESTING: usize = 32;

pub(crate) fn check_shape(query: &str) -> Result<()> {
    if query.len() > MAX_QUERY_BYTES {
        return Err(Error::Query(format!(
            "the query is {} bytes long; the limit is {MAX_QUERY_BYTES}",
            query.len()
        )));
    }
    let (mut depth, mut deepest) = (0usize, 0usize);
    for c in query.chars() {
        match c {
            '(' | '[' | '{' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            ')' | ']' | '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    if deepest > MAX_NESTING {
        return Err(Error::Query(format!(
            "brackets nest {deepest} deep; the limit is {MAX_NESTING}"
        )));
    }
    Ok(())
}

/// `query` restricted by every filter (all must hold).
pub fn with_filters(query: Box<dyn Query>, filters: &[Box<dyn Query>]) -> Box<dyn Query> {
    if filters.is_empty() {
        return query;
    }
    let mut clauses = vec![(Occur::Must, query)];
    clauses.extend(filters.iter().map(|q| (Occur::Must, q.box_clone())));
    Box::new(BooleanQuery::new(clauses))
}

/// The filters of a request, for articles or quotes (`scope`). On
/// articles, every speaker and entity must be there; a quote has one
/// speaker, so on quotes any of the speakers will do, and the entities are
/// those of the quote's article.
pub fn filters(
    searcher: &tantivy::Searcher,
    f: &Fields,
    req: &SearchRequest,
    scope: Scope,
) -> Result<Vec<Box<dyn Query>>> {
    let kind_of = |kind: &str| -> Box<dyn Query> {
        Box::new(TermQuery::new(
            Term::from_field_text(f.kind, kind),
            IndexRecordOption::Basic,
        ))
    };
    let kind = match scope {
        Scope::Articles => KIND_ARTICLE,
        Scope::Quotes => KIND_QUOTE,
    };
    let mut out: Vec<Box<dyn Query>> = vec![kind_of(kind)];
    let speakers = req
        .speakers
        .iter()
        .map(|s| name_query(f.speaker, &person(s)))
        .collect::<Result<Vec<_>>>()?;
    match scope {
        Scope::Articles => out.extend(speakers),
        Scope::Quotes if !speakers.is_empty() => out.push(Box::new(BooleanQuery::new(
            speakers.into_iter().map(|q| (Occur::Should, q)).collect(),
        ))),
        Scope::Quotes => {}
    }
    for e in &req.entities {
        let named = name_query(f.entity, e)?;
        match scope {
            Scope::Articles => out.push(named),
            Scope::Quotes => {
                let articles = BooleanQuery::new(vec![
                    (Occur::Must, kind_of(KIND_ARTICLE)),
                    (Occur::Must, named),
                ]);
                out.push(join::same_key(searcher, &articles, f.key, "key")?);
            }
        }
    }
    if let Some(lang) = &req.lang {
        out.push(Box::new(TermQuery::new(
            Term::from_facet(f.facets, &crate::index::schema::lang_facet(lang)),
            IndexRecordOption::Basic,
        )));
    }
    let bound = |d: Option<time::Date>| -> Result<Bound<Term>> {
        match d {
            None => Ok(Bound::Unbounded),
            Some(d) => {
                let v = day_value(d).ok_or(Error::DateRange(d))?;
                Ok(Bound::Included(Term::from_field_date_for_search(f.date, v)))
            }
        }
    };
    if let (Some(since), Some(until)) = (req.since, req.until) {
        if since > until {
            return Err(Error::Query(format!(
                "since {since} is after until {until}: no date is in that range"
            )));
        }
    }
    let (lo, hi) = (bound(req.since)?, bound(req.until)?);
    if !matches!((&lo, &hi), (Bound::Unbounded, Bound::Unbounded)) {
        out.push(Box::new(RangeQuery::new(lo, hi)));
    }
    Ok(out)
}

/// A person's name as people write it, as the index holds speakers:
/// without titles ("Mr Blair" is Blair), first name first ("Blair, Tony"
/// is Tony Blair).
pub fn person(name: &str) -> String {
    let name = crate::article::normalise(name);
    let name = match name.split_once(',') {
        Some((last, first))
            if !first.contains(',')
                && (1..=3).contains(&last.split_whitespace().count())
                && (1..=3).contains(&first.split_whitespace().count()) =>
        {
            format!("{} {}", first.trim(), last.trim())
        }
        _ => name,
    };
    names::strip_titles(&name).to_owned()
}

/// A name as a query on a name field: its folded words as a phrase, so
/// "Vladimir Putin", "putin" and "PUTIN" all find "Vladimir Putin".
fn name_query(field: Field, name: &str) -> Result<Box<dyn Query>> {
    check_shape(name)?;
    let normalised = crate::article::normalise(name);
    let mut analyzer = name_analyzer();
    let mut stream = analyzer.token_stream(&normalised);
    let mut terms = Vec::new();
    while stream.advance() {
        let t = stream.token();
        terms.push((t.position, Term::from_field_text(field, &t.text)));
    }
    match terms.len() {
        0 => Err(Error::Query(format!("{name:?} is not a name"))),
        1 => Ok(Box::new(TermQuery::new(
            terms.remove(0).1,
            IndexRecordOption::Basic,
        ))),
        _ => Ok(Box::new(PhraseQuery::new_with_offset(terms))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::schema;
    use tantivy::collector::Count;
    use tantivy::{Index, TantivyDocument};

    /// An index of one article per body.
    fn index(bodies: &[&str]) -> (Index, Fields) {
        let index = Index::create_in_ram(schema::schema());
        schema::register_analyzers(&index);
        let f = Fields::of(&index.schema()).unwrap();
        let mut w = index.writer_with_num_threads(1, 15_000_000).unwrap();
        for body in bodies {
            let mut doc = TantivyDocument::default();
            doc.add_text(f.kind, schema::KIND_ARTICLE);
            doc.add_text(f.title, "");
            doc.add_text(f.body, body);
            w.add_document(doc).unwrap();
        }
        w.commit().unwrap();
        (index, f)
    }

    fn text(index: &Index, f: &Fields, q: &str) -> Text {
        let searcher = index.reader().unwrap().searcher();
        Text::parse(&searcher, f, q, Scope::Articles, false).unwrap()
    }

    fn count(index: &Index, f: &Fields, q: &str) -> (usize, usize) {
        let searcher = index.reader().unwrap().searcher();
        let t = text(index, f, q);
        (
            searcher.search(&t.any, &Count).unwrap(),
            searcher.search(&t.all, &Count).unwrap(),
        )
    }

    #[test]
    fn only_several_plain_words_rank_in_two_tiers() {
        let (index, f) = index(&["xi putin summit"]);
        let tiered = |q| text(&index, &f, q).tiered;
        assert!(tiered("xi putin summit"));
        assert!(tiered("(xi OR jinping) summit"));
        assert!(!tiered("putin"));
        assert!(!tiered("\"prime minister\""));
        assert!(!tiered("xi AND putin"));
        assert!(!tiered("xi OR putin"));
        assert!(!tiered(""));
    }

    #[test]
    fn prose_searches_as_text() {
        let (index, f) = index(&[
            "Putin's war went on. Officials in the U.S. said so.",
            "The war in Ukraine: Ukrainian officials and the minister spoke.",
            "AT&T and S&P reported. Ms O'Connor don't agree.",
        ]);
        assert_eq!(count(&index, &f, "Putin's war"), (2, 1));
        assert_eq!(count(&index, &f, "Putin’s"), (1, 1));
        assert_eq!(count(&index, &f, "U.S."), (1, 1));
        // Written without the stops, it is the same country; the index
        // folds case, so the pronoun "us" matches as well (as `US` does).
        let (plain, p) = self::index(&["Officials in the US said so.", "Tell us more."]);
        assert_eq!(count(&plain, &p, "U.S."), (2, 2));
        assert_eq!(initialism("U.S."), Some("US".to_owned()));
        assert_eq!(initialism("U.S"), Some("US".to_owned()));
        assert_eq!(initialism("St."), None);
        assert_eq!(initialism("U.S.A."), Some("USA".to_owned()));
        assert_eq!(count(&index, &f, "O'Connor"), (1, 1));
        assert_eq!(count(&index, &f, "S&P"), (1, 1));
        assert_eq!(count(&index, &f, "ukrain*"), (1, 1));
        assert_eq!(count(&index, &f, "minist*"), (1, 1));
        assert_eq!(count(&index, &f, "-war"), (1, 1));
        assert_eq!(count(&index, &f, "title:war"), (0, 0));
        assert_eq!(count(&index, &f, "body:\"the war\""), (2, 2));
        assert_eq!(count(&index, &f, "officals~1"), (2, 2));
        assert_eq!(count(&index, &f, "Ukraine: war"), (2, 1));
        assert_eq!(count(&index, &f, "kind:article"), (0, 0));
        assert_eq!(count(&index, &f, "Officails"), (2, 2));
        assert!(text(&index, &f, "Officails").notes[0].contains("showing results for \"offici\""));
        assert_eq!(count(&index, &f, "Putn"), (0, 0));
        // A typo one article holds gives way to the word many hold.
        let mut texts = vec!["Puttin spoke once."];
        texts.extend(std::iter::repeat_n("Putin spoke again.", 25));
        let (many, g) = self::index(&texts);
        assert_eq!(count(&many, &g, "Puttin"), (25, 25));
        assert!(text(&many, &g, "Puttin").notes[0].contains("1 documents have"));
        // A word that several documents hold is searched as typed.
        let mut texts = vec!["Puttin spoke once."; 3];
        texts.extend(std::iter::repeat_n("Putin spoke again.", 25));
        let (held, h) = self::index(&texts);
        assert_eq!(count(&held, &h, "Puttin"), (3, 3));
        // A date filter restricts the words, it does not replace them.
        assert_eq!(count(&index, &f, "date:2022 war"), (0, 0));
        // NFD é is the NFC é documents hold.
        let (index, f) = self::index(&["Caf\u{e9} society"]);
        assert_eq!(count(&index, &f, "Cafe\u{301}"), (1, 1));
        assert_eq!(count(&index, &f, "caf\u{e9}"), (1, 1));
    }

    #[test]
    fn people_are_named_as_the_index_holds_them() {
        assert_eq!(person("Mr Blair"), "Blair");
        assert_eq!(person("Blair, Tony"), "Tony Blair");
        assert_eq!(person("Prime Minister Tony Blair"), "Tony Blair");
        assert_eq!(person("putin"), "putin");
        assert_eq!(person("Smith, Jones, Brown"), "Smith, Jones, Brown");
    }

    #[test]
    fn what_cannot_be_searched_is_said() {
        let (index, f) = index(&["war"]);
        let t = text(&index, &f, "the 🙂");
        assert!(t.notes[0].contains("nothing"), "{:?}", t.notes);
        assert!(!text(&index, &f, "zzz*").notes.is_empty());
    }
}
