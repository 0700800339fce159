//! Why a file was not indexed ([`ReadError`]) and what was odd about one
//! that was ([`Warning`]): shared by the reader and the format parsers.

use std::fmt;

/// Files larger than this are skipped: a news article is a few kB, and a
/// 200 MB "article" is a dump that would hold the indexer's memory hostage.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// Why a file was not indexed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadError {
    Empty,
    Binary,
    TooLarge(u64),
    Unreadable(String),
    NoBody,
    /// Parsing or extraction panicked (a bug, in newsidx or a dependency).
    ParserFailed(String),
    /// Parsing took longer than the time budget per file.
    TimedOut(std::time::Duration),
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Empty => write!(f, "empty file"),
            ReadError::Binary => write!(f, "binary file (NUL bytes)"),
            ReadError::TooLarge(n) => write!(
                f,
                "file too large ({n} bytes; the limit is {MAX_FILE_BYTES} bytes)"
            ),
            ReadError::Unreadable(e) => write!(f, "unreadable: {e}"),
            ReadError::NoBody => write!(f, "no text after the title"),
            ReadError::ParserFailed(e) => write!(f, "parser failed ({e})"),
            ReadError::TimedOut(d) => write!(
                f,
                "took longer than {} s to parse (raise --file-timeout to allow more)",
                d.as_secs_f64()
            ),
        }
    }
}

impl ReadError {
    /// A short stable name for the summary's per-reason counts.
    pub fn kind(&self) -> &'static str {
        match self {
            ReadError::Empty => "empty",
            ReadError::Binary => "binary",
            ReadError::TooLarge(_) => "too large",
            ReadError::Unreadable(_) => "unreadable",
            ReadError::NoBody => "no body",
            ReadError::ParserFailed(_) => "parser failed",
            ReadError::TimedOut(_) => "timed out",
        }
    }
}

/// Something odd about a file that did not stop it being indexed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Warning {
    /// Not valid UTF-8 and no encoding declared: decoded as the detector guessed.
    Guessed(&'static str),
    /// Malformed byte sequences (count, encoding), each replaced with U+FFFD.
    BadBytes(usize, &'static str),
    /// The `---` front matter could not be read as YAML; lines were read one by one.
    FrontMatter(String),
    /// Part of a JSON file could not be read as an article.
    Json(String),
    /// The page was too deep or too large to be read in full as HTML.
    Html(String),
    /// A date field that is not a date, or not a clear one: the article is undated.
    Date(String, super::date::DateError),
    /// A date the index cannot hold: kept in the article, not searchable by date.
    DateOutOfRange(String),
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Warning::Guessed(e) => write!(f, "not valid UTF-8, decoded as {e} (a guess)"),
            Warning::BadBytes(1, e) => {
                write!(f, "1 malformed {e} byte sequence replaced with U+FFFD")
            }
            Warning::BadBytes(n, e) => {
                write!(f, "{n} malformed {e} byte sequences replaced with U+FFFD")
            }
            Warning::FrontMatter(e) => write!(f, "malformed front matter: {e}"),
            Warning::Json(e) => write!(f, "JSON: {e}"),
            Warning::Html(e) => write!(f, "HTML: {e}"),
            Warning::Date(value, e) => write!(f, "date {value:?} is {e}: left undated"),
            Warning::DateOutOfRange(d) => write!(
                f,
                "date {d} is outside the years the index holds (1677 to 2262): \
                 kept as text, not searchable by date"
            ),
        }
    }
}
