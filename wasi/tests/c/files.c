/* Files in the preopened "/sandbox" (read-write): open, read, write, seek, tell, pread,
 * pwrite, stat, set_size, set_times, allocate, advise, sync, datasync, fdstat, close. */
#include "check.h"
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <wasi/api.h>

int main(void) {
    int fd = open("/sandbox/file.txt", O_RDWR | O_CREAT | O_TRUNC, 0644);
    CHECK(fd >= 0);
    CHECK(write(fd, "hello, world", 12) == 12);
    CHECK(lseek(fd, 0, SEEK_CUR) == 12); /* fd_tell-like: fd_seek(0, CUR) */
    __wasi_filesize_t pos;
    CHECK(__wasi_fd_tell(fd, &pos) == 0 && pos == 12);
    CHECK(lseek(fd, 7, SEEK_SET) == 7);
    char buf[32] = {0};
    CHECK(read(fd, buf, sizeof buf) == 5 && memcmp(buf, "world", 5) == 0);
    CHECK(read(fd, buf, sizeof buf) == 0);
    CHECK(lseek(fd, -5, SEEK_END) == 7);
    FAILS_WITH(lseek(fd, -100, SEEK_SET), EINVAL);

    CHECK(pread(fd, buf, 5, 0) == 5 && memcmp(buf, "hello", 5) == 0);
    CHECK(pwrite(fd, "HELLO", 5, 0) == 5);
    CHECK(lseek(fd, 0, SEEK_CUR) == 7); /* pread/pwrite leave the offset */
    CHECK(pread(fd, buf, 12, 0) == 12 && memcmp(buf, "HELLO, world", 12) == 0);

    struct stat st;
    CHECK(fstat(fd, &st) == 0 && st.st_size == 12 && S_ISREG(st.st_mode) && st.st_nlink == 1);
    CHECK(ftruncate(fd, 5) == 0);
    CHECK(fstat(fd, &st) == 0 && st.st_size == 5);
    struct timespec times[2] = {{100, 0}, {200, 500}};
    CHECK(futimens(fd, times) == 0);
    CHECK(fstat(fd, &st) == 0 && st.st_atim.tv_sec == 100 && st.st_mtim.tv_sec == 200 &&
          st.st_mtim.tv_nsec == 500);
    CHECK(posix_fallocate(fd, 0, 4096) == 0);
    CHECK(fstat(fd, &st) == 0 && st.st_size == 4096);
    CHECK(posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL) == 0);
    CHECK(posix_fadvise(fd, 0, 0, 99) == EINVAL);
    CHECK(fsync(fd) == 0);
    CHECK(fdatasync(fd) == 0);

    /* fdstat flags: O_APPEND set and cleared. */
    CHECK((fcntl(fd, F_GETFL) & O_APPEND) == 0);
    CHECK(fcntl(fd, F_SETFL, O_APPEND) == 0);
    CHECK((fcntl(fd, F_GETFL) & O_APPEND) != 0);
    CHECK(write(fd, "!", 1) == 1);
    CHECK(fstat(fd, &st) == 0 && st.st_size == 4097);
    CHECK(fcntl(fd, F_SETFL, 0) == 0);
    CHECK(close(fd) == 0);
    FAILS_WITH(close(fd), EBADF);

    /* Read-only opens can't write; O_EXCL; a missing file; a directory isn't a file. */
    fd = open("/sandbox/file.txt", O_RDONLY);
    CHECK(fd >= 0);
    FAILS_WITH(write(fd, "x", 1), EBADF); /* wasi-libc turns ENOTCAPABLE into EBADF here */
    CHECK(close(fd) == 0);
    FAILS_WITH(open("/sandbox/file.txt", O_CREAT | O_EXCL | O_WRONLY, 0644), EEXIST);
    FAILS_WITH(open("/sandbox/missing", O_RDONLY), ENOENT);
    FAILS_WITH(open("/sandbox/file.txt/", O_RDONLY), ENOTDIR);
    FAILS_WITH(open("/sandbox", O_WRONLY), EISDIR);

    /* stdio through a FILE*. */
    FILE *f = fopen("/sandbox/lines.txt", "w+");
    CHECK(f != NULL);
    CHECK(fprintf(f, "one\ntwo\n") == 8);
    CHECK(fseek(f, 0, SEEK_SET) == 0);
    char line[16];
    CHECK(fgets(line, sizeof line, f) && strcmp(line, "one\n") == 0);
    CHECK(ftell(f) == 4);
    CHECK(fclose(f) == 0);
    return done();
}
