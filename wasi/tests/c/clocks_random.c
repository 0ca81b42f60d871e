/* clock_res_get, clock_time_get, random_get, sched_yield, proc_raise. */
#include "check.h"
#include <sched.h>
#include <time.h>
#include <unistd.h>
#include <wasi/api.h>

__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_raise")))
int32_t raw_proc_raise(int32_t sig);

int main(void) {
    struct timespec ts, res;
    clockid_t clocks[] = {CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_PROCESS_CPUTIME_ID,
                          CLOCK_THREAD_CPUTIME_ID};
    for (int i = 0; i < 4; i++) {
        CHECK(clock_gettime(clocks[i], &ts) == 0);
        CHECK(clock_getres(clocks[i], &res) == 0);
        CHECK(res.tv_sec == 0 && res.tv_nsec > 0);
    }
    CHECK(clock_gettime(CLOCK_REALTIME, &ts) == 0 && ts.tv_sec > 1600000000);
    __wasi_timestamp_t a, b;
    CHECK(__wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &a) == 0);
    struct timespec nap = {0, 5 * 1000 * 1000};
    CHECK(nanosleep(&nap, NULL) == 0); /* poll_oneoff with a clock */
    CHECK(__wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &b) == 0);
    CHECK(b - a >= 5 * 1000 * 1000);
    WASI_IS(__wasi_clock_time_get(99, 1, &a), __WASI_ERRNO_INVAL);
    WASI_IS(__wasi_clock_res_get(99, &a), __WASI_ERRNO_INVAL);

    unsigned char r1[32] = {0}, r2[32] = {0};
    CHECK(getentropy(r1, sizeof r1) == 0);
    CHECK(__wasi_random_get(r2, sizeof r2) == 0);
    CHECK(memcmp(r1, r2, sizeof r1) != 0);
    WASI_IS(__wasi_random_get((uint8_t *)0xfffffff0, 64), __WASI_ERRNO_FAULT);

    CHECK(sched_yield() == 0);
    WASI_IS(raw_proc_raise(0), 0);
    WASI_IS(raw_proc_raise(16 /* SIGCHLD: ignored */), 0);
    WASI_IS(raw_proc_raise(99), __WASI_ERRNO_INVAL);
    return done();
}
