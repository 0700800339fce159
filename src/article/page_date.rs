//! When a web page was published, looked for where htmldate looks and in
//! its order: a whole date in the URL, the first date `<meta>` tag of the
//! page, JSON-LD, `itemprop` and `<time>`, then dates written near the
//! headline, then a timestamp anywhere in the markup; the modified date
//! only when nothing else is. A UTC time near midnight gives way to the
//! date the page shows beside its headline when that is a day off.
//!
//! Every text is read by [`super::date`]'s parser; this file only decides
//! where to look and which date to believe.

use dom_query::{Document, NodeRef};
use time::{Date, Duration, OffsetDateTime};

use super::date::{article_date, parse_date_in, DateError, DateOrder};
use super::error::Warning;
use super::jsonld::LinkedData;

/// `<meta>` names (`name`, `property`, `itemprop` or `http-equiv`, lower
/// case) that give the publication date, most trusted first.
const META_PUBLISHED: &[&str] = &[
    "article:published_time",
    "og:article:published_time",
    "og:published_time",
    "article:published",
    "article.published",
    "datepublished",
    "date_published",
    "published_date",
    "published_time",
    "publication_date",
    "publish_date",
    "publish-date",
    "publishdate",
    "pubdate",
    "pub_date",
    "og:pubdate",
    "parsely-pub-date",
    "sailthru.date",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date.created",
    "dcterms.created",
    "dc.date",
    "dcterms.date",
    "dc.created",
    "citation_publication_date",
    "citation_date",
    "citation_online_date",
    "rnews:datepublished",
    "shareaholic:article_published_time",
    "article_date_original",
    "originalpublicationdate",
    "cxenseparse:recs:publishtime",
    "bi3dpubdate",
    "sw-pubdate",
    "datecreated",
    "created",
    "displaydate",
    "release_date",
    "date",
];

/// `<meta>` names of the last change: believed only when no publication
/// date is found anywhere.
const META_MODIFIED: &[&str] = &[
    "article:modified_time",
    "og:updated_time",
    "article:modified",
    "datemodified",
    "dc.date.modified",
    "dcterms.modified",
    "modified",
    "lastmod",
    "last-modified",
];

/// The earliest year a date guessed from a URL or from the page's text may
/// have: older ones are numbers that look like dates (or archive links).
/// Tags may say any year from 1900.
const FIRST_GUESSED_YEAR: i32 = 1990;
const FIRST_TAGGED_YEAR: i32 = 1900;

/// Where a date came from, for how far it is trusted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A tag or a JSON-LD field made to say it.
    Tagged,
    /// Read off the URL or the visible text.
    Guessed,
}

/// The page's publication date (`YYYY-MM-DD`), with warnings for the tags
/// that give a date no reader could take.
pub(super) fn page_date(
    doc: &Document,
    html: &str,
    ld: &LinkedData,
    url: Option<&str>,
    order: Option<DateOrder>,
    warnings: &mut Vec<Warning>,
) -> Option<String> {
    let today = OffsetDateTime::now_utc().date();
    let meta = metas(doc);
    let named = |names: &[&str]| -> Vec<String> {
        names
            .iter()
            .flat_map(|n| meta.iter().filter(move |(k, _)| k == n))
            .map(|(_, v)| v.clone())
            .collect()
    };
    let mut rejected: Option<(String, DateError)> = None;
    let mut pick = |texts: Vec<String>, kind: Kind| -> Option<(Date, String)> {
        texts
            .into_iter()
            .find_map(|t| match believable(&t, order, kind, today) {
                Ok(d) => Some((d, t)),
                Err(e) => {
                    if kind == Kind::Tagged && rejected.is_none() {
                        rejected = Some((t.chars().take(80).collect(), e));
                    }
                    None
                }
            })
    };
    let published = [ld.published.clone(), ld.created.clone()];
    // A whole date in the URL comes first, as in htmldate: it is the day
    // the story was filed, where a tag may give an update or a time in
    // another zone.
    let found = pick(url.map(url_full_dates).unwrap_or_default(), Kind::Guessed)
        .or_else(|| pick(in_page_order(&meta, META_PUBLISHED), Kind::Tagged))
        .or_else(|| pick(published.into_iter().flatten().collect(), Kind::Tagged))
        .or_else(|| pick(marked_published(doc), Kind::Tagged))
        .or_else(|| pick(url.map(url_dates).unwrap_or_default(), Kind::Guessed))
        .or_else(|| pick(first_time(doc), Kind::Tagged))
        .or_else(|| pick(visible_dates(doc), Kind::Guessed))
        .or_else(|| pick(first_timestamp(html).into_iter().collect(), Kind::Guessed))
        .or_else(|| {
            let mut modified = named(META_MODIFIED);
            modified.extend(ld.modified.clone());
            pick(modified, Kind::Tagged)
        });
    let found = found.map(|(d, text)| {
        // A time in UTC near midnight may be the day before or after the
        // page's own: the date it shows beside the headline, if a day
        // off, is the local one (23:00Z is midnight in Berlin).
        if near_midnight_utc(&text) {
            let shown = visible_dates(doc)
                .iter()
                .filter_map(|t| believable(t, order, Kind::Guessed, today).ok())
                .take(2)
                .find(|v| (*v - d).whole_days().abs() == 1);
            if let Some(v) = shown {
                return v;
            }
        }
        d
    });
    match found {
        Some(d) => article_date(&d.to_string(), None, warnings),
        None => {
            if let Some((text, e)) = rejected {
                warnings.push(Warning::Date(text, e));
            }
            None
        }
    }
}

