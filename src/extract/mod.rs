//! Extraction from an article's body: direct quotes with their speakers,
//! and named entities, each under one canonical name per article.
//!
//! Pure functions of the text; `annotate` fills an [`Article`] in place.

pub mod abbreviations;
pub mod entities;
pub mod names;
pub mod quotes;
pub mod wordset;
pub mod wrap;

use crate::Article;

/// Fills the article's quotes and entities from its body; without
/// `with_entities`, only its quotes.
pub fn annotate(article: &mut Article, with_entities: bool) {
    if with_entities {
        article.entities = entities::extract(&article.body);
    }
    article.quotes = quotes::extract(&article.body, &article.entities);
}

/// Extraction reads a body in pieces of about this size: the tagger's
/// features take some 30 bytes of memory per byte of text, the quote
/// finder's words 16, and a 15 MB "article" (a dump) must not take half a
/// gigabyte. No news article comes near it, so for them one piece is the
/// whole body.
const CHUNK_BYTES: usize = 256 * 1024;

/// `body` in pieces of at most about [`CHUNK_BYTES`], with their offsets.
pub(crate) fn chunks(body: &str) -> impl Iterator<Item = (usize, &str)> {
    chunks_of(body, CHUNK_BYTES)
}

/// `body` cut into pieces of at most about `max` bytes, at paragraph
/// breaks where it can, else at line breaks, else at spaces (or anywhere
/// on a character boundary), with each piece's offset.
fn chunks_of(body: &str, max: usize) -> impl Iterator<Item = (usize, &str)> {
    let mut offset = 0;
    std::iter::from_fn(move || {
        let rest = &body[offset..];
        if rest.is_empty() {
            return None;
        }
        let mut end = rest.len();
        if end > max {
            let mut limit = max;
            while !rest.is_char_boundary(limit) {
                limit -= 1;
            }
            let head = &rest[..limit];
            end = ["\n\n", "\n", " "]
                .iter()
                .find_map(|sep| head.rfind(sep).filter(|&i| i > 0).map(|i| i + sep.len()))
                .unwrap_or(limit.max(1));
            while !rest.is_char_boundary(end) {
                end += 1;
            }
        }
        let piece = (offset, &rest[..end]);
        offset += end;
        Some(piece)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_cut_at_paragraphs_then_lines_then_spaces() {
        let body = "aaaa bbbb\n\ncccc\ndddd eeee";
        let pieces: Vec<(usize, &str)> = chunks_of(body, 12).collect();
        assert_eq!(
            pieces,
            [(0, "aaaa bbbb\n\n"), (11, "cccc\n"), (16, "dddd eeee")]
        );
        let all: String = chunks_of("éééééé", 3).map(|(_, p)| p).collect();
        assert_eq!(all, "éééééé");
        assert_eq!(chunks_of("", 3).count(), 0);
    }
}
