//! Thin wrappers over the `*at` family of libc calls, and the sandboxed path resolution built on
//! them.
//!
//! # Resolution
//!
//! A guest path is resolved relative to a directory descriptor, one component at a time: each
//! intermediate directory is opened with `O_PATH | O_DIRECTORY | O_NOFOLLOW` relative to the one
//! before, and kept open, so what was checked is what is used (a concurrent rename or a symlink
//! swapped in meanwhile cannot redirect the walk). `..` pops the stack of descriptors walked so far,
//! and popping past the starting directory is an escape (`ENOTCAPABLE`). Symbolic links are read
//! with `readlinkat` and their targets spliced into the components still to walk, up to
//! [`MAX_SYMLINKS`] of them (`ELOOP`); an absolute target is an escape. The final component is
//! handed to the operation's own `*at` call with no following (`O_NOFOLLOW`,
//! `AT_SYMLINK_NOFOLLOW`), so the kernel never follows a link we did not check.
//!
//! Absolute guest paths are refused (`ENOTCAPABLE`): a guest names files only through the
//! descriptors it was given.

use std::collections::VecDeque;
use std::ffi::{CStr, CString};
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, FromRawFd, OwnedFd};

use crate::errno::{Errno, Result};

/// How many symbolic links one resolution may follow (Linux's `MAXSYMLINKS`).
pub const MAX_SYMLINKS: usize = 40;

/// Retries a libc call interrupted by a signal; maps `-1` to the host's errno.
fn retry<T: PartialOrd + Default>(mut f: impl FnMut() -> T) -> Result<T> {
    loop {
        let r = f();
        if r >= T::default() {
            return Ok(r);
        }
        let e = Errno::last();
        if e != Errno::Intr {
            return Err(e);
        }
    }
}

/// A path component or path as a C string (guest paths were checked to hold no NUL).
pub fn cstring(bytes: &[u8]) -> Result<CString> {
    CString::new(bytes).map_err(|_| Errno::Inval)
}

/// `openat(2)`; `O_CLOEXEC` is always added.
pub fn openat(dir: BorrowedFd<'_>, name: &CStr, flags: i32, mode: u32) -> Result<OwnedFd> {
    let fd = retry(|| {
        // SAFETY: `name` is NUL-terminated and lives across the call; `dir` is an open descriptor.
        unsafe {
            libc::openat(
                dir.as_raw_fd(),
                name.as_ptr(),
                flags | libc::O_CLOEXEC,
                mode,
            )
        }
    })?;
    // SAFETY: `openat` succeeded, so `fd` is a fresh descriptor that nothing else owns.
    Ok(unsafe { OwnedFd::from_raw_fd(fd) })
}

/// `readlinkat(2)`: the link's target, whatever its length.
pub fn readlinkat(dir: BorrowedFd<'_>, name: &CStr) -> Result<Vec<u8>> {
    let mut buf = vec![0u8; 256];
    loop {
        let n = retry(|| {
            // SAFETY: `buf` is writable for `buf.len()` bytes; `name` is NUL-terminated.
            unsafe {
                libc::readlinkat(
                    dir.as_raw_fd(),
                    name.as_ptr(),
                    buf.as_mut_ptr().cast(),
                    buf.len(),
                )
            }
        })? as usize;
        if n < buf.len() {
            buf.truncate(n);
            return Ok(buf);
        }
        if buf.len() >= 1 << 16 {
            return Err(Errno::Nametoolong);
        }
        buf.resize(buf.len() * 4, 0);
    }
}

/// `fstatat(2)`.
pub fn fstatat(dir: BorrowedFd<'_>, name: &CStr, flags: i32) -> Result<libc::stat> {
    // SAFETY: `stat` is plain old data, for which all zeroes is a valid value.
    let mut st: libc::stat = unsafe { std::mem::zeroed() };
    retry(|| {
        // SAFETY: `st` is a valid out-pointer; `name` is NUL-terminated.
        unsafe { libc::fstatat(dir.as_raw_fd(), name.as_ptr(), &mut st, flags) }
    })?;
    Ok(st)
}

/// `fstat(2)`.
pub fn fstat(fd: BorrowedFd<'_>) -> Result<libc::stat> {
    fstatat(fd, c"", libc::AT_EMPTY_PATH)
}

/// `mkdirat(2)`.
pub fn mkdirat(dir: BorrowedFd<'_>, name: &CStr, mode: u32) -> Result<()> {
    // SAFETY: `name` is NUL-terminated; `dir` is open.
    retry(|| unsafe { libc::mkdirat(dir.as_raw_fd(), name.as_ptr(), mode) }).map(drop)
}

