//! End-to-end: queries as people type and paste them (possessives,
//! colons, headlines, abbreviations, ampersands, emoji, open quotes) on a
//! copy of `sample_corpus/`, each checked by the ids it finds.

mod util;

use std::collections::BTreeSet;

use serde_json::Value;
use util::{hits, Env};

/// What a query must find, by article id.
enum Expect {
    /// This article ranks first.
    First(&'static str),
    /// These articles are among the first ten.
    Among(&'static [&'static str]),
    /// Exactly these articles match.
    Exactly(&'static [&'static str]),
    /// Nothing matches, and the answer says why.
    NothingSaid,
}
use Expect::*;

/// An article of ours with a name the analyzer would cut ("at" is a
/// stop word) and a contraction that leaves a lone "t" in most articles.
const TELECOM: &str = "---
title: AT&T and Verizon bid for the same airwaves
date: 2024-02-06
---
AT&T and Verizon bid for the same airwaves

AT&T said on Monday it would bid for the airwaves the regulator is selling \
in March. Its chief executive said AT&T needed them to keep up with demand.

Verizon, its larger rival, said it would bid as well. Analysts said neither \
company can't afford to lose the auction, and that prices don't fall.
";

const CASES: &[(&str, Expect)] = &[
    // Possessives and apostrophes, straight and curly.
    (
        "Putin's",
        Exactly(&[
            "politics/finland-joins-nato.md",
            "world/putin-beijing-return-visit.md",
        ]),
    ),
    (
        "Putin’s",
        Exactly(&[
            "politics/finland-joins-nato.md",
            "world/putin-beijing-return-visit.md",
        ]),
    ),
    (
        "Putin's war",
        Among(&[
            "politics/finland-joins-nato.md",
            "world/putin-beijing-return-visit.md",
        ]),
    ),
    (
        "Sabalenka's title",
        First("sport/tennis-melbourne-final.txt"),
    ),
    (
        "Xi Jinping's state visit",
        First("world/analysts-china-russia-partnership.txt"),
    ),
    (
        "Merkel's",
        Exactly(&["politics/german-election-spd-wins.txt"]),
    ),
    (
        "Le Pen's",
        Exactly(&["politics/macron-wins-second-term.md"]),
    ),
    ("O'Connor", Exactly(&["science/coral-bleaching-event.txt"])),
    ("O’Connor", Exactly(&["science/coral-bleaching-event.txt"])),
    // Colons after words that are not fields.
    (
        "Xi Jinping: the summit",
        First("world/xi-putin-moscow-summit.md"),
    ),
    (
        "Note: budget",
        Among(&["politics/city-council-budget-vote.txt"]),
    ),
    (
        "Breaking: Fed raises rates",
        First("business/fed-raises-rates-three-quarters.txt"),
    ),
    (
        "Gazprom: Power of Siberia 2",
        First("business/power-of-siberia-2-pipeline.md"),
    ),
    ("Title: summit", First("world/xi-putin-moscow-summit.md")),
    // Our fields, where unambiguous.
    (
        "title:summit",
        Exactly(&["world/xi-putin-moscow-summit.md"]),
    ),
    (
        "title:\"moon rocket\"",
        Exactly(&["science/artemis-moon-rocket-launch.txt"]),
    ),
    // Pasted headlines.
    (
        "Finland becomes NATO’s 31st member, doubling alliance border with Russia",
        First("politics/finland-joins-nato.md"),
    ),
    (
        "Macron wins second term, vows to answer voters’ anger",
        First("politics/macron-wins-second-term.md"),
    ),
    (
        "Bank of England holds rates at 5.25% after 14 straight increases",
        First("business/bank-of-england-holds-rates.md"),
    ),
    (
        "OPEC+ agrees deepest oil output cut since pandemic, angering Washington",
        First("business/opec-plus-production-cut.md"),
    ),
    (
        "Quantum computing start-up raises $300 million as investors bet on error correction",
        First("technology/quantum-startup-funding.md"),
    ),
    (
        "Harbury City sign midfielder Tomás Ribeiro for club-record £95m",
        First("sport/record-transfer-midfielder.md"),
    ),
    (
        "Federal Reserve's half-point cut",
        First("business/fed-cuts-rates-half-point.txt"),
    ),
    // Abbreviations and ampersands.
    (
        "U.S. Senate",
        First("politics/senate-infrastructure-bill.txt"),
    ),
    (
        "S&P",
        Exactly(&["business/fed-raises-rates-three-quarters.txt"]),
    ),
    ("AT&T", Exactly(&["extra/telecom.txt"])),
    ("AT&T airwaves", First("extra/telecom.txt")),
    // Quotes: closed, curly, left open, inside a word.
    (
        "\"no limits\"",
        First("world/china-russia-no-limits-partnership.txt"),
    ),
    (
        "“no limits”",
        First("world/china-russia-no-limits-partnership.txt"),
    ),
    (
        "\"prime minister",
        Among(&["politics/spain-snap-election-deadlock.txt"]),
    ),
    (
        "6'2\" midfielder",
        First("sport/record-transfer-midfielder.md"),
    ),
    // Emoji and signs.
    ("Putin 🙂", First("world/xi-putin-moscow-summit.md")),
    (
        "🇺🇦 Ukraine grain deal",
        First("world/ukraine-grain-corridor-deal.txt"),
    ),
    ("🙂", NothingSaid),
    ("and/or", NothingSaid),
    // Prefixes on the word as written, fuzzy words, typos.
    (
        "ukrain*",
        Among(&[
            "world/europe-presses-beijing-on-ukraine.txt",
            "world/nato-vilnius-ukraine-membership.md",
            "world/ukraine-grain-corridor-deal.txt",
        ]),
    ),
    ("Sabalen*", Exactly(&["sport/tennis-melbourne-final.txt"])),
    ("blai*", NothingSaid),
    ("Sablenka", Exactly(&["sport/tennis-melbourne-final.txt"])),
    (
        "Sabalenka~1",
        Exactly(&["sport/tennis-melbourne-final.txt"]),
    ),
    // Operators.
    (
        "putin OR macron",
        Among(&[
            "politics/macron-wins-second-term.md",
            "world/xi-putin-moscow-summit.md",
        ]),
    ),
    (
        "(Fed OR ECB) rates",
        Among(&[
            "business/ecb-first-rate-hike.txt",
            "business/fed-cuts-rates-half-point.txt",
            "business/fed-raises-rates-three-quarters.txt",
        ]),
    ),
    // Normalised as documents are: NFD accents, no-break spaces.
    (
        "Toma\u{301}s Ribeiro",
        First("sport/record-transfer-midfielder.md"),
    ),
    ("Xi\u{a0}Jinping", First("world/xi-putin-moscow-summit.md")),
];

