//! A web page's headline as the page shows it: the heading that the
//! page's own titles (`og:title`, JSON-LD `headline`, `<title>`) repeat,
//! or else the first of those titles with the site's name cut from either end.

use dom_query::Document;

use super::jsonld::LinkedData;
use super::meta_tags::MetaTags;

/// Headings read as candidates: the first few `<h1>`, then `<h2>` and
/// `<h3>` (blogs title their posts so, under the site's `<h1>`).
const MAX_H1: usize = 3;
const MAX_SUBHEADINGS: usize = 20;

/// The page's headline, if it has a title or a heading.
pub(super) fn page_title(doc: &Document, ld: &LinkedData, url: Option<&str>) -> Option<String> {
    let tags = MetaTags::read(doc);
    let meta = |v: Option<&str>| v.map(collapse).filter(|v| !v.is_empty());
    let sites = SiteNames::of(&tags, ld, url);
    let titles: Vec<String> = [
        meta(tags.property("og:title")),
        ld.headline.as_deref().map(collapse),
        meta(tags.name("twitter:title")),
        Some(collapse(&doc.select("head title").first().text())).filter(|t| !t.is_empty()),
    ]
    .into_iter()
    .flatten()
    .collect();
    let mut h1: Vec<String> = doc
        .select("article h1, main h1")
        .iter()
        .map(|h| collapse(&h.text()))
        .collect();
    if h1.is_empty() {
        h1 = doc
            .select("h1")
            .iter()
            .map(|h| collapse(&h.text()))
            .collect();
    }
    let mut headings: Vec<String> = h1
        .into_iter()
        .filter(|h| !h.is_empty() && !sites.names(h))
        .take(MAX_H1)
        .collect();
    let first_heading = headings.first().cloned();
    headings.extend(
        doc.select("h2, h3")
            .iter()
            .take(MAX_SUBHEADINGS)
            .map(|h| collapse(&h.text()))
            .filter(|h| !h.is_empty()),
    );
    for h in &headings {
        if titles.iter().any(|t| repeats(t, h, &sites)) {
            return Some(h.clone());
        }
    }
    titles.first().map(|t| sites.cut(t)).or(first_heading)
}

/// Whether a title is the heading, with or without what surrounds it
/// ("Heading | Site", "Section: Heading", a shorter or longer form).
fn repeats(title: &str, heading: &str, sites: &SiteNames) -> bool {
    let h = key(heading);
    if h.is_empty() {
        return false;
    }
    let cut = key(&sites.cut(title));
    if h == key(title) || h == cut || parts(title).iter().any(|p| key(p) == h) {
        return true;
    }
    // The heading opens or closes the title and is most of it.
    let long = h.chars().count() >= 10 && h.chars().count() * 5 >= cut.chars().count() * 2;
    long && (cut.starts_with(&h) || cut.ends_with(&h))
}

/// The names a site goes by on its pages: `og:site_name`, the
/// publisher's, the application's, and the host's.
struct SiteNames(Vec<String>);

impl SiteNames {
    fn of(tags: &MetaTags, ld: &LinkedData, url: Option<&str>) -> SiteNames {
        let mut names = Vec::new();
        for found in [
            tags.property("og:site_name"),
            tags.name("application-name"),
            tags.name("publisher"),
        ] {
            names.extend(found.map(key));
        }
        names.extend(ld.publisher.as_deref().map(key));
        if let Some(host) = url
            .and_then(|u| u.split_once("://"))
            .and_then(|(_, rest)| rest.split(['/', '?', '#']).next())
        {
            let host = host.strip_prefix("www.").unwrap_or(host);
            names.push(key(host));
            if let Some((name, _tld)) = host.rsplit_once('.') {
                names.push(key(name));
            }
        }
        names.retain(|n| !n.is_empty());
        SiteNames(names)
    }

    /// Whether a part of a title is the site's name, or the name and a
    /// word or two ("Site.de", "Site Blog").
    fn names(&self, part: &str) -> bool {
        let k = key(part);
        let n = k.chars().count();
        !k.is_empty()
            && self.0.iter().any(|s| {
                let m = s.chars().count();
                k == *s || (k.contains(s.as_str()) && n <= m + 6) || (n >= 4 && s.contains(&k))
            })
    }

    /// The title without the site's name at its end ("Heading | Site") or
    /// at its start ("Site » Blog » Heading": what follows the last separator).
    fn cut(&self, title: &str) -> String {
        let seps = separators(title);
        let (Some(first), Some(last)) = (seps.first(), seps.last()) else {
            return title.to_owned();
        };
        if self.names(&title[last.1..]) {
            return title[..last.0].trim().to_owned();
        }
        if self.names(&title[..first.0]) {
            return title[last.1..].trim().to_owned();
        }
        title.to_owned()
    }
}

