//! Bounds the memory of the files being parsed at once: each reserves an
//! estimate of what parsing it takes, and waits while the reservations
//! would pass the budget.
//!
//! A news article takes a few megabytes to parse and never waits; a 15 MB
//! dump takes over a hundred, and two of them at once, beside tantivy's
//! buffers, would pass any budget the user set.

use std::sync::{Condvar, Mutex};

use crate::article::Format;

/// Bytes of memory that parsing and extracting one byte of a file takes
/// at most, as measured (`/usr/bin/time -f %M newsidx parse --json` on
/// dumps of 4 to 16 MB): plain text, Markdown and JSON about 9, HTML made
/// of small tags up to 27 (two DOM trees and Readability's copies).
fn cost_per_byte(format: Format) -> u64 {
    match format {
        Format::Html => 28,
        _ => 10,
    }
}

/// The memory reserved for the files being parsed.
pub struct Gate {
    capacity: u64,
    used: Mutex<u64>,
    freed: Condvar,
}

/// A reservation, given back when dropped.
pub struct Reserved<'g> {
    gate: &'g Gate,
    bytes: u64,
}

impl Gate {
    pub fn new(capacity: u64) -> Gate {
        Gate {
            capacity: capacity.max(1),
            used: Mutex::new(0),
            freed: Condvar::new(),
        }
    }

    /// Reserves what parsing a file of `len` bytes takes, waiting while
    /// that would pass the capacity. A file that needs more than all of it
    /// waits until nothing else is parsed, then runs alone.
    pub fn reserve(&self, len: u64, format: Format) -> Reserved<'_> {
        let bytes = len.saturating_mul(cost_per_byte(format)).min(self.capacity);
        let mut used = self.used.lock().unwrap_or_else(|p| p.into_inner());
        while *used > 0 && *used + bytes > self.capacity {
            used = self.freed.wait(used).unwrap_or_else(|p| p.into_inner());
        }
        *used += bytes;
        Reserved { gate: self, bytes }
    }
}

impl Drop for Reserved<'_> {
    fn drop(&mut self) {
        let mut used = self.gate.used.lock().unwrap_or_else(|p| p.into_inner());
        *used -= self.bytes;
        self.gate.freed.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::time::Duration;

    #[test]
    fn reservations_past_the_capacity_wait_and_a_huge_one_runs_alone() {
        let gate = Gate::new(100);
        let peak = AtomicU64::new(0);
        let now = AtomicU64::new(0);
        std::thread::scope(|s| {
            for len in [4, 4, 4, 50, 3] {
                let (gate, peak, now) = (&gate, &peak, &now);
                s.spawn(move || {
                    let r = gate.reserve(len, Format::Text);
                    let at = now.fetch_add(r.bytes, Ordering::SeqCst) + r.bytes;
                    peak.fetch_max(at, Ordering::SeqCst);
                    std::thread::sleep(Duration::from_millis(20));
                    now.fetch_sub(r.bytes, Ordering::SeqCst);
                });
            }
        });
        assert!(peak.load(Ordering::SeqCst) <= 100, "{peak:?}");
        assert_eq!(*gate.used.lock().unwrap(), 0);
    }
}
