//! Plain-text and Markdown articles: optional `---` front matter, a title
//! line (`# Title` in Markdown), a blank line, then the body.
//!

use std::collections::BTreeMap;

use super::date::{article_date, DateOrder};
use super::error::Warning;
use super::Article;

/// Parses normalised text. `markdown` strips a leading `#` from the title.
pub(super) fn parse(
    text: &str,
    markdown: bool,
    order: Option<DateOrder>,
    warnings: &mut Vec<Warning>,
) -> Article {
    let mut article = Article::default();
    let rest = match split_front_matter(text) {
        Some((meta, rest)) => {
            apply_front_matter(&mut article, meta, order, warnings);
            rest
        }
        None => text,
    };
    let rest = rest.trim_start_matches(['\n', ' ', '\t']);

    // The first line is the title unless the front matter gave one; a
    // Markdown heading that repeats it is dropped either way.
    let (first, after) = rest.split_once('\n').unwrap_or((rest, ""));
    let heading = markdown && first.trim_start().starts_with('#');
    let first_clean = first.trim().trim_start_matches('#').trim();
    let body = if article.title.is_empty() {
        article.title = first_clean.to_owned();
        after
    } else if heading || first_clean == article.title {
        after
    } else {
        rest
    };
    let (title, suffix) = split_title_suffix(&article.title);
    if let Some(suffix) = suffix {
        if article.source.is_none() {
            article.source = Some(suffix.to_owned());
        }
        article.title = title.to_owned();
    }
    article.body = body.trim().to_owned();
    article
}

/// `(front matter, rest)` when the text opens with a `---` block.
fn split_front_matter(text: &str) -> Option<(&str, &str)> {
    let after_open = text.strip_prefix("---\n")?;
    let mut offset = 0;
    for line in after_open.split_inclusive('\n') {
        if line.trim_end() == "---" || line.trim_end() == "..." {
            return Some((&after_open[..offset], &after_open[offset + line.len()..]));
        }
        offset += line.len();
    }
    None
}

fn apply_front_matter(
    article: &mut Article,
    meta: &str,
    order: Option<DateOrder>,
    warnings: &mut Vec<Warning>,
) {
    let fields: BTreeMap<String, String> =
        match serde_yaml_ng::from_str::<BTreeMap<String, serde_yaml_ng::Value>>(meta) {
            Ok(map) => map
                .into_iter()
                .filter_map(|(k, v)| Some((k.to_ascii_lowercase(), yaml_scalar(v)?)))
                .collect(),
            Err(e) => {
                warnings.push(Warning::FrontMatter(e.to_string()));
                // Read what can be read: `key: value` lines.
                meta.lines()
                    .filter_map(|l| l.split_once(':'))
                    .map(|(k, v)| (k.trim().to_ascii_lowercase(), unquote(v.trim()).to_owned()))
                    .collect()
            }
        };
    let get = |keys: &[&str]| {
        keys.iter()
            .find_map(|k| fields.get(*k).filter(|v| !v.trim().is_empty()))
            .map(|v| v.trim().to_owned())
    };
    article.title = get(&["title", "headline"]).unwrap_or_default();
    article.date = get(&["date", "published", "published_at", "datepublished"])
        .and_then(|d| article_date(&d, order, warnings));
    article.author = get(&["author", "byline", "authors"]);
    article.source = get(&["source", "publisher", "site"]);
    article.url = get(&["url", "link", "canonical"]);
}

fn yaml_scalar(v: serde_yaml_ng::Value) -> Option<String> {
    use serde_yaml_ng::Value;
    match v {
        Value::String(s) => Some(s),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Sequence(items) => {
            let parts: Vec<String> = items.into_iter().filter_map(yaml_scalar).collect();
            (!parts.is_empty()).then(|| parts.join(", "))
        }
        _ => None,
    }
}

fn unquote(s: &str) -> &str {
    s.strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .or_else(|| s.strip_prefix('\'').and_then(|s| s.strip_suffix('\'')))
        .unwrap_or(s)
}

/// "Title | Site" or "Title - BBC News" -> ("Title", Some("Site")).
fn split_title_suffix(title: &str) -> (&str, Option<&str>) {
    for sep in [" | ", " – ", " — ", " - "] {
        if let Some((head, tail)) = title.rsplit_once(sep) {
            let words: Vec<&str> = tail.split_whitespace().collect();
            let looks_like_site = !head.trim().is_empty()
                && !words.is_empty()
                && words.len() <= 4
                && words.iter().all(|w| {
                    w.chars()
                        .next()
                        .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
                })
                && (sep == " | "
                    || words.iter().any(|w| {
                        matches!(
                            *w,
                            "News"
                                | "Times"
                                | "Post"
                                | "Online"
                                | "Journal"
                                | "Report"
                                | "Wire"
                                | "Herald"
                                | "Tribune"
                                | "Guardian"
                                | "Telegraph"
                                | "Daily"
                        )
                    }));
            if looks_like_site {
                return (head.trim(), Some(tail.trim()));
            }
        }
    }
    (title, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_plain(text: &str) -> Article {
        parse(text, false, None, &mut Vec::new())
    }

    #[test]
    fn title_blank_line_body() {
        let a = parse_plain("Markets fall\n\nShares fell on Monday.\n\nBonds rose.\n");
        assert_eq!(a.title, "Markets fall");
        assert_eq!(a.body, "Shares fell on Monday.\n\nBonds rose.");
        assert_eq!(a.date, None);
    }

    #[test]
    fn front_matter_fields() {
        let text = "---\ntitle: \"Summit ends\"\ndate: 2022-09-15\nauthor: Ann Lee\nsource: Wire\nurl: https://example.org/a\n---\nBody text.\n";
        let a = parse_plain(text);
        assert_eq!(a.title, "Summit ends");
        assert_eq!(a.date.as_deref(), Some("2022-09-15"));
        assert_eq!(a.author.as_deref(), Some("Ann Lee"));
        assert_eq!(a.source.as_deref(), Some("Wire"));
        assert_eq!(a.url.as_deref(), Some("https://example.org/a"));
        assert_eq!(a.body, "Body text.");
    }

    #[test]
    fn markdown_heading_after_front_matter_is_not_body() {
        let text = "---\ndate: 2023-01-02\n---\n# The title\n\nThe body.";
        let a = parse(text, true, None, &mut Vec::new());
        assert_eq!(a.title, "The title");
        assert_eq!(a.body, "The body.");
    }

    #[test]
    fn malformed_front_matter_warns_and_reads_lines() {
        let mut w = Vec::new();
        let a = parse(
            "---\ntitle: a: b: [\ndate: 2021-05-06\n---\nBody",
            false,
            None,
            &mut w,
        );
        assert_eq!(w.len(), 1);
        assert_eq!(a.date.as_deref(), Some("2021-05-06"));
        assert_eq!(a.body, "Body");
    }

    #[test]
    fn site_suffix_moves_to_source() {
        let a = parse_plain("Rates rise again - BBC News\n\nBody.");
        assert_eq!(a.title, "Rates rise again");
        assert_eq!(a.source.as_deref(), Some("BBC News"));
        let a = parse_plain("Storm hits coast | World Report\n\nBody.");
        assert_eq!(a.title, "Storm hits coast");
        let a = parse_plain("Brexit - a year on\n\nBody.");
        assert_eq!(a.title, "Brexit - a year on");
    }
}
