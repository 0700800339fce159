//! Text clean-up before parsing: Unicode normalisation, mojibake, line
//! endings, control characters, and the trailing boilerplate of scraped
//! pages.
//!
//! Curly quotes and dashes are kept in the text (quote extraction reads
//! them); search folds them in its analyzer.

use std::borrow::Cow;

use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

use super::mojibake;

/// NFC, mis-decoded UTF-8 repaired, `\n` line endings, no control
/// characters but `\n` and `\t`, non-breaking and other odd spaces as
/// plain spaces.
pub fn normalise(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    // Mojibake is looked for in composed text: decomposed "A\u{303}" is
    // the "Ã" of a mis-decoded "é" all the same.
    let composed = nfc(raw);
    // Control characters go after the repair: a C1 control can be a byte
    // of the mis-decoded UTF-8.
    let repaired = match mojibake::repair(&composed) {
        // What the repair decodes can be decomposed in turn.
        Cow::Owned(fixed) => Some(nfc(&fixed).into_owned()),
        Cow::Borrowed(_) => None,
    };
    let mut chars = repaired.as_deref().unwrap_or(&composed).chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push('\n');
                }
            }
            '\n' | '\t' => out.push(c),
            '\u{00A0}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}' => {
                out.push(' ')
            }
            '\u{200B}' | '\u{FEFF}' | '\u{00AD}' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// The text in NFC.
fn nfc(text: &str) -> Cow<'_, str> {
    // Nearly all text is already composed: checking is far cheaper than
    // recomposing.
    if is_nfc_quick(text.chars()) == IsNormalized::Yes {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.nfc().collect())
    }
}

/// Lines of page furniture that, standing alone, may end the article on a
/// scraped page: what follows them is cut only when it is not article text.
const TRAILING: &[&str] = &[
    "source link",
    "leave a comment",
    "leave a reply",
    "share this",
    "share this article",
    "share this story",
    "related",
    "related articles",
    "related posts",
    "related stories",
    "related content",
    "read more",
    "more on this story",
    "you may also like",
    "recommended",
    "like this",
    "click to share",
    "sign up for our newsletter",
    "subscribe to our newsletter",
];

/// Lines of page furniture found anywhere in scraped text; they are
/// removed, and the text around them stays.
const FURNITURE: &[&str] = &[
    "advertisement",
    "story continues below advertisement",
    "story continues below",
    "article continued below",
    "article continues below",
    "article continues below advertisement",
    "continue reading below",
    "continue reading the main story",
    "scroll to continue with content",
    "skip advertisement",
];

/// Words that open a cross-link to another story ("READ MORE: Markets
/// slide as oil rises", "Watch: …"), when a colon or a dash follows them.
const CROSS_LINK: &[&str] = &[
    "read more",
    "read also",
    "also read",
    "read next",
    "related",
    "see also",
    "watch",
    "watch more",
    "listen",
    "more on this story",
    "recommended",
    "click here",
];

/// What a line of a scraped body is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Line {
    /// Furniture that may end the article ("Source link", "Related:").
    Trailing,
    /// Furniture to remove wherever it is (a cross-link, "Advertisement").
    Furniture,
    /// Article text, or what may be.
    Text,
}

fn classify(line: &str) -> Line {
    let l = line.trim().to_lowercase();
    let bare = l.trim_end_matches([':', ' ', '.']).trim();
    if bare.is_empty() {
        return Line::Text;
    }
    if TRAILING.contains(&bare) {
        return Line::Trailing;
    }
    if FURNITURE.contains(&bare) {
        return Line::Furniture;
    }
    let words = bare.split_whitespace().count();
    if bare.starts_with("cartoons on ") && words <= 6 {
        return Line::Furniture;
    }
    let cross_link = CROSS_LINK.iter().any(|marker| {
        l.strip_prefix(marker).is_some_and(|rest| {
            rest.trim_start()
                .strip_prefix([':', '|', '–', '—', '-', '»', '>'])
                .is_some_and(|link| !link.trim().is_empty())
        })
    });
    // A link is a headline, not a paragraph: short, and no sentence.
    if cross_link && words <= 24 && !is_sentence(line) {
        return Line::Furniture;
    }
    Line::Text
}

/// Whether a line reads as article text rather than a link or a label: a
/// sentence that ends as one, or a long run of words.
fn is_sentence(line: &str) -> bool {
    let t = line.trim();
    let words = t.split_whitespace().count();
    words >= 14
        || (words >= 3
            && t.ends_with(['.', '!', '?', '…', '"', '”', '’', '»', ')'])
            && !t.ends_with("..."))
}

