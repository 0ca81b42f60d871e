//! Running `cargo` subcommands and checking that the toolchain has what they need.

use std::env;
use std::ffi::OsString;
use std::process::{Command, Stdio};

/// The `cargo` that runs us (`$CARGO`), or `cargo` from `PATH`.
pub fn cargo() -> OsString {
    env::var_os("CARGO").unwrap_or_else(|| "cargo".into())
}

/// Runs `cargo <args>` with inherited stdio; `Err` says how it failed.
pub fn run(args: &[&str]) -> Result<(), String> {
    let status = Command::new(cargo())
        .args(args)
        .status()
        .map_err(|e| format!("cannot start `cargo {}`: {e}", args.join(" ")))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`cargo {}` failed ({status})", args.join(" ")))
    }
}

/// Whether `cargo <subcommand> --version` works, i.e. the subcommand is installed.
fn has_subcommand(subcommand: &str) -> bool {
    Command::new(cargo())
        .args([subcommand, "--version"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Makes sure `cargo fmt` and `cargo clippy` exist, installing the rustup components if
/// needed and possible.
pub fn ensure_fmt_and_clippy() -> Result<(), String> {
    let missing = || {
        [("fmt", "rustfmt"), ("clippy", "clippy")]
            .into_iter()
            .filter(|(sub, _)| !has_subcommand(sub))
            .map(|(_, component)| component)
            .collect::<Vec<_>>()
    };
    let components = missing();
    if components.is_empty() {
        return Ok(());
    }
    let install = format!("rustup component add {}", components.join(" "));
    eprintln!("==> installing missing components: {install}");
    let installed = Command::new("rustup")
        .args(["component", "add"])
        .args(&components)
        .status()
        .is_ok_and(|s| s.success());
    if installed && missing().is_empty() {
        Ok(())
    } else {
        Err(format!(
            "missing toolchain components: {}; install them with `{install}` \
             (or your distribution's rustfmt and rust-clippy packages)",
            components.join(", ")
        ))
    }
}
