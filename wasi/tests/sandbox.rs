//! Every escape attempt from the preopened directories, refused.
#![allow(missing_docs)]

mod common;

use std::fs;
use std::os::unix::fs::symlink;

use common::{res, Guest};
use strata_wasi::types::{oflags, rights};
use strata_wasi::{DirPerms, Errno, WasiCtx};

const ROOT: i32 = 3;
const RO: i32 = 4;
const OTHER: i32 = 5;

/// tmp/{root (rw, "."), ro (read-only, "/ro"), other (rw, "/other"), secret.txt (outside)}.
fn setup() -> (tempfile::TempDir, Guest) {
    let tmp = tempfile::tempdir().unwrap();
    let p = tmp.path();
    for d in ["root", "root/sub", "ro", "other"] {
        fs::create_dir(p.join(d)).unwrap();
    }
    fs::write(p.join("secret.txt"), b"secret").unwrap();
    fs::write(p.join("root/inside.txt"), b"inside").unwrap();
    fs::write(p.join("ro/data.txt"), b"data").unwrap();
    // Links planted by someone else, pointing out.
    symlink(p.join("secret.txt"), p.join("root/abs-link")).unwrap();
    symlink("../secret.txt", p.join("root/rel-link")).unwrap();
    symlink("../../secret.txt", p.join("root/sub/deep-link")).unwrap();
    symlink("..", p.join("root/parent-link")).unwrap();
    symlink("/", p.join("root/slash-link")).unwrap();
    symlink("sub/../..", p.join("root/sneaky-link")).unwrap();
    let mut b = WasiCtx::builder();
    b.preopened_dir(p.join("root"), ".", DirPerms::ReadWrite)
        .unwrap();
    b.preopened_dir(p.join("ro"), "/ro", DirPerms::ReadOnly)
        .unwrap();
    b.preopened_dir(p.join("other"), "/other", DirPerms::ReadWrite)
        .unwrap();
    (tmp, Guest::new(b.build()))
}

#[test]
fn dotdot_and_absolute_paths() {
    let (_t, mut g) = setup();
    for path in [
        "..",
        "../secret.txt",
        "sub/../../secret.txt",
        "sub/../sub/../../secret.txt",
        "./../root/inside.txt",
        "/etc/passwd",
        "/",
        "sub/../..",
    ] {
        assert_eq!(
            g.open(ROOT, path, 0, rights::FD_READ),
            Err(Errno::Notcapable),
            "{path}"
        );
        assert_eq!(g.stat(ROOT, true, path), Err(Errno::Notcapable), "{path}");
    }
    // `..` within the tree is fine.
    assert!(g
        .open(ROOT, "sub/../inside.txt", 0, rights::FD_READ)
        .is_ok());
    assert!(g.open(ROOT, "sub/..", oflags::DIRECTORY, 0).is_ok());
    // A directory opened below the preopen cannot climb out either.
    let sub = g.open(ROOT, "sub", oflags::DIRECTORY, rights::ALL).unwrap();
    assert_eq!(
        g.open(sub, "../inside.txt", 0, rights::FD_READ),
        Err(Errno::Notcapable)
    );
    assert_eq!(
        g.open(sub, "..", oflags::DIRECTORY, 0),
        Err(Errno::Notcapable)
    );
    // Every path_* function refuses.
    let f = [
        WasiCtx::path_create_directory,
        WasiCtx::path_remove_directory,
        WasiCtx::path_unlink_file,
    ];
    for func in f {
        assert_eq!(g.path1(func, ROOT, "../x"), Err(Errno::Notcapable));
        assert_eq!(g.path1(func, ROOT, "/tmp/x"), Err(Errno::Notcapable));
    }
    assert_eq!(g.readlink(ROOT, "../x", 10), Err(Errno::Notcapable));
    assert_eq!(g.symlink("x", ROOT, "../x"), Err(Errno::Notcapable));
    let (p, l) = g.put(b"../secret.txt");
    assert_eq!(
        res(g
            .ctx
            .path_filestat_set_times(&mut g.mem, ROOT, 0, p, l, 0, 0, 0)),
        Err(Errno::Notcapable)
    );
}

