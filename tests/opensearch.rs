//! End-to-end: `sample_corpus/` in the embedded index and in an OpenSearch
//! cluster gives the same answers on the command line and over HTTP
//! (copies of a story, quotes once, timelines included); a cluster index
//! stays exactly the directory's documents as files change; several
//! indexers share one index; `export` writes what `index` sends.
//!
//! They need a cluster (see `tests/cluster/mod.rs`): reported ignored
//! without `NEWSIDX_TEST_OPENSEARCH`, run with it.

mod cluster;
mod server;
mod util;

use std::collections::BTreeSet;
use std::process::Stdio;

use libtest_mimic::Arguments;
use serde_json::Value;

use cluster::{http, TestIndex};
use server::{enc, Server};
use util::{run_of, Env, Run, TWO_KINDS};

/// The tests, each ignored (saying why) without a cluster: see
/// [`cluster::needed`].
fn main() {
    let trials = cluster::trials![
        both_backends_give_the_same_answers,
        copies_quotes_and_timelines_are_the_same_on_both_backends,
        re_runs_keep_exactly_the_directorys_documents,
        several_indexers_feed_one_index,
        export_writes_what_index_sends,
        the_server_answers_the_same_on_both_backends,
        names_have_the_archives_kind_on_both_backends,
        equal_scores_are_in_the_same_order_on_both_backends,
        an_ingest_killed_midway_is_finished_by_the_next_run,
    ];
    libtest_mimic::run(&Arguments::from_args(), trials).exit();
}

/// The summit story's file in `sample_corpus/`.
const SUMMIT: &str = "world/xi-putin-moscow-summit.md";

/// The embedded index and a cluster index of the same corpus.
struct Both {
    env: Env,
    os: TestIndex,
}

impl Both {
    /// `sample_corpus/` indexed into both.
    fn indexed(test: &str) -> Both {
        Both::indexed_from(Env::with_sample_corpus(), test)
    }

