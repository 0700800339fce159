//! The JSON API: search with facets, quotes, one article, health. Every
//! error is JSON (`{"error": "...", "status": N}`) with its HTTP status.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;

use super::App;
use crate::search::{
    FacetKind, NameCount, QuoteResults, SearchRequest, SearchResults, Sort, MAX_QUERY_BYTES,
};
use crate::{Article, Error};

/// `limit` above this is lowered to it.
pub const MAX_LIMIT: usize = 100;
/// Deeper pages are refused: each costs `offset + limit` ranked documents.
pub const MAX_OFFSET: usize = 10_000;
/// Query-string parameters per request.
const MAX_PARAMS: usize = 32;
/// Names in each facet list.
const FACET_LIMIT: usize = 10;

type AppState = State<Arc<App>>;
type Params = Result<Query<Vec<(String, String)>>, QueryRejection>;

/// An error as the API returns it.
#[derive(Debug, Serialize)]
pub struct ApiError {
    #[serde(skip)]
    status: StatusCode,
    error: String,
}

impl ApiError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            error: message.into(),
        }
    }

    fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, message)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({"error": self.error, "status": self.status.as_u16()});
        (self.status, Json(body)).into_response()
    }
}

impl From<Error> for ApiError {
    fn from(e: Error) -> ApiError {
        let status = match e {
            Error::Query(_) | Error::DateRange(_) => StatusCode::BAD_REQUEST,
            Error::AmbiguousId { .. } => StatusCode::CONFLICT,
            Error::Timeout => StatusCode::SERVICE_UNAVAILABLE,
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        };
        ApiError::new(status, crate::error::chain(&e))
    }
}

/// `GET /api/search`: the page of hits plus the top speakers and entities
/// among all the matching articles.
#[derive(Debug, Serialize)]
pub struct SearchResponse {
    #[serde(flatten)]
    pub results: SearchResults,
    pub offset: usize,
    pub limit: usize,
    pub facets: Facets,
}

/// Names among the matching articles, most frequent first.
#[derive(Debug, Serialize)]
pub struct Facets {
    pub speakers: Vec<NameCount>,
    pub entities: Vec<NameCount>,
}

/// `GET /api/quotes`.
#[derive(Debug, Serialize)]
pub struct QuotesResponse {
    #[serde(flatten)]
    pub results: QuoteResults,
    pub offset: usize,
    pub limit: usize,
}

/// `GET /api/articles/{id}`: the article, and with `q` the byte ranges
/// of the query's words in its body.
#[derive(Debug, Serialize)]
pub struct ArticleResponse {
    #[serde(flatten)]
    pub article: Article,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub highlights: Vec<(usize, usize)>,
}

/// `GET /api/health`: the index's state as the server reads it now; 503
/// when the index cannot be read (its directory gone, its commit unreadable).
pub async fn health(State(app): AppState) -> Response {
    let budget = app.search_budget;
    let state = blocking(budget, move || Ok(app.searcher.health()?)).await;
    match state {
        Ok(h) => Json(serde_json::json!({
            "status": "ok",
            "version": env!("CARGO_PKG_VERSION"),
            "index": h,
        }))
        .into_response(),
        Err(e) => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(serde_json::json!({
                "status": "unavailable",
                "error": e.error,
                "version": env!("CARGO_PKG_VERSION"),
            })),
        )
            .into_response(),
    }
}

pub async fn search(State(app): AppState, params: Params) -> Result<Response, ApiError> {
    let mut req = request(params)?;
    let budget = app.search_budget;
    req.deadline = Some(Instant::now() + budget);
    let response = blocking(budget, move || {
        let kinds = [FacetKind::Speaker, FacetKind::Entity(None)];
        let (results, mut names) = app.searcher.search_with_facets(&req, &kinds, FACET_LIMIT)?;
        let entities = names.pop().unwrap_or_default();
        let speakers = names.pop().unwrap_or_default();
        Ok(SearchResponse {
            results,
            offset: req.offset,
            limit: req.limit,
            facets: Facets { speakers, entities },
        })
    })
    .await?;
    Ok(Json(response).into_response())
}

