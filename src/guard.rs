//! Per-file isolation: a panic or an overrun of the time budget while one
//! file is parsed becomes that file's error, and the run goes on.
//!
//! [`isolate`] runs one file's parsing and extraction; the extraction
//! loops call [`checkpoint`], which gives up once the file has used its
//! time. Debug builds also read `NEWSIDX_FAULT` (`panic:NAME`,
//! `stall:NAME`) so that the tests can make one file fail; release builds
//! have no such hook.

use std::any::Any;
use std::cell::{Cell, RefCell};
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;
use std::time::{Duration, Instant};

use crate::article::ReadError;

thread_local! {
    /// Whether this thread is inside [`isolate`]: its panics are reported
    /// as the file's error, not printed by the default hook.
    static GUARDED: Cell<bool> = const { Cell::new(false) };
    /// When the file being parsed on this thread has used its time.
    static DEADLINE: Cell<Option<Instant>> = const { Cell::new(None) };
    /// Where the last guarded panic happened, from the panic hook.
    static LOCATION: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// The payload of the unwind that [`checkpoint`] starts.
struct OverBudget;

/// Runs `parse` for one file (named `name` in fault injection): a panic
/// becomes [`ReadError::ParserFailed`], running past `budget`
/// [`ReadError::TimedOut`].
pub fn isolate<T>(
    name: &str,
    budget: Option<Duration>,
    parse: impl FnOnce() -> Result<T, ReadError>,
) -> Result<T, ReadError> {
    install_hook();
    let guarded = GUARDED.replace(true);
    let deadline = DEADLINE.replace(budget.map(|b| Instant::now() + b));
    let outcome = panic::catch_unwind(AssertUnwindSafe(|| {
        inject_fault(name);
        parse()
    }));
    GUARDED.set(guarded);
    DEADLINE.set(deadline);
    match outcome {
        Ok(result) => result,
        Err(payload) if payload.is::<OverBudget>() => {
            Err(ReadError::TimedOut(budget.unwrap_or_default()))
        }
        Err(payload) => {
            let at = LOCATION
                .take()
                .map(|l| format!(" at {l}"))
                .unwrap_or_default();
            Err(ReadError::ParserFailed(format!(
                "{}{at}",
                message(&*payload)
            )))
        }
    }
}

/// Gives up on the file being parsed once it has used its time: an
/// unwind to [`isolate`], which reports it. Outside `isolate`, nothing.
pub fn checkpoint() {
    if DEADLINE
        .get()
        .is_some_and(|deadline| Instant::now() > deadline)
    {
        // Not a panic: no hook runs, nothing is printed.
        panic::resume_unwind(Box::new(OverBudget));
    }
}

/// Runs `f` off the clock of the file being parsed: the time it takes is
/// added to the file's deadline. For one-off work that is no file's own,
/// such as loading the entity model, which the first files to need it
/// wait for together.
pub fn off_the_clock<T>(f: impl FnOnce() -> T) -> T {
    let started = Instant::now();
    let out = f();
    if let Some(deadline) = DEADLINE.get() {
        DEADLINE.set(Some(deadline + started.elapsed()));
    }
    out
}

/// A panic inside [`isolate`] is reported once, as the file's error;
/// the default hook still prints every other panic.
fn install_hook() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let default = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if GUARDED.get() {
                let at = info
                    .location()
                    .map(|l| format!("{}:{}", short(l.file()), l.line()));
                LOCATION.set(at);
            } else {
                default(info);
            }
        }));
    });
}

/// A dependency's source path from the crate on ("tendril-0.5.1/src/tendril.rs").
fn short(file: &str) -> &str {
    match file.find("/registry/src/") {
        Some(i) => file[i + "/registry/src/".len()..]
            .split_once('/')
            .map_or(file, |(_, rest)| rest),
        None => file,
    }
}

fn message(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "panic".to_owned()
    }
}

/// `NEWSIDX_FAULT=panic:NAME` panics, and `stall:NAME` never ends but at
/// the time budget, on the file whose name contains NAME (debug builds).
#[cfg(debug_assertions)]
fn inject_fault(name: &str) {
    let Ok(fault) = std::env::var("NEWSIDX_FAULT") else {
        return;
    };
    match fault.split_once(':') {
        Some(("panic", part)) if name.contains(part) => panic!("injected fault"),
        Some(("stall", part)) if name.contains(part) => loop {
            std::thread::sleep(Duration::from_millis(10));
            checkpoint();
        },
        _ => {}
    }
}

#[cfg(not(debug_assertions))]
fn inject_fault(_: &str) {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_is_the_files_error() {
        let got: Result<(), _> = isolate("a.txt", None, || panic!("boom {}", 7));
        let Err(ReadError::ParserFailed(why)) = got else {
            panic!("{got:?}")
        };
        assert!(why.starts_with("boom 7 at src/guard.rs:"), "{why}");
        // The thread is usable again, and unguarded.
        assert_eq!(isolate("b.txt", None, || Ok(1)), Ok(1));
        assert!(!GUARDED.get());
    }

    #[test]
    fn a_file_past_its_budget_is_given_up() {
        let got: Result<(), _> = isolate("a.txt", Some(Duration::from_millis(20)), || loop {
            std::thread::sleep(Duration::from_millis(5));
            checkpoint();
        });
        assert_eq!(got, Err(ReadError::TimedOut(Duration::from_millis(20))));
        // Without a deadline, a checkpoint does nothing.
        checkpoint();
    }

    #[test]
    fn time_off_the_clock_is_not_the_files() {
        // The deadline moves by at least the time spent off the clock
        // (measured, not raced against: a busy machine only adds to it).
        let got = isolate("a.txt", Some(Duration::from_secs(3600)), || {
            let before = DEADLINE.get().unwrap();
            let started = Instant::now();
            off_the_clock(|| std::thread::sleep(Duration::from_millis(30)));
            let off = started.elapsed();
            let after = DEADLINE.get().unwrap();
            Ok((
                after - before >= Duration::from_millis(30),
                after - before <= off,
            ))
        });
        assert_eq!(got, Ok((true, true)));
    }

    #[test]
    fn dependency_paths_are_shortened() {
        assert_eq!(
            short("/root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/tendril-0.5.1/src/tendril.rs"),
            "tendril-0.5.1/src/tendril.rs"
        );
        assert_eq!(short("src/guard.rs"), "src/guard.rs");
    }
}
