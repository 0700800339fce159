//! Where an archive lives: the embedded tantivy index (the default) or an
//! OpenSearch cluster ([`opensearch`]), chosen with `--backend` or
//! `NEWSIDX_BACKEND`; and [`Engine`], which asks either the same way.

pub mod opensearch;

use std::path::Path;

use crate::search::{
    FacetKind, Health, NameCount, QuoteResults, SearchRequest, SearchResults, Searcher,
};
use crate::{Article, Result};

/// Which backend commands use.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Backend {
    /// The tantivy index in a local directory (`-i PATH`).
    #[default]
    Embedded,
    /// An OpenSearch cluster, through any of these nodes.
    OpenSearch { nodes: Vec<String> },
}

impl std::str::FromStr for Backend {
    type Err = String;

    /// `tantivy` (or `embedded`), or `opensearch=URL[,URL…]`.
    fn from_str(s: &str) -> std::result::Result<Backend, String> {
        match s.split_once('=') {
            None if matches!(s, "tantivy" | "embedded" | "") => Ok(Backend::Embedded),
            Some(("opensearch", urls)) => {
                let nodes: Vec<String> = urls
                    .split(',')
                    .map(str::trim)
                    .filter(|u| !u.is_empty())
                    .map(str::to_owned)
                    .collect();
                if nodes.is_empty() {
                    return Err("opensearch= needs a node's URL (http://host:9200)".into());
                }
                for n in &nodes {
                    if !(n.starts_with("http://") || n.starts_with("https://")) {
                        return Err(format!("{n:?} is not an http:// or https:// URL"));
                    }
                }
                Ok(Backend::OpenSearch { nodes })
            }
            _ => Err(format!(
                "{s:?}: the backend is tantivy or opensearch=URL[,URL…]"
            )),
        }
    }
}

/// An archive open for queries, on either backend.
pub enum Engine {
    Embedded(Searcher),
    OpenSearch(opensearch::ClusterSearcher),
}

impl Engine {
    /// Opens the archive for a command that asks once.
    pub fn open_once(backend: &Backend, index_dir: &Path) -> Result<Engine> {
        match backend {
            Backend::Embedded => Ok(Engine::Embedded(Searcher::open_once(index_dir)?)),
            Backend::OpenSearch { nodes } => Self::cluster(nodes),
        }
    }

    /// Opens the archive for a server, which sees new commits.
    pub fn open(backend: &Backend, index_dir: &Path) -> Result<Engine> {
        match backend {
            Backend::Embedded => Ok(Engine::Embedded(Searcher::open(index_dir)?)),
            Backend::OpenSearch { nodes } => Self::cluster(nodes),
        }
    }

    fn cluster(nodes: &[String]) -> Result<Engine> {
        let cluster = opensearch::Cluster::connect(nodes)?;
        Ok(Engine::OpenSearch(opensearch::ClusterSearcher::open(
            cluster,
        )?))
    }

    /// What the archive is, for messages: a directory, or a cluster's index.
    pub fn describe(&self, index_dir: &Path) -> String {
        match self {
            Engine::Embedded(_) => index_dir.display().to_string(),
            Engine::OpenSearch(s) => format!(
                "OpenSearch index {:?} at {}",
                s.cluster().index,
                s.cluster().client.nodes().join(", ")
            ),
        }
    }

    pub fn search(&self, req: &SearchRequest) -> Result<SearchResults> {
        match self {
            Engine::Embedded(s) => s.search(req),
            Engine::OpenSearch(s) => s.search(req),
        }
    }

    pub fn search_with_facets(
        &self,
        req: &SearchRequest,
        kinds: &[FacetKind],
        names: usize,
    ) -> Result<(SearchResults, Vec<Vec<NameCount>>)> {
        match self {
            Engine::Embedded(s) => s.search_with_facets(req, kinds, names),
            Engine::OpenSearch(s) => s.search_with_facets(req, kinds, names),
        }
    }

    /// Quotes per period; the embedded index only, for now.
    pub fn timeline(
        &self,
        req: &SearchRequest,
        by: crate::search::timeline::Period,
    ) -> Result<crate::search::timeline::Timeline> {
        match self {
            Engine::Embedded(s) => s.timeline(req, by),
            Engine::OpenSearch(_) => Err(crate::Error::Query(
                "timelines (--by) are not available on the OpenSearch backend yet".into(),
            )),
        }
    }

    pub fn quotes(&self, req: &SearchRequest) -> Result<QuoteResults> {
        match self {
            Engine::Embedded(s) => s.quotes(req),
            Engine::OpenSearch(s) => s.quotes(req),
        }
    }

    pub fn facets(&self, req: &SearchRequest, kind: FacetKind) -> Result<Vec<NameCount>> {
        match self {
            Engine::Embedded(s) => s.facets(req, kind),
            Engine::OpenSearch(s) => s.facets(req, kind),
        }
    }

    pub fn highlights(&self, query: &str, text: &str) -> Result<Vec<(usize, usize)>> {
        match self {
            Engine::Embedded(s) => s.highlights(query, text),
            Engine::OpenSearch(s) => s.highlights(query, text),
        }
    }

    pub fn article(&self, id: &str, root: Option<&str>) -> Result<Option<Article>> {
        match self {
            Engine::Embedded(s) => s.article(id, root),
            Engine::OpenSearch(s) => s.article(id, root),
        }
    }

    pub fn health(&self) -> Result<Health> {
        match self {
            Engine::Embedded(s) => s.health(),
            Engine::OpenSearch(s) => s.health(),
        }
    }
}

impl From<opensearch::ClusterSearcher> for Engine {
    fn from(s: opensearch::ClusterSearcher) -> Engine {
        Engine::OpenSearch(s)
    }
}

/// A backend's name for messages.
pub fn name(backend: &Backend) -> &'static str {
    match backend {
        Backend::Embedded => "tantivy",
        Backend::OpenSearch { .. } => "opensearch",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backends_are_named_as_documented() {
        assert_eq!("tantivy".parse::<Backend>(), Ok(Backend::Embedded));
        assert_eq!(
            "opensearch=http://a:9200,https://b:9200".parse::<Backend>(),
            Ok(Backend::OpenSearch {
                nodes: vec!["http://a:9200".into(), "https://b:9200".into()]
            })
        );
        assert!("opensearch=".parse::<Backend>().is_err());
        assert!("opensearch=a:9200".parse::<Backend>().is_err());
        assert!("solr=http://x".parse::<Backend>().is_err());
    }
}
