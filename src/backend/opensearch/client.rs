//! HTTP to an OpenSearch cluster: JSON and NDJSON requests to any of its
//! nodes, retried with back-off on overload (429), unavailability (502,
//! 503, 504) and on a node that goes away (the next node is tried).
//!
//! Credentials come from the environment only (see [`Auth`]), never from a
//! URL: a URL with a password in it ends up in shell histories and `ps`.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use reqwest::blocking::Client as Http;
use reqwest::header::CONTENT_TYPE;
use reqwest::{Method, StatusCode};
use serde_json::Value;

use crate::{Error, Result};

/// Basic auth user and password (the security plugin's internal users or
/// LDAP).
pub const ENV_USER: &str = "NEWSIDX_OPENSEARCH_USER";
pub const ENV_PASSWORD: &str = "NEWSIDX_OPENSEARCH_PASSWORD";
/// A bearer token (a JWT, or an API token of the security plugin).
pub const ENV_TOKEN: &str = "NEWSIDX_OPENSEARCH_TOKEN";
/// A PEM file of the CA certificates to trust (a cluster with its own CA).
pub const ENV_CA: &str = "NEWSIDX_OPENSEARCH_CA";

/// How long one request is retried before its failure is reported.
const RETRY_BUDGET: Duration = Duration::from_secs(120);
/// The first wait after a failure; each next one doubles, up to the most.
const FIRST_WAIT: Duration = Duration::from_millis(200);
const MOST_WAIT: Duration = Duration::from_secs(10);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// A bulk of a few MB on a busy cluster takes seconds, not minutes.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(120);

/// How requests authenticate.
#[derive(Clone, Default)]
pub enum Auth {
    #[default]
    None,
    Basic {
        user: String,
        password: String,
    },
    Bearer(String),
}

impl std::fmt::Debug for Auth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print a secret.
        match self {
            Auth::None => write!(f, "no authentication"),
            Auth::Basic { user, .. } => write!(f, "basic auth as {user:?}"),
            Auth::Bearer(_) => write!(f, "bearer token"),
        }
    }
}

impl Auth {
    /// From [`ENV_USER`] and [`ENV_PASSWORD`], or [`ENV_TOKEN`].
    pub fn from_env() -> Result<Auth> {
        let var = |name| std::env::var(name).ok().filter(|v| !v.is_empty());
        match (var(ENV_USER), var(ENV_PASSWORD), var(ENV_TOKEN)) {
            (Some(_), _, Some(_)) => Err(Error::Cluster(format!(
                "both {ENV_USER} and {ENV_TOKEN} are set: say which to use"
            ))),
            (Some(user), Some(password), None) => Ok(Auth::Basic { user, password }),
            (Some(_), None, None) => Err(Error::Cluster(format!(
                "{ENV_USER} is set without {ENV_PASSWORD}"
            ))),
            (None, Some(_), _) => Err(Error::Cluster(format!(
                "{ENV_PASSWORD} is set without {ENV_USER}"
            ))),
            (None, None, Some(token)) => Ok(Auth::Bearer(token)),
            (None, None, None) => Ok(Auth::None),
        }
    }

    fn apply(&self, req: reqwest::blocking::RequestBuilder) -> reqwest::blocking::RequestBuilder {
        match self {
            Auth::None => req,
            Auth::Basic { user, password } => req.basic_auth(user, Some(password)),
            Auth::Bearer(token) => req.bearer_auth(token),
        }
    }
}

/// A body to send.
pub enum Body<'a> {
    Empty,
    Json(&'a Value),
    /// Newline-delimited JSON (`_bulk`, `_msearch`).
    NdJson(&'a [u8]),
}

/// A response the cluster gave (after the retries of transient failures).
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub json: Value,
}

impl Reply {
    pub fn ok(&self) -> bool {
        self.status.is_success()
    }

    /// The cluster's reason for a failed request, for an error message.
    pub fn reason(&self) -> String {
        let e = &self.json["error"];
        let text = match (e["type"].as_str(), e["reason"].as_str()) {
            (Some(t), Some(r)) => format!("{t}: {r}"),
            _ => e
                .as_str()
                .map(str::to_owned)
                .unwrap_or_else(|| self.json.to_string()),
        };
        let mut text = format!("HTTP {}: {text}", self.status.as_u16());
        if text.len() > 600 {
            let mut end = 600;
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            text.truncate(end);
            text.push('…');
        }
        text
    }

    /// The body as JSON of a successful request, or the cluster's reason
    /// as an error (`what` says what was asked).
    pub fn into_ok(self, what: &str) -> Result<Value> {
        if self.ok() {
            Ok(self.json)
        } else {
            Err(Error::Cluster(format!("{what}: {}", self.reason())))
        }
    }
}

