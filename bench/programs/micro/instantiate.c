/* The module for the instantiation-latency figure: a memory (1 MiB stack plus data), active
 * data segments (about 16 KiB of constant tables), a 64-entry function table with its element
 * segment, and globals. Instantiating it is what the benchmark times; `run` just proves the
 * instance works. */
#include "../bench.h"

#define F(i) NOINLINE static uint32_t g##i(uint32_t x) { return x * (2 * i + 1) + i; }
#define F8(i) F(i##0) F(i##1) F(i##2) F(i##3) F(i##4) F(i##5) F(i##6) F(i##7)
F8(1) F8(2) F8(3) F8(4) F8(5) F8(6) F8(7) F8(8)
#define R8(i) g##i##0, g##i##1, g##i##2, g##i##3, g##i##4, g##i##5, g##i##6, g##i##7,
typedef uint32_t (*fn_t)(uint32_t);
static fn_t const fns[64] = {R8(1) R8(2) R8(3) R8(4) R8(5) R8(6) R8(7) R8(8)};

#define V4(x) (x), (x) * 3u + 1u, (x) * 5u + 7u, (x) ^ 0x5A5A5A5Au
#define V16(x) V4(x), V4((x) + 1u), V4((x) + 2u), V4((x) + 3u)
#define V64(x) V16(x), V16((x) + 16u), V16((x) + 32u), V16((x) + 48u)
#define V256(x) V64(x), V64((x) + 64u), V64((x) + 128u), V64((x) + 192u)
static const uint32_t table_a[1024] = {V256(1u), V256(1000u), V256(77777u), V256(123456789u)};
static const uint32_t table_b[1024] = {V256(3u), V256(99u), V256(4242u), V256(987654u)};
static uint32_t scratch[4096];

EXPORT("run") int64_t run(int32_t n) {
  uint32_t acc = 0;
  for (int32_t i = 0; i < n; i++) {
    acc = fns[(uint32_t)i & 63](acc) ^ table_a[(uint32_t)i & 1023] ^ table_b[acc & 1023];
    scratch[(uint32_t)i & 4095] += acc;
  }
  return (int64_t)acc;
}
