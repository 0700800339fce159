//! The `newsidx` binary: parses arguments, runs one command, prints an
//! error once (`newsidx: ...`) and maps the outcome to an exit code.

mod cli;

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use cli::{Cli, Command};
use newsidx::backend::{opensearch, Backend, Engine};
use newsidx::export::{self, Format};
use newsidx::index::{self, IngestOptions};
use newsidx::pipeline::{Files, InOrder, ParseAll};
use newsidx::render;
use newsidx::search::FacetKind;

/// `index` finished, but some files were skipped.
const EXIT_SKIPPED: u8 = 3;

fn main() -> ExitCode {
    let cli = Cli::from_command_line();
    cli.check();
    match run(cli) {
        Ok(code) => code,
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            // One write, whose failure is ignored: with the disk full,
            // stderr may be a file on that disk, where `eprintln!` (a write
            // per piece of the message) would panic.
            let _ = io::stderr().write_all(format!("newsidx: {e:#}\n").as_bytes());
            ExitCode::FAILURE
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<io::Error>()
            .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
    })
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let index_dir = cli.index.clone().unwrap_or_else(index::default_dir);
    let stdout = io::stdout();
    let color = match cli.color {
        cli::ColorArg::Always => true,
        cli::ColorArg::Never => false,
        // anstream reads the terminal, NO_COLOR, CLICOLOR(_FORCE) and TERM.
        cli::ColorArg::Auto => {
            anstream::AutoStream::choice(&stdout) != anstream::ColorChoice::Never
        }
    };
    let mut out = io::BufWriter::new(stdout.lock());
    let backend = cli.backend;
    let open = || Engine::open_once(&backend, &index_dir);
    let code = match cli.command {
        Command::Index(args) => match &backend {
            Backend::Embedded => index_cmd(args, index_dir, &mut out)?,
            Backend::OpenSearch { nodes } => cluster_index_cmd(args, nodes, &mut out)?,
        },
        Command::Export(args) => export_cmd(args, &index_dir, &mut out)?,
        Command::Search(args) => {
            let results = open()?.search(&args.request())?;
            match args.page.output.format() {
                _ if args.page.output.count => writeln!(out, "{}", results.total)?,
                Format::Text => render::hits(&mut out, &results, args.page.page(), color)?,
                format => export::hits(&mut out, &results, format)?,
            }
            ExitCode::SUCCESS
        }
        Command::Quotes(args) if args.by.is_some() => {
            let by = args
                .by
                .map(Into::into)
                .unwrap_or(newsidx::search::timeline::Period::Month);
            let timeline = open()?.timeline(&args.request(), by)?;
            match args.page.output.format() {
                _ if args.page.output.count => writeln!(out, "{}", timeline.total)?,
                Format::Text => render::timeline(&mut out, &timeline, color)?,
                _ => render::json(&mut out, &timeline)?,
            }
            ExitCode::SUCCESS
        }
        Command::Quotes(args) => {
            let results = open()?.quotes(&args.request())?;
            match args.page.output.format() {
                _ if args.page.output.count => writeln!(out, "{}", results.total)?,
                Format::Text => render::quotes(&mut out, &results, args.page.page(), color)?,
                format => export::quotes(&mut out, &results, format)?,
            }
            ExitCode::SUCCESS
        }
        Command::Speakers(args) => {
            let counts = open()?.facets(&args.request(), FacetKind::Speaker)?;
            names_out(&mut out, &counts, &args.output)?;
            ExitCode::SUCCESS
        }
        Command::Entities(args) => {
            let kind = FacetKind::Entity(args.kind);
            let counts = open()?.facets(&args.facet.request(), kind)?;
            names_out(&mut out, &counts, &args.facet.output)?;
            ExitCode::SUCCESS
        }
        Command::Parse(args) => parse_cmd(args, &mut out)?,
        Command::Roots(args) => {
            let roots = index::roots::list(&index::open(&index_dir)?)?;
            if args.json {
                render::json(&mut out, &roots)?;
            } else {
                render::roots(&mut out, &roots)?;
            }
            ExitCode::SUCCESS
        }
        Command::Rm(args) => {
            let opened = index::open(&index_dir)?;
            let known = index::roots::list(&opened)?;
            let mut chosen = Vec::new();
            for r in &args.roots {
                chosen.push(index::roots::find(&known, r)?);
            }
            if args.missing {
                chosen.extend(known.iter().filter(|r| r.missing).map(|r| r.path.clone()));
            }
            chosen.sort();
            chosen.dedup();
            let removed = index::roots::remove(&opened, &chosen)?;
            if args.output.json {
                render::json(&mut out, &removed)?;
            } else {
                for r in &removed {
                    writeln!(out, "removed {}: {} articles", r.root, r.articles)?;
                }
                if removed.is_empty() {
                    writeln!(out, "no indexed directory is missing")?;
                }
            }
            ExitCode::SUCCESS
        }
        Command::Stats(args) => {
            let stats = index::stats::stats(&index::open(&index_dir)?)?;
            if args.json {
                render::json(&mut out, &stats)?;
            } else {
                render::index_stats(&mut out, &stats)?;
            }
            ExitCode::SUCCESS
        }
        Command::Optimize(args) => {
            let done = index::optimize::optimize(&index::open(&index_dir)?)?;
            if args.json {
                render::json(&mut out, &done)?;
            } else {
                writeln!(
                    out,
                    "{} segments -> {}; {:.1} MB -> {:.1} MB in {:.1} s",
                    done.segments_before,
                    done.segments_after,
                    done.bytes_before as f64 / 1e6,
                    done.bytes_after as f64 / 1e6,
                    done.seconds
                )?;
            }
            ExitCode::SUCCESS
        }
        Command::Serve(args) => {
            let seconds = |flag: &str, s: f64| {
                if s > 0.0 && s.is_finite() {
                    Ok(std::time::Duration::from_secs_f64(s))
                } else {
                    Err(anyhow::anyhow!(
                        "{flag} must be a positive number of seconds"
                    ))
                }
            };
            let mut opts = newsidx::serve::ServeOptions::new(index_dir, args.addr);
            opts.backend = backend.clone();
            opts.allow_hosts = args.allow_host;
            opts.search_budget = seconds("--search-timeout", args.search_timeout)?;
            opts.idle_timeout = seconds("--idle-timeout", args.idle_timeout)?;
            opts.max_connections = args.max_connections.max(1);
            if let Some(n) = args.search_threads {
                opts.search_threads = n.max(1);
            }
            newsidx::serve::run(&opts)?;
            ExitCode::SUCCESS
        }
    };
    out.flush()?;
    Ok(code)
}

