//! Dates as news sources write them, to calendar dates: ISO 8601, RFC 3339
//! and RFC 2822 (the `time` crate's parsers), then day, month and year in
//! the orders and languages of news pages, with weekdays, times and words
//! around them ("Updated: Tuesday, 13 Sept. 2022, 10:00 BST").
//!
//! Numeric dates whose order is unclear ("03/04/2024") are not guessed:
//! the caller says the order ([`DateOrder`]) or gets [`DateError::Ambiguous`].
//! dtparse, dateparser and anydate were tried on the same forms: the first
//! reads "03/04/2024" as March without a word and fills a missing day from
//! today ("Sep 2022" became the 2nd), the others miss weekday prefixes,
//! "Sept." and day-first numbers; none says when a date is ambiguous.

use time::format_description::well_known::{Iso8601, Rfc2822, Rfc3339};
use time::{Date, Month, OffsetDateTime, PrimitiveDateTime};

use super::error::Warning;

/// The order of day and month in numeric dates, when the source says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateOrder {
    /// 03/04/2024 is 3 April (most of the world).
    DayFirst,
    /// 03/04/2024 is March 4 (the United States).
    MonthFirst,
}

/// Why a text is not a date.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    /// No day, month and year in it.
    #[error("not a date")]
    NotADate,
    /// A numeric date that reads both ways: (day first, month first).
    #[error("ambiguous ({0} day first, {1} month first; --date-order says which)")]
    Ambiguous(Date, Date),
    /// A date no news page has ("0001-01-01"): a placeholder.
    #[error("a placeholder ({0}), not a publication date")]
    Implausible(Date),
}

/// The earliest and latest days the index can hold (tantivy dates are
/// nanoseconds in an `i64`); an article dated outside keeps its date as
/// text only.
pub fn indexable(d: Date) -> bool {
    let first = Date::from_calendar_date(1677, Month::September, 22).expect("a date");
    let last = Date::from_calendar_date(2262, Month::April, 10).expect("a date");
    (first..=last).contains(&d)
}

/// An article's date from the text of a field (`YYYY-MM-DD`); what is not
/// a date, or not one the index can hold, is said in a warning.
pub(super) fn article_date(
    value: &str,
    order: Option<DateOrder>,
    warnings: &mut Vec<Warning>,
) -> Option<String> {
    match parse_date_in(value, order) {
        Ok(d) => {
            if !indexable(d) {
                warnings.push(Warning::DateOutOfRange(d.to_string()));
            }
            Some(d.to_string())
        }
        Err(e) => {
            warnings.push(Warning::Date(value.trim().chars().take(80).collect(), e));
            None
        }
    }
}

/// A date in any of the usual forms, as a calendar date.
pub fn parse_date(s: &str) -> Result<Date, DateError> {
    parse_date_in(s, None)
}

/// [`parse_date`], with the order of numeric dates if the source says it.
pub fn parse_date_in(s: &str, order: Option<DateOrder>) -> Result<Date, DateError> {
    let s = s.trim();
    if let Some(d) = well_known(s) {
        return Ok(d);
    }
    let tokens = tokenize(s);
    if let [Token::Number(n, digits)] = tokens[..] {
        return single_number(n, digits);
    }
    let mut ambiguous = None;
    for i in 0..tokens.len() {
        match read_at(&tokens[i..], order) {
            Some(Ok(d)) => return Ok(d),
            Some(Err(e)) => {
                ambiguous.get_or_insert(e);
            }
            None => {}
        }
    }
    Err(ambiguous.unwrap_or(DateError::NotADate))
}

/// ISO 8601, RFC 3339 and RFC 2822 timestamps, and a date that opens with
/// a year (`2022-09-15 10:30`, `2022/09/15`): never in doubt.
fn well_known(s: &str) -> Option<Date> {
    if let Ok(dt) = OffsetDateTime::parse(s, &Rfc3339) {
        return Some(dt.date());
    }
    if let Ok(dt) = OffsetDateTime::parse(s, &Rfc2822) {
        return Some(dt.date());
    }
    if let Ok(dt) = OffsetDateTime::parse(s, &Iso8601::DEFAULT) {
        return Some(dt.date());
    }
    if let Ok(dt) = PrimitiveDateTime::parse(s, &Iso8601::DEFAULT) {
        return Some(dt.date());
    }
    Date::parse(s, &Iso8601::DEFAULT).ok()
}

