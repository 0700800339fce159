//! Where the quotations of a body are: spans between quotation marks,
//! paragraph by paragraph, with nested and multi-paragraph quotes.
//!
//! Straight `"`, curly `“ ”` and the doubled apostrophe `''` of some
//! archives open and close quotes; single marks only matter inside them.

/// One quotation found between marks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    /// Byte range of the quoted text, marks excluded.
    pub start: usize,
    pub end: usize,
    /// Byte offset of the opening mark (`start` when it had none).
    pub open: usize,
    /// Byte offset just past the closing mark (`end` when it had none).
    pub close: usize,
    /// Index of the paragraph that holds it.
    pub para: usize,
    /// The quote goes on in the next paragraph (news style: no closing
    /// mark here, an opening mark there).
    pub continued: bool,
    /// This is the next part of a quote `continued` from the paragraph before.
    pub continuation: bool,
}

/// A paragraph: a non-blank line of the body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Para {
    pub start: usize,
    pub end: usize,
}

/// The non-blank lines of a body, trimmed; in a body that is `wrapped`
/// ([`crate::extract::wrap::hard_wrapped`]), a line that goes on from the
/// one before joins its paragraph.
pub fn paragraphs(body: &str, wrapped: bool) -> Vec<Para> {
    let mut paras: Vec<Para> = Vec::new();
    let mut offset = 0;
    let mut previous = "";
    for line in body.split('\n') {
        let lead = line.len() - line.trim_start().len();
        let trimmed = line.trim();
        if !trimmed.is_empty() {
            let start = offset + lead;
            let end = start + trimmed.len();
            match paras.last_mut() {
                Some(p) if wrapped && crate::extract::wrap::goes_on(previous) => p.end = end,
                _ => paras.push(Para { start, end }),
            }
        }
        previous = line;
        offset += line.len() + 1;
    }
    paras
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    Straight,
    Curly,
    Doubled,
}

#[derive(Debug, Clone, Copy)]
enum Mark {
    /// A mark that can open or close, by position: `"` or `''`.
    Either(Style),
    Open,
    Close,
}

/// The double quotation marks of a paragraph, with their byte offsets and lengths.
fn marks(text: &str, base: usize) -> Vec<(usize, usize, Mark)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => out.push((base + i, 1, Mark::Either(Style::Straight))),
            b'\'' if bytes.get(i + 1) == Some(&b'\'') => {
                out.push((base + i, 2, Mark::Either(Style::Doubled)));
                i += 1;
            }
            0xE2 if text[i..].starts_with('“') => out.push((base + i, 3, Mark::Open)),
            0xE2 if text[i..].starts_with('”') => out.push((base + i, 3, Mark::Close)),
            _ => {}
        }
        i += 1;
    }
    out
}

/// Whether the character before `at` lets a mark there open a quote:
/// start of text, space, bracket or dash.
fn opens_here(body: &str, at: usize, len: usize, para: Para) -> bool {
    let before = body[para.start..at].chars().next_back();
    let after = body[at + len..para.end].chars().next();
    let left_ok = before.is_none_or(|c| c.is_whitespace() || "([{—–-/:".contains(c));
    let right_ok = after.is_some_and(|c| !c.is_whitespace());
    left_ok && right_ok
}

/// Whether a mark at `at` can only close a quote: after a word or
/// punctuation, followed by space, punctuation or the end.
fn closes_here(body: &str, at: usize, len: usize, para: Para) -> bool {
    let before = body[para.start..at].chars().next_back();
    let after = body[at + len..para.end].chars().next();
    before.is_some_and(|c| !c.is_whitespace())
        && after.is_none_or(|c| c.is_whitespace() || c.is_ascii_punctuation() || "—–…’".contains(c))
}