fn names_out<W: Write>(
    out: &mut W,
    counts: &[newsidx::search::NameCount],
    output: &cli::OutputArgs,
) -> io::Result<()> {
    match output.format() {
        _ if output.count => writeln!(out, "{}", counts.len()),
        Format::Text => render::names(out, counts),
        format => export::names(out, counts, format),
    }
}

fn index_cmd<W: Write>(
    args: cli::IndexArgs,
    index_dir: PathBuf,
    out: &mut W,
) -> anyhow::Result<ExitCode> {
    let mut opts = IngestOptions::new(&args.dir, &index_dir);
    opts.keep_missing = args.keep_missing;
    opts.allow_empty = args.allow_empty;
    opts.memory_budget = args.memory.max(16) * 1024 * 1024;
    opts.threads = args.threads.unwrap_or(0);
    opts.parse = args.fields.parse_options()?;
    opts.select = args.select.selection()?;
    opts.moved_from = args.moved_from.clone();
    let (bar, shown) = files_bar();
    let set_length = |n: usize| bar.set_length(n as u64);
    let total: Option<&dyn Fn(usize)> = shown.then_some(&set_length);
    let stats = index::ingest(&opts, total, &|| bar.inc(1)).with_context(|| {
        format!(
            "indexing {} into {}",
            args.dir.display(),
            index_dir.display()
        )
    })?;
    bar.finish_and_clear();
    let mut err = io::stderr().lock();
    file_problems(&mut err, &stats)?;
    for note in &stats.notes {
        writeln!(err, "newsidx: note: {note}")?;
    }
    render::summary(&mut err, &stats)?;
    if args.json {
        render::json(out, &render::StatsJson::from(&stats))?;
    }
    Ok(if stats.skipped.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_SKIPPED)
    })
}

/// A progress bar of files on stderr, drawn only on a terminal (and
/// whether it is).
fn files_bar() -> (ProgressBar, bool) {
    let shown = io::stderr().is_terminal();
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    if !shown {
        bar.set_draw_target(ProgressDrawTarget::hidden());
    }
    bar.set_style(
        ProgressStyle::with_template("{spinner} {pos}/{len} files {wide_bar} {per_sec} eta {eta}")
            .expect("the template is valid"),
    );
    (bar, shown)
}

/// Each file an ingest skipped or warned about, with its path.
fn file_problems(err: &mut impl Write, stats: &index::IngestStats) -> io::Result<()> {
    for s in &stats.skipped {
        writeln!(err, "newsidx: {}: skipped: {}", s.path.display(), s.reason)?;
    }
    for (path, w) in &stats.warnings {
        writeln!(err, "newsidx: {}: warning: {w}", path.display())?;
    }
    Ok(())
}

