//! Tokens and rough sentences of a body, with byte offsets, for the tagger.
//!
//! Punctuation and the possessive "'s" are split off the way news corpora tokenise.

use std::ops::Range;

/// One token: a slice of the body and where it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token<'a> {
    pub text: &'a str,
    pub start: usize,
    pub end: usize,
    /// First token of its line: datelines and bylines open lines.
    pub line_start: bool,
    /// The line holds letters and none of them is lower-case (headlines, datelines).
    pub caps_line: bool,
}

/// Opening punctuation that is a token of its own.
fn is_opening(c: char) -> bool {
    matches!(c, '"' | '\'' | '(' | '[' | '{' | '“' | '‘' | '«' | '`')
}

/// Closing punctuation that is a token of its own (the period is decided apart).
fn is_closing(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | ')' | ']' | '}' | '”' | '’' | '»' | ',' | ';' | ':' | '!' | '?'
    )
}

/// Whether the period ending `word` (which includes it) is part of the word:
/// initials ("J."), dotted acronyms ("U.S."), and known abbreviations.
fn keeps_period(word: &str) -> bool {
    let core = &word[..word.len() - 1];
    if core.is_empty() || core.ends_with('.') {
        return false;
    }
    let mut chars = core.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        return c.is_alphabetic();
    }
    if core.contains('.') && core.chars().all(|c| c.is_alphabetic() || c == '.') {
        return true;
    }
    let lower = core.to_ascii_lowercase();
    crate::extract::abbreviations::is_abbreviation(&lower)
}

/// Splits one whitespace-free chunk at `base` into tokens.
fn split_chunk(body: &str, base: usize, end: usize, out: &mut Vec<(usize, usize)>) {
    let mut s = base;
    let mut e = end;
    // Leading punctuation, one token per mark.
    while s < e {
        let c = body[s..e].chars().next().unwrap_or(' ');
        if is_opening(c) && s + c.len_utf8() < e {
            out.push((s, s + c.len_utf8()));
            s += c.len_utf8();
        } else {
            break;
        }
    }
    // Trailing punctuation, collected in reverse.
    let mut tail = Vec::new();
    while s < e {
        let word = &body[s..e];
        let c = word.chars().next_back().unwrap_or(' ');
        let n = c.len_utf8();
        if e - s == n {
            break;
        }
        if is_closing(c) || (c == '.' && !keeps_period(word)) {
            tail.push((e - n, e));
            e -= n;
        } else {
            break;
        }
    }
    // The possessive is a token of its own, as "Germany 's" in news corpora.
    let word = &body[s..e];
    let poss = ["'s", "’s", "'S", "’S"]
        .iter()
        .find(|p| word.len() > p.len() && word.ends_with(*p));
    match poss {
        Some(p) => {
            out.push((s, e - p.len()));
            out.push((e - p.len(), e));
        }
        None if s < e => out.push((s, e)),
        None => {}
    }
    out.extend(tail.into_iter().rev());
}

/// Whether a line has letters and no lower-case one.
fn is_caps_line(line: &str) -> bool {
    let mut letters = 0;
    for c in line.chars() {
        if c.is_lowercase() {
            return false;
        }
        if c.is_alphabetic() {
            letters += 1;
        }
    }
    letters >= 2
}

