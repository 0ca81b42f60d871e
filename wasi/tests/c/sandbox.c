/* Escape attempts from the preopen "/sandbox" (read-write) and "/ro" (read-only); the runner
 * puts a file "secret.txt" next to the sandbox (outside it), a link "sandbox/out" ->
 * "../secret.txt", a link "sandbox/abs" -> the absolute host path of secret.txt, and
 * "ro/data.txt". A second read-write preopen "/other" tests renames across preopens. */
#include "check.h"
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <wasi/api.h>

#define SANDBOX 3

static __wasi_errno_t raw_open(const char *path, __wasi_lookupflags_t lf) {
    __wasi_fd_t fd;
    __wasi_errno_t e = __wasi_path_open(SANDBOX, lf, path, 0, __WASI_RIGHTS_FD_READ, 0, 0, &fd);
    if (e == 0 && __wasi_fd_close(fd) != 0) return 999;
    return e;
}

int main(void) {
    struct stat st;
    /* `..` out of the preopen, directly and after descending. */
    WASI_IS(raw_open("../secret.txt", 1), __WASI_ERRNO_NOTCAPABLE);
    WASI_IS(raw_open("sub/../../secret.txt", 1), __WASI_ERRNO_NOTCAPABLE);
    WASI_IS(raw_open("..", 1), __WASI_ERRNO_NOTCAPABLE);
    FAILS_WITH(open("/sandbox/../secret.txt", O_RDONLY), ENOTCAPABLE);
    FAILS_WITH(stat("/sandbox/sub/../../secret.txt", &st), ENOTCAPABLE);
    /* Absolute paths handed to the host. */
    WASI_IS(raw_open("/etc/passwd", 1), __WASI_ERRNO_NOTCAPABLE);
    WASI_IS(__wasi_path_create_directory(SANDBOX, "/tmp/escape"), __WASI_ERRNO_NOTCAPABLE);
    /* Symlinks pointing outside: relative and absolute; final and intermediate. */
    FAILS_WITH(open("/sandbox/out", O_RDONLY), ENOTCAPABLE);
    FAILS_WITH(open("/sandbox/abs", O_RDONLY), ENOTCAPABLE);
    FAILS_WITH(stat("/sandbox/out", &st), ENOTCAPABLE);
    CHECK(lstat("/sandbox/out", &st) == 0 && S_ISLNK(st.st_mode));
    CHECK(symlink("..", "/sandbox/up") == 0);
    FAILS_WITH(open("/sandbox/up/secret.txt", O_RDONLY), ENOTCAPABLE);
    FAILS_WITH(mkdir("/sandbox/up/made-outside", 0755), ENOTCAPABLE);
    FAILS_WITH(open("/sandbox/out", O_WRONLY | O_CREAT, 0644), ENOTCAPABLE);
    /* The guest can't make an absolute symlink. */
    FAILS_WITH(symlink("/etc/passwd", "/sandbox/mine"), EPERM);
    /* Hard links: of an outside file via `..`, or through an outside symlink. */
    FAILS_WITH(link("/sandbox/../secret.txt", "/sandbox/stolen"), ENOTCAPABLE);
    WASI_IS(__wasi_path_link(SANDBOX, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "out", SANDBOX,
                             "stolen"), __WASI_ERRNO_NOTCAPABLE);
    FAILS_WITH(link("/sandbox/inside.txt", "/sandbox/../planted"), ENOTCAPABLE);
    /* Renames: out via `..`, and across two preopens. */
    FAILS_WITH(rename("/sandbox/inside.txt", "/sandbox/../moved"), ENOTCAPABLE);
    FAILS_WITH(rename("/sandbox/inside.txt", "/other/moved"), EXDEV);
    FAILS_WITH(link("/sandbox/inside.txt", "/other/linked"), EXDEV);
    /* Read-only preopen: nothing changes. */
    int fd = open("/ro/data.txt", O_RDONLY);
    CHECK(fd >= 0);
    FAILS_WITH(write(fd, "x", 1), EBADF); /* wasi-libc turns ENOTCAPABLE into EBADF here */
    CHECK(close(fd) == 0);
    FAILS_WITH(open("/ro/new.txt", O_WRONLY | O_CREAT, 0644), ENOTCAPABLE);
    FAILS_WITH(open("/ro/data.txt", O_WRONLY | O_TRUNC), ENOTCAPABLE);
    FAILS_WITH(unlink("/ro/data.txt"), ENOTCAPABLE);
    FAILS_WITH(mkdir("/ro/d", 0755), ENOTCAPABLE);
    FAILS_WITH(rename("/ro/data.txt", "/ro/x"), ENOTCAPABLE);
    /* Within the sandbox, all is fine. */
    fd = open("/sandbox/sub/../inside.txt", O_RDONLY);
    CHECK(fd >= 0 && close(fd) == 0);
    return done();
}
