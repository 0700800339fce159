//! Command-line arguments (clap derive), turned into plain config structs
//! that the library takes.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// Full-text search for news archives: quotes and who said them, named
/// entities, BM25 ranking.
#[derive(Debug, Parser)]
#[command(name = "newsidx", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print what the parser extracts from articles (title, date, quotes, entities).
    Parse(ParseArgs),
}

#[derive(Debug, clap::Args)]
pub struct ParseArgs {
    /// Article files or directories (walked like `index` does).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// One JSON object per article, one per line (the format the scorers read).
    #[arg(long)]
    pub json: bool,
}
