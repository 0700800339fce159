//! From a [`SearchRequest`] to OpenSearch query DSL: the user's text, as
//! [`crate::search::syntax`] reads it for the embedded index too, built as
//! the embedded index builds it ([`crate::search::query`]) — any word and
//! every word, the same fields and boosts, phrases, prefixes, typos — and
//! the same filters.
//!
//! A word is `multi_match` (`most_fields`: the fields' scores add up, as
//! the embedded index's union does) over title^3, quotes^1.5 and body;
//! words that analyse into several (`"prime minister"`, `Putin's`) are a
//! `match_phrase` per field; `date:` and the request's dates a `range`;
//! speakers and entities a `match_phrase` on their folded names.

use std::collections::{BTreeSet, HashMap};

use serde_json::{json, Value};
use tantivy::tokenizer::TextAnalyzer;

use crate::index::schema::{en_analyzer, name_analyzer, KIND_ARTICLE, KIND_QUOTE};
use crate::search::query::{
    check_shape, initialism, person, tokens, typo_edits, PrefixParts, Scope, FEW_DOCS, MANY_TIMES,
    MAX_EXPANSIONS, MAX_QUERY_BYTES, MAX_TYPO_CHECKS, MIN_MANY, QUOTES_BOOST, TITLE_BOOST,
};
use crate::search::syntax::{self, Leaf, Match, Node, Occur};
use crate::search::SearchRequest;
use crate::{Error, Result};

/// What the cluster is asked about words, for typo tolerance.
pub trait Lexicon {
    /// For each word (an analysed term), the documents holding it in each
    /// of `fields`, summed over the fields.
    fn doc_freqs(&self, fields: &[&str], words: &[String]) -> Result<Vec<u64>>;
    /// The terms of `fields` within `edits` of `word` (not `word`), with
    /// the documents holding each, summed over the fields.
    fn near(&self, fields: &[&str], word: &str, edits: u8) -> Result<Vec<(String, u64)>>;
}

/// The user's text as queries, as [`crate::search::query::Text`] has it.
#[derive(Debug, Clone)]
pub struct Text {
    /// The default operator as "any".
    pub any: Value,
    /// The default operator as "every".
    pub all: Value,
    pub is_empty: bool,
    pub tiered: bool,
    pub notes: Vec<String>,
    /// The analysed words searched, to find in quotes.
    pub words: BTreeSet<String>,
    /// Prefixes searched (`ukrain*`).
    pub prefixes: BTreeSet<String>,
}

/// A tree of queries, assembled for either default operator.
enum Built {
    Leaf(Value),
    Filter(Value),
    Group(Vec<(Occur, Built)>),
}

impl Text {
    pub fn parse(lexicon: &dyn Lexicon, query: &str, scope: Scope, exact: bool) -> Result<Text> {
        if query.len() > MAX_QUERY_BYTES {
            return Err(Error::Query(format!(
                "the query is {} bytes long; the limit is {MAX_QUERY_BYTES}",
                query.len()
            )));
        }
        let all = json!({"match_all": {}});
        if query.trim().is_empty() {
            return Ok(Text {
                any: all.clone(),
                all,
                is_empty: true,
                tiered: false,
                notes: Vec::new(),
                words: BTreeSet::new(),
                prefixes: BTreeSet::new(),
            });
        }
        let parsed = syntax::parse(query);
        let mut b = Builder {
            scope,
            exact,
            notes: parsed.notes,
            en: en_analyzer(),
            name: name_analyzer(),
            corrections: HashMap::new(),
            words: BTreeSet::new(),
            prefixes: BTreeSet::new(),
        };
        if !exact {
            b.look_up_typos(lexicon, &parsed.root)?;
        }
        let built = b.build(&parsed.root)?;
        let mut notes = b.notes;
        let none = json!({"match_none": {}});
        let (any, all, tiered) = match built {
            Some(built) => {
                let (any, tiered) = assemble(&built, Occur::Should);
                let (all, _) = assemble(&built, Occur::Must);
                (any, all, tiered)
            }
            None => {
                notes.push(format!(
                    "nothing in {query:?} can be searched (only very common words or signs), so nothing matches"
                ));
                (none.clone(), none, false)
            }
        };
        Ok(Text {
            any,
            all,
            is_empty: false,
            tiered,
            notes,
            words: b.words,
            prefixes: b.prefixes,
        })
    }
}

