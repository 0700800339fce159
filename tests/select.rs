//! Which files `index` reads: papers of a data folder and other types are
//! passed over and counted, `--exclude` and `--ext` choose, and a JSON
//! file without a known body field says which fields it has.

mod util;

use util::Env;

#[test]
fn papers_and_other_types_are_counted_not_indexed() {
    let env = Env::with_sample_corpus();
    let c = env.corpus();
    std::fs::write(
        c.join("README.TXT"),
        "About this folder\n\nIt holds articles.",
    )
    .unwrap();
    std::fs::write(c.join("PROVENANCE.md"), "# Where\n\nFrom a crawl.").unwrap();
    std::fs::write(c.join("notes.docx"), "PK binary").unwrap();
    std::fs::write(c.join("feed.xml"), "<rss/>").unwrap();
    std::fs::write(c.join("more.xml"), "<rss/>").unwrap();
    let run = env.run(&["index", c.to_str().unwrap(), "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let s = run.json();
    assert_eq!(s["articles"], 50);
    assert_eq!(s["not_read"]["by_name"], 2, "{s}");
    assert_eq!(s["not_read"]["types"]["xml"], 2, "{s}");
    assert_eq!(s["not_read"]["types"]["docx"], 1, "{s}");
    assert!(
        run.stderr.contains("not articles by their name"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("2 .xml"), "{}", run.stderr);
    // Named on its own, a README is read.
    let one = env.run(&["parse", c.join("README.TXT").to_str().unwrap(), "--json"]);
    assert_eq!(one.json_lines().len(), 1);
}

#[test]
fn exclude_and_ext_choose_the_files() {
    let env = Env::with_sample_corpus();
    let c = env.corpus();
    let run = env.run(&["index", c.to_str().unwrap(), "--exclude", "world", "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.json()["articles"], 40);
    let env = Env::with_sample_corpus();
    let c = env.corpus();
    let only_md = env.run(&["index", c.to_str().unwrap(), "--ext", "md", "--json"]);
    assert_eq!(only_md.code, 0, "{}", only_md.stderr);
    let s = only_md.json();
    assert!(s["articles"].as_u64().unwrap() < 50);
    assert!(s["not_read"]["types"]["txt"].as_u64().unwrap() > 0, "{s}");
    let bad = env.run(&["index", c.to_str().unwrap(), "--ext", "docx"]);
    assert_eq!(bad.code, 1);
    assert!(bad.stderr.contains("--ext docx=txt"), "{}", bad.stderr);
}

#[test]
fn a_json_file_without_a_known_body_field_warns_once() {
    let env = Env::new();
    let c = env.corpus();
    std::fs::create_dir_all(&c).unwrap();
    let lines: Vec<String> = (0..5)
        .map(|i| {
            format!(
                r#"{{"headline": "Story {i}", "story_text": "Text of story {i}.", "tags": ["x"]}}"#
            )
        })
        .collect();
    std::fs::write(c.join("feed.jsonl"), lines.join("\n")).unwrap();
    let run = env.run(&["index", c.to_str().unwrap()]);
    let warnings: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.contains("no body field"))
        .collect();
    assert_eq!(warnings.len(), 1, "{}", run.stderr);
    assert!(warnings[0].contains("5 of 5 objects"), "{}", warnings[0]);
    assert!(warnings[0].contains("story_text"), "{}", warnings[0]);
    assert!(
        warnings[0].contains("--field body=story_text"),
        "{}",
        warnings[0]
    );
    let run = env.run(&["index", c.to_str().unwrap(), "--field", "body=story_text"]);
    assert!(!run.stderr.contains("no body field"), "{}", run.stderr);
    let hits = env.run(&["search", "text", "--json"]).json();
    assert_eq!(hits["total"], 5);
}