fn search(env: &Env, args: &[&str]) -> Value {
    let mut all = vec!["search"];
    all.extend_from_slice(args);
    all.push("--json");
    if !args.contains(&"-n") {
        all.extend(["-n", "10"]);
    }
    let run = env.run(&all);
    assert_eq!(run.code, 0, "search {args:?}: {}", run.stderr);
    run.json()
}

fn ids(v: &Value) -> Vec<String> {
    hits(v)
        .iter()
        .map(|h| h["id"].as_str().unwrap().to_owned())
        .collect()
}

fn indexed() -> Env {
    let env = Env::with_sample_corpus();
    std::fs::create_dir_all(env.corpus().join("extra")).unwrap();
    std::fs::write(env.corpus().join("extra/telecom.txt"), TELECOM).unwrap();
    let run = env.run(&["index", env.corpus().to_str().unwrap()]);
    assert_eq!(run.code, 0, "index: {}", run.stderr);
    env
}

#[test]
fn queries_as_typed_find_what_a_reader_expects() {
    assert!(CASES.len() >= 40);
    let env = indexed();
    let mut failed = Vec::new();
    for (query, expect) in CASES {
        let v = search(&env, &[query]);
        let found = ids(&v);
        let ok = match expect {
            First(id) => found.first().map(String::as_str) == Some(*id),
            Among(want) => want.iter().all(|w| found.iter().any(|f| f == w)),
            Exactly(want) => {
                let want: BTreeSet<String> = want.iter().map(|s| s.to_string()).collect();
                v["total"].as_u64() == Some(want.len() as u64)
                    && found.into_iter().collect::<BTreeSet<_>>() == want
            }
            NothingSaid => v["total"] == 0 && v["notes"].as_array().is_some_and(|n| !n.is_empty()),
        };
        if !ok {
            failed.push(format!("{query:?}: {}", v));
        }
    }
    assert!(failed.is_empty(), "{}", failed.join("\n\n"));
}

