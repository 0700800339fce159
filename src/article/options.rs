//! How files are parsed and what is extracted from them.

use super::date::DateOrder;
use super::json::JsonFields;

/// How files are parsed and what is extracted from them.
#[derive(Debug, Clone)]
pub struct ParseOptions {
    pub json_fields: JsonFields,
    /// Extract named entities (the costliest step of extraction).
    pub entities: bool,
    /// The most time one file may take; past it the file is skipped.
    pub time_budget: Option<std::time::Duration>,
    /// The order of day and month in numeric dates, if the archive says it.
    pub date_order: Option<DateOrder>,
}

/// The default time budget per file: a 15 MB text dump parses in about
/// 3 s on one core, so only a file that defeats the parser reaches it.
pub const DEFAULT_FILE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(60);

impl Default for ParseOptions {
    fn default() -> Self {
        ParseOptions {
            json_fields: JsonFields::default(),
            entities: true,
            time_budget: Some(DEFAULT_FILE_TIMEOUT),
            date_order: None,
        }
    }
}
