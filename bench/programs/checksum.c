/* SIMD kernel next to its scalar twin: integer checksums and an f32 saxpy over 256 KiB buffers
 * (32-bit word sum, 16-bit dot product, xor fold, min/max, saxpy). Built twice from this one
 * source: `checksum.wasm` (scalar) and `checksum_simd.wasm` (-msimd128, vectorized by clang). */
#include "bench.h"

#define LEN 65536
static uint32_t words[LEN];
static int16_t p[2 * LEN], q[2 * LEN];
static float xs[LEN], ys[LEN];

static uint32_t word_sum(const uint32_t *v) {
  uint32_t s = 0;
  for (int i = 0; i < LEN; i++) s += v[i] * 0x01000193u;
  return s;
}

static uint32_t dot16(const int16_t *a, const int16_t *b) {
  uint32_t s = 0; /* unsigned: the sum wraps without undefined behaviour */
  for (int i = 0; i < 2 * LEN; i++) s += (uint32_t)((int32_t)a[i] * b[i]);
  return s;
}

static uint32_t xor_fold(const uint32_t *v) {
  uint32_t s = 0;
  for (int i = 0; i < LEN; i++) s ^= v[i] >> (i & 7);
  return s;
}

static uint32_t min_max(const uint32_t *v) {
  uint32_t lo = 0xFFFFFFFFu, hi = 0;
  for (int i = 0; i < LEN; i++) {
    lo = v[i] < lo ? v[i] : lo;
    hi = v[i] > hi ? v[i] : hi;
  }
  return lo ^ hi;
}

static void saxpy(float *restrict y, const float *restrict x, float a) {
  for (int i = 0; i < LEN; i++) y[i] = a * x[i] + y[i];
}

EXPORT("run") int64_t run(int32_t n) {
  rng_t r = {0x2222ULL};
  for (int i = 0; i < LEN; i++) {
    words[i] = rng_u32(&r);
    xs[i] = (float)(int32_t)(rng_u32(&r) % 2001 - 1000) / 64.0f;
    ys[i] = 0;
  }
  for (int i = 0; i < 2 * LEN; i++) {
    p[i] = (int16_t)rng_u32(&r);
    q[i] = (int16_t)(rng_u32(&r) >> 20);
  }
  uint64_t h = 0;
  for (int32_t rep = 0; rep < n; rep++) {
    uint32_t a = word_sum(words), b = dot16(p, q), c = xor_fold(words),
             d = min_max(words);
    saxpy(ys, xs, rep & 1 ? 0.5f : -0.25f);
    words[rep % LEN] += a ^ b;
    p[rep % (2 * LEN)] ^= (int16_t)c;
    h = mix(mix(h, a ^ ((uint64_t)b << 32)), c ^ ((uint64_t)d << 32));
  }
  uint32_t ybits = 0;
  for (int i = 0; i < LEN; i++) {
    float y = ys[i];
    uint32_t u;
    __builtin_memcpy(&u, &y, 4);
    ybits = ybits * 31 + u;
  }
  return (int64_t)mix(h, ybits);
}
