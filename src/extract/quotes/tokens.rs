//! Words and punctuation of a stretch of text, with byte offsets, for
//! the attribution rules: "Mr." and "U.S." stay one word, a sentence's
//! full stop does not.

/// A word or a punctuation character.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token<'a> {
    pub text: &'a str,
    pub start: usize,
    pub end: usize,
}

impl Token<'_> {
    pub fn is_word(&self) -> bool {
        self.text.chars().next().is_some_and(char::is_alphanumeric)
    }

    pub fn is(&self, punct: char) -> bool {
        self.text.len() == punct.len_utf8() && self.text.starts_with(punct)
    }

    /// Starts with an upper-case letter (or is a number-less initial).
    pub fn is_capitalised(&self) -> bool {
        self.text.chars().next().is_some_and(char::is_uppercase)
    }

    /// Ends a sentence: a full stop, question or exclamation mark.
    pub fn ends_sentence(&self) -> bool {
        self.is('.') || self.is('?') || self.is('!') || self.is('…')
    }

    /// The word lower-cased, without a trailing full stop.
    pub fn lower(&self) -> String {
        self.text.trim_end_matches('.').to_lowercase()
    }
}

/// The tokens of `text`, whose first byte is at `base` in the body.
pub fn tokenize(text: &str, base: usize) -> Vec<Token<'_>> {
    tokenize_until(text, base, |_| false)
}

/// The tokens of `text` before the first that `stop` accepts: the rest
/// of the text is not read.
pub fn tokenize_until<'a>(
    text: &'a str,
    base: usize,
    stop: impl Fn(&Token<'a>) -> bool,
) -> Vec<Token<'a>> {
    let mut out = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c.is_whitespace() {
            continue;
        }
        if !c.is_alphanumeric() {
            let end = i + c.len_utf8();
            let token = Token {
                text: &text[i..end],
                start: base + i,
                end: base + end,
            };
            if stop(&token) {
                break;
            }
            out.push(token);
            continue;
        }
        let mut end = i + c.len_utf8();
        while let Some(&(j, d)) = chars.peek() {
            let joins = d.is_alphanumeric()
                || (matches!(d, '\'' | '’' | '-' | '.' | '&')
                    && text[j + d.len_utf8()..]
                        .chars()
                        .next()
                        .is_some_and(char::is_alphanumeric));
            if !joins {
                break;
            }
            end = j + d.len_utf8();
            chars.next();
        }
        // A full stop after an abbreviation, an initial or a dotted
        // acronym belongs to the word.
        if text[end..].starts_with('.') {
            let word = &text[i..end];
            let lower = word.to_lowercase();
            let initial = word.chars().count() == 1 && word.chars().all(char::is_uppercase);
            // "(R-Fla.)": a stop before a closing bracket abbreviates, and
            // so does one before a comma ("Jo Roe, R-Ky., said").
            let bracket = text[end + 1..].starts_with([')', ',']);
            // "No. 2" is a number, not the end of a sentence.
            let number = lower == "no"
                && text[end + 1..]
                    .trim_start()
                    .starts_with(|c: char| c.is_ascii_digit());
            if initial
                || bracket
                || number
                || word.contains('.')
                || crate::extract::abbreviations::is_abbreviation(&lower)
            {
                end += 1;
                chars.next();
            }
        }
        let token = Token {
            text: &text[i..end],
            start: base + i,
            end: base + end,
        };
        if stop(&token) {
            break;
        }
        out.push(token);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn abbreviations_keep_their_stops() {
        let t: Vec<_> = tokenize("Mr. J.R. Smith of the U.S. said no. Then", 0)
            .iter()
            .map(|t| t.text)
            .collect();
        assert_eq!(
            t,
            ["Mr.", "J.R.", "Smith", "of", "the", "U.S.", "said", "no", ".", "Then"]
        );
        let t: Vec<_> = tokenize("it’s O'Neil's call, he said.", 10)
            .iter()
            .map(|t| t.text)
            .collect();
        assert_eq!(t, ["it’s", "O'Neil's", "call", ",", "he", "said", "."]);
        let t: Vec<_> = tokenize("Jo Roe, D-Wyo., said", 0)
            .iter()
            .map(|t| t.text)
            .collect();
        assert_eq!(t, ["Jo", "Roe", ",", "D-Wyo.", ",", "said"]);
    }

    #[test]
    fn offsets_point_into_the_body() {
        let t = tokenize("a “b”", 5);
        assert_eq!((t[1].start, t[1].end), (7, 10));
    }
}