#[test]
fn a_query_read_otherwise_than_written_says_so() {
    let env = indexed();
    let open = search(&env, &["\"prime minister"]);
    assert!(
        open["notes"][0].as_str().unwrap().contains("not closed"),
        "{open}"
    );
    let typo = search(&env, &["Sablenka"]);
    assert!(
        typo["notes"][0]
            .as_str()
            .unwrap()
            .contains("showing results for"),
        "{typo}"
    );
    // --exact searches only what was typed.
    let exact = search(&env, &["Sablenka", "--exact"]);
    assert_eq!(exact["total"], 0, "{exact}");
    // As typed, no note.
    let plain = search(&env, &["Putin's war"]);
    assert!(plain.get("notes").is_none(), "{plain}");
}

#[test]
fn fields_and_dates_restrict_as_documented() {
    let env = indexed();
    let all = ids(&search(&env, &["putin", "-n", "50"]));
    let dated = search(&env, &["date:2023 putin"]);
    assert!(dated["total"].as_u64().unwrap() > 0);
    for h in hits(&dated) {
        assert!(h["date"].as_str().unwrap().starts_with("2023"), "{h}");
        assert!(all.contains(&h["id"].as_str().unwrap().to_owned()), "{h}");
    }
    let without = ids(&search(&env, &["putin -xi", "-n", "50"]));
    assert!(!without.is_empty());
    assert!(!without.contains(&"world/xi-putin-moscow-summit.md".to_owned()));
    // A prefix is of the word as written: "minist" finds "minister".
    let minist = ids(&search(&env, &["minist*", "-n", "50"]));
    let minister = ids(&search(&env, &["minister", "-n", "50"]));
    assert!(
        minister.iter().all(|m| minist.contains(m)),
        "{minist:?} {minister:?}"
    );
    // The same parser on quotes: an open quote is no error.
    let run = env.run(&["quotes", "\"no limits", "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.json()["total"].as_u64().unwrap() > 0);
}

#[test]
fn hints_when_results_are_empty_or_odd() {
    let env = indexed();
    // An inverted range is a usage error.
    let run = env.run(&[
        "search",
        "tax",
        "--since",
        "2023-01-01",
        "--until",
        "2022-01-01",
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("is after"), "{}", run.stderr);
    // An offset past the end says so, with the total.
    let total = search(&env, &["putin"])["total"].as_u64().unwrap();
    let run = env.run(&["search", "putin", "--offset", "200"]);
    assert_eq!(run.code, 0);
    assert!(
        run.stdout.contains(&format!("{total} match")),
        "{}",
        run.stdout
    );
    // -n 0 gives the count.
    let run = env.run(&["search", "putin", "-n", "0"]);
    assert!(
        run.stdout.starts_with(&format!("{total} matching")),
        "{}",
        run.stdout
    );
    // Undated articles are said to be left out by a date filter: the five
    // of sample_corpus without a date.
    let v = search(&env, &["budget", "--since", "2023-01-01"]);
    let all = search(&env, &["", "-n", "100"]);
    let undated = hits(&all).iter().filter(|h| h["date"].is_null()).count();
    assert!(undated > 0);
    let said = format!("{undated} of {} articles have no date", all["total"]);
    assert!(v["notes"][0].as_str().unwrap().contains(&said), "{v}");
}

#[test]
fn speakers_by_any_name_and_any_of_several_on_quotes() {
    let env = indexed();
    let ids_of =
        |args: &[&str]| -> BTreeSet<String> { ids(&search(&env, args)).into_iter().collect() };
    let plain = ids_of(&["", "--speaker", "putin", "-n", "100"]);
    assert!(!plain.is_empty());
    for form in ["Mr Putin", "Putin, Vladimir", "President Putin", "PUTIN"] {
        assert_eq!(
            ids_of(&["", "--speaker", form, "-n", "100"]),
            plain,
            "{form}"
        );
    }
    // On search, several speakers must all be quoted.
    let both = ids_of(&["", "--speaker", "putin", "--speaker", "xi", "-n", "100"]);
    assert!(
        both.is_subset(&plain) && both.len() < plain.len(),
        "{both:?}"
    );
    // On quotes, a quote is of any of them.
    let quotes = |args: &[&str]| -> Value {
        let mut all = vec!["quotes"];
        all.extend_from_slice(args);
        all.extend(["--json", "-n", "500"]);
        let run = env.run(&all);
        assert_eq!(run.code, 0, "{}", run.stderr);
        run.json()
    };
    let total = |v: &Value| v["total"].as_u64().unwrap();
    let putin = quotes(&["", "--speaker", "putin"]);
    let macron = quotes(&["", "--speaker", "Macron, Emmanuel"]);
    let either = quotes(&["", "--speaker", "putin", "--speaker", "Mr Macron"]);
    assert!(total(&putin) > 0 && total(&macron) > 0);
    assert_eq!(total(&either), total(&putin) + total(&macron));
    // Quotes from articles that name an entity: a subset of all quotes.
    let all = quotes(&[""]);
    let moscow = quotes(&["", "--entity", "Moscow"]);
    assert!(total(&moscow) > 0 && total(&moscow) < total(&all));
    let naming: BTreeSet<String> = ids_of(&["", "--entity", "Moscow", "-n", "100"]);
    for q in hits(&moscow) {
        assert!(naming.contains(q["id"].as_str().unwrap()), "{q}");
    }
}

#[test]
fn output_for_scripts() {
    let env = indexed();
    let out = |args: &[&str]| -> String {
        let run = env.run(args);
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
        run.stdout
    };
    let v = search(&env, &["putin", "-n", "5"]);
    let total = v["total"].as_u64().unwrap();
    let want = ids(&v);
    assert_eq!(
        out(&["search", "putin", "--count"]).trim(),
        total.to_string()
    );
    // CSV: a header, then the same hits.
    let csv_text = out(&["search", "putin", "-n", "5", "--format", "csv"]);
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    assert_eq!(&reader.headers().unwrap()[2], "id");
    let rows: Vec<String> = reader.records().map(|r| r.unwrap()[2].to_owned()).collect();
    assert_eq!(rows, want);
    // NDJSON: one hit per line; paths: one file per line.
    let lines: Vec<String> = out(&["search", "putin", "-n", "5", "--format", "ndjson"])
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["id"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(lines, want);
    let paths = out(&["search", "putin", "-n", "5", "--format", "paths"]);
    let first = hits(&v)[0]["path"].as_str().unwrap();
    assert_eq!(paths.lines().next(), Some(first));
    assert_eq!(paths.lines().count(), want.len());
    // Quotes, speakers and entities too.
    let quotes = out(&["quotes", "putin", "--format", "csv"]);
    assert!(quotes.starts_with("rank,score,speaker,text"), "{quotes}");
    let speakers = out(&["speakers", "--format", "csv", "-n", "3"]);
    assert_eq!(speakers.lines().count(), 4, "{speakers}");
    let names: usize = out(&["entities", "--count"]).trim().parse().unwrap();
    assert!(names > 20);
    // Colour only when asked for, or on a terminal.
    assert!(out(&["search", "putin", "--color", "always"]).contains('\x1b'));
    assert!(!out(&["search", "putin", "--color", "never"]).contains('\x1b'));
    assert!(!out(&["search", "putin"]).contains('\x1b'));
    // Newest first shows dates, not scores of 0.
    let by_date = out(&["search", "putin", "--sort", "date"]);
    assert!(!by_date.contains("score"), "{by_date}");
}
