//! JSON and NDJSON exports: one article per object (a top-level array
//! too), read through the usual field names or the user's own.
//!
//! A body that holds HTML is turned into paragraphs of text.

use serde_json::{Map, Value};

use std::collections::HashMap;

use super::date::article_date;
use super::error::Warning;
use super::options::ParseOptions;
use super::Article;

/// Which JSON field holds each part of an article: the first name present
/// wins. `--field body=story_text` puts a name first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonFields {
    pub title: Vec<String>,
    pub body: Vec<String>,
    pub date: Vec<String>,
    pub author: Vec<String>,
    pub url: Vec<String>,
    pub source: Vec<String>,
    pub id: Vec<String>,
}

fn names(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

impl Default for JsonFields {
    fn default() -> Self {
        JsonFields {
            title: names(&["title", "headline", "name"]),
            body: names(&[
                "body",
                "text",
                "content",
                "article",
                "articleBody",
                "story",
                "description",
            ]),
            date: names(&[
                "date",
                "published",
                "published_at",
                "publishedAt",
                "datePublished",
                "pubDate",
                "created_at",
                "timestamp",
            ]),
            author: names(&["author", "byline", "authors", "creator"]),
            url: names(&["url", "link", "permalink", "canonical_url"]),
            source: names(&["source", "publisher", "site", "site_name", "outlet"]),
            id: names(&["id", "_id", "guid", "uuid"]),
        }
    }
}

impl JsonFields {
    /// Applies one `PART=NAME` override (`body=story_text`).
    pub fn set(&mut self, spec: &str) -> Result<(), String> {
        let (part, name) = spec
            .split_once('=')
            .ok_or_else(|| format!("{spec:?}: expected PART=NAME, e.g. body=story_text"))?;
        let list = match part.trim() {
            "title" => &mut self.title,
            "body" => &mut self.body,
            "date" => &mut self.date,
            "author" => &mut self.author,
            "url" => &mut self.url,
            "source" => &mut self.source,
            "id" => &mut self.id,
            other => {
                return Err(format!(
                    "unknown part {other:?} (title, body, date, author, url, source, id)"
                ))
            }
        };
        list.insert(0, name.trim().to_owned());
        Ok(())
    }
}

/// Parses a `.json` file: an object, or an array of objects.
pub(super) fn parse_json(
    text: &str,
    opts: &ParseOptions,
    warnings: &mut Vec<Warning>,
) -> Vec<(String, Article)> {
    let mut bodiless = Bodiless::default();
    let objects = match serde_json::from_str::<Value>(text) {
        Ok(Value::Array(items)) => items
            .iter()
            .enumerate()
            .filter_map(|(i, v)| object(v, i, opts, warnings, &mut bodiless))
            .collect(),
        Ok(v @ Value::Object(_)) => object(&v, 0, opts, warnings, &mut bodiless)
            .into_iter()
            .collect(),
        Ok(_) => {
            warnings.push(Warning::Json(
                "neither an object nor an array of objects".into(),
            ));
            Vec::new()
        }
        Err(e) => {
            warnings.push(Warning::Json(e.to_string()));
            Vec::new()
        }
    };
    bodiless.warn(&opts.json_fields, warnings);
    unique_ids(objects, warnings)
}

/// Parses an NDJSON file: one object per line; a bad line is a warning.
pub(super) fn parse_lines(
    text: &str,
    opts: &ParseOptions,
    warnings: &mut Vec<Warning>,
) -> Vec<(String, Article)> {
    let mut out = Vec::new();
    let mut bodiless = Bodiless::default();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        crate::guard::checkpoint();
        match serde_json::from_str::<Value>(line) {
            Ok(v) => out.extend(object(&v, n, opts, warnings, &mut bodiless)),
            Err(e) => warnings.push(Warning::Json(format!("line {}: {e}", n + 1))),
        }
    }
    bodiless.warn(&opts.json_fields, warnings);
    unique_ids(out, warnings)
}

/// The objects of a file that have none of the body's field names, and
/// the names they have instead: said once per file, with the way to name
/// the body's field.
#[derive(Default)]
struct Bodiless {
    objects: usize,
    without: usize,
    /// Field names seen in objects without a body, in the order first seen.
    seen: Vec<String>,
}

/// Field names listed in the warning.
const SEEN_NAMES: usize = 12;

