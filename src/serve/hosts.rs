//! Which host names the server answers to: loopback, the address it is
//! bound to, and the names the user allows (a proxy's). Anything else is
//! refused, which is what stops DNS rebinding: a page on
//! `rebind.attacker.example` that resolves to 127.0.0.1 still sends its
//! own name in `Host`. A browser's cross-site request (`Origin` of another
//! host, `Sec-Fetch-Site: cross-site`) is refused too.

use std::collections::HashSet;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::api::ApiError;
use super::ServeError;

/// Host names (lower case, no port) the server answers to.
#[derive(Debug, Clone)]
pub struct AllowedHosts {
    names: HashSet<String>,
}

impl AllowedHosts {
    /// Loopback names, `bound`'s address (unless it is 0.0.0.0 or ::), and
    /// `extra`.
    pub fn new(bound: SocketAddr, extra: &[String]) -> Result<AllowedHosts, ServeError> {
        let mut names: HashSet<String> = ["localhost", "127.0.0.1", "[::1]"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        if !bound.ip().is_unspecified() {
            names.insert(match bound {
                SocketAddr::V4(a) => a.ip().to_string(),
                SocketAddr::V6(a) => format!("[{}]", a.ip()),
            });
        }
        for name in extra {
            let host = host_of(name).filter(|h| {
                !h.is_empty()
                    && h.chars()
                        .all(|c| c.is_ascii_alphanumeric() || "-.[]:_".contains(c))
            });
            names.insert(host.ok_or_else(|| ServeError::Host(name.clone()))?);
        }
        Ok(AllowedHosts { names })
    }

    /// Whether `host` (a `Host` header: a name or address, maybe a port)
    /// is one of them.
    pub fn allows(&self, host: &str) -> bool {
        host_of(host).is_some_and(|h| self.names.contains(&h))
    }
}

/// The host of a `Host` value, lower case, without port or final dot.
fn host_of(value: &str) -> Option<String> {
    let value = value.trim();
    let host = if value.starts_with('[') {
        // [::1]:7700
        &value[..=value.find(']')?]
    } else {
        value.split(':').next()?
    };
    Some(host.trim_end_matches('.').to_ascii_lowercase())
}

/// The host of an `Origin` (`scheme://host[:port]`); `None` for `null`.
fn origin_host(origin: &str) -> Option<String> {
    let (_, rest) = origin.split_once("://")?;
    host_of(rest.split('/').next()?)
}

/// Refuses requests for other hosts (421) and cross-site requests (403).
pub async fn check(State(hosts): State<Arc<AllowedHosts>>, req: Request, next: Next) -> Response {
    let headers = req.headers();
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .or_else(|| req.uri().authority().map(|a| a.to_string()));
    let host = match host {
        Some(h) if hosts.allows(&h) => h,
        other => {
            return ApiError::new(
                StatusCode::MISDIRECTED_REQUEST,
                format!(
                    "this server does not answer to the host {:?}; start it with \
                     --allow-host NAME to serve a proxy's name",
                    other.unwrap_or_default()
                ),
            )
            .into_response()
        }
    };
    if let Some(origin) = headers.get(header::ORIGIN) {
        let allowed = origin
            .to_str()
            .ok()
            .and_then(origin_host)
            .is_some_and(|o| hosts.allows(&o));
        if !allowed {
            return ApiError::new(
                StatusCode::FORBIDDEN,
                format!(
                    "requests from another site are refused (Origin {origin:?}, Host {host:?})"
                ),
            )
            .into_response();
        }
    }
    if headers
        .get("sec-fetch-site")
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"cross-site"))
    {
        return ApiError::new(
            StatusCode::FORBIDDEN,
            "requests from another site are refused",
        )
        .into_response();
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_the_bound_address_and_allowed_names() {
        let bound: SocketAddr = "192.168.1.20:7700".parse().unwrap();
        let hosts = AllowedHosts::new(bound, &["News.Example.org".into()]).unwrap();
        for ok in [
            "localhost",
            "localhost:7700",
            "LOCALHOST.",
            "127.0.0.1:7700",
            "[::1]:7700",
            "192.168.1.20:7700",
            "news.example.org",
            "news.example.org:443",
        ] {
            assert!(hosts.allows(ok), "{ok}");
        }
        for refused in [
            "rebind.attacker.example:7700",
            "127.0.0.2",
            "",
            "[::1",
            "localhost.attacker.example",
        ] {
            assert!(!hosts.allows(refused), "{refused}");
        }
        assert!(AllowedHosts::new(bound, &["a b".into()]).is_err());
        let any: SocketAddr = "0.0.0.0:7700".parse().unwrap();
        assert!(!AllowedHosts::new(any, &[]).unwrap().allows("0.0.0.0"));
    }

    #[test]
    fn origins_are_read_for_their_host() {
        assert_eq!(
            origin_host("http://localhost:7700").as_deref(),
            Some("localhost")
        );
        assert_eq!(origin_host("https://[::1]:7700").as_deref(), Some("[::1]"));
        assert_eq!(origin_host("null"), None);
    }
}