/// The first full timestamp (`2022-01-31T15:58:43`, `2022-01-31 15:58:43`)
/// anywhere in the page's markup, as htmldate's last resort: a page built
/// by script keeps its story's dates in its data.
fn first_timestamp(html: &str) -> Option<String> {
    let b = html.as_bytes();
    let d = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
    let mut from = 0;
    while let Some(at) = memchr::memchr(b'-', &b[from..]) {
        let i = from + at;
        from = i + 1;
        // YYYY-MM-DD?HH:MM:SS with `i` at the first '-'.
        let Some(start) = i.checked_sub(4) else {
            continue;
        };
        let shape = (start..i).all(d)
            && !(start > 0 && d(start - 1))
            && d(i + 1)
            && d(i + 2)
            && b.get(i + 3) == Some(&b'-')
            && d(i + 4)
            && d(i + 5)
            && matches!(b.get(i + 6), Some(b'T' | b' '))
            && d(i + 7)
            && d(i + 8)
            && b.get(i + 9) == Some(&b':')
            && d(i + 10)
            && d(i + 11)
            && b.get(i + 12) == Some(&b':')
            && d(i + 13)
            && d(i + 14);
        if shape {
            return Some(html[start..i + 6].to_owned());
        }
    }
    None
}

/// Whether a timestamp is in UTC (`Z`, `+00:00`, `GMT`) at an hour when
/// the day differs in the zones of Europe or the Americas.
fn near_midnight_utc(text: &str) -> bool {
    let t = text.trim();
    let utc = t.ends_with('Z')
        || t.ends_with("+00:00")
        || t.ends_with("+0000")
        || t.ends_with("GMT")
        || t.ends_with("UTC");
    // The hour: the two digits before the first ':' of a time.
    let hour = t
        .find(':')
        .filter(|&i| i >= 2)
        .and_then(|i| t[i - 2..i].parse::<u8>().ok());
    utc && hour.is_some_and(|h| h >= 21 || h <= 5)
}

/// A date a page can have: from the first tagged or guessed year to
/// tomorrow (a page's zone may be ahead of ours).
fn believable(
    text: &str,
    order: Option<DateOrder>,
    kind: Kind,
    today: Date,
) -> Result<Date, DateError> {
    let d = parse_date_in(text, order)?;
    let first = match kind {
        Kind::Tagged => FIRST_TAGGED_YEAR,
        Kind::Guessed => FIRST_GUESSED_YEAR,
    };
    let last = today.saturating_add(Duration::days(1));
    if d.year() < first || d > last {
        return Err(DateError::Implausible(d));
    }
    Ok(d)
}

/// The contents of the `<meta>` tags of these names in the page's order,
/// as htmldate reads them: the first a page gives is its own, where a
/// later one may come from a plugin (a `pubdate` of the first draft).
fn in_page_order(meta: &[(String, String)], names: &[&str]) -> Vec<String> {
    meta.iter()
        .filter(|(k, _)| names.contains(&k.as_str()))
        .map(|(_, v)| v.clone())
        .collect()
}