/// `unlinkat(2)`.
pub fn unlinkat(dir: BorrowedFd<'_>, name: &CStr, flags: i32) -> Result<()> {
    // SAFETY: `name` is NUL-terminated; `dir` is open.
    retry(|| unsafe { libc::unlinkat(dir.as_raw_fd(), name.as_ptr(), flags) }).map(drop)
}

/// `renameat(2)`.
pub fn renameat(
    old_dir: BorrowedFd<'_>,
    old: &CStr,
    new_dir: BorrowedFd<'_>,
    new: &CStr,
) -> Result<()> {
    retry(|| {
        // SAFETY: both names are NUL-terminated; both descriptors are open.
        unsafe {
            libc::renameat(
                old_dir.as_raw_fd(),
                old.as_ptr(),
                new_dir.as_raw_fd(),
                new.as_ptr(),
            )
        }
    })
    .map(drop)
}

/// `linkat(2)` without `AT_SYMLINK_FOLLOW` (the caller resolved any link itself).
pub fn linkat(
    old_dir: BorrowedFd<'_>,
    old: &CStr,
    new_dir: BorrowedFd<'_>,
    new: &CStr,
) -> Result<()> {
    retry(|| {
        // SAFETY: both names are NUL-terminated; both descriptors are open.
        unsafe {
            libc::linkat(
                old_dir.as_raw_fd(),
                old.as_ptr(),
                new_dir.as_raw_fd(),
                new.as_ptr(),
                0,
            )
        }
    })
    .map(drop)
}

/// `symlinkat(2)`.
pub fn symlinkat(target: &CStr, dir: BorrowedFd<'_>, name: &CStr) -> Result<()> {
    // SAFETY: both strings are NUL-terminated; `dir` is open.
    retry(|| unsafe { libc::symlinkat(target.as_ptr(), dir.as_raw_fd(), name.as_ptr()) }).map(drop)
}

/// `utimensat(2)` with `AT_SYMLINK_NOFOLLOW`, or `futimens(2)` when `name` is `None`.
pub fn utimens(dir: BorrowedFd<'_>, name: Option<&CStr>, times: [libc::timespec; 2]) -> Result<()> {
    retry(|| match name {
        // SAFETY: `times` points at two timespecs; `name` is NUL-terminated.
        Some(name) => unsafe {
            libc::utimensat(
                dir.as_raw_fd(),
                name.as_ptr(),
                times.as_ptr(),
                libc::AT_SYMLINK_NOFOLLOW,
            )
        },
        // SAFETY: `times` points at two timespecs; `dir` is open.
        None => unsafe { libc::futimens(dir.as_raw_fd(), times.as_ptr()) },
    })
    .map(drop)
}

/// `fcntl(F_GETFL)`.
pub fn get_status_flags(fd: BorrowedFd<'_>) -> Result<i32> {
    // SAFETY: F_GETFL takes no argument and touches no memory.
    retry(|| unsafe { libc::fcntl(fd.as_raw_fd(), libc::F_GETFL) })
}

/// `fcntl(F_SETFL)`.
pub fn set_status_flags(fd: BorrowedFd<'_>, flags: i32) -> Result<()> {
    // SAFETY: F_SETFL takes an int and touches no memory.
    retry(|| unsafe { libc::fcntl(fd.as_raw_fd(), libc::F_SETFL, flags) }).map(drop)
}

/// `read(2)` on a descriptor the caller does not own (the host's standard input), unbuffered:
/// what the guest did not ask for stays in the kernel, where `poll` sees it.
pub fn read(fd: BorrowedFd<'_>, buf: &mut [u8]) -> std::io::Result<usize> {
    loop {
        // SAFETY: `buf` is valid for writes of `buf.len()` bytes for the duration of the call.
        let n = unsafe { libc::read(fd.as_raw_fd(), buf.as_mut_ptr().cast(), buf.len()) };
        match usize::try_from(n) {
            Ok(n) => return Ok(n),
            Err(_) => interrupted_or(std::io::Error::last_os_error())?,
        }
    }
}

/// `write(2)` on a descriptor the caller does not own (the host's standard output or error),
/// unbuffered: a short or refused (`EAGAIN`) write is reported as it happened.
pub fn write(fd: BorrowedFd<'_>, buf: &[u8]) -> std::io::Result<usize> {
    loop {
        // SAFETY: `buf` is valid for reads of `buf.len()` bytes for the duration of the call.
        let n = unsafe { libc::write(fd.as_raw_fd(), buf.as_ptr().cast(), buf.len()) };
        match usize::try_from(n) {
            Ok(n) => return Ok(n),
            Err(_) => interrupted_or(std::io::Error::last_os_error())?,
        }
    }
}

