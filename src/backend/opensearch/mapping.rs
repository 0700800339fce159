//! The OpenSearch index newsidx writes: its analyzers (the embedded
//! index's, word for word), its mapping, and making sure it exists.
//!
//! One index holds three kinds of documents, told apart by `kind`:
//! `article`, `quote` (one per quote, for quote-level search, as the
//! embedded index has them) and `file` (one per indexed file: its content
//! hash, written last, so that a file is skipped only once all its
//! documents are in).

use reqwest::Method;
use serde_json::{json, Value};

use super::client::Client;
use crate::{Error, Result};

/// Bumped when the mapping changes in a way an existing index cannot take.
pub const MAPPING_VERSION: u64 = 1;

/// Analyzer of free text: title, body, quotes.
pub const EN: &str = "newsidx_en";
/// Analyzer of names: speakers, entities, authors, sources.
pub const NAME: &str = "newsidx_name";

/// The analyzers, made as the embedded index's are
/// ([`crate::index::schema`]): words split at anything not a letter or a
/// digit, words of 40 letters or more dropped, lower case, ASCII folding; for text
/// also Lucene's English stop words (the same 33 as the embedded index)
/// and the Snowball (Porter2) English stemmer, which tantivy's stemmer is.
/// OpenSearch's built-in `english` analyzer differs in all but the stop
/// words (the standard tokenizer, a possessive filter, Porter 1): with it
/// the two backends would match different words.
pub fn analysis() -> Value {
    json!({
        "tokenizer": {
            "newsidx_words": {"type": "pattern", "pattern": "[^\\p{L}\\p{N}]+"}
        },
        "filter": {
            "newsidx_long": {"type": "length", "max": 39},
            "newsidx_stop": {"type": "stop", "stopwords": "_english_"},
            "newsidx_stem": {"type": "snowball", "language": "English"}
        },
        "analyzer": {
            EN: {
                "type": "custom",
                "tokenizer": "newsidx_words",
                "filter": ["newsidx_long", "lowercase", "asciifolding", "newsidx_stop", "newsidx_stem"]
            },
            NAME: {
                "type": "custom",
                "tokenizer": "newsidx_words",
                "filter": ["newsidx_long", "lowercase", "asciifolding"]
            }
        }
    })
}

/// The mapping: every field, typed; nothing else is accepted (`strict`).
pub fn mappings() -> Value {
    let text = json!({"type": "text", "analyzer": EN});
    let name = json!({
        "type": "text",
        "analyzer": NAME,
        "fields": {"keyword": {"type": "keyword", "ignore_above": 256}}
    });
    let keyword = json!({"type": "keyword"});
    let shown = json!({"type": "keyword", "index": false, "doc_values": false});
    json!({
        "dynamic": "strict",
        "_meta": {"newsidx_mapping": MAPPING_VERSION},
        "properties": {
            "kind": keyword,
            "key": keyword,
            "root": keyword,
            "id": keyword,
            "hash": keyword,
            "path": shown,
            "url": shown,
            "title": text,
            "body": text,
            "quotes": text,
            "speaker": name,
            "entity": name,
            "author": name,
            "source": name,
            "speaker_facet": keyword,
            "person": keyword,
            "org": keyword,
            "place": keyword,
            "misc": keyword,
            "lang": keyword,
            "date": {"type": "date", "format": "strict_date"},
            "article_title": {"type": "text", "index": false},
            "articles": {"type": "integer", "index": false},
            "extract": {"type": "object", "enabled": false}
        }
    })
}

/// Shards and replicas of a new index: one shard keeps BM25's statistics
/// those of the whole archive (as in the embedded index) up to tens of
/// millions of articles; more shards are for larger ones (see
/// docs/opensearch.md). One replica: a node may go away.
#[derive(Debug, Clone, Copy)]
pub struct Layout {
    pub shards: u32,
    pub replicas: u32,
}

impl Default for Layout {
    fn default() -> Self {
        Layout {
            shards: 1,
            replicas: 1,
        }
    }
}

