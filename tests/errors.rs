//! End-to-end: bad input and bad usage give one-line errors and the
//! right exit codes, never a panic; bad files are skipped and counted.

mod util;

use std::fs;
use std::process::Command;

use util::{hits, Env};

fn assert_one_line_error(run: &util::Run) {
    assert_eq!(run.code, 1, "stderr: {}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    assert_eq!(
        run.stderr.trim().lines().count(),
        1,
        "not one line: {}",
        run.stderr
    );
    assert!(run.stderr.starts_with("newsidx: "), "{}", run.stderr);
}

#[test]
fn bad_files_are_reported_and_skipped_and_nothing_else_is_lost() {
    let env = Env::new();
    let dir = env.corpus();
    fs::create_dir_all(&dir).unwrap();
    fs::write(
        dir.join("good.txt"),
        "Harbour reopens\n\nThe harbour reopened on Monday after repairs.\n",
    )
    .unwrap();
    fs::write(dir.join("empty.txt"), "").unwrap();
    fs::write(
        dir.join("binary.txt"),
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00",
    )
    .unwrap();
    // Windows-1252: "café" and curly quotes, not UTF-8.
    fs::write(
        dir.join("latin1.txt"),
        b"Caf\xe9 owners protest\n\n\x93We are tired,\x94 said the owner of the caf\xe9.\n",
    )
    .unwrap();
    // UTF-16 with a byte-order mark, and UTF-8 with one stray Latin-1 byte.
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(
            "Zürich tram fares\n\nFares in Zürich rise in May, the operator said.\n"
                .encode_utf16()
                .flat_map(u16::to_le_bytes),
        )
        .collect();
    fs::write(dir.join("utf16.txt"), utf16).unwrap();
    let mut stray = "Crème brûlée contest\n\nThe café in Mâcon won the crème brûlée prize."
        .as_bytes()
        .to_vec();
    stray.extend_from_slice(b" Judges gave it 9/10 \xb0.\n");
    fs::write(dir.join("stray.txt"), stray).unwrap();
    let run = env.run(&["index", dir.to_str().unwrap(), "--json"]);
    assert_eq!(run.code, 3, "skips give exit code 3: {}", run.stderr);
    assert!(
        run.stderr
            .contains("stray.txt: warning: 1 malformed UTF-8 byte sequence replaced with U+FFFD"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("utf16.txt"), "{}", run.stderr);
    assert_eq!(
        hits(&env.search(&["zürich"]))[0]["title"],
        "Zürich tram fares"
    );
    assert_eq!(
        hits(&env.search(&["brûlée"]))[0]["title"],
        "Crème brûlée contest"
    );
    assert!(
        run.stderr.contains("empty.txt: skipped: empty file"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("binary.txt: skipped: binary"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("latin1.txt: warning: not valid UTF-8"),
        "{}",
        run.stderr
    );
    let stats = run.json();
    assert_eq!(stats["seen"], 6);
    assert_eq!(stats["added"], 4);
    assert_eq!(stats["skipped"].as_array().unwrap().len(), 2);

    let all = env.search(&["", "--limit", "10"]);
    assert_eq!(all["total"], 4);
    let cafe = env.search(&["café"]);
    assert_eq!(hits(&cafe)[0]["title"], "Café owners protest");
    assert_eq!(env.search(&["harbour"])["total"], 1);
}

#[test]
fn malformed_queries_are_read_and_only_oversized_ones_refused() {
    let env = Env::indexed();
    for q in [
        "title:(",
        "nosuchfield:word",
        "\"unclosed",
        "AND",
        "(((",
        ")",
        "-",
        "~2",
        "*",
    ] {
        let run = env.run(&["search", q]);
        assert_eq!(run.code, 0, "{q}: {}", run.stderr);
        assert!(run.stderr.is_empty(), "{q}: {}", run.stderr);
    }
    assert_one_line_error(&env.run(&["search", &"a ".repeat(10_000)]));
}

#[test]
fn a_missing_index_is_a_one_line_error() {
    let env = Env::new();
    let run = env.run(&["search", "anything"]);
    assert_one_line_error(&run);
    assert!(run.stderr.contains("no index"), "{}", run.stderr);
}

#[test]
fn a_missing_directory_is_a_one_line_error() {
    let env = Env::new();
    let run = env.run(&["index", "/no/such/dir/anywhere"]);
    assert_one_line_error(&run);
    assert!(run.stderr.contains("no such directory"), "{}", run.stderr);
    let run = env.run(&["parse", "/no/such/file.txt"]);
    assert_one_line_error(&run);
}

#[test]
fn a_huge_page_is_refused_not_attempted() {
    let env = Env::indexed();
    let run = env.run(&[
        "search",
        "summit",
        "--limit",
        "18446744073709551615",
        "--offset",
        "5",
    ]);
    assert_one_line_error(&run);
    let run = env.run(&["quotes", "summit", "--limit", "100000000"]);
    assert_one_line_error(&run);
}

#[test]
fn a_bad_date_is_a_usage_error() {
    let env = Env::indexed();
    let run = env.run(&["search", "x", "--since", "last tuesday"]);
    assert_eq!(run.code, 2);
    assert!(!run.stderr.contains("panicked"));
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    let env = Env::indexed();
    let cmd = format!(
        "set -o pipefail; '{bin}' -i '{ix}' search '' --limit 100 | head -1 >/dev/null && '{bin}' parse --json '{corpus}' | head -c 10 >/dev/null",
        bin = util::bin(),
        ix = env.index_dir().display(),
        corpus = env.corpus().display()
    );
    let out = Command::new("bash").arg("-c").arg(&cmd).output().unwrap();
    let run = util::run_of(out);
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
    assert!(run.stderr.is_empty(), "stderr: {}", run.stderr);
}

#[cfg(unix)]
#[test]
fn huge_files_loops_odd_names_and_bad_front_matter() {
    use std::os::unix::ffi::OsStrExt;
    let env = Env::new();
    let dir = env.corpus();
    fs::create_dir_all(dir.join("sub")).unwrap();
    fs::write(dir.join("ok.txt"), "Fine\n\nA fine article about otters.\n").unwrap();
    // 200 MB, sparse: must be refused without being read whole.
    let huge = fs::File::create(dir.join("huge.txt")).unwrap();
    huge.set_len(200 * 1024 * 1024).unwrap();
    std::os::unix::fs::symlink(&dir, dir.join("sub/loop")).unwrap();
    let odd = std::ffi::OsStr::from_bytes(b"caf\xe9-\xff.txt");
    fs::write(dir.join(odd), "Odd name\n\nAn article about badgers.\n").unwrap();
    fs::write(
        dir.join("meta.md"),
        "---\ntitle: [unclosed\ndate: 2022-02-03\n---\n# Weasels\n\nAll about weasels.\n",
    )
    .unwrap();

    let run = env.run(&["index", dir.to_str().unwrap(), "--json"]);
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert!(
        run.stderr.contains("huge.txt: skipped: file too large"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("symlink loop"), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("meta.md: warning: malformed front matter"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("panicked"));
    assert_eq!(env.search(&["otters"])["total"], 1);
    assert_eq!(env.search(&["badgers"])["total"], 1);
    let weasels = env.search(&["weasels"]);
    assert_eq!(hits(&weasels)[0]["date"], "2022-02-03");
}

#[test]
fn no_query_string_panics_or_hangs() {
    let env = Env::indexed();
    let long = "summit ".repeat(1500); // about 10 kB
    let parens = "(".repeat(2000);
    let closed = format!("{}summit{}", "(".repeat(500), ")".repeat(500));
    let minus = "-".repeat(5000);
    let quotes = "\"".repeat(3001);
    let queries = [
        "\"unbalanced",
        "((summit",
        "summit))",
        "AND",
        "OR OR OR",
        "-",
        "+",
        "NOT",
        "title:",
        ":",
        "nosuch:field",
        "date:[2022 TO",
        "\u{1}\u{7f}\u{1b}[31mcontrol",
        "日本語 テスト",
        "*",
        "\\",
        long.as_str(),
        parens.as_str(),
        closed.as_str(),
        minus.as_str(),
        quotes.as_str(),
        "a:b:c:d",
        "title:\"\"",
        "[* TO *]",
        "summit^1000000000000",
        "summit~99",
    ];
    for q in queries {
        for cmd in ["search", "quotes"] {
            let started = std::time::Instant::now();
            let run = env.run(&[cmd, "--json", "--", q]);
            assert!(
                run.code == 0 || run.code == 1,
                "{cmd} {q:?}: code {}",
                run.code
            );
            assert!(
                !run.stderr.contains("panicked"),
                "{cmd} {q:?}: {}",
                run.stderr
            );
            if run.code == 1 {
                assert_eq!(
                    run.stderr.trim().lines().count(),
                    1,
                    "{q:?}: {}",
                    run.stderr
                );
            }
            assert!(
                started.elapsed().as_secs() < 20,
                "{cmd} {:?} took too long",
                &q[..q.len().min(20)]
            );
        }
    }
}

/// Runs the binary as `nobody` (root reads every file, so permissions
/// can only be tested without it); `None` when this process cannot.
#[cfg(unix)]
fn run_as_nobody(env: &Env, args: &[&str]) -> Option<util::Run> {
    use std::os::unix::fs::PermissionsExt;
    let is_root = Command::new("id")
        .arg("-u")
        .output()
        .ok()?
        .stdout
        .starts_with(b"0\n");
    if !is_root || Command::new("setpriv").arg("--version").output().is_err() {
        return None;
    }
    fs::set_permissions(env.dir.path(), fs::Permissions::from_mode(0o777)).unwrap();
    let out = Command::new("setpriv")
        .args([
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
            util::bin(),
        ])
        .arg("-i")
        .arg(env.index_dir())
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    Some(util::run_of(out))
}

#[cfg(unix)]
#[test]
fn permission_denied_files_and_read_only_indexes() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::new();
    let dir = env.corpus();
    fs::create_dir_all(&dir).unwrap();
    fs::write(dir.join("open.txt"), "Open\n\nAn article about voles.\n").unwrap();
    fs::write(dir.join("secret.txt"), "Secret\n\nNobody may read this.\n").unwrap();
    fs::set_permissions(&dir, fs::Permissions::from_mode(0o755)).unwrap();
    fs::set_permissions(dir.join("open.txt"), fs::Permissions::from_mode(0o644)).unwrap();
    fs::set_permissions(dir.join("secret.txt"), fs::Permissions::from_mode(0o600)).unwrap();
    let Some(run) = run_as_nobody(&env, &["index", dir.to_str().unwrap(), "--json"]) else {
        eprintln!("skipped: needs root and setpriv to drop privileges");
        return;
    };
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("secret.txt: skipped: unreadable: Permission denied"),
        "{}",
        run.stderr
    );
    assert_eq!(run.json()["added"], 1);

    // An index nobody may write to: indexing is a one-line error that says
    // the index is fine, and searching works.
    fs::set_permissions(env.index_dir(), fs::Permissions::from_mode(0o755)).unwrap();
    for entry in fs::read_dir(env.index_dir()).unwrap() {
        let path = entry.unwrap().path();
        std::os::unix::fs::chown(&path, Some(0), Some(0)).unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
    }
    std::os::unix::fs::chown(env.index_dir(), Some(0), Some(0)).unwrap();
    fs::write(dir.join("new.txt"), "New\n\nAbout shrews.\n").unwrap();
    let run = run_as_nobody(&env, &["index", dir.to_str().unwrap()]).unwrap();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.stderr.trim().lines().count(), 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("cannot write to the index") && run.stderr.contains("not damaged"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("corrupted"), "{}", run.stderr);
    // Searching needs no write access.
    let run = run_as_nobody(&env, &["search", "voles", "--json"]).unwrap();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.json()["total"], 1);
    // Nothing was lost: root still finds the article.
    assert_eq!(env.search(&["voles"])["total"], 1);
}

/// Runs `cmd` to its end, or fails the test if it has not ended within
/// `limit` (a stall the guard did not stop would hang the suite).
#[cfg(debug_assertions)]
fn output_within(cmd: &mut std::process::Command, limit: std::time::Duration) -> util::Run {
    use std::process::Stdio;
    let child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    match rx.recv_timeout(limit) {
        Ok(out) => util::run_of(out.unwrap()),
        Err(_) => {
            let _ = std::process::Command::new("kill")
                .args(["-KILL", &pid.to_string()])
                .status();
            panic!("newsidx did not end within {limit:?}: a stall was not stopped");
        }
    }
}

/// Fault injection is compiled into debug builds only (see `guard.rs`).
///
/// No timing assumption: the panic runs without a time budget, so no
/// other file can be skipped; the stall ends only at its budget (1 s),
/// which on a busy machine other files may also use up, and they are then
/// skipped as they should be: what is required is that the stalled file
/// is among the skipped with its reason, that every other skip is a
/// timeout, and that every file not skipped is committed (or printed).
#[cfg(debug_assertions)]
#[test]
fn a_file_whose_parser_panics_or_stalls_is_skipped_and_the_rest_committed() {
    let env = Env::with_sample_corpus();
    let corpus = env.corpus();
    let corpus = corpus.to_str().unwrap();
    let total = util::file_count(&env.corpus());
    let summit = "world/xi-putin-moscow-summit.md";
    let timed_out = "took longer than 1 s to parse";
    for (fault, budget, reason) in [
        (
            "panic:xi-putin-moscow-summit",
            "0",
            "parser failed (injected fault at src/guard.rs:",
        ),
        ("stall:xi-putin-moscow-summit", "1", timed_out),
    ] {
        let limit = std::time::Duration::from_secs(600);
        let _ = fs::remove_dir_all(env.index_dir());
        let run = output_within(
            env.command(&["index", corpus, "--json", "--file-timeout", budget])
                .env("NEWSIDX_FAULT", fault),
            limit,
        );
        assert_eq!(run.code, 3, "{fault}: {}", run.stderr);
        assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
        let stats = run.json();
        let skipped = stats["skipped"].as_array().unwrap();
        let mut faulted = 0;
        for s in skipped {
            let (path, why) = (s["path"].as_str().unwrap(), s["reason"].as_str().unwrap());
            if path.ends_with(summit) {
                assert!(why.contains(reason), "{fault}: {why}");
                faulted += 1;
            } else {
                // Only the stall's budget may catch another file.
                assert!(
                    budget != "0" && why.contains(timed_out),
                    "{fault}: {path}: {why}"
                );
            }
        }
        assert_eq!(faulted, 1, "{fault}: {stats}");
        if budget == "0" {
            assert_eq!(skipped.len(), 1, "{fault}: {stats}");
        }
        assert_eq!(
            stats["added"].as_u64().unwrap() as usize,
            total - skipped.len(),
            "{fault}"
        );
        assert_eq!(env.search(&[""])["total"], total - skipped.len());
        assert!(
            run.stderr
                .lines()
                .any(|l| l.contains(&format!("{summit}: ")) && l.contains(reason)),
            "{fault}: {}",
            run.stderr
        );
        // `parse` goes through the same guard.
        let run = output_within(
            env.command(&["parse", "--json", corpus, "--file-timeout", budget])
                .env("NEWSIDX_FAULT", fault),
            limit,
        );
        assert_eq!(run.code, 3, "{fault}: {}", run.stderr);
        let skips: Vec<&str> = run
            .stderr
            .lines()
            .filter(|l| l.contains(": skipped: "))
            .collect();
        assert!(
            skips
                .iter()
                .any(|l| l.contains(summit) && l.contains(reason)),
            "{fault}: {}",
            run.stderr
        );
        assert!(
            skips
                .iter()
                .all(|l| l.contains(summit) || (budget != "0" && l.contains(timed_out))),
            "{fault}: {}",
            run.stderr
        );
        assert_eq!(run.json_lines().len(), total - skips.len());
    }
}

#[test]
fn memory_beyond_what_tantivy_takes_is_said_as_such() {
    let env = Env::with_sample_corpus();
    let corpus = env.corpus();
    let run = env.run(&["index", corpus.to_str().unwrap(), "--memory", "100000"]);
    assert_one_line_error(&run);
    assert!(
        run.stderr
            .contains("--memory 100000 MB: tantivy uses at most"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("corrupted"), "{}", run.stderr);
    let run = env.run(&[
        "index",
        corpus.to_str().unwrap(),
        "--memory",
        "16",
        "--threads",
        "4",
    ]);
    assert_one_line_error(&run);
    assert!(
        run.stderr.contains("at least 15 MB per indexing thread"),
        "{}",
        run.stderr
    );
}
