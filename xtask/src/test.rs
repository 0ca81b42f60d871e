//! `cargo xtask test`: the CI gate. Runs, in order and stopping at the first failure:
//!
//! 1. `cargo fmt --all --check`
//! 2. `cargo clippy --workspace --all-targets -- -D warnings`
//! 3. `cargo build --no-default-features` of the crates that must build on `no_std` + `alloc`
//! 4. `cargo test --workspace`
//! 5. spec-run, in-process: v1, v2, simd, v3, memory64 and exceptions on the x86_64 JIT (where
//!    it is built)
//! 6. the same suites on the interpreter as a release build runs it (`cargo run --release`):
//!    its handlers, which tail-call each other, and its fused pairs of instructions exist only
//!    with optimisations on (debug builds dispatch with one `match`)
//! 7. spec-run, in-process, on the interpreter as built here (whose summary closes the output)
//!
//! Progress and errors go to stderr, so stdout ends with the spec summary.

use std::process::ExitCode;
use std::time::Instant;

use strata_spec_tests::{EngineKind, Options, Suite};

use crate::{cargo, spec_run};

/// What a step runs.
enum Action {
    /// `cargo` with these arguments.
    Cargo(&'static [&'static str]),
    /// The spec harness on these suites with this engine.
    SpecRun(EngineKind, &'static [&'static str]),
}

/// The spec suites the gate runs on each engine: WebAssembly 1.0, 2.0 and 3.0, and the
/// proposal folders for features on by default whose tests 3.0's folder does not have.
const GATE_SUITES: &[&str] = &["v1", "v2", "simd", "v3", "memory64", "exceptions"];

/// The gate's steps, in order: a name and what it runs.
const STEPS: &[(&str, Action)] = &[
    ("fmt", Action::Cargo(&["fmt", "--all", "--check"])),
    (
        "clippy",
        Action::Cargo(&[
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]),
    ),
    (
        "no-std",
        Action::Cargo(&[
            "build",
            "--no-default-features",
            "-p",
            "strata-decoder",
            "-p",
            "strata-validator",
            "-p",
            "strata-ir",
            "-p",
            "strata-vm",
            "-p",
            "strata-interp",
            "-p",
            "strata-runtime",
        ]),
    ),
    ("test", Action::Cargo(&["test", "--workspace"])),
    (
        "spec-run-x64",
        Action::SpecRun(EngineKind::X64, GATE_SUITES),
    ),
    (
        "spec-run-interp-release",
        Action::Cargo(&[
            "run",
            "--release",
            "--quiet",
            "-p",
            "strata-xtask",
            "--",
            "spec-run",
            "--engine",
            "interp",
            "--suite",
            "v1",
            "--suite",
            "v2",
            "--suite",
            "simd",
            "--suite",
            "v3",
            "--suite",
            "memory64",
            "--suite",
            "exceptions",
        ]),
    ),
    ("spec-run", Action::SpecRun(EngineKind::Interp, GATE_SUITES)),
];

/// Runs every step; takes no arguments.
pub fn run(args: &[String]) -> Result<ExitCode, String> {
    if let Some(arg) = args.first() {
        return Err(format!("`test` takes no arguments (got `{arg}`)"));
    }
    cargo::ensure_fmt_and_clippy()?;
    let start = Instant::now();
    for (i, (name, action)) in STEPS.iter().enumerate() {
        let step_start = Instant::now();
        let command = match action {
            Action::Cargo(args) => format!("cargo {}", args.join(" ")),
            Action::SpecRun(engine, suites) => format!(
                "cargo xtask spec-run --engine {engine} --suite {}",
                suites.join(" --suite ")
            ),
        };
        eprintln!("==> [{}/{}] {name}: {command}", i + 1, STEPS.len());
        if let Action::SpecRun(engine, _) = action {
            if !engine.is_available() {
                eprintln!("==> engine `{engine}` is not built on this host: step skipped");
                continue;
            }
        }
        let result = match action {
            Action::Cargo(args) => cargo::run(args),
            Action::SpecRun(engine, suites) => {
                match spec_options(*engine, suites).and_then(|o| spec_run::run_options(&o)) {
                    Ok(code) if code == ExitCode::SUCCESS => Ok(()),
                    Ok(_) => Err("spec directives failed (see the FAIL lines above)".into()),
                    Err(e) => Err(e),
                }
            }
        };
        if let Err(e) = result {
            eprintln!(
                "==> xtask test: step `{name}` FAILED after {:.1}s: {e}",
                step_start.elapsed().as_secs_f64()
            );
            return Ok(ExitCode::FAILURE);
        }
    }
    eprintln!(
        "==> xtask test: all {} steps passed in {:.1}s",
        STEPS.len(),
        start.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}

/// The spec-run selection for a gate step.
fn spec_options(engine: EngineKind, suites: &[&str]) -> Result<Options, String> {
    Ok(Options {
        suites: suites
            .iter()
            .map(|s| Suite::by_name(s))
            .collect::<Result<_, _>>()?,
        engine,
        file: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The release spec-run step runs the same suites as the in-process ones.
    #[test]
    fn release_spec_step_runs_the_gate_suites() {
        let args = STEPS
            .iter()
            .find_map(|(name, action)| match action {
                Action::Cargo(args) if *name == "spec-run-interp-release" => Some(*args),
                _ => None,
            })
            .expect("the release spec-run step");
        let suites: Vec<&str> = args
            .windows(2)
            .filter(|w| w[0] == "--suite")
            .map(|w| w[1])
            .collect();
        assert_eq!(suites, GATE_SUITES);
    }
}
