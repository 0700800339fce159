//! End-to-end: index a copy of `sample_corpus/` with the real binary and
//! check what `search`, `quotes`, `speakers` and `entities` answer.

mod util;

use std::collections::BTreeSet;

use newsidx::extract::names;
use util::{hits, Env};

#[test]
fn the_summit_article_ranks_first() {
    let env = Env::indexed();
    let v = env.search(&["Xi Putin summit"]);
    let first = &hits(&v)[0];
    assert!(
        first["path"]
            .as_str()
            .unwrap()
            .ends_with("world/xi-putin-moscow-summit.md"),
        "first hit: {first}"
    );
    assert_eq!(first["rank"], 1);
    // The snippet's highlights are real byte ranges of matched words.
    let snippet = first["snippet"].as_str().unwrap();
    let ranges = first["highlights"].as_array().unwrap();
    assert!(!ranges.is_empty());
    for r in ranges {
        let (s, e) = (
            r[0].as_u64().unwrap() as usize,
            r[1].as_u64().unwrap() as usize,
        );
        let word = snippet[s..e].to_lowercase();
        assert!(
            ["xi", "putin", "summit", "summits"].contains(&word.as_str()),
            "highlighted {word:?}"
        );
    }
}

#[test]
fn articles_with_every_word_rank_above_those_with_some() {
    let env = Env::indexed();
    let v = env.search(&["Gazprom pipeline", "--limit", "50"]);
    let mut seen_partial = false;
    for hit in hits(&v) {
        let doc = env
            .run(&["parse", "--json", hit["path"].as_str().unwrap()])
            .json();
        let text = format!("{} {}", doc["title"], doc["body"]).to_lowercase();
        let all = text.contains("gazprom") && text.contains("pipeline");
        assert!(
            !(all && seen_partial),
            "{} has every word but ranks below a partial match",
            hit["path"]
        );
        seen_partial |= !all;
    }
}

#[test]
fn speaker_filter_matches_every_form_of_the_name() {
    let env = Env::indexed();
    let mut results = Vec::new();
    for form in ["putin", "Vladimir Putin", "PUTIN"] {
        let v = env.search(&["", "--speaker", form, "--limit", "100"]);
        assert!(
            v["total"].as_u64().unwrap() > 0,
            "--speaker {form} matched nothing"
        );
        let paths: BTreeSet<String> = hits(&v)
            .iter()
            .map(|h| h["path"].as_str().unwrap().to_owned())
            .collect();
        for hit in hits(&v) {
            let quotes = hit["quotes"].as_array().unwrap();
            assert!(
                !quotes.is_empty(),
                "{} shows no quote of {form}",
                hit["path"]
            );
            for q in quotes {
                assert!(
                    names::names(form, q["speaker"].as_str().unwrap()),
                    "quote {q} is not by {form}"
                );
            }
        }
        results.push(paths);
    }
    assert_eq!(results[0], results[1]);
    assert_eq!(results[1], results[2]);
}

#[test]
fn every_speaker_hit_really_quotes_that_speaker() {
    let env = Env::indexed();
    for speaker in ["Putin", "McFaul", "Lavrov"] {
        let v = env.search(&["", "--speaker", speaker, "--limit", "100"]);
        assert!(!hits(&v).is_empty(), "nobody quotes {speaker}");
        for hit in hits(&v) {
            // Check against the parser's own view of the file, not the index.
            let doc = env
                .run(&["parse", "--json", hit["path"].as_str().unwrap()])
                .json();
            let quoted = doc["quotes"].as_array().unwrap().iter().any(|q| {
                q["speaker"]
                    .as_str()
                    .is_some_and(|s| names::names(speaker, s))
            });
            assert!(quoted, "{} does not quote {speaker}", hit["path"]);
        }
    }
}

