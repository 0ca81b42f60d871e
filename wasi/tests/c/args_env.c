/* args_get, args_sizes_get, environ_get, environ_sizes_get.
 * Run as: args_env.wasm hello "two words"  with GREETING=hi and EMPTY= in the env. */
#include "check.h"
#include <wasi/api.h>

extern char **environ;

int main(int argc, char **argv) {
    CHECK(argc == 3);
    CHECK(strcmp(argv[1], "hello") == 0);
    CHECK(strcmp(argv[2], "two words") == 0);
    CHECK(argv[3] == NULL);
    CHECK(getenv("GREETING") && strcmp(getenv("GREETING"), "hi") == 0);
    CHECK(getenv("EMPTY") && strcmp(getenv("EMPTY"), "") == 0);
    CHECK(getenv("MISSING") == NULL);
    int n = 0;
    for (char **e = environ; *e; e++) n++;
    CHECK(n == 2);

    __wasi_size_t count, size;
    CHECK(__wasi_args_sizes_get(&count, &size) == 0);
    CHECK(count == 3);
    CHECK(size == strlen(argv[0]) + 1 + 6 + 10);
    CHECK(__wasi_environ_sizes_get(&count, &size) == 0);
    CHECK(count == 2 && size == strlen("GREETING=hi") + 1 + strlen("EMPTY=") + 1);
    char *ptrs[2], buf[64];
    CHECK(__wasi_environ_get((uint8_t **)ptrs, (uint8_t *)buf) == 0);
    CHECK(strcmp(ptrs[0], "GREETING=hi") == 0 && strcmp(ptrs[1], "EMPTY=") == 0);
    /* A pointer past the end of memory is EFAULT, not a crash. */
    WASI_IS(__wasi_args_sizes_get((__wasi_size_t *)0xfffffffe, &size), __WASI_ERRNO_FAULT);
    return done();
}
