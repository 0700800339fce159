//! End-to-end: HTML pages and JSON exports (written by us, shaped like
//! real news sites and CMS dumps) parse into the right fields, with no
//! navigation, banners, related lists, ads or comments in the body.

mod util;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::Value;
use util::Env;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn parse(path: &Path, extra: &[&str]) -> Vec<Value> {
    let env = Env::new();
    let mut args = vec!["parse", "--json", path.to_str().unwrap()];
    args.extend_from_slice(extra);
    let run = env.run(&args);
    assert!(run.code == 0 || run.code == 3, "{}", run.stderr);
    run.json_lines()
}

fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// (article words lost, words kept that are not the article's) for a page.
fn extraction_quality(page: &str) -> (usize, usize, usize, String) {
    let html = fixtures().join("html").join(page);
    let expected = std::fs::read_to_string(html.with_extension("expected.txt")).unwrap();
    let doc = &parse(&html, &[])[0];
    let body = doc["body"].as_str().unwrap().to_owned();
    let got: Vec<String> = words(&body);
    let want: Vec<String> = words(&expected);
    let got_set: BTreeSet<&String> = got.iter().collect();
    let want_set: BTreeSet<&String> = want.iter().collect();
    let lost = want.iter().filter(|w| !got_set.contains(w)).count();
    let extra = got.iter().filter(|w| !want_set.contains(w)).count();
    (lost, extra, want.len(), body)
}

#[test]
fn a_news_page_with_nav_cookies_related_and_comments() {
    let doc = &parse(&fixtures().join("html/harbour-wall.html"), &[])[0];
    assert_eq!(
        doc["title"],
        "Harbour wall repairs finished ahead of winter storms"
    );
    assert_eq!(doc["date"], "2023-11-02");
    assert_eq!(doc["author"], "Morag Tulloch");
    assert_eq!(doc["source"], "Coastline Courier");
    assert_eq!(
        doc["url"],
        "https://courier.example/news/harbour-wall-repairs"
    );
    let body = doc["body"].as_str().unwrap();
    assert!(
        body.starts_with("Engineers have finished rebuilding"),
        "{body}"
    );
    assert!(body.contains("\n\n"), "paragraphs are kept: {body}");
    for boiler in [
        "cookies",
        "Subscribe",
        "Related stories",
        "Ferry timetable",
        "Gullwatcher",
        "Comments",
        "All rights reserved",
        "Share on",
    ] {
        assert!(
            !body.contains(boiler),
            "{boiler:?} reached the body:\n{body}"
        );
    }
    // Quote extraction works on it as on text.
    let quotes = doc["quotes"].as_array().unwrap();
    assert!(quotes
        .iter()
        .any(|q| q["text"].as_str().unwrap().contains("kept that promise")));
}

#[test]
fn json_ld_metadata_and_ads_inside_the_story() {
    let doc = &parse(&fixtures().join("html/observatory-jsonld.html"), &[])[0];
    assert_eq!(
        doc["title"],
        "Mountain observatory spots fast-moving asteroid"
    );
    assert_eq!(doc["date"], "2024-02-19");
    assert_eq!(doc["author"], "Tomasz Wierzba");
    let body = doc["body"].as_str().unwrap();
    for boiler in [
        "Sign in",
        "Front page",
        "Most read",
        "Celebrity chef",
        "Registered office",
    ] {
        assert!(
            !body.contains(boiler),
            "{boiler:?} reached the body:\n{body}"
        );
    }
}

#[test]
fn a_bare_page_falls_back_to_title_and_time_tags() {
    let doc = &parse(&fixtures().join("html/library-minimal.html"), &[])[0];
    assert_eq!(doc["title"], "Village library to stay open after petition");
    assert_eq!(doc["date"], "2022-06-08");
    assert!(doc["body"]
        .as_str()
        .unwrap()
        .contains("more than two thousand residents"));
}