/// A date given as one number: `20220915`, or a Unix time in seconds or
/// milliseconds (JSON exports).
fn single_number(n: u64, digits: usize) -> Result<Date, DateError> {
    let date = match digits {
        8 => ymd((n / 10_000) as i32, (n / 100 % 100) as u8, (n % 100) as u8),
        9 | 10 => OffsetDateTime::from_unix_timestamp(n as i64)
            .ok()
            .map(|t| t.date()),
        12 | 13 => OffsetDateTime::from_unix_timestamp((n / 1000) as i64)
            .ok()
            .map(|t| t.date()),
        _ => None,
    };
    date.ok_or(DateError::NotADate)
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Token {
    /// A number and how many digits it was written with.
    Number(u64, usize),
    MonthName(Month),
    /// A separator between numbers: `/`, `-`, `.`.
    Sep(char),
    /// Any other word, or punctuation that ends a date.
    Other,
}

fn tokenize(s: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut chars = s.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        if c.is_ascii_digit() {
            let mut end = start + 1;
            while let Some(&(i, d)) = chars.peek() {
                if !d.is_ascii_digit() {
                    break;
                }
                end = i + 1;
                chars.next();
            }
            let digits = &s[start..end];
            let rest = &s[end..];
            // A time of day ("10:27:24", "3:15") is no part of a date.
            if rest.starts_with(':') && rest[1..].starts_with(|c: char| c.is_ascii_digit()) {
                while chars
                    .peek()
                    .is_some_and(|&(_, c)| c.is_ascii_digit() || c == ':' || c == '.')
                {
                    chars.next();
                }
                continue;
            }
            // "15th", "1er", "2nd": the ordinal suffix goes with the number.
            for suffix in ["st", "nd", "rd", "th", "er", "º", "°"] {
                if rest.starts_with(suffix)
                    && !rest[suffix.len()..].starts_with(char::is_alphabetic)
                {
                    for _ in suffix.chars() {
                        chars.next();
                    }
                }
            }
            match digits.parse::<u64>() {
                Ok(n) if digits.len() <= 14 => out.push(Token::Number(n, digits.len())),
                _ => out.push(Token::Other),
            }
        } else if c.is_alphabetic() {
            let mut end = start + c.len_utf8();
            while let Some(&(i, d)) = chars.peek() {
                if !d.is_alphabetic() {
                    break;
                }
                end = i + d.len_utf8();
                chars.next();
            }
            let word = s[start..end].to_lowercase();
            if let Some(m) = month(&word) {
                out.push(Token::MonthName(m));
            } else if !FILLER.contains(&word.as_str()) {
                out.push(Token::Other);
            }
        } else if matches!(c, '/' | '-' | '.') {
            out.push(Token::Sep(c));
        } else if !c.is_whitespace() && c != ',' {
            out.push(Token::Other);
        }
    }
    out
}

/// Words that stand between the parts of a date ("15 de septiembre de
/// 2022", "the 15th of September"), and weekdays, which add nothing.
const FILLER: &[&str] = &[
    "of",
    "the",
    "de",
    "del",
    "den",
    "le",
    "la",
    "el",
    "di",
    "van",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "mon",
    "tue",
    "tues",
    "wed",
    "thu",
    "thur",
    "thurs",
    "fri",
    "sat",
    "sun",
    "montag",
    "dienstag",
    "mittwoch",
    "donnerstag",
    "freitag",
    "samstag",
    "sonntag",
    "lundi",
    "mardi",
    "mercredi",
    "jeudi",
    "vendredi",
    "samedi",
    "dimanche",
    "lunes",
    "martes",
    "miércoles",
    "jueves",
    "viernes",
    "sábado",
    "domingo",
    "lunedì",
    "martedì",
    "mercoledì",
    "giovedì",
    "venerdì",
    "sabato",
    "domenica",
    "maandag",
    "dinsdag",
    "woensdag",
    "donderdag",
    "vrijdag",
    "zaterdag",
    "zondag",
    "segunda",
    "terça",
    "quarta",
    "quinta",
    "sexta",
    "feira",
    // Times of day and their zones: "Fri Feb 18 10:27:24 CET 2022".
    "am",
    "pm",
    "a",
    "p",
    "m",
    "utc",
    "gmt",
    "z",
    "bst",
    "ist",
    "cet",
    "cest",
    "eet",
    "eest",
    "wet",
    "west",
    "msk",
    "est",
    "edt",
    "cst",
    "cdt",
    "mst",
    "mdt",
    "pst",
    "pdt",
    "akst",
    "akdt",
    "hst",
    "aest",
    "aedt",
    "acst",
    "awst",
    "nzst",
    "nzdt",
    "jst",
    "kst",
    "hkt",
    "sgt",
];

