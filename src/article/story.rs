//! The story's own text as trafilatura reads it: the paragraphs, headings,
//! lists, quotes and table cells of the element the page names as its
//! story, and how that text is weighed against Readability's.
//!
//! Readability scores every block of the page and can settle on the wrong
//! one (a list of signatories, a login box); a page that names its story
//! (`entry-content`, `article-body`, `<article>`) is read from there unless
//! Readability finds far more text, trafilatura's `compare_extraction`.

use dom_query::NodeRef;

/// Elements whose text is a paragraph of the story.
const BLOCKS: &[&str] = &[
    "p",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "dt",
    "dd",
    "blockquote",
    "pre",
    "td",
    "th",
    "caption",
];

/// A story's text shorter than this takes the text of its bare `<div>`s
/// too (trafilatura's `min_extracted_size` times three).
const SHORT: usize = 750;

/// Text this short is not worth a comparison (trafilatura's
/// `min_extracted_size` times two).
const MIN_TEXT: usize = 500;

/// What the story's own element holds.
#[derive(Default)]
pub(super) struct Story {
    /// The paragraphs, each whether it is a heading.
    blocks: Vec<(String, bool)>,
    pub text: String,
    /// Bytes of text in `<p>`, how many `<p>` and how many tables.
    para: usize,
    paras: usize,
    tables: usize,
}

impl Story {
    /// Reads the story's paragraphs from its element.
    pub(super) fn read(root: &NodeRef) -> Story {
        let mut story = Story::default();
        story.walk(root, false);
        if story.para < SHORT {
            story = Story::default();
            story.walk(root, true);
        }
        // A heading at the end heads what was taken out ("Mehr zum
        // Thema" over its links): trafilatura drops it.
        while story.blocks.last().is_some_and(|(_, heading)| *heading) {
            story.blocks.pop();
        }
        story.text = story
            .blocks
            .iter()
            .map(|(t, _)| t.as_str())
            .collect::<Vec<_>>()
            .join("\n\n");
        story
    }

    fn walk(&mut self, n: &NodeRef, divs: bool) {
        for child in n.children() {
            if !child.is_element() {
                continue;
            }
            let Some(name) = child.node_name() else {
                continue;
            };
            let name = name.to_ascii_lowercase();
            if matches!(
                name.as_str(),
                "script" | "style" | "noscript" | "template" | "h1"
            ) {
                // The headline is the title, not the body.
                continue;
            }
            if name == "table" {
                self.tables += 1;
            }
            let leaf_div = divs
                && name == "div"
                && !child
                    .children()
                    .iter()
                    .any(|c| c.is_element() && !is_inline(c));
            if BLOCKS.contains(&name.as_str()) || leaf_div {
                let text = child.formatted_text();
                let text = text.trim();
                if !text.is_empty() && !is_link(&child, text) {
                    if name == "p" {
                        self.para += text.len();
                        self.paras += 1;
                    }
                    let heading = matches!(name.as_str(), "h2" | "h3" | "h4" | "h5" | "h6");
                    self.blocks.push((text.to_owned(), heading));
                }
                // A list inside a list item is read with it.
                continue;
            }
            self.walk(&child, divs);
        }
    }

    /// Whether this text is the page's whatever Readability finds, which
    /// is never more than the `page` characters left on the page: more
    /// than half of them are the story's, in paragraphs. Readability need
    /// not run then.
    pub(super) fn wins_outright(&self, page: usize) -> bool {
        self.paras > 0 && self.tables <= self.paras && 2 * self.text.chars().count() >= page
    }

    /// Whether this text is the page's rather than Readability's
    /// (`readability`, its text): trafilatura's choice between its own
    /// extraction and Readability's.
    pub(super) fn beats(&self, readability: &str) -> bool {
        let own = self.text.len();
        let algo = readability.trim().len();
        if algo == 0 || algo == own {
            return own > 0;
        }
        if own == 0 {
            return false;
        }
        if own > 2 * algo {
            return true;
        }
        if algo > 2 * own {
            return false;
        }
        if self.paras == 0 && algo > MIN_TEXT {
            return false;
        }
        !(self.tables > self.paras && algo > MIN_TEXT)
    }
}

/// Words of class and id names that mark a story's lead (the paragraph
/// under the headline that sums the story up).
const LEAD_NAMES: &[&str] = &[
    "intro",
    "lead",
    "lede",
    "preface",
    "standfirst",
    "teaser",
    "teasertext",
    "abstract",
    "summary",
    "dek",
];

/// Elements after the headline where a lead may stand.
const LEAD_WINDOW: usize = 40;

