//! Page furniture taken out of a page before its main text is found: the
//! rules of trafilatura (its discard lists of tags and of class and id
//! names, its link-density test), which Readability alone does not apply.
//!
//! Trafilatura applies its rules inside the element it takes for the
//! story; here they apply to the whole page, so the story's own container
//! and its ancestors are kept whatever their names say ("post-wrapper
//! has-sidebar"), and so is any element that holds most of the page's text.

use dom_query::{Document, LocalName, NodeData, NodeId, NodeRef};
use rustc_hash::FxHashMap;

/// Tags that are never story text (trafilatura's `MANUALLY_CLEANED`, less
/// what the date and title readers need, which read the page before).
const FURNITURE_TAGS: &[&str] = &[
    "aside",
    "footer",
    "nav",
    "menu",
    "form",
    "figure",
    "figcaption",
    "iframe",
    "embed",
    "object",
    "button",
    "select",
    "option",
    "textarea",
    "input",
    "label",
    "fieldset",
    "dialog",
    "noscript",
    "svg",
    "canvas",
    "video",
    "audio",
    "map",
    "time",
];

/// Tags whose class and id names are read (trafilatura's `div`, `list`,
/// `item`, `p`, `section`, `span`).
const NAMED_TAGS: &[&str] = &[
    "div", "section", "span", "p", "ul", "ol", "dl", "li", "aside",
];

/// Parts of class or id names that mark furniture, wherever they stand in
/// the name (trafilatura's `OVERALL_DISCARD_XPATH`, `TEASER_DISCARD_XPATH`,
/// `DISCARD_IMAGE_ELEMENTS` and its comment lists).
const CONTAINS: &[&str] = &[
    "footer",
    "related",
    "viral",
    "social",
    "sociable",
    "syndication",
    "embed",
    "newsletter",
    "subnav",
    "cookie",
    "tags",
    "tag-list",
    "sidebar",
    "banner",
    "meta",
    "menu",
    "navigation",
    "navbar",
    "navbox",
    "breadcrumb",
    "bread-crumb",
    "author",
    "button",
    "byline",
    "rating",
    "widget",
    "attachment",
    "timestamp",
    "user-info",
    "user-profile",
    "-ad-",
    "-icon",
    "article-infos",
    "infoline",
    "outbrain",
    "taboola",
    "criteo",
    "consent",
    "modal-content",
    "permission",
    "most-popular",
    "message-container",
    "overlay",
    "paid-content",
    "paidcontent",
    "obfuscated",
    "blurred",
    "caption",
    "share-",
    "article-comments",
    "post-comments",
    "comments-title",
    "nocomments",
    "-reply-",
    "akismet",
    "suggest-links",
    "-hide-",
    "hide-print",
    "noprint",
    "no-print",
    "notloaded",
];

/// Parts of class or id names that mark furniture when the element holds
/// a link: a teaser or widget without one is the story's lead or a quote
/// set off from its text.
const CONTAINS_WITH_LINKS: &[&str] = &["teaser", "widget"];

/// Beginnings of class or id names that mark furniture.
const STARTS: &[&str] = &[
    "shar", "nav", "post-nav", "jp-", "comment", "comol", "disqus", "dsq-", "reply-", "hide-",
];

/// Whole class names that mark furniture.
const CLASSES: &[&str] = &["ad", "hidden", "hide"];

/// What an element holds, counted once for the whole page.
#[derive(Debug, Default, Clone, Copy)]
struct Counts {
    /// Characters of text, runs of white space counted as one.
    text: usize,
    /// Characters of text inside `<p>`.
    para: usize,
    /// Characters of text inside links.
    link_text: usize,
    /// Links with text, and those of fewer than 10 characters.
    links: usize,
    short_links: usize,
    tables: usize,
}

impl std::ops::AddAssign for Counts {
    fn add_assign(&mut self, o: Counts) {
        self.text += o.text;
        self.para += o.para;
        self.link_text += o.link_text;
        self.links += o.links;
        self.short_links += o.short_links;
        self.tables += o.tables;
    }
}

/// What is left of a page once its furniture is out.
pub(super) struct Stripped {
    /// The element that holds the story, if the page names one.
    pub story: Option<NodeId>,
    /// Characters of text left on the page (white space collapsed), at
    /// most: links judged to be furniture may have gone since.
    pub text: usize,
}

