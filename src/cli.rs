//! Command-line arguments (clap derive) and their conversion into the
//! library's plain request and option structs.

use std::path::PathBuf;

use clap::{Arg, Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};

use newsidx::article::{DateOrder, ParseOptions, DEFAULT_FILE_TIMEOUT};
use newsidx::backend::Backend;
use newsidx::export::Format;
use newsidx::search::{SearchRequest, Sort};
use newsidx::EntityKind;

/// Full-text search for news archives: who said what, named entities,
/// BM25 ranking.
///
/// Exit codes: 0 success; 1 error (bad query, missing index, ...);
/// 2 usage error; 3 `index` finished but skipped some files.
#[derive(Debug, Parser)]
#[command(name = "newsidx", version, about, long_about, after_help = EXAMPLES)]
pub struct Cli {
    /// Index directory [default: ~/.local/share/newsidx/index].
    #[arg(short, long, global = true, env = "NEWSIDX_INDEX", value_name = "PATH")]
    pub index: Option<PathBuf>,

    /// Where the archive is: tantivy (the index directory, -i) or
    /// opensearch=URL[,URL…] (an OpenSearch cluster, through any of these
    /// nodes; its index is NEWSIDX_OPENSEARCH_INDEX [default: newsidx];
    /// credentials from NEWSIDX_OPENSEARCH_USER and _PASSWORD or
    /// NEWSIDX_OPENSEARCH_TOKEN, never here: see docs/opensearch.md).
    #[arg(long, global = true, env = "NEWSIDX_BACKEND", default_value = "tantivy", value_name = "BACKEND", value_parser = parse_backend)]
    pub backend: Backend,

    /// Colour in text output: auto (on a terminal, unless NO_COLOR is set), always, never.
    #[arg(long, global = true, value_enum, default_value_t = ColorArg::Auto, value_name = "WHEN")]
    pub color: ColorArg,

    #[command(subcommand)]
    pub command: Command,
}

const EXAMPLES: &str = "Examples:
  newsidx index ./archive
  newsidx search \"Xi Putin summit\"
  newsidx search ukraine --speaker McFaul --since 2022-01-01
  newsidx quotes ukraine --speaker Putin
  newsidx speakers ukraine
  newsidx roots
  newsidx parse article.txt --json
  newsidx serve --addr 127.0.0.1:7700";

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Parse and index the articles under a directory (incremental).
    Index(IndexArgs),
    /// Search articles: ranked, with snippets and who is quoted.
    Search(SearchArgs),
    /// Search the quotes themselves: who said what, and where.
    Quotes(QuotesArgs),
    /// Who is quoted most (in the matching articles, or in all).
    Speakers(FacetArgs),
    /// The most mentioned people, organisations and places.
    Entities(EntitiesArgs),
    /// Print what the parser extracts from articles (title, date, quotes, entities).
    Parse(ParseArgs),
    /// Serve the JSON API and the search page over HTTP (sees new commits).
    Serve(ServeArgs),
    /// List the indexed directories: articles, when last indexed, missing or not.
    Roots(JsonArgs),
    /// Remove the documents of indexed directories (in one commit).
    Rm(RmArgs),
    /// What the index holds: articles, quotes, names, groups of copies,
    /// dated share, size on disk, segments.
    Stats(JsonArgs),
    /// Merge the index's segments into one (faster queries on a large index).
    Optimize(JsonArgs),
    /// Write the documents of a directory (parsed) or of an index (-i) as
    /// OpenSearch `_bulk` NDJSON on stdout, to load with other tools.
    Export(ExportArgs),
}

