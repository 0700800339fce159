//! Results for scripts: one JSON document, JSON lines, CSV with a header
//! row, or one path (or name) per line, into any `io::Write`.
//!
//! Text for people is [`crate::render`]'s.

use std::io::{self, Write};

use serde::Serialize;

use crate::search::{NameCount, QuoteResults, SearchResults};

/// How results are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// For people ([`crate::render`]).
    Text,
    /// One JSON document.
    Json,
    /// One JSON object per hit (or name) and line.
    Ndjson,
    /// A header row, then one row per hit (or name).
    Csv,
    /// The file of each hit, one per line (names, for name counts).
    Paths,
}

fn csv_error(e: csv::Error) -> io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => io::Error::other(format!("{other:?}")),
    }
}

fn ndjson<W: Write, T: Serialize>(w: &mut W, rows: &[T]) -> io::Result<()> {
    for row in rows {
        serde_json::to_writer(&mut *w, row)?;
        writeln!(w)?;
    }
    Ok(())
}

/// Article hits in a format for scripts (not [`Format::Text`]).
pub fn hits<W: Write>(w: &mut W, results: &SearchResults, format: Format) -> io::Result<()> {
    match format {
        Format::Text | Format::Json => crate::render::json(w, results),
        Format::Ndjson => ndjson(w, &results.hits),
        Format::Paths => {
            for h in &results.hits {
                writeln!(w, "{}", h.path)?;
            }
            Ok(())
        }
        Format::Csv => {
            let mut out = csv::Writer::from_writer(w);
            out.write_record([
                "rank", "score", "id", "root", "path", "title", "date", "speakers",
            ])
            .map_err(csv_error)?;
            for h in &results.hits {
                out.write_record([
                    h.rank.to_string(),
                    h.score.to_string(),
                    h.id.clone(),
                    h.root.clone(),
                    h.path.clone(),
                    h.title.clone(),
                    h.date.clone().unwrap_or_default(),
                    h.speakers.join("; "),
                ])
                .map_err(csv_error)?;
            }
            out.flush()
        }
    }
}

/// Quote hits in a format for scripts.
pub fn quotes<W: Write>(w: &mut W, results: &QuoteResults, format: Format) -> io::Result<()> {
    match format {
        Format::Text | Format::Json => crate::render::json(w, results),
        Format::Ndjson => ndjson(w, &results.hits),
        Format::Paths => {
            for q in &results.hits {
                writeln!(w, "{}", q.path)?;
            }
            Ok(())
        }
        Format::Csv => {
            let mut out = csv::Writer::from_writer(w);
            out.write_record([
                "rank", "score", "speaker", "text", "title", "date", "id", "root", "path",
            ])
            .map_err(csv_error)?;
            for q in &results.hits {
                out.write_record([
                    q.rank.to_string(),
                    q.score.to_string(),
                    q.speaker.clone().unwrap_or_default(),
                    q.text.clone(),
                    q.title.clone(),
                    q.date.clone().unwrap_or_default(),
                    q.id.clone(),
                    q.root.clone(),
                    q.path.clone(),
                ])
                .map_err(csv_error)?;
            }
            out.flush()
        }
    }
}

/// Name counts in a format for scripts.
pub fn names<W: Write>(w: &mut W, counts: &[NameCount], format: Format) -> io::Result<()> {
    match format {
        Format::Text | Format::Json => crate::render::json(w, &counts),
        Format::Ndjson => ndjson(w, counts),
        Format::Paths => {
            for n in counts {
                writeln!(w, "{}", n.name)?;
            }
            Ok(())
        }
        Format::Csv => {
            let mut out = csv::Writer::from_writer(w);
            out.write_record(["name", "kind", "count"])
                .map_err(csv_error)?;
            for n in counts {
                out.write_record([
                    n.name.clone(),
                    n.kind.map(|k| k.as_str().to_owned()).unwrap_or_default(),
                    n.count.to_string(),
                ])
                .map_err(csv_error)?;
            }
            out.flush()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_has_a_header_and_quotes_what_needs_it() {
        let counts = [NameCount {
            name: "Smith, \"Jo\"".into(),
            kind: None,
            count: 3,
        }];
        let mut out = Vec::new();
        names(&mut out, &counts, Format::Csv).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text, "name,kind,count\n\"Smith, \"\"Jo\"\"\",,3\n");
    }
}
