//! Indexed directories: listed, removed, moved and re-pointed, and a
//! directory inside or around an indexed one (the real binary on temp
//! copies of `sample_corpus/`).

mod util;

use serde_json::Value;
use util::Env;

fn roots(env: &Env) -> Vec<Value> {
    let run = env.run(&["roots", "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.json().as_array().cloned().unwrap_or_default()
}

fn articles(env: &Env) -> u64 {
    let run = env.run(&["stats", "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.json()["articles"].as_u64().unwrap()
}

fn canonical(p: &std::path::Path) -> String {
    p.canonicalize().unwrap().to_string_lossy().into_owned()
}

#[test]
fn roots_lists_each_directory_and_rm_removes_one_in_one_commit() {
    let env = Env::indexed();
    let other = env.dir.path().join("other");
    std::fs::create_dir_all(&other).unwrap();
    std::fs::write(
        other.join("a.txt"),
        "A title\n\nSome body text about rates.",
    )
    .unwrap();
    assert_eq!(env.run(&["index", other.to_str().unwrap()]).code, 0);
    let list = roots(&env);
    assert_eq!(list.len(), 2, "{list:?}");
    let corpus = canonical(&env.corpus());
    let first = list.iter().find(|r| r["path"] == corpus.as_str()).unwrap();
    assert_eq!(first["articles"], 50);
    assert_eq!(first["missing"], false);
    assert!(
        first["indexed"].as_str().unwrap().starts_with("20"),
        "{first}"
    );
    assert_eq!(articles(&env), 51);

    let run = env.run(&["rm", env.corpus().to_str().unwrap(), "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.json()[0]["articles"], 50);
    assert_eq!(articles(&env), 1);
    let list = roots(&env);
    assert_eq!(list.len(), 1);
    // Quotes went with their articles.
    let q = env.run(&["quotes", "", "--all-copies", "-n", "0", "--count"]);
    assert_eq!(q.stdout.trim(), "0", "{}", q.stderr);
    // A directory that is not indexed is said to be so.
    let run = env.run(&["rm", "/no/such/root"]);
    assert_ne!(run.code, 0);
    assert!(
        run.stderr.contains("not an indexed directory"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_moved_directory_is_re_pointed_without_parsing() {
    let env = Env::indexed();
    let moved = env.dir.path().join("moved");
    std::fs::rename(env.corpus(), &moved).unwrap();
    // The old name is gone: said with the way out.
    let run = env.run(&["index", env.corpus().to_str().unwrap()]);
    assert_ne!(run.code, 0);
    assert!(run.stderr.contains("--moved-from"), "{}", run.stderr);
    assert!(roots(&env)[0]["missing"] == true);
    // Found by content hashes.
    let run = env.run(&["index", moved.to_str().unwrap(), "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let s = run.json();
    assert_eq!(s["moved"], 50, "{s}");
    assert_eq!(s["added"], 0, "nothing parsed: {s}");
    assert_eq!(articles(&env), 50);
    let list = roots(&env);
    assert_eq!(list.len(), 1, "{list:?}");
    assert_eq!(list[0]["path"], canonical(&moved).as_str());
    // Searches find the articles at their new place, with their quotes.
    let hits = env.run(&["search", "summit", "--json"]).json();
    assert!(hits["hits"][0]["path"]
        .as_str()
        .unwrap()
        .starts_with(&canonical(&moved)));
    let q = env.run(&["quotes", "", "--count"]);
    assert_ne!(q.stdout.trim(), "0");
}

#[test]
fn moved_from_re_points_an_existing_directory_and_parses_what_changed() {
    let env = Env::indexed();
    let copy = env.dir.path().join("copy");
    util::copy_dir(&env.corpus(), &copy);
    let changed = copy.join("world");
    let file = std::fs::read_dir(&changed)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, format!("{text}\n\nA new last paragraph.")).unwrap();
    let run = env.run(&[
        "index",
        copy.to_str().unwrap(),
        "--moved-from",
        env.corpus().to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let s = run.json();
    assert_eq!(s["moved"], 49, "{s}");
    assert_eq!(s["updated"], 1, "{s}");
    assert_eq!(articles(&env), 50);
    let list = roots(&env);
    assert_eq!(list.len(), 1, "{list:?}");
    assert_eq!(list[0]["path"], canonical(&copy).as_str());
}

#[test]
fn a_directory_inside_an_indexed_one_is_indexed_as_part_of_it() {
    let env = Env::indexed();
    let world = env.corpus().join("world");
    let run = env.run(&["index", world.to_str().unwrap(), "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let s = run.json();
    assert!(s["notes"][0].as_str().unwrap().contains("is inside"), "{s}");
    assert_eq!(s["added"], 0, "{s}");
    assert_eq!(s["removed"], 0, "{s}");
    assert_eq!(articles(&env), 50);
    assert_eq!(roots(&env).len(), 1);
    // A file changed under it is updated in place, with the id it has in
    // the outer directory.
    let file = std::fs::read_dir(&world)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    std::fs::write(&file, "Changed title\n\nChanged body about zeppelins.").unwrap();
    let s = env
        .run(&["index", world.to_str().unwrap(), "--json"])
        .json();
    assert_eq!(s["updated"], 1, "{s}");
    let hit = &env.run(&["search", "zeppelins", "--json"]).json()["hits"][0];
    assert!(hit["id"].as_str().unwrap().starts_with("world/"), "{hit}");
    assert_eq!(articles(&env), 50);
}

#[test]
fn a_directory_around_an_indexed_one_takes_it_over() {
    let env = Env::with_sample_corpus();
    let world = env.corpus().join("world");
    assert_eq!(env.run(&["index", world.to_str().unwrap()]).code, 0);
    let run = env.run(&["index", env.corpus().to_str().unwrap(), "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let s = run.json();
    assert_eq!(s["moved"], 10, "the inner files are not parsed again: {s}");
    assert_eq!(s["added"], 40, "{s}");
    assert!(
        s["notes"][0].as_str().unwrap().contains("now part of"),
        "{s}"
    );
    assert_eq!(articles(&env), 50, "nothing twice");
    let list = roots(&env);
    assert_eq!(list.len(), 1, "{list:?}");
    // The inner articles now have ids under the outer directory.
    let ids = env.run(&["search", "", "-n", "100", "--format", "paths"]);
    assert_eq!(ids.stdout.lines().count(), 50);
    // Indexing again changes nothing.
    let s = env
        .run(&["index", env.corpus().to_str().unwrap(), "--json"])
        .json();
    assert_eq!(s["unchanged"], 50, "{s}");
}

#[test]
fn stats_and_optimize() {
    let env = Env::indexed();
    let s = env.run(&["stats", "--json"]).json();
    assert_eq!(s["articles"], 50);
    assert!(s["quotes"].as_u64().unwrap() > 100);
    assert!(s["speakers"].as_u64().unwrap() > 10);
    assert!(s["dated_share"].as_f64().unwrap() > 0.5);
    assert!(s["bytes"].as_u64().unwrap() > 0);
    let run = env.run(&["optimize", "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.json()["segments_after"], 1);
    assert_eq!(env.run(&["stats", "--json"]).json()["segments"], 1);
    assert_eq!(articles(&env), 50);
}
