/* Branchy code: Collatz chain lengths (data-dependent branches, i64 arithmetic) and a small
 * state machine driven by the parity pattern of each chain. */
#include "bench.h"

EXPORT("run") int64_t run(int32_t n) {
  uint64_t best_len = 0, best_start = 0, states = 0;
  for (int32_t start = 1; start <= n; start++) {
    uint64_t x = (uint64_t)start;
    uint32_t len = 0;
    uint32_t state = 0;
    while (x != 1) {
      if (x & 1) {
        x = 3 * x + 1;
        switch (state) {
        case 0: state = 1; break;
        case 1: state = 2; break;
        case 2: state = 2; states++; break;
        default: state = 0; break;
        }
      } else {
        x >>= 1;
        switch (state) {
        case 0: state = 3; break;
        case 1: state = 0; break;
        case 2: state = 3; break;
        default: state = 0; states += 3; break;
        }
      }
      len++;
    }
    if (len > best_len) {
      best_len = len;
      best_start = (uint64_t)start;
    }
  }
  return (int64_t)((best_start << 32) ^ (best_len << 20) ^ states);
}
