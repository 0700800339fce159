//! Who wrote a web page: `<meta>` author tags, JSON-LD `author` names,
//! then the byline as the page shows it (`rel=author`, `itemprop=author`,
//! an element whose class names the author or byline), cleaned to names.
//!
//! A byline carries more than names ("29 June 2017 · by Tobi", "Von Jan
//! Roth, Fr, 18. Oktober 2019", "Author: Ann Lee | 3 min read"): the
//! words that introduce it, the date and the furniture around it are cut.

use dom_query::Document;

use super::jsonld::LinkedData;
use super::meta_tags::MetaTags;

/// `<meta>` names that give the author (a URL in them is not one).
const META_AUTHOR: &[(&str, &str)] = &[
    ("name", "author"),
    ("name", "dc.creator"),
    ("name", "DC.creator"),
    ("name", "parsely-author"),
    ("name", "sailthru.author"),
    ("name", "byl"),
    ("property", "article:author"),
    ("property", "og:article:author"),
];

/// Elements that hold the byline, most specific first.
const BYLINE_ELEMENTS: &[&str] = &[
    r#"[itemprop="author"] [itemprop="name"]"#,
    r#"[itemprop="author"]"#,
    r#"a[rel="author"]"#,
    r#"[class*="author-name"], [class*="authorName"], [class*="AuthorName"], [class*="author__name"]"#,
    r#"[class*="byline"], [id*="byline"]"#,
    r#"[class~="author"], [id="author"], [class*="author"]"#,
];

/// A byline longer than this is a paragraph, not a byline.
const MAX_BYLINE: usize = 120;

/// Who the page says wrote it, by source; [`Authors::best`] chooses.
#[derive(Debug, Default)]
pub(super) struct Authors {
    /// JSON-LD `author` names, joined with "; ", and how many there are.
    linked: Option<(String, usize)>,
    meta: Option<String>,
    byline: Option<String>,
}

impl Authors {
    pub(super) fn read(doc: &Document, ld: &LinkedData) -> Authors {
        let tags = MetaTags::read(doc);
        let meta = META_AUTHOR
            .iter()
            .filter_map(|&(attr, key)| match attr {
                "name" => tags.name(key),
                _ => tags.property(key),
            })
            .find_map(clean_byline);
        let names: Vec<String> = ld.authors.iter().filter_map(|a| clean_byline(a)).collect();
        let linked = (!names.is_empty()).then(|| (names.join("; "), names.len()));
        let byline = BYLINE_ELEMENTS.iter().find_map(|sel| {
            doc.select(sel)
                .iter()
                .filter(|e| !in_comments(e))
                .take(8)
                .map(|e| e.text())
                .filter(|t| t.trim().chars().count() <= MAX_BYLINE)
                .find_map(|t| clean_byline(&t))
        });
        Authors {
            linked,
            meta,
            byline,
        }
    }

    /// The author(s): the byline the main-text extractor found
    /// (`readability`) unless JSON-LD names more people; then JSON-LD, the
    /// `<meta>` tags, and the page's own byline elements.
    pub(super) fn best(self, readability: Option<&str>) -> Option<String> {
        let (linked, several) = match self.linked {
            Some((names, n)) => (Some(names), n > 1),
            None => (None, false),
        };
        let readability = readability.and_then(clean_byline);
        if several {
            return linked;
        }
        readability.or(linked).or(self.meta).or(self.byline)
    }
}

/// The byline as Readability finds it: the first element, in the page's
/// order, marked `rel=author` or `itemprop=author` or named for a byline,
/// author or dateline, with under 100 characters of text (its
/// `itemprop=name` if it has one), not in the comments. Read before page
/// furniture, which bylines are, is taken out.
pub(super) fn first_byline(doc: &Document) -> Option<String> {
    let body = doc.body()?;
    let node = body.descendants_it().find(|n| {
        if !n.is_element() {
            return false;
        }
        let marked = n.attr("rel").as_deref() == Some("author")
            || n.attr("itemprop").is_some_and(|v| v.contains("author"));
        let named = || {
            ["class", "id"].iter().any(|a| {
                n.attr(a).is_some_and(|v| {
                    let v = v.to_ascii_lowercase();
                    ["byline", "author", "dateline", "writtenby", "p-author"]
                        .iter()
                        .any(|w| v.contains(w))
                })
            })
        };
        (marked || named())
            && (1..100).contains(&n.text().trim().chars().count())
            && !in_comment_section(n)
    })?;
    let name = dom_query::Selection::from(node)
        .select_single("[itemprop=name]")
        .nodes()
        .first()
        .map_or_else(|| node.text(), |n| n.text());
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    (!name.is_empty()).then_some(name)
}

