//! HTML pages: metadata from Open Graph, JSON-LD and `<time>` tags, and
//! the main text without navigation, banners, related lists or comments.
//!
//! Main-content extraction is dom_smoothie's (a port of Mozilla's
//! Readability); this file only adds what it does not read.

use dom_query::Document;
use dom_smoothie::{Config, Readability, TextMode};

use super::byline::{first_byline, Authors};
use super::date::DateOrder;
use super::error::Warning;
use super::furniture;
use super::jsonld::LinkedData;
use super::markup;
use super::meta_tags::MetaTags;
use super::page_date::page_date;
use super::page_title::page_title;
use super::story::{self, Story};
use super::Article;

/// Pages larger than this (once without scripts and styles) are not given
/// to Readability, which takes about a second per megabyte of deeply
/// nested markup: all their text is kept instead.
const MAX_READABILITY_BYTES: usize = 4 * 1024 * 1024;

/// Parses an HTML page into an article (body as paragraphs of text).
pub(super) fn parse(html: &str, order: Option<DateOrder>, warnings: &mut Vec<Warning>) -> Article {
    let bounded = markup::bound(html);
    if bounded.flattened > 0 {
        warnings.push(Warning::Html(format!(
            "nested deeper than {} elements: {} inner tags left out, their text kept",
            markup::MAX_DEPTH,
            bounded.flattened
        )));
    }
    let html = &*bounded.html;
    // One tree (a page of small tags takes some 15 bytes of memory per
    // byte): the page's own tags are read first, then Readability edits it.
    let doc = Document::from(html);
    let tags = Tags::read(&doc, html, order, warnings);
    crate::guard::checkpoint();
    let mut article = Article::default();
    let mut byline = None;
    let config = Config {
        text_mode: TextMode::Formatted,
        ..Config::default()
    };
    // The page loses its furniture, then its story's container or
    // Readability gives the text (see `main_text`). Past the size limit,
    // or when neither finds a story, the paragraphs of <article> or
    // <main> (or the body) are the text.
    let parsed = if html.len() > MAX_READABILITY_BYTES {
        warnings.push(Warning::Html(format!(
            "{} MB of markup is more than the main-text extractor reads ({} MB): all the page's text is kept",
            html.len() >> 20,
            MAX_READABILITY_BYTES >> 20
        )));
        None
    } else {
        Readability::with_document(doc, None, Some(config))
            .ok()
            .and_then(main_text)
    };
    crate::guard::checkpoint();
    match parsed {
        Some((r, readability_byline)) => {
            article.title = r.title.trim().to_owned();
            article.body = tidy(&r.text);
            byline = readability_byline;
            article.source = r.site_name.filter(|s| !s.trim().is_empty());
            article.url = r.url;
        }
        None => {
            let doc = Document::from(html);
            let root = ["article", "main", "body"]
                .iter()
                .map(|s| doc.select(s))
                .find(|s| s.exists());
            article.body = root.map(|s| tidy(&s.formatted_text())).unwrap_or_default();
        }
    }
    // The headline as the page shows it; Readability's reading of the
    // <title> when the page has neither titles nor headings.
    if let Some(title) = tags.title {
        article.title = title;
    }
    article.url = article.url.or(tags.url);
    article.author = tags.authors.best(byline.as_deref());
    article.lang = tags.lang;
    article.source = article.source.or(tags.source);
    article.date = tags.date;
    article
}

/// The main text of the page Readability holds, and Readability's byline:
/// furniture out, then the story's container read as trafilatura reads
/// it, or Readability's choice when it finds far more (or the page names
/// no container); the lead under the headline first when both leave it out.
fn main_text(mut r: Readability) -> Option<(Main, Option<String>)> {
    // Readability's byline (JSON-LD, <meta>, else the first byline
    // element) is read before the furniture, which bylines are, goes.
    let meta = r.get_article_metadata(r.parse_json_ld());
    let byline = meta.byline.clone().or_else(|| first_byline(&r.doc));
    let stripped = furniture::strip(&r.doc);
    let story = stripped
        .story
        .and_then(|id| r.doc.tree.get(&id).map(|n| Story::read(&n)));
    let lead = r.doc.body().and_then(|b| story::lead(&b));
    let mut main = match story {
        Some(s) if s.wins_outright(stripped.text) => Main::of(s.text, meta),
        story => match (r.parse().ok(), story) {
            (Some(a), Some(s)) if s.beats(&a.text_content) => Main::of(s.text, meta),
            (Some(a), _) => Main {
                text: a.text_content.to_string(),
                title: a.title,
                site_name: a.site_name,
                url: a.url,
            },
            (None, Some(s)) if !s.text.is_empty() => Main::of(s.text, meta),
            (None, _) => return None,
        },
    };
    if let Some(lead) = lead {
        let opening: String = lead.chars().take(60).collect();
        if !main.text.contains(opening.as_str()) {
            main.text = format!("{lead}\n\n{}", main.text);
        }
    }
    Some((main, byline))
}