/// What the client spent, for the ingest summary.
#[derive(Debug, Default)]
pub struct Spent {
    /// Requests sent (each retry counts).
    pub requests: AtomicUsize,
    /// Requests that failed in a way worth retrying, and were.
    pub retries: AtomicUsize,
    /// Time waiting for the cluster's replies, summed over threads.
    pub waiting_nanos: AtomicU64,
    /// Time in back-off sleeps, summed over threads.
    pub backoff_nanos: AtomicU64,
}

/// A client of one cluster, through any of the nodes it was given.
pub struct Client {
    http: Http,
    nodes: Vec<String>,
    /// The node to ask next: a node that failed is passed over.
    next: AtomicUsize,
    auth: Auth,
    pub spent: Spent,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("nodes", &self.nodes)
            .finish()
    }
}

/// Whether a failure may pass if tried again: the cluster is overloaded
/// (429), a node or proxy in front of it is (502, 503, 504).
fn transient(status: StatusCode) -> bool {
    matches!(status.as_u16(), 429 | 502 | 503 | 504)
}

/// The wait before attempt `n` (from 1): doubling from [`FIRST_WAIT`] up to
/// [`MOST_WAIT`], with up to a quarter of it added at random so that
/// several indexers do not retry in step.
pub fn backoff(n: u32) -> Duration {
    let base = FIRST_WAIT
        .saturating_mul(1u32 << n.saturating_sub(1).min(16))
        .min(MOST_WAIT);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    base + base.mul_f64(f64::from(nanos % 1000) / 4000.0)
}

impl Client {
    /// A client of the cluster at `nodes` (base URLs, `http://` or
    /// `https://`), authenticating with `auth`.
    pub fn new(nodes: &[String], auth: &Auth) -> Result<Client> {
        if nodes.is_empty() {
            return Err(Error::Cluster("no node URL given".into()));
        }
        let mut clean = Vec::with_capacity(nodes.len());
        for n in nodes {
            let url = reqwest::Url::parse(n)
                .map_err(|e| Error::Cluster(format!("{n:?} is not a URL: {e}")))?;
            if !matches!(url.scheme(), "http" | "https") {
                return Err(Error::Cluster(format!("{n:?}: only http:// and https://")));
            }
            if !url.username().is_empty() || url.password().is_some() {
                return Err(Error::Cluster(format!(
                    "credentials in the URL are refused (they end up in shell histories \
                     and process lists): set {ENV_USER} and {ENV_PASSWORD}, or {ENV_TOKEN}"
                )));
            }
            clean.push(url.as_str().trim_end_matches('/').to_owned());
        }
        let mut builder = Http::builder()
            .connect_timeout(CONNECT_TIMEOUT)
            .timeout(REQUEST_TIMEOUT);
        if let Some(path) = std::env::var_os(ENV_CA).filter(|p| !p.is_empty()) {
            let pem = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
            let certs = reqwest::Certificate::from_pem_bundle(&pem).map_err(|e| {
                Error::Cluster(format!(
                    "{ENV_CA}={}: not PEM certificates: {e}",
                    std::path::Path::new(&path).display()
                ))
            })?;
            builder = builder.tls_certs_merge(certs);
        }
        let http = builder
            .build()
            .map_err(|e| Error::Cluster(format!("cannot make an HTTP client: {e}")))?;
        Ok(Client {
            http,
            nodes: clean,
            next: AtomicUsize::new(0),
            auth: auth.clone(),
            spent: Spent::default(),
        })
    }

    /// The nodes asked, as given.
    pub fn nodes(&self) -> &[String] {
        &self.nodes
    }