/// Whether an element is inside one named a comment or comments (not
/// merely one whose name has the word in it: "comments-open" on `<body>`).
fn in_comment_section(n: &dom_query::NodeRef) -> bool {
    n.ancestors_it(None).any(|a| {
        !matches!(a.node_name().as_deref(), Some("body" | "html"))
            && ["class", "id"].iter().any(|k| {
                a.attr(k).is_some_and(|v| {
                    v.to_ascii_lowercase()
                        .split(|c: char| !c.is_ascii_alphanumeric())
                        .any(|w| w == "comment" || w == "comments")
                })
            })
    })
}

/// Whether an element is part of a comment or a form (a comment form's
/// "Name *" field is labelled "author").
fn in_comments(e: &dom_query::Selection) -> bool {
    e.nodes().first().is_some_and(|n| {
        n.ancestors_it(None).any(|a| {
            a.node_name()
                .is_some_and(|t| t.eq_ignore_ascii_case("form"))
                || ["class", "id"].iter().any(|k| {
                    a.attr(k)
                        .is_some_and(|v| v.to_ascii_lowercase().contains("comment"))
                })
        })
    })
}

/// Words that are a byline's furniture, never a name: a byline made only
/// of them is none.
const NOT_NAMES: &[&str] = &[
    "posted",
    "published",
    "veröffentlicht",
    "publiziert",
    "erstellt",
    "geschrieben",
    "name",
    "erforderlich",
    "required",
    "about",
    "the",
    "author",
    "autor",
    "no",
    "am",
    "on",
    "says",
    "sagt",
    "alle",
    "beiträge",
    "artikel",
    "all",
    "posts",
    "articles",
    "by",
    "von",
];

/// Words that introduce a byline, lower case, in the languages the date
/// parser reads; longest first, so that "posted by" goes before "by".
const INTRODUCERS: &[&str] = &[
    "text und interview:",
    "veröffentlicht von",
    "geschrieben von",
    "publiziert von",
    "erstellt von",
    "artikel von:",
    "artikel von",
    "written by",
    "posted by",
    "author:",
    "autor:",
    "auteur:",
    "autore:",
    "autor",
    "author",
    "interview:",
    "text:",
    "von:",
    "by:",
    "von",
    "by",
    "por",
    "par",
    "door",
    "di",
];

/// Words a byline's names end before: a date's weekday, "on", "am",
/// "Stand:", "updated".
const ENDERS: &[&str] = &[
    "am",
    "on",
    "le",
    "el",
    "il",
    "em",
    "op",
    "um",
    "at",
    "stand",
    "stand:",
    "updated",
    "aktualisiert",
    "published",
    "veröffentlicht",
    "publié",
    "mo",
    "di",
    "mi",
    "do",
    "fr",
    "sa",
    "so",
    "mon",
    "tue",
    "wed",
    "thu",
    "fri",
    "sat",
    "sun",
    "in",
];

