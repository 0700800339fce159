//! Re-pointing indexed articles at a new place without parsing them
//! again: a directory moved (`--moved-from`, or found by content hashes),
//! or an indexed directory taken into the one around it.
//!
//! The stored article document holds all that its documents are made of
//! (title, body, date, quotes and entity names as extracted), so they are
//! written anew under the new key, root and id from it alone.

use tantivy::query::{BooleanQuery, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{DocAddress, TantivyDocument, Term};

use super::dedup::Signature;
use super::schema::{Grouped, Stored, KIND_ARTICLE};
use super::Fields;
use crate::Article;

/// The article a stored article document was made of (entities without
/// their spans, as stored).
pub fn stored_article(doc: &TantivyDocument, f: &Fields) -> Article {
    let text = |field| {
        doc.get_first(field)
            .and_then(|v| v.as_str())
            .map(str::to_owned)
    };
    let stored: Stored = text(f.extract)
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or_default();
    let date = doc
        .get_first(f.date)
        .and_then(|v| v.as_datetime())
        .map(|d| d.into_utc().date().to_string())
        .or(stored.date);
    Article {
        path: text(f.id).unwrap_or_default(),
        title: text(f.title).unwrap_or_default(),
        date,
        author: text(f.author),
        source: text(f.source),
        url: text(f.url),
        lang: stored.lang,
        body: text(f.body).unwrap_or_default(),
        quotes: stored.quotes,
        entities: stored.entities,
    }
}

/// The article documents of a key in `searcher`'s commit.
pub fn articles_of_key(
    searcher: &tantivy::Searcher,
    f: &Fields,
    key: &str,
) -> tantivy::Result<Vec<DocAddress>> {
    let term = |field, text: &str| -> Box<dyn tantivy::query::Query> {
        Box::new(TermQuery::new(
            Term::from_field_text(field, text),
            IndexRecordOption::Basic,
        ))
    };
    let q = BooleanQuery::intersection(vec![term(f.key, key), term(f.kind, KIND_ARTICLE)]);
    let mut docs: Vec<DocAddress> = searcher
        .search(&q, &tantivy::collector::DocSetCollector)?
        .into_iter()
        .collect();
    docs.sort();
    Ok(docs)
}

/// The id an article of a file takes when the file's id changes: the
/// file's new id with what followed the old one (`#17` for an object of
/// a JSON file).
pub fn new_id(old_article_id: &str, old_file_id: &str, new_file_id: &str) -> String {
    match old_article_id.strip_prefix(old_file_id) {
        Some(rest) => format!("{new_file_id}{rest}"),
        None => new_file_id.to_owned(),
    }
}

/// A re-pointed article's group: the one it had (a stored field), with
/// its bands computed again from its body.
pub fn grouped(doc: &TantivyDocument, f: &Fields, article: &Article) -> Option<Grouped> {
    let d = f.dedup?;
    let group = doc.get_first(d.group).and_then(|v| v.as_u64())?;
    let sig = Signature::of(&article.body);
    Some(Grouped {
        group,
        // Whether it was the first of its group is not stored: marked as a
        // copy, its group is counted through a set, which is right either way.
        copy: true,
        bands: if sig.groupable() {
            sig.bands().to_vec()
        } else {
            Vec::new()
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_follow_their_file() {
        assert_eq!(new_id("a.txt", "a.txt", "x/a.txt"), "x/a.txt");
        assert_eq!(
            new_id("feed.jsonl#17", "feed.jsonl", "b/feed.jsonl"),
            "b/feed.jsonl#17"
        );
        assert_eq!(new_id("other", "a.txt", "b.txt"), "b.txt");
    }
}
