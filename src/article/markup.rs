//! Bounds an HTML page before the DOM parser sees it: nesting capped as
//! browsers cap it, and scripts, styles and comments dropped from a large
//! page, so that no page can stall the parser or the main-text extractor.
//!
//! html5ever's tree builder scans its stack of open elements for most
//! tags, and the main-text extractor walks ancestors: both are quadratic
//! in nesting depth (12,000 nested `<div>` took 25 s, 100,000 over 30 s
//! in html5ever alone). Chrome stops nesting at 512; pages in the wild
//! rarely pass 40. The page is read once by html5ever's tokenizer (linear)
//! and written again only when it is too deep or too large.

use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::collections::HashMap;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, EndTag, StartTag, Tag, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use html5ever::LocalName;

/// Elements deeper than this are left out (their text stays, in the
/// element at this depth).
pub const MAX_DEPTH: usize = 256;

/// A page larger than this loses its scripts, styles and comments (which
/// the text never needs; JSON-LD metadata is kept) before it is parsed.
pub const SHRINK_BYTES: usize = 1024 * 1024;

/// What bounding did to a page.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Bounded<'a> {
    pub html: Cow<'a, str>,
    /// Start tags left out for being nested deeper than [`MAX_DEPTH`].
    pub flattened: usize,
}

/// The page as the DOM parser may safely read it.
pub fn bound(html: &str) -> Bounded<'_> {
    let shrink = html.len() > SHRINK_BYTES;
    if !shrink && !too_deep(html) {
        return Bounded {
            html: Cow::Borrowed(html),
            flattened: 0,
        };
    }
    let sink = Writer {
        shrink,
        ..Writer::default()
    };
    let sink = run(html, sink);
    Bounded {
        html: Cow::Owned(sink.out.into_inner()),
        flattened: sink.dropped_total.get(),
    }
}

/// Whether the page nests deeper than [`MAX_DEPTH`], by a scan of its
/// bytes: tags, comments and raw text as the tokenizer reads them, at a
/// tenth of its cost (the tokenizer would add a quarter to the parse of an
/// ordinary page). Only its order of magnitude matters: the parser slows
/// down at thousands of levels, not at 257.
fn too_deep(html: &str) -> bool {
    let b = html.as_bytes();
    let stack: Stack = Stack::default();
    let mut name = String::new();
    let mut i = 0;
    while let Some(at) = memchr::memchr(b'<', &b[i..]) {
        i += at + 1;
        if b[i..].starts_with(b"!--") {
            i = find(b, i + 3, b"-->").map_or(b.len(), |e| e + 3);
            continue;
        }
        let end_tag = b.get(i) == Some(&b'/');
        let start = i + usize::from(end_tag);
        let len = b[start..]
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric() || **c == b'-')
            .count();
        if len == 0 || !b[start].is_ascii_alphabetic() {
            continue;
        }
        name.clear();
        name.extend(
            b[start..start + len]
                .iter()
                .map(|c| c.to_ascii_lowercase() as char),
        );
        let tag_end = tag_end(b, start + len);
        i = tag_end;
        let local = LocalName::from(name.as_str());
        if end_tag {
            stack.close(&local);
            continue;
        }
        let self_closing = tag_end >= 2 && b[tag_end - 2] == b'/';
        if is_void(&local) || self_closing {
            continue;
        }
        if stack.open(&local) > MAX_DEPTH {
            return true;
        }
        if raw_kind(&local).is_some() {
            // Raw text runs to its own end tag.
            let close = format!("</{name}");
            i = find_ignore_case(b, i, close.as_bytes()).unwrap_or(b.len());
        }
    }
    false
}

