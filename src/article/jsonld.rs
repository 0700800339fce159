//! The JSON-LD a page describes itself with (`<script type="application/ld+json">`):
//! headline, dates and author names of the article it is, through `@graph`s and lists.
//!
//! Pages describe more than the article (the site, its breadcrumbs, the
//! people in it): the article-like object is read first, the others only
//! for what it lacks.

use dom_query::Document;
use serde_json::Value;

/// What a page's JSON-LD says of the article on it.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(super) struct LinkedData {
    pub headline: Option<String>,
    pub published: Option<String>,
    pub created: Option<String>,
    pub modified: Option<String>,
    /// Names only: a URL or an `@id` is no author.
    pub authors: Vec<String>,
    pub publisher: Option<String>,
    /// `inLanguage`.
    pub language: Option<String>,
}

/// Most objects a page's JSON-LD is read for: a page of products or
/// comments can hold thousands.
const MAX_OBJECTS: usize = 512;

/// Types of the object that is the article itself.
const ARTICLE_TYPES: &[&str] = &[
    "article",
    "newsarticle",
    "blogposting",
    "reportagenewsarticle",
    "analysisnewsarticle",
    "opinionnewsarticle",
    "reviewnewsarticle",
    "backgroundnewsarticle",
    "report",
    "scholarlyarticle",
    "techarticle",
    "socialmediaposting",
    "liveblogposting",
    "posting",
    "webpage",
    "itempage",
    "medicalwebpage",
    "creativework",
];

impl LinkedData {
    pub(super) fn read(doc: &Document) -> LinkedData {
        let mut objects = Vec::new();
        let mut raw = Vec::new();
        for script in doc.select("script").iter() {
            let kind = script.attr("type").unwrap_or_default();
            if !kind.to_ascii_lowercase().contains("ld+json") {
                continue;
            }
            let text = script.text();
            match serde_json::from_str::<Value>(text.trim()) {
                Ok(v) => flatten(v, &mut objects),
                // Hand-written JSON-LD is often not JSON (a trailing
                // comma, a raw newline in a string): its fields are
                // still read as text.
                Err(_) => raw.push(text.to_string()),
            }
        }
        let rank = |o: &serde_json::Map<String, Value>| {
            let types = types(o);
            match ARTICLE_TYPES
                .iter()
                .position(|t| types.iter().any(|x| x == t))
            {
                // WebPage and its kin rank after every article type.
                Some(i) => i,
                None => ARTICLE_TYPES.len(),
            }
        };
        let mut ordered: Vec<&serde_json::Map<String, Value>> =
            objects.iter().filter_map(Value::as_object).collect();
        ordered.sort_by_key(|o| rank(o));
        let mut ld = LinkedData::default();
        for o in &ordered {
            let field = |k: &str| o.get(k).and_then(text_of);
            let is_article = rank(o) < ARTICLE_TYPES.len();
            if is_article {
                ld.headline = ld.headline.take().or_else(|| field("headline"));
                if ld.authors.is_empty() {
                    ld.authors = o.get("author").map(names).unwrap_or_default();
                }
                if ld.authors.is_empty() {
                    ld.authors = o.get("creator").map(names).unwrap_or_default();
                }
                ld.publisher = ld
                    .publisher
                    .take()
                    .or_else(|| o.get("publisher").and_then(|p| names(p).into_iter().next()));
            }
            ld.published = ld.published.take().or_else(|| field("datePublished"));
            ld.created = ld.created.take().or_else(|| field("dateCreated"));
            ld.modified = ld.modified.take().or_else(|| field("dateModified"));
            ld.language = ld.language.take().or_else(|| field("inLanguage"));
        }
        for text in &raw {
            ld.published = ld.published.or_else(|| raw_field(text, "datePublished"));
            ld.created = ld.created.or_else(|| raw_field(text, "dateCreated"));
            ld.modified = ld.modified.or_else(|| raw_field(text, "dateModified"));
            ld.headline = ld.headline.or_else(|| raw_field(text, "headline"));
        }
        ld
    }
}

/// The objects of a JSON-LD value: lists and `@graph`s opened, nested
/// objects (`mainEntity`, an `ItemList`'s items) left in their parent.
fn flatten(v: Value, out: &mut Vec<Value>) {
    if out.len() >= MAX_OBJECTS {
        return;
    }
    match v {
        Value::Array(items) => items.into_iter().for_each(|i| flatten(i, out)),
        Value::Object(mut o) => {
            if let Some(graph) = o.remove("@graph") {
                flatten(graph, out);
            }
            if let Some(main) = o.remove("mainEntity") {
                if main.is_object() {
                    flatten(main, out);
                }
            }
            if !o.is_empty() {
                out.push(Value::Object(o));
            }
        }
        _ => {}
    }
}

