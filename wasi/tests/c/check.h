/* Tiny test harness for the WASI C programs: CHECK counts, and done() prints
 * "N passed, M failed" and exits 0 only if nothing failed. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int passed, failed;

#define CHECK(cond)                                                            \
    do {                                                                       \
        if (cond) {                                                            \
            passed++;                                                          \
        } else {                                                               \
            failed++;                                                          \
            printf("FAIL %s:%d: %s (errno %d)\n", __FILE__, __LINE__, #cond,   \
                   errno);                                                     \
        }                                                                      \
    } while (0)

/* A libc call that must fail with errno E. */
#define FAILS_WITH(call, E)                                                    \
    do {                                                                       \
        errno = 0;                                                             \
        int r_ = (int)(call);                                                  \
        int e_ = errno;                                                        \
        if (r_ == -1 && e_ == (E)) {                                           \
            passed++;                                                          \
        } else {                                                               \
            failed++;                                                          \
            printf("FAIL %s:%d: %s: got %d errno %d, want errno %d\n",         \
                   __FILE__, __LINE__, #call, r_, e_, (E));                    \
        }                                                                      \
    } while (0)

/* A raw __wasi_* call that must return E. */
#define WASI_IS(call, E)                                                       \
    do {                                                                       \
        int r_ = (int)(call);                                                  \
        if (r_ == (E)) {                                                       \
            passed++;                                                          \
        } else {                                                               \
            failed++;                                                          \
            printf("FAIL %s:%d: %s: got %d, want %d\n", __FILE__, __LINE__,    \
                   #call, r_, (E));                                            \
        }                                                                      \
    } while (0)

static int done(void) {
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