/// `Ok` for an interrupted call (to retry), else the error.
fn interrupted_or(e: std::io::Error) -> std::io::Result<()> {
    if e.kind() == std::io::ErrorKind::Interrupted {
        Ok(())
    } else {
        Err(e)
    }
}

/// Where a guest path led: the directory holding its last component, and that component.
pub struct Target<'a> {
    base: BorrowedFd<'a>,
    walked: Option<OwnedFd>,
    /// The last component (`.` when the path names a directory reached by `..` or `.`).
    pub name: CString,
    /// The path ended in `/` (so it must name a directory).
    pub trailing_slash: bool,
}

impl Target<'_> {
    /// The directory holding [`Target::name`].
    pub fn dir(&self) -> BorrowedFd<'_> {
        match &self.walked {
            Some(fd) => fd.as_fd(),
            None => self.base,
        }
    }

    /// The name with the path's trailing slash put back, for calls that do not follow the last
    /// component anyway (`mkdirat`, `unlinkat`, `renameat`), so the kernel checks directory-ness.
    pub fn name_with_slash(&self) -> CString {
        if self.trailing_slash && self.name.as_bytes() != b"." {
            let mut v = self.name.as_bytes().to_vec();
            v.push(b'/');
            CString::new(v).expect("no NUL")
        } else {
            self.name.clone()
        }
    }
}

fn components(path: &[u8]) -> impl DoubleEndedIterator<Item = &[u8]> + '_ {
    path.split(|&b| b == b'/')
        .filter(|c| !c.is_empty() && *c != b".")
}

/// Resolves `path` beneath `base`, following symbolic links in every component but the last, and
/// in the last too when `follow_last` (or when the path ends in `/`).
pub fn resolve<'a>(base: BorrowedFd<'a>, path: &[u8], follow_last: bool) -> Result<Target<'a>> {
    if path.is_empty() {
        return Err(Errno::Noent);
    }
    if path[0] == b'/' {
        return Err(Errno::Notcapable);
    }
    let mut trailing_slash = path.ends_with(b"/") || path.ends_with(b"/.");
    let mut queue: VecDeque<Vec<u8>> = components(path).map(<[u8]>::to_vec).collect();
    let mut stack: Vec<OwnedFd> = Vec::new();
    let mut links = 0usize;
    let mut splice = |queue: &mut VecDeque<Vec<u8>>, target: Vec<u8>, last: bool| -> Result<bool> {
        links += 1;
        if links > MAX_SYMLINKS {
            return Err(Errno::Loop);
        }
        if target.is_empty() {
            return Err(Errno::Noent);
        }
        if target[0] == b'/' {
            return Err(Errno::Notcapable);
        }
        for c in components(&target).rev() {
            queue.push_front(c.to_vec());
        }
        Ok(last && (target.ends_with(b"/") || target.ends_with(b"/.")))
    };
    loop {
        let Some(comp) = queue.pop_front() else {
            // The path named the directory we stand in.
            return Ok(Target {
                base,
                walked: stack.pop(),
                name: c".".into(),
                trailing_slash,
            });
        };
        let last = queue.is_empty();
        if comp == b".." {
            if stack.pop().is_none() {
                return Err(Errno::Notcapable);
            }
            continue;
        }
        let cur = stack.last().map_or(base, |fd| fd.as_fd());
        let name = cstring(&comp)?;
        if last {
            if follow_last || trailing_slash {
                match readlinkat(cur, &name) {
                    Ok(target) => {
                        trailing_slash |= splice(&mut queue, target, true)?;
                        continue;
                    }
                    // Not a link (EINVAL), or nothing there yet (ENOENT): the caller decides.
                    Err(Errno::Inval | Errno::Noent) => {}
                    Err(e) => return Err(e),
                }
            }
            return Ok(Target {
                base,
                walked: stack.pop(),
                name,
                trailing_slash,
            });
        }
        match openat(
            cur,
            &name,
            libc::O_PATH | libc::O_DIRECTORY | libc::O_NOFOLLOW,
            0,
        ) {
            Ok(fd) => stack.push(fd),
            Err(Errno::Notdir | Errno::Loop) => match readlinkat(cur, &name) {
                Ok(target) => {
                    splice(&mut queue, target, false)?;
                }
                Err(_) => return Err(Errno::Notdir),
            },
            Err(e) => return Err(e),
        }
    }
}

/// The current offset of a file, without needing `&mut`.
pub fn tell(f: &std::fs::File) -> Result<u64> {
    // SAFETY: plain syscall on an open descriptor.
    let r = unsafe { libc::lseek(f.as_raw_fd(), 0, libc::SEEK_CUR) };
    if r < 0 {
        return Err(Errno::last());
    }
    Ok(r as u64)
}
