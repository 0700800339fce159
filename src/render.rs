//! Results and summaries as text for people or JSON for scripts, written
//! into any `io::Write`.
//!
//! Colour only when asked (the binary asks when stdout is a terminal).

use std::io::{self, Write};

use serde::Serialize;

use crate::index::IngestStats;
use crate::search::{NameCount, QuoteResults, SearchResults};
use crate::Article;

use anstyle::{AnsiColor, Effects};

const BOLD_YELLOW: anstyle::Style = AnsiColor::Yellow.on_default().effects(Effects::BOLD);
const DIM: anstyle::Style = anstyle::Style::new().effects(Effects::DIMMED);
const BOLD: anstyle::Style = anstyle::Style::new().effects(Effects::BOLD);

/// Styles text when colour is on.
struct Style {
    color: bool,
}

impl Style {
    fn paint(&self, style: anstyle::Style, text: &str) -> String {
        if self.color {
            format!("{style}{text}{style:#}")
        } else {
            text.to_owned()
        }
    }
}

/// Any result as one line of JSON.
pub fn json<W: Write, T: Serialize>(w: &mut W, value: &T) -> io::Result<()> {
    serde_json::to_writer(&mut *w, value)?;
    writeln!(w)
}

/// Article hits for people.
pub fn hits<W: Write>(
    w: &mut W,
    results: &SearchResults,
    page: Page,
    color: bool,
) -> io::Result<()> {
    let style = Style { color };
    notes(w, &results.notes)?;
    if results.hits.is_empty() {
        return empty_page(w, results.total, page, "articles");
    }
    for hit in &results.hits {
        writeln!(
            w,
            "{:>3}. {}  {}",
            hit.rank,
            style.paint(BOLD, &hit.title),
            style.paint(
                DIM,
                &if page.by_date {
                    // Newest first: the date is the order, there is no score.
                    hit.date.as_deref().unwrap_or("undated").to_owned()
                } else {
                    format!(
                        "{} · score {:.2}",
                        hit.date.as_deref().unwrap_or("undated"),
                        hit.score
                    )
                }
            )
        )?;
        writeln!(w, "     {}", style.paint(DIM, &hit.path))?;
        writeln!(
            w,
            "     {}",
            highlight(&hit.snippet, &hit.highlights, &style).replace('\n', " ")
        )?;
        if !hit.speakers.is_empty() {
            writeln!(w, "     speakers: {}", hit.speakers.join(", "))?;
        }
        for q in &hit.quotes {
            let who = q.speaker.as_deref().unwrap_or("unattributed");
            writeln!(w, "       “{}” — {}", q.text.replace('\n', " "), who)?;
        }
        if hit.copies > 0 {
            let paths: Vec<&str> = hit.also.iter().take(3).map(|c| c.path.as_str()).collect();
            let more = if hit.copies > paths.len() {
                ", …"
            } else {
                ""
            };
            let s = if hit.copies == 1 { "" } else { "s" };
            writeln!(
                w,
                "     {}",
                style.paint(
                    DIM,
                    &format!(
                        "also in {} other article{s}: {}{more} (--all-copies shows them)",
                        hit.copies,
                        paths.join(", ")
                    )
                )
            )?;
        }
        writeln!(w)?;
    }
    let shown = results.hits.first().map(|h| h.rank).unwrap_or(0);
    writeln!(
        w,
        "{} of {} matching articles (from {})",
        results.hits.len(),
        results.total,
        shown
    )
}

/// The page asked for: where a list of hits starts, and its length.
#[derive(Debug, Clone, Copy)]
pub struct Page {
    pub offset: usize,
    pub limit: usize,
    /// Newest first (no scores).
    pub by_date: bool,
}

/// A page with no hits: none match, none were asked for, or the page
/// starts past the last one.
fn empty_page<W: Write>(w: &mut W, total: usize, page: Page, what: &str) -> io::Result<()> {
    if total == 0 {
        return writeln!(w, "no matching {what}");
    }
    match (total - 1).checked_div(page.limit) {
        None => writeln!(w, "{total} matching {what} (-n 0 shows none)"),
        Some(pages) => writeln!(
            w,
            "no {what} from {}: {total} match, the last page starts at --offset {}",
            page.offset + 1,
            pages * page.limit
        ),
    }
}

