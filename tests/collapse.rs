//! Near-duplicates collapsed: a wire story in five copies (another
//! headline, a trimmed ending, another byline) is shown once, and other
//! stories of the same event are shown on their own. The corpus is
//! written here.

mod util;

use std::path::Path;

use serde_json::Value;
use util::Env;

const PARAGRAPHS: [&str; 6] = [
    "The Northland central bank raised its main interest rate by half a point on Thursday, \
     its fourth increase in a row, saying that inflation had proved far more stubborn than \
     its economists had expected at the start of the year.",
    "Governor Helena Marsh told reporters in Port Alder that the monetary committee had voted \
     seven to two for the rise, with two members preferring to hold rates steady until the \
     new wage figures arrive in the spring.",
    "“We will do whatever it takes to bring inflation back to target,” Marsh said, adding that \
     wage growth and rents were still rising faster than the bank could accept.",
    "Markets had largely expected the move. The krona barely changed after the announcement, \
     and the yield on two-year government bonds rose only slightly during the afternoon.",
    "Mortgage lenders said variable rates would follow within weeks, and the housing ministry \
     warned that first-time buyers would find it harder to borrow this summer.",
    "Economists at Alder Securities said a further rise in June could not be ruled out if \
     energy prices kept climbing through the second quarter of the year.",
];

fn article(title: &str, date: &str, author: &str, paragraphs: &[&str]) -> String {
    format!(
        "---\ntitle: {title}\ndate: {date}\nauthor: {author}\n---\n{}\n",
        paragraphs.join("\n\n")
    )
}

/// The five copies, by file name.
fn copies() -> Vec<(&'static str, String)> {
    let all = &PARAGRAPHS[..];
    let trimmed = &PARAGRAPHS[..5];
    let byline = format!(
        "By Tomas Berg, Economics Correspondent\n\n{}",
        all.join("\n\n")
    );
    vec![
        (
            "wire/rates-1.txt",
            article("Northland raises rates again", "2024-03-07", "Ann Lee", all),
        ),
        (
            "outlet-a/rates.txt",
            article("Bank lifts rates for fourth time", "2024-03-08", "Ann Lee", all),
        ),
        (
            "outlet-b/rates.txt",
            article("Northland raises rates again", "2024-03-09", "Ann Lee", trimmed),
        ),
        (
            "outlet-c/rates.txt",
            format!(
                "---\ntitle: Northland raises rates again\ndate: 2024-03-08\nauthor: Tomas Berg\n---\n{byline}\n"
            ),
        ),
        (
            "outlet-d/rates.txt",
            article("Rates up as inflation bites", "2024-03-10", "Jo Park", trimmed),
        ),
    ]
}

/// Stories of the same event, in other words.
fn others() -> Vec<(&'static str, String)> {
    vec![
        (
            "outlet-a/homeowners.txt",
            article(
                "Homeowners brace for higher payments",
                "2024-03-08",
                "Ann Lee",
                &[
                    "Families with variable mortgages face higher monthly payments after the \
                     Northland central bank raised its interest rate again on Thursday.",
                    "Lenders in Port Alder said they would pass the rise on within weeks. A \
                     couple in the eastern suburbs told us their payments would rise by a \
                     tenth, on top of rents that already doubled in five years.",
                    "“We will do whatever it takes to bring inflation back to target,” \
                     Governor Helena Marsh said last week.",
                    "Housing charities asked the government for help for first-time buyers.",
                ],
            ),
        ),
        (
            "outlet-b/unions.txt",
            article(
                "Unions condemn rate rise",
                "2024-03-08",
                "Jo Park",
                &[
                    "Trade unions accused the central bank of punishing workers for an energy \
                     shock they did not cause, after Governor Helena Marsh announced another \
                     rise in the interest rate on Thursday.",
                    "“Wages are not the problem, profits are,” said union leader Karl Eng, who \
                     called for a meeting with the finance minister before the budget.",
                    "Business groups welcomed what they called a clear signal on inflation.",
                ],
            ),
        ),
        (
            "outlet-c/markets.txt",
            article(
                "Krona steady after bank decision",
                "2024-03-07",
                "Tomas Berg",
                &[
                    "Traders shrugged off the interest rate rise in Northland on Thursday, \
                     having priced in the half-point move weeks ago.",
                    "The krona ended the day almost unchanged against the euro, and shares in \
                     the big lenders rose on hopes of wider margins.",
                    "Analysts now watch the wage figures due in the spring.",
                ],
            ),
        ),
    ]
}