/// The tokens of a body, in order. In a hard-wrapped body a line that
/// goes on from a line of wrapping width is no new line ("Angela\nRuiz"
/// is one name), unless the line before ends a sentence.
pub fn tokenize(body: &str) -> Vec<Token<'_>> {
    let mut tokens = Vec::with_capacity(body.len() / 5);
    let mut spans = Vec::new();
    let mut line_start = 0;
    let wrapped = crate::extract::wrap::hard_wrapped(body);
    let mut previous: Option<&str> = None;
    for line in body.split_inclusive('\n') {
        let caps_line = is_caps_line(line);
        let goes_on = wrapped && !caps_line && previous.is_some_and(crate::extract::wrap::goes_on);
        previous = Some(line);
        let mut first = !goes_on;
        let mut chunk: Option<usize> = None;
        for (i, c) in line
            .char_indices()
            .chain(std::iter::once((line.len(), ' ')))
        {
            if c.is_whitespace() {
                if let Some(s) = chunk.take() {
                    spans.clear();
                    split_chunk(body, line_start + s, line_start + i, &mut spans);
                    for &(a, b) in &spans {
                        tokens.push(Token {
                            text: &body[a..b],
                            start: a,
                            end: b,
                            line_start: first,
                            caps_line,
                        });
                        first = false;
                    }
                }
            } else if chunk.is_none() {
                chunk = Some(i);
            }
        }
        line_start += line.len();
    }
    tokens
}

/// Rough sentences: runs of tokens that end at a line end or after a final
/// mark followed by a capital or a quote.
pub fn sentences(tokens: &[Token]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for i in 0..tokens.len() {
        let end_here = match tokens.get(i + 1) {
            None => true,
            Some(next) if next.line_start => true,
            Some(next) => {
                matches!(tokens[i].text, "." | "!" | "?")
                    && next
                        .text
                        .chars()
                        .next()
                        .is_some_and(|c| c.is_uppercase() || is_opening(c))
            }
        };
        if end_here {
            out.push(start..i + 1);
            start = i + 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(body: &str) -> Vec<&str> {
        tokenize(body).iter().map(|t| t.text).collect()
    }

    #[test]
    fn punctuation_and_possessives_split() {
        assert_eq!(
            texts("China's envoy (Mr. Wang) said: \"U.S. talks end.\""),
            [
                "China", "'s", "envoy", "(", "Mr.", "Wang", ")", "said", ":", "\"", "U.S.",
                "talks", "end", ".", "\""
            ]
        );
    }

    #[test]
    fn a_hard_wrapped_line_goes_on_from_the_line_before() {
        let body = format!(
            "{}\nA second paragraph.\n",
            crate::extract::wrap::WRAPPED_PROSE
        );
        let toks = tokenize(&body);
        let ruiz = toks.iter().find(|t| t.text == "Ruiz").unwrap();
        assert!(!ruiz.line_start);
        let staff = toks.iter().find(|t| t.text == "staff").unwrap();
        assert!(!staff.line_start);
        // A paragraph's first line still opens a line.
        let second = toks.iter().find(|t| t.text == "A").unwrap();
        assert!(second.line_start);
        // One sentence a line is not wrapped: every line opens a sentence.
        let body = "Leicestershire beat Somerset by an innings and 39 runs in two days.\n\
            Their stay on top, though, may be short-lived as rivals close in on them\n\
            Essex, Derbyshire and Surrey all closed in on victory on Friday.\n\
            Kent made up for lost time in their rain-affected match against Notts.\n";
        assert!(tokenize(body).iter().filter(|t| t.line_start).count() == 4);
    }

    #[test]
    fn offsets_point_into_the_body() {
        let body = "LONDON 1996-08-30\nBritain's Tories, led by J. Major.";
        for t in tokenize(body) {
            assert_eq!(&body[t.start..t.end], t.text);
        }
        let toks = tokenize(body);
        assert!(toks[0].caps_line && toks[0].line_start);
        assert!(!toks[2].caps_line && toks[2].line_start);
        assert!(texts(body).contains(&"J."));
    }

    #[test]
    fn sentences_end_at_marks_and_lines() {
        let toks = tokenize("He left. She stayed in St. Louis.\nNEW LINE");
        let s = sentences(&toks);
        assert_eq!(s.len(), 3);
        assert_eq!(
            toks[s[1].clone()]
                .iter()
                .map(|t| t.text)
                .collect::<Vec<_>>()
                .join(" "),
            "She stayed in St. Louis ."
        );
    }
}
