/* SIMD kernel next to its scalar twin: an image pipeline on a 512x512 8-bit grayscale image
 * (saturating brightness, alpha blend, 3-tap horizontal and vertical blur, byte sum). Built
 * twice from this one source: `image.wasm` (scalar) and `image_simd.wasm` (-msimd128, where
 * clang's loop vectorizer turns the loops into i8x16/i16x8 operations). */
#include "bench.h"

#define W 512
#define H 512
static uint8_t img[W * H], tmp[W * H], other[W * H];

static void brighten(uint8_t *restrict dst, const uint8_t *restrict src, uint8_t k) {
  for (int i = 0; i < W * H; i++) {
    unsigned v = src[i] + k;
    dst[i] = v > 255 ? 255 : (uint8_t)v;
  }
}

static void blend(uint8_t *restrict dst, const uint8_t *restrict a, const uint8_t *restrict b,
                  uint16_t alpha) {
  for (int i = 0; i < W * H; i++)
    dst[i] = (uint8_t)((a[i] * alpha + b[i] * (256 - alpha)) >> 8);
}

static void blur_h(uint8_t *restrict dst, const uint8_t *restrict src) {
  for (int y = 0; y < H; y++) {
    const uint8_t *s = src + y * W;
    uint8_t *d = dst + y * W;
    d[0] = s[0];
    for (int x = 1; x < W - 1; x++)
      d[x] = (uint8_t)((s[x - 1] + 2 * s[x] + s[x + 1] + 2) >> 2);
    d[W - 1] = s[W - 1];
  }
}

static void blur_v(uint8_t *restrict dst, const uint8_t *restrict src) {
  for (int x = 0; x < W; x++) dst[x] = src[x];
  for (int y = 1; y < H - 1; y++) {
    const uint8_t *up = src + (y - 1) * W, *mid = src + y * W, *down = src + (y + 1) * W;
    uint8_t *d = dst + y * W;
    for (int x = 0; x < W; x++)
      d[x] = (uint8_t)((up[x] + 2 * mid[x] + down[x] + 2) >> 2);
  }
  for (int x = 0; x < W; x++) dst[(H - 1) * W + x] = src[(H - 1) * W + x];
}

static uint32_t byte_sum(const uint8_t *src) {
  uint32_t s = 0;
  for (int i = 0; i < W * H; i++) s += src[i];
  return s;
}

EXPORT("run") int64_t run(int32_t n) {
  rng_t r = {0x1111ULL};
  for (int i = 0; i < W * H; i++) {
    img[i] = (uint8_t)(rng_u32(&r) >> 24);
    other[i] = (uint8_t)((i % W) ^ (i / W));
  }
  uint64_t h = 0;
  for (int32_t rep = 0; rep < n; rep++) {
    brighten(tmp, img, (uint8_t)(rep * 7 + 3));
    blend(img, tmp, other, (uint16_t)(64 + rep % 128));
    blur_h(tmp, img);
    blur_v(img, tmp);
    h = mix(h, byte_sum(img));
  }
  return (int64_t)h;
}