#[test]
fn symlinks_pointing_outside() {
    let (t, mut g) = setup();
    for link in [
        "abs-link",
        "rel-link",
        "sub/deep-link",
        "parent-link/secret.txt",
        "slash-link/etc",
        "sneaky-link/secret.txt",
    ] {
        assert_eq!(
            g.open(ROOT, link, 0, rights::FD_READ),
            Err(Errno::Notcapable),
            "{link}"
        );
        assert_eq!(g.stat(ROOT, true, link), Err(Errno::Notcapable), "{link}");
        assert_eq!(
            g.link(ROOT, true, link, ROOT, "hard"),
            Err(Errno::Notcapable),
            "{link}"
        );
    }
    // Through a symlinked directory as an intermediate component.
    assert_eq!(
        g.open(ROOT, "parent-link/root/inside.txt", 0, rights::FD_READ),
        Err(Errno::Notcapable)
    );
    assert_eq!(
        g.path1(WasiCtx::path_create_directory, ROOT, "parent-link/x"),
        Err(Errno::Notcapable)
    );
    assert_eq!(
        g.path1(WasiCtx::path_unlink_file, ROOT, "parent-link/secret.txt"),
        Err(Errno::Notcapable)
    );
    // Without following, the link itself is what is opened or stat'ed: ELOOP to open, fine to stat.
    assert_eq!(
        g.open_full(ROOT, false, "abs-link", 0, rights::FD_READ, 0),
        Err(Errno::Loop)
    );
    assert_eq!(
        g.stat(ROOT, false, "abs-link").unwrap()[16],
        strata_wasi::types::filetype::SYMBOLIC_LINK
    );
    // O_CREAT through an outside link doesn't create anything outside.
    symlink("../created-outside", t.path().join("root/dangling")).unwrap();
    assert_eq!(
        g.open(ROOT, "dangling", oflags::CREAT, rights::FD_WRITE),
        Err(Errno::Notcapable)
    );
    assert!(!t.path().join("created-outside").exists());
    // A guest cannot create an absolute symlink; a relative one pointing out is data, never followed.
    assert_eq!(g.symlink("/etc/passwd", ROOT, "mine"), Err(Errno::Perm));
    g.symlink("../../..", ROOT, "mine").unwrap();
    assert_eq!(
        g.open(ROOT, "mine/etc/passwd", 0, rights::FD_READ),
        Err(Errno::Notcapable)
    );
    assert_eq!(g.stat(ROOT, true, "mine"), Err(Errno::Notcapable));
    // Removing the link removes the link, not its target.
    g.path1(WasiCtx::path_unlink_file, ROOT, "rel-link")
        .unwrap();
    assert!(t.path().join("secret.txt").exists());
    // A symlink loop is ELOOP, within the limit.
    g.symlink("a", ROOT, "b").unwrap();
    g.symlink("b", ROOT, "a").unwrap();
    assert_eq!(g.open(ROOT, "a", 0, rights::FD_READ), Err(Errno::Loop));
    assert_eq!(g.open(ROOT, "a/x", 0, rights::FD_READ), Err(Errno::Loop));
    // Trailing slash makes the kernel follow a final link: we resolve it ourselves first.
    assert_eq!(
        g.open_full(ROOT, false, "parent-link/", 0, 0, 0),
        Err(Errno::Notcapable)
    );
    assert_eq!(g.stat(ROOT, false, "parent-link/"), Err(Errno::Notcapable));
}

#[test]
fn hard_links_and_renames() {
    let (t, mut g) = setup();
    // Across preopens: EXDEV, whether rename or link.
    assert_eq!(
        g.rename(ROOT, "inside.txt", OTHER, "moved"),
        Err(Errno::Xdev)
    );
    assert_eq!(
        g.link(ROOT, false, "inside.txt", OTHER, "linked"),
        Err(Errno::Xdev)
    );
    let sub = g.open(ROOT, "sub", oflags::DIRECTORY, rights::ALL).unwrap();
    assert_eq!(
        g.rename(sub, "../inside.txt", ROOT, "x"),
        Err(Errno::Notcapable)
    );
    assert_eq!(
        g.rename(ROOT, "inside.txt", ROOT, "../stolen"),
        Err(Errno::Notcapable)
    );
    assert_eq!(
        g.link(ROOT, false, "inside.txt", ROOT, "../stolen"),
        Err(Errno::Notcapable)
    );
    assert_eq!(
        g.link(ROOT, false, "../secret.txt", ROOT, "got"),
        Err(Errno::Notcapable)
    );
    assert!(!t.path().join("stolen").exists());
    // Within one preopen, and between a preopen and a directory opened from it: allowed.
    g.rename(ROOT, "inside.txt", sub, "moved.txt").unwrap();
    g.link(sub, false, "moved.txt", ROOT, "again.txt").unwrap();
    assert_eq!(
        fs::read(t.path().join("root/again.txt")).unwrap(),
        b"inside"
    );
    // Hard-linking the link itself (no follow) is allowed and still cannot be followed out.
    g.link(ROOT, false, "abs-link", ROOT, "abs-link2").unwrap();
    assert_eq!(
        g.open(ROOT, "abs-link2", 0, rights::FD_READ),
        Err(Errno::Notcapable)
    );
}

