/* Shared helpers for strata's benchmark programs.
 *
 * Every program is freestanding: no libc, no imports. It exports `run(n)` returning an
 * `int64_t` checksum that the harness compares across engines (and against a native build,
 * see build.sh). Only fixed-width types are used, so the wasm32 and native checksums agree.
 */
#ifndef STRATA_BENCH_H
#define STRATA_BENCH_H

#include <stddef.h>
#include <stdint.h>

#if defined(__wasm__)
#define EXPORT(name) __attribute__((export_name(name)))
#else
#define EXPORT(name)
#endif

#define NOINLINE __attribute__((noinline))

/* xorshift64*: a small deterministic PRNG. */
typedef struct {
  uint64_t s;
} rng_t;

static inline uint64_t rng_next(rng_t *r) {
  uint64_t x = r->s;
  x ^= x >> 12;
  x ^= x << 25;
  x ^= x >> 27;
  r->s = x;
  return x * 0x2545F4914F6CDD1DULL;
}

static inline uint32_t rng_u32(rng_t *r) { return (uint32_t)(rng_next(r) >> 32); }

/* Folds a value into a running checksum (FNV-1a style on 64-bit words). */
static inline uint64_t mix(uint64_t h, uint64_t v) {
  h ^= v;
  h *= 0x100000001B3ULL;
  return h ^ (h >> 29);
}

#endif
