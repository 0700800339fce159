//! The OpenSearch backend: the same documents, queries and answers as the
//! embedded index, on a cluster that does the sharding, replication and
//! serving.
//!
//! [`ingest`] sends documents ([`document`], [`mapping`]) with `_bulk`
//! ([`bulk`]); [`search`] answers `search`, `quotes`, `speakers` and
//! `entities` from queries that [`query`] translates; [`export`] writes
//! the documents as `_bulk` NDJSON for other loaders. All HTTP goes
//! through [`client`].

pub mod bulk;
pub mod client;
pub mod document;
pub mod export;
pub mod ingest;
pub mod mapping;
pub mod query;
pub mod search;

pub use client::{Auth, Client};
pub use ingest::{ingest, ClusterIngestOptions, ClusterStats};
pub use search::ClusterSearcher;

use crate::Result;

/// The index name, from the environment (several archives can live in one
/// cluster under different names).
pub const ENV_INDEX: &str = "NEWSIDX_OPENSEARCH_INDEX";
/// The index used when [`ENV_INDEX`] is not set.
pub const DEFAULT_INDEX: &str = "newsidx";

/// A cluster and the index newsidx uses in it.
#[derive(Debug)]
pub struct Cluster {
    pub client: Client,
    pub index: String,
}

impl Cluster {
    /// The cluster at `nodes`, with credentials and the index name from
    /// the environment ([`client::ENV_USER`], [`client::ENV_TOKEN`],
    /// [`client::ENV_CA`], [`ENV_INDEX`]).
    pub fn connect(nodes: &[String]) -> Result<Cluster> {
        let index = index_name();
        mapping::check_name(&index)?;
        Ok(Cluster {
            client: Client::new(nodes, &Auth::from_env()?)?,
            index,
        })
    }
}

/// The index name [`ENV_INDEX`] gives, or [`DEFAULT_INDEX`].
pub fn index_name() -> String {
    std::env::var(ENV_INDEX)
        .ok()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| DEFAULT_INDEX.to_owned())
}
