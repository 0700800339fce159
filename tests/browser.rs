//! Browser tests of the search page: headless Chromium driven over
//! WebDriver (chromedriver + fantoccini) against the real `newsidx serve`.
//!
//! Without `chromium` and `chromedriver` on the PATH each test is reported
//! as ignored, with what to install, so the skip shows in the summary;
//! `.ci/run` installs both, so CI runs them. The harness is libtest-mimic
//! because `#[ignore]` is fixed at compile time and the tools are found at
//! run time.

mod server;
mod util;

use std::future::Future;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use libtest_mimic::{Arguments, Completion, Trial};
use serde_json::{json, Value};

use server::Server;
use util::Env;

const SUMMIT_TITLE: &str = "Xi and Putin hold Moscow summit, pledge deeper partnership";
const ENTER: &str = "\u{E007}";
const NEEDS: &str =
    "needs chromium and chromedriver (Debian: apt-get install -y chromium chromium-driver)";

/// The browser tests, each an async function given the paths of Chromium
/// and chromedriver.
type BrowserTest = fn(PathBuf, PathBuf) -> std::pin::Pin<Box<dyn Future<Output = ()> + Send>>;

fn main() {
    let tests: [(&str, BrowserTest); 3] = [
        ("search_page_finds_the_summit_and_escapes_text", |c, d| {
            Box::pin(search_page_finds_the_summit_and_escapes_text(c, d))
        }),
        ("speaker_facet_narrows_the_results", |c, d| {
            Box::pin(speaker_facet_narrows_the_results(c, d))
        }),
        (
            "quotes_view_applies_its_entity_filter_and_marks_query_words",
            |c, d| {
                Box::pin(quotes_view_applies_its_entity_filter_and_marks_query_words(
                    c, d,
                ))
            },
        ),
    ];
    let trials = tests
        .into_iter()
        .map(|(name, test)| {
            Trial::ignorable_test(name, move || {
                let Some((chromium, chromedriver)) = tools() else {
                    return Ok(Completion::ignored_with(NEEDS));
                };
                tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(2)
                    .enable_all()
                    .build()
                    .expect("a tokio runtime")
                    .block_on(test(chromium, chromedriver));
                Ok(Completion::Completed)
            })
        })
        .collect();
    libtest_mimic::run(&Arguments::from_args(), trials).exit();
}

/// Chromium and chromedriver, found on the PATH.
fn tools() -> Option<(PathBuf, PathBuf)> {
    let find = |names: &[&str]| {
        names.iter().find_map(|n| {
            std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
                .map(|d| d.join(n))
                .find(|p| p.is_file())
        })
    };
    let chromium = find(&["chromium", "chromium-browser", "google-chrome"])?;
    let driver = find(&["chromedriver"])?;
    Some((chromium, driver))
}

/// A chromedriver process and a browser session through it.
struct Browser {
    driver: Child,
    client: Client,
    _profile: tempfile::TempDir,
}

impl Browser {
    async fn start(chromium: &Path, chromedriver: &Path) -> Browser {
        let port = server::free_port();
        let mut driver = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let url = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(30);
        while ureq::get(format!("{url}/status")).call().is_err() {
            if let Ok(Some(status)) = driver.try_wait() {
                panic!("chromedriver exited: {status}");
            }
            assert!(Instant::now() < deadline, "chromedriver not up in 30 s");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let profile = tempfile::tempdir().expect("a profile dir");
        let mut caps = fantoccini::wd::Capabilities::new();
        caps.insert(
            "goog:chromeOptions".into(),
            json!({
                "binary": chromium,
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                    "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync",
                    "--window-size=1200,900",
                    format!("--user-data-dir={}", profile.path().display()),
                ],
            }),
        );
        let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect(&url)
            .await
            .unwrap_or_else(|e| {
                let _ = driver.kill();
                panic!("no browser session: {e}")
            });
        Browser {
            driver,
            client,
            _profile: profile,
        }
    }

