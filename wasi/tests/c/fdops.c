/* Descriptor operations: prestat, renumber, fdstat get/set flags/set rights, close. */
#include "check.h"
#include <fcntl.h>
#include <unistd.h>
#include <wasi/api.h>

int main(void) {
    /* fd 3 is the preopen "/sandbox". */
    __wasi_prestat_t ps;
    CHECK(__wasi_fd_prestat_get(3, &ps) == 0);
    CHECK(ps.tag == __WASI_PREOPENTYPE_DIR && ps.u.dir.pr_name_len == 8);
    char name[16] = {0};
    CHECK(__wasi_fd_prestat_dir_name(3, (uint8_t *)name, 8) == 0 && strcmp(name, "/sandbox") == 0);
    WASI_IS(__wasi_fd_prestat_dir_name(3, (uint8_t *)name, 4), __WASI_ERRNO_NAMETOOLONG);
    WASI_IS(__wasi_fd_prestat_get(1, &ps), __WASI_ERRNO_BADF);
    WASI_IS(__wasi_fd_prestat_get(1000, &ps), __WASI_ERRNO_BADF);

    __wasi_fdstat_t fs;
    CHECK(__wasi_fd_fdstat_get(3, &fs) == 0 && fs.fs_filetype == __WASI_FILETYPE_DIRECTORY);
    CHECK(fs.fs_rights_base & __WASI_RIGHTS_PATH_OPEN);

    int a = open("/sandbox/a", O_RDWR | O_CREAT, 0644);
    int b = open("/sandbox/b", O_RDWR | O_CREAT, 0644);
    CHECK(a >= 0 && b >= 0);
    CHECK(write(a, "from a", 6) == 6);
    CHECK(__wasi_fd_renumber(a, b) == 0);
    FAILS_WITH(write(a, "x", 1), EBADF);
    char buf[8] = {0};
    CHECK(pread(b, buf, 6, 0) == 6 && memcmp(buf, "from a", 6) == 0);
    WASI_IS(__wasi_fd_renumber(b, 1000), __WASI_ERRNO_BADF);
    WASI_IS(__wasi_fd_renumber(1000, b), __WASI_ERRNO_BADF);

    CHECK(__wasi_fd_fdstat_get(b, &fs) == 0 && fs.fs_filetype == __WASI_FILETYPE_REGULAR_FILE);
    CHECK(fs.fs_flags == 0);
    CHECK(__wasi_fd_fdstat_set_flags(b, __WASI_FDFLAGS_APPEND | __WASI_FDFLAGS_NONBLOCK) == 0);
    CHECK(__wasi_fd_fdstat_get(b, &fs) == 0 &&
          fs.fs_flags == (__WASI_FDFLAGS_APPEND | __WASI_FDFLAGS_NONBLOCK));
    WASI_IS(__wasi_fd_fdstat_set_flags(b, __WASI_FDFLAGS_SYNC), __WASI_ERRNO_NOTSUP);
    /* Drop the write right: writes are refused, and it can't be had back. */
    CHECK(__wasi_fd_fdstat_set_rights(b, fs.fs_rights_base & ~__WASI_RIGHTS_FD_WRITE, 0) == 0);
    FAILS_WITH(write(b, "x", 1), EBADF); /* wasi-libc turns ENOTCAPABLE into EBADF here */
    WASI_IS(__wasi_fd_fdstat_set_rights(b, fs.fs_rights_base, 0), __WASI_ERRNO_NOTCAPABLE);
    CHECK(close(b) == 0);
    WASI_IS(__wasi_fd_close(b), __WASI_ERRNO_BADF);

    /* stdout is a stream: no seek. */
    CHECK(__wasi_fd_fdstat_get(1, &fs) == 0);
    CHECK((fs.fs_rights_base & __WASI_RIGHTS_FD_SEEK) == 0);
    __wasi_filestat_t fst;
    CHECK(__wasi_fd_filestat_get(1, &fst) == 0);
    return done();
}