    /// The corpus of `env` indexed into both.
    fn indexed_from(env: Env, test: &str) -> Both {
        let both = Both {
            env,
            os: TestIndex::new(test),
        };
        let corpus = both.env.corpus();
        let corpus = corpus.to_str().unwrap();
        let run = both.tantivy(&["index", corpus]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        let run = both.cluster(&["index", corpus]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        both
    }

    fn tantivy(&self, args: &[&str]) -> Run {
        self.env.run(args)
    }

    fn cluster(&self, args: &[&str]) -> Run {
        let backend = self.os.backend();
        let mut all = vec!["--backend", &backend];
        all.extend_from_slice(args);
        let out = self
            .env
            .command(&all)
            .env("NEWSIDX_OPENSEARCH_INDEX", &self.os.name)
            .output()
            .expect("newsidx runs");
        run_of(out)
    }

    /// One command with `--json` on both backends.
    fn json(&self, args: &[&str]) -> (Value, Value) {
        let mut all = args.to_vec();
        all.push("--json");
        let (a, b) = (self.tantivy(&all), self.cluster(&all));
        assert_eq!(a.code, 0, "tantivy {args:?}: {}", a.stderr);
        assert_eq!(b.code, 0, "opensearch {args:?}: {}", b.stderr);
        (a.json(), b.json())
    }

    /// `--count` on both: equal, and returned.
    fn count(&self, args: &[&str]) -> u64 {
        let mut all = args.to_vec();
        all.push("--count");
        let (a, b) = (self.tantivy(&all), self.cluster(&all));
        assert_eq!(a.code, 0, "tantivy {args:?}: {}", a.stderr);
        assert_eq!(b.code, 0, "opensearch {args:?}: {}", b.stderr);
        assert_eq!(
            a.stdout.trim(),
            b.stdout.trim(),
            "counts differ for {args:?}"
        );
        a.stdout.trim().parse().expect("a count")
    }
}

fn ids(v: &Value) -> BTreeSet<String> {
    v["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|h| h["id"].as_str().unwrap().to_owned())
        .collect()
}

/// Quote hits as (article id, text, speaker).
fn quotes(v: &Value) -> BTreeSet<(String, String, String)> {
    v["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|h| {
            (
                h["id"].as_str().unwrap().to_owned(),
                h["text"].as_str().unwrap().to_owned(),
                h["speaker"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

fn dates(v: &Value) -> Vec<String> {
    v["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|h| h["date"].as_str().unwrap_or_default().to_owned())
        .collect()
}

fn both_backends_give_the_same_answers() {
    let both = Both::indexed("answers");

    // The first hit.
    let (a, b) = both.json(&["search", "Xi Putin summit", "-n", "5"]);
    let first = |v: &Value| v["hits"][0]["id"].as_str().unwrap().to_owned();
    assert_eq!(first(&a), first(&b));
    let title = a["hits"][0]["title"].as_str().unwrap();
    assert!(title.contains("Xi") && title.contains("Putin"), "{title}");
    assert_eq!(a["total"], b["total"]);

    // Every --speaker putin hit quotes Putin, on both.
    let (a, b) = both.json(&["search", "--speaker", "putin", "-n", "100"]);
    assert_eq!(ids(&a), ids(&b));
    assert!(!ids(&a).is_empty());
    for v in [&a, &b] {
        for h in v["hits"].as_array().unwrap() {
            let shown = h["quotes"].as_array().unwrap();
            assert!(!shown.is_empty(), "{h}");
            for q in shown {
                assert!(q["speaker"].as_str().unwrap().contains("Putin"), "{q}");
            }
        }
    }
    // With words too, ranked the same at the top.
    let (a, b) = both.json(&["search", "ukraine", "--speaker", "putin", "-n", "100"]);
    assert_eq!(ids(&a), ids(&b));

    // The quotes of a speaker, of several, of an entity's articles.
    for args in [
        &["quotes", "--speaker", "putin", "-n", "200"][..],
        &[
            "quotes",
            "--speaker",
            "Michael McFaul",
            "--speaker",
            "Lavrov",
            "-n",
            "200",
        ],
        &["quotes", "ukraine", "-n", "200"],
        &["quotes", "--entity", "Kremlin", "-n", "200"],
        &["quotes", "\"the talks\"", "-n", "200"],
    ] {
        let (a, b) = both.json(args);
        assert_eq!(quotes(&a), quotes(&b), "{args:?}");
        assert_eq!(a["total"], b["total"], "{args:?}");
    }
    let (a, _) = both.json(&["quotes", "--speaker", "putin", "-n", "200"]);
    assert!(!quotes(&a).is_empty());
    assert!(quotes(&a).iter().all(|q| q.2.contains("Putin")));

    // Date filters.
    for args in [
        &[
            "search",
            "ukraine",
            "--since",
            "2022-02-24",
            "--until",
            "2022-12-31",
            "-n",
            "100",
        ][..],
        &["search", "date:2023", "-n", "100"],
        &["search", "--since", "2023-06-01", "-n", "100"],
        &["quotes", "--until", "2021-12-31", "-n", "200"],
    ] {
        let (a, b) = both.json(args);
        assert_eq!(a["total"], b["total"], "{args:?}");
        if args[0] == "search" {
            assert_eq!(ids(&a), ids(&b), "{args:?}");
        } else {
            assert_eq!(quotes(&a), quotes(&b), "{args:?}");
        }
    }
    let (a, b) = both.json(&[
        "search",
        "--since",
        "2022-02-24",
        "--until",
        "2022-12-31",
        "-n",
        "100",
    ]);
    for d in dates(&a).iter().chain(dates(&b).iter()) {
        assert!(("2022-02-24".."2023-01-01").contains(&d.as_str()), "{d}");
    }

    // Newest first on both.
    let (a, b) = both.json(&["search", "--sort", "date", "-n", "100"]);
    assert_eq!(ids(&a), ids(&b));
    for v in [&a, &b] {
        let d = dates(v);
        let dated: Vec<&String> = d.iter().filter(|d| !d.is_empty()).collect();
        assert!(dated.windows(2).all(|w| w[0] >= w[1]), "{d:?}");
    }

    // Facets: the top five, names and counts.
    for args in [
        &["speakers", "-n", "5"][..],
        &["speakers", "ukraine", "-n", "5"],
        &["entities", "-n", "5"],
        &["entities", "--kind", "place", "ukraine", "-n", "5"],
        &["entities", "--kind", "org", "-n", "5"],
        &["speakers", "--since", "2022-01-01", "-n", "5"],
    ] {
        let (a, b) = both.json(args);
        assert_eq!(a, b, "{args:?}");
        assert!(!a.as_array().unwrap().is_empty(), "{args:?}");
    }

    // Counts of the query language.
    for q in [
        "",
        "ukraine",
        "ukrain*",
        "minist*",
        "\"prime minister\"",
        "blair~1",
        "U.S.",
        "Putin's war",
        "xi OR putin",
        "putin -war",
        "(xi OR jinping) summit",
        "title:summit",
        "speaker:\"Vladimir Putin\"",
        "date:2022 war",
        "Officails",
    ] {
        both.count(&["search", q]);
        both.count(&["quotes", q]);
    }
    assert_eq!(both.count(&["speakers"]), both.count(&["speakers"]));
    both.count(&["entities", "--kind", "person"]);
    both.count(&["search", "--entity", "Kremlin"]);
    both.count(&["search", "--lang", "en"]);

    // What was read otherwise than typed is said the same way.
    let (a, b) = both.json(&["search", "Officails"]);
    assert_eq!(a["notes"], b["notes"]);
    assert!(!a["notes"].as_array().unwrap().is_empty());
    let (a, b) = both.json(&["search", "ukraine", "--since", "2030-01-01"]);
    assert_eq!(a["notes"], b["notes"]);
}

fn copies_quotes_and_timelines_are_the_same_on_both_backends() {
    // A second copy of the summit story (another site's, a day later,
    // its last paragraph cut): one story in two files, first published
    // in the original.
    let env = Env::with_sample_corpus();
    let story = std::fs::read_to_string(env.corpus().join(SUMMIT)).unwrap();
    assert!(story.contains("date: 2023-03-21"));
    let later = story.replace("date: 2023-03-21", "date: 2023-03-22");
    let cut = later.trim_end().rsplit_once("\n\n").unwrap().0;
    std::fs::write(env.corpus().join("world/summit-copy.md"), cut).unwrap();
    let both = Both::indexed_from(env, "copies");

    // Collapsed: the story once, with its copy under it; counts and
    // facets count it once.
    let (a, b) = both.json(&["search", "Xi Putin summit", "-n", "5"]);
    assert_eq!(a["total"], b["total"]);
    for v in [&a, &b] {
        let first = &v["hits"][0];
        assert_eq!(first["copies"], 1, "{first}");
        let also = first["also"].as_array().expect("also");
        assert_eq!(also.len(), 1, "{first}");
        let pair = [
            first["id"].as_str().unwrap(),
            also[0]["id"].as_str().unwrap(),
        ];
        assert!(
            pair.contains(&SUMMIT) && pair.contains(&"world/summit-copy.md"),
            "{pair:?}"
        );
        assert!(first["group"].is_u64(), "{first}");
    }
    assert_eq!(ids(&a), ids(&b));
    let all = both.count(&["search", "Xi Putin summit", "--all-copies"]);
    assert_eq!(both.count(&["search", "Xi Putin summit"]) + 1, all);
    let (a, b) = both.json(&["speakers", "-n", "5"]);
    assert_eq!(a, b);

    // Quotes: each once, at its first publication, with the articles
    // that carry it.
    let args = ["quotes", "--speaker", "putin", "-n", "100"];
    let (a, b) = both.json(&args);
    assert_eq!(a["total"], b["total"]);
    assert_eq!(quotes(&a), quotes(&b));
    let carried = |v: &Value| -> Vec<(String, u64)> {
        let mut c: Vec<(String, u64)> = v["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| {
                (
                    h["text"].as_str().unwrap().to_owned(),
                    h["articles"].as_u64().unwrap(),
                )
            })
            .collect();
        c.sort();
        c
    };
    assert_eq!(carried(&a), carried(&b));
    assert!(carried(&a).iter().any(|(_, n)| *n == 2), "{a}");
    both.count(&["quotes", "--speaker", "putin"]);
    both.count(&["quotes", "--speaker", "putin", "--all-copies"]);
    let mut by_date = args.to_vec();
    by_date.extend(["--sort", "date"]);
    let (a, b) = both.json(&by_date);
    assert_eq!(dates(&a), dates(&b));

    // A speaker's timeline: the same periods, counts and first quotes.
    for extra in [&[][..], &["--all-copies"][..]] {
        for by in ["year", "month", "day"] {
            let mut args = vec!["quotes", "--speaker", "putin", "--by", by];
            args.extend_from_slice(extra);
            let (a, b) = both.json(&args);
            assert_eq!(a["total"], b["total"], "{args:?}");
            assert_eq!(a["undated"], b["undated"], "{args:?}");
            let periods = |v: &Value| -> Vec<(String, u64, String)> {
                v["periods"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|p| {
                        (
                            p["period"].as_str().unwrap().to_owned(),
                            p["quotes"].as_u64().unwrap(),
                            p["first"]["date"].as_str().unwrap_or_default().to_owned(),
                        )
                    })
                    .collect()
            };
            assert_eq!(periods(&a), periods(&b), "{args:?}");
            assert!(!periods(&a).is_empty(), "{args:?}");
        }
    }
}

fn equal_scores_are_in_the_same_order_on_both_backends() {
    // Two word-for-word copies of the summit story, published a day
    // before it: the three score the same, and are shown by date, then
    // path, wherever each backend put them.
    let env = Env::with_sample_corpus();
    let story = std::fs::read_to_string(env.corpus().join(SUMMIT)).unwrap();
    let earlier = story.replace("date: 2023-03-21", "date: 2023-03-20");
    for name in ["world/zz-copy-2.md", "world/zz-copy-1.md"] {
        std::fs::write(env.corpus().join(name), &earlier).unwrap();
    }
    let both = Both::indexed_from(env, "ties");
    let order = |v: &Value| -> Vec<String> {
        v["hits"].as_array().unwrap()[..3]
            .iter()
            .map(|h| h["id"].as_str().unwrap().to_owned())
            .collect()
    };
    let (a, b) = both.json(&["search", "Xi Putin summit", "-n", "5", "--all-copies"]);
    let want = ["world/zz-copy-1.md", "world/zz-copy-2.md", SUMMIT];
    assert_eq!(order(&a), want, "embedded index");
    assert_eq!(order(&b), want, "OpenSearch");
    let (a, b) = both.json(&["search", "Xi Putin summit", "-n", "5"]);
    assert_eq!(a["hits"][0]["id"], "world/zz-copy-1.md", "embedded index");
    assert_eq!(b["hits"][0]["id"], "world/zz-copy-1.md", "OpenSearch");
}

fn re_runs_keep_exactly_the_directorys_documents() {
    let both = Both::indexed("rerun");
    let corpus = both.env.corpus();
    let dir = corpus.to_str().unwrap();
    let articles = both.count(&["search", "--all-copies"]);
    let quotes = both.count(&["quotes", "--all-copies"]);
    assert_eq!(both.os.count("article"), articles);
    assert_eq!(both.os.count("quote"), quotes);
    assert_eq!(both.os.count("file"), util::file_count(&corpus) as u64);

    // Nothing changed: nothing sent.
    let run = both.cluster(&["index", dir, "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let s = run.json();
    assert_eq!(s["unchanged"], 50, "{s}");
    assert_eq!(s["cluster"]["acknowledged_articles"], 0, "{s}");

    // A file loses its quotes, one goes, one comes.
    let quoted = both.json(&["quotes", "--speaker", "putin", "-n", "1"]).0["hits"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    std::fs::write(
        corpus.join(&quoted),
        "A quiet day\n\nNothing was said by anyone about anything.\n",
    )
    .unwrap();
    let gone = both.json(&["search", "Xi Putin summit", "-n", "1"]).0["hits"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    std::fs::remove_file(corpus.join(&gone)).unwrap();
    std::fs::write(
        corpus.join("world/new-arrival.txt"),
        "Harbour reopens\n\n“We are open again,” said Maria Lopez, the harbour master.\n",
    )
    .unwrap();
    for run in [
        both.tantivy(&["index", dir]),
        both.cluster(&["index", dir, "--json"]),
    ] {
        assert_eq!(run.code, 0, "{}", run.stderr);
    }
    let run = both.cluster(&["index", dir, "--json"]);
    assert_eq!(run.json()["unchanged"], 50, "{}", run.stdout);
    let articles = both.count(&["search", "--all-copies"]);
    let quotes = both.count(&["quotes", "--all-copies"]);
    assert_eq!(both.os.count("article"), articles);
    assert_eq!(both.os.count("quote"), quotes);
    assert_eq!(both.os.count("file"), util::file_count(&corpus) as u64);
    let (a, b) = both.json(&["search", "Xi Putin summit", "-n", "100"]);
    assert!(!ids(&a).contains(&gone) && !ids(&b).contains(&gone));
    assert_eq!(ids(&a), ids(&b));
    let (a, b) = both.json(&["quotes", "--speaker", "Maria Lopez"]);
    assert_eq!(quotes_of(&a), quotes_of(&b));
    assert_eq!(quotes_of(&a).len(), 1);
    let (a, b) = both.json(&["search", "--speaker", "putin", "-n", "100"]);
    assert!(!ids(&a).contains(&quoted));
    assert_eq!(ids(&a), ids(&b));
}

fn quotes_of(v: &Value) -> Vec<String> {
    v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["text"].as_str().unwrap().to_owned())
        .collect()
}

fn several_indexers_feed_one_index() {
    let env = Env::new();
    let os = TestIndex::new("shared");
    let sample = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_corpus");
    let (a, b) = (env.dir.path().join("a"), env.dir.path().join("b"));
    for section in ["world", "politics", "business"] {
        util::copy_dir(&sample.join(section), &a.join(section));
    }
    for section in ["culture", "science", "sport", "technology"] {
        util::copy_dir(&sample.join(section), &b.join(section));
    }
    let backend = os.backend();
    let index = |dir: &std::path::Path| {
        env.command(&["--backend", &backend, "index", dir.to_str().unwrap()])
            .env("NEWSIDX_OPENSEARCH_INDEX", &os.name)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("newsidx runs")
    };
    // Two processes at once, as two machines would.
    let (pa, pb) = (index(&a), index(&b));
    for p in [pa, pb] {
        let out = p.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let files = (util::file_count(&a) + util::file_count(&b)) as u64;
    assert_eq!(os.count("file"), files);
    assert_eq!(os.count("article"), files);
    let quotes_before = os.count("quote");

    // One directory changes; the other's documents stay as they are.
    let gone = std::fs::read_dir(a.join("world"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    std::fs::remove_file(&gone).unwrap();
    let out = index(&a).wait_with_output().unwrap();
    assert!(out.status.success());
    assert_eq!(os.count("file"), files - 1);
    assert_eq!(os.count("article"), files - 1);
    assert!(os.count("quote") <= quotes_before);
    let (status, v) = http(
        "POST",
        &format!("/{}/_count", os.name),
        Some(
            &serde_json::json!({"query": {"term": {"root": b.canonicalize().unwrap().to_str().unwrap()}}}),
        ),
    );
    assert_eq!(status, 200);
    assert!(v["count"].as_u64().unwrap() > util::file_count(&b) as u64);
    // An empty directory is refused, as for the embedded index.
    let empty = env.dir.path().join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    std::fs::remove_dir_all(&a).unwrap();
    std::fs::create_dir_all(&a).unwrap();
    let out = index(&a).wait_with_output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--allow-empty"));
    assert_eq!(os.count("file"), files - 1);
}

fn export_writes_what_index_sends() {
    let both = Both::indexed("export");
    let loaded = TestIndex::new("export-loaded");
    let corpus = both.env.corpus();
    let export = |args: &[&str]| {
        let out = both
            .env
            .command(args)
            .env("NEWSIDX_OPENSEARCH_INDEX", &loaded.name)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let from_dir = export(&["export", corpus.to_str().unwrap()]);
    let from_index = export(&["export", "--format", "opensearch-bulk"]);
    let pairs = |text: &str| -> BTreeSet<(String, String)> {
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len() % 2, 0);
        lines
            .chunks(2)
            .map(|p| (p[0].to_owned(), p[1].to_owned()))
            .collect()
    };
    assert_eq!(pairs(&from_dir), pairs(&from_index));
    let action: Value = serde_json::from_str(from_dir.lines().next().unwrap()).unwrap();
    assert_eq!(action["index"]["_index"], loaded.name.as_str());

    // Loaded with plain _bulk, it is the index `index` makes.
    let body = newsidx::backend::opensearch::mapping::index_body(
        newsidx::backend::opensearch::mapping::Layout::default(),
    );
    let (status, v) = http("PUT", &format!("/{}", loaded.name), Some(&body));
    assert_eq!(status, 200, "{v}");
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let mut reply = agent
        .post(format!("{}/_bulk?refresh=true", cluster::url()))
        .header("content-type", "application/x-ndjson")
        .send(from_dir.as_str())
        .unwrap();
    let reply: Value = serde_json::from_str(&reply.body_mut().read_to_string().unwrap()).unwrap();
    assert_eq!(reply["errors"], false);
    for kind in ["article", "quote", "file"] {
        assert_eq!(loaded.count(kind), both.os.count(kind), "{kind}");
    }
    // And newsidx sees it as indexed: every file unchanged.
    let run = run_of(
        both.env
            .command(&[
                "--backend",
                &loaded.backend(),
                "index",
                corpus.to_str().unwrap(),
                "--json",
            ])
            .env("NEWSIDX_OPENSEARCH_INDEX", &loaded.name)
            .output()
            .unwrap(),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.json()["unchanged"], 50);
}

/// A name the tagger gives two kinds in different articles: the same
/// archive kind and counts on both backends, in `entities` (every name,
/// a few, one kind) and the server's facets.
fn names_have_the_archives_kind_on_both_backends() {
    let both = Both::indexed_from(Env::with_articles(TWO_KINDS), "kinds");
    let kinds_of = |v: &Value, name: &str| {
        v.as_array()
            .unwrap()
            .iter()
            .filter(|n| n["name"] == name)
            .count()
    };
    for args in [
        &["entities", "-n", "1000"][..],
        // Every name, read a page at a time.
        &["entities", "-n", "20000"],
        &["entities", "-n", "3"],
        &["entities", "--kind", "person", "-n", "1000"],
        &["entities", "--kind", "place", "-n", "1000"],
        &["entities", "--kind", "org", "-n", "1000"],
        &["entities", "--kind", "org", "-n", "1"],
        &["entities", "--all-copies", "-n", "1000"],
        &["entities", "stadium", "-n", "1000"],
    ] {
        let (a, b) = both.json(args);
        assert_eq!(a, b, "{args:?}");
    }
    let (all, _) = both.json(&["entities", "-n", "1000"]);
    assert_eq!(kinds_of(&all, "Harwick"), 1, "{all}");
    assert_eq!(kinds_of(&all, "Cardiff"), 2, "{all}");
    both.count(&["search", "--entity", "Harwick"]);
    let cluster = Server::start_with(
        Env::new(),
        &["--backend", &both.os.backend()],
        &[("NEWSIDX_OPENSEARCH_INDEX", &both.os.name)],
    );
    let embedded = Server::start(both.env);
    let (a, b) = (
        embedded.json("/api/search?q=&limit=1"),
        cluster.json("/api/search?q=&limit=1"),
    );
    assert_eq!(a["facets"], b["facets"]);
}

fn the_server_answers_the_same_on_both_backends() {
    let os = TestIndex::new("serve");
    let on_cluster = Env::with_sample_corpus();
    let run = run_of(
        on_cluster
            .command(&[
                "--backend",
                &os.backend(),
                "index",
                on_cluster.corpus().to_str().unwrap(),
            ])
            .env("NEWSIDX_OPENSEARCH_INDEX", &os.name)
            .output()
            .unwrap(),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let embedded = Server::sample();
    let cluster = Server::start_with(
        on_cluster,
        &["--backend", &os.backend()],
        &[("NEWSIDX_OPENSEARCH_INDEX", &os.name)],
    );
    let search = |s: &Server, q: &str| s.json(&format!("/api/search?q={}&limit=100", enc(q)));
    for q in ["Xi Putin summit", "ukraine", ""] {
        let (a, b) = (search(&embedded, q), search(&cluster, q));
        assert_eq!(a["total"], b["total"], "{q}");
        assert_eq!(ids(&a), ids(&b), "{q}");
        // The top names among all matches.
        let top =
            |v: &Value, k: &str| -> Vec<Value> { v["facets"][k].as_array().unwrap()[..5].to_vec() };
        assert_eq!(top(&a, "speakers"), top(&b, "speakers"), "{q}");
        assert_eq!(top(&a, "entities"), top(&b, "entities"), "{q}");
    }
    let first = |s: &Server| search(s, "Xi Putin summit")["hits"][0]["id"].clone();
    assert_eq!(first(&embedded), first(&cluster));
    let q = "/api/quotes?speaker=putin&limit=100";
    assert_eq!(quotes(&embedded.json(q)), quotes(&cluster.json(q)));
    let hit = &search(&embedded, "Xi Putin summit")["hits"][0];
    let path = format!(
        "/api/articles/{}?q={}",
        hit["id"].as_str().unwrap(),
        enc("Xi Putin summit")
    );
    let (a, b) = (embedded.json(&path), cluster.json(&path));
    for field in ["title", "date", "body", "quotes", "entities", "highlights"] {
        assert_eq!(a[field], b[field], "{field}");
    }
    let health = cluster.json("/api/health");
    assert_eq!(health["index"]["articles"], 50, "{health}");
    assert_eq!(
        cluster.get("/api/articles/no/such.txt").status,
        404,
        "a missing article"
    );
    assert_eq!(cluster.get("/api/search?q=x&since=soon").status, 400);
}

fn an_ingest_killed_midway_is_finished_by_the_next_run() {
    let env = Env::new();
    let os = TestIndex::new("killed");
    let sample = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_corpus");
    for i in 0..8 {
        util::copy_dir(&sample, &env.corpus().join(format!("copy{i}")));
    }
    let corpus = env.corpus();
    let dir = corpus.to_str().unwrap();
    let backend = os.backend();
    let cluster = |extra: &[&str]| {
        let mut args = vec![
            "--backend",
            backend.as_str(),
            "index",
            dir,
            "--bulk-docs",
            "50",
        ];
        args.extend_from_slice(extra);
        let mut cmd = env.command(&args);
        cmd.env("NEWSIDX_OPENSEARCH_INDEX", &os.name)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        cmd
    };
    let mut child = cluster(&[]).spawn().unwrap();
    let started = std::time::Instant::now();
    loop {
        let (_, c) = http(
            "POST",
            &format!("/{}/_count", os.name),
            Some(&serde_json::json!({"query": {"match_all": {}}})),
        );
        if c["count"].as_u64().unwrap_or(0) > 0 {
            break;
        }
        assert!(started.elapsed().as_secs() < 120, "nothing arrived");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child.kill().unwrap();
    let killed = child.wait_with_output().unwrap();
    assert!(
        !killed.status.success(),
        "the run finished before it was killed"
    );
    let files = util::file_count(&corpus) as u64;
    assert!(os.count("file") < files, "every file was recorded already");

    // Meanwhile files whose documents the killed run sent lose their
    // quotes: those quotes must go.
    let (_, sent) = http(
        "POST",
        &format!("/{}/_search", os.name),
        Some(&serde_json::json!({
            "size": 20, "_source": ["key"],
            "query": {"term": {"kind": "quote"}}
        })),
    );
    let keys: BTreeSet<String> = sent["hits"]["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["_source"]["key"].as_str().unwrap().to_owned())
        .collect();
    assert!(!keys.is_empty(), "no quote was sent: {sent}");
    for key in &keys {
        std::fs::write(
            key,
            "Rewritten\n\nThe article was rewritten without anyone saying anything.\n",
        )
        .unwrap();
    }
    let run = run_of(cluster(&["--json"]).output().unwrap());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = env.run(&["index", dir, "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let expected = run.json();
    assert_eq!(os.count("article"), expected["articles"].as_u64().unwrap());
    assert_eq!(os.count("quote"), expected["quotes"].as_u64().unwrap());
    assert_eq!(os.count("file"), files);
}
