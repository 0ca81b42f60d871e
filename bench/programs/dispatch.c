/* Indirect calls: a table of 16 small functions called through pointers chosen by a PRNG, plus
 * a virtual-method style "object" walk. Stresses call_indirect (type check, table lookup) and
 * the call path. */
#include "bench.h"

typedef uint32_t (*op_fn)(uint32_t, uint32_t);

#define OPS(X)                                                                                     \
  X(0, a + b) X(1, a - b) X(2, a * b) X(3, a ^ b) X(4, a | (b >> 3)) X(5, a & ~b)                \
  X(6, (a << 5) + b) X(7, (a >> 7) ^ b) X(8, a + b * 3) X(9, a * 0x9E3779B1u)                  \
  X(10, (a ^ b) * 31) X(11, a - (b << 1)) X(12, b ? a / (b | 1) : a) X(13, a % ((b & 255) + 1)) \
  X(14, (a << 13) | (a >> 19)) X(15, ~a + b)

#define DEF(i, expr)                                                                               \
  NOINLINE static uint32_t op##i(uint32_t a, uint32_t b) { return expr; }
OPS(DEF)
#define REF(i, expr) op##i,
static op_fn const table[16] = {OPS(REF)};

/* "objects" with a vtable of two methods */
typedef struct shape shape;
typedef struct {
  uint32_t (*area)(const shape *);
  uint32_t (*scale)(shape *, uint32_t);
} vtable;
struct shape {
  const vtable *vt;
  uint32_t w, h;
};
NOINLINE static uint32_t rect_area(const shape *s) { return s->w * s->h; }
NOINLINE static uint32_t rect_scale(shape *s, uint32_t k) { s->w += k; return s->w; }
NOINLINE static uint32_t tri_area(const shape *s) { return s->w * s->h / 2; }
NOINLINE static uint32_t tri_scale(shape *s, uint32_t k) { s->h += k; return s->h; }
NOINLINE static uint32_t sq_area(const shape *s) { return s->w * s->w; }
NOINLINE static uint32_t sq_scale(shape *s, uint32_t k) { s->w ^= k; return s->w; }
static const vtable vts[3] = {{rect_area, rect_scale}, {tri_area, tri_scale}, {sq_area, sq_scale}};

#define NSHAPES 256
static shape shapes[NSHAPES];

EXPORT("run") int64_t run(int32_t n) {
  rng_t r = {0x5EEDULL};
  for (int i = 0; i < NSHAPES; i++) {
    shapes[i].vt = &vts[rng_u32(&r) % 3];
    shapes[i].w = rng_u32(&r) & 1023;
    shapes[i].h = rng_u32(&r) & 1023;
  }
  uint32_t acc = 1;
  uint64_t h = 0;
  uint32_t sel = 0x12345678u;
  for (int32_t i = 0; i < n; i++) {
    sel = sel * 1664525u + 1013904223u;
    acc = table[sel >> 28](acc, sel);
    acc = table[(sel >> 24) & 15](acc, (uint32_t)i);
    shape *s = &shapes[i & (NSHAPES - 1)];
    acc += s->vt->area(s);
    s->vt->scale(s, acc & 7);
    if ((i & 1023) == 0) h = mix(h, acc);
  }
  return (int64_t)mix(h, acc);
}
