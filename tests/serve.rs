//! End-to-end tests of `newsidx serve`: every endpoint of the real binary
//! (status, JSON shape, filters, errors) on an index of `sample_corpus/`.
//!
//! The tests marked "needs speaker extraction" or "needs entity
//! extraction" fail on the placeholder extractors and pass once those
//! extractors fill the index (as `tests/search.rs`'s speaker tests do).

mod server;
mod util;

use std::time::{Duration, Instant};

use serde_json::Value;

use server::{enc, Server};
use util::{hits, Env};

const SUMMIT_ID: &str = "world/xi-putin-moscow-summit.md";
const SUMMIT_TITLE: &str = "Xi and Putin hold Moscow summit, pledge deeper partnership";

fn search(s: &Server, query: &str) -> Value {
    s.json(&format!("/api/search?{query}"))
}

fn assert_error(s: &Server, path: &str, status: u16) -> Value {
    let r = s.get(path);
    assert_eq!(r.status, status, "GET {path}: {}", r.body);
    assert!(r.content_type.starts_with("application/json"), "{path}");
    let v = r.json();
    assert!(
        v["error"].as_str().is_some_and(|m| !m.is_empty()),
        "{path}: {v}"
    );
    assert_eq!(v["status"], status);
    v
}

#[test]
fn health_answers_ok() {
    let s = Server::sample();
    let v = s.json("/api/health");
    assert_eq!(v["status"], "ok");
}