#[test]
fn read_only_preopen() {
    let (t, mut g) = setup();
    let fd = g.open(RO, "data.txt", 0, rights::FD_READ).unwrap();
    assert_eq!(g.read(fd, 10).unwrap(), b"data");
    assert_eq!(g.write(fd, b"x"), Err(Errno::Notcapable));
    // Asking for write is refused at open; so is creating or truncating.
    assert_eq!(
        g.open(RO, "data.txt", 0, rights::FD_WRITE),
        Err(Errno::Notcapable)
    );
    assert_eq!(
        g.open(RO, "new.txt", oflags::CREAT, rights::FD_READ),
        Err(Errno::Notcapable)
    );
    assert_eq!(
        g.open(RO, "data.txt", oflags::TRUNC, rights::FD_READ),
        Err(Errno::Notcapable)
    );
    // wasi-libc masks the rights it asks for with the directory's inheriting rights, so an
    // O_WRONLY open gets a descriptor without FD_WRITE: writing through it is refused.
    let w = g
        .open(RO, "data.txt", 0, rights::FD_READ & !rights::FD_READ)
        .unwrap();
    assert_eq!(g.write(w, b"x"), Err(Errno::Notcapable));
    assert_eq!(g.ctx.fd_filestat_set_size(fd, 0), Errno::Notcapable);
    assert_eq!(g.ctx.fd_allocate(fd, 0, 10), Errno::Notcapable);
    for func in [
        WasiCtx::path_create_directory,
        WasiCtx::path_remove_directory,
        WasiCtx::path_unlink_file,
    ] {
        assert_eq!(g.path1(func, RO, "data.txt"), Err(Errno::Notcapable));
    }
    assert_eq!(g.symlink("data.txt", RO, "l"), Err(Errno::Notcapable));
    assert_eq!(g.rename(RO, "data.txt", RO, "x"), Err(Errno::Notcapable));
    assert_eq!(
        g.link(RO, false, "data.txt", RO, "x"),
        Err(Errno::Notcapable)
    );
    let (p, l) = g.put(b"data.txt");
    assert_eq!(
        res(g
            .ctx
            .path_filestat_set_times(&mut g.mem, RO, 0, p, l, 0, 0, 2)),
        Err(Errno::Notcapable)
    );
    // Directories opened beneath a read-only preopen are read-only too.
    let d = g.open(RO, ".", oflags::DIRECTORY, rights::ALL).unwrap();
    assert_eq!(
        g.path1(WasiCtx::path_unlink_file, d, "data.txt"),
        Err(Errno::Notcapable)
    );
    assert_eq!(
        g.open(d, "data.txt", 0, rights::FD_WRITE),
        Err(Errno::Notcapable)
    );
    assert_eq!(fs::read(t.path().join("ro/data.txt")).unwrap(), b"data");
    // Rights cannot be regained.
    assert_eq!(
        res(g
            .ctx
            .fd_fdstat_set_rights(RO, rights::ALL as i64, rights::ALL as i64)),
        Err(Errno::Notcapable)
    );
}

#[test]
fn check_then_use_races() {
    // A directory swapped for a symlink pointing out, mid-way: the walk holds descriptors, so an
    // earlier check cannot be reused against the new link. Simulate the swap between two calls.
    let (t, mut g) = setup();
    let sub = g.open(ROOT, "sub", oflags::DIRECTORY, rights::ALL).unwrap();
    fs::rename(t.path().join("root/sub"), t.path().join("root/sub-moved")).unwrap();
    symlink(t.path(), t.path().join("root/sub")).unwrap();
    // Through the path: the new link is checked and refused.
    assert_eq!(
        g.open(ROOT, "sub/secret.txt", 0, rights::FD_READ),
        Err(Errno::Notcapable)
    );
    // Through the held descriptor: still the real directory (now sub-moved), not the link.
    fs::write(t.path().join("root/sub-moved/f"), b"ok").unwrap();
    let f = g.open(sub, "f", 0, rights::FD_READ).unwrap();
    assert_eq!(g.read(f, 10).unwrap(), b"ok");
    // A directory moved out of the sandbox by the host can still be used through a held
    // descriptor, but `..` from it goes to the stack of descriptors, never the host's parent.
    assert_eq!(
        g.open(sub, "../secret.txt", 0, rights::FD_READ),
        Err(Errno::Notcapable)
    );
}