/// How the query was read, before the results it gave.
fn notes<W: Write>(w: &mut W, notes: &[String]) -> io::Result<()> {
    for n in notes {
        writeln!(w, "note: {n}")?;
    }
    Ok(())
}

fn highlight(snippet: &str, ranges: &[(usize, usize)], style: &Style) -> String {
    if !style.color || ranges.is_empty() {
        return snippet.to_owned();
    }
    let mut out = String::with_capacity(snippet.len() + ranges.len() * 12);
    let mut at = 0;
    for &(s, e) in ranges {
        if s < at
            || e > snippet.len()
            || !snippet.is_char_boundary(s)
            || !snippet.is_char_boundary(e)
        {
            continue;
        }
        out.push_str(&snippet[at..s]);
        out.push_str(&style.paint(BOLD_YELLOW, &snippet[s..e]));
        at = e;
    }
    out.push_str(&snippet[at..]);
    out
}

/// Quote hits for people.
pub fn quotes<W: Write>(
    w: &mut W,
    results: &QuoteResults,
    page: Page,
    color: bool,
) -> io::Result<()> {
    let style = Style { color };
    notes(w, &results.notes)?;
    if results.hits.is_empty() {
        return empty_page(w, results.total, page, "quotes");
    }
    for q in &results.hits {
        let more = if q.articles > 1 {
            format!(" · in {} articles (first published here)", q.articles)
        } else {
            String::new()
        };
        writeln!(
            w,
            "{:>3}. “{}”\n     — {}  {}",
            q.rank,
            q.text.replace('\n', " "),
            style.paint(BOLD, q.speaker.as_deref().unwrap_or("unattributed")),
            style.paint(
                DIM,
                &format!(
                    "{} · {} · {}{more}",
                    q.date.as_deref().unwrap_or("undated"),
                    q.title,
                    q.path
                )
            )
        )?;
    }
    writeln!(
        w,
        "{} of {} matching quotes",
        results.hits.len(),
        results.total
    )
}

/// A timeline of quotes for people: a line per period, with its first quote.
pub fn timeline<W: Write>(
    w: &mut W,
    t: &crate::search::timeline::Timeline,
    color: bool,
) -> io::Result<()> {
    let style = Style { color };
    if t.periods.is_empty() && t.undated == 0 {
        return writeln!(w, "no quotes match");
    }
    let widest = t.periods.iter().map(|p| p.period.len()).max().unwrap_or(0);
    for p in &t.periods {
        let first = &p.first;
        let text: String = first.text.replace('\n', " ").chars().take(90).collect();
        let cut = if first.text.chars().count() > 90 {
            "…"
        } else {
            ""
        };
        writeln!(
            w,
            "{:<widest$}  {:>4} quote{}  first {} “{text}{cut}” — {}  {}",
            p.period,
            p.quotes,
            if p.quotes == 1 { " " } else { "s" },
            first.date.as_deref().unwrap_or("undated"),
            style.paint(BOLD, first.speaker.as_deref().unwrap_or("unattributed")),
            style.paint(DIM, &first.path),
        )?;
    }
    if t.undated > 0 {
        writeln!(w, "{} quotes from undated articles", t.undated)?;
    }
    writeln!(w, "{} quotes in {} periods", t.total, t.periods.len())
}

/// Name counts (speakers, entities) for people.
pub fn names<W: Write>(w: &mut W, counts: &[NameCount]) -> io::Result<()> {
    if counts.is_empty() {
        return writeln!(w, "none");
    }
    for c in counts {
        match c.kind {
            Some(k) => writeln!(w, "{:>6}  {:<7} {}", c.count, k.as_str(), c.name)?,
            None => writeln!(w, "{:>6}  {}", c.count, c.name)?,
        }
    }
    Ok(())
}