/// The query of a built tree, the default operator standing for
/// `default`; and whether it joined two clauses or more anywhere.
fn assemble(built: &Built, default: Occur) -> (Value, bool) {
    match built {
        Built::Leaf(q) | Built::Filter(q) => (q.clone(), false),
        Built::Group(clauses) => {
            let mut joined = 0;
            let mut tiered = false;
            let mut filters = Vec::new();
            let (mut must, mut should, mut must_not) = (Vec::new(), Vec::new(), Vec::new());
            for (occur, b) in clauses {
                let (q, inner) = assemble(b, default);
                tiered |= inner;
                let occur = match (occur, b) {
                    (Occur::Default, Built::Filter(_)) => {
                        filters.push(q);
                        continue;
                    }
                    (Occur::Default, _) => {
                        joined += 1;
                        default
                    }
                    (other, _) => *other,
                };
                match occur {
                    Occur::Must => must.push(q),
                    Occur::MustNot => must_not.push(q),
                    _ => should.push(q),
                }
            }
            let tiered = tiered || joined > 1;
            let count = must.len() + should.len() + must_not.len();
            let rest = if count == 0 {
                None
            } else if count == 1 && must_not.is_empty() {
                must.pop().or_else(|| should.pop())
            } else {
                if must.is_empty() && should.is_empty() {
                    must.push(json!({"match_all": {}}));
                }
                Some(bool_query(must, should, must_not))
            };
            let Some(rest) = rest else {
                if filters.len() == 1 {
                    return (filters.remove(0), tiered);
                }
                return (json!({"bool": {"filter": filters}}), tiered);
            };
            if filters.is_empty() {
                return (rest, tiered);
            }
            (json!({"bool": {"must": [rest], "filter": filters}}), tiered)
        }
    }
}

fn bool_query(must: Vec<Value>, should: Vec<Value>, must_not: Vec<Value>) -> Value {
    let mut b = serde_json::Map::new();
    if !must.is_empty() {
        b.insert("must".into(), Value::Array(must));
    }
    if !should.is_empty() {
        b.insert("should".into(), Value::Array(should));
    }
    if !must_not.is_empty() {
        b.insert("must_not".into(), Value::Array(must_not));
    }
    json!({ "bool": b })
}

struct Builder {
    scope: Scope,
    exact: bool,
    notes: Vec<String>,
    en: TextAnalyzer,
    name: TextAnalyzer,
    /// word -> (the word searched instead, the note that says so).
    corrections: HashMap<String, (String, String)>,
    words: BTreeSet<String>,
    prefixes: BTreeSet<String>,
}

/// A field name with its boost, as `multi_match` takes it.
fn boosted_name(field: &str, boost: f32) -> String {
    if boost == 1.0 {
        field.to_owned()
    } else {
        format!("{field}^{boost}")
    }
}

fn with_boost(mut q: Value, boost: f32) -> Value {
    if boost != 1.0 {
        if let Some(inner) = q.as_object_mut().and_then(|o| o.values_mut().next()) {
            if let Some(fields) = inner.as_object_mut() {
                if let Some(spec) = fields.values_mut().next().filter(|v| v.is_object()) {
                    spec["boost"] = json!(boost);
                    return q;
                }
                if fields.contains_key("should") {
                    fields.insert("boost".into(), json!(boost));
                    return q;
                }
            }
        }
    }
    q
}

/// Clauses of which any may match; one is itself.
fn any_of(mut clauses: Vec<Value>) -> Value {
    if clauses.len() == 1 {
        return clauses.remove(0);
    }
    json!({"bool": {"should": clauses}})
}