/// Where a tag that began before `from` ends: after its `>`, outside
/// quoted attribute values.
fn tag_end(b: &[u8], from: usize) -> usize {
    let mut quote = None;
    for (k, &c) in b[from..].iter().enumerate() {
        match (quote, c) {
            (None, b'"' | b'\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, b'>') => return from + k + 1,
            _ => {}
        }
    }
    b.len()
}

fn find(b: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(b.get(from..)?, needle).map(|k| from + k)
}

/// Where `needle` (an end tag's `</name`) next occurs, in any case.
fn find_ignore_case(b: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    let mut at = from;
    loop {
        at = find(b, at, b"</")?;
        if b[at..].len() >= needle.len() && b[at..at + needle.len()].eq_ignore_ascii_case(needle) {
            return Some(at);
        }
        at += 2;
    }
}

fn run<S: TokenSink<Handle = ()>>(html: &str, sink: S) -> S {
    let tokenizer = Tokenizer::new(sink, TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink
}

/// Elements that never have content.
fn is_void(name: &LocalName) -> bool {
    matches!(
        &**name,
        "area"
            | "base"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "input"
            | "keygen"
            | "link"
            | "meta"
            | "param"
            | "source"
            | "track"
            | "wbr"
    )
}

/// Elements whose start closes an open `<p>` (HTML's "close a p element").
fn closes_p(name: &LocalName) -> bool {
    matches!(
        &**name,
        "address"
            | "article"
            | "aside"
            | "blockquote"
            | "details"
            | "div"
            | "dl"
            | "fieldset"
            | "figure"
            | "footer"
            | "form"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "header"
            | "hr"
            | "main"
            | "nav"
            | "ol"
            | "p"
            | "pre"
            | "section"
            | "table"
            | "ul"
    )
}

/// Elements an open one of the same family ends ("<li>a<li>b").
fn family(name: &LocalName) -> Option<&'static [&'static str]> {
    Some(match &**name {
        "li" => &["li"],
        "dt" | "dd" => &["dt", "dd"],
        "td" | "th" => &["td", "th"],
        "tr" => &["tr", "td", "th"],
        "option" => &["option"],
        _ => return None,
    })
}

/// How raw text elements switch the tokenizer, as the tree builder would.
fn raw_kind(name: &LocalName) -> Option<TokenSinkResult<()>> {
    Some(match &**name {
        "script" => TokenSinkResult::RawData(RawKind::ScriptData),
        "style" | "xmp" | "iframe" | "noembed" | "noframes" | "noscript" => {
            TokenSinkResult::RawData(RawKind::Rawtext)
        }
        "textarea" | "title" => TokenSinkResult::RawData(RawKind::Rcdata),
        "plaintext" => TokenSinkResult::Plaintext,
        _ => return None,
    })
}

/// The open elements, as far as nesting goes: HTML's implied end tags are
/// followed for the common cases, so that a page of unclosed `<p>` and
/// `<li>` is not taken for a deep one.
#[derive(Default)]
struct Stack {
    open: RefCell<Vec<LocalName>>,
}

impl Stack {
    /// Opens `name`; its depth.
    fn open(&self, name: &LocalName) -> usize {
        let mut open = self.open.borrow_mut();
        if closes_p(name) && open.last().is_some_and(|top| &**top == "p") {
            open.pop();
        }
        if let Some(family) = family(name) {
            // Only near the top: a list inside a list item is not closed.
            let near = open.len().saturating_sub(3);
            if let Some(i) = open[near..].iter().rposition(|n| family.contains(&&**n)) {
                open.truncate(near + i);
            }
        }
        open.push(name.clone());
        open.len()
    }

    /// Closes the innermost open `name`, if it is open.
    fn close(&self, name: &LocalName) {
        let mut open = self.open.borrow_mut();
        if let Some(i) = open.iter().rposition(|n| n == name) {
            open.truncate(i);
        }
    }

    fn depth(&self) -> usize {
        self.open.borrow().len()
    }
}

/// Writes the page again: tags past [`MAX_DEPTH`] left out with their
/// end tags, and with `shrink`, scripts (but JSON-LD), styles and comments.
#[derive(Default)]
struct Writer {
    shrink: bool,
    stack: Stack,
    out: RefCell<String>,
    /// Start tags left out, by name, whose end tags are to be left out too.
    dropped: RefCell<HashMap<LocalName, usize>>,
    dropped_total: Cell<usize>,
    /// Inside a raw text element: how its text is written, and whether
    /// it is dropped.
    raw: Cell<Option<(RawKind, bool)>>,
}

impl Writer {
    fn write_tag(&self, tag: &Tag) {
        let mut out = self.out.borrow_mut();
        out.push('<');
        if tag.kind == EndTag {
            out.push('/');
        }
        out.push_str(&tag.name);
        if tag.kind == StartTag {
            for attr in &tag.attrs {
                out.push(' ');
                if let Some(prefix) = &attr.name.prefix {
                    out.push_str(prefix);
                    out.push(':');
                }
                out.push_str(&attr.name.local);
                out.push_str("=\"");
                escape(&mut out, &attr.value, true);
                out.push('"');
            }
            if tag.self_closing {
                out.push_str(" /");
            }
        }
        out.push('>');
    }

    fn start(&self, tag: &Tag) -> TokenSinkResult<()> {
        let raw = raw_kind(&tag.name);
        if is_void(&tag.name) || tag.self_closing {
            self.write_tag(tag);
            return TokenSinkResult::Continue;
        }
        let skip = self.shrink
            && match &*tag.name {
                "style" => true,
                "script" => !tag
                    .attrs
                    .iter()
                    .any(|a| &*a.name.local == "type" && a.value.contains("ld+json")),
                _ => false,
            };
        if self.stack.depth() >= MAX_DEPTH {
            *self
                .dropped
                .borrow_mut()
                .entry(tag.name.clone())
                .or_default() += 1;
            self.dropped_total.set(self.dropped_total.get() + 1);
        } else {
            self.stack.open(&tag.name);
            if !skip {
                self.write_tag(tag);
            }
        }
        match raw {
            Some(TokenSinkResult::RawData(kind)) => {
                self.raw.set(Some((kind, skip)));
                TokenSinkResult::RawData(kind)
            }
            Some(other) => other,
            None => TokenSinkResult::Continue,
        }
    }

    fn end(&self, tag: &Tag) {
        let skip = self.raw.take().is_some_and(|(_, skip)| skip);
        {
            let mut dropped = self.dropped.borrow_mut();
            if let Some(n) = dropped.get_mut(&tag.name).filter(|n| **n > 0) {
                *n -= 1;
                return;
            }
        }
        self.stack.close(&tag.name);
        if !skip {
            self.write_tag(tag);
        }
    }
}

impl TokenSink for Writer {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        match token {
            Token::TagToken(tag) if tag.kind == StartTag => return self.start(&tag),
            Token::TagToken(tag) => self.end(&tag),
            Token::CharacterTokens(text) => match self.raw.get() {
                Some((_, true)) => {}
                // Script and style text is written as it came.
                Some((RawKind::ScriptData | RawKind::Rawtext, false)) => {
                    self.out.borrow_mut().push_str(&text)
                }
                _ => escape(&mut self.out.borrow_mut(), &text, false),
            },
            Token::CommentToken(text) if !self.shrink => {
                let mut out = self.out.borrow_mut();
                out.push_str("<!--");
                out.push_str(&text.replace("--", "- -"));
                out.push_str("-->");
            }
            Token::DoctypeToken(d) => {
                if let Some(name) = d.name {
                    let mut out = self.out.borrow_mut();
                    out.push_str("<!DOCTYPE ");
                    out.push_str(&name);
                    out.push('>');
                }
            }
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

/// Text or an attribute value as HTML again.
fn escape(out: &mut String, text: &str, attribute: bool) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' if !attribute => out.push_str("&lt;"),
            '>' if !attribute => out.push_str("&gt;"),
            '"' if attribute => out.push_str("&quot;"),
            '\u{a0}' => out.push_str("&nbsp;"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nested(n: usize) -> String {
        format!(
            "<html><body>{}<p>Deep text.</p>{}<p>After.</p></body></html>",
            "<div>".repeat(n),
            "</div>".repeat(n)
        )
    }

    #[test]
    fn ordinary_pages_are_not_rewritten() {
        let page = "<html><body><ul><li>a<li>b</ul><p>one<p>two<p>three</body></html>";
        assert!(matches!(bound(page).html, Cow::Borrowed(_)));
        // Unclosed paragraphs and list items are not depth.
        let many = format!("<body>{}</body>", "<p>text ".repeat(5 * MAX_DEPTH));
        assert!(!too_deep(&many));
        let items = format!("<ul>{}</ul>", "<li>item ".repeat(5 * MAX_DEPTH));
        assert!(!too_deep(&items));
    }

    #[test]
    fn deep_nesting_is_flattened_and_its_text_kept() {
        let page = nested(3 * MAX_DEPTH);
        assert!(too_deep(&page));
        let b = bound(&page);
        assert!(b.flattened > 2 * MAX_DEPTH, "{}", b.flattened);
        assert!(!too_deep(&b.html));
        let doc = dom_query::Document::from(&*b.html);
        let text = doc.select("body").text();
        assert!(
            text.contains("Deep text.") && text.contains("After."),
            "{text}"
        );
    }

    #[test]
    fn large_pages_lose_scripts_and_styles_but_not_json_ld() {
        let filler = "<p>Story text goes on.</p>".repeat(SHRINK_BYTES / 20);
        let page = format!(
            "<html><head><style>p {{ color: red }}</style>\
             <script type=\"application/ld+json\">{{\"headline\": \"H &amp; K\"}}</script>\
             <script>var x = \"</p>\" < 3;</script></head><body><!-- note -->\
             <p title=\"a &quot;b&quot;\">Tom &amp; Jerry &lt;3</p>{filler}</body></html>"
        );
        let b = bound(&page);
        assert!(b.html.len() < page.len());
        assert!(!b.html.contains("color: red") && !b.html.contains("var x"));
        assert!(!b.html.contains("note"));
        assert!(
            b.html.contains(r#"{"headline": "H &amp; K"}"#),
            "{}",
            &b.html[..300]
        );
        let doc = dom_query::Document::from(&*b.html);
        assert_eq!(doc.select("p").first().text().to_string(), "Tom & Jerry <3");
        assert_eq!(
            doc.select("p").first().attr("title").unwrap().to_string(),
            "a \"b\""
        );
    }

    #[test]
    fn tens_of_thousands_of_nested_tags_are_cut_to_the_limit() {
        let page = nested(20_000);
        let b = bound(&page);
        // html, body, the divs and the first p, less those kept.
        assert_eq!(b.flattened, 2 + 20_000 + 1 - MAX_DEPTH);
        let doc = dom_query::Document::from(&*b.html);
        assert!(doc.select("body").text().contains("Deep text."));
        let deepest = doc.select("p").nodes()[0].ancestors_it(None).count();
        assert!(deepest <= MAX_DEPTH + 2, "{deepest}");
    }
}