/// The quotations of a body, in text order.
pub fn find(body: &str, paras: &[Para]) -> Vec<Span> {
    let mut spans: Vec<Span> = Vec::new();
    let mut carried = false;
    // (content start, open mark offset, style, nesting depth)
    let mut open: Option<(usize, usize, Style, u32)> = None;
    for (pi, &para) in paras.iter().enumerate() {
        let ms = marks(&body[para.start..para.end], para.start);
        let crossed = open.is_some();
        let first_span = spans.len();
        for (k, &(at, len, mark)) in ms.iter().enumerate() {
            match (mark, open) {
                (Mark::Open, None) => open = Some((at + len, at, Style::Curly, 0)),
                (Mark::Either(style), None) => {
                    if closes_here(body, at, len, para) && !opens_here(body, at, len, para) {
                        orphan_close(body, para, pi, at, len, k, &mut spans, first_span);
                    } else {
                        open = Some((at + len, at, style, 0));
                    }
                }
                (Mark::Close, None) => {
                    if opens_here(body, at, len, para) {
                        // A closing mark typed for an opening one.
                        open = Some((at + len, at, Style::Curly, 0));
                    } else {
                        orphan_close(body, para, pi, at, len, k, &mut spans, first_span);
                    }
                }
                (Mark::Open, Some((s, o, Style::Curly, d))) => {
                    if closes_here(body, at, len, para) && d == 0 {
                        // An opening mark typed for a closing one.
                        push(&mut spans, s, at, o, at + len, pi, carried);
                        carried = false;
                        open = None;
                    } else {
                        open = Some((s, o, Style::Curly, d + 1));
                    }
                }
                (Mark::Close, Some((s, o, Style::Curly, d))) => {
                    if d == 0 {
                        push(&mut spans, s, at, o, at + len, pi, carried);
                        carried = false;
                        open = None;
                    } else {
                        open = Some((s, o, Style::Curly, d - 1));
                    }
                }
                (Mark::Either(style), Some((s, o, cur, _))) if style == cur => {
                    push(&mut spans, s, at, o, at + len, pi, carried);
                    carried = false;
                    open = None;
                }
                // Curly marks inside a straight quote nest, but a closing
                // one with nothing nested open ends it: mixed typing.
                (Mark::Open, Some((s, o, Style::Straight, d))) => {
                    open = Some((s, o, Style::Straight, d + 1));
                }
                (Mark::Close, Some((s, o, Style::Straight, d))) => {
                    if d == 0 && closes_here(body, at, len, para) {
                        push(&mut spans, s, at, o, at + len, pi, carried);
                        carried = false;
                        open = None;
                    } else {
                        open = Some((s, o, Style::Straight, d.saturating_sub(1)));
                    }
                }
                // A straight mark inside a curly quote: one that can open
                // nests (the high bit of the depth remembers it), one that
                // can only close ends the quote when nothing is nested.
                (Mark::Either(Style::Straight), Some((s, o, Style::Curly, d))) => {
                    const INNER: u32 = 1 << 31;
                    if d & INNER != 0 {
                        open = Some((s, o, Style::Curly, d & !INNER));
                    } else if opens_here(body, at, len, para) {
                        open = Some((s, o, Style::Curly, d | INNER));
                    } else if d == 0 {
                        push(&mut spans, s, at, o, at + len, pi, carried);
                        carried = false;
                        open = None;
                    }
                }
                // Other marks inside a quote are a quote within it.
                _ => {}
            }
        }
        carried = false;
        if let (Some((_, _, style, _)), Some(next)) = (open, paras.get(pi + 1)) {
            if !crossed && first_mark_closes(body, *next, style) {
                // A line break inside a sentence: the quote closes in the
                // next line, so it stays open across it (once).
                continue;
            }
        }
        if let Some((s, o, _, _)) = open.take() {
            // Unclosed at the paragraph's end: the quote goes on if the next
            // paragraph opens with a mark; otherwise it ends here. Either
            // way it never runs past its paragraph.
            let next_opens = paras.get(pi + 1).is_some_and(|n| {
                let t = &body[n.start..n.end];
                t.starts_with('“') || t.starts_with('"') || t.starts_with("''")
            });
            let end = trim_end(body, s, para.end);
            if end > s {
                let continuation = spans
                    .last()
                    .is_some_and(|p| p.continued && p.para + 1 == pi)
                    && spans.len() == first_span
                    && o == para.start;
                spans.push(Span {
                    start: s,
                    end,
                    open: o,
                    close: para.end,
                    para: pi,
                    continued: next_opens,
                    continuation,
                });
                carried = next_opens;
            }
        }
    }
    spans
}