/// The body without the furniture of scraped pages.
///
/// Cross-links and advertisement labels are removed wherever they stand,
/// as lines: the text after them stays. A line that may end the article
/// ("Source link", "Related stories", "Share this") ends it only when no
/// article text follows it (only short link-like lines, or nothing);
/// otherwise it goes alone, with the links that hang from it.
pub fn drop_boilerplate(body: &str) -> String {
    let lines: Vec<&str> = body.split('\n').collect();
    let kinds: Vec<Line> = lines.iter().map(|l| classify(l)).collect();
    let prose = |i: usize| kinds[i] == Line::Text && is_sentence(lines[i]);
    // Whether article text comes after each line.
    let mut text_after = vec![false; lines.len() + 1];
    for i in (0..lines.len()).rev() {
        text_after[i] = text_after[i + 1] || prose(i);
    }
    let mut out: Vec<&str> = Vec::with_capacity(lines.len());
    // Only once the article has started: a body that opens with
    // "Related:" is still an article.
    let mut started = false;
    // A removed line leaves no second blank line behind.
    let mut removed = false;
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        match kinds[i] {
            Line::Trailing if started && !text_after[i + 1] => break,
            Line::Trailing if started => {
                i += 1;
                while i < lines.len() && !prose(i) {
                    i += 1;
                }
                removed = true;
            }
            Line::Furniture if started => {
                i += 1;
                removed = true;
            }
            _ => {
                let blank = line.trim().is_empty();
                if !(blank && removed && out.last().is_none_or(|l| l.trim().is_empty())) {
                    out.push(line);
                }
                started |= !blank;
                removed &= blank;
                i += 1;
            }
        }
    }
    out.join("\n").trim_end().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_line_endings_and_spaces() {
        assert_eq!(normalise("a\r\nb\rc\u{00A0}d\u{0007}"), "a\nb\nc d");
    }

    #[test]
    fn composes_accents() {
        assert_eq!(normalise("Cafe\u{0301}"), "Café");
    }

    #[test]
    fn repairs_decomposed_mojibake_before_dropping_controls() {
        // "è" read as Windows-1252, then that read as Latin-1 and
        // decomposed: the C1 control is one of its bytes.
        assert_eq!(normalise("Mis\u{e8}re"), "Misère");
        assert_eq!(normalise("Mis\u{c3}\u{a8}re"), "Misère");
        assert_eq!(normalise("MisA\u{303}\u{83}A\u{302}\u{a8}re"), "Misère");
    }

    #[test]
    fn trailing_boilerplate_is_dropped() {
        let body = "The minister spoke.\n\nShe left.\n\nSource link\n\nMore junk";
        assert_eq!(drop_boilerplate(body), "The minister spoke.\n\nShe left.");
        let body = "Text here.\nShare this:\nTwitter\nFacebook";
        assert_eq!(drop_boilerplate(body), "Text here.");
        let body = "Text.\n\nCartoons on Donald Trump\n";
        assert_eq!(drop_boilerplate(body), "Text.");
        let body = "Text.\n\nRelated stories\n\nMarkets slide as oil rises\n\nBank holds rates";
        assert_eq!(drop_boilerplate(body), "Text.");
    }

    #[test]
    fn boilerplate_words_inside_text_stay() {
        let body = "Readers can share this story.\nRelated: no, it is a sentence that goes on and on for a while yet.";
        assert_eq!(drop_boilerplate(body), body);
        let body = "Related: a body that opens with it.\n\nThen text.";
        assert_eq!(drop_boilerplate(body), body);
    }

    #[test]
    fn a_cross_link_inside_the_article_is_a_line_not_a_cut() {
        let body = "First paragraph of the story.\n\nREAD MORE: Markets slide as oil rises\n\n\
                    The story goes on.\n\nCartoons on Ukraine and Russia\n\nAnd ends here.";
        assert_eq!(
            drop_boilerplate(body),
            "First paragraph of the story.\n\nThe story goes on.\n\nAnd ends here."
        );
        let body =
            "One.\n\nAdvertisement\n\nWatch: The moment the bridge fell\n\nTwo more words here.";
        assert_eq!(drop_boilerplate(body), "One.\n\nTwo more words here.");
    }

    #[test]
    fn a_furniture_heading_before_more_text_goes_with_its_links() {
        let body = "One.\n\nRelated stories\n\nBridge closed\n\nFerry fares rise\n\nThe vote is on Monday.";
        assert_eq!(drop_boilerplate(body), "One.\n\nThe vote is on Monday.");
        let body = "The council met.\n\nRelated:\nBridge closed for repairs\nFerry fares rise\n\n\
                    \"We will decide in May,\" the mayor said.\n\nSource link";
        assert_eq!(
            drop_boilerplate(body),
            "The council met.\n\n\"We will decide in May,\" the mayor said."
        );
    }
}