/// Every `<meta>` as (name, content), the name lower case.
fn metas(doc: &Document) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for m in doc.select("meta[content]").nodes() {
        let Some(content) = m.attr("content") else {
            continue;
        };
        let content = content.trim();
        if content.is_empty() {
            continue;
        }
        for key in ["property", "name", "itemprop", "http-equiv"] {
            if let Some(k) = m.attr(key) {
                out.push((k.trim().to_ascii_lowercase(), content.to_owned()));
            }
        }
    }
    out
}

/// Elements that say they hold the publication date: `itemprop` or
/// `<time pubdate>`, by their `datetime`, `content` or text.
fn marked_published(doc: &Document) -> Vec<String> {
    doc.select(r#"[itemprop="datePublished"], [itemprop="dateCreated"], time[pubdate], time.published, time.entry-date"#)
        .nodes()
        .iter()
        .filter_map(|n| {
            n.attr("datetime")
                .or_else(|| n.attr("content"))
                .map(|v| v.to_string())
                .or_else(|| Some(n.text().to_string()))
        })
        .filter(|t| !t.trim().is_empty())
        .collect()
}

/// The first `<time datetime>` outside comments and page furniture.
fn first_time(doc: &Document) -> Vec<String> {
    let furniture = Furniture::of(doc);
    doc.select("time[datetime]")
        .nodes()
        .iter()
        .filter(|n| !n.ancestors_it(None).any(|a| furniture.is(&a)))
        .take(1)
        .filter_map(|n| n.attr("datetime").map(|v| v.to_string()))
        .collect()
}

/// Whole dates in a URL's path, with the year first and the month and day
/// after it: `/2023/05/06/`, `2023-05-06`.
fn url_full_dates(url: &str) -> Vec<String> {
    url_dates(url)
        .into_iter()
        .filter(|d| {
            let b = d.as_bytes();
            b.len() == 10 && b[4] == b'-' && b[7] == b'-'
        })
        .collect()
}

/// Dates in a URL's path: `/2023/05/06/`, `2023-05-06`, `20230506`.
fn url_dates(url: &str) -> Vec<String> {
    let path = url.split(['?', '#']).next().unwrap_or_default();
    let path = path.split_once("://").map_or(path, |(_, rest)| rest);
    let parts: Vec<&str> = path.split('/').collect();
    let mut out = Vec::new();
    for w in parts.windows(3) {
        if let (Some(y), Some(m), Some(d)) = (
            digits(w[0], 4..=4).filter(|y| y.len() == w[0].len()),
            digits(w[1], 1..=2).filter(|m| m.len() == w[1].len()),
            digits(w[2], 1..=2),
        ) {
            out.push(format!("{y}-{m:0>2}-{d:0>2}"));
        }
    }
    for part in &parts[1.min(parts.len())..] {
        for token in part.split(|c: char| !c.is_ascii_alphanumeric() && c != '-') {
            let b = token.as_bytes();
            for i in 0..b.len() {
                let run = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
                let starts = i == 0 || !b[i - 1].is_ascii_digit();
                if starts && run == 8 {
                    out.push(token[i..i + 8].to_owned());
                }
                if starts
                    && run == 4
                    && b.len() >= i + 10
                    && b[i + 4] == b'-'
                    && b[i + 7] == b'-'
                    && b[i + 5..i + 7].iter().all(u8::is_ascii_digit)
                    && b[i + 8..i + 10].iter().all(u8::is_ascii_digit)
                    && b.get(i + 10).is_none_or(|c| !c.is_ascii_digit())
                {
                    out.push(token[i..i + 10].to_owned());
                }
            }
        }
    }
    // Then any date the parser finds in a segment ("…_vom_22.04.2020_…").
    out.extend(
        parts[1.min(parts.len())..]
            .iter()
            // A bare number is an id, not a Unix time.
            .filter(|p| !p.bytes().all(|b| b.is_ascii_digit()))
            .map(|p| p.replace(['_', '+'], " ")),
    );
    out
}

/// The digits `s` opens with, if there are as many as `n` allows.
fn digits(s: &str, n: std::ops::RangeInclusive<usize>) -> Option<&str> {
    let d = s.bytes().take_while(u8::is_ascii_digit).count();
    n.contains(&d).then(|| &s[..d])
}

/// Elements never read for a date: scripts and styles, menus, footers,
/// sidebars, comment sections; a wrapper whose odd name says one of
/// these but holds most of the page's paragraphs is read all the same.
struct Furniture {
    paragraphs: usize,
}

impl Furniture {
    fn of(doc: &Document) -> Furniture {
        Furniture {
            paragraphs: doc.select("p").length(),
        }
    }

    fn is(&self, n: &NodeRef) -> bool {
        let name = n
            .node_name()
            .map(|s| s.to_ascii_lowercase())
            .unwrap_or_default();
        if matches!(
            name.as_str(),
            "script"
                | "style"
                | "noscript"
                | "template"
                | "nav"
                | "footer"
                | "form"
                | "select"
                | "button"
                | "iframe"
                | "svg"
                | "head"
                | "title"
        ) {
            return true;
        }
        let named = labels(n)
            .split(|c: char| !c.is_ascii_alphanumeric())
            .any(|w| FURNITURE_WORDS.contains(&w));
        named && dom_query::Selection::from(*n).select("p").length() * 2 <= self.paragraphs
    }
}

const FURNITURE_WORDS: &[&str] = &[
    "comment",
    "comments",
    "respond",
    "reply",
    "replies",
    "footer",
    "sidebar",
    "widget",
    "related",
    "recommended",
    "menu",
    "nav",
    "navigation",
    "archive",
    "archives",
    "calendar",
    "breadcrumb",
    "breadcrumbs",
    "copyright",
    "cookie",
];

/// Class and id of an element, lower case.
fn labels(n: &NodeRef) -> String {
    let mut out = String::new();
    for a in ["class", "id", "itemprop"] {
        if let Some(v) = n.attr(a) {
            out.push(' ');
            out.push_str(&v.to_ascii_lowercase());
        }
    }
    out
}

/// Parts of class and id names of elements that hold a date or a byline.
const DATE_LABELS: &[&str] = &[
    "date",
    "datum",
    "time",
    "publish",
    "posted",
    "byline",
    "meta",
    "fecha",
    "dateline",
    "submitted",
    "info",
    "author",
];

/// Whether an element's class, id or itemprop names a date or byline
/// ("entry-date", "post_meta", "timestamp"), not an update.
fn dated(n: &NodeRef) -> bool {
    labels(n)
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|part| !part.starts_with("update"))
        .any(|part| DATE_LABELS.iter().any(|w| part.contains(w)))
}