/// Month names and their usual short forms in English, German, French,
/// Spanish, Italian, Dutch and Portuguese (lower case, no final period).
const MONTHS: [&[&str]; 12] = [
    &[
        "january", "jan", "januar", "jänner", "jän", "janvier", "janv", "enero", "ene", "gennaio",
        "gen", "januari", "janeiro",
    ],
    &[
        "february",
        "feb",
        "febr",
        "februar",
        "feber",
        "février",
        "fév",
        "fevrier",
        "févr",
        "fevr",
        "febrero",
        "febbraio",
        "februari",
        "fevereiro",
        "fev",
    ],
    &[
        "march", "mar", "märz", "maerz", "mär", "mrz", "mars", "marzo", "maart", "mrt", "março",
        "marco",
    ],
    &["april", "apr", "avril", "avr", "abril", "abr", "aprile"],
    &["may", "mai", "mayo", "maggio", "mag", "mei", "maio"],
    &[
        "june", "jun", "juni", "juin", "junio", "giugno", "giu", "junho",
    ],
    &[
        "july", "jul", "juli", "juillet", "juil", "julio", "luglio", "lug", "julho",
    ],
    &[
        "august", "aug", "août", "aout", "aoû", "agosto", "ago", "augustus",
    ],
    &[
        "september",
        "sep",
        "sept",
        "septembre",
        "septiembre",
        "setiembre",
        "settembre",
        "sett",
        "set",
        "setembro",
    ],
    &[
        "october", "oct", "oktober", "okt", "octobre", "octubre", "ottobre", "ott", "outubro",
        "out",
    ],
    &["november", "nov", "novembre", "noviembre", "novembro"],
    &[
        "december",
        "dec",
        "dezember",
        "dez",
        "décembre",
        "decembre",
        "déc",
        "diciembre",
        "dic",
        "dicembre",
        "dezembro",
    ],
];

fn month(word: &str) -> Option<Month> {
    let i = MONTHS.iter().position(|names| names.contains(&word))?;
    Month::try_from(i as u8 + 1).ok()
}

fn ymd(year: i32, month: u8, day: u8) -> Option<Date> {
    Date::from_calendar_date(year, Month::try_from(month).ok()?, day).ok()
}

/// A year as written: four digits, or two (`22` is 2022, `98` is 1998).
fn year(n: u64, digits: usize) -> Option<i32> {
    match digits {
        4 => Some(n as i32),
        2 if n < 70 => Some(2000 + n as i32),
        2 => Some(1900 + n as i32),
        _ => None,
    }
}

fn day(n: u64, digits: usize) -> Option<u8> {
    (digits <= 2 && (1..=31).contains(&n)).then_some(n as u8)
}

/// The date that starts at `t[0]`, if one does: `Some(Err)` when it is
/// numeric and ambiguous.
fn read_at(t: &[Token], order: Option<DateOrder>) -> Option<Result<Date, DateError>> {
    use Token::*;
    let date = |y: Option<i32>, m: Month, d: Option<u8>| {
        Some(Ok(Date::from_calendar_date(y?, m, d?).ok()?))
    };
    // A period after an abbreviated month ("Sept.") or a day before a
    // month name ("15. September", German) is not a separator.
    let window = &t[..t.len().min(7)];
    let t_no_dot: Vec<Token> = window
        .iter()
        .enumerate()
        .filter(|&(i, tok)| {
            let after_month = i > 0 && matches!(window[i - 1], MonthName(_));
            let before_month = matches!(window.get(i + 1), Some(MonthName(_)));
            !(*tok == Sep('.') && (after_month || before_month))
        })
        .map(|(_, tok)| *tok)
        .collect();
    match t_no_dot[..] {
        // 15 September 2022
        [Number(d, dd), MonthName(m), Number(y, yd), ..] if yd == 4 => {
            date(year(y, yd), m, day(d, dd))
        }
        // September 15, 2022; Sept. 15 2022
        [MonthName(m), Number(d, dd), Number(y, 4), ..] => date(Some(y as i32), m, day(d, dd)),
        // 2022 September 15
        [Number(y, 4), MonthName(m), Number(d, dd), ..] => date(Some(y as i32), m, day(d, dd)),
        _ => numeric(t, order),
    }
}

