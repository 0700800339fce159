//! From a [`SearchRequest`] to tantivy queries: the user's text (parsed
//! twice: any word, every word) and the filters (kind, speakers,
//! entities, dates).

use std::ops::Bound;

use tantivy::query::{
    AllQuery, BooleanQuery, Occur, PhraseQuery, Query, QueryParser, RangeQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TokenStream;
use tantivy::{Index, Term};

use super::SearchRequest;
use crate::index::schema::{date_value, name_analyzer};
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
const TITLE_BOOST: f32 = 3.0;
const QUOTES_BOOST: f32 = 1.5;

/// The user's query, parsed as "any word" (tantivy's default OR) and as
/// "every word" (AND); both are the same for queries with operators.
pub struct Text {
    pub any: Box<dyn Query>,
    pub all: Box<dyn Query>,
    pub is_empty: bool,
    /// Whether `all` differs from `any` (several words, no operators), so
    /// that ranking has two tiers.
    pub tiered: bool,
}

impl Text {
    pub fn parse(index: &Index, f: &Fields, query: &str, scope: Scope) -> Result<Text> {
        check_shape(query)?;
        if query.trim().is_empty() {
            return Ok(Text {
                any: Box::new(AllQuery),
                all: Box::new(AllQuery),
                is_empty: true,
                tiered: false,
            });
        }
        check_fields(query)?;
        let mut parser = match scope {
            Scope::Articles => {
                let mut p = QueryParser::for_index(index, vec![f.title, f.quotes, f.body]);
                p.set_field_boost(f.title, TITLE_BOOST);
                p.set_field_boost(f.quotes, QUOTES_BOOST);
                p
            }
            Scope::Quotes => QueryParser::for_index(index, vec![f.quotes]),
        };
        let any = parser
            .parse_query(query)
            .map_err(|e| Error::Query(e.to_string()))?;
        parser.set_conjunction_by_default();
        let all = parser
            .parse_query(query)
            .map_err(|e| Error::Query(e.to_string()))?;
        let tiered = format!("{any:?}") != format!("{all:?}");
        Ok(Text {
            any,
            all,
            is_empty: false,
            tiered,
        })
    }
}

/// The fields a query may name (`title:summit`): those the README
/// documents. The others hold newsidx's own bookkeeping (`kind:`, `root:`,
/// `hash:`, …) and are not the user's to query.
pub const QUERY_FIELDS: &[&str] = &[
    "title", "body", "quotes", "speaker", "entity", "author", "source",
];

/// Refuses a query that names another field, or asks what no field here
/// can answer (`title:*`: every article has a title).
fn check_fields(query: &str) -> Result<()> {
    use tantivy::query_grammar::{UserInputAst, UserInputLeaf};
    // A query the grammar refuses is the parser's to explain.
    let Ok(ast) = tantivy::query_grammar::parse_query(query) else {
        return Ok(());
    };
    let known = |field: &Option<String>| match field {
        Some(f) if !QUERY_FIELDS.contains(&f.as_str()) => Err(Error::Query(format!(
            "there is no field {f:?} to search; the fields are {}",
            QUERY_FIELDS.join(", ")
        ))),
        _ => Ok(()),
    };
    let mut stack = vec![&ast];
    while let Some(node) = stack.pop() {
        match node {
            UserInputAst::Clause(clauses) => stack.extend(clauses.iter().map(|(_, c)| c)),
            UserInputAst::Boost(inner, _) => stack.push(inner),
            UserInputAst::Leaf(leaf) => match &**leaf {
                UserInputLeaf::Literal(l) => known(&l.field_name)?,
                UserInputLeaf::Range { field, .. }
                | UserInputLeaf::Set { field, .. }
                | UserInputLeaf::Regex { field, .. } => known(field)?,
                UserInputLeaf::Exists { field } => {
                    known(&Some(field.clone()))?;
                    return Err(Error::Query(format!(
                        "{field}:* cannot be searched; an empty query matches every article"
                    )));
                }
                UserInputLeaf::All => {}
            },
        }
    }
    Ok(())
}

/// Queries longer than this are refused: no one types them, and the
/// parser's work grows with them.
pub const MAX_QUERY_BYTES: usize = 16 * 1024;
/// tantivy's query grammar is recursive: deep nesting would overflow the
/// stack, so it is refused before parsing.
const MAX_NESTING: usize = 32;

fn check_shape(query: &str) -> Result<()> {
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

/// The filters of a request, for documents of `kind`.
pub fn filters(
    _index: &Index,
    f: &Fields,
    req: &SearchRequest,
    kind: &str,
) -> Result<Vec<Box<dyn Query>>> {
    let mut out: Vec<Box<dyn Query>> = vec![Box::new(TermQuery::new(
        Term::from_field_text(f.kind, kind),
        IndexRecordOption::Basic,
    ))];
    for s in &req.speakers {
        out.push(name_query(f.speaker, s)?);
    }
    for e in &req.entities {
        out.push(name_query(f.entity, e)?);
    }
    if let Some(lang) = &req.lang {
        out.push(Box::new(TermQuery::new(
            Term::from_facet(f.facets, &crate::index::schema::lang_facet(lang)),
            IndexRecordOption::Basic,
        )));
    }
    let bound = |d: &Option<String>| -> Result<Bound<Term>> {
        match d {
            None => Ok(Bound::Unbounded),
            Some(s) => {
                let v = date_value(s).ok_or_else(|| Error::Date(s.clone()))?;
                Ok(Bound::Included(Term::from_field_date_for_search(f.date, v)))
            }
        }
    };
    let (lo, hi) = (bound(&req.since)?, bound(&req.until)?);
    if !matches!((&lo, &hi), (Bound::Unbounded, Bound::Unbounded)) {
        out.push(Box::new(RangeQuery::new(lo, hi)));
    }
    Ok(out)
}

/// A name as a query on a name field: its folded words as a phrase, so
/// "Vladimir Putin", "putin" and "PUTIN" all find "Vladimir Putin".
fn name_query(field: Field, name: &str) -> Result<Box<dyn Query>> {
    check_shape(name)?;
    let mut analyzer = name_analyzer();
    let mut stream = analyzer.token_stream(name);
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

    fn tiered(query: &str) -> bool {
        let index = Index::create_in_ram(schema::schema());
        schema::register_analyzers(&index);
        let f = Fields::of(&index.schema()).unwrap();
        Text::parse(&index, &f, query, Scope::Articles)
            .unwrap()
            .tiered
    }

    #[test]
    fn only_several_plain_words_rank_in_two_tiers() {
        assert!(tiered("xi putin summit"));
        assert!(!tiered("putin"));
        assert!(!tiered("\"prime minister\""));
        assert!(!tiered("xi AND putin"));
        assert!(!tiered(""));
    }

    #[test]
    fn only_documented_fields_are_searched() {
        let index = Index::create_in_ram(schema::schema());
        schema::register_analyzers(&index);
        let f = Fields::of(&index.schema()).unwrap();
        let parse = |q: &str| Text::parse(&index, &f, q, Scope::Articles).map(|_| ());
        assert!(parse("title:summit speaker:putin").is_ok());
        for q in [
            "kind:article",
            "root:/tmp",
            "hash:abc",
            "title:*",
            "extract:x",
            "(a OR key:b)",
        ] {
            let e = parse(q).unwrap_err().to_string();
            assert!(
                e.contains("cannot be searched") || e.contains("no field"),
                "{q}: {e}"
            );
        }
    }
}
