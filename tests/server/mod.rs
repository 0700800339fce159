//! A running `newsidx serve` for end-to-end tests: the real binary on a
//! free loopback port, polled until healthy, killed when dropped.

#![allow(dead_code)]

use std::fs::File;
use std::net::TcpListener;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::util::Env;

pub struct Server {
    child: Child,
    /// `http://127.0.0.1:PORT`
    pub base: String,
    pub env: Env,
    agent: ureq::Agent,
}

/// A response: status, content type and body.
pub struct Reply {
    pub status: u16,
    pub content_type: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// A port that was free a moment ago (the CLI takes an address, not `:0`).
pub fn free_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    l.local_addr().unwrap().port()
}

/// `%XX` for everything but unreserved characters.
pub fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

impl Server {
    /// Serves `sample_corpus/`, indexed.
    pub fn sample() -> Server {
        Server::start(Env::indexed())
    }

    /// Serves the index of `env`; panics with the server's log if it does
    /// not become healthy.
    pub fn start(env: Env) -> Server {
        Server::start_with(env, &[], &[])
    }

    /// [`Server::start`] with more arguments to `serve` and environment
    /// variables.
    pub fn start_with(env: Env, args: &[&str], vars: &[(&str, &str)]) -> Server {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(30)))
            .build()
            .into();
        let log_path = env.dir.path().join("serve.log");
        let mut last_err = String::new();
        // The port may be taken between our probe and the server's bind:
        // try a few.
        for _ in 0..5 {
            let port = free_port();
            let log = File::create(&log_path).expect("a log file");
            let addr = format!("127.0.0.1:{port}");
            let mut all = vec!["serve", "--addr", &addr];
            all.extend_from_slice(args);
            let mut child = env
                .command(&all)
                .envs(vars.iter().copied())
                .stdout(Stdio::null())
                .stderr(log)
                .spawn()
                .expect("newsidx serve starts");
            let base = format!("http://127.0.0.1:{port}");
            let deadline = Instant::now() + Duration::from_secs(30);
            loop {
                if let Ok(Some(status)) = child.try_wait() {
                    last_err = format!(
                        "newsidx serve exited ({status}): {}",
                        std::fs::read_to_string(&log_path).unwrap_or_default()
                    );
                    break;
                }
                if let Ok(r) = agent.get(format!("{base}/api/health")).call() {
                    if r.status() == 200 {
                        return Server {
                            child,
                            base,
                            env,
                            agent,
                        };
                    }
                }
                if Instant::now() > deadline {
                    let _ = child.kill();
                    let _ = child.wait();
                    panic!(
                        "newsidx serve not healthy in 30 s: {}",
                        std::fs::read_to_string(&log_path).unwrap_or_default()
                    );
                }
                std::thread::sleep(Duration::from_millis(50));
            }
        }
        panic!("{last_err}");
    }

    /// `host:port` of the server.
    pub fn addr(&self) -> &str {
        self.base.trim_start_matches("http://")
    }

    /// Sends SIGTERM; how long the server took to exit (at most `within`,
    /// then it is killed and the test fails).
    pub fn terminate(&mut self, within: Duration) -> Duration {
        let started = Instant::now();
        let status = std::process::Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(status.success());
        while started.elapsed() < within {
            if let Ok(Some(_)) = self.child.try_wait() {
                return started.elapsed();
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        panic!("newsidx serve still running {within:?} after SIGTERM");
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn get(&self, path: &str) -> Reply {
        let r = self
            .agent
            .get(self.url(path))
            .call()
            .unwrap_or_else(|e| panic!("GET {path}: {e}"));
        reply(r)
    }

    /// POST on a connection of its own: the server may close it without
    /// reading the body, and a pooled connection would then break the next
    /// request.
    pub fn post(&self, path: &str, body: &str) -> Reply {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_idle_connections(0)
            .build()
            .into();
        let r = agent
            .post(self.url(path))
            .send(body)
            .unwrap_or_else(|e| panic!("POST {path}: {e}"));
        reply(r)
    }

    /// GET that must answer 200 with JSON.
    pub fn json(&self, path: &str) -> Value {
        let r = self.get(path);
        assert_eq!(r.status, 200, "GET {path}: {}", r.body);
        assert!(
            r.content_type.starts_with("application/json"),
            "GET {path}: content type {}",
            r.content_type
        );
        r.json()
    }
}

fn reply(mut r: ureq::http::Response<ureq::Body>) -> Reply {
    let headers = r
        .headers()
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or_default().to_owned()))
        .collect::<Vec<_>>();
    let content_type = r
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    Reply {
        status: r.status().as_u16(),
        content_type,
        headers,
        body: r.body_mut().read_to_string().unwrap_or_default(),
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