/// A byline's names, or `None` when it holds none ("By", a URL, a date).
pub(super) fn clean_byline(raw: &str) -> Option<String> {
    let words: Vec<&str> = raw
        .split_whitespace()
        .filter(|w| !(w.starts_with('@') && w.len() > 1))
        .collect();
    let text = words.join(" ");
    if text.contains("://") || text.starts_with("www.") {
        return None;
    }
    // The part of "date · by Name · in Section" that is the byline: the
    // one with an introducer, or the first that is more than a date.
    let parts = split_parts(&text);
    let part = parts.iter().find(|p| introduced(p).is_some()).or_else(|| {
        parts
            .iter()
            .find(|p| cut_date(p).chars().any(char::is_alphabetic))
    })?;
    let mut names = introduced(part)
        .or_else(|| introduced_after_label(part))
        .unwrap_or(part);
    // Introducers can come two at once ("Text: von Ann Lee").
    while let Some(rest) = introduced(names) {
        names = rest;
    }
    let names = cut_date(names);
    let names = names.trim_matches(|c: char| c.is_whitespace() || ",;:-|·•–—/".contains(c));
    let furniture = names
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .all(|w| NOT_NAMES.contains(&w.to_lowercase().as_str()));
    let plausible = !furniture
        && !names.is_empty()
        && names.chars().count() <= MAX_BYLINE
        && names.chars().any(char::is_alphabetic)
        && !INTRODUCERS.contains(&names.to_lowercase().as_str());
    plausible.then(|| names.to_owned())
}

/// The parts of a byline between its separators: bars, bullets and
/// dashes between spaces.
fn split_parts(text: &str) -> Vec<&str> {
    let mut parts = vec![text];
    for sep in [" | ", "|", " · ", "·", " • ", " — ", " – ", " - "] {
        parts = parts.iter().flat_map(|p| p.split(sep)).collect();
    }
    parts
        .into_iter()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect()
}

/// What follows the words that introduce a byline ("By", "Von", "Autor:"),
/// if it opens with them; "vonChris Jung" (inline tags run together) too.
fn introduced(part: &str) -> Option<&str> {
    let lower = part.to_lowercase();
    INTRODUCERS.iter().find_map(|intro| {
        if !lower.starts_with(intro) || lower.len() != part.len() {
            return None;
        }
        let rest = &part[intro.len()..];
        let next = rest.chars().next()?;
        let joined = next.is_uppercase() && !intro.ends_with(':');
        (next.is_whitespace() || intro.ends_with(':') || joined).then(|| rest.trim_start())
    })
}

/// What follows "by" or "von" a word or three into a part ("Post author
/// By Helge Fahrnberger").
fn introduced_after_label(part: &str) -> Option<&str> {
    let mut at = 0;
    for (i, w) in part.split(' ').enumerate().take(4) {
        if i > 0
            && matches!(
                w.to_lowercase().as_str(),
                "by" | "von" | "por" | "par" | "door"
            )
        {
            return Some(part[at + w.len()..].trim_start()).filter(|r| !r.is_empty());
        }
        at += w.len() + 1;
    }
    None
}