/// The parts of a title between its separators.
fn parts(title: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut at = 0;
    for (start, end) in separators(title) {
        out.push(&title[at..start]);
        at = end;
    }
    out.push(&title[at..]);
    out.retain(|p| !p.trim().is_empty());
    out
}

/// Where a title's separators are (byte ranges, with their spaces): a
/// bar, a dash, a colon, a slash or a guillemet between spaces, or a bar,
/// a bullet or a guillemet with or without them.
fn separators(title: &str) -> Vec<(usize, usize)> {
    let chars: Vec<(usize, char)> = title.char_indices().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let (at, c) = chars[i];
        let spaced = |j: usize| chars.get(j).is_some_and(|(_, c)| c.is_whitespace());
        let always = matches!(c, '|' | '»' | '«' | '•' | '·');
        let between_spaces = matches!(c, '-' | '–' | '—' | ':' | '/' | '~')
            && i > 0
            && spaced(i - 1)
            && spaced(i + 1);
        if always || between_spaces {
            let mut s = i;
            while s > 0 && spaced(s - 1) {
                s -= 1;
            }
            let mut e = i + 1;
            while spaced(e) {
                e += 1;
            }
            let start = chars.get(s).map_or(title.len(), |(b, _)| *b).min(at);
            let end = chars.get(e).map_or(title.len(), |(b, _)| *b);
            match out.last_mut() {
                // "« - ": one separator, not two overlapping.
                Some((_, last_end)) if start <= *last_end => *last_end = end,
                _ if start > 0 && end < title.len() => out.push((start, end)),
                _ => {}
            }
            i = e;
        } else {
            i += 1;
        }
    }
    out
}

/// Text with its runs of white space made one space.
fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What two spellings of one title share: letters and digits, lower case.
fn key(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn title(head: &str, body: &str) -> Option<String> {
        let doc = Document::from(format!(
            "<html><head>{head}</head><body>{body}</body></html>"
        ));
        let ld = LinkedData::read(&doc);
        let url = doc
            .select(r#"link[rel="canonical"]"#)
            .attr("href")
            .map(|h| h.to_string());
        page_title(&doc, &ld, url.as_deref())
    }

    #[test]
    fn the_heading_the_titles_repeat_wins() {
        let head = r#"<title>Ferry back in service | Harbour Daily</title>
            <meta property="og:title" content="Ferry back in service after repairs">"#;
        let body = "<header><h1>Harbour Daily</h1></header><article><h1>Ferry  back in service</h1></article>";
        assert_eq!(title(head, body).as_deref(), Some("Ferry back in service"));
    }

    #[test]
    fn site_names_are_cut_from_either_end() {
        let og = r#"<meta property="og:site_name" content="Harbour Daily">"#;
        for t in [
            "Ferry back in service | Harbour Daily",
            "Ferry back in service - Harbour Daily",
            "Ferry back in service – HarbourDaily.com",
            "Harbour Daily » News » Ferry back in service",
        ] {
            let head = format!("{og}<title>{t}</title>");
            assert_eq!(
                title(&head, "<p>Text.</p>").as_deref(),
                Some("Ferry back in service"),
                "{t}"
            );
        }
        let host = r#"<link rel="canonical" href="https://www.harbour-news.org/ferry"><title>Ferry back - harbour-news.org</title>"#;
        assert_eq!(title(host, "").as_deref(), Some("Ferry back"));
        let no_site = "<title>Ferries: a history - part 2</title>";
        assert_eq!(
            title(no_site, "").as_deref(),
            Some("Ferries: a history - part 2")
        );
    }

    #[test]
    fn json_ld_headline_and_blog_headings() {
        let head = r#"<script type="application/ld+json">{"@type": "BlogPosting", "headline": "Notes on the sea wall"}</script>
            <title>My Harbour Blog</title><meta property="og:site_name" content="My Harbour Blog">"#;
        let body = "<h1>My Harbour Blog</h1><h2>Archive</h2><h3>Notes on the sea wall</h3>";
        assert_eq!(title(head, body).as_deref(), Some("Notes on the sea wall"));
        assert_eq!(
            title("", "<h1>Only a heading</h1>").as_deref(),
            Some("Only a heading")
        );
        assert_eq!(title("", "<p>Nothing</p>"), None);
    }

    #[test]
    fn separators_inside_words_are_not_cut() {
        assert_eq!(separators("Anti-A100 activist: a year on"), vec![]);
        assert_eq!(parts("A | B — C"), vec!["A", "B", "C"]);
        assert_eq!(parts("|A|"), vec!["|A|"]);
        assert_eq!(
            parts("»Keep it clean!« - Sailing Blog"),
            vec!["»Keep it clean!", "Sailing Blog"]
        );
    }
}