/// A visible date's most text: more is a paragraph that mentions a day.
const MAX_DATE_TEXT: usize = 160;
/// Text pieces after the headline that may hold its date.
const NEAR_HEADLINE: usize = 40;
/// Text pieces before the headline that may hold its date (a date box
/// over the title, a kicker and the section's name between them).
const BEFORE_HEADLINE: usize = 12;

/// Texts that may hold the date as the page shows it: those of elements
/// whose class names a date or byline first, then those near the first
/// `<h1>`; texts that speak of an update last.
fn visible_dates(doc: &Document) -> Vec<String> {
    let Some(body) = doc.select("body").nodes().first().copied() else {
        return Vec::new();
    };
    let mut pieces: Vec<Piece> = Vec::new();
    walk(&body, &Furniture::of(doc), &mut pieces);
    let headline = pieces.iter().position(|p| p.headline);
    let mut marked: Vec<String> = Vec::new();
    let mut near: Vec<String> = Vec::new();
    let window = match headline {
        Some(h) => h.saturating_sub(BEFORE_HEADLINE)..(h + NEAR_HEADLINE).min(pieces.len()),
        None => 0..0,
    };
    // Marked elements after the headline come first: those before it are
    // more often the site's own (today's date in a masthead).
    let order: Vec<usize> = match headline {
        Some(h) => (h..pieces.len()).chain(0..h).collect(),
        None => (0..pieces.len()).collect(),
    };
    for i in order {
        let p = &pieces[i];
        if p.marked {
            marked.push(p.text.clone());
        } else if window.contains(&i) {
            near.push(p.text.clone());
        }
    }
    let (mut first, mut updates): (Vec<String>, Vec<String>) = marked
        .into_iter()
        .chain(near)
        .partition(|t| !speaks_of_update(t));
    first.append(&mut updates);
    first
}

struct Piece {
    text: String,
    /// In an element whose class or id names a date or byline.
    marked: bool,
    /// In the first `<h1>`.
    headline: bool,
}