#[test]
fn search_ranks_the_summit_first_like_the_cli() {
    let s = Server::sample();
    let v = search(&s, &format!("q={}", enc("Xi Putin summit")));
    for key in ["query", "total", "hits", "offset", "limit", "facets"] {
        assert!(v.get(key).is_some(), "no {key} in {v}");
    }
    assert!(v["facets"]["speakers"].is_array());
    assert!(v["facets"]["entities"].is_array());
    let first = &hits(&v)[0];
    assert_eq!(first["id"], SUMMIT_ID);
    assert_eq!(first["title"], SUMMIT_TITLE);
    for key in [
        "rank",
        "score",
        "path",
        "date",
        "snippet",
        "highlights",
        "speakers",
        "quotes",
        "entities",
    ] {
        assert!(first.get(key).is_some(), "no {key} in {first}");
    }
    let snippet = first["snippet"].as_str().unwrap();
    for h in first["highlights"].as_array().unwrap() {
        let (a, b) = (
            h[0].as_u64().unwrap() as usize,
            h[1].as_u64().unwrap() as usize,
        );
        assert!(
            snippet.get(a..b).is_some(),
            "bad highlight {h} in {snippet:?}"
        );
    }
    // The same ranking as `search --json`.
    let cli = s.env.search(&["Xi Putin summit"]);
    assert_eq!(v["total"], cli["total"]);
    let ids = |v: &Value| -> Vec<String> {
        hits(v)
            .iter()
            .map(|h| h["title"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(ids(&v), ids(&cli));
}

#[test]
fn search_filters_by_date_sorts_and_pages() {
    let s = Server::sample();
    let all = search(&s, "limit=100");
    let total = all["total"].as_u64().unwrap();
    assert!(total > 20, "{total}");

    let v = search(&s, "since=2022-01-01&until=2022-12-31&limit=100");
    let n = v["total"].as_u64().unwrap();
    assert!(0 < n && n < total, "{n} of {total}");
    for h in hits(&v) {
        let d = h["date"].as_str().expect("a dated hit");
        assert!(("2022-01-01"..="2022-12-31").contains(&d), "{d}");
    }

    let newest = search(&s, "sort=date&limit=100");
    let dates: Vec<&str> = hits(&newest)
        .iter()
        .filter_map(|h| h["date"].as_str())
        .collect();
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "{dates:?}");

    let page1 = search(&s, "q=rates&limit=2");
    let page2 = search(&s, "q=rates&limit=2&offset=1");
    assert_eq!(hits(&page1).len(), 2);
    assert_eq!(page2["offset"], 1);
    assert_eq!(hits(&page2)[0]["id"], hits(&page1)[1]["id"]);

    let capped = search(&s, "limit=100000");
    assert_eq!(capped["limit"], 100);
    assert!(hits(&capped).len() <= 100);
}

#[test]
// Needs speaker extraction: fails while quotes have no speakers.
fn speaker_facet_narrows_the_search() {
    let s = Server::sample();
    let all = search(&s, "");
    let speakers = all["facets"]["speakers"].as_array().unwrap();
    let top = speakers
        .first()
        .unwrap_or_else(|| panic!("no speaker facets (needs speaker extraction): {all}"));
    let name = top["name"].as_str().unwrap();
    assert!(top["count"].as_u64().unwrap() > 0);
    let v = search(&s, &format!("speaker={}&limit=100", enc(name)));
    assert_eq!(v["total"], top["count"], "{name}");
    assert!(v["total"].as_u64() <= all["total"].as_u64());
    for h in hits(&v) {
        let quoted: Vec<&str> = h["speakers"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|s| s.as_str())
            .collect();
        assert!(quoted.contains(&name), "{name} not in {quoted:?}");
    }
}

#[test]
// Needs entity extraction: fails while no entities are extracted.
fn entity_facet_narrows_the_search() {
    let s = Server::sample();
    let all = search(&s, &format!("q={}", enc("Xi Putin summit")));
    let entities = all["facets"]["entities"].as_array().unwrap();
    let top = entities
        .first()
        .unwrap_or_else(|| panic!("no entity facets (needs entity extraction): {all}"));
    assert!(top["kind"].is_string(), "{top}");
    let name = top["name"].as_str().unwrap();
    let v = search(
        &s,
        &format!("q={}&entity={}", enc("Xi Putin summit"), enc(name)),
    );
    assert_eq!(v["total"], top["count"], "{name}");
    for h in hits(&v) {
        let names: Vec<&str> = h["entities"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|e| e["name"].as_str())
            .collect();
        assert!(names.contains(&name), "{name} not in {names:?}");
    }
}

#[test]
fn quotes_link_to_their_articles() {
    let s = Server::sample();
    let v = s.json("/api/quotes?q=relations&limit=5");
    for key in ["query", "total", "hits", "offset", "limit"] {
        assert!(v.get(key).is_some(), "no {key} in {v}");
    }
    let qs = hits(&v);
    assert!(!qs.is_empty(), "{v}");
    for q in qs {
        for key in [
            "rank", "score", "text", "speaker", "title", "date", "path", "id",
        ] {
            assert!(q.get(key).is_some(), "no {key} in {q}");
        }
        let id = q["id"].as_str().unwrap();
        let a = s.json(&format!("/api/articles/{id}"));
        assert_eq!(a["title"], q["title"]);
        let text = q["text"].as_str().unwrap();
        assert!(
            a["quotes"]
                .as_array()
                .unwrap()
                .iter()
                .any(|x| x["text"] == text),
            "{text:?} not among the quotes of {id}"
        );
    }
    let dated = s.json("/api/quotes?since=2023-01-01&limit=100");
    for q in hits(&dated) {
        assert!(q["date"].as_str().is_some_and(|d| d >= "2023-01-01"), "{q}");
    }
    // Quotes from articles that name the entity.
    let moscow = s.json("/api/quotes?entity=Moscow&limit=100");
    assert!(moscow["total"].as_u64().unwrap() > 0, "{moscow}");
    let all = s.json("/api/quotes?limit=100");
    assert!(moscow["total"].as_u64() < all["total"].as_u64());
    for q in hits(&moscow) {
        let article = s.json(&format!("/api/articles/{}", q["id"].as_str().unwrap()));
        let named = article["entities"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["name"] == "Moscow");
        assert!(named, "{} does not name Moscow", q["id"]);
    }
}

#[test]
// Needs speaker extraction: fails while quotes have no speakers.
fn quotes_filter_by_speaker() {
    let s = Server::sample();
    let all = s.json("/api/quotes?limit=100");
    let name = hits(&all)
        .iter()
        .find_map(|q| q["speaker"].as_str())
        .unwrap_or_else(|| panic!("no quote has a speaker (needs speaker extraction)"))
        .to_owned();
    let v = s.json(&format!("/api/quotes?speaker={}&limit=100", enc(&name)));
    assert!(!hits(&v).is_empty());
    assert!(v["total"].as_u64() <= all["total"].as_u64());
    for q in hits(&v) {
        assert_eq!(q["speaker"], name.as_str());
    }
}

#[test]
fn article_by_id_has_its_quotes_and_entities() {
    let s = Server::sample();
    let plain = s.json(&format!("/api/articles/{SUMMIT_ID}"));
    let encoded = s.json(&format!("/api/articles/{}", enc(SUMMIT_ID)));
    assert_eq!(plain, encoded);
    assert_eq!(plain["path"], SUMMIT_ID);
    assert_eq!(plain["title"], SUMMIT_TITLE);
    assert!(plain["date"].is_string());
    let body = plain["body"].as_str().unwrap();
    assert!(body.contains("Moscow"), "{body}");
    let quotes = plain["quotes"].as_array().unwrap();
    assert!(!quotes.is_empty());
    for q in quotes {
        let (a, b) = (
            q["start"].as_u64().unwrap() as usize,
            q["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(body.get(a..b), q["text"].as_str(), "{q}");
        assert!(q.get("speaker").is_some());
    }
    // Spans are not stored but found again: the same as the parser's.
    let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("sample_corpus")
        .join(SUMMIT_ID);
    let parsed = std::process::Command::new(env!("CARGO_BIN_EXE_newsidx"))
        .args(["parse", "--json"])
        .arg(&file)
        .output()
        .unwrap();
    let parsed: serde_json::Value = serde_json::from_slice(&parsed.stdout).unwrap();
    assert!(!parsed["entities"].as_array().unwrap().is_empty());
    assert_eq!(plain["entities"], parsed["entities"]);
    let missing = assert_error(&s, "/api/articles/world/no-such-article.md", 404);
    assert!(missing["error"]
        .as_str()
        .unwrap()
        .contains("no-such-article"));
}

#[test]
fn the_same_id_under_two_indexed_directories_is_told_apart_by_root() {
    // Two directories, one index: each has world/harbour.txt.
    let env = Env::new();
    let (a, b) = (env.dir.path().join("a"), env.dir.path().join("b"));
    for (dir, title, who) in [
        (&a, "Harbour reopens in Leith", "Ann Poe"),
        (&b, "Harbour closes in Cobh", "Tim Doe"),
    ] {
        std::fs::create_dir_all(dir.join("world")).unwrap();
        let text = format!("{title}\n\n“The harbour matters to every family here,” said {who}, the harbour master.\n");
        std::fs::write(dir.join("world/harbour.txt"), text).unwrap();
    }
    for dir in [&a, &b] {
        let run = env.run(&["index", dir.to_str().unwrap()]);
        assert_eq!(run.code, 0, "{}", run.stderr);
    }
    let s = Server::start(env);
    let id = "world/harbour.txt";
    let both = assert_error(&s, &format!("/api/articles/{id}"), 409);
    let root = |d: &std::path::Path| d.canonicalize().unwrap().to_string_lossy().into_owned();
    let message = both["error"].as_str().unwrap();
    assert!(
        message.contains(&root(&a)) && message.contains(&root(&b)),
        "{message}"
    );

    // Every hit carries its root, and the root picks the article (the two
    // texts are copies but for the name: collapse=false shows both).
    let v = search(&s, "q=harbour&collapse=false");
    assert_eq!(hits(&v).len(), 2, "{v}");
    for hit in hits(&v) {
        let wanted = hit["root"].as_str().unwrap();
        assert!(wanted == root(&a) || wanted == root(&b), "{hit}");
        let one = s.json(&format!("/api/articles/{id}?root={}", enc(wanted)));
        assert_eq!(one["title"], hit["title"], "{one}");
    }
    let quotes = s.json("/api/quotes?q=harbour");
    let mut roots: Vec<&str> = hits(&quotes)
        .iter()
        .map(|q| q["root"].as_str().unwrap())
        .collect();
    roots.sort();
    assert_eq!(roots, [root(&a), root(&b)], "{quotes}");
    let other = s.json(&format!("/api/articles/{id}?root={}", enc(&root(&b))));
    assert_eq!(other["title"], "Harbour closes in Cobh");
    assert_error(&s, &format!("/api/articles/{id}?root=%2Fnowhere"), 404);
    assert_error(&s, &format!("/api/articles/{id}?colour=red"), 400);
}

#[test]
fn errors_are_json_with_their_status() {
    let s = Server::sample();
    // Prose is never a bad query: a colon after a word that is not a
    // field is text, an open quote is closed and said so.
    for q in [
        "Xi%20Jinping%3A%20the%20summit",
        "%22prime%20minister",
        "Putin's",
    ] {
        let v = s.json(&format!("/api/search?q={q}"));
        assert!(v["total"].as_u64().unwrap() > 0, "{q}: {v}");
    }
    assert!(s.json("/api/search?q=%22prime%20minister")["notes"][0]
        .as_str()
        .unwrap()
        .contains("not closed"));
    assert_error(&s, "/api/search?since=yesterday", 400);
    assert_error(&s, "/api/search?until=2022-13-45", 400);
    assert_error(&s, "/api/search?limit=ten", 400);
    assert_error(&s, "/api/search?offset=-3", 400);
    assert_error(&s, "/api/search?offset=999999", 400);
    assert_error(&s, "/api/search?sort=random", 400);
    assert_error(&s, "/api/search?colour=red", 400);
    // A pasted paragraph is a query (the limit of the command line's, 16
    // KiB, is beyond the URI's): only the URI's length bounds it here.
    let pasted = "budget ".repeat(400);
    assert_eq!(
        search(&s, &format!("q={}", enc(&pasted)))["query"],
        pasted.trim()
    );
    assert_error(&s, &format!("/api/search?speaker={}", "(".repeat(100)), 400);
    assert_error(&s, &format!("/api/search?q={}", "a".repeat(5000)), 414);
    assert_error(&s, "/api/nothing-here", 404);
    assert_error(&s, "/api/articles/", 404);
    let post = s.post("/api/search", &"x".repeat(100_000));
    assert_eq!(post.status, 405, "{}", post.body);
    assert!(post.json()["error"].is_string());
    // Still serving after all that.
    assert_eq!(s.json("/api/health")["status"], "ok");
}

#[test]
fn the_page_is_served_from_the_binary() {
    let s = Server::sample();
    let page = s.get("/");
    assert_eq!(page.status, 200);
    assert!(page.content_type.starts_with("text/html"));
    assert!(page.body.contains(r#"id="q""#));
    let csp = page.header("content-security-policy").expect("a CSP");
    assert!(csp.contains("script-src 'self'"), "{csp}");
    for (path, kind) in [("/page.js", "text/javascript"), ("/page.css", "text/css")] {
        let r = s.get(path);
        assert_eq!(r.status, 200, "{path}");
        assert!(
            r.content_type.starts_with(kind),
            "{path}: {}",
            r.content_type
        );
        assert!(
            !r.body.contains("http://") && !r.body.contains("https://"),
            "{path}"
        );
        assert!(
            !r.body.contains("innerHTML"),
            "{path}: text must go in as text"
        );
    }
    assert!(!page.body.contains("src=\"http") && !page.body.contains("href=\"http"));
}

#[test]
fn a_new_commit_is_served_without_a_restart() {
    let s = Server::sample();
    assert_eq!(search(&s, "q=zanzibarian")["total"], 0);
    std::fs::write(
        s.env.corpus().join("world/zanzibar.txt"),
        "Zanzibarian ferry resumes\n\nThe zanzibarian ferry sailed again on Monday.\n",
    )
    .unwrap();
    let run = s.env.run(&["index", s.env.corpus().to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let v = search(&s, "q=zanzibarian");
        if v["total"] == 1 {
            assert_eq!(hits(&v)[0]["id"], "world/zanzibar.txt");
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the new article never showed: {v}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn a_missing_index_is_an_error_not_a_hang() {
    let env = Env::new();
    let port = server::free_port();
    let run = env.run(&["serve", "--addr", &format!("127.0.0.1:{port}")]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("no index"), "{}", run.stderr);
}

#[test]
fn objects_of_one_json_file_with_the_same_url_are_two_articles() {
    let env = Env::new();
    let corpus = env.corpus();
    std::fs::create_dir_all(&corpus).unwrap();
    std::fs::write(
        corpus.join("feed.json"),
        r#"[{"url": "https://e.org/ferry", "title": "Ferry saved", "body": "The winter ferry will run, the council said."},
            {"url": "https://e.org/ferry", "title": "Ferry saved (update)", "body": "The winter ferry will run all year, the council said."}]"#,
    )
    .unwrap();
    let run = env.run(&["index", corpus.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("items 1 and 2 have the id"),
        "{}",
        run.stderr
    );
    let s = Server::start(env);
    for (id, title) in [
        ("feed.json#https://e.org/ferry", "Ferry saved"),
        ("feed.json#https://e.org/ferry#2", "Ferry saved (update)"),
    ] {
        let a = s.json(&format!("/api/articles/{}", enc(id)));
        assert_eq!(a["title"], title, "{a}");
    }
}

/// A request written by hand (the HTTP client would set `Host` itself);
/// the status code of the reply.
fn raw_status(addr: &str, request: &str) -> u16 {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s.write_all(request.as_bytes()).unwrap();
    let mut reply = String::new();
    let _ = s.read_to_string(&mut reply);
    reply
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or_else(|| panic!("no status in {reply:?}"))
}

fn get_with(addr: &str, path: &str, headers: &str) -> u16 {
    raw_status(
        addr,
        &format!("GET {path} HTTP/1.1\r\n{headers}Connection: close\r\n\r\n"),
    )
}

#[test]
fn only_the_hosts_it_is_named_by_are_answered() {
    let s = Server::start_with(Env::indexed(), &["--allow-host", "news.example.org"], &[]);
    let article = format!("/api/articles/{SUMMIT_ID}");
    let addr = s.addr().to_owned();
    let port = addr.rsplit(':').next().unwrap().to_owned();
    for host in [
        addr.clone(),
        format!("localhost:{port}"),
        format!("[::1]:{port}"),
        "news.example.org".into(),
    ] {
        assert_eq!(
            get_with(&addr, &article, &format!("Host: {host}\r\n")),
            200,
            "{host}"
        );
    }
    // DNS rebinding: a page of another name that resolves to loopback.
    let rebound = format!("Host: rebind.attacker.example:{port}\r\n");
    assert_eq!(get_with(&addr, &article, &rebound), 421);
    assert_eq!(get_with(&addr, "/", &rebound), 421);
    assert_eq!(get_with(&addr, &article, ""), 421, "no Host at all");
    // A browser's request from another site.
    let host = format!("Host: {addr}\r\n");
    let foreign = format!("{host}Origin: http://rebind.attacker.example\r\n");
    assert_eq!(get_with(&addr, &article, &foreign), 403);
    let own = format!("{host}Origin: http://{addr}\r\n");
    assert_eq!(get_with(&addr, &article, &own), 200);
    let cross = format!("{host}Sec-Fetch-Site: cross-site\r\n");
    assert_eq!(get_with(&addr, &article, &cross), 403);
    // The refusal says what to do, in JSON.
    let r = s.get("/api/health");
    assert_eq!(r.status, 200);
}

#[test]
fn idle_and_half_sent_connections_are_closed_after_the_timeout() {
    use std::io::{Read, Write};
    let s = Server::start_with(Env::indexed(), &["--idle-timeout", "1"], &[]);
    let started = Instant::now();
    let idle = std::net::TcpStream::connect(s.addr()).unwrap();
    let mut half = std::net::TcpStream::connect(s.addr()).unwrap();
    half.write_all(b"GET /api/health HTTP/1.1\r\nHost: ")
        .unwrap();
    for mut conn in [idle, half] {
        conn.set_read_timeout(Some(Duration::from_secs(20)))
            .unwrap();
        let mut buf = Vec::new();
        // The server closes it (EOF, or a reset) instead of waiting.
        let _ = conn.read_to_end(&mut buf);
    }
    let waited = started.elapsed();
    assert!(waited < Duration::from_secs(10), "closed after {waited:?}");
    // A keep-alive connection left idle after its reply goes the same way.
    let mut kept = std::net::TcpStream::connect(s.addr()).unwrap();
    let request = format!("GET /api/health HTTP/1.1\r\nHost: {}\r\n\r\n", s.addr());
    kept.write_all(request.as_bytes()).unwrap();
    kept.set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    let mut reply = Vec::new();
    let _ = kept.read_to_end(&mut reply);
    assert!(String::from_utf8_lossy(&reply).starts_with("HTTP/1.1 200"));
}

#[test]
fn sigterm_ends_the_server_with_idle_and_half_sent_connections_open() {
    use std::io::Write;
    let mut s = Server::sample();
    let _idle = std::net::TcpStream::connect(s.addr()).unwrap();
    let mut half = std::net::TcpStream::connect(s.addr()).unwrap();
    half.write_all(b"GET /api/search?q=putin HTTP/1.1\r\n")
        .unwrap();
    std::thread::sleep(Duration::from_millis(200));
    let took = s.terminate(Duration::from_secs(5));
    eprintln!("exited {took:?} after SIGTERM");
}

#[test]
fn the_health_check_reads_the_index_and_fails_when_it_is_gone() {
    let s = Server::sample();
    let h = s.json("/api/health");
    assert_eq!(h["status"], "ok");
    assert_eq!(h["index"]["articles"], 50);
    assert!(
        h["index"]["committed"].as_str().unwrap().ends_with('Z'),
        "{h}"
    );
    std::fs::remove_dir_all(s.env.index_dir()).unwrap();
    let r = s.get("/api/health");
    assert_eq!(r.status, 503, "{}", r.body);
    assert_eq!(r.json()["status"], "unavailable");
}

/// Fault injection is compiled into debug builds only.
#[cfg(debug_assertions)]
#[test]
fn a_search_past_its_budget_answers_503_and_frees_its_thread() {
    // One search thread: if the slow search kept it, the next would wait.
    let s = Server::start_with(
        Env::indexed(),
        &["--search-timeout", "0.5", "--search-threads", "1"],
        &[("NEWSIDX_FAULT", "slow-search:slowly")],
    );
    let started = Instant::now();
    // "said" is in most articles: at 50 ms a match, seconds a pass.
    let slow = s.get("/api/search?q=slowly+OR+said");
    assert_eq!(slow.status, 503, "{}", slow.body);
    assert!(
        slow.json()["error"]
            .as_str()
            .unwrap()
            .contains("time budget"),
        "{}",
        slow.body
    );
    // Unstopped, it would hold the thread for seconds more.
    let next = s.get("/api/search?q=putin");
    assert_eq!(next.status, 200, "{}", next.body);
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
}
