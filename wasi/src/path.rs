//! The `path_*` functions: every path is resolved beneath a directory descriptor by
//! [`sys::resolve`], never by string checks on a joined path.

use std::fs::File;

use crate::ctx::{filetype_of, Desc, Kind, WasiCtx};
use crate::errno::{Errno, Result};
use crate::fd::{filestat_bytes, timespecs};
use crate::mem::Mem;
use crate::misc::done;
use crate::sys;
use crate::types::{fdflags, filetype, lookupflags, oflags, rights};

fn follows(flags: i32) -> bool {
    flags as u32 & lookupflags::SYMLINK_FOLLOW != 0
}

/// Renames and links stay within one preopen: across two, `EXDEV`, as across file systems (so
/// tools fall back to copying, which the guest's own rights then govern).
fn same_domain(a: &Desc, b: &Desc) -> Result<()> {
    if a.domain != b.domain {
        return Err(Errno::Xdev);
    }
    Ok(())
}

impl WasiCtx {
    /// `path_create_directory(fd, path, path_len)`.
    pub fn path_create_directory(&mut self, mem: &mut [u8], fd: i32, path: i32, len: i32) -> Errno {
        done((|| {
            let path = Mem(mem).path(path as u32, len as u32)?;
            let d = self.table.get_ref(fd, rights::PATH_CREATE_DIRECTORY)?;
            let t = sys::resolve(d.dir()?, &path, false)?;
            sys::mkdirat(t.dir(), &t.name_with_slash(), 0o777)
        })())
    }

    /// `path_filestat_get(fd, flags, path, path_len, filestat_ptr)`.
    pub fn path_filestat_get(
        &mut self,
        mem: &mut [u8],
        fd: i32,
        flags: i32,
        path: i32,
        len: i32,
        buf: i32,
    ) -> Errno {
        let mut mem = Mem(mem);
        done((|| {
            let path = mem.path(path as u32, len as u32)?;
            let d = self.table.get_ref(fd, rights::PATH_FILESTAT_GET)?;
            let t = sys::resolve(d.dir()?, &path, follows(flags))?;
            let st = sys::fstatat(t.dir(), &t.name, libc::AT_SYMLINK_NOFOLLOW)?;
            if t.trailing_slash && filetype_of(st.st_mode) != filetype::DIRECTORY {
                return Err(Errno::Notdir);
            }
            mem.write_bytes(buf as u32, &filestat_bytes(&st))
        })())
    }

    /// `path_filestat_set_times(fd, flags, path, path_len, atim, mtim, fst_flags)`.
    #[allow(clippy::too_many_arguments)]
    pub fn path_filestat_set_times(
        &mut self,
        mem: &mut [u8],
        fd: i32,
        flags: i32,
        path: i32,
        len: i32,
        atim: i64,
        mtim: i64,
        fst_flags: i32,
    ) -> Errno {
        done((|| {
            let path = Mem(mem).path(path as u32, len as u32)?;
            let times = timespecs(atim, mtim, fst_flags)?;
            let d = self.table.get_ref(fd, rights::PATH_FILESTAT_SET_TIMES)?;
            let t = sys::resolve(d.dir()?, &path, follows(flags))?;
            sys::utimens(t.dir(), Some(&t.name), times)
        })())
    }

    /// `path_link(old_fd, old_flags, old_path, old_path_len, new_fd, new_path, new_path_len)`.
    /// With `SYMLINK_FOLLOW`, the link is resolved here (within the sandbox), never by the kernel.
    #[allow(clippy::too_many_arguments)]
    pub fn path_link(
        &mut self,
        mem: &mut [u8],
        old_fd: i32,
        old_flags: i32,
        old_path: i32,
        old_len: i32,
        new_fd: i32,
        new_path: i32,
        new_len: i32,
    ) -> Errno {
        let mem = Mem(mem);
        done((|| {
            let old_path = mem.path(old_path as u32, old_len as u32)?;
            let new_path = mem.path(new_path as u32, new_len as u32)?;
            let a = self.table.get_ref(old_fd, rights::PATH_LINK_SOURCE)?;
            let b = self.table.get_ref(new_fd, rights::PATH_LINK_TARGET)?;
            let (adir, bdir) = (a.dir()?, b.dir()?);
            same_domain(a, b)?;
            let from = sys::resolve(adir, &old_path, follows(old_flags))?;
            let to = sys::resolve(bdir, &new_path, false)?;
            sys::linkat(from.dir(), &from.name, to.dir(), &to.name_with_slash())
        })())
    }