pub async fn quotes(State(app): AppState, params: Params) -> Result<Response, ApiError> {
    let Query(mut pairs) = params.map_err(|e| ApiError::bad_request(e.body_text()))?;
    let by = match pairs.iter().position(|(k, _)| k == "by") {
        Some(i) => Some(period(&pairs.remove(i).1)?),
        None => None,
    };
    let mut req = request(Ok(Query(pairs)))?;
    let budget = app.search_budget;
    req.deadline = Some(Instant::now() + budget);
    if let Some(by) = by {
        let timeline = blocking(budget, move || Ok(app.searcher.timeline(&req, by)?)).await?;
        return Ok(Json(timeline).into_response());
    }
    let response = blocking(budget, move || {
        Ok(QuotesResponse {
            results: app.searcher.quotes(&req)?,
            offset: req.offset,
            limit: req.limit,
        })
    })
    .await?;
    Ok(Json(response).into_response())
}

/// `GET /api/articles/{id}[?root=DIR]`: one article; `root` (a hit's
/// `root`) picks among articles of the same id indexed from several
/// directories.
pub async fn article(
    State(app): AppState,
    id: Result<Path<String>, PathRejection>,
    params: Params,
) -> Result<Json<ArticleResponse>, ApiError> {
    let Path(id) = id.map_err(|e| ApiError::bad_request(e.body_text()))?;
    let id = id.trim_start_matches('/').to_owned();
    if id.len() > MAX_QUERY_BYTES {
        return Err(ApiError::bad_request("the article id is too long"));
    }
    let Query(pairs) = params.map_err(|e| ApiError::bad_request(e.body_text()))?;
    let mut root = None;
    let mut query = String::new();
    for (key, value) in pairs {
        match key.as_str() {
            "q" if value.len() <= MAX_QUERY_BYTES => query = value,
            "q" => return Err(ApiError::bad_request("q is too long")),
            "root" if value.is_empty() => {}
            "root" if value.len() <= MAX_QUERY_BYTES => root = Some(value),
            "root" => return Err(ApiError::bad_request("the root is too long")),
            _ => return Err(ApiError::bad_request(format!("unknown parameter {key:?}"))),
        }
    }
    let wanted = id.clone();
    let budget = app.search_budget;
    match blocking(budget, move || {
        let Some(article) = app.searcher.article(&wanted, root.as_deref())? else {
            return Ok(None);
        };
        let highlights = app.searcher.highlights(&query, &article.body)?;
        Ok(Some(ArticleResponse {
            article,
            highlights,
        }))
    })
    .await?
    {
        Some(a) => Ok(Json(a)),
        None => Err(ApiError::new(
            StatusCode::NOT_FOUND,
            format!("no article with id {id:?}"),
        )),
    }
}

pub async fn not_found() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "no such page or endpoint")
}

pub async fn method_not_allowed() -> ApiError {
    ApiError::new(StatusCode::METHOD_NOT_ALLOWED, "only GET is supported here")
}

/// Runs index work on the blocking pool. The work stops itself at its
/// budget (see `search::deadline`); the timeout here is only a backstop
/// for work that cannot, and answers 503 all the same.
async fn blocking<T, F>(budget: Duration, work: F) -> Result<T, ApiError>
where
    F: FnOnce() -> Result<T, ApiError> + Send + 'static,
    T: Send + 'static,
{
    let backstop = budget + Duration::from_secs(1);
    match tokio::time::timeout(backstop, tokio::task::spawn_blocking(work)).await {
        Ok(Ok(result)) => result,
        Ok(Err(e)) => Err(ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("the search failed: {e}"),
        )),
        Err(_) => Err(ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "the search took too long",
        )),
    }
}

