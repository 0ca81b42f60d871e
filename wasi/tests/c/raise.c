/* proc_raise with a fatal signal: the guest ends with 128 + SIGTERM (15) = 143. */
#include <stdint.h>
#include <stdio.h>
#include <wasi/api.h>

__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_raise")))
int32_t raw_proc_raise(int32_t sig);

int main(void) {
    printf("raising\n");
    fflush(stdout);
    raw_proc_raise(15 /* SIGTERM */);
    printf("not reached\n");
    return 0;
}
