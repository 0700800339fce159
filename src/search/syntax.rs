//! The query language as people type it: words, `"phrases"`, `-word`,
//! `OR`, `AND`, parentheses, `word*`, `word~N` and `field:value` for our
//! fields only; everything else is text. Parsing never fails: what it had
//! to read otherwise than as written is said in [`Parsed::notes`].
//!
//! Pure: no tantivy here. [`super::query`] turns the tree into queries.

use crate::article::normalise;

/// The fields a query may name (`title:summit`): those the README
/// documents. `date:` is a filter of its own ([`Leaf::Date`]).
pub const QUERY_FIELDS: &[&str] = &[
    "title", "body", "quotes", "speaker", "entity", "author", "source",
];

/// Shorter prefixes than this are searched as words: `a*` would expand
/// to a large part of the dictionary.
pub const MIN_PREFIX_CHARS: usize = 2;
/// The largest edit distance of `word~N` (what tantivy's automata build).
pub const MAX_FUZZY: u8 = 2;
/// Groups deeper than this are read flat: the tree is built and walked
/// recursively.
const MAX_DEPTH: usize = 32;

/// How a run of text is matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Match {
    /// Its words, next to each other when there are several (`Putin's`,
    /// `U.S.`, `AT&T`, `"prime minister"`).
    Words,
    /// Its last word as a prefix (`ukrain*`).
    Prefix,
    /// Within this many edits (`blair~1`).
    Fuzzy(u8),
}

/// One thing searched for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Leaf {
    Text {
        /// One of [`QUERY_FIELDS`]; `None` for the default fields.
        field: Option<&'static str>,
        text: String,
        /// Written in quotes: a phrase of several words.
        quoted: bool,
        how: Match,
    },
    /// `date:2022`, `date:2022-09`, `date:2022-09-15`: that year, month
    /// or day, as its first and last days, inclusive.
    Date {
        since: time::Date,
        until: time::Date,
    },
}

/// How a clause holds in its group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Occur {
    /// Joined by the default operator (any word, or every word).
    Default,
    Must,
    Should,
    MustNot,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    Leaf(Leaf),
    Group(Vec<(Occur, Node)>),
}

/// A parsed query and how it was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    pub root: Node,
    /// What was read otherwise than as written, for the user.
    pub notes: Vec<String>,
}

/// The query normalised as documents are (NFC, spaces) and parsed.
pub fn parse(query: &str) -> Parsed {
    let text = normalise(query).replace(['\n', '\t'], " ");
    let mut notes = Vec::new();
    let tokens = lex(&text, &mut notes);
    let mut p = Parser {
        tokens,
        at: 0,
        notes,
    };
    let root = p.sequence(false);
    Parsed {
        root,
        notes: p.notes,
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Open,
    Close,
    Or,
    And,
    /// `-` or `+` written before a term or group.
    Not,
    Plus,
    Leaf(Leaf),
}

fn is_quote(c: char) -> bool {
    matches!(c, '"' | '“' | '”' | '„' | '«' | '»')
}

/// Splits the text into tokens; quotes, parentheses and signs count only
/// where they open or close something, so `O'Connor`, `5"` and `Xi-Putin`
/// stay words.
fn lex(text: &str, notes: &mut Vec<String>) -> Vec<Token> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let mut depth = 0usize;
    // Parentheses nested deeper than MAX_DEPTH are dropped: the parser
    // recurses once per group.
    let mut flattened = 0usize;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        match c {
            '(' => {
                if depth >= MAX_DEPTH {
                    if flattened == 0 {
                        notes.push(format!(
                            "groups nest deeper than {MAX_DEPTH}; the inner ones were read flat"
                        ));
                    }
                    flattened += 1;
                } else {
                    depth += 1;
                    out.push(Token::Open);
                }
                i += 1;
                continue;
            }
            ')' => {
                if flattened > 0 {
                    flattened -= 1;
                } else if depth == 0 {
                    notes.push("a closing parenthesis without its opening one was ignored".into());
                } else {
                    depth -= 1;
                    out.push(Token::Close);
                }
                i += 1;
                continue;
            }
            '-' | '+' if i + 1 < chars.len() && starts_term(chars[i + 1]) => {
                out.push(if c == '-' { Token::Not } else { Token::Plus });
                i += 1;
                continue;
            }
            _ => {}
        }
        if is_quote(c) {
            let (leaf, next) = phrase(&chars, i + 1, None, notes);
            out.extend(leaf.map(Token::Leaf));
            i = next;
            continue;
        }
        // A chunk: up to a space, or a parenthesis that closes a group.
        let start = i;
        while i < chars.len() && !chars[i].is_whitespace() && !(chars[i] == ')' && depth > 0) {
            i += 1;
        }
        let chunk: String = chars[start..i].iter().collect();
        match chunk.as_str() {
            "OR" | "||" => out.push(Token::Or),
            "AND" | "&&" => out.push(Token::And),
            _ => {
                if let Some((field, rest)) = field_prefix(&chunk) {
                    let value_start = start + field.chars().count() + 1;
                    if rest.starts_with(is_quote) {
                        let (leaf, next) = phrase(&chars, value_start + 1, Some(field), notes);
                        out.extend(leaf.map(Token::Leaf));
                        i = next;
                    } else if field == "date" {
                        match date_bounds(rest) {
                            Some((since, until)) => {
                                out.push(Token::Leaf(Leaf::Date { since, until }))
                            }
                            None => {
                                notes.push(format!(
                                    "date:{rest} is not a date (date: takes YYYY, YYYY-MM or YYYY-MM-DD; --since and --until take ranges), so it was searched as words"
                                ));
                                out.push(Token::Leaf(word(None, &chunk, notes)));
                            }
                        }
                    } else {
                        let field = QUERY_FIELDS.iter().find(|f| **f == field).copied();
                        out.push(Token::Leaf(word(field, rest, notes)));
                    }
                } else {
                    out.push(Token::Leaf(word(None, &chunk, notes)));
                }
            }
        }
    }
    if depth > 0 {
        notes.push("an opening parenthesis without its closing one was closed at the end".into());
    }
    out
}