/// The page's text in order, as short pieces, outside furniture.
fn walk(root: &NodeRef, furniture: &Furniture, out: &mut Vec<Piece>) {
    let headline = headline_tag(root);
    let mut stack = vec![(*root, false)];
    while let Some((n, in_h1)) = stack.pop() {
        if n.is_text() {
            let text = n.text();
            let text = text.trim();
            if !text.is_empty() && text.len() <= MAX_DATE_TEXT {
                out.push(Piece {
                    text: text.to_owned(),
                    marked: false,
                    headline: in_h1,
                });
            }
            continue;
        }
        if !n.is_element() || (n.id != root.id && furniture.is(&n)) {
            continue;
        }
        let is_h1 = Some(n.id) == headline;
        if !is_h1 && dated(&n) {
            let text = n.text();
            let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
            if !text.is_empty() && text.len() <= MAX_DATE_TEXT {
                out.push(Piece {
                    text,
                    marked: true,
                    headline: in_h1,
                });
                continue;
            }
        }
        let children: Vec<NodeRef> = n.children_it(true).collect();
        for c in children {
            stack.push((c, in_h1 || is_h1));
        }
    }
}

/// The page's headline: its first `<h1>`, or else the first `<h2>` or
/// `<h3>` that the `<title>` repeats (blogs title posts so).
fn headline_tag(root: &NodeRef) -> Option<dom_query::NodeId> {
    let body = dom_query::Selection::from(*root);
    if let Some(h1) = body.select("h1").nodes().first() {
        return Some(h1.id);
    }
    let title = root
        .tree
        .root()
        .descendants_it()
        .find(|n| {
            n.node_name()
                .is_some_and(|s| s.eq_ignore_ascii_case("title"))
        })
        .map(|t| t.text().to_lowercase())?;
    body.select("h2, h3")
        .nodes()
        .iter()
        .find(|h| {
            let text = h.text().trim().to_lowercase();
            text.chars().count() >= 10 && title.contains(&text)
        })
        .map(|h| h.id)
}

/// Words that put a date down as the last change, in the languages the
/// date parser reads.
const UPDATE_WORDS: &[&str] = &[
    "updated",
    "update",
    "modified",
    "last edited",
    "aktualisiert",
    "geändert",
    "zuletzt",
    "mis à jour",
    "mise à jour",
    "modifié",
    "actualizado",
    "actualización",
    "modificado",
    "aggiornato",
    "aggiornamento",
    "bijgewerkt",
    "gewijzigd",
    "atualizado",
    "atualização",
];