/// Names without the date (and its weekday or "am") that follows them.
fn cut_date(names: &str) -> &str {
    let mut words: Vec<(usize, &str)> = Vec::new();
    let mut at = 0;
    for w in names.split(' ') {
        words.push((at, w));
        at += w.len() + 1;
    }
    let mut end = words
        .iter()
        .position(|(_, w)| w.starts_with(|c: char| c.is_ascii_digit()))
        .unwrap_or(words.len());
    if end < words.len() {
        while end > 1 {
            let w = words[end - 1]
                .1
                .trim_end_matches([',', '.', ':'])
                .to_lowercase();
            if ENDERS.contains(&w.as_str()) || w.is_empty() {
                end -= 1;
            } else {
                break;
            }
        }
    }
    match words.get(end) {
        Some((cut, _)) => &names[..*cut],
        None => names,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_byline_outside_the_comments_is_readabilitys() {
        let doc = Document::from(
            r#"<body><div class="comments"><span class="comment-author">Joe</span></div>
            <div class="meta"><span class="byline">By <span itemprop="name">Ann Lee</span></span></div>
            <div class="author-box">Ann Lee writes on transport and cities for the paper.</div></body>"#,
        );
        assert_eq!(first_byline(&doc).as_deref(), Some("Ann Lee"));
        let doc = Document::from(r#"<body><a rel="author" href="/tom">Tom  Roth</a></body>"#);
        assert_eq!(first_byline(&doc).as_deref(), Some("Tom Roth"));
        assert_eq!(
            first_byline(&Document::from("<body><p>No one</p></body>")),
            None
        );
    }

    fn clean(s: &str) -> Option<String> {
        clean_byline(s)
    }

    #[test]
    fn bylines_are_cut_to_names() {
        for (raw, want) in [
            ("By Jane Doe", "Jane Doe"),
            ("Byron Smith", "Byron Smith"),
            ("Von Jan Roth", "Jan Roth"),
            ("von: Jan Roth", "Jan Roth"),
            ("Por Ana Ruiz @anaruiz -", "Ana Ruiz"),
            ("Par Luc Martin", "Luc Martin"),
            ("Door Eva de Vries", "Eva de Vries"),
            ("Geschrieben vonElisa Brandt", "Elisa Brandt"),
            ("Veröffentlicht von Chris Lang", "Chris Lang"),
            ("Autor: Anna Kovac", "Anna Kovac"),
            ("| Klaus Berger", "Klaus Berger"),
            ("29. Juni 2017, 23:39 · von Tobi", "Tobi"),
            ("8 January 2020 · by Aurelia · in Feelings", "Aurelia"),
            ("Von Tom Sand Fr, 18. Oktober 2019", "Tom Sand"),
            ("Author: Bo Lind am 29.12.2010, 13:36 Uhr", "Bo Lind"),
            ("Redaktion 1. November 2023 10:29", "Redaktion"),
            ("Sara Zinn Stand: 05. Februar 2020", "Sara Zinn"),
            ("dpa/lno", "dpa/lno"),
            ("Post author By Helge Lund", "Helge Lund"),
        ] {
            assert_eq!(clean(raw).as_deref(), Some(want), "{raw:?}");
        }
        for raw in [
            "By",
            "https://example.org/staff/jane",
            "",
            "  ",
            "12 March 2021",
            "von",
            "Posted on",
            "Veröffentlicht am",
            "Name (erforderlich)",
            "About the Author",
        ] {
            assert_eq!(clean(raw), None, "{raw:?}");
        }
    }

    fn author(head: &str, body: &str) -> Option<String> {
        let doc = Document::from(format!(
            "<html><head>{head}</head><body>{body}</body></html>"
        ));
        Authors::read(&doc, &LinkedData::read(&doc)).best(None)
    }

    #[test]
    fn authors_come_from_meta_json_ld_and_bylines() {
        assert_eq!(
            author(r#"<meta name="author" content="By Ola Berg">"#, "").as_deref(),
            Some("Ola Berg")
        );
        let ld = r#"<script type="application/ld+json">{"@type": "NewsArticle",
            "author": [{"@type": "Person", "name": "Ola Berg"}, {"name": "Kim Dale"}]}</script>"#;
        assert_eq!(author(ld, "").as_deref(), Some("Ola Berg; Kim Dale"));
        let doc = Document::from(format!("<html><head>{ld}</head></html>"));
        let several = Authors::read(&doc, &LinkedData::read(&doc));
        assert_eq!(
            several.best(Some("By Ola Berg")).as_deref(),
            Some("Ola Berg; Kim Dale")
        );
        let doc = Document::from(r#"<meta name="author" content="Kim Dale">"#);
        let one = Authors::read(&doc, &LinkedData::read(&doc));
        assert_eq!(one.best(Some("By Ola Berg")).as_deref(), Some("Ola Berg"));
        let url_only = r#"<meta property="article:author" content="https://facebook.com/someone">"#;
        assert_eq!(
            author(
                url_only,
                r#"<p class="byline">By Mara Quist | 5 May 2021</p>"#
            )
            .as_deref(),
            Some("Mara Quist")
        );
        assert_eq!(
            author("", r#"<a rel="author" href="/staff/lee">Ann Lee</a>"#).as_deref(),
            Some("Ann Lee")
        );
        assert_eq!(
            author(
                "",
                r#"<span itemprop="author"><span itemprop="name">Ann Lee</span> (Staff)</span>"#
            )
            .as_deref(),
            Some("Ann Lee")
        );
        assert_eq!(author("", "<p>No byline.</p>"), None);
        let form = r#"<div class="comments"><span class="author">Rex Poe</span></div>
            <form><label class="comment-author">Name *</label></form>"#;
        assert_eq!(author("", form), None);
    }
}