/// Takes page furniture out of `doc`.
pub(super) fn strip(doc: &Document) -> Stripped {
    let Some(body) = doc.body() else {
        return Stripped {
            story: None,
            text: 0,
        };
    };
    let mut counts = FxHashMap::default();
    let main = story(&body);
    let keep: Vec<NodeId> = main
        .map(|m| {
            std::iter::once(m.id)
                .chain(m.ancestors_it(None).map(|a| a.id))
                .collect()
        })
        .unwrap_or_default();
    let page = count(&body, &mut counts);
    let story_counts = main.and_then(|m| counts.get(&m.id).copied());
    let mut pass = Pass {
        counts,
        keep,
        main: main.map(|m| m.id),
        page,
        story: story_counts,
    };
    pass.by_name(&body, false);
    // Link density is judged on what is left, as trafilatura does.
    pass.counts.clear();
    pass.page = count(&body, &mut pass.counts);
    pass.story = pass.main.and_then(|m| pass.counts.get(&m).copied());
    pass.by_links(&body, false);
    Stripped {
        story: pass.main,
        text: pass.page.text,
    }
}

struct Pass {
    counts: FxHashMap<NodeId, Counts>,
    /// The story's container and its ancestors.
    keep: Vec<NodeId>,
    main: Option<NodeId>,
    page: Counts,
    story: Option<Counts>,
}

impl Pass {
    fn counts(&self, n: &NodeRef) -> Counts {
        self.counts.get(&n.id).copied().unwrap_or_default()
    }

    /// Whether `n` holds too much of the text to be furniture: half the
    /// story's (inside it) or half the page's.
    fn holds_the_text(&self, n: &NodeRef, in_story: bool) -> bool {
        let c = self.counts(n);
        let whole = match (in_story, self.story) {
            (true, Some(s)) => s,
            _ => self.page,
        };
        c.text * 2 > whole.text || (whole.para > 0 && c.para * 2 > whole.para)
    }

    fn by_name(&self, n: &NodeRef, in_story: bool) {
        for child in n.children() {
            if !child.is_element() {
                continue;
            }
            let in_story = in_story || self.main == Some(child.id);
            let kept = self.keep.contains(&child.id);
            if !kept && self.is_furniture(&child) && !self.holds_the_text(&child, in_story) {
                child.remove_from_parent();
                continue;
            }
            self.by_name(&child, in_story);
        }
    }

    fn by_links(&self, n: &NodeRef, in_story: bool) {
        for child in n.children() {
            if !child.is_element() {
                continue;
            }
            let in_story = in_story || self.main == Some(child.id);
            let kept = self.keep.contains(&child.id);
            if !kept && self.link_dense(&child) && !self.holds_the_text(&child, in_story) {
                child.remove_from_parent();
                continue;
            }
            self.by_links(&child, in_story);
        }
    }

    /// Whether an element is furniture by its tag, its names or its attributes.
    fn is_furniture(&self, n: &NodeRef) -> bool {
        let Some(name) = tag(n) else {
            return false;
        };
        let name = &*name;
        if name == "script" {
            // JSON-LD stays for Readability's metadata.
            return !n.attr("type").is_some_and(|t| t.contains("ld+json"));
        }
        if FURNITURE_TAGS.contains(&name) {
            return match name {
                // A table set as a figure is the story's.
                "figure" => self.counts(n).tables == 0,
                // A date inside a sentence is part of it ("on <time>Monday</time>").
                "time" => !n
                    .ancestors_it(Some(4))
                    .any(|a| matches!(tag(&a).as_deref(), Some("p" | "li" | "blockquote" | "td"))),
                _ => true,
            };
        }
        let attr = |a: &str| n.attr(a).map(|v| v.to_ascii_lowercase());
        if attr("aria-hidden").as_deref() == Some("true") {
            return true;
        }
        if let Some(style) = attr("style") {
            let style: String = style.chars().filter(|c| !c.is_whitespace()).collect();
            if style.contains("display:none") || style.contains("visibility:hidden") {
                return true;
            }
        }
        if !NAMED_TAGS.contains(&name) {
            return false;
        }
        let class = attr("class").unwrap_or_default();
        let id = attr("id").unwrap_or_default();
        let linked = self.counts(n).links > 0;
        [class.as_str(), id.as_str()].iter().any(|v| {
            !v.is_empty()
                && (CONTAINS.iter().any(|w| v.contains(w))
                    || (linked && CONTAINS_WITH_LINKS.iter().any(|w| v.contains(w)))
                    || v.split_whitespace()
                        .any(|c| STARTS.iter().any(|s| c.starts_with(s)) || CLASSES.contains(&c)))
        })
    }