    /// `path_open(fd, dirflags, path, path_len, oflags, rights_base, rights_inheriting, fdflags,
    /// fd_ptr)`.
    ///
    /// The new descriptor's rights are those asked for within the directory's inheriting rights
    /// (asking for `FD_WRITE` on a file where it is not inheritable is `ENOTCAPABLE`); the host file is
    /// opened for reading and/or writing as those rights say, so the kernel enforces them too.
    #[allow(clippy::too_many_arguments)]
    pub fn path_open(
        &mut self,
        mem: &mut [u8],
        fd: i32,
        dirflags: i32,
        path: i32,
        len: i32,
        oflags: i32,
        base: i64,
        inheriting: i64,
        fdflags: i32,
        opened: i32,
    ) -> Errno {
        let mut mem = Mem(mem);
        done((|| {
            let path = mem.path(path as u32, len as u32)?;
            mem.slice(opened as u32, 4)?;
            let of = u16::try_from(oflags).map_err(|_| Errno::Inval)?;
            let ff = u16::try_from(fdflags).map_err(|_| Errno::Inval)?;
            let mut need = rights::PATH_OPEN;
            if of & oflags::CREAT != 0 {
                need |= rights::PATH_CREATE_FILE;
            }
            if of & oflags::TRUNC != 0 {
                need |= rights::PATH_FILESTAT_SET_SIZE;
            }
            let d = self.table.get_ref(fd, need)?;
            let dir = d.dir()?;
            let (base, inheriting) = (base as u64, inheriting as u64);
            if of & oflags::DIRECTORY == 0 && base & rights::FD_WRITE & !d.inheriting != 0 {
                return Err(Errno::Notcapable);
            }
            let base = base & d.inheriting;
            let inheriting = inheriting & d.inheriting;
            let domain = d.domain;

            let read = base & (rights::FD_READ | rights::FD_READDIR) != 0;
            let write =
                base & (rights::FD_WRITE | rights::FD_ALLOCATE | rights::FD_FILESTAT_SET_SIZE) != 0;
            let mut flags = match (read, write) {
                // A directory is never opened for writing; its rights are masked to DIR below.
                _ if of & oflags::DIRECTORY != 0 => libc::O_RDONLY,
                (_, false) => libc::O_RDONLY,
                (false, true) => libc::O_WRONLY,
                (true, true) => libc::O_RDWR,
            };
            flags |= libc::O_NOFOLLOW | libc::O_NOCTTY;
            for (bit, host) in [
                (oflags::CREAT, libc::O_CREAT),
                (oflags::DIRECTORY, libc::O_DIRECTORY),
                (oflags::EXCL, libc::O_EXCL),
                (oflags::TRUNC, libc::O_TRUNC),
            ] {
                if of & bit != 0 {
                    flags |= host;
                }
            }
            for (bit, host) in [
                (fdflags::APPEND, libc::O_APPEND),
                (fdflags::DSYNC, libc::O_DSYNC),
                (fdflags::NONBLOCK, libc::O_NONBLOCK),
                (fdflags::RSYNC, libc::O_RSYNC),
                (fdflags::SYNC, libc::O_SYNC),
            ] {
                if ff & bit != 0 {
                    flags |= host;
                }
            }
            // O_CREAT|O_EXCL never follows a link in the last component (POSIX).
            let excl = of & oflags::CREAT != 0 && of & oflags::EXCL != 0;
            let follow = follows(dirflags) && !excl;
            let t = sys::resolve(dir, &path, follow)?;
            if t.trailing_slash {
                if of & oflags::CREAT != 0 {
                    return Err(Errno::Isdir);
                }
                flags |= libc::O_DIRECTORY;
            }
            let host = sys::openat(t.dir(), &t.name, flags, 0o666)?;
            let ft = filetype_of(sys::fstat(std::os::fd::AsFd::as_fd(&host))?.st_mode);
            let mut desc = if ft == filetype::DIRECTORY {
                Desc::new(Kind::Dir(host), ft, base & rights::DIR, inheriting)
            } else {
                Desc::new(
                    Kind::File(File::from(host)),
                    ft,
                    base & rights::FILE,
                    inheriting,
                )
            };
            desc.domain = domain;
            drop(t);
            let new = self.table.insert(desc)?;
            mem.put_u32(opened as u32, new).inspect_err(|_| {
                let _ = self.table.remove(new as i32);
            })
        })())
    }