/// One parsed article for people (`parse` without `--json`).
pub fn article<W: Write>(w: &mut W, a: &Article) -> io::Result<()> {
    writeln!(w, "{}", a.path)?;
    writeln!(w, "  title:  {}", a.title)?;
    for (k, v) in [
        ("date", &a.date),
        ("author", &a.author),
        ("source", &a.source),
        ("url", &a.url),
    ] {
        if let Some(v) = v {
            writeln!(w, "  {k}:{:pad$}{v}", "", pad = 7 - k.len())?;
        }
    }
    writeln!(w, "  body:   {} bytes", a.body.len())?;
    writeln!(w, "  quotes: {}", a.quotes.len())?;
    for q in &a.quotes {
        writeln!(
            w,
            "    “{}” — {}",
            q.text.replace('\n', " "),
            q.speaker.as_deref().unwrap_or("(no speaker)")
        )?;
    }
    writeln!(w, "  entities: {}", a.entities.len())?;
    for e in &a.entities {
        writeln!(
            w,
            "    {:<7} {} ({}x)",
            e.kind.as_str(),
            e.name,
            e.spans.len()
        )?;
    }
    Ok(())
}

/// The end-of-run summary of `index`.
pub fn summary<W: Write>(w: &mut W, s: &IngestStats) -> io::Result<()> {
    let rate = if s.seconds > 0.0 {
        s.articles as f64 / s.seconds
    } else {
        0.0
    };
    // Three huge files in 7 s are 0.4 articles/s, not 0.
    let rate = if rate >= 10.0 {
        format!("{rate:.0}")
    } else {
        format!("{rate:.1}")
    };
    writeln!(
        w,
        "indexed {} files: {} added, {} updated, {} unchanged, {} removed, {} skipped; {} articles written, {} quotes, {} entities; {:.1} MB in {:.2} s ({} articles/s)",
        s.seen,
        s.added,
        s.updated,
        s.unchanged,
        s.removed,
        s.skipped.len(),
        s.articles,
        s.quotes,
        s.entities,
        s.bytes as f64 / 1e6,
        s.seconds,
        rate
    )?;
    if !s.skipped.is_empty() {
        let mut kinds: Vec<(&str, usize)> = Vec::new();
        for k in s.skipped.iter().map(|x| x.kind) {
            match kinds.iter_mut().find(|(n, _)| *n == k) {
                Some((_, c)) => *c += 1,
                None => kinds.push((k, 1)),
            }
        }
        let list: Vec<String> = kinds.iter().map(|(k, c)| format!("{c} {k}")).collect();
        writeln!(w, "skipped: {}", list.join(", "))?;
    }
    if s.copies > 0 || s.moved > 0 {
        writeln!(
            w,
            "{} articles written were copies of others (grouped), {} files re-pointed without parsing",
            s.copies, s.moved
        )?;
    }
    if s.passed.total() > 0 {
        writeln!(w, "{}", passed_line(&s.passed))?;
    }
    if !s.warnings.is_empty() {
        writeln!(w, "{} files indexed with warnings", s.warnings.len())?;
    }
    Ok(())
}

/// "not read: 2 not articles by their name (PROVENANCE.md, README.TXT), 3
/// of other types (2 .docx, 1 .xml), 4 excluded".
fn passed_line(p: &crate::select::Passed) -> String {
    let mut parts = Vec::new();
    if p.named > 0 {
        let more = if p.named > p.names.len() { ", …" } else { "" };
        parts.push(format!(
            "{} not articles by their name ({}{more}; name a file to index it)",
            p.named,
            p.names.join(", ")
        ));
    }
    let typed: usize = p.types.values().sum();
    if typed > 0 {
        let mut types: Vec<(&String, &usize)> = p.types.iter().collect();
        types.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        let list: Vec<String> = types
            .iter()
            .map(|(ext, n)| {
                if ext.is_empty() {
                    format!("{n} without extension")
                } else {
                    format!("{n} .{ext}")
                }
            })
            .collect();
        parts.push(format!("{typed} of other types ({})", list.join(", ")));
    }
    if p.excluded > 0 {
        parts.push(format!("{} excluded", p.excluded));
    }
    format!("not read: {}", parts.join(", "))
}

/// `newsidx roots` for people.
pub fn roots<W: Write>(w: &mut W, roots: &[crate::index::roots::Root]) -> io::Result<()> {
    if roots.is_empty() {
        return writeln!(w, "no directory is indexed");
    }
    for r in roots {
        writeln!(
            w,
            "{:>8} articles  {:<20}  {}{}",
            r.articles,
            r.indexed.as_deref().unwrap_or("(date not kept)"),
            r.path,
            if r.missing { "  (missing)" } else { "" }
        )?;
    }
    Ok(())
}