fn starts_term(c: char) -> bool {
    c.is_alphanumeric() || c == '(' || is_quote(c)
}

/// `field` and the rest of `field:rest`, for our fields (and `date`) with
/// something after the colon. `Jinping:` and `Note:` are text.
fn field_prefix(chunk: &str) -> Option<(&str, &str)> {
    let (field, rest) = chunk.split_once(':')?;
    let known = field == "date" || QUERY_FIELDS.contains(&field);
    (known && !rest.is_empty()).then_some((field, rest))
}

/// A quoted phrase from `chars[start..]` to its closing quote; one left
/// open is searched as words, and said so.
fn phrase(
    chars: &[char],
    start: usize,
    field: Option<&str>,
    notes: &mut Vec<String>,
) -> (Option<Leaf>, usize) {
    let field = field.and_then(|f| QUERY_FIELDS.iter().find(|q| **q == f).copied());
    let end = chars[start..].iter().position(|c| is_quote(*c));
    let (text_end, next, closed) = match end {
        Some(n) => (start + n, start + n + 1, true),
        None => (chars.len(), chars.len(), false),
    };
    let text: String = chars[start..text_end].iter().collect();
    if !closed {
        notes.push(format!(
            "the quote before {:?} is not closed, so its words were searched as words, not as a phrase",
            text.trim()
        ));
    }
    // `"prime minis"*`, `"blair"~1`: what follows the closing quote.
    let mut next = next;
    let mut how = Match::Words;
    if closed && chars.get(next) == Some(&'*') {
        how = Match::Prefix;
        next += 1;
    }
    if text.trim().is_empty() {
        return (None, next);
    }
    let leaf = Leaf::Text {
        field,
        text,
        quoted: closed,
        how,
    };
    (Some(leaf), next)
}

/// A chunk with no spaces: `word`, `word*`, `word~N`, or text as written.
fn word(field: Option<&'static str>, chunk: &str, notes: &mut Vec<String>) -> Leaf {
    let text = |t: &str, how| Leaf::Text {
        field,
        text: t.to_owned(),
        quoted: false,
        how,
    };
    if let Some(stem) = chunk.strip_suffix('*') {
        if stem.chars().filter(|c| c.is_alphanumeric()).count() >= MIN_PREFIX_CHARS
            && stem.chars().last().is_some_and(char::is_alphanumeric)
        {
            return text(stem, Match::Prefix);
        }
        if stem.chars().any(char::is_alphanumeric) {
            notes.push(format!(
                "{chunk} is too short for a prefix (at least {MIN_PREFIX_CHARS} letters), so it was searched as a word"
            ));
        }
        return text(stem, Match::Words);
    }
    if let Some((stem, n)) = chunk.rsplit_once('~') {
        let word_like = !stem.is_empty() && stem.chars().last().is_some_and(char::is_alphanumeric);
        if word_like && (n.is_empty() || n.chars().all(|c| c.is_ascii_digit())) {
            let asked: u32 = n.parse().unwrap_or(1);
            let edits = asked.min(u32::from(MAX_FUZZY)) as u8;
            if asked > u32::from(MAX_FUZZY) {
                notes.push(format!(
                    "{chunk}: at most {MAX_FUZZY} edits can be searched, so {stem}~{MAX_FUZZY} was"
                ));
            }
            return text(stem, Match::Fuzzy(edits));
        }
    }
    text(chunk, Match::Words)
}