/// The page's main text, with what Readability's reading of its tags
/// gives beside it.
struct Main {
    text: String,
    title: String,
    site_name: Option<String>,
    url: Option<String>,
}

impl Main {
    fn of(text: String, meta: dom_smoothie::Metadata) -> Main {
        Main {
            text,
            title: meta.title,
            site_name: meta.site_name,
            url: meta.url,
        }
    }
}

/// What a page's tags say of it, beside what Readability finds: the
/// headline, the canonical link, the authors, the site name and the date.
struct Tags {
    title: Option<String>,
    url: Option<String>,
    authors: Authors,
    source: Option<String>,
    date: Option<String>,
    lang: Option<String>,
}

impl Tags {
    fn read(
        doc: &Document,
        html: &str,
        order: Option<DateOrder>,
        warnings: &mut Vec<Warning>,
    ) -> Tags {
        let ld = LinkedData::read(doc);
        let tags = MetaTags::read(doc);
        let meta = |v: Option<&str>| Some(v?.trim().to_owned()).filter(|v| !v.is_empty());
        let url = doc
            .select(r#"link[rel="canonical"]"#)
            .attr("href")
            .map(|h| h.to_string())
            .or_else(|| meta(tags.property("og:url")));
        let order = order.or_else(|| page_order(doc));
        Tags {
            date: page_date(doc, html, &ld, url.as_deref(), order, warnings),
            title: page_title(doc, &ld, url.as_deref()),
            url,
            authors: Authors::read(doc, &ld),
            source: meta(tags.property("og:site_name")),
            lang: page_lang(doc, &tags, &ld),
        }
    }
}

/// The page's language: `<html lang>`, `og:locale`, the
/// `Content-Language` header it was saved with, or JSON-LD `inLanguage`.
fn page_lang(doc: &Document, tags: &MetaTags, ld: &LinkedData) -> Option<String> {
    let root = doc.html_root();
    [
        root.attr("lang").map(|v| v.to_string()),
        root.attr("xml:lang").map(|v| v.to_string()),
        tags.property("og:locale").map(str::to_owned),
        tags.http_equiv("content-language").map(str::to_owned),
        ld.language.clone(),
    ]
    .into_iter()
    .flatten()
    .find_map(|l| language_code(&l))
}

/// The language of a tag (`de-AT`, `en_GB`, `PT`) as its lower-case ISO
/// 639 code; what is no language tag (`x-default`, `zxx`, words) is none.
pub fn language_code(tag: &str) -> Option<String> {
    let primary = tag.trim().split(['-', '_', ',', ';']).next()?;
    let code = primary.to_ascii_lowercase();
    let letters = (2..=3).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_lowercase());
    (letters && !matches!(code.as_str(), "x" | "i" | "und" | "zxx" | "mul")).then_some(code)
}

/// The order of numeric dates in the page's language: month first only
/// in American English.
fn page_order(doc: &Document) -> Option<DateOrder> {
    let lang = doc.html_root().attr("lang")?.to_ascii_lowercase();
    match lang.as_str() {
        "" | "en" => None,
        l if l.starts_with("en-us") => Some(DateOrder::MonthFirst),
        _ => Some(DateOrder::DayFirst),
    }
}