    /// Trafilatura's link-density test: a short block that is mostly
    /// links, or mostly short links, is navigation.
    fn link_dense(&self, n: &NodeRef) -> bool {
        let Some(name) = tag(n) else {
            return false;
        };
        let kind = match &*name {
            "div" | "section" => Block::Div,
            "ul" | "ol" | "dl" => Block::List,
            "p" => Block::Para,
            _ => return false,
        };
        let c = self.counts(n);
        if c.links == 0 {
            return false;
        }
        let last = n.next_element_sibling().is_none();
        if c.links == 1 && c.link_text > 100 && c.link_text * 10 > c.text * 9 {
            return true;
        }
        let limit = match (kind, last) {
            (Block::Para, true) => 60,
            (Block::Para, false) => 30,
            (_, true) => 300,
            (_, false) => 100,
        };
        if c.text >= limit {
            return false;
        }
        if c.link_text * 10 > c.text * 8 || (c.links > 1 && c.short_links * 10 > c.links * 8) {
            return true;
        }
        // A short div of several parts with links in it.
        kind == Block::Div && c.text > 0 && c.text < 100 && n.element_children().len() >= 3
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Block {
    Div,
    List,
    Para,
}

/// Counts what each element under `n` holds; what `n` holds.
fn count(n: &NodeRef, out: &mut FxHashMap<NodeId, Counts>) -> Counts {
    let mut total = Counts::default();
    for child in n.children() {
        let text = child.query(|t| match &t.data {
            NodeData::Text { contents } => Some(collapsed_len(contents)),
            _ => None,
        });
        match text.flatten() {
            Some(len) => total.text += len,
            None if child.is_element() => total += count(&child, out),
            None => {}
        }
    }
    match tag(n).as_deref() {
        Some("p") => total.para = total.text,
        Some("table") => total.tables += 1,
        Some("a") if total.text > 0 => {
            total.link_text = total.text;
            total.links = 1;
            total.short_links = usize::from(total.text < 10);
        }
        Some("script" | "style" | "template") => total = Counts::default(),
        _ => {}
    }
    out.insert(n.id, total);
    total
}

/// An element's tag name (lower case, as the parser gives it).
fn tag(n: &NodeRef) -> Option<LocalName> {
    n.qual_name_ref().map(|q| q.local.clone())
}

/// Characters of `s` with each run of white space counted as one, and
/// none at either end (ASCII white space: what HTML collapses).
fn collapsed_len(s: &str) -> usize {
    let mut len = 0;
    let mut space = true;
    for &b in s.as_bytes() {
        if b.is_ascii_whitespace() {
            space = true;
        } else if b & 0xC0 != 0x80 {
            // The first byte of a character.
            if space && len > 0 {
                len += 1;
            }
            space = false;
            len += 1;
        }
    }
    len
}

/// Class and id names of the element that holds a story, most telling
/// first (trafilatura's `BODY_XPATH`).
const STORY_NAMES: &[&[&str]] = &[
    &[
        "post-text",
        "post_text",
        "post-body",
        "post-entry",
        "postentry",
        "post-content",
        "post_content",
        "postcontent",
        "post_inner_wrapper",
        "article-text",
        "articletext",
        "entry-content",
        "article-content",
        "article__content",
        "article-body",
        "article__body",
        "articlebody",
        "page-content",
        "text-content",
        "body-text",
        "article__container",
        "art-content",
    ],
    &[
        "post-bodycopy",
        "storycontent",
        "story-content",
        "story-body",
        "theme-content",
        "blog-content",
        "section-content",
        "single-content",
        "single-post",
        "main-column",
        "wpb_text_column",
        "field-body",
        "fulltext",
    ],
];

/// The element that holds the story, if the page names one.
fn story<'a>(body: &NodeRef<'a>) -> Option<NodeRef<'a>> {
    let candidates: Vec<NodeRef> = body
        .descendants_it()
        .filter(|d| {
            d.is_element()
                && matches!(
                    tag(d).as_deref(),
                    Some("article" | "div" | "main" | "section")
                )
        })
        .collect();
    let named = |n: &NodeRef, names: &[&str]| {
        if n.attr("itemprop").as_deref() == Some("articleBody") {
            return true;
        }
        ["class", "id"].iter().any(|a| {
            n.attr(a).is_some_and(|v| {
                let v = v.to_ascii_lowercase();
                names.iter().any(|w| v.contains(w))
            })
        })
    };
    candidates
        .iter()
        .find(|n| named(n, STORY_NAMES[0]))
        .or_else(|| {
            candidates
                .iter()
                .find(|n| tag(n).as_deref() == Some("article"))
        })
        .or_else(|| candidates.iter().find(|n| named(n, STORY_NAMES[1])))
        .copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stripped(html: &str) -> String {
        let doc = Document::from(html);
        strip(&doc);
        doc.select("body")
            .text()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }

