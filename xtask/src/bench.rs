//! `cargo xtask bench [args]`: strata side by side with wasmi and wasmtime.
//!
//! Builds the benchmark runner, `bench/peers` (a package outside the workspace, so
//! `cargo build` and `cargo xtask test` never compile the peers), in release, then runs it,
//! forwarding the arguments (`--filter NAME`, `--quick`, `--runs N`, ...; `--help` lists them).
//! The runner prints markdown tables and writes `target/bench/results.json`.
//!
//! The runner's target folder is `target/bench-peers`, or `$STRATA_BENCH_TARGET_DIR` when set
//! (wasmtime takes a while to build: keeping it in its own folder means it is built once).

use std::env;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use crate::cargo;

/// Builds and runs the benchmark runner with `args`.
pub fn run(args: &[String]) -> Result<ExitCode, String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .ok_or("xtask has no parent folder")?
        .to_path_buf();
    let manifest = root.join("bench/peers/Cargo.toml");
    let target_dir = env::var_os("STRATA_BENCH_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target/bench-peers"));
    eprintln!("==> building the benchmark runner (bench/peers, release)");
    let status = Command::new(cargo::cargo())
        .arg("build")
        .arg("--release")
        .arg("--manifest-path")
        .arg(&manifest)
        .env("CARGO_TARGET_DIR", &target_dir)
        .status()
        .map_err(|e| format!("cannot start cargo: {e}"))?;
    if !status.success() {
        return Err(format!("building bench/peers failed ({status})"));
    }
    let runner = target_dir.join("release/strata-bench");
    let mut command = Command::new(&runner);
    command.args(args);
    if !args.iter().any(|a| a == "--out") {
        command
            .arg("--out")
            .arg(root.join("target/bench/results.json"));
    }
    if !args.iter().any(|a| a == "--programs") {
        command.arg("--programs").arg(root.join("bench/programs"));
    }
    eprintln!("==> {} {}", runner.display(), args.join(" "));
    let status = command
        .status()
        .map_err(|e| format!("cannot start {}: {e}", runner.display()))?;
    Ok(if status.success() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