/// Paragraphs separated by one blank line, lines trimmed.
fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for para in text.split('\n').map(str::trim).filter(|l| !l.is_empty()) {
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        out.push_str(para);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meta_tags_fill_what_readability_lacks() {
        let html = r#"<html><head>
            <meta property="og:title" content="Harbour reopens">
            <link rel="canonical" href="https://example.org/harbour">
            </head><body><article><h1>Harbour reopens</h1>
            <time datetime="2023-05-06T08:00:00Z">6 May</time>
            <p>The harbour reopened on Monday after a month of repairs to the sea wall, officials said.</p>
            </article></body></html>"#;
        let a = parse(html, None, &mut Vec::new());
        assert_eq!(a.title, "Harbour reopens");
        assert_eq!(a.date.as_deref(), Some("2023-05-06"));
        assert_eq!(a.url.as_deref(), Some("https://example.org/harbour"));
        assert!(
            a.body.contains("The harbour reopened on Monday"),
            "{}",
            a.body
        );
    }

    #[test]
    fn the_page_language_is_read() {
        let lang = |head: &str| {
            parse(
                &format!("{head}<body><p>The ferry ran again on Thursday after repairs.</p></body></html>"),
                None,
                &mut Vec::new(),
            )
            .lang
        };
        assert_eq!(
            lang(r#"<html lang="de-AT"><head></head>"#).as_deref(),
            Some("de")
        );
        assert_eq!(
            lang(r#"<html><head><meta property="og:locale" content="pt_BR"></head>"#).as_deref(),
            Some("pt")
        );
        assert_eq!(
            lang(
                r#"<html lang="x-default"><head><meta property="og:locale" content="fr_FR"></head>"#
            )
            .as_deref(),
            Some("fr")
        );
        assert_eq!(lang("<html><head></head>"), None);
        assert_eq!(language_code("EN"), Some("en".into()));
        assert_eq!(language_code("english"), None);
        assert_eq!(language_code(""), None);
    }

    #[test]
    fn a_story_in_a_wrapper_named_sidebar_is_kept() {
        let rows: String = (1..=30)
            .map(|i| {
                format!(
                    "<tr><td>Player {i}</td><td>{i} plays</td><td>one tackle and a sack</td></tr>"
                )
            })
            .collect();
        let html = format!(
            r#"<html><body><div class="sidebar-fixed article-body"><h1>Snap counts</h1>
            <p>Below, the snap counts of the defence in Sunday's game.</p><table>{rows}</table></div>
            <div class="related"><p>Other story one.</p><p>Other story two.</p></div></body></html>"#
        );
        let a = parse(&html, None, &mut Vec::new());
        assert!(a.body.contains("Player 17"), "{}", a.body);
        assert!(!a.body.contains("Other story"), "{}", a.body);
    }

    #[test]
    fn a_byline_is_the_author_and_not_the_body() {
        let html = r#"<html><body><article><h1>Harbour reopens</h1>
            <div class="byline">By Ann Lee</div>
            <p>The harbour reopened on Monday after a month of repairs to the sea wall, officials said.</p>
            <p>Ferries to the islands run again from Tuesday, the port authority said.</p>
            </article></body></html>"#;
        let a = parse(html, None, &mut Vec::new());
        assert_eq!(a.author.as_deref(), Some("Ann Lee"));
        assert!(!a.body.contains("Ann Lee"), "{}", a.body);
        assert!(a.body.contains("Ferries to the islands"), "{}", a.body);
    }

    #[test]
    fn the_lead_under_the_headline_opens_the_body() {
        let story: String = (1..=6)
            .map(|i| format!("<p>Paragraph {i} of the story tells how the repairs to the sea wall went on through the winter storms.</p>"))
            .collect();
        let html = format!(
            r#"<html><body><h1>Harbour reopens</h1>
            <div class="news-teaser-text"><p>After a month of repairs the harbour is open again, and the ferries run from Tuesday.</p></div>
            <div class="sidebar-box"><p>Weather: sunny.</p></div>
            <div class="article-body">{story}</div></body></html>"#
        );
        let a = parse(&html, None, &mut Vec::new());
        assert!(
            a.body
                .starts_with("After a month of repairs the harbour is open again"),
            "{}",
            a.body
        );
        assert!(a.body.contains("Paragraph 6"), "{}", a.body);
        assert_eq!(a.body.matches("After a month").count(), 1, "{}", a.body);
    }

    #[test]
    fn garbage_is_not_a_panic() {
        let a = parse(
            "<<<>>><p>unclosed <b>tags <script>alert(1)",
            None,
            &mut Vec::new(),
        );
        assert!(!a.body.contains("alert"));
    }

    #[test]
    fn numeric_dates_follow_the_page_language() {
        let page = |lang: &str| {
            format!(
                r#"<html lang="{lang}"><head><meta name="date" content="03/04/2024"></head>
                <body><p>The ferry ran again on Thursday after a month of repairs to its hull.</p></body></html>"#
            )
        };
        let mut w = Vec::new();
        assert_eq!(
            parse(&page("en-GB"), None, &mut w).date.as_deref(),
            Some("2024-04-03")
        );
        assert_eq!(
            parse(&page("en-US"), None, &mut w).date.as_deref(),
            Some("2024-03-04")
        );
        assert!(w.is_empty(), "{w:?}");
        assert_eq!(parse(&page("en"), None, &mut w).date, None);
        assert_eq!(w.len(), 1, "an ambiguous date is said: {w:?}");
        let given = Some(DateOrder::MonthFirst);
        assert_eq!(
            parse(&page("de"), given, &mut w).date.as_deref(),
            Some("2024-03-04")
        );
    }

    #[test]
    fn a_pre_ending_in_a_no_break_space_is_read() {
        // dom_query 0.28 cut one byte of the two-byte space and panicked.
        let a = parse(
            "<html><body><pre>x&nbsp;</pre></body></html>",
            None,
            &mut Vec::new(),
        );
        assert_eq!(a.body, "x");
    }
}