impl Builder {
    /// The fields a leaf is searched in, with their boosts, and whether
    /// they hold names.
    fn fields(&self, field: Option<&str>) -> (Vec<(&'static str, f32)>, bool) {
        match field {
            None => match self.scope {
                Scope::Articles => (
                    vec![
                        ("title", TITLE_BOOST),
                        ("quotes", QUOTES_BOOST),
                        ("body", 1.0),
                    ],
                    false,
                ),
                Scope::Quotes => (vec![("quotes", 1.0)], false),
            },
            Some(name) => match name {
                "title" => (vec![("title", 1.0)], false),
                "body" => (vec![("body", 1.0)], false),
                "quotes" => (vec![("quotes", 1.0)], false),
                "speaker" => (vec![("speaker", 1.0)], true),
                "entity" => (vec![("entity", 1.0)], true),
                "author" => (vec![("author", 1.0)], true),
                _ => (vec![("source", 1.0)], true),
            },
        }
    }

    /// The single words typed that may be typos, looked up in the cluster
    /// at once (two requests, whatever the number of words), as the
    /// embedded index looks each up in its dictionaries.
    fn look_up_typos(&mut self, lexicon: &dyn Lexicon, root: &Node) -> Result<()> {
        let mut leaves = Vec::new();
        collect_words(root, &mut leaves);
        let (fields, _) = self.fields(None);
        let names: Vec<&str> = fields.iter().map(|(f, _)| *f).collect();
        let mut candidates: Vec<(String, String, u8)> = Vec::new();
        for text in leaves {
            let words = tokens(&mut self.en, &text);
            let [(_, word)] = words.as_slice() else {
                continue;
            };
            let letters = text.chars().filter(|c| c.is_alphanumeric()).count();
            let Some(edits) = typo_edits(letters) else {
                continue;
            };
            if !candidates.iter().any(|(w, _, _)| w == word) {
                candidates.push((word.clone(), text, edits));
            }
        }
        if candidates.is_empty() {
            return Ok(());
        }
        let words: Vec<String> = candidates.iter().map(|c| c.0.clone()).collect();
        let held = lexicon.doc_freqs(&names, &words)?;
        let mut checks = MAX_TYPO_CHECKS;
        for ((word, typed, edits), held) in candidates.into_iter().zip(held) {
            if held > FEW_DOCS || checks == 0 {
                continue;
            }
            checks -= 1;
            let best = lexicon
                .near(&names, &word, edits)?
                .into_iter()
                .filter(|(w, _)| *w != word)
                .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0)))
                .filter(|(_, n)| held == 0 || *n >= (held * MANY_TIMES).max(MIN_MANY));
            if let Some((w, n)) = best {
                let why = if held == 0 {
                    format!("no document has {typed:?}")
                } else {
                    format!("{held} documents have {typed:?}, {n} have {w:?}")
                };
                let note = format!(
                    "showing results for {w:?}: {why} (--exact searches only what was typed)"
                );
                self.corrections.insert(word, (w, note));
            }
        }
        Ok(())
    }

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

    fn leaf(&mut self, leaf: &Leaf) -> Result<Option<Built>> {
        let (field, text, quoted, how) = match leaf {
            Leaf::Date { since, until } => {
                return Ok(Some(Built::Filter(date_range(Some(*since), Some(*until))?)));
            }
            Leaf::Text {
                field,
                text,
                quoted,
                how,
            } => (*field, text, *quoted, how),
        };
        let (fields, names) = self.fields(field);
        let mut words = if names {
            tokens(&mut self.name, text)
        } else {
            tokens(&mut self.en, text)
        };
        match how {
            Match::Words => {
                if words.is_empty() {
                    return Ok(None);
                }
                let mut corrected = None;
                if !self.exact && !quoted && field.is_none() && words.len() == 1 {
                    if let Some((better, note)) = self.corrections.get(&words[0].1) {
                        self.notes.push(note.clone());
                        words[0].1 = better.clone();
                        corrected = Some(better.clone());
                    }
                }
                // "AT&T": the analyzer drops the "at", and "t" alone
                // matches any "don't"; the entity names keep every word.
                if !names && !quoted && field.is_none() && self.scope == Scope::Articles {
                    let all = tokens(&mut self.name, text);
                    if all.len() > words.len() && text.contains('&') {
                        self.words.extend(words.iter().map(|w| w.1.clone()));
                        return Ok(Some(Built::Leaf(json!({"match_phrase": {"entity": text}}))));
                    }
                }
                self.words.extend(words.iter().map(|w| w.1.clone()));
                let q = match (&corrected, words.len()) {
                    // The term itself: a corrected word is a term of the
                    // index already, not text to analyse again.
                    (Some(term), _) => any_of(
                        fields
                            .iter()
                            .map(|(f, b)| with_boost(json!({"term": {*f: {"value": term}}}), *b))
                            .collect(),
                    ),
                    (None, 1) => multi_match(&fields, text),
                    (None, _) => phrases(&fields, text),
                };
                // "U.S." is also written "US": either matches.
                if let Some(joined) = initialism(text).filter(|_| !names) {
                    let alt = tokens(&mut self.en, &joined);
                    if !alt.is_empty() {
                        self.words.extend(alt.into_iter().map(|w| w.1));
                        let per_field = fields
                            .iter()
                            .map(|(f, boost)| {
                                let one = [(*f, 1.0)];
                                with_boost(
                                    json!({"bool": {"should": [
                                        phrases(&one, text),
                                        multi_match(&one, &joined)
                                    ]}}),
                                    *boost,
                                )
                            })
                            .collect();
                        return Ok(Some(Built::Leaf(any_of(per_field))));
                    }
                }
                Ok(Some(Built::Leaf(q)))
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
                let word = &words[0].1;
                self.words.insert(word.clone());
                let per_field = fields
                    .iter()
                    .map(|(f, b)| {
                        with_boost(
                            json!({"fuzzy": {*f: {
                                "value": word,
                                "fuzziness": edits,
                                "transpositions": true,
                                "prefix_length": 0,
                                "max_expansions": 200
                            }}}),
                            *b,
                        )
                    })
                    .collect();
                Ok(Some(Built::Leaf(any_of(per_field))))
            }
            Match::Prefix => self.prefix(&fields, names, text),
        }
    }

    /// `ukrain*`, `"prime minis"*`: the words before the last as they are,
    /// the last one a prefix of the words the index holds (of its stem and
    /// itself, the part they share, as the embedded index does).
    fn prefix(
        &mut self,
        fields: &[(&'static str, f32)],
        names: bool,
        text: &str,
    ) -> Result<Option<Built>> {
        let parts = PrefixParts::read(&mut self.name, &mut self.en, names, text, &mut self.notes);
        let (last_from, prefix, before) = match parts {
            None => return Ok(None),
            Some(PrefixParts::TooShort { words }) => {
                self.words.extend(words.iter().map(|w| w.1.clone()));
                return Ok(Some(Built::Leaf(if words.len() == 1 {
                    multi_match(fields, text)
                } else {
                    phrases(fields, text)
                })));
            }
            Some(PrefixParts::Prefix {
                last_from,
                prefix,
                before,
                ..
            }) => (last_from, prefix, before),
        };
        self.words.extend(before.iter().map(|w| w.1.clone()));
        self.prefixes.insert(prefix.clone());
        let per_field = fields
            .iter()
            .map(|(f, b)| {
                let q = if before.is_empty() {
                    json!({"prefix": {*f: {
                        "value": prefix,
                        "rewrite": format!("top_terms_{MAX_EXPANSIONS}")
                    }}})
                } else {
                    // The words before as typed, then the prefix.
                    let before_last = text.get(..last_from).unwrap_or_default();
                    json!({"match_phrase_prefix": {*f: {
                        "query": format!("{before_last}{prefix}"),
                        "max_expansions": MAX_EXPANSIONS
                    }}})
                };
                with_boost(q, *b)
            })
            .collect();
        Ok(Some(Built::Leaf(any_of(per_field))))
    }
}

/// The single-word texts of a tree that typo tolerance may look up:
/// unquoted words in the default fields.
fn collect_words(node: &Node, out: &mut Vec<String>) {
    match node {
        Node::Leaf(Leaf::Text {
            field: None,
            text,
            quoted: false,
            how: Match::Words,
        }) => out.push(text.clone()),
        Node::Leaf(_) => {}
        Node::Group(clauses) => clauses.iter().for_each(|(_, n)| collect_words(n, out)),
    }
}

/// One word over several fields, their scores added.
fn multi_match(fields: &[(&str, f32)], text: &str) -> Value {
    if let [(field, boost)] = fields {
        return with_boost(json!({"match": {*field: {"query": text}}}), *boost);
    }
    json!({"multi_match": {
        "query": text,
        "type": "most_fields",
        "fields": fields.iter().map(|(f, b)| boosted_name(f, *b)).collect::<Vec<_>>()
    }})
}

/// Words next to each other in any of the fields, their scores added.
fn phrases(fields: &[(&str, f32)], text: &str) -> Value {
    any_of(
        fields
            .iter()
            .map(|(f, b)| with_boost(json!({"match_phrase": {*f: {"query": text}}}), *b))
            .collect(),
    )
}

/// Dates from `since` to `until`, inclusive.
fn date_range(since: Option<time::Date>, until: Option<time::Date>) -> Result<Value> {
    let mut range = serde_json::Map::new();
    for (op, day) in [("gte", since), ("lte", until)] {
        if let Some(d) = day {
            if !crate::article::indexable(d) {
                return Err(Error::DateRange(d));
            }
            range.insert(op.into(), json!(d.to_string()));
        }
    }
    range.insert("format".into(), json!("strict_date"));
    Ok(json!({"range": {"date": range}}))
}

/// A name as a query on a name field: its folded words as a phrase.
fn name_query(field: &str, name: &str) -> Result<Value> {
    check_shape(name)?;
    let normalised = crate::article::normalise(name);
    if tokens(&mut name_analyzer(), &normalised).is_empty() {
        return Err(Error::Query(format!("{name:?} is not a name")));
    }
    Ok(json!({"match_phrase": {field: {"query": normalised}}}))
}

/// The filters of a request, for articles or quotes, as the embedded
/// index has them ([`crate::search::query::filters`]). Quote documents
/// carry their article's entities, so `quotes --entity` is a filter here,
/// not a join.
pub fn filters(req: &SearchRequest, scope: Scope) -> Result<Vec<Value>> {
    let kind = match scope {
        Scope::Articles => KIND_ARTICLE,
        Scope::Quotes => KIND_QUOTE,
    };
    let mut out = vec![json!({"term": {"kind": kind}})];
    let speakers = req
        .speakers
        .iter()
        .map(|s| name_query("speaker", &person(s)))
        .collect::<Result<Vec<_>>>()?;
    match scope {
        Scope::Articles => out.extend(speakers),
        Scope::Quotes if !speakers.is_empty() => out.push(json!({"bool": {"should": speakers}})),
        Scope::Quotes => {}
    }
    for e in &req.entities {
        out.push(name_query("entity", e)?);
    }
    if let Some(lang) = &req.lang {
        out.push(json!({"term": {"lang": lang}}));
    }
    if let (Some(since), Some(until)) = (req.since, req.until) {
        if since > until {
            return Err(Error::Query(format!(
                "since {since} is after until {until}: no date is in that range"
            )));
        }
    }
    if req.since.is_some() || req.until.is_some() {
        out.push(date_range(req.since, req.until)?);
    }
    Ok(out)
}

/// `query` restricted by every filter (scored by the query only).
pub fn with_filters(query: &Value, filters: &[Value]) -> Value {
    if filters.is_empty() {
        return query.clone();
    }
    json!({"bool": {"must": [query], "filter": filters}})
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A lexicon of fixed counts.
    struct Words(Vec<(&'static str, u64)>);

    impl Lexicon for Words {
        fn doc_freqs(&self, _: &[&str], words: &[String]) -> Result<Vec<u64>> {
            Ok(words
                .iter()
                .map(|w| self.0.iter().find(|(x, _)| x == w).map_or(0, |(_, n)| *n))
                .collect())
        }
        fn near(&self, _: &[&str], word: &str, _: u8) -> Result<Vec<(String, u64)>> {
            // Every other word is near enough here: the cluster measures
            // the edits.
            Ok(self
                .0
                .iter()
                .filter(|(w, _)| *w != word)
                .map(|(w, n)| (w.to_string(), *n))
                .collect())
        }
    }

    fn text(q: &str) -> Text {
        let words = Words(vec![
            ("offici", 30),
            ("summit", 5),
            ("putin", 5),
            ("minist", 9),
        ]);
        Text::parse(&words, q, Scope::Articles, false).unwrap()
    }

    #[test]
    fn words_are_matched_over_the_boosted_fields() {
        let t = text("summit");
        assert_eq!(
            t.any,
            json!({"multi_match": {"query": "summit", "type": "most_fields",
                   "fields": ["title^3", "quotes^1.5", "body"]}})
        );
        assert!(!t.tiered);
        let t = text("Xi Putin summit");
        assert!(t.tiered);
        assert_eq!(t.any["bool"]["should"].as_array().unwrap().len(), 3);
        assert_eq!(t.all["bool"]["must"].as_array().unwrap().len(), 3);
        assert_eq!(
            t.words.iter().cloned().collect::<Vec<_>>(),
            ["putin", "summit", "xi"]
        );
    }

    #[test]
    fn phrases_signs_and_dates() {
        let t = text("\"prime minister\" -war date:2022");
        let s = t.any.to_string();
        assert!(s.contains("match_phrase"), "{s}");
        assert!(s.contains("must_not"), "{s}");
        assert!(s.contains("\"gte\":\"2022-01-01\""), "{s}");
        assert!(s.contains("\"lte\":\"2022-12-31\""), "{s}");
        // The date restricts, it is not one of the words.
        assert!(t.any["bool"]["filter"].is_array(), "{s}");
        let t = text("AT&T");
        assert_eq!(t.any, json!({"match_phrase": {"entity": "AT&T"}}));
        let t = text("U.S.");
        assert!(t.any.to_string().contains("\"US\""), "{}", t.any);
    }

    #[test]
    fn typos_give_way_to_the_word_most_documents_hold() {
        let t = text("Officails");
        assert!(
            t.notes[0].contains("showing results for \"offici\""),
            "{:?}",
            t.notes
        );
        assert!(t.any.to_string().contains("\"term\""), "{}", t.any);
        let exact = Text::parse(
            &Words(vec![("offici", 30)]),
            "Officails",
            Scope::Articles,
            true,
        )
        .unwrap();
        assert!(exact.notes.is_empty());
    }

    #[test]
    fn a_prefix_after_letters_that_lower_case_longer_does_not_panic() {
        // "İ" is 2 bytes, its lower case 3: an offset in the lower-cased
        // text is not one in the text.
        for q in ["\"İİİİ minis\"*", "\"ẞẞ ǅ premi\"*", "\"K İ minist\"*"] {
            let t = text(q);
            assert!(
                t.any.to_string().contains("match_phrase_prefix"),
                "{}",
                t.any
            );
        }
    }

    #[test]
    fn prefixes_and_fuzzy_words() {
        let t = text("ukrain*");
        assert!(t.any.to_string().contains("\"prefix\""), "{}", t.any);
        assert!(t.prefixes.contains("ukrain"));
        let t = text("\"prime minis\"*");
        assert!(
            t.any.to_string().contains("match_phrase_prefix"),
            "{}",
            t.any
        );
        let t = text("blair~1");
        assert!(t.any.to_string().contains("\"fuzzy\""), "{}", t.any);
        let t = text("a*");
        assert!(!t.notes.is_empty());
    }

    #[test]
    fn the_filters_of_a_request() {
        let req = SearchRequest {
            speakers: vec!["Mr Putin".into()],
            entities: vec!["Kremlin".into()],
            since: Some(time::macros::date!(2022 - 01 - 01)),
            ..SearchRequest::default()
        };
        let f = filters(&req, Scope::Articles).unwrap();
        assert_eq!(f[0], json!({"term": {"kind": "article"}}));
        assert_eq!(
            f[1],
            json!({"match_phrase": {"speaker": {"query": "Putin"}}})
        );
        assert_eq!(f.len(), 4);
        let q = filters(&req, Scope::Quotes).unwrap();
        assert_eq!(q[0], json!({"term": {"kind": "quote"}}));
        assert!(q[1]["bool"]["should"].is_array());
        let bad = SearchRequest {
            speakers: vec!["!!".into()],
            ..SearchRequest::default()
        };
        assert!(filters(&bad, Scope::Articles).is_err());
    }

    #[test]
    fn nothing_searchable_matches_nothing() {
        let t = text("the 🙂");
        assert_eq!(t.any, json!({"match_none": {}}));
        assert!(t.notes[0].contains("nothing"));
    }
}
