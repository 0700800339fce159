//! The parsed article and what is extracted from it.
//!
//! An [`Article`] is what `parse --json` prints and what the index stores.

mod byline;
mod clean;
mod date;
mod encoding;
mod error;
mod furniture;
mod html;
mod json;
mod jsonld;
mod markup;
mod meta_tags;
mod mojibake;
mod options;
mod page_date;
mod page_title;
mod read;
mod story;
mod text;

pub use clean::{drop_boilerplate, normalise};
pub use date::{indexable, parse_date, parse_date_in, DateError, DateOrder};
pub use encoding::decode;
pub use error::{ReadError, Warning, MAX_FILE_BYTES};
pub use html::language_code;
pub use json::JsonFields;
pub use options::{ParseOptions, DEFAULT_FILE_TIMEOUT};
pub use read::{parse_file, parse_text, Format};

use serde::{Deserialize, Serialize};

/// One article: its metadata, its body and what was extracted from the body.
///
/// Field names and order are the `parse --json` contract in docs/design.md.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Article {
    /// Path relative to the root that was walked (or as given).
    pub path: String,
    pub title: String,
    /// `YYYY-MM-DD`.
    pub date: Option<String>,
    pub author: Option<String>,
    pub source: Option<String>,
    pub url: Option<String>,
    /// The page's language as an ISO 639 code (`de`, `en`), from
    /// `<html lang>`, `og:locale` or JSON-LD `inLanguage`.
    #[serde(default)]
    pub lang: Option<String>,
    pub body: String,
    pub quotes: Vec<Quote>,
    pub entities: Vec<Entity>,
}

/// A direct quotation in the body, with who said it when that is known.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quote {
    /// The quoted words, without the quotation marks (`body[start..end]`).
    pub text: String,
    /// The speaker's fullest name in the article; `None` for scare quotes.
    pub speaker: Option<String>,
    /// How the attribution named the speaker, when it says more than the
    /// name ("he", "the company", "Mr. Lavrov"): why they are the speaker.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker_text: Option<String>,
    /// Byte offsets into the body.
    pub start: usize,
    pub end: usize,
}

/// What kind of thing a named entity is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EntityKind {
    Person,
    Org,
    Place,
    Misc,
}

impl EntityKind {
    pub const ALL: [EntityKind; 4] = [Self::Person, Self::Org, Self::Place, Self::Misc];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Person => "person",
            Self::Org => "org",
            Self::Place => "place",
            Self::Misc => "misc",
        }
    }
}

impl std::str::FromStr for EntityKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "person" | "per" => Ok(Self::Person),
            "org" | "organisation" | "organization" => Ok(Self::Org),
            "place" | "loc" | "location" => Ok(Self::Place),
            "misc" => Ok(Self::Misc),
            _ => Err(format!(
                "unknown entity kind {s:?} (person, org, place, misc)"
            )),
        }
    }
}

/// A named entity: one canonical name per article, with all its mentions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entity {
    /// The fullest form the article uses ("Vladimir Putin" for "Mr Putin").
    pub name: String,
    pub kind: EntityKind,
    /// Byte offsets of each mention in the body (left out of the index's
    /// stored copy, see [`crate::index::schema::Stored`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub spans: Vec<(usize, usize)>,
}
