/* The module for the call-overhead figures.
 * - host -> wasm: the harness calls `add` (i32, i32) -> i32 many times.
 * - wasm -> host: `call_host(n)` calls the imported `env.host_add` n times in a loop.
 * The one module in the suite with an import. */
#include "../bench.h"

__attribute__((import_module("env"), import_name("host_add"))) int32_t host_add(int32_t, int32_t);

EXPORT("add") int32_t add(int32_t a, int32_t b) { return a + b; }

EXPORT("call_host") int64_t call_host(int32_t n) {
  int32_t acc = 0;
  for (int32_t i = 0; i < n; i++) acc = host_add(acc, i);
  return acc;
}