fn speaks_of_update(text: &str) -> bool {
    let lower = text.to_lowercase();
    UPDATE_WORDS.iter().any(|w| lower.contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::Month;

    fn day(y: i32, m: Month, d: u8) -> Date {
        Date::from_calendar_date(y, m, d).expect("a date")
    }

    fn date_of(head: &str, body: &str) -> Option<String> {
        let page = format!("<html><head>{head}</head><body>{body}</body></html>");
        let doc = Document::from(page.as_str());
        let ld = LinkedData::read(&doc);
        let url = doc
            .select(r#"link[rel="canonical"]"#)
            .attr("href")
            .map(|h| h.to_string());
        page_date(&doc, &page, &ld, url.as_deref(), None, &mut Vec::new())
    }

    #[test]
    fn meta_variants_are_read() {
        for name in [
            r#"property="article:published_time""#,
            r#"property="og:published_time""#,
            r#"name="dc.date""#,
            r#"name="DC.date.issued""#,
            r#"name="sailthru.date""#,
            r#"name="parsely-pub-date""#,
            r#"name="pubdate""#,
            r#"name="date""#,
            r#"itemprop="datePublished""#,
        ] {
            let head = format!(r#"<meta {name} content="2021-03-09T10:00:00Z">"#);
            assert_eq!(
                date_of(&head, "<p>Text.</p>").as_deref(),
                Some("2021-03-09"),
                "{name}"
            );
        }
    }

    #[test]
    fn published_wins_over_modified_whatever_their_order() {
        let head = r#"<meta property="article:modified_time" content="2022-02-02">
            <meta name="date" content="2021-01-01">"#;
        assert_eq!(date_of(head, "").as_deref(), Some("2021-01-01"));
        let only_modified = r#"<meta property="og:updated_time" content="2022-02-02">"#;
        assert_eq!(
            date_of(only_modified, "<p>No date here.</p>").as_deref(),
            Some("2022-02-02")
        );
    }

    #[test]
    fn the_first_date_tag_of_the_page_wins() {
        // A plugin's later `pubdate` (the first draft) is not the story's.
        let head = r#"<meta name="date" content="2022-02-04 15:33">
            <meta name="pubdate" content="2021-12-14T15:41:07+01:00">"#;
        assert_eq!(date_of(head, "").as_deref(), Some("2022-02-04"));
        let head = r#"<meta name="pubdate" content="2021-12-14">
            <meta name="date" content="2022-02-04">"#;
        assert_eq!(date_of(head, "").as_deref(), Some("2021-12-14"));
    }

    #[test]
    fn a_whole_date_in_the_url_comes_before_the_tags() {
        let head = r#"<link rel="canonical" href="https://blog.example.org/2019/01/01/new-year/">
            <meta property="article:published_time" content="2018-12-31T23:11:59+00:00">"#;
        assert_eq!(date_of(head, "").as_deref(), Some("2019-01-01"));
        // A year and month alone do not.
        let head = r#"<link rel="canonical" href="https://example.org/2019/01/new-year/">
            <meta property="article:published_time" content="2018-12-31T10:00:00+00:00">"#;
        assert_eq!(date_of(head, "").as_deref(), Some("2018-12-31"));
    }

    #[test]
    fn a_utc_time_near_midnight_gives_way_to_the_date_the_page_shows() {
        let head = r#"<meta property="article:published_time" content="2022-11-06T23:00:00.000Z">"#;
        let shown = |date: &str| {
            format!(
                r#"<h1>Provence in autumn</h1><p class="date">{date}</p><p>Text of the story.</p>"#
            )
        };
        assert_eq!(
            date_of(head, &shown("7. November 2022")).as_deref(),
            Some("2022-11-07")
        );
        // More than a day off is another date (a related story's).
        assert_eq!(
            date_of(head, &shown("9. November 2022")).as_deref(),
            Some("2022-11-06")
        );
        // At noon the day is the same everywhere near UTC.
        let noon = r#"<meta property="article:published_time" content="2022-11-06T12:00:00Z">"#;
        assert_eq!(
            date_of(noon, &shown("7. November 2022")).as_deref(),
            Some("2022-11-06")
        );
        assert!(near_midnight_utc("Wed, 04 May 2022 02:41:00 GMT"));
        assert!(!near_midnight_utc("2022-11-06T23:00:00+01:00"));
        assert!(!near_midnight_utc("2022-11-06"));
    }

    #[test]
    fn a_timestamp_in_the_page_data_is_the_last_resort() {
        let body = r#"<h1>Six metres</h1><p>He cleared six metres again.</p>
            <script>window.__DATA__ = {"id": "2021-99", "createdAt":"2022-01-31T15:58:43+01:00"}</script>"#;
        assert_eq!(date_of("", body).as_deref(), Some("2022-01-31"));
        assert_eq!(first_timestamp("v12022-01-31T15:58:43"), None);
        assert_eq!(
            first_timestamp("at 2022-01-31 15:58:43").as_deref(),
            Some("2022-01-31")
        );
    }

    #[test]
    fn json_ld_in_a_graph_is_read() {
        let head = r#"<script type="application/ld+json">{"@graph": [{"@type": "WebSite"},
            {"@type": "NewsArticle", "datePublished": "2020-11-30T08:00:00+01:00", "dateModified": "2020-12-01"}]}</script>"#;
        assert_eq!(date_of(head, "").as_deref(), Some("2020-11-30"));
    }

    #[test]
    fn time_elements_are_read_and_comments_skipped() {
        let body = r#"<div class="comments"><time datetime="2019-05-05">5 May</time></div>
            <article><time datetime="2019-04-04T12:00">4 April</time></article>"#;
        assert_eq!(date_of("", body).as_deref(), Some("2019-04-04"));
        let pubdate =
            r#"<time datetime="2019-01-01">x</time><time pubdate datetime="2018-12-12">y</time>"#;
        assert_eq!(date_of("", pubdate).as_deref(), Some("2018-12-12"));
    }

    #[test]
    fn dates_in_urls() {
        for url in [
            "https://example.org/news/2018/07/09/ferry-returns/",
            "https://example.org/2018/7/9/ferry",
            "https://example.org/news/ferry-returns-2018-07-09.html",
            "https://example.org/a/20180709-ferry",
            "https://example.org/report_of_09.07.2018_on_ferries",
        ] {
            let head = format!(r#"<link rel="canonical" href="{url}">"#);
            assert_eq!(date_of(&head, "").as_deref(), Some("2018-07-09"), "{url}");
        }
        for url in [
            "https://example.org/item/1663236000",
            "https://example.org/item/12345678901",
            "https://example.org/item/2018/07",
        ] {
            let head = format!(r#"<link rel="canonical" href="{url}">"#);
            assert_eq!(date_of(&head, ""), None, "{url}");
        }
        let head = r#"<link rel="canonical" href="https://example.org/1985/01/02/old">"#;
        assert_eq!(
            date_of(head, ""),
            None,
            "before 1990 only when a tag says so"
        );
    }

    #[test]
    fn visible_dates_in_seven_languages() {
        for (byline, want) in [
            ("By Ann Holt | March 4, 2021", "2021-03-04"),
            ("Published 4 March 2021, 10:30", "2021-03-04"),
            ("Von Jan Roth, 4. März 2021", "2021-03-04"),
            ("Veröffentlicht am 04.03.2021 um 10:30 Uhr", "2021-03-04"),
            ("Publié le 4 mars 2021 à 10h30", "2021-03-04"),
            ("Publicado el 4 de marzo de 2021", "2021-03-04"),
            ("Pubblicato il 4 marzo 2021", "2021-03-04"),
            ("Gepubliceerd op 4 maart 2021", "2021-03-04"),
            ("Publicado em 4 de março de 2021", "2021-03-04"),
            ("1er avril 2021", "2021-04-01"),
            ("Mi., 3. Feb. 2021", "2021-02-03"),
            ("15 sett. 2021", "2021-09-15"),
            ("3 févr. 2021", "2021-02-03"),
        ] {
            let body = format!(
                "<article><h1>Harbour reopens</h1><p>{byline}</p><p>The harbour reopened after a month of repairs.</p></article>"
            );
            assert_eq!(date_of("", &body).as_deref(), Some(want), "{byline}");
        }
    }

    #[test]
    fn visible_numeric_dates_follow_the_order() {
        let page = Document::from(
            "<html><body><h1>Harbour reopens</h1><p>Posted 3/4/2021</p><p>Text.</p></body></html>",
        );
        let ld = LinkedData::read(&page);
        let read = |order| page_date(&page, "", &ld, None, order, &mut Vec::new());
        assert_eq!(
            read(Some(DateOrder::MonthFirst)).as_deref(),
            Some("2021-03-04")
        );
        assert_eq!(
            read(Some(DateOrder::DayFirst)).as_deref(),
            Some("2021-04-03")
        );
        assert_eq!(read(None), None, "ambiguous");
    }

    #[test]
    fn a_date_element_is_read_and_an_update_comes_last() {
        let body = r#"<header><span class="masthead">Friday 9 June 2023</span></header>
            <h1>Sea wall repaired</h1>
            <div class="article-meta"><span>Updated 8 June 2023</span></div>
            <div class="post-date">Posted <b>7</b> June 2023</div>
            <p>The wall was repaired.</p>"#;
        assert_eq!(date_of("", body).as_deref(), Some("2023-06-07"));
    }

    #[test]
    fn no_date_in_the_future_or_far_from_the_headline() {
        let body = r#"<h1>Plans</h1><p class="date">1 January 2999</p><p>Text.</p>"#;
        assert_eq!(date_of("", body), None);
        let far = format!(
            "<h1>Plans</h1>{}<p>The plan dates from 3 May 2001.</p>",
            "<p>More text.</p>".repeat(NEAR_HEADLINE + 5)
        );
        assert_eq!(date_of("", &far), None);
        let tagged = r#"<meta name="date" content="1985-06-01">"#;
        assert_eq!(date_of(tagged, "").as_deref(), Some("1985-06-01"));
        // A date box a few lines above the headline is the story's.
        let above = format!(
            "<div><span>14. Februar 2012</span></div>{}<h1>Plans</h1><p>Text.</p>",
            "<p>Menu item</p>".repeat(8)
        );
        assert_eq!(date_of("", &above).as_deref(), Some("2012-02-14"));
        assert!(believable("2999-01-01", None, Kind::Tagged, day(2024, Month::May, 1)).is_err());
    }
}
