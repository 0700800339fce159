//! Bytes to an [`Article`]: size and binary checks, encoding fallback,
//! and dispatch on the file's format.
//!
//! Everything here is a pure function of the bytes; the caller does the I/O.

use std::borrow::Cow;
use std::path::Path;

use super::error::{ReadError, Warning, MAX_FILE_BYTES};
use super::options::ParseOptions;
use super::{clean, html, json, mojibake, text, Article};

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
    if let Some(author) = &mut a.author {
        if let Cow::Owned(fixed) = mojibake::repair(author) {
            *author = fixed;
        }
    }
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
