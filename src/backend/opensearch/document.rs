//! An article as OpenSearch documents: the article, one per quote, and the
//! file's record (its content hash), with ids that depend only on where
//! the file is, so that sending them again replaces them.
//!
//! The same fields as the embedded index's documents
//! ([`crate::index::schema::documents`]), as JSON.

use serde::{Deserialize, Serialize};

use crate::extract::names;
use crate::index::dedup::{self, Signature};
use crate::index::schema::{Grouped, Origin, Stored, KIND_ARTICLE, KIND_QUOTE};
use crate::{Article, EntityKind};

/// `kind` of a file's record.
pub const KIND_FILE: &str = "file";

/// Every field a document may have (the mapping maps exactly these).
pub const FIELDS: &[&str] = &[
    "kind",
    "key",
    "root",
    "id",
    "hash",
    "path",
    "url",
    "title",
    "body",
    "quotes",
    "speaker",
    "entity",
    "author",
    "source",
    "speaker_facet",
    "person",
    "org",
    "place",
    "misc",
    "lang",
    "date",
    "article_title",
    "articles",
    "extract",
    "group",
    "band",
    "signature",
    "quote_hash",
];

/// An article document.
#[derive(Debug, Serialize, Deserialize)]
pub struct ArticleDoc {
    pub kind: String,
    pub key: String,
    pub root: String,
    pub id: String,
    pub hash: String,
    pub path: String,
    pub title: String,
    pub body: String,
    pub quotes: Vec<String>,
    /// Everyone quoted, as extracted.
    pub speaker: Vec<String>,
    /// Every entity's name.
    pub entity: Vec<String>,
    /// The speakers counted by `speakers` ([`names::facet_form`]).
    pub speaker_facet: Vec<String>,
    pub person: Vec<String>,
    pub org: Vec<String>,
    pub place: Vec<String>,
    pub misc: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
    /// `YYYY-MM-DD`, when the embedded index could hold it too.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    pub extract: Stored,
    /// Its group of near-duplicates ([`crate::index::dedup`]), in decimal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// Its signature's LSH bands, in decimal, to find its copies.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub band: Vec<String>,
    /// Its signature ([`Signature::to_hex`]), to compare with a copy's
    /// without its body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<String>,
}

/// A quote document.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct QuoteDoc {
    pub kind: String,
    pub key: String,
    pub root: String,
    /// The id of the quote's article.
    pub id: String,
    pub hash: String,
    pub path: String,
    pub quotes: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub speaker: Option<String>,
    pub article_title: String,
    /// The article's entities: `quotes --entity` filters on them (the
    /// embedded index joins with the article instead; a filter is what
    /// scales on a cluster).
    pub entity: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// The quote's [`dedup::quote_hash`], in decimal: a quote in several
    /// articles is shown once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote_hash: Option<String>,
}

/// A file's record: written once all its other documents are in.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FileDoc {
    pub kind: String,
    pub key: String,
    pub root: String,
    pub hash: String,
    pub articles: usize,
}

/// A document ready to send: its id and its JSON.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub id: String,
    pub source: Vec<u8>,
    /// Counted in the summary as one of these.
    pub kind: DocKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocKind {
    Article,
    Quote,
    File,
}

/// The documents of one file.
#[derive(Debug, Clone)]
pub struct FileDocuments {
    pub key: String,
    pub hash: String,
    /// Articles and quotes.
    pub docs: Vec<Prepared>,
    /// The file's record, sent after them.
    pub record: Prepared,
}

/// The id of every document of the file at `key`: a digest of the key
/// (ids are at most 512 bytes, paths may be longer), and what the
/// document is of the file.
fn id_base(key: &str) -> String {
    blake3::hash(key.as_bytes()).to_hex()[..32].to_owned()
}

/// A date the embedded index can hold (the same rule as its date field),
/// as `YYYY-MM-DD`.
pub fn indexed_date(date: Option<&str>) -> Option<String> {
    let d = crate::article::parse_date(date?)
        .ok()
        .filter(|d| crate::article::indexable(*d))?;
    Some(d.to_string())
}

