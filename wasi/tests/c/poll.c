/* poll_oneoff: clock subscriptions (relative, absolute), fd_read on stdin (the runner gives
 * "ready\n" as stdin), fd_write on stdout, a bad descriptor. */
#include "check.h"
#include <poll.h>
#include <unistd.h>
#include <wasi/api.h>

int main(void) {
    __wasi_subscription_t subs[3];
    __wasi_event_t evs[3];
    __wasi_size_t n;
    memset(subs, 0, sizeof subs);

    /* A 10 ms relative clock. */
    subs[0].userdata = 7;
    subs[0].u.tag = __WASI_EVENTTYPE_CLOCK;
    subs[0].u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
    subs[0].u.u.clock.timeout = 10 * 1000 * 1000;
    __wasi_timestamp_t t0, t1;
    CHECK(__wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &t0) == 0);
    CHECK(__wasi_poll_oneoff(subs, evs, 1, &n) == 0);
    CHECK(__wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &t1) == 0);
    CHECK(n == 1 && evs[0].userdata == 7 && evs[0].error == 0 &&
          evs[0].type == __WASI_EVENTTYPE_CLOCK);
    CHECK(t1 - t0 >= 10 * 1000 * 1000);

    /* An absolute clock already past fires at once. */
    subs[0].u.u.clock.id = __WASI_CLOCKID_REALTIME;
    subs[0].u.u.clock.timeout = 1;
    subs[0].u.u.clock.flags = __WASI_SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME;
    CHECK(__wasi_poll_oneoff(subs, evs, 1, &n) == 0 && n == 1);

    /* stdin readable, stdout writable, fd 99 bad; a long clock doesn't fire. */
    subs[0].u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
    subs[0].u.u.clock.timeout = 10ull * 1000 * 1000 * 1000;
    subs[0].u.u.clock.flags = 0;
    subs[1].userdata = 1;
    subs[1].u.tag = __WASI_EVENTTYPE_FD_READ;
    subs[1].u.u.fd_read.file_descriptor = 0;
    subs[2].userdata = 99;
    subs[2].u.tag = __WASI_EVENTTYPE_FD_WRITE;
    subs[2].u.u.fd_write.file_descriptor = 99;
    CHECK(__wasi_poll_oneoff(subs, evs, 3, &n) == 0);
    CHECK(n == 2);
    int saw_read = 0, saw_bad = 0;
    for (unsigned i = 0; i < n; i++) {
        if (evs[i].userdata == 1 && evs[i].error == 0 && evs[i].fd_readwrite.nbytes == 6)
            saw_read = 1;
        if (evs[i].userdata == 99 && evs[i].error == __WASI_ERRNO_BADF) saw_bad = 1;
    }
    CHECK(saw_read && saw_bad);

    /* poll() from libc goes through poll_oneoff too. */
    struct pollfd p[2] = {{0, POLLIN, 0}, {1, POLLOUT, 0}};
    CHECK(poll(p, 2, 1000) == 2);
    CHECK((p[0].revents & POLLIN) && (p[1].revents & POLLOUT));
    char buf[16] = {0};
    CHECK(read(0, buf, sizeof buf) == 6 && strcmp(buf, "ready\n") == 0);

    WASI_IS(__wasi_poll_oneoff(subs, evs, 0, &n), __WASI_ERRNO_INVAL);
    return done();
}