/// Whether the first quotation mark of a paragraph closes a quote of
/// `style` and the paragraph does not begin with a mark.
fn first_mark_closes(body: &str, para: Para, style: Style) -> bool {
    let text = &body[para.start..para.end];
    let Some(&(at, len, mark)) = marks(text, para.start).first() else {
        return false;
    };
    if at == para.start {
        return false;
    }
    match mark {
        Mark::Close => style == Style::Curly,
        Mark::Either(s) => s == style && closes_here(body, at, len, para),
        Mark::Open => false,
    }
}

/// A closing mark with nothing open: the quote began at the paragraph's
/// start with its opening mark lost, if nothing else was quoted before it.
#[allow(clippy::too_many_arguments)]
fn orphan_close(
    body: &str,
    para: Para,
    pi: usize,
    at: usize,
    len: usize,
    k: usize,
    spans: &mut Vec<Span>,
    first_span: usize,
) {
    if k != 0 || spans.len() != first_span {
        return;
    }
    let mut s = para.start;
    let text = &body[para.start..at];
    let lead = text.len() - text.trim_start_matches(['\'', '‘', '`', ' ']).len();
    s += lead;
    if at > s && body[s..at].split_whitespace().count() >= 4 {
        spans.push(Span {
            start: s,
            end: at,
            open: para.start,
            close: at + len,
            para: pi,
            continued: false,
            continuation: false,
        });
    }
}

fn push(spans: &mut Vec<Span>, s: usize, e: usize, o: usize, c: usize, pi: usize, carried: bool) {
    if e > s {
        spans.push(Span {
            start: s,
            end: e,
            open: o,
            close: c,
            para: pi,
            continued: false,
            continuation: carried,
        });
    }
}

fn trim_end(body: &str, s: usize, e: usize) -> usize {
    s + body[s..e].trim_end().len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(body: &str) -> Vec<&str> {
        let paras = paragraphs(body, false);
        find(body, &paras)
            .into_iter()
            .map(|s| &body[s.start..s.end])
            .collect()
    }

    #[test]
    fn straight_and_curly_marks() {
        assert_eq!(texts(r#"He said "we will go," and left."#), ["we will go,"]);
        assert_eq!(
            texts("“We will go,” she said. “Soon.”"),
            ["We will go,", "Soon."]
        );
        assert_eq!(texts("''It rained,'' Mr. Lee said."), ["It rained,"]);
    }

    #[test]
    fn apostrophes_and_nested_quotes() {
        assert_eq!(
            texts("“Don’t call it ‘a deal,’ ” the farmer’s wife said."),
            ["Don’t call it ‘a deal,’ "]
        );
        assert_eq!(
            texts(r#""They asked “why now?” and we said no," he said."#),
            [r#"They asked “why now?” and we said no,"#]
        );
    }

    #[test]
    fn mixed_marks() {
        assert_eq!(texts("“We are done,\" she said."), ["We are done,"]);
        assert_eq!(texts("\"We are done,” she said."), ["We are done,"]);
        assert_eq!(
            texts("“He said \"no\" twice,” she said."),
            ["He said \"no\" twice,"]
        );
    }

    #[test]
    fn multi_paragraph_quotes() {
        let body = "“First part of it.\n\n“Second part.\n\n“Last part,” he said.\n\nAfter.";
        let paras = paragraphs(body, false);
        let spans = find(body, &paras);
        let got: Vec<_> = spans.iter().map(|s| &body[s.start..s.end]).collect();
        assert_eq!(got, ["First part of it.", "Second part.", "Last part,"]);
        assert!(spans[0].continued && !spans[0].continuation);
        assert!(spans[1].continued && spans[1].continuation);
        assert!(!spans[2].continued && spans[2].continuation);
    }

    #[test]
    fn unclosed_mark_stops_at_its_paragraph() {
        let body = "She said “this never ends.\n\nThe next paragraph has no quote at all.";
        assert_eq!(texts(body), ["this never ends."]);
    }

    #[test]
    fn quote_across_a_line_break_inside_a_paragraph() {
        let body = "“We will\nnot stop,” he said.";
        assert_eq!(texts(body), ["We will\nnot stop,"]);
    }

    #[test]
    fn lost_opening_mark() {
        assert_eq!(
            texts("'It is a great day for us,'' said the coach."),
            ["It is a great day for us,"]
        );
    }
}