/// The article document of `article`.
pub fn article_doc(article: &Article, origin: &Origin) -> ArticleDoc {
    let date = indexed_date(article.date.as_deref());
    let mut speaker: Vec<String> = article
        .quotes
        .iter()
        .filter_map(|q| q.speaker.clone())
        .collect();
    speaker.sort_unstable();
    speaker.dedup();
    // As the embedded index's facet: people and organisations, one
    // spelling each.
    let mut speaker_facet: Vec<String> = speaker
        .iter()
        .filter_map(|s| names::facet_form(s))
        .collect();
    speaker_facet.sort_unstable();
    speaker_facet.dedup();
    let of_kind = |k: EntityKind| -> Vec<String> {
        article
            .entities
            .iter()
            .filter(|e| e.kind == k)
            .map(|e| e.name.clone())
            .collect()
    };
    let grouped = origin.grouped;
    ArticleDoc {
        group: grouped.map(|g| g.group.to_string()),
        band: grouped
            .map(|g| g.bands.iter().map(u64::to_string).collect())
            .unwrap_or_default(),
        signature: grouped
            .filter(|g| !g.bands.is_empty())
            .map(|_| Signature::of(&article.body).to_hex()),
        kind: KIND_ARTICLE.into(),
        key: origin.key.into(),
        root: origin.root.into(),
        id: article.path.clone(),
        hash: origin.hash.into(),
        path: origin.path.into(),
        title: article.title.clone(),
        body: article.body.clone(),
        quotes: article.quotes.iter().map(|q| q.text.clone()).collect(),
        speaker,
        entity: article.entities.iter().map(|e| e.name.clone()).collect(),
        speaker_facet,
        person: of_kind(EntityKind::Person),
        org: of_kind(EntityKind::Org),
        place: of_kind(EntityKind::Place),
        misc: of_kind(EntityKind::Misc),
        lang: article.lang.clone(),
        extract: Stored::of(article, date.is_some()),
        date,
        author: article.author.clone(),
        source: article.source.clone(),
        url: article.url.clone(),
    }
}

/// The quote documents of `article`.
pub fn quote_docs(article: &Article, origin: &Origin) -> Vec<QuoteDoc> {
    let date = indexed_date(article.date.as_deref());
    article
        .quotes
        .iter()
        .map(|q| QuoteDoc {
            kind: KIND_QUOTE.into(),
            key: origin.key.into(),
            root: origin.root.into(),
            id: article.path.clone(),
            hash: origin.hash.into(),
            path: origin.path.into(),
            quotes: q.text.clone(),
            speaker: q.speaker.clone(),
            article_title: article.title.clone(),
            entity: article.entities.iter().map(|e| e.name.clone()).collect(),
            lang: article.lang.clone(),
            date: date.clone(),
            quote_hash: Some(dedup::quote_hash(&q.text, q.speaker.as_deref()).to_string()),
        })
        .collect()
}

fn prepared<T: Serialize>(id: String, kind: DocKind, doc: &T) -> Prepared {
    Prepared {
        id,
        // Plain structs of strings and numbers: serialising cannot fail.
        source: serde_json::to_vec(doc).unwrap_or_default(),
        kind,
    }
}

/// Every document of a file's articles, and the file's record.
///
/// An article's id is the file's and the article's own (its path, and
/// which of the articles of that path it is): the same whether the file
/// is parsed or its articles are read back from an embedded index, where
/// their order is not kept.
///
/// `groups`: each article's near-duplicate group, in order (empty when
/// they are not grouped; `origin.grouped` is not used).
pub fn file_documents(articles: &[Article], origin: &Origin, groups: &[Grouped]) -> FileDocuments {
    let base = id_base(origin.key);
    let mut docs = Vec::new();
    let mut seen: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for (i, article) in articles.iter().enumerate() {
        let n = seen.entry(article.path.as_str()).or_default();
        let id = format!("{base}-{}", article_id(&article.path, *n));
        *n += 1;
        let origin = Origin {
            grouped: groups.get(i),
            ..*origin
        };
        docs.push(prepared(
            id.clone(),
            DocKind::Article,
            &article_doc(article, &origin),
        ));
        for (m, q) in quote_docs(article, &origin).iter().enumerate() {
            docs.push(prepared(format!("{id}-q{m}"), DocKind::Quote, q));
        }
    }
    let record = FileDoc {
        kind: KIND_FILE.into(),
        key: origin.key.into(),
        root: origin.root.into(),
        hash: origin.hash.into(),
        articles: articles.len(),
    };
    FileDocuments {
        key: origin.key.into(),
        hash: origin.hash.into(),
        docs,
        record: prepared(format!("{base}-f"), DocKind::File, &record),
    }
}

