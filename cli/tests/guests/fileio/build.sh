#!/usr/bin/env bash
# Builds fileio.wasm (needs the wasm32-wasip1 Rust target: rustup target add wasm32-wasip1).
set -euo pipefail
cd "$(dirname "$0")"
cargo build --quiet --release --target wasm32-wasip1 --target-dir target
cp target/wasm32-wasip1/release/fileio-guest.wasm ../fileio.wasm