/// The query string as a request.
fn request(params: Params) -> Result<SearchRequest, ApiError> {
    let Query(pairs) = params.map_err(|e| ApiError::bad_request(e.body_text()))?;
    if pairs.len() > MAX_PARAMS {
        return Err(ApiError::bad_request(format!(
            "{} parameters; the limit is {MAX_PARAMS}",
            pairs.len()
        )));
    }
    let mut req = SearchRequest::default();
    for (key, value) in pairs {
        if value.len() > MAX_QUERY_BYTES {
            return Err(ApiError::bad_request(format!(
                "{key} is {} bytes long; the limit is {MAX_QUERY_BYTES}",
                value.len()
            )));
        }
        let value = value.trim().to_owned();
        match key.as_str() {
            "q" => req.query = value,
            "speaker" | "entity" if value.is_empty() => {}
            "speaker" => req.speakers.push(value),
            "entity" => req.entities.push(value),
            "collapse" => {
                req.collapse = match value.as_str() {
                    "" | "true" | "1" => true,
                    "false" | "0" => false,
                    _ => {
                        return Err(ApiError::bad_request(format!(
                            "collapse is {value:?}: expected true or false"
                        )))
                    }
                }
            }
            "exact" => {
                req.exact = match value.as_str() {
                    "" | "true" | "1" => true,
                    "false" | "0" => false,
                    _ => {
                        return Err(ApiError::bad_request(format!(
                            "exact is {value:?}: expected true or false"
                        )))
                    }
                }
            }
            "since" => req.since = day(&key, &value)?,
            "until" => req.until = day(&key, &value)?,
            "lang" if value.is_empty() => req.lang = None,
            "lang" => {
                req.lang = Some(crate::article::language_code(&value).ok_or_else(|| {
                    ApiError::bad_request(format!(
                        "lang is {value:?}: expected a language code (de, en, fr)"
                    ))
                })?)
            }
            "sort" => {
                req.sort = match value.as_str() {
                    "" | "relevance" => Sort::Relevance,
                    "date" => Sort::Date,
                    _ => {
                        return Err(ApiError::bad_request(format!(
                            "sort is {value:?}: expected relevance or date"
                        )))
                    }
                }
            }
            "limit" => req.limit = number(&key, &value)?.min(MAX_LIMIT),
            "offset" => {
                req.offset = number(&key, &value)?;
                if req.offset > MAX_OFFSET {
                    return Err(ApiError::bad_request(format!(
                        "offset is {}; the limit is {MAX_OFFSET}",
                        req.offset
                    )));
                }
            }
            _ => return Err(ApiError::bad_request(format!("unknown parameter {key:?}"))),
        }
    }
    Ok(req)
}

/// `by=year|month|week|day` of a quotes timeline.
fn period(value: &str) -> Result<crate::search::timeline::Period, ApiError> {
    use crate::search::timeline::Period;
    match value.trim() {
        "year" => Ok(Period::Year),
        "month" | "" => Ok(Period::Month),
        "week" => Ok(Period::Week),
        "day" => Ok(Period::Day),
        other => Err(ApiError::bad_request(format!(
            "by is {other:?}: expected year, month, week or day"
        ))),
    }
}

fn day(key: &str, value: &str) -> Result<Option<time::Date>, ApiError> {
    if value.is_empty() {
        return Ok(None);
    }
    crate::article::parse_date(value)
        .map(Some)
        .map_err(|_| ApiError::bad_request(format!("{key} is {value:?}: expected YYYY-MM-DD")))
}

fn number(key: &str, value: &str) -> Result<usize, ApiError> {
    value
        .parse()
        .map_err(|_| ApiError::bad_request(format!("{key} is {value:?}: expected a number")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(pairs: &[(&str, &str)]) -> Result<SearchRequest, ApiError> {
        let pairs = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        request(Ok(Query(pairs)))
    }

    #[test]
    fn repeated_names_are_all_kept_and_limit_is_capped() {
        let req = parse(&[
            ("q", "summit"),
            ("speaker", "Putin"),
            ("speaker", "Xi"),
            ("entity", "Moscow"),
            ("lang", "de-AT"),
            ("limit", "5000"),
        ])
        .unwrap();
        assert_eq!(req.speakers, ["Putin", "Xi"]);
        assert_eq!(req.entities, ["Moscow"]);
        assert_eq!(req.lang.as_deref(), Some("de"));
        assert_eq!(req.limit, MAX_LIMIT);
        assert!(req.collapse);
        assert!(!parse(&[("collapse", "false")]).unwrap().collapse);
    }

    #[test]
    fn bad_values_are_bad_requests() {
        for pairs in [
            vec![("since", "yesterday")],
            vec![("limit", "-1")],
            vec![("sort", "random")],
            vec![("offset", "99999999")],
            vec![("colour", "red")],
            vec![("lang", "german")],
            vec![("collapse", "maybe")],
        ] {
            let e = parse(&pairs).unwrap_err();
            assert_eq!(e.status, StatusCode::BAD_REQUEST, "{pairs:?}");
        }
    }
}
