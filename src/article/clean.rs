//! Text clean-up before parsing: Unicode normalisation, line endings,
//! control characters, and the trailing boilerplate of scraped pages.
//!
//! Curly quotes and dashes are kept in the text (quote extraction reads
//! them); search folds them in its analyzer.

use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

/// NFC, `\n` line endings, no control characters but `\n` and `\t`,
/// non-breaking and other odd spaces as plain spaces.
pub fn normalise(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    // Nearly all text is already composed: checking is far cheaper than
    // recomposing.
    let composed = is_nfc_quick(raw.chars()) == IsNormalized::Yes;
    let chars: Box<dyn Iterator<Item = char>> = if composed {
        Box::new(raw.chars())
    } else {
        Box::new(raw.nfc())
    };
    let mut chars = chars.peekable();
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

/// Lines that end the article on scraped pages: everything from the first
/// of them that stands alone on its line (after the article has started)
/// is dropped.
const BOILERPLATE: &[&str] = &[
    "source link",
    "leave a comment",
    "leave a reply",
    "share this",
    "share this:",
    "share this article",
    "related:",
    "related articles",
    "related posts",
    "read more:",
    "like this:",
    "click to share",
    "sign up for our newsletter",
];

/// The body without the trailing boilerplate of scraped pages.
pub fn drop_boilerplate(body: &str) -> &str {
    let mut offset = 0;
    for line in body.split_inclusive('\n') {
        let l = line.trim().trim_end_matches(':').to_lowercase();
        let is_boiler = BOILERPLATE.iter().any(|b| l == b.trim_end_matches(':'))
            || (l.starts_with("cartoons on ") && l.split_whitespace().count() <= 6);
        // Only once some article text has come: a body that starts with
        // "Related:" is still an article.
        if is_boiler && !body[..offset].trim().is_empty() {
            return body[..offset].trim_end();
        }
        offset += line.len();
    }
    body.trim_end()
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
    fn trailing_boilerplate_is_dropped() {
        let body = "The minister spoke.\n\nShe left.\n\nSource link\n\nMore junk";
        assert_eq!(drop_boilerplate(body), "The minister spoke.\n\nShe left.");
        let body = "Text here.\nShare this:\nTwitter\nFacebook";
        assert_eq!(drop_boilerplate(body), "Text here.");
        let body = "Text.\n\nCartoons on Donald Trump\n";
        assert_eq!(drop_boilerplate(body), "Text.");
    }

    #[test]
    fn boilerplate_words_inside_text_stay() {
        let body = "Readers can share this story.\nRelated: no, it is a sentence that goes on.";
        assert_eq!(drop_boilerplate(body), body);
    }
}