/// The first and last day of `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
fn date_bounds(value: &str) -> Option<(time::Date, time::Date)> {
    use time::{Date, Month};
    let parts: Vec<&str> = value.split('-').collect();
    let num = |s: &str, len: usize| {
        (s.len() == len && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<u16>().ok())
            .flatten()
    };
    match parts.as_slice() {
        [y] => {
            let y = i32::from(num(y, 4)?);
            Some((
                Date::from_calendar_date(y, Month::January, 1).ok()?,
                Date::from_calendar_date(y, Month::December, 31).ok()?,
            ))
        }
        [y, m] => {
            let y = i32::from(num(y, 4)?);
            let month = Month::try_from(u8::try_from(num(m, 2)?).ok()?).ok()?;
            let last = time::util::days_in_month(month, y);
            Some((
                Date::from_calendar_date(y, month, 1).ok()?,
                Date::from_calendar_date(y, month, last).ok()?,
            ))
        }
        [_, _, _] => {
            let day = crate::article::parse_date(value).ok()?;
            Some((day, day))
        }
        _ => None,
    }
}

/// Recursive descent over the tokens; precedence from loosest: the
/// default operator between terms, `OR`, `AND`, a sign.
struct Parser {
    tokens: Vec<Token>,
    at: usize,
    notes: Vec<String>,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn sequence(&mut self, nested: bool) -> Node {
        let mut clauses = Vec::new();
        loop {
            match self.peek() {
                None => break,
                Some(Token::Close) if nested => {
                    self.at += 1;
                    break;
                }
                Some(Token::Close) => {
                    self.at += 1;
                }
                Some(Token::Or) | Some(Token::And) => {
                    self.notes
                        .push("an operator with nothing before it was ignored".into());
                    self.at += 1;
                }
                _ => {
                    if let Some(c) = self.alternatives() {
                        clauses.push(c);
                    }
                }
            }
        }
        Node::Group(clauses)
    }

    /// `a OR b OR c`, each side an `AND` chain.
    fn alternatives(&mut self) -> Option<(Occur, Node)> {
        let first = self.conjunction()?;
        if self.peek() != Some(&Token::Or) {
            return Some(first);
        }
        let mut options = vec![first];
        while self.peek() == Some(&Token::Or) {
            self.at += 1;
            match self.conjunction() {
                Some(c) => options.push(c),
                None => self
                    .notes
                    .push("OR with nothing after it was ignored".into()),
            }
        }
        let clauses = options
            .into_iter()
            .map(|(occur, node)| match occur {
                Occur::MustNot => (Occur::Should, Node::Group(vec![(Occur::MustNot, node)])),
                _ => (Occur::Should, node),
            })
            .collect();
        Some((Occur::Default, Node::Group(clauses)))
    }

    /// `a AND b AND c`.
    fn conjunction(&mut self) -> Option<(Occur, Node)> {
        let first = self.unary()?;
        if self.peek() != Some(&Token::And) {
            return Some(first);
        }
        let mut all = vec![first];
        while self.peek() == Some(&Token::And) {
            self.at += 1;
            match self.unary() {
                Some(c) => all.push(c),
                None => self
                    .notes
                    .push("AND with nothing after it was ignored".into()),
            }
        }
        let clauses = all
            .into_iter()
            .map(|(occur, node)| match occur {
                Occur::MustNot => (Occur::MustNot, node),
                _ => (Occur::Must, node),
            })
            .collect();
        Some((Occur::Default, Node::Group(clauses)))
    }