    /// Sends a request to a node, and again (to the next node, after a
    /// wait) while it fails in a way that may pass: the node cannot be
    /// reached, or the cluster answers 429, 502, 503 or 504. Other answers
    /// are returned as they are; `deadline` bounds the whole.
    pub fn send(
        &self,
        method: Method,
        path: &str,
        body: Body,
        deadline: Option<Instant>,
    ) -> Result<Reply> {
        let started = Instant::now();
        let budget_end = deadline.unwrap_or(started + RETRY_BUDGET);
        let mut attempt = 0u32;
        loop {
            attempt += 1;
            let node = self.next.load(Ordering::Relaxed) % self.nodes.len();
            let url = format!("{}{path}", self.nodes[node]);
            let mut req = self.http.request(method.clone(), &url);
            req = self.auth.apply(req);
            req = match body {
                Body::Empty => req,
                Body::Json(v) => req
                    .header(CONTENT_TYPE, "application/json")
                    .body(serde_json::to_vec(v).unwrap_or_default()),
                Body::NdJson(bytes) => req
                    .header(CONTENT_TYPE, "application/x-ndjson")
                    .body(bytes.to_vec()),
            };
            if let Some(d) = deadline {
                let left = d.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    return Err(Error::Timeout);
                }
                req = req.timeout(left);
            }
            let sent = Instant::now();
            self.spent.requests.fetch_add(1, Ordering::Relaxed);
            let outcome = req.send().and_then(|r| {
                let status = r.status();
                r.bytes().map(|b| (status, b))
            });
            self.spent
                .waiting_nanos
                .fetch_add(sent.elapsed().as_nanos() as u64, Ordering::Relaxed);
            let failure = match outcome {
                Ok((status, bytes)) if !transient(status) => {
                    let json = if bytes.is_empty() {
                        Value::Null
                    } else {
                        serde_json::from_slice(&bytes).unwrap_or_else(|_| {
                            Value::String(String::from_utf8_lossy(&bytes).into_owned())
                        })
                    };
                    return Ok(Reply { status, json });
                }
                Ok((status, bytes)) => {
                    format!(
                        "{url}: HTTP {}: {}",
                        status.as_u16(),
                        String::from_utf8_lossy(&bytes[..bytes.len().min(300)])
                    )
                }
                Err(e) if e.is_timeout() && deadline.is_some() => return Err(Error::Timeout),
                Err(e) => {
                    // This node did not answer: the next one is asked.
                    let _ = self.next.compare_exchange(
                        node,
                        node + 1,
                        Ordering::Relaxed,
                        Ordering::Relaxed,
                    );
                    format!("{url}: {}", error_chain(&e))
                }
            };
            let wait = backoff(attempt);
            if Instant::now() + wait > budget_end {
                return Err(Error::Cluster(format!(
                    "{failure} (gave up after {attempt} attempts in {:.0} s)",
                    started.elapsed().as_secs_f64()
                )));
            }
            self.spent.retries.fetch_add(1, Ordering::Relaxed);
            self.spent
                .backoff_nanos
                .fetch_add(wait.as_nanos() as u64, Ordering::Relaxed);
            std::thread::sleep(wait);
        }
    }

    /// A JSON request whose success is required; its reply's body.
    pub fn json(&self, method: Method, path: &str, body: Option<&Value>) -> Result<Value> {
        let what = format!("{method} {path}");
        let body = body.map_or(Body::Empty, Body::Json);
        self.send(method, path, body, None)?.into_ok(&what)
    }
}

/// An error with its causes ("error sending request: connection refused").
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let s_text = s.to_string();
        if !text.contains(&s_text) {
            text.push_str(": ");
            text.push_str(&s_text);
        }
        source = s.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_in_a_url_are_refused() {
        let e = Client::new(&["http://admin:secret@localhost:9200".into()], &Auth::None)
            .unwrap_err()
            .to_string();
        assert!(e.contains("NEWSIDX_OPENSEARCH_USER"), "{e}");
        assert!(!e.contains("secret"), "{e}");
        assert!(Client::new(&["ftp://x".into()], &Auth::None).is_err());
        assert!(Client::new(&[], &Auth::None).is_err());
    }

    #[test]
    fn secrets_are_not_printed() {
        let basic = Auth::Basic {
            user: "ann".into(),
            password: "hunter2".into(),
        };
        assert!(!format!("{basic:?}").contains("hunter2"));
        assert!(!format!("{:?}", Auth::Bearer("s3cr3t".into())).contains("s3cr3t"));
    }

    #[test]
    fn backoff_doubles_up_to_a_limit() {
        let first = backoff(1);
        assert!(first >= FIRST_WAIT && first <= FIRST_WAIT.mul_f64(1.25));
        assert!(backoff(3) >= FIRST_WAIT * 4);
        assert!(backoff(40) <= MOST_WAIT.mul_f64(1.25));
    }

    #[test]
    fn an_unreachable_node_is_passed_over_and_given_up_on_by_the_deadline() {
        // Port 9 (discard) on loopback: nothing listens there.
        let c = Client::new(
            &["http://127.0.0.1:9".into(), "http://127.0.0.1:9/".into()],
            &Auth::None,
        )
        .unwrap();
        let deadline = Instant::now() + Duration::from_millis(700);
        let e = c
            .send(Method::GET, "/", Body::Empty, Some(deadline))
            .unwrap_err();
        assert!(matches!(e, Error::Cluster(_) | Error::Timeout), "{e}");
        assert!(c.spent.requests.load(Ordering::Relaxed) >= 2);
    }
}
