/* Bulk memory: memcpy/memmove/memset-heavy work (compiled with -mbulk-memory, so clang emits
 * memory.copy and memory.fill) of sizes from a few bytes to 64 KiB, plus a checksum pass. */
#include "bench.h"

#define SIZE (1 << 20)
static uint8_t src[SIZE], dst[SIZE];

EXPORT("run") int64_t run(int32_t n) {
  rng_t r = {0xB01CULL};
  for (uint32_t i = 0; i < SIZE; i += 8) {
    uint64_t x = rng_next(&r);
    __builtin_memcpy(&src[i], &x, 8);
  }
  uint64_t h = 0;
  for (int32_t i = 0; i < n; i++) {
    uint32_t x = rng_u32(&r);
    uint32_t len = (x & 0xF) == 0 ? (x >> 4) & 0xFFFF : (x >> 4) & 0xFF; /* mostly small */
    uint32_t from = rng_u32(&r) % (SIZE - len);
    uint32_t to = rng_u32(&r) % (SIZE - len);
    switch (x >> 30) {
    case 0:
      __builtin_memcpy(&dst[to], &src[from], len);
      break;
    case 1:
      __builtin_memmove(&dst[to], &dst[from], len);
      break;
    case 2:
      __builtin_memset(&dst[to], (int)(x & 0xFF), len);
      break;
    default:
      __builtin_memmove(&src[to], &src[from], len);
      break;
    }
    if ((i & 4095) == 0) {
      /* whole-buffer copy and clear: the large end */
      __builtin_memcpy(dst + (SIZE / 2), src, SIZE / 2);
      __builtin_memset(src + (i & 0xFFFF), 0x5A, 4096);
    }
    h = mix(h, dst[to] ^ ((uint64_t)src[from] << 8) ^ len);
  }
  for (uint32_t i = 0; i < SIZE; i += 4096)
    h = mix(h, dst[i] | (uint64_t)src[i + 7] << 8);
  return (int64_t)h;
}
