//! The index schema: fields, analyzers, and an [`Article`] turned into
//! tantivy documents (one for the article, one per quote).
//!
//! Text fields use the `en` analyzer (lower-case, ASCII folding, stop
//! words, English stemming); names use `name` (lower-case, ASCII folding,
//! no stemming), so `putin` matches "Vladimir Putin".

use serde::{Deserialize, Serialize};
use tantivy::schema::{
    DateOptions, DateTimePrecision, Facet, FacetOptions, Field, IndexRecordOption, Schema,
    TextFieldIndexing, TextOptions, FAST, INDEXED, STORED, STRING,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RemoveLongFilter, SimpleTokenizer, StopWordFilter,
    TextAnalyzer, TextAnalyzerBuilder, Tokenizer,
};
use tantivy::{DateTime, Index, TantivyDocument};

use super::stem::{Gated, Memo, Stemming};
use crate::extract::names;
use crate::{Article, Entity, Quote};

/// Analyzer of free text: title, body, quotes.
pub const EN: &str = "newsidx_en";
/// Analyzer of names: speakers, entities.
pub const NAME: &str = "newsidx_name";

/// `kind` of an article document.
pub const KIND_ARTICLE: &str = "article";
/// `kind` of a quote document.
pub const KIND_QUOTE: &str = "quote";

/// Lucene's English stop words: short enough not to hurt phrase queries
/// on names, long enough to keep "the" and "of" out of the ranking.
const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it",
    "no", "not", "of", "on", "or", "such", "that", "the", "their", "then", "there", "these",
    "they", "this", "to", "was", "will", "with",
];

/// The facet an article (and its quotes) of a language carries: the
/// language is a facet, not a field of its own, so that indexes made
/// before it keep their schema (re-indexing, which the parser version
/// forces, gives their articles one).
pub fn lang_facet(lang: &str) -> Facet {
    Facet::from_path(["lang", lang])
}

/// The fields of the schema, resolved once.
#[derive(Debug, Clone)]
pub struct Fields {
    /// `article` or `quote`.
    pub kind: Field,
    /// The upsert key: the indexed root joined with the id. Shared by an
    /// article and its quotes, so one delete removes them all.
    pub key: Field,
    /// Canonical path of the directory that was indexed.
    pub root: Field,
    /// Path relative to the root.
    pub id: Field,
    /// Content hash of the file (with the parser version).
    pub hash: Field,
    /// Path of the file as it can be opened.
    pub path: Field,
    pub title: Field,
    pub body: Field,
    pub quotes: Field,
    pub speaker: Field,
    pub entity: Field,
    /// `/speaker/NAME`, `/person/NAME`, `/org/NAME`, `/place/NAME`, `/misc/NAME`.
    pub facets: Field,
    pub date: Field,
    pub author: Field,
    pub source: Field,
    pub url: Field,
    /// JSON of [`Stored`]: quotes and entities as extracted.
    pub extract: Field,
    /// A quote document's article title, stored only (not searched).
    pub article_title: Field,
    /// Near-duplicate groups; `None` in an index made before them.
    pub dedup: Option<DedupFields>,
}

/// The fields of near-duplicate groups (see [`super::dedup`]).
#[derive(Debug, Clone, Copy)]
pub struct DedupFields {
    /// An article's group (u64; the first article of a group made it).
    pub group: Field,
    /// An article that joined a group made before it: its group. The
    /// groups in its terms are those with more than one article.
    pub copy: Field,
    /// The signature's LSH bands, to find an article's copies.
    pub band: Field,
    /// A quote document's [`super::dedup::quote_hash`].
    pub quote: Field,
}

/// The extraction results stored with an article. Entities are stored
/// without their spans: hits show only names, and the one article a reader
/// opens is tagged again for them (the spans were 2/3 of the stored JSON).
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Stored {
    pub quotes: Vec<Quote>,
    pub entities: Vec<Entity>,
    /// The article's date when the date field cannot hold it (before 1677
    /// or after 2262): shown, not searchable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// The article's language, for the article view (the `lang` facet is
    /// what filters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
}

