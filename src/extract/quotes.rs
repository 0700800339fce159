//! Direct quotations and their speakers.
//!
//! Placeholder: finds text between double quotation marks.

use crate::{Entity, Quote};

/// The direct quotes of a body, with speakers where the text names them.
pub fn extract(body: &str, _entities: &[Entity]) -> Vec<Quote> {
    let mut quotes = Vec::new();
    let mut open: Option<usize> = None;
    for (i, c) in body.char_indices() {
        match (c, open) {
            ('“', _) | ('"', None) => open = Some(i + c.len_utf8()),
            ('”', Some(s)) | ('"', Some(s)) => {
                quotes.push(Quote {
                    text: body[s..i].to_owned(),
                    speaker: None,
                    start: s,
                    end: i,
                });
                open = None;
            }
            _ => {}
        }
    }
    quotes
}
