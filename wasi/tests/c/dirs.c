/* Directories in "/sandbox": mkdir, readdir, rename, unlink, rmdir, symlink, readlink, link,
 * stat, lstat, utimensat. */
#include "check.h"
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

static int count_entries(const char *path, int *saw_file) {
    DIR *d = opendir(path);
    if (!d) return -1;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        n++;
        if (strcmp(e->d_name, "f") == 0 && e->d_type == DT_REG) *saw_file = 1;
    }
    closedir(d);
    return n;
}

int main(void) {
    CHECK(mkdir("/sandbox/d", 0755) == 0);
    FAILS_WITH(mkdir("/sandbox/d", 0755), EEXIST);
    CHECK(mkdir("/sandbox/d/e", 0755) == 0);
    FAILS_WITH(mkdir("/sandbox/nope/x", 0755), ENOENT);
    int fd = open("/sandbox/d/f", O_WRONLY | O_CREAT, 0644);
    CHECK(fd >= 0 && write(fd, "12345", 5) == 5 && close(fd) == 0);

    int saw = 0;
    CHECK(count_entries("/sandbox/d", &saw) == 4); /* . .. e f */
    CHECK(saw);
    for (int i = 0; i < 200; i++) { /* enough entries to need several fd_readdir calls */
        char name[64];
        snprintf(name, sizeof name, "/sandbox/d/e/entry-number-%03d-with-a-long-name", i);
        fd = open(name, O_WRONLY | O_CREAT, 0644);
        CHECK(fd >= 0 && close(fd) == 0);
    }
    CHECK(count_entries("/sandbox/d/e", &saw) == 202);

    struct stat st;
    CHECK(stat("/sandbox/d/f", &st) == 0 && st.st_size == 5 && S_ISREG(st.st_mode));
    CHECK(stat("/sandbox/d", &st) == 0 && S_ISDIR(st.st_mode));
    FAILS_WITH(stat("/sandbox/d/missing", &st), ENOENT);
    struct timespec times[2] = {{10, 0}, {20, 0}};
    CHECK(utimensat(AT_FDCWD, "/sandbox/d/f", times, 0) == 0);
    CHECK(stat("/sandbox/d/f", &st) == 0 && st.st_mtim.tv_sec == 20 && st.st_atim.tv_sec == 10);

    CHECK(rename("/sandbox/d/f", "/sandbox/d/g") == 0);
    FAILS_WITH(stat("/sandbox/d/f", &st), ENOENT);
    CHECK(link("/sandbox/d/g", "/sandbox/d/h") == 0);
    CHECK(stat("/sandbox/d/g", &st) == 0 && st.st_nlink == 2);
    FAILS_WITH(link("/sandbox/d/g", "/sandbox/d/h"), EEXIST);
    CHECK(unlink("/sandbox/d/h") == 0);
    FAILS_WITH(unlink("/sandbox/d/h"), ENOENT);
    FAILS_WITH(unlink("/sandbox/d/e"), EISDIR);

    CHECK(symlink("d/g", "/sandbox/sl") == 0);
    char buf[64] = {0};
    CHECK(readlink("/sandbox/sl", buf, sizeof buf) == 3 && memcmp(buf, "d/g", 3) == 0);
    CHECK(lstat("/sandbox/sl", &st) == 0 && S_ISLNK(st.st_mode));
    CHECK(stat("/sandbox/sl", &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 5);
    fd = open("/sandbox/sl", O_RDONLY);
    CHECK(fd >= 0 && read(fd, buf, sizeof buf) == 5 && close(fd) == 0);
    FAILS_WITH(open("/sandbox/sl", O_RDONLY | O_NOFOLLOW), ELOOP);
    FAILS_WITH(readlink("/sandbox/d/g", buf, sizeof buf), EINVAL);
    CHECK(symlink("loop2", "/sandbox/loop1") == 0 && symlink("loop1", "/sandbox/loop2") == 0);
    FAILS_WITH(open("/sandbox/loop1", O_RDONLY), ELOOP);
    CHECK(unlink("/sandbox/sl") == 0);

    FAILS_WITH(rmdir("/sandbox/d"), ENOTEMPTY);
    FAILS_WITH(rmdir("/sandbox/d/g"), ENOTDIR);
    CHECK(mkdir("/sandbox/empty", 0755) == 0);
    CHECK(rmdir("/sandbox/empty") == 0);
    FAILS_WITH(rmdir("/sandbox/empty"), ENOENT);
    return done();
}