impl Stored {
    /// What is stored of `article`'s extraction; its date only when the
    /// date field does not hold it (`date_indexed` false).
    pub fn of(article: &Article, date_indexed: bool) -> Stored {
        Stored {
            quotes: article.quotes.clone(),
            entities: article
                .entities
                .iter()
                .map(|e| Entity {
                    name: e.name.clone(),
                    kind: e.kind,
                    spans: Vec::new(),
                })
                .collect(),
            date: article.date.clone().filter(|_| !date_indexed),
            lang: article.lang.clone(),
        }
    }
}

fn text(analyzer: &str, stored: bool) -> TextOptions {
    let indexing = TextFieldIndexing::default()
        .set_tokenizer(analyzer)
        .set_index_option(IndexRecordOption::WithFreqsAndPositions);
    let options = TextOptions::default().set_indexing_options(indexing);
    if stored {
        options.set_stored()
    } else {
        options
    }
}

/// The schema every newsidx index has.
pub fn schema() -> Schema {
    let mut b = Schema::builder();
    b.add_text_field("kind", STRING);
    b.add_text_field("key", STRING | STORED | FAST);
    b.add_text_field("root", STRING | STORED | FAST);
    b.add_text_field("id", STRING | STORED);
    b.add_text_field("hash", STRING | STORED | FAST);
    b.add_text_field("path", STORED);
    b.add_text_field("title", text(EN, true));
    b.add_text_field("body", text(EN, true));
    b.add_text_field("quotes", text(EN, true));
    b.add_text_field("speaker", text(NAME, true));
    b.add_text_field("entity", text(NAME, false));
    b.add_facet_field("facets", FacetOptions::default());
    let date = DateOptions::default()
        .set_indexed()
        .set_stored()
        .set_fast()
        .set_precision(DateTimePrecision::Seconds);
    b.add_date_field("date", date);
    b.add_text_field("author", text(NAME, true));
    b.add_text_field("source", text(NAME, true));
    b.add_text_field("url", STORED);
    b.add_text_field("extract", STORED);
    b.add_text_field("article_title", STORED);
    b.add_u64_field("group", INDEXED | FAST | STORED);
    b.add_u64_field("copy", INDEXED);
    b.add_u64_field("band", INDEXED);
    b.add_u64_field("quote_hash", INDEXED | FAST);
    b.build()
}

impl Fields {
    /// Resolves the fields of an index's schema; an index that lacks one
    /// is not a newsidx index.
    pub fn of(schema: &Schema) -> Result<Fields, String> {
        let f = |name: &str| {
            schema
                .get_field(name)
                .map_err(|_| format!("no field {name:?} in its schema"))
        };
        Ok(Fields {
            kind: f("kind")?,
            key: f("key")?,
            root: f("root")?,
            id: f("id")?,
            hash: f("hash")?,
            path: f("path")?,
            title: f("title")?,
            body: f("body")?,
            quotes: f("quotes")?,
            speaker: f("speaker")?,
            entity: f("entity")?,
            facets: f("facets")?,
            date: f("date")?,
            author: f("author")?,
            source: f("source")?,
            url: f("url")?,
            extract: f("extract")?,
            article_title: f("article_title")?,
            dedup: match (f("group"), f("copy"), f("band"), f("quote_hash")) {
                (Ok(group), Ok(copy), Ok(band), Ok(quote)) => Some(DedupFields {
                    group,
                    copy,
                    band,
                    quote,
                }),
                _ => None,
            },
        })
    }
}

/// The `en` analyzer's steps before stemming.
fn en_words() -> TextAnalyzerBuilder<impl Tokenizer> {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(StopWordFilter::remove(
            STOP_WORDS.iter().map(|s| s.to_string()),
        ))
}

/// The `en` analyzer.
pub fn en_analyzer() -> TextAnalyzer {
    en_words().filter(Stemming(Memo::default())).build()
}

/// The `en` analyzer for finding `terms` (stems) in a text: the same
/// tokens, but only words that may stem to one of the terms are stemmed.
pub fn en_highlighter<'a>(terms: impl IntoIterator<Item = &'a str>) -> TextAnalyzer {
    en_words().filter(Stemming(Gated::new(terms))).build()
}

