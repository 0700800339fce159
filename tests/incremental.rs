//! End-to-end: incremental re-indexing, crash safety (kill -9 mid-ingest),
//! the writer lock, and broken or foreign index directories.

mod util;

use std::fs;
use std::process::Stdio;
use std::time::Duration;

use util::{hits, Env};

/// Articles nearly the same but for their numbers: copies of one story to
/// newsidx, so searches that count them say `--all-copies`.
fn write_articles(dir: &std::path::Path, n: usize) {
    fs::create_dir_all(dir).unwrap();
    for i in 0..n {
        let body = format!(
            "“We will rebuild the bridge by spring,” said Mayor Ada Quist{i}. \
             The council met on Tuesday to discuss the budget for article{i:05}.\n\n{}",
            "Officials said the works would close two lanes for several weeks. ".repeat(20)
        );
        fs::write(
            dir.join(format!("a{i:05}.txt")),
            format!("Bridge report art{i:05}\n\n{body}\n"),
        )
        .unwrap();
    }
}

#[cfg(unix)]
#[test]
fn documents_under_a_directory_the_walk_cannot_enter_are_kept() {
    let env = Env::new();
    let dir = env.corpus();
    write_articles(&dir.join("sub"), 2);
    fs::write(dir.join("top.txt"), "Top story\n\nAbout the heron.\n").unwrap();
    let first = env.run(&["index", dir.to_str().unwrap(), "--json"]);
    assert_eq!(first.json()["added"], 3, "{}", first.stderr);

    // `sub` is now a link to its own parent: a loop the walk reports and
    // does not enter, so it cannot tell whether sub's files are gone.
    fs::remove_dir_all(dir.join("sub")).unwrap();
    std::os::unix::fs::symlink(&dir, dir.join("sub")).unwrap();
    let second = env.run(&["index", dir.to_str().unwrap(), "--json"]);
    assert_eq!(second.code, 3, "{}", second.stderr);
    assert!(second.stderr.contains("symlink loop"), "{}", second.stderr);
    let stats = second.json();
    assert_eq!(
        (&stats["unchanged"], &stats["removed"]),
        (&1.into(), &0.into())
    );
    assert_eq!(env.search(&["", "--all-copies"])["total"], 3);
}

#[test]
fn changed_added_and_removed_files_are_applied_in_one_run() {
    let env = Env::new();
    let dir = env.corpus();
    write_articles(&dir, 5);
    let first = env.run(&["index", dir.to_str().unwrap(), "--json"]);
    assert_eq!(first.json()["added"], 5, "{}", first.stderr);

    fs::write(
        dir.join("a00001.txt"),
        "Bridge report art00001 revised\n\nThe mayor changed her mind about the kestrel.\n",
    )
    .unwrap();
    fs::remove_file(dir.join("a00002.txt")).unwrap();
    fs::write(dir.join("new.txt"), "A new piece\n\nAbout the heron.\n").unwrap();
    let second = env.run(&["index", dir.to_str().unwrap(), "--json"]).json();
    assert_eq!(
        (
            &second["added"],
            &second["updated"],
            &second["unchanged"],
            &second["removed"]
        ),
        (&1.into(), &1.into(), &3.into(), &1.into())
    );
    assert_eq!(env.search(&["", "--all-copies"])["total"], 5);
    assert_eq!(env.search(&["kestrel"])["total"], 1);
    assert_eq!(env.search(&["art00002"])["total"], 0);
    // The old version of the changed file is gone, quotes included.
    assert_eq!(env.search(&["title:art00001"])["total"], 1);
    let q = env
        .run(&["quotes", "rebuild bridge", "--json", "--limit", "100"])
        .json();
    assert_eq!(q["total"], 3, "quotes of removed or changed files must go");

    let kept = env.run(&["index", dir.to_str().unwrap(), "--json"]).json();
    assert_eq!(kept["unchanged"], 5);
    fs::remove_file(dir.join("new.txt")).unwrap();
    let keep = env
        .run(&["index", dir.to_str().unwrap(), "--keep-missing", "--json"])
        .json();
    assert_eq!(keep["removed"], 0);
    assert_eq!(env.search(&["heron"])["total"], 1);
}

#[test]
fn two_directories_share_an_index() {
    let env = Env::new();
    let a = env.dir.path().join("a");
    let b = env.dir.path().join("b");
    write_articles(&a, 3);
    write_articles(&b, 2); // the same relative names as in `a`
    assert_eq!(env.run(&["index", a.to_str().unwrap()]).code, 0);
    assert_eq!(env.run(&["index", b.to_str().unwrap()]).code, 0);
    assert_eq!(env.search(&["", "--all-copies"])["total"], 5);
    let again = env.run(&["index", a.to_str().unwrap(), "--json"]).json();
    assert_eq!(
        (&again["unchanged"], &again["removed"]),
        (&3.into(), &0.into())
    );
    assert_eq!(env.search(&["", "--all-copies"])["total"], 5);
}

