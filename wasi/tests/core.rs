//! Every WASI function called directly on a `WasiCtx`, against a temporary directory.
#![allow(missing_docs)]

mod common;

use std::fs;
use std::io::{Read, Write};

use common::{ok, res, Guest};
use strata_wasi::types::{eventtype, fdflags, filetype, fstflags, oflags, rights, whence};
use strata_wasi::{DirPerms, Errno, OutputBuffer, ProcExit, Stdio, WasiCtx};

const ROOT: i32 = 3;
const RO: i32 = 4;

fn setup() -> (tempfile::TempDir, Guest, OutputBuffer) {
    let tmp = tempfile::tempdir().unwrap();
    fs::create_dir(tmp.path().join("root")).unwrap();
    fs::create_dir(tmp.path().join("ro")).unwrap();
    fs::write(tmp.path().join("ro/data.txt"), b"read only").unwrap();
    let out = OutputBuffer::new();
    let mut b = WasiCtx::builder();
    b.args(["prog", "a b", ""]).env("HOME", "/").env("X", "1=2");
    b.stdin(Stdio::Input(b"typed".to_vec()))
        .stdout(Stdio::Output(out.clone()));
    b.preopened_dir(tmp.path().join("root"), ".", DirPerms::ReadWrite)
        .unwrap();
    b.preopened_dir(tmp.path().join("ro"), "/ro", DirPerms::ReadOnly)
        .unwrap();
    (tmp, Guest::new(b.build()), out)
}

#[test]
fn args_and_environ() {
    let (_t, mut g, _) = setup();
    let (n, size) = (g.alloc(4), g.alloc(4));
    ok(g.ctx.args_sizes_get(&mut g.mem, n, size));
    assert_eq!((g.u32(n), g.u32(size)), (3, 5 + 4 + 1));
    let (argv, buf) = (g.alloc(12), g.alloc(10));
    ok(g.ctx.args_get(&mut g.mem, argv, buf));
    assert_eq!(g.bytes(buf, 10), b"prog\0a b\0\0");
    assert_eq!(g.u32(argv + 4), buf as u32 + 5);
    assert_eq!(g.u32(argv + 8), buf as u32 + 9);

    ok(g.ctx.environ_sizes_get(&mut g.mem, n, size));
    assert_eq!((g.u32(n), g.u32(size)), (2, 7 + 6));
    let (env, ebuf) = (g.alloc(8), g.alloc(13));
    ok(g.ctx.environ_get(&mut g.mem, env, ebuf));
    assert_eq!(g.bytes(ebuf, 13), b"HOME=/\0X=1=2\0");

    // Bad pointers are EFAULT, never a panic.
    assert_eq!(g.ctx.args_get(&mut g.mem, -4, buf), Errno::Fault);
    assert_eq!(
        g.ctx.args_get(&mut g.mem, argv, common::MEM as i32 - 3),
        Errno::Fault
    );
    assert_eq!(
        g.ctx
            .environ_sizes_get(&mut g.mem, common::MEM as i32, size),
        Errno::Fault
    );
    assert_eq!(g.ctx.args_sizes_get(&mut g.mem, n, -1), Errno::Fault);
    assert_eq!(g.ctx.environ_get(&mut g.mem, env, -2), Errno::Fault);
}

#[test]
fn clocks_random_sched_proc() {
    let (_t, mut g, _) = setup();
    let p = g.alloc(8);
    for id in 0..4 {
        ok(g.ctx.clock_res_get(&mut g.mem, id, p));
        assert!(g.u64(p) >= 1);
        ok(g.ctx.clock_time_get(&mut g.mem, id, 1, p));
    }
    ok(g.ctx.clock_time_get(&mut g.mem, 0, 1, p));
    assert!(g.u64(p) > 1_600_000_000_000_000_000);
    ok(g.ctx.clock_time_get(&mut g.mem, 1, 1, p));
    let t0 = g.u64(p);
    ok(g.ctx.clock_time_get(&mut g.mem, 1, 1, p));
    assert!(g.u64(p) >= t0);
    assert_eq!(g.ctx.clock_time_get(&mut g.mem, 4, 1, p), Errno::Inval);
    assert_eq!(g.ctx.clock_res_get(&mut g.mem, 9, p), Errno::Inval);
    assert_eq!(g.ctx.clock_time_get(&mut g.mem, 1, 1, -1), Errno::Fault);

    let buf = g.alloc(64);
    ok(g.ctx.random_get(&mut g.mem, buf, 64));
    let a = g.bytes(buf, 64);
    ok(g.ctx.random_get(&mut g.mem, buf, 64));
    assert_ne!(a, g.bytes(buf, 64));
    assert!(a.iter().any(|&b| b != 0));
    assert_eq!(
        g.ctx.random_get(&mut g.mem, common::MEM as i32 - 8, 9),
        Errno::Fault
    );
    ok(g.ctx.random_get(&mut g.mem, common::MEM as i32, 0));

    ok(g.ctx.sched_yield());
    assert_eq!(g.ctx.proc_exit(7), ProcExit { code: 7 });
    assert_eq!(g.ctx.proc_raise(0), Ok(Errno::Success));
    assert_eq!(g.ctx.proc_raise(16), Ok(Errno::Success)); // SIGCHLD: ignored
    assert_eq!(g.ctx.proc_raise(15), Err(ProcExit { code: 143 })); // SIGTERM
    assert_eq!(g.ctx.proc_raise(99), Ok(Errno::Inval));
}