fn write(root: &Path, files: &[(&str, String)]) {
    for (name, text) in files {
        let path = root.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

fn corpus() -> Env {
    let env = Env::new();
    write(&env.corpus(), &copies());
    write(&env.corpus(), &others());
    env
}

fn index(env: &Env) -> Value {
    let run = env.run(&["index", env.corpus().to_str().unwrap(), "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.json()
}

fn search(env: &Env, args: &[&str]) -> Value {
    let mut all = vec!["search"];
    all.extend_from_slice(args);
    all.push("--json");
    let run = env.run(&all);
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.json()
}

fn story_hits(results: &Value) -> Vec<&Value> {
    results["hits"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| {
            let id = h["id"].as_str().unwrap();
            id.ends_with("rates.txt") || id.ends_with("rates-1.txt")
        })
        .collect()
}

#[test]
fn five_copies_are_shown_once_and_other_stories_apart() {
    let env = corpus();
    let s = index(&env);
    assert_eq!(s["articles"], 8);
    assert_eq!(s["copies"], 4, "{s}");

    let r = search(&env, &["interest rate", "-n", "20"]);
    let story = story_hits(&r);
    assert_eq!(story.len(), 1, "one hit for the story: {r}");
    assert_eq!(story[0]["copies"], 4);
    assert_eq!(story[0]["also"].as_array().unwrap().len(), 4);
    assert_eq!(r["total"], 4, "the story once, and three others: {r}");
    for other in ["homeowners", "unions", "markets"] {
        assert!(
            r["hits"]
                .as_array()
                .unwrap()
                .iter()
                .any(|h| h["id"].as_str().unwrap().contains(other)),
            "{other} is shown on its own"
        );
    }
    // Every copy with --all-copies.
    let all = search(&env, &["interest rate", "-n", "20", "--all-copies"]);
    assert_eq!(all["total"], 8);
    assert_eq!(story_hits(&all).len(), 5);
    // Text output says so.
    let text = env.run(&["search", "interest rate", "--color", "never"]);
    assert!(
        text.stdout.contains("also in 4 other articles"),
        "{}",
        text.stdout
    );
}

#[test]
fn facet_counts_count_groups_unless_asked() {
    let env = corpus();
    index(&env);
    let count = |extra: &[&str]| {
        let mut args = vec!["speakers", "", "--json"];
        args.extend_from_slice(extra);
        let run = env.run(&args);
        assert_eq!(run.code, 0, "{}", run.stderr);
        let list = run.json();
        list.as_array()
            .unwrap()
            .iter()
            .find(|n| n["name"].as_str().unwrap().contains("Marsh"))
            .map(|n| n["count"].as_u64().unwrap())
            .unwrap_or(0)
    };
    // Quoted in the story (once, for its five copies) and by homeowners.
    assert_eq!(count(&[]), 2);
    assert_eq!(count(&["--all-copies"]), 6);
}

#[test]
fn a_quote_is_shown_once_at_its_first_publication() {
    let env = corpus();
    index(&env);
    let run = env.run(&["quotes", "whatever it takes", "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let q = run.json();
    assert_eq!(q["total"], 1, "{q}");
    let hit = &q["hits"][0];
    assert_eq!(
        hit["articles"], 6,
        "five copies and the homeowners story: {hit}"
    );
    assert_eq!(hit["date"], "2024-03-07");
    assert_eq!(hit["id"], "wire/rates-1.txt");
    let by_date = env.run(&["quotes", "", "--sort", "date", "--json"]).json();
    let first = by_date["hits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["text"].as_str().unwrap().contains("whatever it takes"))
        .unwrap();
    assert_eq!(first["date"], "2024-03-07");
    let all = env
        .run(&["quotes", "whatever it takes", "--all-copies", "--json"])
        .json();
    assert_eq!(all["total"], 6);
    // The speaker's timeline counts it once.
    let t = env
        .run(&["quotes", "--speaker", "Marsh", "--by", "month", "--json"])
        .json();
    assert_eq!(t["periods"][0]["period"], "2024-03");
    assert_eq!(t["periods"][0]["quotes"], t["total"]);
    assert_eq!(t["periods"][0]["first"]["date"], "2024-03-07");
}

#[test]
fn copies_arriving_in_later_runs_join_the_group_and_outlive_the_first() {
    let env = Env::new();
    let all = copies();
    let (first, later) = all.split_at(2);
    write(&env.corpus(), first);
    write(&env.corpus(), &others());
    index(&env);
    let r = search(&env, &["interest rate", "-n", "20"]);
    assert_eq!(story_hits(&r)[0]["copies"], 1);
    write(&env.corpus(), later);
    let s = index(&env);
    assert_eq!(s["copies"], 3, "{s}");
    let r = search(&env, &["interest rate", "-n", "20"]);
    assert_eq!(story_hits(&r).len(), 1, "{r}");
    assert_eq!(story_hits(&r)[0]["copies"], 4);
    // The first copy goes: the others stay one group.
    std::fs::remove_file(env.corpus().join("wire/rates-1.txt")).unwrap();
    index(&env);
    let r = search(&env, &["interest rate", "-n", "20"]);
    assert_eq!(story_hits(&r).len(), 1, "{r}");
    assert_eq!(story_hits(&r)[0]["copies"], 3);
    assert_eq!(r["total"], 4);
}

#[test]
fn copies_of_equal_score_are_led_by_the_first_published_however_indexed() {
    // One story in three copies with the same headline and words, so
    // they score the same: indexed one run each, the latest first, so
    // where the index puts them is the reverse of when they appeared.
    let env = Env::new();
    let copy = |date: &str| article("Northland raises rates again", date, "Ann Lee", &PARAGRAPHS);
    write(&env.corpus(), &others());
    for (name, date) in [
        ("c/rates.txt", "2024-03-09"),
        ("b/rates.txt", "2024-03-07"),
        ("a/rates.txt", "2024-03-07"),
    ] {
        write(&env.corpus(), &[(name, copy(date))]);
        index(&env);
    }
    for query in ["interest rate", "Marsh", "\"fourth increase\""] {
        let r = search(&env, &[query, "-n", "20"]);
        let hits = story_hits(&r);
        assert_eq!(hits.len(), 1, "{r}");
        // The earliest date; of two, the first path.
        assert_eq!(hits[0]["date"], "2024-03-07", "{r}");
        assert_eq!(hits[0]["id"], "a/rates.txt", "{r}");
        let all = search(&env, &[query, "-n", "20", "--all-copies"]);
        let ids: Vec<_> = story_hits(&all).iter().map(|h| h["id"].clone()).collect();
        assert_eq!(ids, ["a/rates.txt", "b/rates.txt", "c/rates.txt"], "{all}");
    }
}