    const STORY: &str = "<p>The council voted on Monday to close the old bridge to cars from May, \
        after engineers found cracks in two of its piers during the winter survey.</p>\
        <p>Cyclists and walkers may still cross it while the repairs go on.</p>";

    #[test]
    fn furniture_tags_and_names_go() {
        let page = format!(
            r#"<body><nav><a href="/">Home</a></nav><div class="entry-content">{STORY}
            <figure><img src="b.jpg"><figcaption>The bridge in 1950. Photo: Archive</figcaption></figure>
            <div class="share-buttons">Share on Facebook</div>
            <div class="post-author-box">About the author: Ann writes on transport.</div>
            <p class="image-caption">Foto: dpa</p></div>
            <div id="comments"><p>Great article, thanks!</p></div>
            <aside>Most read today</aside><footer>© 2024 The Paper</footer></body>"#
        );
        let text = stripped(&page);
        assert!(text.contains("cracks in two of its piers"), "{text}");
        assert!(text.contains("repairs go on"), "{text}");
        for gone in [
            "Home",
            "Photo",
            "Share on",
            "About the author",
            "Foto",
            "Great article",
            "Most read",
            "©",
        ] {
            assert!(!text.contains(gone), "{gone}: {text}");
        }
    }

    #[test]
    fn the_story_and_what_holds_it_stay_whatever_their_names() {
        // Wrappers named for furniture hold the story itself.
        let page = format!(
            r#"<body><div class="site-wrapper has-sidebar"><div class="post-meta-wrap">
            <article class="post">{STORY}</article></div>
            <div class="sidebar"><p>Other news</p></div></div></body>"#
        );
        let text = stripped(&page);
        assert!(text.contains("cracks in two of its piers"), "{text}");
        assert!(!text.contains("Other news"), "{text}");
        // A page that names no story keeps what holds most of its text.
        let page = format!(r#"<body><div class="l-sidebar-fixed">{STORY}</div></body>"#);
        assert!(stripped(&page).contains("repairs go on"));
    }

    #[test]
    fn a_teaser_is_furniture_only_with_a_link() {
        let page = format!(
            r#"<body><article><div class="teaser-text"><p>Drivers face a long detour from May.</p></div>{STORY}
            <div class="teaser"><a href="/ferry">Ferry fares rise again</a></div></article></body>"#
        );
        let text = stripped(&page);
        assert!(text.contains("long detour"), "{text}");
        assert!(!text.contains("Ferry fares"), "{text}");
    }

    #[test]
    fn a_date_in_a_sentence_stays_a_date_line_goes() {
        let page = format!(
            r#"<body><article><div class="when"><time datetime="2024-05-06">6 May 2024</time></div>{STORY}
            <p>The vote is on <time datetime="2024-05-13">Monday</time> at the town hall.</p></article></body>"#
        );
        let text = stripped(&page);
        assert!(!text.contains("6 May 2024"), "{text}");
        assert!(
            text.contains("The vote is on Monday at the town hall."),
            "{text}"
        );
    }

    #[test]
    fn a_table_set_as_a_figure_stays() {
        let page = format!(
            r#"<body><article>{STORY}<figure class="table"><table><tr><td>Pier 2</td><td>cracked</td></tr></table></figure></article></body>"#
        );
        assert!(stripped(&page).contains("Pier 2"));
    }

    #[test]
    fn short_blocks_of_links_go() {
        let page = format!(
            r#"<body><article>{STORY}<ul><li><a href="/a">Roads</a></li><li><a href="/b">Rail</a></li>
            <li><a href="/c">Ferries</a></li></ul>
            <p>Read the <a href="/report">engineers' report</a> on the council's site for the full survey.</p>
            </article></body>"#
        );
        let text = stripped(&page);
        assert!(!text.contains("Ferries"), "{text}");
        assert!(text.contains("engineers' report"), "{text}");
    }

    #[test]
    fn hidden_elements_and_scripts_go_json_ld_stays() {
        let page = format!(
            r#"<body><article>{STORY}<div style="display: none">Subscribe now</div>
            <div aria-hidden="true">Menu</div><script>var x = 1;</script>
            <script type="application/ld+json">{{"headline": "Bridge"}}</script></article></body>"#
        );
        let doc = Document::from(page.as_str());
        strip(&doc);
        let text = doc.select("body").text();
        assert!(!text.contains("Subscribe") && !text.contains("Menu") && !text.contains("var x"));
        assert!(doc.select(r#"script[type="application/ld+json"]"#).exists());
    }

    #[test]
    fn collapsed_lengths() {
        assert_eq!(collapsed_len("  a  b \n c "), 5);
        assert_eq!(collapsed_len("Grüße aus Köln"), 14);
        assert_eq!(collapsed_len(""), 0);
    }
}