#[test]
fn stdio_streams() {
    let (_t, mut g, out) = setup();
    assert_eq!(g.write(1, b"hello ").unwrap(), 6);
    let (t, n) = g.iovs_of(&[b"wor", b"", b"ld\n"]);
    let nw = g.alloc(4);
    ok(g.ctx.fd_write(&mut g.mem, 1, t, n, nw));
    assert_eq!(g.u32(nw), 6);
    assert_eq!(out.contents(), b"hello world\n");
    assert_eq!(g.write(2, b"discarded").unwrap(), 9);

    // Reads scatter over several buffers.
    let (t, n, bufs) = g.iovs(&[2, 10]);
    let nr = g.alloc(4);
    ok(g.ctx.fd_read(&mut g.mem, 0, t, n, nr));
    assert_eq!(g.u32(nr), 5);
    assert_eq!(g.bytes(bufs[0], 2), b"ty");
    assert_eq!(g.bytes(bufs[1], 3), b"ped");
    assert_eq!(g.read(0, 4).unwrap(), b""); // end of input

    // A stream's fdstat: no seek/tell, so isatty-like checks see a stream.
    let st = g.alloc(24);
    ok(g.ctx.fd_fdstat_get(&mut g.mem, 1, st));
    assert_eq!(g.u64(st + 8) & (rights::FD_SEEK | rights::FD_TELL), 0);
    assert_eq!(g.ctx.fd_seek(&mut g.mem, 1, 1, 0, st), Errno::Notcapable);
    let fs_ = g.alloc(64);
    ok(g.ctx.fd_filestat_get(&mut g.mem, 1, fs_));

    // iovec table or buffer out of bounds.
    assert_eq!(g.ctx.fd_write(&mut g.mem, 1, -8, 1, nw), Errno::Fault);
    let (bad, _) = g.put(&[0, 0, 0xff, 0xff, 0x10, 0, 0, 0]);
    assert_eq!(g.ctx.fd_write(&mut g.mem, 1, bad, 1, nw), Errno::Fault);
    assert_eq!(g.ctx.fd_read(&mut g.mem, 0, bad, 1, nw), Errno::Fault);
    assert_eq!(g.ctx.fd_write(&mut g.mem, 1, 0, i32::MAX, nw), Errno::Fault);
    assert_eq!(g.ctx.fd_write(&mut g.mem, 77, t, n, nw), Errno::Badf);
    assert_eq!(g.ctx.fd_write(&mut g.mem, -1, t, n, nw), Errno::Badf);
}

#[test]
fn inherited_and_file_stdio() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("out.txt");
    let f = fs::File::create(&path).unwrap();
    let mut b = WasiCtx::builder();
    b.inherit_stdio().stdout(Stdio::File(f));
    let (mut r, w) = std::io::pipe().unwrap();
    b.stdin(Stdio::from(std::os::fd::OwnedFd::from(
        w.try_clone().unwrap(),
    )));
    let mut g = Guest::new(b.build());
    drop(w);
    assert_eq!(g.write(1, b"to a file").unwrap(), 9);
    assert_eq!(fs::read(&path).unwrap(), b"to a file");
    // A file as stdout can seek.
    let p = g.alloc(8);
    ok(g.ctx.fd_tell(&mut g.mem, 1, p));
    assert_eq!(g.u64(p), 9);
    // stdin here is the write end of a pipe: writing to fd 0 goes to the pipe.
    assert_eq!(g.write(0, b"x").unwrap(), 1);
    ok(g.ctx.fd_close(0));
    let mut got = [0u8; 1];
    r.read_exact(&mut got).unwrap();
    assert_eq!(&got, b"x");
}

