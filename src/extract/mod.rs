//! Extraction from an article's body: direct quotes with their speakers,
//! and named entities, each under one canonical name per article.
//!
//! Pure functions of the text; `annotate` fills an [`Article`] in place.

pub mod entities;
pub mod names;
pub mod quotes;

use crate::Article;

/// Fills the article's quotes and entities from its body; without
/// `with_entities`, only its quotes.
pub fn annotate(article: &mut Article, with_entities: bool) {
    if with_entities {
        article.entities = entities::extract(&article.body);
    }
    article.quotes = quotes::extract(&article.body, &article.entities);
}
