#!/bin/sh
# Rebuilds the WASI test programs: each X.c here becomes X.wasm next to it.
# Needs Debian's clang, lld, wasi-libc and libclang-rt-14-dev-wasm32.
# `build.sh --check` rebuilds into a temporary directory and fails if any committed .wasm differs.
set -eu
cd "$(dirname "$0")"
CC="${CC:-clang}"
CFLAGS="--target=wasm32-wasi --sysroot=/usr -O2 -Wall -Werror"
out=.
if [ "${1:-}" = "--check" ]; then
    out=$(mktemp -d)
    trap 'rm -rf "$out"' EXIT
fi
status=0
for src in *.c; do
    name=${src%.c}
    "$CC" $CFLAGS -o "$out/$name.wasm" "$src"
    if [ "$out" != . ] && ! cmp -s "$out/$name.wasm" "$name.wasm"; then
        echo "wasi/tests/c/$name.wasm is out of date: run wasi/tests/c/build.sh" >&2
        status=1
    fi
done
exit $status
