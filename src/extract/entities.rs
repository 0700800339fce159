//! Named entities: people, organisations, places and other names.
//!
//! Placeholder: no entities yet.

use crate::Entity;

/// The named entities of a body, one per canonical name, with their spans.
pub fn extract(_body: &str) -> Vec<Entity> {
    Vec::new()
}