/// `index DIR --backend opensearch=…`: parse here, send to the cluster.
fn cluster_index_cmd<W: Write>(
    args: cli::IndexArgs,
    nodes: &[String],
    out: &mut W,
) -> anyhow::Result<ExitCode> {
    let cluster = opensearch::Cluster::connect(nodes)?;
    let mut opts = opensearch::ClusterIngestOptions::new(&args.dir);
    opts.keep_missing = args.keep_missing;
    opts.allow_empty = args.allow_empty;
    opts.parse = args.fields.parse_options()?;
    opts.select = args.select.selection()?;
    opts.batch_docs = args.bulk_docs.max(1);
    opts.senders = args.bulk_requests.max(1);
    opts.layout = opensearch::mapping::Layout {
        shards: args.shards.max(1),
        replicas: args.replicas,
    };
    let (bar, shown) = files_bar();
    let set_length = |n: usize| bar.set_length(n as u64);
    let total: Option<&dyn Fn(usize)> = shown.then_some(&set_length);
    let stats = opensearch::ingest(&cluster, &opts, total, &|| bar.inc(1)).with_context(|| {
        format!(
            "indexing {} into OpenSearch index {:?} at {}",
            args.dir.display(),
            cluster.index,
            nodes.join(", ")
        )
    })?;
    bar.finish_and_clear();
    let mut err = io::stderr().lock();
    file_problems(&mut err, &stats.ingest)?;
    render::summary(&mut err, &stats.ingest)?;
    opensearch::ingest::summary(&mut err, &stats)?;
    if args.json {
        render::json(out, &opensearch::ingest::StatsJson::from(&stats))?;
    }
    Ok(if stats.ingest.skipped.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_SKIPPED)
    })
}

/// `export`: documents as `_bulk` NDJSON, from a directory or an index.
fn export_cmd<W: Write>(
    args: cli::ExportArgs,
    index_dir: &std::path::Path,
    out: &mut W,
) -> anyhow::Result<ExitCode> {
    let cli::ExportFormat::OpensearchBulk = args.format;
    let index = opensearch::index_name();
    let stats = match &args.dir {
        Some(dir) => {
            let opts = args.fields.parse_options()?;
            let select = args.select.selection()?;
            opensearch::export::from_dir(dir, &opts, &select, &index, out)
                .with_context(|| format!("exporting {}", dir.display()))?
        }
        None => opensearch::export::from_index(index_dir, &index, out)
            .with_context(|| format!("exporting the index at {}", index_dir.display()))?,
    };
    let mut err = io::stderr().lock();
    for s in &stats.skipped {
        writeln!(err, "newsidx: {}: skipped: {}", s.path.display(), s.reason)?;
    }
    writeln!(
        err,
        "exported {} files: {} articles, {} quotes ({} lines); {} skipped",
        stats.files,
        stats.articles,
        stats.quotes,
        stats.lines,
        stats.skipped.len()
    )?;
    Ok(if stats.skipped.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_SKIPPED)
    })
}

fn parse_cmd<W: Write>(args: cli::ParseArgs, out: &mut W) -> anyhow::Result<ExitCode> {
    let opts = args.fields.parse_options()?;
    let select = args.select.selection()?;
    let mut skipped = 0;
    for root in &args.paths {
        if !root.exists() {
            anyhow::bail!("no such file or directory: {}", root.display());
        }
        // Parsed in parallel, printed in walk order (a round of files at
        // a time: see `pipeline`).
        let files = Files::new(root, &select, &opts);
        let tally = files.run_in_order(&ParseAll, |item| -> anyhow::Result<()> {
            match item {
                InOrder::File {
                    found,
                    result,
                    warnings,
                } => match result {
                    Ok(articles) => {
                        for w in warnings {
                            eprintln!("newsidx: {}: warning: {w}", found.path.display());
                        }
                        for article in &articles {
                            if args.json {
                                render::json(out, article)?;
                            } else {
                                render::article(out, article)?;
                            }
                        }
                    }
                    Err(e) => eprintln!("newsidx: {}: skipped: {e}", found.path.display()),
                },
                InOrder::Unwalkable(s) => {
                    eprintln!("newsidx: {}: skipped: {}", s.path.display(), s.reason)
                }
            }
            Ok(())
        })?;
        skipped += tally.skipped.len();
    }
    Ok(if skipped > 0 {
        ExitCode::from(EXIT_SKIPPED)
    } else {
        ExitCode::SUCCESS
    })
}