    async fn js(&self, script: &str) -> Value {
        self.client
            .execute(script, vec![])
            .await
            .unwrap_or_else(|e| panic!("script {script:?} failed: {e}"))
    }

    async fn renders(&self) -> u64 {
        self.js("return Number(document.body.dataset.renders || 0)")
            .await
            .as_u64()
            .unwrap_or(0)
    }

    /// Waits until the page has rendered more than `after` times and is idle.
    async fn rendered(&self, after: u64) {
        let script = format!(
            "return Number(document.body.dataset.renders || 0) > {after} \
             && document.body.dataset.state === 'ready'"
        );
        let deadline = Instant::now() + Duration::from_secs(20);
        while self.js(&script).await != Value::Bool(true) {
            let state = self.js("return document.body.dataset.state || ''").await;
            assert_ne!(state, "error", "the page shows an error");
            assert!(Instant::now() < deadline, "the page did not render");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    async fn open(&self, url: &str) {
        self.client.goto(url).await.expect("the page loads");
        self.rendered(0).await;
    }

    async fn texts(&self, css: &str) -> Vec<String> {
        let mut out = Vec::new();
        for e in self.client.find_all(Locator::Css(css)).await.unwrap() {
            out.push(e.text().await.unwrap());
        }
        out
    }

    async fn total(&self) -> u64 {
        self.js("return Number(document.getElementById('results').dataset.total)")
            .await
            .as_u64()
            .expect("a total")
    }

    async fn search(&self, words: &str) {
        let before = self.renders().await;
        let q = self.client.find(Locator::Id("q")).await.unwrap();
        q.clear().await.unwrap();
        q.send_keys(words).await.unwrap();
        q.send_keys(ENTER).await.unwrap();
        self.rendered(before).await;
    }

    async fn click(&self, css: &str) {
        let before = self.renders().await;
        let e = self
            .client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no {css}: {e}"));
        e.click().await.unwrap();
        self.rendered(before).await;
    }

    async fn close(mut self) {
        let _ = self.client.clone().close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
    }
}

async fn search_page_finds_the_summit_and_escapes_text(chromium: PathBuf, chromedriver: PathBuf) {
    let env = Env::with_sample_corpus();
    std::fs::write(
        env.corpus().join("culture/escaping.txt"),
        "Escaping <img src=x onerror=\"window.pwned=1\"> <script>window.pwned=2</script>\n\n\
         Markup in text stays text: “<b>bold</b> <img src=y onerror=\"window.pwned=3\">” it said.\n",
    )
    .unwrap();
    let run = env.run(&["index", env.corpus().to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let server = Server::start(env);
    let b = Browser::start(&chromium, &chromedriver).await;

    b.open(&server.url("/")).await;
    b.search("Xi Putin summit").await;
    let titles = b.texts("#results li.hit .hit-title").await;
    assert_eq!(
        titles.first().map(String::as_str),
        Some(SUMMIT_TITLE),
        "{titles:?}"
    );
    assert!(!b.texts("#results li.hit .snippet mark").await.is_empty());

    // The article view, with its quotes marked in the body.
    b.click("#results li.hit .hit-title").await;
    assert_eq!(b.texts("#article h1").await, [SUMMIT_TITLE]);
    assert!(!b.texts("#article .body mark.quote").await.is_empty());

    // Back to the results, then the quotes view, each linking to its article.
    let before = b.renders().await;
    b.client.back().await.unwrap();
    b.rendered(before).await;
    assert_eq!(b.texts("#results li.hit .hit-title").await[0], SUMMIT_TITLE);
    b.click("#view-quotes").await;
    let quotes = b.texts("#results li.quote blockquote").await;
    assert!(!quotes.is_empty());
    assert_eq!(
        b.texts("#results li.quote .hit-title").await.len(),
        quotes.len()
    );

    // Article text with markup in it stays text, in the results and the article.
    b.click("#view-articles").await;
    b.search("title:Escaping").await;
    let titles = b.texts("#results li.hit .hit-title").await;
    assert!(titles[0].contains("<img src=x"), "{titles:?}");
    let clean = "return window.pwned === undefined && \
                 document.querySelectorAll('main img, main script, main b').length === 0";
    assert_eq!(b.js(clean).await, Value::Bool(true));
    b.click("#results li.hit .hit-title").await;
    assert!(b.texts("#article h1").await[0].contains("<script>"));
    assert!(b.texts("#article .body").await[0].contains("<b>bold</b>"));
    assert_eq!(b.js(clean).await, Value::Bool(true));
    b.close().await;
}

// Needs speaker extraction: fails while quotes have no speakers.
async fn speaker_facet_narrows_the_results(chromium: PathBuf, chromedriver: PathBuf) {
    let server = Server::sample();
    let b = Browser::start(&chromium, &chromedriver).await;
    b.open(&server.url("/")).await;
    b.search("Xi Putin summit").await;
    assert_eq!(b.texts("#results li.hit .hit-title").await[0], SUMMIT_TITLE);
    let before = b.total().await;
    let facets = b
        .client
        .find_all(Locator::Css("#speaker-facets button.facet"))
        .await
        .unwrap();
    let Some(first) = facets.first() else {
        b.close().await;
        panic!("no speaker facets for \"Xi Putin summit\" (needs speaker extraction)");
    };
    let name = first.attr("data-name").await.unwrap().expect("a name");
    b.click("#speaker-facets button.facet").await;
    let after = b.total().await;
    assert!(after <= before, "{after} > {before}");
    assert!(after > 0);
    let speakers = b
        .js("return [...document.querySelectorAll('#results li.hit')].map(li => JSON.parse(li.dataset.speakers))")
        .await;
    for list in speakers.as_array().unwrap() {
        assert!(
            list.as_array().unwrap().iter().any(|s| s == name.as_str()),
            "{name} not in {list}"
        );
    }
    assert_eq!(
        b.texts("#chips .chip").await,
        [format!("speaker: {name} ×")]
    );
    b.close().await;
}

async fn quotes_view_applies_its_entity_filter_and_marks_query_words(
    chromium: PathBuf,
    chromedriver: PathBuf,
) {
    let server = Server::sample();
    let b = Browser::start(&chromium, &chromedriver).await;

    // The entity chip is a filter the quotes view applies: its quotes are
    // those of articles that name Moscow, fewer than all quotes.
    b.open(&server.url("/?view=quotes&entity=Moscow")).await;
    assert_eq!(b.texts("#chips .chip").await, ["entity: Moscow ×"]);
    let moscow = server.json("/api/quotes?entity=Moscow");
    let all = server.json("/api/quotes");
    assert_eq!(b.total().await, moscow["total"].as_u64().unwrap());
    assert!(b.total().await < all["total"].as_u64().unwrap());
    let naming = server.json("/api/search?entity=Moscow&limit=100");
    let naming: Vec<&str> = util::hits(&naming)
        .iter()
        .map(|h| h["id"].as_str().unwrap())
        .collect();
    let shown = b
        .js("return [...document.querySelectorAll('#results li.quote')].map(li => li.dataset.id)")
        .await;
    let shown = shown.as_array().unwrap();
    assert!(!shown.is_empty());
    for id in shown {
        assert!(
            naming.contains(&id.as_str().unwrap()),
            "{id} does not name Moscow"
        );
    }

    // Query words are marked in the quotes, and in the article opened from one.
    b.search("relations").await;
    let marks = b.texts("#results li.quote blockquote mark").await;
    assert!(!marks.is_empty());
    for m in &marks {
        // "relations" and "relative" share a stem.
        assert!(m.to_lowercase().starts_with("relat"), "{m}");
    }
    b.click("#results li.quote .hit-title").await;
    let marks = b.texts("#article .body mark.hit").await;
    assert!(!marks.is_empty());
    for m in &marks {
        // "relations" and "relative" share a stem.
        assert!(m.to_lowercase().starts_with("relat"), "{m}");
    }
    b.close().await;
}
