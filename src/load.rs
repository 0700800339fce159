//! Reading one found file: bounded I/O, then parsing and extraction.
//!
//! The only place ingest and `parse` touch a file's bytes.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use crate::article::{self, ParseOptions, ReadError, Warning, MAX_FILE_BYTES};
use crate::discover::Found;
use crate::{extract, Article};

/// Reads, parses and annotates a file's articles.
pub fn load(found: &Found, opts: &ParseOptions) -> Result<(Vec<Article>, Vec<Warning>), ReadError> {
    let bytes = read_bounded(&found.path)?;
    parse(found, &bytes, opts)
}

/// Parses and annotates a file's bytes, isolated: a panic or an overrun of
/// the time budget is this file's error (see [`crate::guard`]).
pub fn parse(
    found: &Found,
    bytes: &[u8],
    opts: &ParseOptions,
) -> Result<(Vec<Article>, Vec<Warning>), ReadError> {
    crate::guard::isolate(&found.id, opts.time_budget, || {
        let (mut articles, warnings) = article::parse_file(&found.id, bytes, found.format, opts)?;
        for a in &mut articles {
            crate::guard::checkpoint();
            extract::annotate(a, opts.entities);
        }
        Ok((articles, warnings))
    })
}

/// A file's bytes. Reads at most one byte past the size limit, so a huge
/// file costs no memory.
pub fn read_bounded(path: &Path) -> Result<Vec<u8>, ReadError> {
    let unreadable = |e: std::io::Error| ReadError::Unreadable(e.to_string());
    let file = File::open(path).map_err(unreadable)?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        let size = std::fs::metadata(path)
            .map(|m| m.len())
            .unwrap_or(bytes.len() as u64);
        return Err(ReadError::TooLarge(size));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::Format;

    #[test]
    fn a_file_that_vanished_is_unreadable_not_a_panic() {
        let found = Found {
            path: "/no/such/dir/gone.txt".into(),
            id: "gone.txt".into(),
            format: Format::Text,
        };
        assert!(matches!(
            load(&found, &ParseOptions::default()),
            Err(ReadError::Unreadable(_))
        ));
    }
}
