//! Warm in-process query latency of `newsidx::search::Searcher`.
//!
//! ```text
//! cargo run --release --example query_latency -- INDEX_DIR benches/queries.txt [--rounds 20] [--warmup 2]
//! ```
//!
//! Opens the index once, runs every query of the file `--warmup` times
//! untimed, then `--rounds` times timed (top 10 with snippets, as
//! `newsidx search` does), and prints per-query medians and the p50, p99
//! and max over all timed runs. `--tsv FILE` writes one line per query.
//!
//! Query file: one query a line; `#` starts a comment line. After ` | `,
//! space-separated `speaker=NAME` (underscores for spaces), `since=DAY`,
//! `until=DAY` filters.

use std::fs;
use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use clap::Parser;

use newsidx::search::{SearchRequest, Searcher};

#[derive(Debug, Parser)]
#[command(about = "Warm in-process query latency of newsidx")]
struct Args {
    /// Index directory (as built by `newsidx index`).
    index: PathBuf,
    /// Query file (see benches/queries.txt).
    queries: PathBuf,
    /// Timed runs of each query.
    #[arg(long, default_value_t = 20)]
    rounds: usize,
    /// Untimed runs of each query first.
    #[arg(long, default_value_t = 2)]
    warmup: usize,
    /// Hits per query.
    #[arg(short = 'n', long, default_value_t = 10)]
    limit: usize,
    /// Per-query results as TSV: query, total hits, median µs, max µs.
    #[arg(long)]
    tsv: Option<PathBuf>,
}

/// Parses one line of the query file; `None` for blanks and comments.
fn parse_line(line: &str, limit: usize) -> Result<Option<SearchRequest>> {
    let line = line.trim();
    if line.is_empty() || line.starts_with('#') {
        return Ok(None);
    }
    let (query, filters) = line.split_once(" | ").unwrap_or((line, ""));
    let mut req = SearchRequest {
        query: query.trim().to_owned(),
        limit,
        ..SearchRequest::default()
    };
    for filter in filters.split_whitespace() {
        match filter.split_once('=') {
            Some(("speaker", v)) => req.speakers.push(v.replace('_', " ")),
            Some(("since", v)) => req.since = Some(newsidx::article::parse_date(v)?),
            Some(("until", v)) => req.until = Some(newsidx::article::parse_date(v)?),
            _ => bail!("unknown filter {filter:?} in {line:?}"),
        }
    }
    Ok(Some(req))
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let rank = (p / 100.0 * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn main() -> Result<()> {
    let args = Args::parse();
    if args.rounds == 0 {
        bail!("--rounds must be at least 1");
    }
    let text = fs::read_to_string(&args.queries)
        .with_context(|| format!("reading {}", args.queries.display()))?;
    let mut requests = Vec::new();
    for line in text.lines() {
        if let Some(req) = parse_line(line, args.limit)? {
            requests.push(req);
        }
    }
    if requests.is_empty() {
        bail!("no queries in {}", args.queries.display());
    }

    let opened = Instant::now();
    let searcher = Searcher::open(&args.index)?;
    let open_ms = opened.elapsed().as_secs_f64() * 1e3;

    let mut totals = vec![0usize; requests.len()];
    for _ in 0..args.warmup {
        for (i, req) in requests.iter().enumerate() {
            totals[i] = searcher.search(req)?.total;
        }
    }
    // Round-robin over the queries, so a slow moment of the machine is
    // spread over all of them rather than landing on one.
    let mut per_query: Vec<Vec<f64>> = vec![Vec::with_capacity(args.rounds); requests.len()];
    for _ in 0..args.rounds {
        for (i, req) in requests.iter().enumerate() {
            let started = Instant::now();
            let results = searcher.search(req)?;
            let us = started.elapsed().as_secs_f64() * 1e6;
            std::hint::black_box(&results);
            totals[i] = results.total;
            per_query[i].push(us);
        }
    }

    let mut all: Vec<f64> = per_query.iter().flatten().copied().collect();
    all.sort_by(f64::total_cmp);
    let mut rows = Vec::new();
    for (i, times) in per_query.iter_mut().enumerate() {
        times.sort_by(f64::total_cmp);
        rows.push((i, percentile(times, 50.0), times[times.len() - 1]));
    }

    if let Some(path) = &args.tsv {
        let mut out = fs::File::create(path)?;
        writeln!(out, "query\tfilters\ttotal\tmedian_us\tmax_us")?;
        for &(i, median, max) in &rows {
            let r = &requests[i];
            let filters = format!(
                "{}{}{}",
                r.speakers
                    .iter()
                    .map(|s| format!("speaker={s} "))
                    .collect::<String>(),
                r.since
                    .as_ref()
                    .map(|d| format!("since={d} "))
                    .unwrap_or_default(),
                r.until
                    .as_ref()
                    .map(|d| format!("until={d}"))
                    .unwrap_or_default(),
            );
            writeln!(
                out,
                "{}\t{}\t{}\t{median:.0}\t{max:.0}",
                r.query,
                filters.trim(),
                totals[i]
            )?;
        }
    }
    rows.sort_by(|a, b| b.1.total_cmp(&a.1));
    println!(
        "query_latency: {} queries x {} rounds (after {} warm-up), top {}; index opened in {open_ms:.1} ms",
        requests.len(),
        args.rounds,
        args.warmup,
        args.limit
    );
    println!(
        "p50 {:.2} ms  p90 {:.2} ms  p99 {:.2} ms  max {:.2} ms  mean {:.2} ms",
        percentile(&all, 50.0) / 1e3,
        percentile(&all, 90.0) / 1e3,
        percentile(&all, 99.0) / 1e3,
        all[all.len() - 1] / 1e3,
        all.iter().sum::<f64>() / all.len() as f64 / 1e3
    );
    println!("slowest queries (median over rounds):");
    for &(i, median, max) in rows.iter().take(5) {
        println!(
            "  {:>8.2} ms (max {:>7.2})  {:>8} hits  {}",
            median / 1e3,
            max / 1e3,
            totals[i],
            requests[i].query
        );
    }
    Ok(())
}
