//! Bytes to an [`Article`]: size and binary checks, encoding fallback,
//! and dispatch on the file's format.
//!
//! Everything here is a pure function of the bytes; the caller does the I/O.

use std::fmt;
use std::path::Path;

use super::date::DateOrder;
use super::json::JsonFields;
use super::{clean, html, json, text, Article};

/// Files larger than this are skipped: a news article is a few kB, and a
/// 200 MB "article" is a dump that would hold the indexer's memory hostage.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// The article formats newsidx reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Markdown,
    Html,
    /// `.json`: an object or an array of objects.
    Json,
    /// `.jsonl`, `.ndjson`: one object per line.
    JsonLines,
}

impl Format {
    /// The format for a file name, or `None` when newsidx does not read it.
    pub fn of(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "txt" | "text" => Some(Format::Text),
            "md" | "markdown" => Some(Format::Markdown),
            "html" | "htm" | "xhtml" => Some(Format::Html),
            "json" => Some(Format::Json),
            "jsonl" | "ndjson" => Some(Format::JsonLines),
            _ => None,
        }
    }
}

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

/// How files are parsed and what is extracted from them.
#[derive(Debug, Clone)]
pub struct ParseOptions {
    pub json_fields: JsonFields,
    /// Extract named entities (the costliest step of extraction).
    pub entities: bool,
    /// The most time one file may take; past it the file is skipped.
    pub time_budget: Option<std::time::Duration>,
    /// The order of day and month in numeric dates, if the archive says it.
    pub date_order: Option<DateOrder>,
}

/// The default time budget per file: a 15 MB text dump parses in about
/// 3 s on one core, so only a file that defeats the parser reaches it.
pub const DEFAULT_FILE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(60);

impl Default for ParseOptions {
    fn default() -> Self {
        ParseOptions {
            json_fields: JsonFields::default(),
            entities: true,
            time_budget: Some(DEFAULT_FILE_TIMEOUT),
            date_order: None,
        }
    }
}

/// Parses a file's bytes into its articles (without extraction): one for
/// text, Markdown and HTML; one per object for JSON. The id of each is
/// `path`, or `path#ID` for an object of a JSON file.
pub fn parse_file(
    path: &str,
    bytes: &[u8],
    format: Format,
    opts: &ParseOptions,
) -> Result<(Vec<Article>, Vec<Warning>), ReadError> {
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(ReadError::TooLarge(bytes.len() as u64));
    }
    let (raw, warning) = super::encoding::decode(bytes, format == Format::Html)?;
    let mut warnings: Vec<Warning> = warning.into_iter().collect();
    let articles = match format {
        Format::Text | Format::Markdown => {
            vec![parse_text(path, &raw, format, opts, &mut warnings)]
        }
        Format::Html => {
            let mut a = html::parse(&raw, opts.date_order, &mut warnings);
            finish(&mut a, path);
            vec![a]
        }
        Format::Json | Format::JsonLines => {
            let objects = if format == Format::Json {
                json::parse_json(&raw, opts, &mut warnings)
            } else {
                json::parse_lines(&raw, opts, &mut warnings)
            };
            objects
                .into_iter()
                .map(|(id, mut a)| {
                    finish(&mut a, &format!("{path}#{id}"));
                    a
                })
                .collect()
        }
    };
    let articles: Vec<Article> = articles
        .into_iter()
        .filter(|a| !(a.body.trim().is_empty() && a.title.trim().is_empty()))
        .collect();
    if articles.is_empty() {
        return Err(if warnings.iter().any(|w| matches!(w, Warning::Json(_))) {
            ReadError::Unreadable(
                warnings
                    .iter()
                    .map(|w| w.to_string())
                    .collect::<Vec<_>>()
                    .join("; "),
            )
        } else {
            ReadError::Empty
        });
    }
    Ok((articles, warnings))
}

/// Normalises text that came from HTML or JSON the way `parse_text` does.
fn finish(a: &mut Article, path: &str) {
    a.title = clean::normalise(&a.title).trim().to_owned();
    a.body = clean::drop_boilerplate(&clean::normalise(&a.body));
    a.path = path.to_owned();
}

/// Parses decoded text into an article (without extraction).
pub fn parse_text(
    path: &str,
    raw: &str,
    format: Format,
    opts: &ParseOptions,
    warnings: &mut Vec<Warning>,
) -> Article {
    let text = clean::normalise(raw);
    let mut article = text::parse(&text, format == Format::Markdown, opts.date_order, warnings);
    article.body = clean::drop_boilerplate(&article.body);
    article.path = path.to_owned();
    article
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_by_extension() {
        assert_eq!(Format::of(Path::new("a/b.TXT")), Some(Format::Text));
        assert_eq!(Format::of(Path::new("a/b.md")), Some(Format::Markdown));
        assert_eq!(Format::of(Path::new("a/b.pdf")), None);
        assert_eq!(Format::of(Path::new("a/b.htm")), Some(Format::Html));
        assert_eq!(Format::of(Path::new("a/b.ndjson")), Some(Format::JsonLines));
        assert_eq!(Format::of(Path::new("README")), None);
    }

    #[test]
    fn oversized_input_is_refused() {
        let big = vec![b'a'; MAX_FILE_BYTES as usize + 1];
        assert!(matches!(
            parse_file("x.txt", &big, Format::Text, &ParseOptions::default()),
            Err(ReadError::TooLarge(_))
        ));
    }
}