/// The `name` analyzer.
pub fn name_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// Registers the analyzers on an index (needed on every open).
pub fn register_analyzers(index: &Index) {
    index.tokenizers().register(EN, en_analyzer());
    index.tokenizers().register(NAME, name_analyzer());
}

/// Where an article came from, for its documents.
pub struct Origin<'a> {
    pub key: &'a str,
    pub root: &'a str,
    pub path: &'a str,
    pub hash: &'a str,
    /// Its near-duplicate group, when the index has them.
    pub grouped: Option<&'a Grouped>,
}

/// An article's group, as ingest decided it.
#[derive(Debug, Clone)]
pub struct Grouped {
    pub group: u64,
    /// It joined a group that other articles are in.
    pub copy: bool,
    /// Its signature's bands (none for an article too short to group).
    pub bands: Vec<u64>,
}

/// A calendar date (`YYYY-MM-DD`) as a tantivy date at midnight UTC, if
/// the index can hold it (parsing warned of those it cannot).
pub fn date_value(date: &str) -> Option<DateTime> {
    day_value(crate::article::parse_date(date).ok()?)
}

/// The index's value of a day (its midnight, UTC), if the index can hold it.
pub fn day_value(day: time::Date) -> Option<DateTime> {
    crate::article::indexable(day).then(|| DateTime::from_utc(day.midnight().assume_utc()))
}

/// The article document and one document per quote.
pub fn documents(f: &Fields, article: &Article, origin: &Origin) -> Vec<TantivyDocument> {
    let date = article.date.as_deref().and_then(date_value);
    let mut doc = TantivyDocument::default();
    doc.add_text(f.kind, KIND_ARTICLE);
    common(f, &mut doc, article, origin, date);
    // Only articles carry the root and hash: incremental runs read them.
    doc.add_text(f.root, origin.root);
    doc.add_text(f.hash, origin.hash);
    doc.add_text(f.title, &article.title);
    doc.add_text(f.body, &article.body);
    for q in &article.quotes {
        doc.add_text(f.quotes, &q.text);
    }
    let mut speakers: Vec<&str> = article
        .quotes
        .iter()
        .filter_map(|q| q.speaker.as_deref())
        .collect();
    speakers.sort_unstable();
    speakers.dedup();
    let mut named: Vec<String> = Vec::with_capacity(speakers.len());
    for s in &speakers {
        doc.add_text(f.speaker, s);
        named.extend(names::facet_form(s));
    }
    // The facet counts people and organisations, one spelling each:
    // "TONY BLAIR" is Tony Blair, "the spokesman" is no one's name.
    named.sort_unstable();
    named.dedup();
    for s in &named {
        doc.add_facet(f.facets, Facet::from_path(["speaker", s.as_str()]));
    }
    for e in &article.entities {
        doc.add_text(f.entity, &e.name);
        doc.add_facet(
            f.facets,
            Facet::from_path([e.kind.as_str(), e.name.as_str()]),
        );
    }
    for (field, value) in [
        (f.author, &article.author),
        (f.source, &article.source),
        (f.url, &article.url),
    ] {
        if let Some(v) = value {
            doc.add_text(field, v);
        }
    }
    let stored = Stored::of(article, date.is_some());
    doc.add_text(
        f.extract,
        serde_json::to_string(&stored).unwrap_or_default(),
    );
    if let (Some(d), Some(g)) = (&f.dedup, origin.grouped) {
        doc.add_u64(d.group, g.group);
        if g.copy {
            doc.add_u64(d.copy, g.group);
        }
        for b in &g.bands {
            doc.add_u64(d.band, *b);
        }
    }

    let mut docs = Vec::with_capacity(1 + article.quotes.len());
    docs.push(doc);
    for q in &article.quotes {
        let mut qd = TantivyDocument::default();
        qd.add_text(f.kind, KIND_QUOTE);
        common(f, &mut qd, article, origin, date);
        // Stored for display, not indexed again with every quote.
        qd.add_text(f.article_title, &article.title);
        qd.add_text(f.quotes, &q.text);
        if let Some(s) = &q.speaker {
            qd.add_text(f.speaker, s);
        }
        if let Some(d) = &f.dedup {
            qd.add_u64(
                d.quote,
                super::dedup::quote_hash(&q.text, q.speaker.as_deref()),
            );
        }
        docs.push(qd);
    }
    docs
}