/// Output of a command that prints a report.
#[derive(Debug, Args)]
pub struct JsonArgs {
    /// Print it as JSON on stdout.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct RmArgs {
    /// Indexed directories to remove (as `newsidx roots` lists them; a
    /// directory that is gone can be named too).
    #[arg(required_unless_present = "missing")]
    pub roots: Vec<PathBuf>,
    /// Remove every indexed directory that is not there any more.
    #[arg(long)]
    pub missing: bool,
    #[command(flatten)]
    pub output: JsonArgs,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Directory of articles to parse; without it, the articles of the
    /// index at -i (not parsed again).
    pub dir: Option<PathBuf>,
    /// What to write.
    #[arg(long, value_enum, default_value_t = ExportFormat::OpensearchBulk)]
    pub format: ExportFormat,
    #[command(flatten)]
    pub fields: FieldArgs,
    #[command(flatten)]
    pub select: SelectArgs,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ExportFormat {
    /// An action line and the document, for each document (`_bulk`'s
    /// body); `_index` is NEWSIDX_OPENSEARCH_INDEX [default: newsidx].
    OpensearchBulk,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on; the default is loopback only.
    #[arg(long, default_value = "127.0.0.1:7700", value_name = "IP:PORT")]
    pub addr: std::net::SocketAddr,
    /// Also answer requests for this host name (a proxy's, or the
    /// machine's name on the network); repeat for several. Loopback and
    /// the address listened on are always answered, any other name gets 421.
    #[arg(long = "allow-host", value_name = "NAME")]
    pub allow_host: Vec<String>,
    /// The most time one search may take; a slower one stops and answers 503.
    #[arg(long, default_value_t = 10.0, value_name = "SECONDS")]
    pub search_timeout: f64,
    /// Connections served at once; more wait to be accepted.
    #[arg(long, default_value_t = 512, value_name = "N")]
    pub max_connections: usize,
    /// Close a connection that sends nothing for this long, or takes
    /// longer to send a request's headers.
    #[arg(long, default_value_t = 10.0, value_name = "SECONDS")]
    pub idle_timeout: f64,
    /// Threads that run searches; more searches wait for one [default:
    /// two per core].
    #[arg(long, value_name = "N")]
    pub search_threads: Option<usize>,
}

#[derive(Debug, Args)]
pub struct IndexArgs {
    /// Directory of articles (.txt, .md, .html, .json, .jsonl), walked recursively; hidden files are skipped.
    pub dir: PathBuf,
    #[command(flatten)]
    pub fields: FieldArgs,
    #[command(flatten)]
    pub select: SelectArgs,
    /// Keep documents whose files are no longer there.
    #[arg(long)]
    pub keep_missing: bool,
    /// Let a directory that holds no articles any more remove all of its
    /// documents (refused without it: it is more often an unmounted disk).
    #[arg(long)]
    pub allow_empty: bool,
    /// Indexing memory budget in MB: for buffered documents, and the most
    /// index a segment merge may read at once (larger merges are left out).
    #[arg(long, default_value_t = 256, value_name = "MB")]
    pub memory: usize,
    /// Indexing threads [default: one per core].
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// Print the summary as JSON on stdout.
    #[arg(long)]
    pub json: bool,
    /// An indexed directory that is now DIR (moved or renamed): its
    /// articles are re-pointed here without being parsed again, where the
    /// file is unchanged. A directory that is gone is found by the content
    /// of its files without it.
    #[arg(long, value_name = "OLD")]
    pub moved_from: Option<PathBuf>,
    /// With an OpenSearch backend: documents per `_bulk` request (a
    /// request also stops at about 5 MB).
    #[arg(long, default_value_t = 1000, value_name = "N")]
    pub bulk_docs: usize,
    /// With an OpenSearch backend: `_bulk` requests in flight at once.
    #[arg(long, default_value_t = 2, value_name = "N")]
    pub bulk_requests: usize,
    /// With an OpenSearch backend: primary shards of a new index (one
    /// keeps ranking statistics whole; see docs/opensearch.md).
    #[arg(long, default_value_t = 1, value_name = "N")]
    pub shards: u32,
    /// With an OpenSearch backend: replicas of a new index's shards.
    #[arg(long, default_value_t = 1, value_name = "N")]
    pub replicas: u32,
}

/// Filters shared by every query command.
#[derive(Debug, Args)]
pub struct Filters {
    /// Only articles quoting this person ("putin", "Vladimir Putin", "Mr Putin", "Putin, Vladimir"); repeat for articles quoting all of several.
    #[arg(long, value_name = "NAME")]
    pub speaker: Vec<String>,
    /// Only articles naming this entity; repeat for all of several.
    #[arg(long, value_name = "NAME")]
    pub entity: Vec<String>,
    /// Only articles in this language (an ISO 639 code from the page: de, en, fr).
    #[arg(long, value_name = "CODE", value_parser = parse_lang)]
    pub lang: Option<String>,
    #[command(flatten)]
    pub dates: Dates,
}

/// A date range, shared by every query command.
#[derive(Debug, Args)]
pub struct Dates {
    /// Only results dated on or after this day.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_day)]
    pub since: Option<time::Date>,
    /// Only results dated on or before this day.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_day)]
    pub until: Option<time::Date>,
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// Query, searched as written: words (articles with all of them rank first), "a phrase", -excluded, a OR b, (groups), title:word, date:2023, ukrain*, blair~1.
    #[arg(default_value = "")]
    pub query: String,
    #[command(flatten)]
    pub filters: Filters,
    #[command(flatten)]
    pub page: PageArgs,
}

/// Order, paging and output of a ranked list.
#[derive(Debug, Args)]
pub struct PageArgs {
    /// Order of the results.
    #[arg(long, value_enum, default_value_t = SortArg::Relevance)]
    pub sort: SortArg,
    /// Number of results.
    #[arg(short = 'n', long, default_value_t = 10)]
    pub limit: usize,
    /// Results to skip (for paging).
    #[arg(long, default_value_t = 0)]
    pub offset: usize,
    #[command(flatten)]
    pub output: OutputArgs,
    /// Search words only as typed: no "showing results for" a word one
    /// or two letters away when no article has the word typed.
    #[arg(long)]
    pub exact: bool,
    /// Show every copy of a story (and of a quote) on its own, not once
    /// per group of near-duplicates; counts count copies.
    #[arg(long)]
    pub all_copies: bool,
}

#[derive(Debug, Args)]
pub struct QuotesArgs {
    /// Words to find in the quotes themselves (empty: all quotes).
    #[arg(default_value = "")]
    pub query: String,
    /// Only quotes of this person ("putin", "Vladimir Putin", "Mr Putin", "Putin, Vladimir"); repeat for quotes of any of several.
    #[arg(long, value_name = "NAME")]
    pub speaker: Vec<String>,
    /// Only quotes from articles naming this entity; repeat for all of several.
    #[arg(long, value_name = "NAME")]
    pub entity: Vec<String>,
    /// Only quotes from articles in this language (an ISO 639 code: de, en, fr).
    #[arg(long, value_name = "CODE", value_parser = parse_lang)]
    pub lang: Option<String>,
    #[command(flatten)]
    pub dates: Dates,
    /// A timeline instead of the quotes: how many per period (each quote
    /// at its first publication) and the first of each period, e.g.
    /// `--speaker Blair --by month`.
    #[arg(long, value_enum, value_name = "PERIOD")]
    pub by: Option<PeriodArg>,
    #[command(flatten)]
    pub page: PageArgs,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum PeriodArg {
    Year,
    Month,
    Week,
    Day,
}

impl From<PeriodArg> for newsidx::search::timeline::Period {
    fn from(p: PeriodArg) -> Self {
        use newsidx::search::timeline::Period;
        match p {
            PeriodArg::Year => Period::Year,
            PeriodArg::Month => Period::Month,
            PeriodArg::Week => Period::Week,
            PeriodArg::Day => Period::Day,
        }
    }
}

#[derive(Debug, Args)]
pub struct FacetArgs {
    /// Count only in the articles matching this query (empty: all).
    #[arg(default_value = "")]
    pub query: String,
    #[command(flatten)]
    pub filters: Filters,
    /// Number of names.
    #[arg(short = 'n', long, default_value_t = 20)]
    pub limit: usize,
    /// Search words only as typed (no typo tolerance).
    #[arg(long)]
    pub exact: bool,
    /// Count a name in every copy of a story, not once per group of
    /// near-duplicates.
    #[arg(long)]
    pub all_copies: bool,
    #[command(flatten)]
    pub output: OutputArgs,
}

/// How results are printed, for people or for scripts.
#[derive(Debug, Args)]
pub struct OutputArgs {
    /// One JSON document on stdout (the same as --format json).
    #[arg(long, conflicts_with = "format")]
    pub json: bool,
    /// text (for people), json (one document), ndjson (one hit per line),
    /// csv (with a header row), paths (one file per line; names for speakers and entities).
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<FormatArg>,
    /// Print only the number of matches (of names, for speakers and entities).
    #[arg(long, conflicts_with_all = ["format", "json"])]
    pub count: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum FormatArg {
    Text,
    Json,
    Ndjson,
    Csv,
    Paths,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    Auto,
    Always,
    Never,
}

impl OutputArgs {
    pub fn format(&self) -> Format {
        match (self.json, self.format) {
            (true, _) => Format::Json,
            (_, None | Some(FormatArg::Text)) => Format::Text,
            (_, Some(FormatArg::Json)) => Format::Json,
            (_, Some(FormatArg::Ndjson)) => Format::Ndjson,
            (_, Some(FormatArg::Csv)) => Format::Csv,
            (_, Some(FormatArg::Paths)) => Format::Paths,
        }
    }
}

#[derive(Debug, Args)]
pub struct EntitiesArgs {
    #[command(flatten)]
    pub facet: FacetArgs,
    /// Only this kind of entity.
    #[arg(long, value_parser = parse_kind)]
    pub kind: Option<EntityKind>,
}

#[derive(Debug, Args)]
pub struct ParseArgs {
    /// Article files or directories (walked like `index` does).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub fields: FieldArgs,
    #[command(flatten)]
    pub select: SelectArgs,
    /// One JSON object per article, one per line (the format the scorers read).
    #[arg(long)]
    pub json: bool,
}

/// Which files of a directory are read.
#[derive(Debug, Args)]
pub struct SelectArgs {
    /// Do not read files or directories matching this glob (a path under
    /// the directory, or a name at any depth: `drafts`, `*.bak.txt`,
    /// `2019/**/raw*`); repeat for several.
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Read only files with these extensions (`txt,md`); `EXT=FORMAT`
    /// reads another extension as a format (`story=txt`).
    #[arg(long, value_name = "EXT[,EXT…]")]
    pub ext: Vec<String>,
}

impl SelectArgs {
    pub fn selection(&self) -> anyhow::Result<newsidx::select::Selection> {
        newsidx::select::Selection::new(&self.exclude, &self.ext).map_err(anyhow::Error::msg)
    }
}

/// How files are parsed.
#[derive(Debug, Args)]
pub struct FieldArgs {
    /// Skip named-entity extraction (faster; no entity facets or --entity filter).
    #[arg(long)]
    pub no_entities: bool,
    /// The JSON field holding a part of the article, e.g. `--field body=story_text`
    /// (parts: title, body, date, author, url, source, id; `a.b` for nested fields).
    #[arg(long = "field", value_name = "PART=NAME")]
    pub field: Vec<String>,
    /// Give up on a file that takes longer than this to parse (it is
    /// reported and skipped); 0 for no limit.
    #[arg(long, default_value_t = DEFAULT_FILE_TIMEOUT.as_secs(), value_name = "SECONDS")]
    pub file_timeout: u64,
    /// How to read numeric dates such as 03/04/2024: dmy (3 April) or mdy
    /// (March 4). Without it they are read only when one order makes sense
    /// (13/04/2024), or from a page's language; others are left undated
    /// with a warning.
    #[arg(long, value_enum, value_name = "ORDER")]
    pub date_order: Option<DateOrderArg>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum DateOrderArg {
    Dmy,
    Mdy,
}

impl FieldArgs {
    pub fn parse_options(&self) -> anyhow::Result<ParseOptions> {
        let mut opts = ParseOptions {
            entities: !self.no_entities,
            time_budget: (self.file_timeout > 0)
                .then(|| std::time::Duration::from_secs(self.file_timeout)),
            date_order: self.date_order.map(|o| match o {
                DateOrderArg::Dmy => DateOrder::DayFirst,
                DateOrderArg::Mdy => DateOrder::MonthFirst,
            }),
            ..ParseOptions::default()
        };
        for spec in &self.field {
            opts.json_fields
                .set(spec)
                .map_err(|e| anyhow::anyhow!("--field {e}"))?;
        }
        Ok(opts)
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SortArg {
    Relevance,
    Date,
}

impl From<SortArg> for Sort {
    fn from(s: SortArg) -> Sort {
        match s {
            SortArg::Relevance => Sort::Relevance,
            SortArg::Date => Sort::Date,
        }
    }
}

fn parse_backend(s: &str) -> Result<Backend, String> {
    s.parse()
}

fn parse_day(s: &str) -> Result<time::Date, String> {
    newsidx::article::parse_date(s).map_err(|e| format!("{s:?} is {e} (YYYY-MM-DD)"))
}

fn parse_lang(s: &str) -> Result<String, String> {
    newsidx::article::language_code(s)
        .ok_or_else(|| format!("{s:?} is not a language code (two or three letters: de, en, fr)"))
}

fn parse_kind(s: &str) -> Result<EntityKind, String> {
    s.parse()
}

impl Cli {
    /// The arguments of this process. `parse` reads files, not an index:
    /// its own hidden `--index` and `--backend` keep the global ones out
    /// of its help (clap gives a global option to every subcommand that
    /// has none of the same name).
    pub fn from_command_line() -> Cli {
        let hidden = |id: &'static str| Arg::new(id).long(id).hide(true).num_args(1);
        let command = Cli::command().mut_subcommand("parse", |parse| {
            parse
                .arg(
                    hidden("index")
                        .short('i')
                        .value_parser(clap::value_parser!(PathBuf)),
                )
                .arg(hidden("backend").value_parser(parse_backend))
        });
        Cli::from_arg_matches(&command.get_matches()).unwrap_or_else(|e| e.exit())
    }

    /// What clap cannot check alone is a usage error too (exit 2).
    pub fn check(&self) {
        let dates = match &self.command {
            Command::Search(a) => &a.filters.dates,
            Command::Quotes(a) => &a.dates,
            Command::Speakers(a) => &a.filters.dates,
            Command::Entities(a) => &a.facet.filters.dates,
            _ => return,
        };
        if let (Some(since), Some(until)) = (dates.since, dates.until) {
            if since > until {
                <Cli as clap::CommandFactory>::command()
                    .error(
                        clap::error::ErrorKind::ArgumentConflict,
                        format!(
                            "--since {since} is after --until {until}: no date is in that range"
                        ),
                    )
                    .exit();
            }
        }
    }
}

impl PageArgs {
    pub fn page(&self) -> newsidx::render::Page {
        newsidx::render::Page {
            offset: self.offset,
            limit: self.limit,
            by_date: matches!(self.sort, SortArg::Date),
        }
    }
}

impl SearchArgs {
    pub fn request(&self) -> SearchRequest {
        SearchRequest {
            query: self.query.clone(),
            speakers: self.filters.speaker.clone(),
            entities: self.filters.entity.clone(),
            lang: self.filters.lang.clone(),
            since: self.filters.dates.since,
            until: self.filters.dates.until,
            sort: self.page.sort.into(),
            limit: self.page.limit,
            offset: self.page.offset,
            exact: self.page.exact,
            deadline: None,
            collapse: !self.page.all_copies,
        }
    }
}

impl QuotesArgs {
    pub fn request(&self) -> SearchRequest {
        SearchRequest {
            query: self.query.clone(),
            speakers: self.speaker.clone(),
            entities: self.entity.clone(),
            lang: self.lang.clone(),
            since: self.dates.since,
            until: self.dates.until,
            sort: self.page.sort.into(),
            limit: self.page.limit,
            offset: self.page.offset,
            exact: self.page.exact,
            deadline: None,
            collapse: !self.page.all_copies,
        }
    }
}

impl FacetArgs {
    pub fn request(&self) -> SearchRequest {
        SearchRequest {
            query: self.query.clone(),
            speakers: self.filters.speaker.clone(),
            entities: self.filters.entity.clone(),
            lang: self.filters.lang.clone(),
            since: self.filters.dates.since,
            until: self.filters.dates.until,
            sort: Sort::Relevance,
            // Counting names counts them all.
            limit: if self.output.count {
                usize::MAX
            } else {
                self.limit
            },
            offset: 0,
            exact: self.exact,
            deadline: None,
            collapse: !self.all_copies,
        }
    }
}
