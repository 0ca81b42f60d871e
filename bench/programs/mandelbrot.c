/* Floating point: the Mandelbrot set on an n x n grid (f64 multiply-add in an inner loop with
 * a data-dependent exit). */
#include "bench.h"

EXPORT("run") int64_t run(int32_t n) {
  uint64_t h = 0, inside = 0;
  for (int32_t y = 0; y < n; y++) {
    double ci = 2.0 * y / n - 1.0;
    uint32_t bits = 0;
    for (int32_t x = 0; x < n; x++) {
      double cr = 2.0 * x / n - 1.5;
      double zr = 0, zi = 0, tr = 0, ti = 0;
      int i = 0;
      for (; i < 50 && tr + ti <= 4.0; i++) {
        zi = 2.0 * zr * zi + ci;
        zr = tr - ti + cr;
        tr = zr * zr;
        ti = zi * zi;
      }
      int in = tr + ti <= 4.0;
      inside += in;
      bits = bits << 1 | in;
      if ((x & 31) == 31) {
        h = mix(h, bits);
        bits = 0;
      }
    }
    h = mix(h, bits);
  }
  return (int64_t)(h ^ (inside << 40));
}
