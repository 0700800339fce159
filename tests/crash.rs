//! End-to-end: crash consistency. strace kills the real binary at its
//! commit's rename of `meta.json`, or fails its writes with ENOSPC; the
//! last commit must stay readable and the next run must complete and
//! leave no file its commit does not name.

// strace is Linux's.
#![cfg(target_os = "linux")]

mod util;

use std::fs;
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::{Command, Stdio};

use serde_json::Value;
use util::Env;

/// Four small articles; the first one's text is `first`.
fn write_corpus(dir: &Path, first: &str) {
    fs::create_dir_all(dir).unwrap();
    fs::write(dir.join("a1.txt"), format!("Harbour report\n\n{first}\n")).unwrap();
    for (i, bird) in [(2, "curlew"), (3, "plover"), (4, "dunlin")] {
        let body = format!("The {bird} was seen on the harbour wall on Tuesday.");
        fs::write(
            dir.join(format!("a{i}.txt")),
            format!("Report {i}\n\n{body}\n"),
        )
        .unwrap();
    }
}

const OLD: &str = "The heron left the harbour.";
const NEW: &str = "The kestrel came back to the harbour.";

/// How a run under strace ended, and what strace saw of it.
struct Traced {
    run: util::Run,
    signal: Option<i32>,
    trace: String,
}

/// Runs `newsidx -i INDEX ARGS...` under `strace -f` with `faults` (its
/// `-P`/`-e` options). Fails the test if strace cannot run here.
fn under_strace(env: &Env, faults: &[&str], args: &[&str]) -> Traced {
    let probe = Command::new("strace")
        .args(["-f", "-qq", "-o", "/dev/null", "true"])
        .output()
        .unwrap_or_else(|e| {
            panic!("these tests run newsidx under strace ({e}): apt-get install strace")
        });
    assert!(
        probe.status.success(),
        "strace cannot trace here: {}",
        String::from_utf8_lossy(&probe.stderr)
    );
    let newsidx = env.command(args);
    let trace = env.dir.path().join("strace.txt");
    let mut cmd = Command::new("strace");
    cmd.args(["-f", "-qq", "-o"])
        .arg(&trace)
        .args(faults)
        .arg("--")
        .arg(newsidx.get_program())
        .args(newsidx.get_args())
        .stdin(Stdio::null());
    for (key, value) in newsidx.get_envs() {
        match value {
            Some(v) => cmd.env(key, v),
            None => cmd.env_remove(key),
        };
    }
    let out = cmd.output().expect("strace runs");
    // strace ends as its tracee did, by the same signal if it was killed.
    let signal = out.status.signal();
    Traced {
        run: util::run_of(out),
        signal,
        trace: fs::read_to_string(&trace).unwrap_or_default(),
    }
}

/// strace options that make newsidx's renames onto `meta.json` (by
/// `rename`, `renameat` or `renameat2`, whichever libc uses) `action`, as
/// `signal=SIGKILL`. strace counts calls by thread, and `when=1` acts on the
/// first in each: in an existing index that is the commit's; in a new one,
/// `Index::create`'s comes first.
fn at_meta_rename(env: &Env, action: &str) -> Vec<String> {
    let meta = env.index_dir().join("meta.json");
    let inject = format!("inject=/^rename:{action}:when=1");
    let meta = meta.to_str().unwrap();
    ["-P", meta, "-e", "trace=/^rename", "-e", &inject]
        .map(String::from)
        .to_vec()
}

/// strace options that fail every write of each thread from its seventh
/// on with ENOSPC (`-y`: and name the written files in the trace). With one indexing thread, the worker's first six
/// writes are tantivy's list of the segment's six files; the seventh is
/// the segment's own first. (The other threads write less, and the main
/// thread writes only the error.)
fn full_disk_from_the_seventh_write() -> Vec<String> {
    [
        "-y",
        "-e",
        "trace=write",
        "-e",
        "inject=write:error=ENOSPC:when=7+",
    ]
    .map(String::from)
    .to_vec()
}

fn strs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

fn file_names(index: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(index)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    names
}

/// The files of the index directory that its `meta.json` does not name,
/// besides tantivy's list of files and its lock files: what an aborted
/// commit left.
fn unreferenced(index: &Path) -> Vec<String> {
    let meta: Value = fs::read_to_string(index.join("meta.json"))
        .map(|m| serde_json::from_str(&m).expect("meta.json is JSON"))
        .unwrap_or_default();
    let segments: Vec<(String, Option<String>)> = meta["segments"]
        .as_array()
        .map(|s| s.as_slice())
        .unwrap_or_default()
        .iter()
        .map(|s| {
            let id = s["segment_id"].as_str().unwrap().replace('-', "");
            (id, s["deletes"]["opstamp"].as_u64().map(|o| o.to_string()))
        })
        .collect();
    let fixed = [
        "meta.json",
        ".managed.json",
        ".tantivy-writer.lock",
        ".tantivy-meta.lock",
    ];
    file_names(index)
        .into_iter()
        .filter(|name| !fixed.contains(&name.as_str()))
        .filter(|name| {
            !segments.iter().any(|(id, deletes)| {
                let Some(component) = name.strip_prefix(&format!("{id}.")) else {
                    return false;
                };
                match component.strip_suffix(".del") {
                    Some(opstamp) => deletes.as_deref() == Some(opstamp),
                    None => true,
                }
            })
        })
        .collect()
}

fn total(env: &Env, query: &str) -> u64 {
    env.search(&[query])["total"].as_u64().unwrap()
}