    fn unary(&mut self) -> Option<(Occur, Node)> {
        let occur = match self.peek()? {
            Token::Not => Occur::MustNot,
            Token::Plus => Occur::Must,
            _ => Occur::Default,
        };
        if occur != Occur::Default {
            self.at += 1;
        }
        let node = match self.peek()?.clone() {
            Token::Leaf(leaf) => {
                self.at += 1;
                Node::Leaf(leaf)
            }
            Token::Open => {
                self.at += 1;
                self.sequence(true)
            }
            _ => return None,
        };
        Some((occur, node))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leaves(node: &Node, out: &mut Vec<Leaf>) {
        match node {
            Node::Leaf(l) => out.push(l.clone()),
            Node::Group(cs) => cs.iter().for_each(|(_, n)| leaves(n, out)),
        }
    }

    fn texts(q: &str) -> Vec<(Option<&'static str>, String, Match)> {
        let mut out = Vec::new();
        leaves(&parse(q).root, &mut out);
        out.into_iter()
            .filter_map(|l| match l {
                Leaf::Text {
                    field, text, how, ..
                } => Some((field, text, how)),
                Leaf::Date { .. } => None,
            })
            .collect()
    }

    fn words(q: &str) -> Vec<String> {
        texts(q).into_iter().map(|t| t.1).collect()
    }

    #[test]
    fn prose_is_text() {
        assert_eq!(words("Putin's war"), ["Putin's", "war"]);
        assert_eq!(words("O'Connor"), ["O'Connor"]);
        assert_eq!(
            words("Xi Jinping: the summit"),
            ["Xi", "Jinping:", "the", "summit"]
        );
        assert_eq!(words("Note: budget"), ["Note:", "budget"]);
        assert_eq!(words("AT&T U.S. and/or"), ["AT&T", "U.S.", "and/or"]);
        assert_eq!(words("Xi\u{a0}Jinping"), ["Xi", "Jinping"]);
        assert_eq!(words("Title: summit"), ["Title:", "summit"]);
        assert!(parse("Putin's war").notes.is_empty());
    }

    #[test]
    fn our_fields_only_where_unambiguous() {
        assert_eq!(
            texts("title:summit speaker:\"Vladimir Putin\" kind:article"),
            [
                (Some("title"), "summit".to_owned(), Match::Words),
                (Some("speaker"), "Vladimir Putin".to_owned(), Match::Words),
                (None, "kind:article".to_owned(), Match::Words),
            ]
        );
        let mut dates = Vec::new();
        leaves(&parse("date:2022-02 war").root, &mut dates);
        assert_eq!(
            dates[0],
            Leaf::Date {
                since: time::macros::date!(2022 - 02 - 01),
                until: time::macros::date!(2022 - 02 - 28),
            }
        );
        let p = parse("date:soon");
        assert!(p.notes[0].contains("is not a date"), "{:?}", p.notes);
    }

    #[test]
    fn prefixes_and_fuzzy_words() {
        assert_eq!(texts("ukrain*")[0].2, Match::Prefix);
        assert_eq!(
            texts("blair~")[0],
            (None, "blair".to_owned(), Match::Fuzzy(1))
        );
        let p = parse("blair~5");
        assert_eq!(words("blair~5"), ["blair"]);
        assert!(p.notes[0].contains("at most 2"), "{:?}", p.notes);
        assert_eq!(texts("a*")[0].2, Match::Words);
        assert_eq!(texts("~")[0].2, Match::Words);
    }

    #[test]
    fn malformed_queries_are_read_and_said_so() {
        let p = parse("\"prime minister");
        assert_eq!(words("\"prime minister"), ["prime minister"]);
        assert!(p.notes[0].contains("not closed"));
        assert!(!parse("(putin OR xi").notes.is_empty());
        assert!(!parse("putin ) xi").notes.is_empty());
        assert!(!parse("OR putin").notes.is_empty());
        assert_eq!(words("“prime minister” talks"), ["prime minister", "talks"]);
        assert_eq!(words("6'2\" tall"), ["6'2\"", "tall"]);
        // Deep nesting is read, not recursed into without end.
        let deep = format!("{}x{}", "(".repeat(500), ")".repeat(500));
        assert_eq!(words(&deep), ["x"]);
    }

    #[test]
    fn operators_and_signs() {
        let p = parse("putin OR xi -war");
        let Node::Group(top) = p.root else { panic!() };
        assert_eq!(top.len(), 2);
        assert_eq!(top[1].0, Occur::MustNot);
        // A dash between words or alone is text.
        assert_eq!(words("Xi-Putin - talks"), ["Xi-Putin", "-", "talks"]);
    }
}
