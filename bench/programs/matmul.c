/* Memory-bound loop: dense matrix multiply of 32-bit integers (i-k-j order), repeated. Stresses
 * i32 loads and stores with address arithmetic in a triple loop. */
#include "bench.h"

#define N 128
static int32_t A[N * N], B[N * N], C[N * N];

EXPORT("run") int64_t run(int32_t n) {
  rng_t r = {0x1234567ULL};
  for (int i = 0; i < N * N; i++) {
    A[i] = (int32_t)(rng_u32(&r) % 201) - 100;
    B[i] = (int32_t)(rng_u32(&r) % 201) - 100;
  }
  uint64_t h = 0;
  for (int32_t rep = 0; rep < n; rep++) {
    for (int i = 0; i < N * N; i++)
      C[i] = 0;
    for (int i = 0; i < N; i++)
      for (int k = 0; k < N; k++) {
        int32_t a = A[i * N + k];
        for (int j = 0; j < N; j++)
          C[i * N + j] += a * B[k * N + j];
      }
    /* feed the result back so each repetition differs */
    for (int i = 0; i < N * N; i++) {
      h = mix(h, (uint32_t)C[i]);
      A[i] = (C[i] >> 7) % 101;
    }
  }
  return (int64_t)h;
}