/// `n/n/n`, `n.n.n` or `n-n-n` with one separator throughout.
fn numeric(t: &[Token], order: Option<DateOrder>) -> Option<Result<Date, DateError>> {
    use Token::*;
    let [Number(a, ad), Sep(s1), Number(b, bd), Sep(s2), Number(c, cd), ..] = t[..] else {
        return None;
    };
    if s1 != s2 || ad > 4 || bd > 2 || cd > 4 {
        return None;
    }
    if ad == 4 {
        return Some(ymd(a as i32, b as u8, c as u8).ok_or(DateError::NotADate));
    }
    if ad > 2 {
        return None;
    }
    let y = year(c, cd)?;
    let dmy = ymd(y, b as u8, a as u8);
    let mdy = ymd(y, a as u8, b as u8);
    // Dotted dates are day first wherever they are written.
    let order = if s1 == '.' {
        Some(DateOrder::DayFirst)
    } else {
        order
    };
    Some(match (dmy, mdy, order) {
        (Some(d), Some(m), _) if d == m => Ok(d),
        (Some(d), None, _) | (Some(d), _, Some(DateOrder::DayFirst)) => Ok(d),
        (None, Some(m), _) | (_, Some(m), Some(DateOrder::MonthFirst)) => Ok(m),
        (Some(d), Some(m), None) => Err(DateError::Ambiguous(d, m)),
        (None, None, _) => Err(DateError::NotADate),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Option<String> {
        parse_date(s).ok().map(|d| d.to_string())
    }

    #[test]
    fn the_usual_forms() {
        let want = Some("2022-09-15".to_string());
        for s in [
            "2022-09-15",
            "2022-09-15T10:30:00Z",
            "2022-09-15T10:30:00+02:00",
            "2022-09-15T10:30:00.123-05:00",
            "2022-09-15 10:30",
            "Thu, 15 Sep 2022 10:00:00 +0000",
            "September 15, 2022",
            "Sep 15, 2022",
            "Sept. 15, 2022",
            "15 Sept 2022",
            "15 Sept. 2022",
            "15 September 2022",
            "15th September 2022",
            "September 15th, 2022",
            "Thursday, 15 September 2022",
            "Thursday, September 15, 2022",
            "15 SEPTEMBER 2022",
            "2022/09/15",
            "20220915",
            "15/09/2022",
            "09/15/2022",
            "15.09.2022",
            "15. September 2022",
            "15 de septiembre de 2022",
            "15 settembre 2022",
            "le 15 septembre 2022",
            "Updated: 15 September 2022, 10:00 BST",
            "Published 3:15 PM EDT, Thu September 15, 2022",
            "Thu Sep 15 10:27:24 2022",
            "Thu Sep 15 10:27:24 CEST 2022",
            "15 September 2022 at 10:30 a.m.",
            "1663236000",
            "15 sett. 2022",
            "15 set 2022",
            "15 de setembro de 2022",
            "15 september 2022",
            "15 sep. 2022",
            "Do., 15. Sep. 2022",
            "jeudi 15 sept. 2022",
            "jueves, 15 de septiembre de 2022",
            "giovedì 15 settembre 2022",
            "donderdag 15 september 2022",
            "quinta-feira, 15 de setembro de 2022",
        ] {
            assert_eq!(d(s), want, "{s:?}");
        }
        assert_eq!(d("Tuesday, September 13, 2022"), Some("2022-09-13".into()));
        assert_eq!(d("15 AUGUST 2022"), Some("2022-08-15".into()));
        assert_eq!(d("3 fév. 2022"), Some("2022-02-03".into()));
        assert_eq!(d("3. Feber 2022"), Some("2022-02-03".into()));
        assert_eq!(d("3. Jän. 2022"), Some("2022-01-03".into()));
        assert_eq!(d("3 aoû 2022"), Some("2022-08-03".into()));
        assert_eq!(d("1 Mar 98"), None, "a two-digit year only in numbers");
        assert_eq!(d("1/3/98"), None, "ambiguous");
        assert_eq!(d("13/3/98"), Some("1998-03-13".into()));
    }

    #[test]
    fn what_is_not_a_date_is_not_made_one() {
        for s in [
            "yesterday",
            "2022-13-45",
            "February 30, 2022",
            "Sep 2022",
            "2022",
            "Monday",
            "12:30",
            "Page 3 of 12",
            "Issue 12 of 2019",
            "99999999999999999999",
            "",
        ] {
            assert_eq!(parse_date(s), Err(DateError::NotADate), "{s:?}");
        }
    }

    #[test]
    fn ambiguous_numbers_need_an_order() {
        let dmy = Date::from_calendar_date(2024, Month::April, 3).unwrap();
        let mdy = Date::from_calendar_date(2024, Month::March, 4).unwrap();
        assert_eq!(
            parse_date("03/04/2024"),
            Err(DateError::Ambiguous(dmy, mdy))
        );
        assert_eq!(
            parse_date_in("03/04/2024", Some(DateOrder::DayFirst)),
            Ok(dmy)
        );
        assert_eq!(
            parse_date_in("03/04/2024", Some(DateOrder::MonthFirst)),
            Ok(mdy)
        );
        assert_eq!(parse_date("04/04/2024").unwrap().to_string(), "2024-04-04");
        assert!(parse_date("03/04/2024")
            .unwrap_err()
            .to_string()
            .contains("ambiguous"));
    }

    #[test]
    fn the_index_holds_1677_to_2262() {
        assert!(indexable(parse_date("1700-01-01").unwrap()));
        assert!(!indexable(parse_date("1500-03-01").unwrap()));
        assert!(!indexable(parse_date("3000-01-01").unwrap()));
    }
}
