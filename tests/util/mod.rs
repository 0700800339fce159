//! Test environment for end-to-end tests: a temporary copy of
//! `sample_corpus/`, an index directory, and the real `newsidx` binary.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

/// Places and a football club of the same name, a man and a town of
/// another: one article each.
pub const TWO_KINDS: &[&str] = &[
    "The ferry to Cardiff was cancelled on Monday because of high winds, the port said.",
    "Farmers near Cardiff fear the new road will cut through their fields, a survey found.",
    "A storm flooded homes in Cardiff overnight and the river rose by two metres.",
    "Prices of houses in Cardiff rose faster than anywhere else in the region last year.",
    "Schools in Cardiff will open late on Friday after the heating failed, parents were told.",
    "Tourists returned to Cardiff this summer as the old castle reopened its gates.",
    "Cardiff beat Swansea 2-0 on Saturday to stay top of the league.",
    "Cardiff have signed the striker on a three-year deal, the club said.",
    "Cardiff lost 3-1 at home to Bristol Rovers in the cup on Tuesday.",
    "Cardiff drew 1-1 with Reading after a late goal from the captain.",
    "Cardiff sacked their manager after a run of six defeats in a row.",
    "Cardiff beat Norwich 4-2 in a match of two red cards and a penalty.",
    "Cardiff were fined by the league for fielding an ineligible player.",
    "Harwick beat Dunmore Rovers 2-0 on Saturday to stay top of the league, with two goals in the second half.",
    "Harwick beat Lowell United 3-1 at home and face Dunmore Rovers in the next round of the cup.",
    "\u{201c}We played well,\u{201d} Harwick said after the match, adding that the team would rest before the final.",
    "The council in Harwick approved plans for a new stadium near the river, officials said on Monday.",
];

pub struct Env {
    pub dir: tempfile::TempDir,
}

/// What a run printed and how it ended.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn json(&self) -> Value {
        serde_json::from_str(self.stdout.trim()).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}):\n{}\nstderr: {}",
                self.stdout, self.stderr
            )
        })
    }

    pub fn json_lines(&self) -> Vec<Value> {
        self.stdout
            .lines()
            .map(|l| serde_json::from_str(l).expect("a JSON line"))
            .collect()
    }
}

impl Env {
    /// An empty environment.
    pub fn new() -> Env {
        Env {
            dir: tempfile::tempdir().expect("a temp dir"),
        }
    }

    /// An environment with a copy of `sample_corpus/` in `corpus/`.
    pub fn with_sample_corpus() -> Env {
        let env = Env::new();
        copy_dir(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_corpus"),
            &env.corpus(),
        );
        env
    }

    /// An environment with these articles' texts in `corpus/`, one file
    /// each, under a title of its own.
    pub fn with_articles(texts: &[&str]) -> Env {
        let env = Env::new();
        std::fs::create_dir_all(env.corpus()).expect("a corpus dir");
        for (i, text) in texts.iter().enumerate() {
            std::fs::write(
                env.corpus().join(format!("{i:02}.txt")),
                format!("Report number {i}\n\n{text}\n"),
            )
            .expect("an article written");
        }
        env
    }

    /// An environment with `sample_corpus/` already indexed.
    pub fn indexed() -> Env {
        let env = Env::with_sample_corpus();
        let run = env.run(&["index", env.corpus().to_str().unwrap()]);
        assert_eq!(run.code, 0, "index failed: {}", run.stderr);
        env
    }

    pub fn corpus(&self) -> PathBuf {
        self.dir.path().join("corpus")
    }

    pub fn index_dir(&self) -> PathBuf {
        self.dir.path().join("index")
    }

    /// Runs `newsidx -i INDEX ARGS...`.
    pub fn run(&self, args: &[&str]) -> Run {
        let out = self.command(args).output().expect("newsidx runs");
        run_of(out)
    }

    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(bin());
        cmd.arg("-i").arg(self.index_dir()).args(args);
        cmd.env_remove("NEWSIDX_INDEX")
            .env_remove("NEWSIDX_BACKEND")
            .env_remove("NEWSIDX_OPENSEARCH_INDEX")
            .env("NO_COLOR", "1")
            .stdin(Stdio::null());
        cmd
    }

    /// Runs a search and returns its JSON.
    pub fn search(&self, args: &[&str]) -> Value {
        let mut all = vec!["search"];
        all.extend_from_slice(args);
        all.push("--json");
        let run = self.run(&all);
        assert_eq!(run.code, 0, "search {args:?} failed: {}", run.stderr);
        run.json()
    }
}

pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_newsidx")
}

pub fn run_of(out: Output) -> Run {
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("walkable");
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// The hits of a search result.
pub fn hits(v: &Value) -> &Vec<Value> {
    v["hits"].as_array().expect("hits")
}

/// The number of files under `dir` (every file of `sample_corpus/` is an article).
pub fn file_count(dir: &Path) -> usize {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .count()
}
