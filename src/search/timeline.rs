//! A speaker's timeline: how many quotes per period (month, year…), each
//! counted at its first publication, and the first quote of each period.

use serde::Serialize;
use tantivy::DateTime;

use super::collapse::FirstSeen;
use super::hits::QuoteHit;

/// The length of a timeline's periods.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Year,
    Month,
    Week,
    Day,
}

impl Period {
    /// The period a date falls in: `2005`, `2005-03`, `2005-W09`, `2005-03-01`.
    pub fn label(self, date: DateTime) -> String {
        let d = date.into_utc().date();
        match self {
            Period::Year => format!("{:04}", d.year()),
            Period::Month => format!("{:04}-{:02}", d.year(), u8::from(d.month())),
            Period::Week => {
                let (y, w, _) = d.to_iso_week_date();
                format!("{y:04}-W{w:02}")
            }
            Period::Day => d.to_string(),
        }
    }
}

/// A speaker's (or any request's) quotes over time.
#[derive(Debug, Clone, Serialize)]
pub struct Timeline {
    pub query: String,
    /// Quotes (counted once each, at their first publication) in all.
    pub total: usize,
    pub periods: Vec<PeriodCount>,
    /// Quotes of which no article is dated.
    pub undated: usize,
}

/// One period of a timeline.
#[derive(Debug, Clone, Serialize)]
pub struct PeriodCount {
    pub period: String,
    pub quotes: usize,
    /// The first quote published in the period.
    pub first: QuoteHit,
}

/// The matches' first publications, each once, as (date, address), in
/// date order (the undated last).
pub(super) fn first_publications(
    seen: Vec<(Option<DateTime>, tantivy::DocAddress)>,
) -> Vec<(Option<DateTime>, tantivy::DocAddress)> {
    let mut seen = seen;
    seen.sort_by(|a, b| match (a.0, b.0) {
        (Some(x), Some(y)) => x.cmp(&y).then(a.1.cmp(&b.1)),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.1.cmp(&b.1),
    });
    seen
}

/// The collector of first publications.
pub(super) fn collector() -> FirstSeen {
    FirstSeen {
        field: "quote_hash",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_are_labelled() {
        let d = DateTime::from_utc(time::macros::datetime!(2005-03-01 0:00 UTC));
        assert_eq!(Period::Year.label(d), "2005");
        assert_eq!(Period::Month.label(d), "2005-03");
        assert_eq!(Period::Week.label(d), "2005-W09");
        assert_eq!(Period::Day.label(d), "2005-03-01");
    }
}
