//! Search. (in progress)
//!
//! (in progress)
