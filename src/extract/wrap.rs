//! Hard-wrapped text: plain-text archives often break every line at a
//! fixed width, so a line end there is a space, not a paragraph or a
//! sentence end.

/// Whether a body's paragraphs are hard-wrapped: most lines that go on
/// in a next line are of a wrapping width (40 to 100 characters), end
/// mid-sentence, and half the next lines go on in lower case. One
/// sentence a line (the 1996 Reuters articles), one paragraph a line,
/// a list of headlines or a table is not.
pub fn hard_wrapped(body: &str) -> bool {
    let (mut inner, mut wide, mut open, mut lower) = (0, 0, 0, 0);
    let mut lines = body.lines().map(str::trim_end).peekable();
    while let Some(line) = lines.next() {
        let Some(next) = lines.peek() else {
            break;
        };
        if line.trim().is_empty() || next.trim().is_empty() {
            continue;
        }
        inner += 1;
        wide += usize::from((40..=100).contains(&line.chars().count()));
        open += usize::from(!ends_sentence(line));
        lower += usize::from(next.trim_start().starts_with(char::is_lowercase));
    }
    inner >= 3 && wide * 5 >= inner * 4 && open * 2 >= inner && lower * 2 >= inner
}

/// Whether, in a hard-wrapped body, the line after `line` goes on with
/// its sentence: `line` is of wrapping width and does not end one.
pub fn goes_on(line: &str) -> bool {
    let line = line.trim_end();
    line.chars().count() >= 40 && !ends_sentence(line)
}

/// Whether the gap `body[from..to]` between two words breaks the line
/// for a reader: it holds a line end that is not a wrap (in a body that
/// is `wrapped`, the line before it ends a sentence or is short, or a
/// blank line follows).
#[inline]
pub fn breaks_line(body: &str, from: usize, to: usize, wrapped: bool) -> bool {
    let gap = &body.as_bytes()[from..to];
    // Most gaps are one space.
    let Some(nl) = gap.iter().position(|&b| b == b'\n') else {
        return false;
    };
    let gap = &body[from..to];
    if !wrapped || gap[nl + 1..].contains('\n') {
        return true;
    }
    let end = from + nl;
    let start = body[..end].rfind('\n').map_or(0, |i| i + 1);
    !goes_on(&body[start..end])
}

/// Whether a line ends where a sentence may: a final mark or a colon,
/// before any closing quotes or brackets (not ",”").
fn ends_sentence(line: &str) -> bool {
    line.trim_end()
        .trim_end_matches(['"', '”', '’', '\'', ')', ']'])
        .ends_with(['.', '!', '?', ':', ';'])
}

/// A paragraph broken at 70 characters, for the tests here and of the
/// readers that use [`hard_wrapped`].
#[cfg(test)]
pub(crate) const WRAPPED_PROSE: &str =
    "The network said its systems were restored on Monday, after a week\n\
    of paper records and long queues at every one of its hospitals. Angela\n\
    Ruiz, a nurse in the intensive care unit at the largest hospital, said\n\
    staff were exhausted after nearly two years of hard winters and long\n\
    shifts.\n";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapped_prose_is_told_from_lines_of_sentences_and_headlines() {
        let prose = WRAPPED_PROSE;
        assert!(hard_wrapped(prose));
        let sentences = "Leicestershire beat Somerset by an innings and 39 runs in two days.\n\
            Their stay on top, though, may be short-lived as rivals close in on them\n\
            Essex, Derbyshire and Surrey all closed in on victory on Friday.\n\
            Kent made up for lost time in their rain-affected match against Notts.\n";
        assert!(!hard_wrapped(sentences));
        let headlines = "Historic Climate Change Agreement Adopted In Paris Today\n\
            The Paris Climate Agreement Is One Huge Step For All Of Us\n\
            Speaking with One Voice to Solve the Climate Crisis Now\n\
            Work Starts Tomorrow, But For Today, Congratulations To All\n";
        assert!(!hard_wrapped(headlines));
        assert!(goes_on(
            "of paper records and long queues at every one of its hospitals. Angela"
        ));
        assert!(!goes_on(
            "staff were exhausted after two years of hard winters."
        ));
        assert!(!goes_on("A short heading"));
        let at = |w: &str| prose.find(w).unwrap();
        // "Angela\nRuiz" is one name; "shifts.\n" ends its line.
        assert!(!breaks_line(prose, at("Angela") + 6, at("Ruiz"), true));
        assert!(breaks_line(prose, at("Angela") + 6, at("Ruiz"), false));
        assert!(!breaks_line(prose, at("Angela"), at("Angela") + 6, true));
        assert!(goes_on(
            "“Hospitals are the perfect victims from a thief’s point of view,”"
        ));
        assert!(!goes_on(
            "and they are doing it with extraordinary calm and care,” she said."
        ));
    }
}
