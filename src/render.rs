//! Rendering. (in progress)
//!
//! (in progress)