/// `newsidx stats` for people.
pub fn index_stats<W: Write>(w: &mut W, s: &crate::index::stats::IndexStats) -> io::Result<()> {
    writeln!(w, "articles   {}", s.articles)?;
    writeln!(w, "quotes     {}", s.quotes)?;
    writeln!(w, "speakers   {}", s.speakers)?;
    writeln!(
        w,
        "entities   {} ({} people, {} organisations, {} places, {} other)",
        s.entities, s.people, s.organisations, s.places, s.other_names
    )?;
    writeln!(w, "dated      {} ({:.1}%)", s.dated, s.dated_share * 100.0)?;
    match (s.groups, s.grouped_articles) {
        (Some(g), Some(a)) => writeln!(w, "copies     {g} groups of near-duplicates hold {a} articles")?,
        _ => writeln!(w, "copies     not grouped (an index made before groups: index into a new one to have them)")?,
    }
    writeln!(w, "roots      {}", s.roots)?;
    writeln!(
        w,
        "segments   {} ({} deleted documents until a merge)",
        s.segments, s.deleted
    )?;
    writeln!(w, "on disk    {:.1} MB", s.bytes as f64 / 1e6)
}

/// The `index` summary for scripts.
#[derive(Serialize)]
pub struct StatsJson<'a> {
    pub seen: usize,
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub removed: usize,
    pub articles: usize,
    pub skipped: Vec<SkippedJson<'a>>,
    pub warnings: Vec<SkippedJson<'a>>,
    pub quotes: usize,
    pub entities: usize,
    pub bytes: u64,
    pub seconds: f64,
    /// Files not read: by extension, by name, excluded.
    pub not_read: NotReadJson<'a>,
    /// Articles written that joined a group of near-duplicates.
    pub copies: usize,
    /// Files re-pointed from another indexed directory, not parsed again.
    pub moved: usize,
    /// A directory inside or around an indexed one, a moved one found.
    pub notes: &'a [String],
}

/// Files the walk did not read, by reason.
#[derive(Serialize)]
pub struct NotReadJson<'a> {
    /// Per extension (`""` for none).
    pub types: &'a std::collections::BTreeMap<String, usize>,
    /// README, LICENSE, PROVENANCE…: their number, and the first names.
    pub by_name: usize,
    pub names: &'a [String],
    pub excluded: usize,
}

/// A file and a reason.
#[derive(Serialize)]
pub struct SkippedJson<'a> {
    pub path: String,
    pub reason: &'a str,
}

impl<'a> From<&'a IngestStats> for StatsJson<'a> {
    fn from(s: &'a IngestStats) -> Self {
        StatsJson {
            seen: s.seen,
            added: s.added,
            updated: s.updated,
            unchanged: s.unchanged,
            removed: s.removed,
            articles: s.articles,
            skipped: s
                .skipped
                .iter()
                .map(|x| SkippedJson {
                    path: x.path.display().to_string(),
                    reason: &x.reason,
                })
                .collect(),
            warnings: s
                .warnings
                .iter()
                .map(|(p, m)| SkippedJson {
                    path: p.display().to_string(),
                    reason: m,
                })
                .collect(),
            quotes: s.quotes,
            entities: s.entities,
            bytes: s.bytes,
            seconds: s.seconds,
            copies: s.copies,
            moved: s.moved,
            notes: &s.notes,
            not_read: NotReadJson {
                types: &s.passed.types,
                by_name: s.passed.named,
                names: &s.passed.names,
                excluded: s.passed.excluded,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlights_only_with_colour() {
        let plain = highlight("the summit ended", &[(4, 10)], &Style { color: false });
        assert_eq!(plain, "the summit ended");
        let coloured = highlight("the summit ended", &[(4, 10)], &Style { color: true });
        assert_eq!(
            coloured,
            format!("the {BOLD_YELLOW}summit{BOLD_YELLOW:#} ended")
        );
        assert_eq!(coloured, "the \x1b[1m\x1b[33msummit\x1b[0m ended");
    }

    #[test]
    fn bad_ranges_are_ignored_not_panicked_on() {
        let s = highlight("é", &[(1, 2), (0, 99)], &Style { color: true });
        assert_eq!(s, "é");
    }
}
