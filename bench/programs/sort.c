/* Sorting: quicksort (median of three, insertion sort for small ranges) and heap sort of a
 * PRNG-filled i32 array, checked sorted. Stresses compare-and-branch, swaps through memory and
 * recursion. */
#include "bench.h"

#define LEN 100000
static int32_t a[LEN], b[LEN];

static void insertion(int32_t *v, int32_t lo, int32_t hi) {
  for (int32_t i = lo + 1; i <= hi; i++) {
    int32_t x = v[i], j = i - 1;
    while (j >= lo && v[j] > x) {
      v[j + 1] = v[j];
      j--;
    }
    v[j + 1] = x;
  }
}

static void quicksort(int32_t *v, int32_t lo, int32_t hi) {
  while (hi - lo > 16) {
    int32_t mid = lo + (hi - lo) / 2;
    int32_t x = v[lo], y = v[mid], z = v[hi];
    int32_t pivot = x < y ? (y < z ? y : (x < z ? z : x)) : (x < z ? x : (y < z ? z : y));
    int32_t i = lo, j = hi;
    while (i <= j) {
      while (v[i] < pivot) i++;
      while (v[j] > pivot) j--;
      if (i <= j) {
        int32_t t = v[i]; v[i] = v[j]; v[j] = t;
        i++; j--;
      }
    }
    if (j - lo < hi - i) {
      quicksort(v, lo, j);
      lo = i;
    } else {
      quicksort(v, i, hi);
      hi = j;
    }
  }
  insertion(v, lo, hi);
}

static void sift_down(int32_t *v, int32_t root, int32_t end) {
  for (;;) {
    int32_t child = 2 * root + 1;
    if (child > end) return;
    if (child + 1 <= end && v[child] < v[child + 1]) child++;
    if (v[root] >= v[child]) return;
    int32_t t = v[root]; v[root] = v[child]; v[child] = t;
    root = child;
  }
}

static void heapsort(int32_t *v, int32_t len) {
  for (int32_t start = len / 2 - 1; start >= 0; start--)
    sift_down(v, start, len - 1);
  for (int32_t end = len - 1; end > 0; end--) {
    int32_t t = v[0]; v[0] = v[end]; v[end] = t;
    sift_down(v, 0, end - 1);
  }
}

EXPORT("run") int64_t run(int32_t n) {
  rng_t r = {0xABCDEF12345ULL};
  uint64_t h = 0;
  for (int32_t rep = 0; rep < n; rep++) {
    for (int32_t i = 0; i < LEN; i++) {
      a[i] = (int32_t)rng_u32(&r);
      b[i] = a[i] % 1000; /* many duplicates */
    }
    quicksort(a, 0, LEN - 1);
    heapsort(b, LEN);
    for (int32_t i = 1; i < LEN; i++)
      if (a[i - 1] > a[i] || b[i - 1] > b[i])
        return -1;
    h = mix(h, (uint32_t)a[LEN / 2] ^ ((uint64_t)(uint32_t)b[LEN / 3] << 32));
  }
  return (int64_t)h;
}
