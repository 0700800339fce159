//! The `newsidx` binary: parses arguments, runs one command, prints an
//! error once and maps it to an exit code.

mod cli;

use std::io::{self, Write};
use std::process::ExitCode;

use clap::Parser;

use cli::{Cli, Command};
use newsidx::discover::discover;
use newsidx::load::load;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("newsidx: {e:#}");
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
    match cli.command {
        Command::Parse(args) => parse(args),
    }
}

fn parse(args: cli::ParseArgs) -> anyhow::Result<ExitCode> {
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let mut skipped = 0;
    for root in &args.paths {
        if !root.exists() {
            anyhow::bail!("no such file or directory: {}", root.display());
        }
        let found = discover(root);
        for p in &found.problems {
            eprintln!("newsidx: {}: skipped: {}", p.path.display(), p.reason);
            skipped += 1;
        }
        let parsed: Vec<_> = {
            use rayon::prelude::*;
            found.files.par_iter().map(|f| (f, load(f))).collect()
        };
        for (f, result) in parsed {
            match result {
                Ok((article, warnings)) => {
                    for w in warnings {
                        eprintln!("newsidx: {}: warning: {w}", f.path.display());
                    }
                    if args.json {
                        serde_json::to_writer(&mut out, &article)?;
                        writeln!(out)?;
                    } else {
                        writeln!(
                            out,
                            "{}\n  title: {}\n  date: {}\n  quotes: {}\n  entities: {}",
                            article.path,
                            article.title,
                            article.date.as_deref().unwrap_or("-"),
                            article.quotes.len(),
                            article.entities.len()
                        )?;
                    }
                }
                Err(e) => {
                    eprintln!("newsidx: {}: skipped: {e}", f.path.display());
                    skipped += 1;
                }
            }
        }
    }
    out.flush()?;
    Ok(if skipped > 0 {
        ExitCode::from(3)
    } else {
        ExitCode::SUCCESS
    })
}