#[test]
fn body_extraction_loses_little_and_keeps_no_boilerplate() {
    let (mut lost, mut extra, mut total) = (0, 0, 0);
    for page in [
        "harbour-wall.html",
        "observatory-jsonld.html",
        "library-minimal.html",
    ] {
        let (l, e, t, body) = extraction_quality(page);
        eprintln!("{page}: {l}/{t} article words lost, {e} other words kept");
        assert!(l * 20 <= t, "{page}: lost {l} of {t} words:\n{body}");
        assert!(
            e <= 12,
            "{page}: {e} words that are not the article's:\n{body}"
        );
        (lost, extra, total) = (lost + l, extra + e, total + t);
    }
    eprintln!("all pages: {lost}/{total} article words lost, {extra} other words kept");
}

#[test]
fn ndjson_exports_with_field_overrides_and_a_bad_line() {
    let path = fixtures().join("json/wire-export.ndjson");
    let env = Env::new();
    let run = env.run(&[
        "parse",
        "--json",
        path.to_str().unwrap(),
        "--field",
        "body=story_text",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("line 3"),
        "the bad line is reported: {}",
        run.stderr
    );
    let docs = run.json_lines();
    assert_eq!(docs.len(), 3);
    assert!(docs[0]["path"]
        .as_str()
        .unwrap()
        .ends_with("wire-export.ndjson#w-101"));
    assert_eq!(docs[0]["title"], "Rail strike called off after pay deal");
    assert_eq!(docs[0]["date"], "2023-04-14");
    assert_eq!(docs[0]["author"], "Nadia Price");
    assert_eq!(docs[1]["date"], "2023-04-16");
    assert_eq!(docs[2]["date"], "2023-04-16");
    assert_eq!(
        docs[2]["body"],
        "A museum in the capital has returned a carved wooden mask to the community it was taken from a century ago.\n\n“It is going home,” the director said."
    );
    // Without the override, story_text is not a body field.
    let plain = env
        .run(&["parse", "--json", path.to_str().unwrap()])
        .json_lines();
    assert!(plain.iter().all(|d| d["body"] == ""));
}

#[test]
fn json_arrays_are_indexed_one_document_per_object() {
    let env = Env::new();
    let corpus = env.corpus();
    std::fs::create_dir_all(&corpus).unwrap();
    std::fs::copy(
        fixtures().join("json/cms-dump.json"),
        corpus.join("cms-dump.json"),
    )
    .unwrap();
    std::fs::copy(
        fixtures().join("html/harbour-wall.html"),
        corpus.join("harbour.html"),
    )
    .unwrap();
    let run = env.run(&["index", corpus.to_str().unwrap(), "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.json()["articles"], 3);
    assert_eq!(env.search(&[""])["total"], 3);
    let v = env.search(&["cyclists"]);
    assert_eq!(v["hits"][0]["date"], "2021-09-06");
    let v = env.search(&["harbour wall"]);
    assert_eq!(
        v["hits"][0]["title"],
        "Harbour wall repairs finished ahead of winter storms"
    );
    // Changing the file replaces all of its documents.
    std::fs::write(
        corpus.join("cms-dump.json"),
        r#"[{"title": "Only one now", "body": "A single story about otters."}]"#,
    )
    .unwrap();
    let run = env.run(&["index", corpus.to_str().unwrap(), "--json"]);
    assert_eq!(run.json()["updated"], 1);
    assert_eq!(env.search(&[""])["total"], 2);
}

/// Eight paragraphs of a story (ours), with quotes and their speakers.
const STORY: [&str; 8] = [
    "The ferry between Port Ellis and Skerry Head will run all winter for the first time in a decade, the island council said on Tuesday.",
    "“We have heard the islanders, and the boat will sail,” said council leader Ruth Abernethy.",
    "The service was cut to three days a week in 2014 when the old hull failed its inspection.",
    "A new vessel, built on the Clyde, arrived in the harbour last month after sea trials in the firth.",
    "“It rides the swell far better than the old one,” said Callum Reid, the ship's master.",
    "Fares will rise by five per cent in April to pay for the extra crossings, the council said.",
    "Some residents said the rise would fall hardest on those who travel to the mainland for work.",
    "“We will watch the numbers and review the fares in a year,” Ms Abernethy said.",
];

/// The story with a cross-link line after its second paragraph, in each format.
fn story_files(dir: &Path) -> Vec<PathBuf> {
    let link = "READ MORE: Island school to reopen after storm damage";
    let mut paras: Vec<String> = STORY.iter().map(|p| p.to_string()).collect();
    paras.insert(2, link.to_owned());
    let text = paras.join("\n\n");
    let html_paras: String = paras.iter().map(|p| format!("<p>{p}</p>\n")).collect();
    let files = [
        ("ferry.txt", format!("Winter ferry saved\n\n{text}\n")),
        ("ferry.md", format!("# Winter ferry saved\n\n{text}\n")),
        (
            "ferry.html",
            format!(
                "<html><head><title>Winter ferry saved</title></head><body><article>\
                 <h1>Winter ferry saved</h1>\n{html_paras}</article></body></html>"
            ),
        ),
    ];
    files
        .iter()
        .map(|(name, content)| {
            let path = dir.join(name);
            std::fs::write(&path, content).unwrap();
            path
        })
        .collect()
}

#[test]
fn a_cross_link_inside_the_story_is_removed_and_the_rest_kept() {
    let env = Env::new();
    std::fs::create_dir_all(env.corpus()).unwrap();
    for path in story_files(&env.corpus()) {
        let doc = &parse(&path, &[])[0];
        let body = doc["body"].as_str().unwrap();
        let paras: Vec<&str> = body.split("\n\n").collect();
        assert_eq!(paras, STORY, "{}:\n{body}", path.display());
        let speakers: Vec<&str> = doc["quotes"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|q| q["speaker"].as_str())
            .collect();
        assert_eq!(
            speakers,
            ["Ruth Abernethy", "Callum Reid", "Ruth Abernethy"],
            "{}",
            path.display()
        );
    }
}

#[test]
fn dates_are_read_in_news_forms_or_warned_about() {
    let env = Env::new();
    let corpus = env.corpus();
    std::fs::create_dir_all(&corpus).unwrap();
    let article = |name: &str, date: &str| {
        let text = format!("---\ndate: {date}\n---\nTitle {name}\n\nThe council met on the day.\n");
        std::fs::write(corpus.join(format!("{name}.md")), text).unwrap();
    };
    article("weekday", "Tuesday, September 13, 2022");
    article("caps", "15 AUGUST 2022");
    article("sept", "13 Sept 2022");
    article("zoned", "2022-09-15T23:30:00-04:00");
    article("slashes", "2022/09/15");
    article("ambiguous", "03/04/2024");
    article("daily", "13/04/2024");
    article("old", "1500-03-01");
    let run = env.run(&["index", corpus.to_str().unwrap(), "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("ambiguous.md: warning: date \"03/04/2024\" is ambiguous"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("old.md: warning: date 1500-03-01 is outside the years"),
        "{}",
        run.stderr
    );
    let dates: std::collections::BTreeMap<String, Value> = env.search(&["", "-n", "20"])["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| (h["id"].as_str().unwrap().to_owned(), h["date"].clone()))
        .collect();
    let want = [
        ("ambiguous.md", Value::Null),
        ("caps.md", "2022-08-15".into()),
        ("daily.md", "2024-04-13".into()),
        ("old.md", "1500-03-01".into()),
        ("sept.md", "2022-09-13".into()),
        ("slashes.md", "2022-09-15".into()),
        ("weekday.md", "2022-09-13".into()),
        ("zoned.md", "2022-09-15".into()),
    ];
    let want: std::collections::BTreeMap<String, Value> =
        want.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
    assert_eq!(dates, want);
    // The date the index cannot hold is text only: no date filter finds it.
    assert_eq!(env.search(&["", "--until", "1900-01-01"])["total"], 0);
    assert_eq!(env.search(&["", "--since", "2022-01-01"])["total"], 6);
    // The order, when the archive says it.
    let run = env.run(&[
        "parse",
        "--json",
        "--date-order",
        "mdy",
        corpus.join("ambiguous.md").to_str().unwrap(),
    ]);
    assert_eq!(run.json_lines()[0]["date"], "2024-03-04");
}

#[test]
fn pages_are_searched_by_their_language() {
    let env = Env::new();
    let corpus = env.corpus();
    std::fs::create_dir_all(&corpus).unwrap();
    let page = |lang: &str, title: &str, text: &str| {
        format!(
            r#"<html lang="{lang}"><head><title>{title}</title></head><body><article><h1>{title}</h1>
            <p>{text}</p><p>{text}</p></article></body></html>"#
        )
    };
    std::fs::write(
        corpus.join("de.html"),
        page(
            "de-DE",
            "Fähre fährt wieder",
            "Die Fähre nach Skerry Head fährt ab Montag wieder, sagte der Inselrat am Dienstag.",
        ),
    )
    .unwrap();
    std::fs::write(
        corpus.join("en.html"),
        page(
            "en-GB",
            "Ferry sails again",
            "The ferry to Skerry Head sails again from Monday, the island council said on Tuesday.",
        ),
    )
    .unwrap();
    let parsed = parse(&corpus.join("de.html"), &[]);
    assert_eq!(parsed[0]["lang"], "de");
    let run = env.run(&["index", corpus.to_str().unwrap(), "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(env.search(&["skerry"])["total"], 2);
    let de = env.search(&["skerry", "--lang", "de"]);
    assert_eq!(de["total"], 1);
    assert_eq!(de["hits"][0]["title"], "Fähre fährt wieder");
    assert_eq!(env.search(&["skerry", "--lang", "EN"])["total"], 1);
    assert_eq!(env.search(&["skerry", "--lang", "fr"])["total"], 0);
    let bad = env.run(&["search", "skerry", "--lang", "german"]);
    assert_eq!(bad.code, 2, "{}", bad.stderr);
    assert!(bad.stderr.contains("language code"), "{}", bad.stderr);
}

#[test]
fn utf8_read_as_windows_1252_is_repaired_and_found() {
    // "Renée Dubois", "“…”" and "’" as a wrongly labelled export stores
    // them: each UTF-8 byte read as a Windows-1252 character.
    let env = Env::with_articles(&[
        "\u{e2}\u{20ac}\u{153}We will rebuild the harbour wall before winter,\u{e2}\u{20ac}\u{9d} \
         Mayor Ren\u{c3}\u{a9}e Dubois said on Monday. The council\u{e2}\u{20ac}\u{2122}s vote is in May.",
        "The ferry timetable for the islands changes in spring.",
    ]);
    let parsed = parse(&env.corpus().join("00.txt"), &[]);
    let body = parsed[0]["body"].as_str().unwrap();
    assert!(body.contains("Renée Dubois said"), "{body}");
    assert!(body.contains("council’s vote"), "{body}");
    let quotes = parsed[0]["quotes"].as_array().unwrap();
    assert_eq!(quotes.len(), 1, "{quotes:?}");
    assert_eq!(
        quotes[0]["text"],
        "We will rebuild the harbour wall before winter,"
    );
    assert_eq!(quotes[0]["speaker"], "Renée Dubois");
    let run = env.run(&["index", env.corpus().to_str().unwrap(), "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(env.search(&["Renée"])["total"], 1);
    assert_eq!(env.search(&["", "--speaker", "Renée Dubois"])["total"], 1);
}

#[test]
fn a_mislabelled_export_has_its_title_body_and_byline_repaired() {
    let parsed = parse(&fixtures().join("json/mislabelled-export.json"), &[]);
    assert_eq!(parsed.len(), 2);
    assert_eq!(
        parsed[0]["title"],
        "Harbour wall to be rebuilt before winter, Renée Dubois says"
    );
    assert_eq!(parsed[0]["author"], "Álvaro Gómez");
    let body = parsed[0]["body"].as_str().unwrap();
    // Read wrongly twice over.
    assert!(
        body.contains("The council’s vote on the new lock gates is in May, and Françoise Núñez"),
        "{body}"
    );
    assert_eq!(parsed[0]["quotes"][0]["speaker"], "Renée Dubois");
    // Correct text beside it is not touched.
    assert!(parsed[1]["body"]
        .as_str()
        .unwrap()
        .ends_with("Crème brûlée stays on the café menu."));
}