impl Bodiless {
    fn check(&mut self, map: &Map<String, Value>, fields: &JsonFields) {
        self.objects += 1;
        if fields.body.iter().any(|n| lookup(map, n).is_some()) {
            return;
        }
        self.without += 1;
        for k in map.keys() {
            if self.seen.len() < SEEN_NAMES && !self.seen.contains(k) {
                self.seen.push(k.clone());
            }
        }
    }

    fn warn(&self, fields: &JsonFields, warnings: &mut Vec<Warning>) {
        if self.without == 0 {
            return;
        }
        let looked: Vec<&str> = fields.body.iter().map(String::as_str).collect();
        let example = self
            .seen
            .iter()
            .find(|k| !fields.title.contains(k) && !fields.id.contains(k))
            .map_or("NAME", String::as_str);
        warnings.push(Warning::Json(format!(
            "{} of {} objects have no body field (looked for {}); their fields are {}: \
             name the body's with --field body={example}",
            self.without,
            self.objects,
            looked.join(", "),
            self.seen.join(", "),
        )));
    }
}

/// Ids as given, but a repeated one (two objects with one url) takes the
/// object's position after it: every article of a file has its own id.
fn unique_ids(
    objects: Vec<(usize, String, Article)>,
    warnings: &mut Vec<Warning>,
) -> Vec<(String, Article)> {
    let mut first: HashMap<String, usize> = HashMap::with_capacity(objects.len());
    let mut out = Vec::with_capacity(objects.len());
    for (index, id, article) in objects {
        match first.get(&id) {
            None => {
                first.insert(id.clone(), index);
                out.push((id, article));
            }
            Some(&earlier) => {
                let own = format!("{id}#{}", index + 1);
                warnings.push(Warning::Json(format!(
                    "items {} and {} have the id {id:?}: the second is {own:?}",
                    earlier + 1,
                    index + 1
                )));
                out.push((own, article));
            }
        }
    }
    out
}

/// One object as (its id within the file, the article).
fn object(
    v: &Value,
    index: usize,
    opts: &ParseOptions,
    warnings: &mut Vec<Warning>,
    bodiless: &mut Bodiless,
) -> Option<(usize, String, Article)> {
    let fields = &opts.json_fields;
    let Value::Object(map) = v else {
        warnings.push(Warning::Json(format!("item {}: not an object", index + 1)));
        return None;
    };
    bodiless.check(map, fields);
    let get = |names: &[String]| {
        names
            .iter()
            .find_map(|n| scalar(lookup(map, n)?))
            .filter(|s| !s.trim().is_empty())
    };
    let body = get(&fields.body).unwrap_or_default();
    let body = if looks_like_html(&body) {
        html_to_text(&body)
    } else {
        body
    };
    let article = Article {
        title: get(&fields.title).unwrap_or_default().trim().to_owned(),
        date: get(&fields.date).and_then(|d| article_date(&d, opts.date_order, warnings)),
        author: get(&fields.author),
        url: get(&fields.url),
        source: get(&fields.source),
        body,
        ..Article::default()
    };
    if article.body.trim().is_empty() && article.title.is_empty() {
        warnings.push(Warning::Json(format!(
            "item {}: no title or body",
            index + 1
        )));
        return None;
    }
    let id = get(&fields.id)
        .or_else(|| article.url.clone())
        .unwrap_or_else(|| index.to_string());
    Some((index, id, article))
}

/// A field by name, or by a dotted path into nested objects (`story.text`).
fn lookup<'a>(map: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    if let Some(v) = map.get(name) {
        return Some(v);
    }
    let (head, rest) = name.split_once('.')?;
    match map.get(head)? {
        Value::Object(inner) => lookup(inner, rest),
        _ => None,
    }
}

/// Strings as they are, numbers as text, arrays of strings joined, an
/// object's `name` (authors are often `{"name": …}`).
fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Array(items) => {
            let parts: Vec<String> = items.iter().filter_map(scalar).collect();
            (!parts.is_empty()).then(|| parts.join(", "))
        }
        Value::Object(m) => m.get("name").and_then(scalar),
        _ => None,
    }
}

fn looks_like_html(s: &str) -> bool {
    let l = s.to_ascii_lowercase();
    l.contains("</p>") || l.contains("<br") || l.contains("</div>")
}