#[test]
fn since_and_until_bound_the_dates() {
    let env = Env::indexed();
    let v = env.search(&[
        "",
        "--since",
        "2022-01-01",
        "--until",
        "2022-12-31",
        "--limit",
        "100",
    ]);
    let dated_2022 = env
        .run(&["parse", "--json", env.corpus().to_str().unwrap()])
        .json_lines()
        .iter()
        .filter(|a| a["date"].as_str().is_some_and(|d| d.starts_with("2022-")))
        .count();
    assert!(dated_2022 > 0);
    assert_eq!(v["total"].as_u64().unwrap() as usize, dated_2022);
    for hit in hits(&v) {
        let d = hit["date"].as_str().unwrap();
        assert!(("2022-01-01"..="2022-12-31").contains(&d), "{d}");
    }
    let newest = env.search(&["", "--sort", "date", "--limit", "100"]);
    let dates: Vec<&str> = hits(&newest)
        .iter()
        .filter_map(|h| h["date"].as_str())
        .collect();
    assert!(
        dates.windows(2).all(|w| w[0] >= w[1]),
        "not newest first: {dates:?}"
    );
}

#[test]
fn paging_with_offset_continues_the_ranking() {
    let env = Env::indexed();
    let all = env.search(&["minister", "--limit", "6"]);
    let page2 = env.search(&["minister", "--limit", "3", "--offset", "3"]);
    let paths = |v: &serde_json::Value, from: usize| -> Vec<String> {
        hits(v)[from..]
            .iter()
            .map(|h| h["path"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(paths(&all, 3), paths(&page2, 0));
    assert_eq!(hits(&page2)[0]["rank"], 4);
}

#[test]
fn query_syntax_phrases_exclusion_or_and_fields() {
    let env = Env::indexed();
    let phrase = env.search(&["\"Federal Reserve\"", "--limit", "100"]);
    assert!(phrase["total"].as_u64().unwrap() > 0);
    let excluded = env.search(&["\"Federal Reserve\" -inflation", "--limit", "100"]);
    assert!(excluded["total"].as_u64() < phrase["total"].as_u64());
    let either = env.search(&["Vermeer OR Gazprom", "--limit", "100"]);
    let vermeer = env.search(&["Vermeer", "--limit", "100"]);
    assert!(either["total"].as_u64() > vermeer["total"].as_u64());
    let title = env.search(&["title:Vermeer"]);
    assert!(hits(&title)[0]["title"]
        .as_str()
        .unwrap()
        .contains("Vermeer"));
}

#[test]
fn quotes_command_ranks_quotes_of_a_speaker() {
    let env = Env::indexed();
    let run = env.run(&[
        "quotes",
        "",
        "--speaker",
        "Putin",
        "--json",
        "--limit",
        "50",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let v = run.json();
    let quotes = v["hits"].as_array().unwrap();
    assert!(!quotes.is_empty());
    for q in quotes {
        assert!(names::names("Putin", q["speaker"].as_str().unwrap()));
        assert!(!q["text"].as_str().unwrap().is_empty());
        assert!(q["path"].as_str().unwrap().contains("corpus"));
    }
}

#[test]
fn speakers_are_counted() {
    let env = Env::indexed();
    let run = env.run(&["speakers", "--json", "--limit", "5"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let counts = run.json();
    let counts = counts.as_array().unwrap();
    assert!(!counts.is_empty() && counts.len() <= 5);
    let n: Vec<u64> = counts
        .iter()
        .map(|c| c["count"].as_u64().unwrap())
        .collect();
    assert!(n.windows(2).all(|w| w[0] >= w[1]), "not most first: {n:?}");
}

#[test]
fn reindexing_an_unchanged_corpus_adds_nothing() {
    let env = Env::indexed();
    let before = env.search(&["", "--limit", "1"])["total"].clone();
    let run = env.run(&["index", env.corpus().to_str().unwrap(), "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let stats = run.json();
    assert_eq!(stats["added"], 0);
    assert_eq!(stats["unchanged"], stats["seen"]);
    assert_eq!(env.search(&["", "--limit", "1"])["total"], before);
}