#[test]
fn files() {
    let (t, mut g, _) = setup();
    let fd = g
        .open(ROOT, "f.txt", oflags::CREAT | oflags::EXCL, rights::ALL)
        .unwrap();
    assert_eq!(
        g.open(ROOT, "f.txt", oflags::CREAT | oflags::EXCL, rights::ALL),
        Err(Errno::Exist)
    );
    assert_eq!(g.write(fd, b"hello, world").unwrap(), 12);
    let p = g.alloc(8);
    ok(g.ctx.fd_tell(&mut g.mem, fd, p));
    assert_eq!(g.u64(p), 12);
    ok(g.ctx.fd_seek(&mut g.mem, fd, 7, whence::SET as i32, p));
    assert_eq!(g.u64(p), 7);
    assert_eq!(g.read(fd, 100).unwrap(), b"world");
    ok(g.ctx.fd_seek(&mut g.mem, fd, -5, whence::END as i32, p));
    assert_eq!(g.u64(p), 7);
    ok(g.ctx.fd_seek(&mut g.mem, fd, -2, whence::CUR as i32, p));
    assert_eq!(g.u64(p), 5);
    assert_eq!(
        g.ctx.fd_seek(&mut g.mem, fd, -1, whence::SET as i32, p),
        Errno::Inval
    );
    assert_eq!(g.ctx.fd_seek(&mut g.mem, fd, 0, 3, p), Errno::Inval);
    assert_eq!(g.ctx.fd_seek(&mut g.mem, fd, 0, 0, -1), Errno::Fault);

    // pread/pwrite leave the offset alone.
    let (iov, n, bufs) = g.iovs(&[3, 2]);
    let nr = g.alloc(4);
    ok(g.ctx.fd_pread(&mut g.mem, fd, iov, n, 0, nr));
    assert_eq!(g.u32(nr), 5);
    assert_eq!(g.bytes(bufs[0], 3), b"hel");
    assert_eq!(g.bytes(bufs[1], 2), b"lo");
    let (iov, n) = g.iovs_of(&[b"HE", b"LLO"]);
    ok(g.ctx.fd_pwrite(&mut g.mem, fd, iov, n, 0, nr));
    assert_eq!(g.u32(nr), 5);
    assert_eq!(
        g.ctx.fd_pwrite(&mut g.mem, fd, iov, n, -1, nr),
        Errno::Inval
    );
    ok(g.ctx.fd_tell(&mut g.mem, fd, p));
    assert_eq!(g.u64(p), 5);
    assert_eq!(
        fs::read(t.path().join("root/f.txt")).unwrap(),
        b"HELLO, world"
    );

    // stat, set_size, set_times, allocate, advise, sync.
    let st = g.alloc(64);
    ok(g.ctx.fd_filestat_get(&mut g.mem, fd, st));
    assert_eq!(g.mem[st as usize + 16], filetype::REGULAR_FILE);
    assert_eq!(g.u64(st + 32), 12);
    assert_eq!(g.u64(st + 24), 1);
    ok(g.ctx.fd_filestat_set_size(fd, 5));
    assert_eq!(fs::read(t.path().join("root/f.txt")).unwrap(), b"HELLO");
    assert_eq!(g.ctx.fd_filestat_set_size(fd, -1), Errno::Inval);
    let sec = 1_000_000_000i64;
    ok(g.ctx.fd_filestat_set_times(
        fd,
        100 * sec,
        200 * sec + 5,
        (fstflags::ATIM | fstflags::MTIM) as i32,
    ));
    ok(g.ctx.fd_filestat_get(&mut g.mem, fd, st));
    assert_eq!(g.u64(st + 40), 100 * sec as u64);
    assert_eq!(g.u64(st + 48), 200 * sec as u64 + 5);
    ok(g.ctx
        .fd_filestat_set_times(fd, 0, 0, fstflags::MTIM_NOW as i32));
    ok(g.ctx.fd_filestat_get(&mut g.mem, fd, st));
    assert!(g.u64(st + 48) > 1_600_000_000 * sec as u64);
    assert_eq!(g.u64(st + 40), 100 * sec as u64);
    assert_eq!(
        g.ctx
            .fd_filestat_set_times(fd, 0, 0, (fstflags::ATIM | fstflags::ATIM_NOW) as i32),
        Errno::Inval
    );
    assert_eq!(g.ctx.fd_filestat_set_times(fd, 0, 0, 0x10), Errno::Inval);
    ok(g.ctx.fd_allocate(fd, 0, 4096));
    ok(g.ctx.fd_filestat_get(&mut g.mem, fd, st));
    assert_eq!(g.u64(st + 32), 4096);
    assert_eq!(g.ctx.fd_allocate(fd, -1, 1), Errno::Inval);
    ok(g.ctx.fd_advise(fd, 0, 0, 1));
    assert_eq!(g.ctx.fd_advise(fd, 0, 0, 6), Errno::Inval);
    ok(g.ctx.fd_sync(fd));
    ok(g.ctx.fd_datasync(fd));

    // fdstat, flags, rights.
    let fst = g.alloc(24);
    ok(g.ctx.fd_fdstat_get(&mut g.mem, fd, fst));
    assert_eq!(g.mem[fst as usize], filetype::REGULAR_FILE);
    assert_eq!(g.u16(fst + 2), 0);
    assert_eq!(g.u64(fst + 8), rights::FILE);
    ok(g.ctx.fd_fdstat_set_flags(fd, fdflags::APPEND as i32));
    ok(g.ctx.fd_fdstat_get(&mut g.mem, fd, fst));
    assert_eq!(g.u16(fst + 2), fdflags::APPEND);
    ok(g.ctx.fd_seek(&mut g.mem, fd, 0, 0, p));
    g.write(fd, b"!").unwrap();
    ok(g.ctx.fd_filestat_get(&mut g.mem, fd, st));
    assert_eq!(g.u64(st + 32), 4097);
    assert_eq!(
        g.ctx.fd_fdstat_set_flags(fd, fdflags::SYNC as i32),
        Errno::Notsup
    );
    ok(g.ctx.fd_fdstat_set_flags(fd, 0));
    ok(g.ctx
        .fd_fdstat_set_rights(fd, (rights::FD_READ | rights::FD_SEEK) as i64, 0));
    assert_eq!(g.write(fd, b"x"), Err(Errno::Notcapable));
    assert_eq!(g.ctx.fd_tell(&mut g.mem, fd, p), Errno::Notcapable);
    assert_eq!(
        g.ctx.fd_fdstat_set_rights(fd, rights::ALL as i64, 0),
        Errno::Notcapable
    );
    ok(g.ctx.fd_close(fd));
    assert_eq!(g.ctx.fd_close(fd), Errno::Badf);

    // Read-only opens cannot write; O_TRUNC truncates; O_DIRECTORY on a file is ENOTDIR.
    let ro = g
        .open(ROOT, "f.txt", 0, rights::FD_READ | rights::FD_SEEK)
        .unwrap();
    assert_eq!(g.write(ro, b"x"), Err(Errno::Notcapable));
    ok(g.ctx.fd_close(ro));
    let tr = g
        .open(ROOT, "f.txt", oflags::TRUNC, rights::FD_WRITE)
        .unwrap();
    assert_eq!(fs::metadata(t.path().join("root/f.txt")).unwrap().len(), 0);
    assert_eq!(g.read(tr, 1), Err(Errno::Notcapable));
    assert_eq!(
        g.open(ROOT, "f.txt", oflags::DIRECTORY, 0),
        Err(Errno::Notdir)
    );
    assert_eq!(g.open(ROOT, "missing", 0, 0), Err(Errno::Noent));
    assert_eq!(g.open(ROOT, "f.txt/", 0, 0), Err(Errno::Notdir));
    // Opening with APPEND.
    let ap = g
        .open_full(ROOT, true, "f.txt", 0, rights::FD_WRITE, fdflags::APPEND)
        .unwrap();
    g.write(ap, b"ab").unwrap();
    g.write(ap, b"cd").unwrap();
    assert_eq!(fs::read(t.path().join("root/f.txt")).unwrap(), b"abcd");
    // A directory can't be read or written like a file.
    assert_eq!(g.read(ROOT, 4), Err(Errno::Isdir));
    assert_eq!(g.write(ROOT, b"x"), Err(Errno::Isdir));
    assert_eq!(g.ctx.fd_seek(&mut g.mem, ROOT, 0, 0, p), Errno::Notcapable);
}