/// An article's part of its documents' ids: a digest of its path (the
/// file's id, or `file#N` for an object of a JSON file), and `-N` for a
/// second article of the same path.
fn article_id(path: &str, n: usize) -> String {
    let digest = &blake3::hash(path.as_bytes()).to_hex()[..16];
    if n == 0 {
        format!("a{digest}")
    } else {
        format!("a{digest}-{n}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Entity, Quote};

    fn article() -> Article {
        Article {
            path: "a.txt".into(),
            title: "T".into(),
            date: Some("2022-09-15".into()),
            body: "“Yes,” Ann Lee said.".into(),
            quotes: vec![Quote {
                text: "Yes,".into(),
                speaker: Some("Ann Lee".into()),
                speaker_text: None,
                start: 3,
                end: 7,
            }],
            entities: vec![Entity {
                name: "Ann Lee".into(),
                kind: EntityKind::Person,
                spans: vec![(12, 19)],
            }],
            ..Article::default()
        }
    }

    const ORIGIN: Origin = Origin {
        key: "/r/a.txt",
        root: "/r",
        path: "/r/a.txt",
        hash: "h1",
        grouped: None,
    };

    #[test]
    fn ids_depend_on_the_key_only() {
        let a = file_documents(&[article()], &ORIGIN, &[]);
        let mut changed = article();
        changed.title = "Other".into();
        let b = file_documents(
            &[changed],
            &Origin {
                hash: "h2",
                ..ORIGIN
            },
            &[],
        );
        let ids = |f: &FileDocuments| f.docs.iter().map(|d| d.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&a), ids(&b));
        assert_eq!(a.docs.len(), 2);
        assert_eq!(a.docs[1].kind, DocKind::Quote);
        assert_eq!(a.record.id, b.record.id);
        let other = file_documents(
            &[article()],
            &Origin {
                key: "/r/b.txt",
                ..ORIGIN
            },
            &[],
        );
        assert_ne!(ids(&a), ids(&other));
    }

    #[test]
    fn documents_have_only_mapped_fields() {
        let f = file_documents(&[article()], &ORIGIN, &[]);
        for d in f.docs.iter().chain([&f.record]) {
            let v: serde_json::Value = serde_json::from_slice(&d.source).unwrap();
            for key in v.as_object().unwrap().keys() {
                assert!(FIELDS.contains(&key.as_str()), "{key}");
            }
        }
        let a: ArticleDoc = serde_json::from_slice(&f.docs[0].source).unwrap();
        assert_eq!(a.person, ["Ann Lee"]);
        assert_eq!(a.speaker_facet, ["Ann Lee"]);
        assert_eq!(a.date.as_deref(), Some("2022-09-15"));
        assert!(a.extract.entities[0].spans.is_empty());
        assert_eq!((a.group, a.signature), (None, None));
    }

    #[test]
    fn grouped_articles_carry_their_group_bands_and_signature() {
        let grouped = Grouped {
            group: 42,
            copy: true,
            bands: vec![7, 9],
        };
        let f = file_documents(&[article()], &ORIGIN, &[grouped]);
        let a: ArticleDoc = serde_json::from_slice(&f.docs[0].source).unwrap();
        assert_eq!(a.group.as_deref(), Some("42"));
        assert_eq!(a.band, ["7", "9"]);
        let sig = Signature::from_hex(a.signature.as_deref().unwrap()).unwrap();
        assert_eq!(sig, Signature::of(&article().body));
        let q: QuoteDoc = serde_json::from_slice(&f.docs[1].source).unwrap();
        assert!(q.quote_hash.is_some());
    }

    #[test]
    fn a_date_the_index_cannot_hold_is_stored_only() {
        let mut old = article();
        old.date = Some("1500-01-01".into());
        let a = article_doc(&old, &ORIGIN);
        assert_eq!(a.date, None);
        assert_eq!(a.extract.date.as_deref(), Some("1500-01-01"));
    }
}
