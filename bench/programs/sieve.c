/* Memory-bound loop: the sieve of Eratosthenes over a byte array, repeated `n` times. Stresses
 * byte loads and stores with strided access. */
#include "bench.h"

#define LIMIT (1 << 20)
static uint8_t composite[LIMIT + 1];

EXPORT("run") int64_t run(int32_t n) {
  uint64_t h = 0;
  for (int32_t rep = 0; rep < n; rep++) {
    for (uint32_t i = 0; i <= LIMIT; i++)
      composite[i] = 0;
    uint32_t count = 0;
    uint64_t sum = 0;
    for (uint32_t i = 2; i <= LIMIT; i++) {
      if (!composite[i]) {
        count++;
        sum += i;
        for (uint32_t j = i * 2; j <= LIMIT; j += i)
          composite[j] = 1;
      }
    }
    h = mix(h, ((uint64_t)count << 40) ^ sum ^ (uint64_t)rep);
  }
  return (int64_t)h;
}