fn html_to_text(html: &str) -> String {
    let bounded = super::markup::bound(html);
    let doc = dom_query::Document::from(&*bounded.html);
    doc.select("body")
        .formatted_text()
        .split('\n')
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn objects_without_a_body_field_warn_once_with_their_fields() {
        let mut w = Vec::new();
        let text = "{\"title\": \"A\", \"story_text\": \"x y\"}\n\
                    {\"title\": \"B\", \"story_text\": \"z\", \"tags\": [\"t\"]}\n";
        let got = parse_lines(text, &ParseOptions::default(), &mut w);
        assert_eq!(got.len(), 2, "titled objects are still articles");
        assert_eq!(w.len(), 1, "{w:?}");
        let said = w[0].to_string();
        assert!(said.contains("2 of 2 objects have no body field"), "{said}");
        // Names as the parsed objects hold them (sorted), each once.
        assert!(said.contains("story_text, title, tags"), "{said}");
        assert!(said.contains("--field body=story_text"), "{said}");
        let mut opts = ParseOptions::default();
        opts.json_fields.set("body=story_text").unwrap();
        let mut w = Vec::new();
        let got = parse_lines(text, &opts, &mut w);
        assert!(w.is_empty(), "{w:?}");
        assert_eq!(got[0].1.body, "x y");
    }

    #[test]
    fn usual_field_names() {
        let mut w = Vec::new();
        let text = r#"{"headline": "Rates rise", "content": "The bank raised rates.", "published_at": "2023-02-01T09:00:00Z", "byline": "Ann Lee", "url": "https://e.org/1"}"#;
        let got = parse_json(text, &ParseOptions::default(), &mut w);
        assert_eq!(got.len(), 1);
        let (id, a) = &got[0];
        assert_eq!(id, "https://e.org/1");
        assert_eq!(a.title, "Rates rise");
        assert_eq!(a.body, "The bank raised rates.");
        assert_eq!(a.date.as_deref(), Some("2023-02-01"));
        assert_eq!(a.author.as_deref(), Some("Ann Lee"));
        assert!(w.is_empty());
    }

    #[test]
    fn arrays_lines_and_bad_lines() {
        let mut w = Vec::new();
        let got = parse_json(
            r#"[{"id": 7, "title": "A", "body": "a"}, {"title": "B", "body": "b"}, 3]"#,
            &ParseOptions::default(),
            &mut w,
        );
        let ids: Vec<&str> = got.iter().map(|(i, _)| i.as_str()).collect();
        assert_eq!(ids, ["7", "1"]);
        assert_eq!(w.len(), 1);
        let mut w = Vec::new();
        let got = parse_lines(
            "{\"title\": \"A\", \"body\": \"a\"}\n{broken\n\n{\"title\": \"C\", \"text\": \"c\"}\n",
            &ParseOptions::default(),
            &mut w,
        );
        assert_eq!(got.len(), 2);
        assert_eq!(got[1].1.body, "c");
        assert_eq!(w.len(), 1);
    }

    #[test]
    fn overrides_and_nested_fields() {
        let mut opts = ParseOptions::default();
        let f = &mut opts.json_fields;
        f.set("body=story.text").unwrap();
        f.set("title=hed").unwrap();
        assert!(f.set("nonsense").is_err());
        assert!(f.set("colour=x").is_err());
        let got = parse_json(
            r#"{"hed": "H", "body": "wrong", "story": {"text": "right"}}"#,
            &opts,
            &mut Vec::new(),
        );
        assert_eq!(got[0].1.title, "H");
        assert_eq!(got[0].1.body, "right");
    }

    #[test]
    fn html_bodies_become_paragraphs() {
        let got = parse_json(
            r#"{"title": "T", "body": "<p>First <b>one</b>.</p><p>Second.</p>"}"#,
            &ParseOptions::default(),
            &mut Vec::new(),
        );
        assert_eq!(got[0].1.body, "First one.\n\nSecond.");
    }

    #[test]
    fn repeated_ids_take_their_position() {
        let mut w = Vec::new();
        let got = parse_json(
            r#"[{"url": "https://e.org/a", "body": "one"}, {"url": "https://e.org/b", "body": "two"},
                {"url": "https://e.org/a", "body": "three"}, {"date": "03/04/2024", "body": "four"}]"#,
            &ParseOptions::default(),
            &mut w,
        );
        let ids: Vec<&str> = got.iter().map(|(i, _)| i.as_str()).collect();
        assert_eq!(
            ids,
            [
                "https://e.org/a",
                "https://e.org/b",
                "https://e.org/a#3",
                "3"
            ]
        );
        let w: Vec<String> = w.iter().map(|w| w.to_string()).collect();
        assert!(w[0].contains("date \"03/04/2024\" is ambiguous"), "{w:?}");
        assert!(w[1].contains("items 1 and 3"), "{w:?}");
    }
}