#[test]
fn directories() {
    let (t, mut g, _) = setup();
    let root = t.path().join("root");
    g.path1(WasiCtx::path_create_directory, ROOT, "d").unwrap();
    assert_eq!(
        g.path1(WasiCtx::path_create_directory, ROOT, "d"),
        Err(Errno::Exist)
    );
    g.path1(WasiCtx::path_create_directory, ROOT, "d/e/")
        .unwrap();
    assert_eq!(
        g.path1(WasiCtx::path_create_directory, ROOT, "x/y"),
        Err(Errno::Noent)
    );
    fs::write(root.join("d/file"), b"12345").unwrap();

    let st = g.stat(ROOT, false, "d/file").unwrap();
    assert_eq!(st[16], filetype::REGULAR_FILE);
    assert_eq!(u64::from_le_bytes(st[32..40].try_into().unwrap()), 5);
    assert_eq!(g.stat(ROOT, false, "d").unwrap()[16], filetype::DIRECTORY);
    assert_eq!(g.stat(ROOT, false, "d/file/"), Err(Errno::Notdir));
    assert_eq!(g.stat(ROOT, false, "nope"), Err(Errno::Noent));

    // readdir lists ., .., and the entries with their types.
    let d = g.open(ROOT, "d", oflags::DIRECTORY, rights::ALL).unwrap();
    let mut names = g.readdir(d).unwrap();
    names.sort();
    assert_eq!(
        names,
        vec![
            (".".into(), filetype::DIRECTORY),
            ("..".into(), filetype::DIRECTORY),
            ("e".into(), filetype::DIRECTORY),
            ("file".into(), filetype::REGULAR_FILE)
        ]
    );
    // Many entries, read in several calls through cookies; a tiny buffer is filled completely.
    for i in 0..300 {
        fs::write(root.join(format!("d/e/entry-with-a-long-name-{i:03}")), b"").unwrap();
    }
    let e = g.open(d, "e", oflags::DIRECTORY, rights::ALL).unwrap();
    assert_eq!(g.readdir(e).unwrap().len(), 302);
    let (buf, used) = (g.alloc(10), g.alloc(4));
    ok(g.ctx.fd_readdir(&mut g.mem, e, buf, 10, 0, used));
    assert_eq!(g.u32(used), 10);
    ok(g.ctx.fd_readdir(&mut g.mem, e, buf, 10, 1000, used));
    assert_eq!(g.u32(used), 0);
    assert_eq!(
        g.ctx
            .fd_readdir(&mut g.mem, e, common::MEM as i32 - 4, 10, 0, used),
        Errno::Fault
    );
    assert_eq!(
        g.ctx.fd_readdir(&mut g.mem, 0, buf, 10, 0, used),
        Errno::Notcapable
    );

    // path_filestat_set_times.
    let (p, l) = g.put(b"d/file");
    ok(g.ctx.path_filestat_set_times(
        &mut g.mem,
        ROOT,
        0,
        p,
        l,
        5_000_000_000,
        7_000_000_000,
        (fstflags::ATIM | fstflags::MTIM) as i32,
    ));
    let st = g.stat(ROOT, false, "d/file").unwrap();
    assert_eq!(
        u64::from_le_bytes(st[48..56].try_into().unwrap()),
        7_000_000_000
    );

    // rename, link, unlink.
    g.rename(ROOT, "d/file", ROOT, "d/moved").unwrap();
    assert!(root.join("d/moved").exists() && !root.join("d/file").exists());
    g.rename(d, "moved", ROOT, "top").unwrap();
    assert!(root.join("top").exists());
    assert_eq!(g.rename(ROOT, "nope", ROOT, "x"), Err(Errno::Noent));
    g.link(ROOT, false, "top", d, "hard").unwrap();
    let st = g.stat(ROOT, false, "top").unwrap();
    assert_eq!(u64::from_le_bytes(st[24..32].try_into().unwrap()), 2);
    assert_eq!(g.link(ROOT, false, "d", ROOT, "dlink"), Err(Errno::Perm));
    assert_eq!(
        g.link(ROOT, false, "top", ROOT, "d/hard"),
        Err(Errno::Exist)
    );
    g.path1(WasiCtx::path_unlink_file, ROOT, "d/hard").unwrap();
    assert_eq!(
        g.path1(WasiCtx::path_unlink_file, ROOT, "d/hard"),
        Err(Errno::Noent)
    );
    assert_eq!(
        g.path1(WasiCtx::path_unlink_file, ROOT, "d"),
        Err(Errno::Isdir)
    );

    // symlinks: create, read, follow (within the sandbox), stat without following.
    g.symlink("d/e", ROOT, "sl").unwrap();
    assert_eq!(g.readlink(ROOT, "sl", 64).unwrap(), b"d/e");
    assert_eq!(g.readlink(ROOT, "sl", 2).unwrap(), b"d/"); // cut at the buffer
    assert_eq!(g.readlink(ROOT, "top", 64), Err(Errno::Inval));
    assert_eq!(
        g.stat(ROOT, false, "sl").unwrap()[16],
        filetype::SYMBOLIC_LINK
    );
    assert_eq!(g.stat(ROOT, true, "sl").unwrap()[16], filetype::DIRECTORY);
    assert_eq!(
        g.stat(ROOT, false, "sl/entry-with-a-long-name-000")
            .unwrap()[16],
        filetype::REGULAR_FILE
    );
    assert_eq!(g.open(ROOT, "sl", 0, 0).map(|_| ()), Ok(()));
    assert_eq!(g.open_full(ROOT, false, "sl", 0, 0, 0), Err(Errno::Loop));
    g.symlink("../top", d, "up").unwrap();
    assert_eq!(
        g.stat(ROOT, true, "d/up").unwrap()[16],
        filetype::REGULAR_FILE
    );
    g.symlink("loop2", ROOT, "loop1").unwrap();
    g.symlink("loop1", ROOT, "loop2").unwrap();
    assert_eq!(g.stat(ROOT, true, "loop1"), Err(Errno::Loop));
    assert_eq!(g.symlink("x", ROOT, "sl"), Err(Errno::Exist));
    g.path1(WasiCtx::path_unlink_file, ROOT, "sl").unwrap();
    assert!(root.join("d/e").is_dir());

    // remove_directory.
    assert_eq!(
        g.path1(WasiCtx::path_remove_directory, ROOT, "d/e"),
        Err(Errno::Notempty)
    );
    assert_eq!(
        g.path1(WasiCtx::path_remove_directory, ROOT, "top"),
        Err(Errno::Notdir)
    );
    g.path1(WasiCtx::path_create_directory, ROOT, "empty")
        .unwrap();
    g.path1(WasiCtx::path_remove_directory, ROOT, "empty/")
        .unwrap();
    assert!(!root.join("empty").exists());

    // Bad path pointers and NUL in paths.
    assert_eq!(
        g.ctx.path_create_directory(&mut g.mem, ROOT, -1, 4),
        Errno::Fault
    );
    assert_eq!(
        g.path1(WasiCtx::path_create_directory, ROOT, "a\0b"),
        Err(Errno::Inval)
    );
    assert_eq!(
        g.path1(WasiCtx::path_create_directory, ROOT, ""),
        Err(Errno::Noent)
    );
    // A path_* call on a file descriptor.
    let f = g.open(ROOT, "top", 0, rights::ALL).unwrap();
    assert_eq!(
        g.path1(WasiCtx::path_create_directory, f, "x"),
        Err(Errno::Notcapable)
    );
}