/// The story's lead, when the page marks one just under its headline: a
/// paragraph of prose without links in an element named for a lead
/// ("teaser-text", "article-intro", "c-page-intro__copy", "preface").
/// Both Readability and the story's container often leave it out, as it
/// stands between the headline and the story's own element.
pub(super) fn lead(body: &NodeRef) -> Option<String> {
    let mut after_headline = None;
    for (i, n) in body
        .descendants_it()
        .filter(NodeRef::is_element)
        .enumerate()
    {
        if after_headline.is_none() {
            if n.node_name().as_deref() == Some("h1") {
                after_headline = Some(i);
            }
            continue;
        }
        if after_headline.is_some_and(|h| i > h + LEAD_WINDOW) {
            return None;
        }
        let named = ["class", "id"].iter().any(|a| {
            n.attr(a).is_some_and(|v| {
                v.to_ascii_lowercase()
                    .split(|c: char| !c.is_ascii_alphanumeric())
                    .any(|w| LEAD_NAMES.contains(&w))
            })
        });
        if !named {
            continue;
        }
        let sel = dom_query::Selection::from(n);
        if sel.select("a").exists() {
            continue;
        }
        let text = n.formatted_text();
        let text = text.trim();
        let prose = text.chars().count() >= 80
            && text.ends_with(['.', '!', '?', '…', '"', '”', '“', '»', '«', ')'])
            && !text.contains("\n\n");
        if prose {
            return Some(text.to_owned());
        }
    }
    None
}

/// Whether a paragraph or list item is one link and nothing else: a
/// teaser of another story.
fn is_link(n: &NodeRef, text: &str) -> bool {
    if !matches!(
        n.node_name().as_deref(),
        Some("li" | "p" | "dt" | "dd" | "h2" | "h3" | "h4" | "h5" | "h6")
    ) {
        return false;
    }
    let links = dom_query::Selection::from(*n).select("a");
    links.length() == 1
        && links.text().split_whitespace().count() == text.split_whitespace().count()
}

/// Elements that sit inside a line of text.
fn is_inline(n: &NodeRef) -> bool {
    matches!(
        n.node_name().as_deref(),
        Some(
            "a" | "b"
                | "i"
                | "em"
                | "strong"
                | "span"
                | "small"
                | "sub"
                | "sup"
                | "br"
                | "u"
                | "abbr"
                | "code"
                | "mark"
                | "q"
                | "cite"
                | "font"
                | "img"
        )
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use dom_query::Document;

    fn story(html: &str) -> Story {
        let doc = Document::from(html);
        let root = doc.select("article");
        Story::read(&root.nodes()[0])
    }

    #[test]
    fn paragraphs_lists_and_cells_are_read_the_headline_and_links_are_not() {
        let s = story(
            r#"<article><h1>Bridge closes</h1>
            <p>The council voted to close the bridge.</p><h2>What changes</h2>
            <ul><li>Buses take the ring road.</li><li><a href="/x">Ferry fares rise</a></li></ul>
            <table><tr><td>Pier 2</td></tr></table><h3>Read more</h3></article>"#,
        );
        assert_eq!(
            s.text,
            "The council voted to close the bridge.\n\nWhat changes\n\nBuses take the ring road.\n\nPier 2"
        );
    }

    #[test]
    fn a_short_story_takes_the_text_of_its_divs_too() {
        let s = story("<article><div>Only a line in a <b>div</b>.</div></article>");
        assert_eq!(s.text, "Only a line in a div.");
    }

    #[test]
    fn a_lead_under_the_headline_is_found() {
        let lead_of = |html: &str| {
            let doc = Document::from(html);
            lead(&doc.body().unwrap())
        };
        let intro = "The council closed the old bridge to cars on Monday after engineers found cracks in two piers.";
        let page = format!(
            r#"<body><h1>Bridge closes</h1><div class="article-intro"><p>{intro}</p></div>
            <div class="entry-content"><p>Story.</p></div></body>"#
        );
        assert_eq!(lead_of(&page).as_deref(), Some(intro));
        // A teaser with a link is another story's.
        let page = format!(
            r#"<body><h1>Bridge closes</h1><div class="teaser"><a href="/x">{intro}</a></div></body>"#
        );
        assert_eq!(lead_of(&page), None);
        // Before the headline, or not prose, it is no lead.
        let page = format!(
            r#"<body><div class="intro"><p>{intro}</p></div><h1>Bridge closes</h1></body>"#
        );
        assert_eq!(lead_of(&page), None);
        let page =
            r#"<body><h1>Bridge closes</h1><div class="lead">Bridge · Roads · City</div></body>"#;
        assert_eq!(lead_of(page), None);
    }

    #[test]
    fn a_story_of_half_the_page_wins_without_readability() {
        let s = story(&format!(
            "<article><p>{}</p></article>",
            "word ".repeat(200)
        ));
        let len = s.text.chars().count();
        assert!(s.wins_outright(2 * len));
        assert!(!s.wins_outright(2 * len + 1));
        let cells = story("<article><p>One line.</p><table><tr><td>a</td></tr></table><table><tr><td>b</td></tr></table></article>");
        assert!(!cells.wins_outright(1), "more tables than paragraphs");
        let no_paragraphs = story("<article><li>Only a list item of words.</li></article>");
        assert!(!no_paragraphs.wins_outright(1));
    }

    #[test]
    fn the_longer_text_wins_unless_close() {
        let s = story(&format!(
            "<article><p>{}</p></article>",
            "word ".repeat(200)
        ));
        assert!(s.beats(&"x".repeat(400)), "more than twice Readability's");
        assert!(!s.beats(&"x".repeat(3000)), "less than half Readability's");
        assert!(s.beats(&"x".repeat(1500)), "close: the page's own");
        assert!(s.beats(""));
        let empty = story("<article></article>");
        assert!(!empty.beats("Readability's text"));
    }
}