    /// `path_readlink(fd, path, path_len, buf, buf_len, bufused_ptr)`: the target, cut at
    /// `buf_len`.
    #[allow(clippy::too_many_arguments)]
    pub fn path_readlink(
        &mut self,
        mem: &mut [u8],
        fd: i32,
        path: i32,
        len: i32,
        buf: i32,
        buf_len: i32,
        bufused: i32,
    ) -> Errno {
        let mut mem = Mem(mem);
        done((|| {
            let path = mem.path(path as u32, len as u32)?;
            let d = self.table.get_ref(fd, rights::PATH_READLINK)?;
            let t = sys::resolve(d.dir()?, &path, false)?;
            let target = sys::readlinkat(t.dir(), &t.name)?;
            let out = mem.slice_mut(buf as u32, buf_len as u32)?;
            let n = target.len().min(out.len());
            out[..n].copy_from_slice(&target[..n]);
            mem.put_u32(bufused as u32, n as u32)
        })())
    }

    /// `path_remove_directory(fd, path, path_len)`.
    pub fn path_remove_directory(&mut self, mem: &mut [u8], fd: i32, path: i32, len: i32) -> Errno {
        done((|| {
            let path = Mem(mem).path(path as u32, len as u32)?;
            let d = self.table.get_ref(fd, rights::PATH_REMOVE_DIRECTORY)?;
            let t = sys::resolve(d.dir()?, &path, false)?;
            sys::unlinkat(t.dir(), &t.name_with_slash(), libc::AT_REMOVEDIR)
        })())
    }

    /// `path_rename(fd, old_path, old_path_len, new_fd, new_path, new_path_len)`.
    #[allow(clippy::too_many_arguments)]
    pub fn path_rename(
        &mut self,
        mem: &mut [u8],
        fd: i32,
        old_path: i32,
        old_len: i32,
        new_fd: i32,
        new_path: i32,
        new_len: i32,
    ) -> Errno {
        let mem = Mem(mem);
        done((|| {
            let old_path = mem.path(old_path as u32, old_len as u32)?;
            let new_path = mem.path(new_path as u32, new_len as u32)?;
            let a = self.table.get_ref(fd, rights::PATH_RENAME_SOURCE)?;
            let b = self.table.get_ref(new_fd, rights::PATH_RENAME_TARGET)?;
            let (adir, bdir) = (a.dir()?, b.dir()?);
            same_domain(a, b)?;
            let from = sys::resolve(adir, &old_path, false)?;
            let to = sys::resolve(bdir, &new_path, false)?;
            sys::renameat(
                from.dir(),
                &from.name_with_slash(),
                to.dir(),
                &to.name_with_slash(),
            )
        })())
    }

    /// `path_symlink(old_path, old_path_len, fd, new_path, new_path_len)`: an absolute target is
    /// refused (`EPERM`): it could only ever point outside the sandbox.
    pub fn path_symlink(
        &mut self,
        mem: &mut [u8],
        old_path: i32,
        old_len: i32,
        fd: i32,
        new_path: i32,
        new_len: i32,
    ) -> Errno {
        let mem = Mem(mem);
        done((|| {
            let target = mem.path(old_path as u32, old_len as u32)?;
            let new_path = mem.path(new_path as u32, new_len as u32)?;
            let d = self.table.get_ref(fd, rights::PATH_SYMLINK)?;
            if target.first() == Some(&b'/') {
                return Err(Errno::Perm);
            }
            let t = sys::resolve(d.dir()?, &new_path, false)?;
            sys::symlinkat(&sys::cstring(&target)?, t.dir(), &t.name_with_slash())
        })())
    }

    /// `path_unlink_file(fd, path, path_len)`.
    pub fn path_unlink_file(&mut self, mem: &mut [u8], fd: i32, path: i32, len: i32) -> Errno {
        done((|| {
            let path = Mem(mem).path(path as u32, len as u32)?;
            let d = self.table.get_ref(fd, rights::PATH_UNLINK_FILE)?;
            let t = sys::resolve(d.dir()?, &path, false)?;
            sys::unlinkat(t.dir(), &t.name_with_slash(), 0)
        })())
    }
}