/// An object's `@type`s, lower case.
fn types(o: &serde_json::Map<String, Value>) -> Vec<String> {
    match o.get("@type") {
        Some(Value::String(s)) => vec![s.to_ascii_lowercase()],
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_ascii_lowercase)
            .collect(),
        _ => Vec::new(),
    }
}

/// A field's text: a string, or the first of a list of them.
fn text_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.trim().to_owned()).filter(|s| !s.is_empty()),
        Value::Array(a) => a.iter().find_map(text_of),
        _ => None,
    }
}

/// The names in an `author`: a string, a `Person` or `Organization`
/// (its `name`), or a list of them; URLs are not names.
fn names(v: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let mut push = |s: &str| {
        let s = s.trim();
        let url = s.starts_with("http://") || s.starts_with("https://") || s.starts_with('/');
        if !s.is_empty() && !url && !out.iter().any(|o: &String| o == s) {
            out.push(s.to_owned());
        }
    };
    match v {
        Value::String(s) => push(s),
        Value::Object(o) => {
            if let Some(n) = o.get("name").and_then(text_of) {
                push(&n);
            }
        }
        Value::Array(a) => {
            for item in a.iter().take(16) {
                for n in names(item) {
                    push(&n);
                }
            }
        }
        _ => {}
    }
    out
}

/// `"key": "value"` in JSON-LD that is not JSON.
fn raw_field(text: &str, key: &str) -> Option<String> {
    let at = text.find(&format!("\"{key}\""))? + key.len() + 2;
    let rest = text[at..].trim_start().strip_prefix(':')?.trim_start();
    let rest = rest.strip_prefix('"')?;
    let value = &rest[..rest.find('"')?];
    Some(value.trim().to_owned()).filter(|v| !v.is_empty() && v.len() < 200)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ld(json: &str) -> LinkedData {
        let page = format!(
            r#"<html><head><script type="application/ld+json">{json}</script></head><body></body></html>"#
        );
        LinkedData::read(&Document::from(page))
    }

    #[test]
    fn an_article_object_is_read() {
        let l = ld(
            r#"{"@context": "https://schema.org", "@type": "NewsArticle",
            "headline": "Ferry service resumes", "datePublished": "2023-04-02T09:00:00+02:00",
            "dateModified": "2023-04-03", "author": {"@type": "Person", "name": "Mara Quist"}}"#,
        );
        assert_eq!(l.headline.as_deref(), Some("Ferry service resumes"));
        assert_eq!(l.published.as_deref(), Some("2023-04-02T09:00:00+02:00"));
        assert_eq!(l.modified.as_deref(), Some("2023-04-03"));
        assert_eq!(l.authors, ["Mara Quist"]);
    }

    #[test]
    fn a_graph_is_opened_and_the_article_wins_over_the_page() {
        let l = ld(r#"{"@context": "https://schema.org", "@graph": [
            {"@type": "WebSite", "name": "Harbour Daily"},
            {"@type": "WebPage", "datePublished": "2020-01-01", "name": "Harbour Daily home"},
            {"@type": ["Article"], "headline": "Sea wall repaired", "datePublished": "2021-06-07",
             "author": [{"@id": "https://example.org/#p1", "name": "Ola Berg"}, "https://example.org/staff/kim", "Kim Dale"]}
        ]}"#);
        assert_eq!(l.published.as_deref(), Some("2021-06-07"));
        assert_eq!(l.headline.as_deref(), Some("Sea wall repaired"));
        assert_eq!(l.authors, ["Ola Berg", "Kim Dale"]);
    }

    #[test]
    fn json_that_is_not_json_still_gives_its_date() {
        let l = ld("{\"@type\": \"BlogPosting\", \"headline\": \"Line\none\", \"datePublished\": \"2019-03-04\",}");
        assert_eq!(l.published.as_deref(), Some("2019-03-04"));
    }

    #[test]
    fn no_json_ld_is_nothing() {
        assert_eq!(ld(""), LinkedData::default());
        assert_eq!(ld("[1, 2, null]"), LinkedData::default());
    }
}
