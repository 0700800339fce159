//! Reading one found file: bounded I/O, then parsing and extraction.
//!
//! The only place ingest and `parse` touch a file's bytes.

use std::fs::File;
use std::io::Read;

use crate::article::{self, ReadError, Warning, MAX_FILE_BYTES};
use crate::discover::Found;
use crate::{extract, Article};

/// Reads, parses and annotates a file. Reads at most one byte past the
/// size limit, so a huge file costs no memory.
pub fn load(found: &Found) -> Result<(Article, Vec<Warning>), ReadError> {
    let bytes = read_bounded(found)?;
    let (mut article, warnings) = article::parse_file(&found.id, &bytes, found.format)?;
    extract::annotate(&mut article);
    Ok((article, warnings))
}

fn read_bounded(found: &Found) -> Result<Vec<u8>, ReadError> {
    let unreadable = |e: std::io::Error| ReadError::Unreadable(e.to_string());
    let file = File::open(&found.path).map_err(unreadable)?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        let size = std::fs::metadata(&found.path)
            .map(|m| m.len())
            .unwrap_or(bytes.len() as u64);
        return Err(ReadError::TooLarge(size));
    }
    Ok(bytes)
}