#[test]
fn fd_table_ops() {
    let (_t, mut g, _) = setup();
    // prestat for the preopens, EBADF for anything else.
    let p = g.alloc(8);
    ok(g.ctx.fd_prestat_get(&mut g.mem, ROOT, p));
    assert_eq!((g.mem[p as usize], g.u32(p + 4)), (0, 1));
    ok(g.ctx.fd_prestat_get(&mut g.mem, RO, p));
    assert_eq!(g.u32(p + 4), 3);
    let name = g.alloc(3);
    ok(g.ctx.fd_prestat_dir_name(&mut g.mem, RO, name, 3));
    assert_eq!(g.bytes(name, 3), b"/ro");
    assert_eq!(
        g.ctx.fd_prestat_dir_name(&mut g.mem, RO, name, 2),
        Errno::Nametoolong
    );
    assert_eq!(g.ctx.fd_prestat_get(&mut g.mem, 5, p), Errno::Badf);
    assert_eq!(g.ctx.fd_prestat_get(&mut g.mem, 1, p), Errno::Badf);
    assert_eq!(g.ctx.fd_prestat_get(&mut g.mem, ROOT, -1), Errno::Fault);

    // renumber: moves, closes the target; both must be open.
    let a = g.open(ROOT, "a", oflags::CREAT, rights::ALL).unwrap();
    let b = g.open(ROOT, "b", oflags::CREAT, rights::ALL).unwrap();
    assert_eq!((a, b), (5, 6));
    g.write(a, b"from a").unwrap();
    ok(g.ctx.fd_renumber(a, b));
    assert_eq!(g.write(a, b"x"), Err(Errno::Badf));
    ok(g.ctx.fd_seek(&mut g.mem, b, 0, 0, p));
    assert_eq!(g.read(b, 10).unwrap(), b"from a");
    assert_eq!(g.ctx.fd_renumber(b, 9), Errno::Badf);
    assert_eq!(g.ctx.fd_renumber(9, b), Errno::Badf);
    ok(g.ctx.fd_renumber(b, b));
    // The lowest free number is reused.
    assert_eq!(g.open(ROOT, "a", 0, rights::ALL).unwrap(), 5);

    // fdstat of a directory: rights and inheriting rights; read-only preopen lacks mutating ones.
    let st = g.alloc(24);
    ok(g.ctx.fd_fdstat_get(&mut g.mem, ROOT, st));
    assert_eq!(g.mem[st as usize], filetype::DIRECTORY);
    assert_eq!(g.u64(st + 8), rights::DIR);
    ok(g.ctx.fd_fdstat_get(&mut g.mem, RO, st));
    assert_eq!(g.u64(st + 8) & rights::MUTATING, 0);
    assert_eq!(g.u64(st + 16) & rights::FD_WRITE, 0);
    assert_eq!(g.ctx.fd_fdstat_get(&mut g.mem, 42, st), Errno::Badf);
    ok(g.ctx.fd_close(ROOT));
    assert_eq!(g.ctx.fd_prestat_get(&mut g.mem, ROOT, p), Errno::Badf);
}

