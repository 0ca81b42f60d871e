/* Native driver for build.sh: runs a benchmark program's `run(n)` on the host and prints the
 * checksum, the reference every engine's result is checked against. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int64_t run(int32_t n);

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s N\n", argv[0]);
    return 2;
  }
  printf("%lld\n", (long long)run(atoi(argv[1])));
  return 0;
}
