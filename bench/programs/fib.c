/* Recursive calls: naive Fibonacci. Stresses the call path (frame setup, argument passing,
 * return) with almost no work per call. */
#include "bench.h"

NOINLINE static int32_t fib(int32_t n) {
  if (n < 2)
    return n;
  return fib(n - 1) + fib(n - 2);
}

EXPORT("run") int64_t run(int32_t n) { return fib(n); }
