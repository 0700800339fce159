//! Deterministic benchmark corpus: N articles recombined from the
//! paragraphs of a source directory of real articles.
//!
//! ```text
//! cargo run --release --example gen_corpus -- SOURCE_DIR OUT_DIR -n 20000 [--seed 42]
//! ```
//!
//! Writes `OUT_DIR/0000/0000000.txt` ... (folders of 1,000) in the `.txt`
//! format newsidx reads: a front matter with a date (spread over
//! 2015-2024), the title line, a blank line, the body paragraphs. It also
//! writes the same titles and bodies as NDJSON (`{"title":…,"body":…}` per
//! line) to `OUT_DIR.ndjson` (or `--ndjson PATH`) for the peer engines.
//!
//! Each generated article takes a source article as its base (title and
//! paragraph count) and swaps about half of its paragraphs for paragraphs
//! of other source articles, all drawn from a ChaCha8 RNG seeded with
//! `--seed`: the same source, N and seed give the same bytes. Output is
//! streamed; only the source paragraphs are held in memory. Files named
//! README*, PROVENANCE*, LICENSE* or CHANGELOG* in the source are skipped.

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use clap::Parser;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use time::{Date, Duration, Month};

use newsidx::article::{parse_file, ParseOptions};
use newsidx::discover::discover;
use newsidx::load::read_bounded;

#[derive(Debug, Parser)]
#[command(about = "Generate a deterministic benchmark corpus from real articles")]
struct Args {
    /// Directory of source articles (.txt, .md), read with newsidx's own reader.
    source: PathBuf,
    /// Output directory (created; must be empty or absent).
    out: PathBuf,
    /// Number of articles to write.
    #[arg(short = 'n', long, default_value_t = 1000)]
    n: usize,
    /// RNG seed.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Where to write the NDJSON copy [default: OUT_DIR.ndjson].
    #[arg(long)]
    ndjson: Option<PathBuf>,
    /// Articles per folder.
    #[arg(long, default_value_t = 1000)]
    per_dir: usize,
}

struct Source {
    title: String,
    paragraphs: Vec<String>,
}

#[derive(serde::Serialize)]
struct Line<'a> {
    title: &'a str,
    body: &'a str,
}

fn main() -> Result<()> {
    let args = Args::parse();
    if args.per_dir == 0 {
        bail!("--per-dir must be at least 1");
    }
    let started = Instant::now();
    let sources = read_sources(&args)?;
    // A flat list of every paragraph, for the swapped-in ones.
    let pool: Vec<&str> = sources
        .iter()
        .flat_map(|s| s.paragraphs.iter().map(String::as_str))
        .collect();
    if sources.is_empty() || pool.is_empty() {
        bail!("no usable articles under {}", args.source.display());
    }

    if args.out.exists() && fs::read_dir(&args.out)?.next().is_some() {
        bail!("{} exists and is not empty", args.out.display());
    }
    fs::create_dir_all(&args.out)?;
    let ndjson_path = args.ndjson.clone().unwrap_or_else(|| {
        let mut p = args.out.clone().into_os_string();
        p.push(".ndjson");
        p.into()
    });
    let mut ndjson = BufWriter::with_capacity(1 << 20, File::create(&ndjson_path)?);

    let mut rng = ChaCha8Rng::seed_from_u64(args.seed);
    let first_day = Date::from_calendar_date(2015, Month::January, 1)?;
    let last_day = Date::from_calendar_date(2024, Month::December, 31)?;
    let days = (last_day - first_day).whole_days();

    let mut body = String::new();
    let mut text = String::new();
    let mut text_bytes: u64 = 0;
    let mut dir = PathBuf::new();
    for i in 0..args.n {
        if i % args.per_dir == 0 {
            dir = args.out.join(format!("{:04}", i / args.per_dir));
            fs::create_dir(&dir)?;
        }
        let base = &sources[rng.random_range(0..sources.len())];
        body.clear();
        for own in &base.paragraphs {
            let paragraph = if rng.random_bool(0.5) {
                own.as_str()
            } else {
                pool[rng.random_range(0..pool.len())]
            };
            if !body.is_empty() {
                body.push_str("\n\n");
            }
            body.push_str(paragraph);
        }
        let date = first_day + Duration::days(rng.random_range(0..=days));

        text.clear();
        text.push_str("---\ndate: ");
        text.push_str(&date.to_string());
        text.push_str("\n---\n");
        text.push_str(&base.title);
        text.push_str("\n\n");
        text.push_str(&body);
        text.push('\n');
        fs::write(dir.join(format!("{i:07}.txt")), &text)
            .with_context(|| format!("writing article {i}"))?;
        text_bytes += text.len() as u64;

        serde_json::to_writer(
            &mut ndjson,
            &Line {
                title: &base.title,
                body: &body,
            },
        )?;
        ndjson.write_all(b"\n")?;
    }
    ndjson.flush()?;
    eprintln!(
        "gen_corpus: {} articles ({} bytes of .txt) from {} sources ({} paragraphs), seed {}, in {:.1}s -> {} and {}",
        args.n,
        text_bytes,
        sources.len(),
        pool.len(),
        args.seed,
        started.elapsed().as_secs_f64(),
        args.out.display(),
        ndjson_path.display()
    );
    Ok(())
}

/// The source articles, parsed with newsidx's reader (front matter,
/// encodings, boilerplate), split into paragraphs at blank lines.
fn read_sources(args: &Args) -> Result<Vec<Source>> {
    // A corpus's own notes (README, PROVENANCE…) are not articles: the
    // walk passes over them.
    let found = discover(&args.source, &newsidx::select::Selection::default());
    let mut sources = Vec::with_capacity(found.files.len());
    for f in &found.files {
        let Ok(bytes) = read_bounded(&f.path) else {
            continue;
        };
        let Ok((articles, _)) = parse_file(&f.id, &bytes, f.format, &ParseOptions::default())
        else {
            continue;
        };
        let Some(article) = articles.into_iter().next() else {
            continue;
        };
        let title = article.title.trim().replace('\n', " ");
        let paragraphs: Vec<String> = article
            .body
            .split("\n\n")
            .map(|p| p.trim().to_owned())
            .filter(|p| !p.is_empty() && p != "---")
            .collect();
        if title.is_empty() || paragraphs.is_empty() {
            continue;
        }
        sources.push(Source { title, paragraphs });
    }
    Ok(sources)
}
