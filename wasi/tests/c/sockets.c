/* sock_accept, sock_recv, sock_send, sock_shutdown on a listening socket the host hands in as
 * fd 3. The runner connects, sends "ping", expects "pong" and then end of stream. */
#include "check.h"
#include <unistd.h>
#include <wasi/api.h>

int main(void) {
    __wasi_fd_t conn;
    __wasi_fdstat_t fs;
    CHECK(__wasi_fd_fdstat_get(3, &fs) == 0 && fs.fs_filetype == __WASI_FILETYPE_SOCKET_STREAM);
    WASI_IS(__wasi_sock_accept(3, 0x40, &conn), __WASI_ERRNO_INVAL);
    CHECK(__wasi_sock_accept(3, 0, &conn) == 0);

    char buf[8] = {0};
    __wasi_iovec_t iov = {(uint8_t *)buf, 4};
    __wasi_size_t got;
    __wasi_roflags_t ro;
    CHECK(__wasi_sock_recv(conn, &iov, 1, __WASI_RIFLAGS_RECV_PEEK | __WASI_RIFLAGS_RECV_WAITALL,
                           &got, &ro) == 0 && got == 4);
    CHECK(__wasi_sock_recv(conn, &iov, 1, __WASI_RIFLAGS_RECV_WAITALL, &got, &ro) == 0);
    CHECK(got == 4 && ro == 0 && memcmp(buf, "ping", 4) == 0);
    __wasi_ciovec_t out = {(const uint8_t *)"pong", 4};
    __wasi_size_t sent;
    CHECK(__wasi_sock_send(conn, &out, 1, 0, &sent) == 0 && sent == 4);
    WASI_IS(__wasi_sock_shutdown(conn, 0), __WASI_ERRNO_INVAL);
    CHECK(__wasi_sock_shutdown(conn, __WASI_SDFLAGS_WR) == 0);
    WASI_IS(__wasi_sock_shutdown(1, __WASI_SDFLAGS_WR), __WASI_ERRNO_NOTSOCK);
    CHECK(close(conn) == 0);
    return done();
}