#[test]
fn poll_oneoff() {
    let (_t, mut g, _) = setup();
    // A relative clock.
    let sub = |g: &mut Guest, subs: &[(u64, u8, u32, u64, u16)]| -> i32 {
        let p = g.alloc(48 * subs.len() as u32);
        for (i, &(ud, tag, fd_or_id, timeout, flags)) in subs.iter().enumerate() {
            let b = p as usize + 48 * i;
            g.mem[b..b + 48].fill(0);
            g.mem[b..b + 8].copy_from_slice(&ud.to_le_bytes());
            g.mem[b + 8] = tag;
            g.mem[b + 16..b + 20].copy_from_slice(&fd_or_id.to_le_bytes());
            g.mem[b + 24..b + 32].copy_from_slice(&timeout.to_le_bytes());
            g.mem[b + 40..b + 42].copy_from_slice(&flags.to_le_bytes());
        }
        p
    };
    let out = g.alloc(32 * 4);
    let n = g.alloc(4);
    let s = sub(&mut g, &[(11, eventtype::CLOCK, 1, 20_000_000, 0)]);
    let t0 = std::time::Instant::now();
    ok(g.ctx.poll_oneoff(&mut g.mem, s, out, 1, n));
    assert!(t0.elapsed() >= std::time::Duration::from_millis(20));
    assert_eq!(g.u32(n), 1);
    assert_eq!(
        (g.u64(out), g.u16(out + 8), g.mem[out as usize + 10]),
        (11, 0, eventtype::CLOCK)
    );

    // An absolute realtime clock in the past fires at once.
    let s = sub(&mut g, &[(12, eventtype::CLOCK, 0, 1, 1)]);
    ok(g.ctx.poll_oneoff(&mut g.mem, s, out, 1, n));
    assert_eq!((g.u32(n), g.u64(out)), (1, 12));

    // In-memory stdin is ready with its bytes; a bad fd reports EBADF; the long clock doesn't fire.
    let s = sub(
        &mut g,
        &[
            (1, eventtype::CLOCK, 1, 10_000_000_000, 0),
            (2, eventtype::FD_READ, 0, 0, 0),
            (3, eventtype::FD_WRITE, 99, 0, 0),
        ],
    );
    let t0 = std::time::Instant::now();
    ok(g.ctx.poll_oneoff(&mut g.mem, s, out, 3, n));
    assert!(t0.elapsed() < std::time::Duration::from_secs(5));
    assert_eq!(g.u32(n), 2);
    let evs: Vec<(u64, u16, u8, u64)> = (0..2)
        .map(|i| {
            let e = out + 32 * i;
            (
                g.u64(e),
                g.u16(e + 8),
                g.mem[e as usize + 10],
                g.u64(e + 16),
            )
        })
        .collect();
    assert!(evs.contains(&(2, 0, eventtype::FD_READ, 5)));
    assert!(evs.contains(&(3, Errno::Badf as u16, eventtype::FD_WRITE, 0)));

    // A pipe: not readable until written to; then readable with its byte count.
    let (r, mut w) = std::io::pipe().unwrap();
    let mut b = WasiCtx::builder();
    b.stdin(Stdio::from(std::os::fd::OwnedFd::from(r)));
    let mut g2 = Guest::new(b.build());
    let out = g2.alloc(64);
    let n = g2.alloc(4);
    let s = sub(
        &mut g2,
        &[
            (1, eventtype::FD_READ, 0, 0, 0),
            (2, eventtype::CLOCK, 1, 10_000_000, 0),
        ],
    );
    ok(g2.ctx.poll_oneoff(&mut g2.mem, s, out, 2, n));
    assert_eq!((g2.u32(n), g2.u64(out)), (1, 2));
    w.write_all(b"abc").unwrap();
    ok(g2.ctx.poll_oneoff(&mut g2.mem, s, out, 2, n));
    assert_eq!((g2.u32(n), g2.u64(out), g2.u64(out + 16)), (1, 1, 3));
    drop(w);
    assert_eq!(g2.read(0, 10).unwrap(), b"abc");
    ok(g2.ctx.poll_oneoff(&mut g2.mem, s, out, 2, n));
    assert_eq!((g2.u32(n), g2.u64(out), g2.u16(out + 24)), (1, 1, 1)); // hang-up

    // Errors of the call itself.
    assert_eq!(g.ctx.poll_oneoff(&mut g.mem, s, out, 0, n), Errno::Inval);
    assert_eq!(g.ctx.poll_oneoff(&mut g.mem, -1, out, 1, n), Errno::Fault);
    assert_eq!(
        g.ctx
            .poll_oneoff(&mut g.mem, s, common::MEM as i32 - 16, 1, n),
        Errno::Fault
    );
    let bad = sub(&mut g, &[(1, 9, 0, 0, 0)]);
    assert_eq!(g.ctx.poll_oneoff(&mut g.mem, bad, out, 1, n), Errno::Inval);
    let bad_clock = sub(&mut g, &[(1, eventtype::CLOCK, 17, 0, 0)]);
    ok(g.ctx.poll_oneoff(&mut g.mem, bad_clock, out, 1, n));
    assert_eq!((g.u32(n), g.u16(out + 8)), (1, Errno::Inval as u16));
}

