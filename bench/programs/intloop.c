/* Tight integer loops: arithmetic, shifts, rotates and multiplies on i32 and i64 locals,
 * with a loop-carried dependency so nothing folds away. Stresses the basic dispatch loop. */
#include "bench.h"

static inline uint32_t rotl32(uint32_t x, int k) { return (x << k) | (x >> (32 - k)); }

EXPORT("run") int64_t run(int32_t n) {
  uint32_t a = 0x9E3779B9u, b = 0x7F4A7C15u, c = 12345, d = 0xDEADBEEFu;
  uint64_t acc = 0;
  for (int32_t i = 0; i < n; i++) {
    a += b ^ (uint32_t)i;
    b = rotl32(b, 7) * 0x85EBCA6Bu;
    c = (c ^ (a >> 3)) + (d << 2);
    d = rotl32(d ^ c, 13) + a;
    acc += (uint64_t)a * (uint64_t)(d | 1);
    acc ^= acc >> 17;
  }
  return (int64_t)(acc ^ a ^ ((uint64_t)b << 32) ^ c ^ d);
}