fn common(
    f: &Fields,
    doc: &mut TantivyDocument,
    article: &Article,
    origin: &Origin,
    date: Option<DateTime>,
) {
    doc.add_text(f.key, origin.key);
    doc.add_text(f.id, &article.path);
    doc.add_text(f.path, origin.path);
    if let Some(lang) = &article.lang {
        doc.add_facet(f.facets, lang_facet(lang));
    }
    if let Some(d) = date {
        doc.add_date(f.date, d);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::tokenizer::TokenStream;

    fn tokens(mut a: TextAnalyzer, text: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut s = a.token_stream(text);
        while s.advance() {
            out.push(s.token().text.clone());
        }
        out
    }

    #[test]
    fn the_highlighter_stems_words_that_can_match_as_the_index_does() {
        let text = "The economy grew as rates rose; dying industries, lying figures, \
                    economies and economic rates all played a part in the rating.";
        let full = tokens(en_analyzer(), text);
        let terms = ["economi", "rate", "die", "lie", "part"];
        let gated = tokens(en_highlighter(terms), text);
        assert_eq!(full.len(), gated.len());
        for (f, g) in full.iter().zip(&gated) {
            // Every word the full analyzer turns into a term, the gated one
            // does too; the others may stay unstemmed, matching no term.
            if terms.contains(&f.as_str()) {
                assert_eq!(f, g);
            } else {
                assert!(!terms.contains(&g.as_str()), "{g}");
            }
        }
        // Words that cannot match are left as they are.
        assert!(gated.contains(&"played".to_owned()), "{gated:?}");
        assert!(full.contains(&"play".to_owned()), "{full:?}");
    }

    #[test]
    fn the_memo_stems_as_tantivys_stemmer_does() {
        // Repeated: the second and third time, stems come from the memo.
        let text = "Rates rose as the rating agencies rated the economy; economies, \
                    rates and ratings rose again, rising as rates rose. "
            .repeat(3);
        let plain = en_words()
            .filter(tantivy::tokenizer::Stemmer::new(
                tantivy::tokenizer::Language::English,
            ))
            .build();
        let memo = tokens(en_analyzer(), &text);
        assert_eq!(memo, tokens(plain, &text));
        assert!(memo.contains(&"economi".to_owned()), "{memo:?}");
    }

    #[test]
    fn en_folds_stems_and_drops_stop_words() {
        assert_eq!(
            tokens(en_analyzer(), "The Summits of Café “Leaders”"),
            ["summit", "cafe", "leader"]
        );
    }

    #[test]
    fn names_are_folded_not_stemmed() {
        assert_eq!(
            tokens(name_analyzer(), "Sergeï Lavrov's"),
            ["sergei", "lavrov", "s"]
        );
    }

    #[test]
    fn schema_has_every_field() {
        assert!(Fields::of(&schema()).unwrap().dedup.is_some());
    }

    #[test]
    fn an_index_made_before_groups_opens_without_them() {
        let mut b = Schema::builder();
        for (_, entry) in schema().fields() {
            if !["group", "copy", "band", "quote_hash"].contains(&entry.name()) {
                b.add_field(entry.clone());
            }
        }
        let f = Fields::of(&b.build()).unwrap();
        assert!(f.dedup.is_none());
    }

    #[test]
    fn one_document_per_article_and_per_quote() {
        let f = Fields::of(&schema()).unwrap();
        let article = Article {
            path: "a.txt".into(),
            title: "T".into(),
            date: Some("2022-09-15".into()),
            body: "“Yes,” he said.".into(),
            quotes: vec![Quote {
                text: "Yes,".into(),
                speaker: Some("Ann Lee".into()),
                speaker_text: None,
                start: 3,
                end: 7,
            }],
            ..Article::default()
        };
        let origin = Origin {
            key: "/r/a.txt",
            root: "/r",
            path: "/r/a.txt",
            hash: "h",
            grouped: None,
        };
        let docs = documents(&f, &article, &origin);
        assert_eq!(docs.len(), 2);
    }
}