#[test]
fn sockets() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let mut b = WasiCtx::builder();
    b.preopened_socket(listener);
    let mut g = Guest::new(b.build());
    const L: i32 = 3;
    let client = std::thread::spawn(move || {
        let mut s = std::net::TcpStream::connect(addr).unwrap();
        s.write_all(b"ping").unwrap();
        let mut buf = [0u8; 4];
        s.read_exact(&mut buf).unwrap();
        assert_eq!(&buf, b"pong");
        let mut rest = Vec::new();
        s.read_to_end(&mut rest).unwrap(); // ends when the guest shuts down writing
        assert!(rest.is_empty());
    });
    let p = g.alloc(4);
    assert_eq!(g.ctx.sock_accept(&mut g.mem, L, 0x40, p), Errno::Inval);
    ok(g.ctx.sock_accept(&mut g.mem, L, 0, p));
    let c = g.u32(p) as i32;
    assert_eq!(c, 4);
    let st = g.alloc(24);
    ok(g.ctx.fd_fdstat_get(&mut g.mem, c, st));
    assert_eq!(g.mem[st as usize], filetype::SOCKET_STREAM);

    let (iov, n, bufs) = g.iovs(&[2, 2]);
    let (len, flags) = (g.alloc(4), g.alloc(2));
    // Peek leaves the data; WAITALL gets all four bytes.
    ok(g.ctx.sock_recv(&mut g.mem, c, iov, n, 1 | 2, len, flags));
    assert_eq!(g.u32(len), 4);
    ok(g.ctx.sock_recv(&mut g.mem, c, iov, n, 2, len, flags));
    assert_eq!((g.u32(len), g.u16(flags)), (4, 0));
    assert_eq!([g.bytes(bufs[0], 2), g.bytes(bufs[1], 2)].concat(), b"ping");
    assert_eq!(
        g.ctx.sock_recv(&mut g.mem, c, iov, n, 8, len, flags),
        Errno::Inval
    );
    let (iov, n) = g.iovs_of(&[b"po", b"ng"]);
    ok(g.ctx.sock_send(&mut g.mem, c, iov, n, 0, len));
    assert_eq!(g.u32(len), 4);
    assert_eq!(g.ctx.sock_shutdown(c, 0), Errno::Inval);
    ok(g.ctx.sock_shutdown(c, 2));
    client.join().unwrap();

    // sock_* on things that are not sockets, or not connected.
    assert_eq!(g.ctx.sock_shutdown(1, 3), Errno::Notsock);
    assert_eq!(
        g.ctx.sock_send(&mut g.mem, 1, iov, n, 0, len),
        Errno::Notsock
    );
    assert_eq!(
        g.ctx.sock_recv(&mut g.mem, L, iov, n, 0, len, flags),
        Errno::Notcapable
    );
    assert_eq!(g.ctx.sock_accept(&mut g.mem, c, 0, p), Errno::Notcapable);
    assert_eq!(g.ctx.sock_accept(&mut g.mem, 1, 0, p), Errno::Notsock);
    // A non-blocking accept with nobody connecting.
    ok(g.ctx.fd_fdstat_set_flags(L, fdflags::NONBLOCK as i32));
    assert_eq!(g.ctx.sock_accept(&mut g.mem, L, 0, p), Errno::Again);
    // fd_read/fd_write work on a connected socket too.
    assert_eq!(g.write(c, b"x"), Err(Errno::Pipe));
    assert_eq!(res(g.ctx.fd_close(c)), Ok(()));
}

/// A guest (Go's runtime, say) that makes the host's standard input non-blocking leaves it as
/// it found it once its context is dropped.
#[test]
fn host_stdio_flags_are_restored_on_drop() {
    let nonblocking = || {
        let mut b = WasiCtx::builder();
        b.stdin(Stdio::Inherit);
        let mut g = Guest::new(b.build());
        let p = g.alloc(24);
        ok(g.ctx.fd_fdstat_get(&mut g.mem, 0, p));
        g.u16(p + 2) & fdflags::NONBLOCK != 0
    };
    let before = nonblocking();
    let mut b = WasiCtx::builder();
    b.stdin(Stdio::Inherit);
    let mut g = Guest::new(b.build());
    let flip = if before { 0 } else { fdflags::NONBLOCK };
    ok(g.ctx.fd_fdstat_set_flags(0, i32::from(flip)));
    assert_ne!(nonblocking(), before, "the guest changed the host's flags");
    drop(g);
    assert_eq!(nonblocking(), before, "dropping the context restored them");
}