/// An indexed corpus whose first article then changed: the next run
/// deletes its old document, so its commit writes a delete bitset.
fn indexed_then_changed() -> Env {
    let env = Env::new();
    write_corpus(&env.corpus(), OLD);
    let first = env.run(&["index", env.corpus().to_str().unwrap()]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    write_corpus(&env.corpus(), NEW);
    env
}

/// The last run committed the changed corpus, and nothing else is left.
fn assert_new_content_and_no_garbage(env: &Env) {
    assert_eq!(total(env, "kestrel"), 1);
    assert_eq!(total(env, "heron"), 0);
    assert_eq!(total(env, ""), 4);
    let left = unreferenced(&env.index_dir());
    assert!(left.is_empty(), "files of aborted commits remain: {left:?}");
}

#[test]
fn a_kill_at_the_commits_rename_keeps_the_last_commit_and_an_identical_rerun_completes() {
    let env = indexed_then_changed();
    let dir = env.corpus();
    let index = ["index", dir.to_str().unwrap(), "--json"];
    let killed = under_strace(&env, &strs(&at_meta_rename(&env, "signal=SIGKILL")), &index);
    assert_eq!(killed.signal, Some(9), "not killed: {}", killed.trace);

    // The commit had written its segment and its deletes, but not the
    // meta.json that would name them.
    let left = unreferenced(&env.index_dir());
    assert!(left.iter().any(|f| f.ends_with(".del")), "{left:?}");
    assert_eq!(total(&env, "heron"), 1, "the last commit is searchable");
    assert_eq!(total(&env, "kestrel"), 0);

    // The same run again stamps the same opstamps as the killed one.
    let again = env.run(&index);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert_eq!(again.json()["updated"], 1);
    assert_new_content_and_no_garbage(&env);
}

#[test]
fn a_kill_while_a_new_index_is_created_leaves_no_index_and_the_next_run_creates_it() {
    let env = Env::new();
    let dir = env.corpus();
    write_corpus(&dir, NEW);
    let index = ["index", dir.to_str().unwrap()];
    // The first rename onto meta.json in a new index is Index::create's.
    let killed = under_strace(&env, &strs(&at_meta_rename(&env, "signal=SIGKILL")), &index);
    assert_eq!(killed.signal, Some(9), "not killed: {}", killed.trace);
    assert!(!env.index_dir().join("meta.json").exists());
    assert!(
        !file_names(&env.index_dir()).is_empty(),
        "tantivy had written its list of files"
    );

    let search = env.run(&["search", "kestrel"]);
    assert_eq!(search.code, 1);
    assert!(search.stderr.contains("no index at"), "{}", search.stderr);
    let next = env.run(&index);
    assert_eq!(next.code, 0, "{}", next.stderr);
    assert_new_content_and_no_garbage(&env);
}

/// Whether a line of `strace -y` output names one of a segment's files,
/// `<32 hex>.<component>` in the index directory.
fn names_a_segment_file(line: &str) -> bool {
    line.split("/index/").skip(1).any(|rest| {
        rest.len() > 33
            && rest.as_bytes()[..32].iter().all(u8::is_ascii_hexdigit)
            && rest.as_bytes()[32] == b'.'
    })
}

#[test]
fn a_full_disk_fails_the_run_plainly_and_the_next_run_deletes_what_it_left() {
    for at in ["segment writes", "the commit"] {
        let env = indexed_then_changed();
        let fault = match at {
            "segment writes" => full_disk_from_the_seventh_write(),
            _ => at_meta_rename(&env, "error=ENOSPC"),
        };
        let dir = env.corpus();
        let index = ["index", dir.to_str().unwrap(), "--threads", "1", "--json"];
        let before = file_names(&env.index_dir());

        let traced = under_strace(&env, &strs(&fault), &index);
        let injected = traced
            .trace
            .lines()
            .find(|l| l.contains("(INJECTED)"))
            .unwrap_or_else(|| panic!("{at}: no call failed: {}", traced.trace));
        let hit = match at {
            "segment writes" => names_a_segment_file(injected),
            _ => injected.contains("meta.json"),
        };
        assert!(hit, "{at}: the first failed call: {injected}");
        let failed = traced.run;
        assert_eq!(failed.code, 1, "{at}: {}", failed.stderr);
        assert!(
            failed.stderr.contains("disk is full")
                && failed.stderr.contains("No space left on device"),
            "{at}: {}",
            failed.stderr
        );
        assert!(!failed.stderr.contains("panicked"), "{}", failed.stderr);
        assert!(!failed.stderr.contains("corrupt"), "{}", failed.stderr);
        assert_eq!(failed.stderr.trim().lines().count(), 1, "{}", failed.stderr);
        let after_failure = file_names(&env.index_dir());
        let left = unreferenced(&env.index_dir());
        assert!(
            after_failure.len() > before.len() && !left.is_empty(),
            "{at}: the failed run left files ({} before, {} after: {left:?})",
            before.len(),
            after_failure.len()
        );
        assert_eq!(total(&env, "heron"), 1, "{at}: the last commit stands");
        assert_eq!(total(&env, "kestrel"), 0);

        let next = env.run(&index);
        assert_eq!(next.code, 0, "{at}: {}", next.stderr);
        assert_new_content_and_no_garbage(&env);
        // A delete bitset may come back under its old name (the same
        // opstamp); the aborted segments' files do not.
        let after = file_names(&env.index_dir());
        let kept: Vec<_> = left
            .iter()
            .filter(|f| after.contains(f) && !f.ends_with(".del"))
            .collect();
        assert!(kept.is_empty(), "{at}: {kept:?} of {left:?} remain");
    }
}