/// The body that creates the index (and the template's `template`).
pub fn index_body(layout: Layout) -> Value {
    json!({
        "settings": {
            "index": {
                "number_of_shards": layout.shards,
                "number_of_replicas": layout.replicas,
                // As deep as newsidx pages (search::MAX_WINDOW).
                "max_result_window": crate::search::MAX_WINDOW
            },
            "analysis": analysis()
        },
        "mappings": mappings()
    })
}

/// Makes sure `index` exists with newsidx's mapping: an index template of
/// the same name first (so that an index re-created by anyone gets the
/// mapping), then the index. Several indexers may do it at once.
pub fn ensure(client: &Client, index: &str, layout: Layout) -> Result<()> {
    check_name(index)?;
    let template = json!({
        "index_patterns": [index],
        "priority": 200,
        "template": index_body(layout),
        "_meta": {"created_by": "newsidx", "newsidx_mapping": MAPPING_VERSION}
    });
    client.json(
        Method::PUT,
        &format!("/_index_template/newsidx-{index}"),
        Some(&template),
    )?;
    let reply = client.send(
        Method::PUT,
        &format!("/{index}"),
        super::client::Body::Json(&index_body(layout)),
        None,
    )?;
    let exists = reply.json["error"]["type"].as_str() == Some("resource_already_exists_exception");
    if !reply.ok() && !exists {
        return Err(Error::Cluster(format!(
            "creating index {index}: {}",
            reply.reason()
        )));
    }
    check(client, index)
}

/// Fails unless `index` exists and has newsidx's mapping of this version.
pub fn check(client: &Client, index: &str) -> Result<()> {
    check_name(index)?;
    let reply = client.send(
        Method::GET,
        &format!("/{index}/_mapping"),
        super::client::Body::Empty,
        None,
    )?;
    if reply.status.as_u16() == 404 {
        return Err(Error::Cluster(format!(
            "no index {index:?} in the cluster: run `newsidx index DIR --backend opensearch=…` first"
        )));
    }
    let json = reply.into_ok(&format!("reading the mapping of {index}"))?;
    // The index may be an alias: its one concrete index answers.
    let version = json
        .as_object()
        .and_then(|o| o.values().next())
        .and_then(|m| m["mappings"]["_meta"]["newsidx_mapping"].as_u64());
    match version {
        Some(MAPPING_VERSION) => Ok(()),
        Some(v) => Err(Error::Cluster(format!(
            "index {index:?} has newsidx mapping version {v}, this newsidx writes {MAPPING_VERSION}: \
             index into a new index (NEWSIDX_OPENSEARCH_INDEX) or delete this one"
        ))),
        None => Err(Error::Cluster(format!(
            "index {index:?} was not made by newsidx (its mapping has no newsidx version)"
        ))),
    }
}

/// OpenSearch's rules for index names, said before a request fails on them.
pub fn check_name(index: &str) -> Result<()> {
    let bad = index.is_empty()
        || index.len() > 255
        || index.starts_with(['-', '_', '+', '.'])
        || index
            .chars()
            .any(|c| c.is_uppercase() || "\\/*?\"<>| ,#:".contains(c));
    if bad {
        return Err(Error::Cluster(format!(
            "{index:?} is not an index name (lower case, no spaces or \\/*?\"<>|,#:, \
             not starting with -, _, + or .)"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_document_field_is_mapped() {
        let m = mappings();
        let props = m["properties"].as_object().unwrap();
        for field in super::super::document::FIELDS {
            assert!(props.contains_key(*field), "{field} is not mapped");
        }
        assert_eq!(props.len(), super::super::document::FIELDS.len());
    }

    #[test]
    fn index_names_follow_opensearchs_rules() {
        assert!(check_name("newsidx").is_ok());
        assert!(check_name("news-2024").is_ok());
        assert!(check_name("News").is_err());
        assert!(check_name("_all").is_err());
        assert!(check_name("a b").is_err());
        assert!(check_name("").is_err());
    }
}