#[test]
fn kill_9_mid_ingest_leaves_the_last_commit_and_the_next_run_completes() {
    let env = Env::new();
    let dir = env.corpus();
    let n = 3000;
    write_articles(&dir, n);
    for delay_ms in [150, 600] {
        let mut child = env
            .command(&["index", dir.to_str().unwrap()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        // Whatever it had reached, the index opens (or was never created).
        let run = env.run(&["search", "", "--json", "--all-copies"]);
        assert!(
            run.code == 0 || run.stderr.contains("no index"),
            "after kill: {}",
            run.stderr
        );
        if run.code == 0 {
            let total = run.json()["total"].as_u64().unwrap();
            assert!(total == 0 || total == n as u64, "a partial commit: {total}");
        }
    }
    let run = env.run(&["index", dir.to_str().unwrap(), "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let all = env.search(&["", "--limit", "5000", "--all-copies"]);
    assert_eq!(all["total"], n as u64);
    let mut paths: Vec<String> = hits(&all)
        .iter()
        .map(|h| h["path"].as_str().unwrap().to_owned())
        .collect();
    paths.sort();
    paths.dedup();
    assert_eq!(paths.len(), n, "duplicates after recovery");
    for i in [0, 1234, n - 1] {
        let v = env.search(&[&format!("title:art{i:05}")]);
        assert_eq!(v["total"], 1);
        assert!(hits(&v)[0]["path"]
            .as_str()
            .unwrap()
            .ends_with(&format!("a{i:05}.txt")));
    }
}

#[test]
fn a_second_writer_fails_at_once_with_a_lock_error() {
    let env = Env::new();
    write_articles(&env.corpus(), 2);
    let opened = newsidx::index::open_or_create(&env.index_dir()).unwrap();
    // The lock `open_or_create` held while creating the index may still
    // be held for a moment by a child another test thread forked then
    // (a file lock goes with the fork until the child execs): retried.
    let mut tries = 0;
    let _writer: tantivy::IndexWriter = loop {
        match opened.index.writer(15_000_000) {
            Ok(w) => break w,
            Err(e) if tries < 50 => {
                tries += 1;
                eprintln!("writer lock busy ({e}), retrying");
                std::thread::sleep(std::time::Duration::from_millis(100));
            }
            Err(e) => panic!("{e}"),
        }
    };
    let run = env.run(&["index", env.corpus().to_str().unwrap()]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("index is locked by another newsidx process"),
        "{}",
        run.stderr
    );
    assert_eq!(run.stderr.trim().lines().count(), 1);
    // Searching still works while the writer holds the lock.
    assert_eq!(env.run(&["search", "", "--json"]).code, 0);
}

#[test]
fn corrupted_and_foreign_index_directories_are_one_line_errors() {
    let env = Env::new();
    fs::create_dir_all(env.index_dir()).unwrap();
    fs::write(env.index_dir().join("meta.json"), "{ not json").unwrap();
    for args in [vec!["search", "x"], vec!["quotes", "x"], vec!["speakers"]] {
        let run = env.run(&args);
        assert_eq!(run.code, 1, "{args:?}: {}", run.stderr);
        assert!(!run.stderr.contains("panicked"));
        assert_eq!(run.stderr.trim().lines().count(), 1, "{}", run.stderr);
    }
    let foreign = Env::new();
    fs::create_dir_all(foreign.index_dir()).unwrap();
    fs::write(foreign.index_dir().join("notes.txt"), "my notes").unwrap();
    write_articles(&foreign.corpus(), 1);
    let run = foreign.run(&["index", foreign.corpus().to_str().unwrap()]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("not a newsidx index"), "{}", run.stderr);
    assert!(
        foreign.index_dir().join("notes.txt").exists(),
        "a foreign directory must not be touched"
    );
}

#[test]
fn an_emptied_root_removes_nothing_unless_allowed() {
    let env = Env::new();
    let dir = env.corpus();
    write_articles(&dir, 3);
    let first = env.run(&["index", dir.to_str().unwrap()]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    // An unmounted disk: the mount point is there, and empty.
    for entry in fs::read_dir(&dir).unwrap() {
        fs::remove_file(entry.unwrap().path()).unwrap();
    }
    let run = env.run(&["index", dir.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("holds no articles"), "{}", run.stderr);
    assert!(run.stderr.contains("--allow-empty"), "{}", run.stderr);
    assert_eq!(
        env.search(&["", "--all-copies"])["total"],
        3,
        "nothing was removed"
    );
    let run = env.run(&["index", dir.to_str().unwrap(), "--allow-empty", "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.json()["removed"], 3);
    assert_eq!(env.search(&["", "--all-copies"])["total"], 0);
}
