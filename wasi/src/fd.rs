//! The `fd_*` functions.

use std::ffi::CStr;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::os::fd::{AsRawFd, BorrowedFd, FromRawFd, IntoRawFd, OwnedFd};
use std::os::unix::fs::FileExt;

use crate::ctx::{filetype_of, Desc, Kind, WasiCtx};
use crate::errno::{Errno, Result};
use crate::mem::{iov_total, Mem};
use crate::misc::done;
use crate::stdio::Stream;
use crate::sys;
use crate::types::{advice, fdflags, filetype, fstflags, rights, whence, PREOPENTYPE_DIR};

/// The `$filestat` of a host `stat`, as 64 bytes.
// The field types differ between targets (`st_nlink` is `u32` on aarch64).
#[allow(clippy::unnecessary_cast)]
pub(crate) fn filestat_bytes(st: &libc::stat) -> [u8; 64] {
    let mut b = [0u8; 64];
    let ns = |s: i64, n: i64| {
        (s as u64)
            .wrapping_mul(1_000_000_000)
            .wrapping_add(n as u64)
    };
    b[0..8].copy_from_slice(&(st.st_dev as u64).to_le_bytes());
    b[8..16].copy_from_slice(&(st.st_ino as u64).to_le_bytes());
    b[16] = filetype_of(st.st_mode);
    b[24..32].copy_from_slice(&(st.st_nlink as u64).to_le_bytes());
    b[32..40].copy_from_slice(&(st.st_size as u64).to_le_bytes());
    b[40..48].copy_from_slice(&ns(st.st_atime, st.st_atime_nsec).to_le_bytes());
    b[48..56].copy_from_slice(&ns(st.st_mtime, st.st_mtime_nsec).to_le_bytes());
    b[56..64].copy_from_slice(&ns(st.st_ctime, st.st_ctime_nsec).to_le_bytes());
    b
}

/// The two timespecs of `utimensat` for a `*_set_times` call.
pub(crate) fn timespecs(atim: i64, mtim: i64, flags: i32) -> Result<[libc::timespec; 2]> {
    let flags = u16::try_from(flags).map_err(|_| Errno::Inval)?;
    let all = fstflags::ATIM | fstflags::ATIM_NOW | fstflags::MTIM | fstflags::MTIM_NOW;
    if flags & !all != 0 {
        return Err(Errno::Inval);
    }
    let one = |t: i64, set: u16, now: u16| -> Result<libc::timespec> {
        let t = t as u64;
        Ok(match (flags & set != 0, flags & now != 0) {
            (true, true) => return Err(Errno::Inval),
            (true, false) => libc::timespec {
                tv_sec: (t / 1_000_000_000) as libc::time_t,
                tv_nsec: (t % 1_000_000_000) as libc::c_long,
            },
            (false, true) => libc::timespec {
                tv_sec: 0,
                tv_nsec: libc::UTIME_NOW,
            },
            (false, false) => libc::timespec {
                tv_sec: 0,
                tv_nsec: libc::UTIME_OMIT,
            },
        })
    };
    Ok([
        one(atim, fstflags::ATIM, fstflags::ATIM_NOW)?,
        one(mtim, fstflags::MTIM, fstflags::MTIM_NOW)?,
    ])
}

fn io<T>(r: std::io::Result<T>) -> Result<T> {
    r.map_err(Errno::from)
}

/// `recv`/`send` on a connected socket.
fn raw_rw(fd: BorrowedFd<'_>, buf: *mut u8, len: usize, write: bool) -> Result<usize> {
    loop {
        let n = if write {
            // SAFETY: the caller passes a buffer readable for `len` bytes. MSG_NOSIGNAL: a closed
            // peer is EPIPE, not a signal that kills the host.
            unsafe { libc::send(fd.as_raw_fd(), buf.cast(), len, libc::MSG_NOSIGNAL) }
        } else {
            // SAFETY: the caller passes a buffer writable for `len` bytes.
            unsafe { libc::recv(fd.as_raw_fd(), buf.cast(), len, 0) }
        };
        if n >= 0 {
            return Ok(n as usize);
        }
        let e = Errno::last();
        if e != Errno::Intr {
            return Err(e);
        }
    }
}

/// Reads from whatever the descriptor is.
pub(crate) fn desc_read(d: &mut Desc, buf: &mut [u8]) -> Result<usize> {
    match &mut d.kind {
        Kind::File(f) => io(f.read(buf)),
        Kind::Stdio(s) => io(s.read(buf)),
        Kind::Socket {
            fd,
            listener: false,
        } => raw_rw(fd_of(fd), buf.as_mut_ptr(), buf.len(), false),
        Kind::Socket { .. } => Err(Errno::Notconn),
        Kind::Dir(_) => Err(Errno::Isdir),
    }
}

/// Writes to whatever the descriptor is.
pub(crate) fn desc_write(d: &mut Desc, buf: &[u8]) -> Result<usize> {
    match &mut d.kind {
        Kind::File(f) => io(f.write(buf)),
        Kind::Stdio(s) => io(s.write(buf)),
        Kind::Socket {
            fd,
            listener: false,
        } => raw_rw(fd_of(fd), buf.as_ptr().cast_mut(), buf.len(), true),
        Kind::Socket { .. } => Err(Errno::Notconn),
        Kind::Dir(_) => Err(Errno::Isdir),
    }
}

fn fd_of(fd: &OwnedFd) -> BorrowedFd<'_> {
    use std::os::fd::AsFd;
    fd.as_fd()
}

/// The seekable file behind a descriptor, or `ESPIPE`.
fn file(d: &mut Desc) -> Result<&mut File> {
    match &mut d.kind {
        Kind::File(f) | Kind::Stdio(Stream::File(f)) => Ok(f),
        Kind::Dir(_) => Err(Errno::Isdir),
        _ => Err(Errno::Spipe),
    }
}

/// The host descriptor, or `EBADF` for in-memory streams.
fn host(d: &Desc) -> Result<BorrowedFd<'_>> {
    d.host_fd().ok_or(Errno::Badf)
}

/// A directory's entries: (inode, WASI type, name), in the kernel's order.
pub(crate) fn read_dir(dir: BorrowedFd<'_>) -> Result<Vec<(u64, u8, Vec<u8>)>> {
    let fd = sys::openat(dir, c".", libc::O_RDONLY | libc::O_DIRECTORY, 0)?;
    let raw = fd.into_raw_fd();
    // SAFETY: `raw` is an open directory descriptor we own; on success the stream owns it.
    let dirp = unsafe { libc::fdopendir(raw) };
    if dirp.is_null() {
        let e = Errno::last();
        // SAFETY: fdopendir failed, so `raw` is still ours to close.
        drop(unsafe { OwnedFd::from_raw_fd(raw) });
        return Err(e);
    }
    let mut out = Vec::new();
    let result = loop {
        // SAFETY: errno is thread-local; resetting it tells end-of-stream from an error.
        unsafe { *libc::__errno_location() = 0 };
        // SAFETY: `dirp` is a live stream from fdopendir.
        let ent = unsafe { libc::readdir(dirp) };
        if ent.is_null() {
            let e = Errno::last();
            break if e == Errno::Success { Ok(()) } else { Err(e) };
        }
        // SAFETY: readdir returned an entry that stays valid until the next readdir/closedir;
        // `d_name` is NUL-terminated.
        let (ino, dtype, name) = unsafe {
            let e = &*ent;
            (
                e.d_ino,
                e.d_type,
                CStr::from_ptr(e.d_name.as_ptr()).to_bytes().to_vec(),
            )
        };
        let ft = match dtype {
            libc::DT_REG => filetype::REGULAR_FILE,
            libc::DT_DIR => filetype::DIRECTORY,
            libc::DT_LNK => filetype::SYMBOLIC_LINK,
            libc::DT_CHR => filetype::CHARACTER_DEVICE,
            libc::DT_BLK => filetype::BLOCK_DEVICE,
            libc::DT_SOCK => filetype::SOCKET_STREAM,
            libc::DT_FIFO => filetype::UNKNOWN,
            _ => sys::cstring(&name)
                .and_then(|n| sys::fstatat(dir, &n, libc::AT_SYMLINK_NOFOLLOW))
                .map_or(filetype::UNKNOWN, |st| filetype_of(st.st_mode)),
        };
        out.push((ino, ft, name));
    };
    // SAFETY: `dirp` is live and not used after this.
    unsafe { libc::closedir(dirp) };
    result.map(|()| out)
}

impl WasiCtx {
    /// `fd_advise(fd, offset, len, advice)`.
    pub fn fd_advise(&mut self, fd: i32, offset: i64, len: i64, adv: i32) -> Errno {
        done((|| {
            let d = self.table.get(fd, rights::FD_ADVISE)?;
            let host_advice = match u8::try_from(adv).map_err(|_| Errno::Inval)? {
                advice::NORMAL => libc::POSIX_FADV_NORMAL,
                advice::SEQUENTIAL => libc::POSIX_FADV_SEQUENTIAL,
                advice::RANDOM => libc::POSIX_FADV_RANDOM,
                advice::WILLNEED => libc::POSIX_FADV_WILLNEED,
                advice::DONTNEED => libc::POSIX_FADV_DONTNEED,
                advice::NOREUSE => libc::POSIX_FADV_NOREUSE,
                _ => return Err(Errno::Inval),
            };
            let f = file(d)?;
            // SAFETY: plain syscall on an open descriptor; no memory is passed.
            let r = unsafe { libc::posix_fadvise(f.as_raw_fd(), offset, len, host_advice) };
            if r != 0 {
                return Err(Errno::from_os(r));
            }
            Ok(())
        })())
    }

    /// `fd_allocate(fd, offset, len)`.
    pub fn fd_allocate(&mut self, fd: i32, offset: i64, len: i64) -> Errno {
        done((|| {
            let f = file(self.table.get(fd, rights::FD_ALLOCATE)?)?;
            // SAFETY: plain syscall on an open descriptor; no memory is passed.
            let r = unsafe { libc::posix_fallocate(f.as_raw_fd(), offset, len) };
            if r != 0 {
                return Err(Errno::from_os(r));
            }
            Ok(())
        })())
    }

    /// `fd_close(fd)`.
    pub fn fd_close(&mut self, fd: i32) -> Errno {
        done(self.table.remove(fd).map(drop))
    }

    /// `fd_datasync(fd)`.
    pub fn fd_datasync(&mut self, fd: i32) -> Errno {
        done((|| {
            let d = self.table.get(fd, rights::FD_DATASYNC)?;
            match d.host_fd() {
                // SAFETY: plain syscall on an open descriptor.
                Some(h) if unsafe { libc::fdatasync(h.as_raw_fd()) } != 0 => Err(Errno::last()),
                _ => Ok(()),
            }
        })())
    }

    /// `fd_sync(fd)`.
    pub fn fd_sync(&mut self, fd: i32) -> Errno {
        done((|| {
            let d = self.table.get(fd, rights::FD_SYNC)?;
            match d.host_fd() {
                // SAFETY: plain syscall on an open descriptor.
                Some(h) if unsafe { libc::fsync(h.as_raw_fd()) } != 0 => Err(Errno::last()),
                _ => Ok(()),
            }
        })())
    }

    /// `fd_fdstat_get(fd, fdstat_ptr)`.
    pub fn fd_fdstat_get(&mut self, mem: &mut [u8], fd: i32, buf: i32) -> Errno {
        done((|| {
            let d = self.table.get(fd, 0)?;
            let mut flags = 0u16;
            if let Some(h) = d.host_fd() {
                let fl = sys::get_status_flags(h)?;
                if fl & libc::O_APPEND != 0 {
                    flags |= fdflags::APPEND;
                }
                if fl & libc::O_NONBLOCK != 0 {
                    flags |= fdflags::NONBLOCK;
                }
                if fl & libc::O_SYNC == libc::O_SYNC {
                    flags |= fdflags::SYNC | fdflags::RSYNC;
                } else if fl & libc::O_DSYNC != 0 {
                    flags |= fdflags::DSYNC;
                }
            }
            let mut b = [0u8; 24];
            b[0] = d.filetype;
            b[2..4].copy_from_slice(&flags.to_le_bytes());
            b[8..16].copy_from_slice(&d.base.to_le_bytes());
            b[16..24].copy_from_slice(&d.inheriting.to_le_bytes());
            Mem(mem).write_bytes(buf as u32, &b)
        })())
    }

    /// `fd_fdstat_set_flags(fd, flags)`: `APPEND` and `NONBLOCK` can change; the sync flags
    /// cannot after opening (`ENOTSUP`), as on Linux.
    pub fn fd_fdstat_set_flags(&mut self, fd: i32, flags: i32) -> Errno {
        done((|| {
            let d = self.table.get(fd, rights::FD_FDSTAT_SET_FLAGS)?;
            let flags = u16::try_from(flags).map_err(|_| Errno::Inval)?;
            if flags & !(fdflags::APPEND | fdflags::NONBLOCK) != 0 {
                return Err(if flags >> 5 != 0 {
                    Errno::Inval
                } else {
                    Errno::Notsup
                });
            }
            let Some(h) = d.host_fd() else { return Ok(()) };
            let old = sys::get_status_flags(h)?;
            if let Kind::Stdio(Stream::Host(fd)) = d.kind {
                if !self.host_stdio_flags.iter().any(|&(f, _)| f == fd) {
                    self.host_stdio_flags.push((fd, old));
                }
            }
            let mut fl = old & !(libc::O_APPEND | libc::O_NONBLOCK);
            if flags & fdflags::APPEND != 0 {
                fl |= libc::O_APPEND;
            }
            if flags & fdflags::NONBLOCK != 0 {
                fl |= libc::O_NONBLOCK;
            }
            sys::set_status_flags(h, fl)
        })())
    }

    /// `fd_fdstat_set_rights(fd, base, inheriting)`: rights can only be dropped.
    pub fn fd_fdstat_set_rights(&mut self, fd: i32, base: i64, inheriting: i64) -> Errno {
        done((|| {
            let d = self.table.get(fd, 0)?;
            let (base, inheriting) = (base as u64, inheriting as u64);
            if base & !d.base != 0 || inheriting & !d.inheriting != 0 {
                return Err(Errno::Notcapable);
            }
            d.base = base;
            d.inheriting = inheriting;
            Ok(())
        })())
    }

    /// `fd_filestat_get(fd, filestat_ptr)`.
    pub fn fd_filestat_get(&mut self, mem: &mut [u8], fd: i32, buf: i32) -> Errno {
        done((|| {
            let d = self.table.get(fd, rights::FD_FILESTAT_GET)?;
            let bytes = match d.host_fd() {
                Some(h) => filestat_bytes(&sys::fstat(h)?),
                None => {
                    let mut b = [0u8; 64];
                    b[16] = d.filetype;
                    b
                }
            };
            Mem(mem).write_bytes(buf as u32, &bytes)
        })())
    }

    /// `fd_filestat_set_size(fd, size)`.
    pub fn fd_filestat_set_size(&mut self, fd: i32, size: i64) -> Errno {
        done((|| {
            let f = file(self.table.get(fd, rights::FD_FILESTAT_SET_SIZE)?)?;
            if size < 0 {
                return Err(Errno::Inval);
            }
            io(f.set_len(size as u64))
        })())
    }

    /// `fd_filestat_set_times(fd, atim, mtim, fst_flags)`.
    pub fn fd_filestat_set_times(&mut self, fd: i32, atim: i64, mtim: i64, flags: i32) -> Errno {
        done((|| {
            let d = self.table.get(fd, rights::FD_FILESTAT_SET_TIMES)?;
            let times = timespecs(atim, mtim, flags)?;
            sys::utimens(host(d)?, None, times)
        })())
    }

    /// `fd_pread(fd, iovs, iovs_len, offset, nread_ptr)`.
    pub fn fd_pread(
        &mut self,
        mem: &mut [u8],
        fd: i32,
        iovs: i32,
        iovs_len: i32,
        offset: i64,
        nread: i32,
    ) -> Errno {
        let mut mem = Mem(mem);
        done((|| {
            let d = self.table.get(fd, rights::FD_READ | rights::FD_SEEK)?;
            let iovs = mem.iovecs(iovs as u32, iovs_len as u32)?;
            mem.slice(nread as u32, 4)?;
            if offset < 0 {
                return Err(Errno::Inval);
            }
            let mut buf = vec![0u8; iov_total(&iovs)];
            let n = io(file(d)?.read_at(&mut buf, offset as u64))?;
            mem.scatter(&iovs, &buf[..n])?;
            mem.put_u32(nread as u32, n as u32)
        })())
    }

    /// `fd_pwrite(fd, iovs, iovs_len, offset, nwritten_ptr)`.
    pub fn fd_pwrite(
        &mut self,
        mem: &mut [u8],
        fd: i32,
        iovs: i32,
        iovs_len: i32,
        offset: i64,
        nwritten: i32,
    ) -> Errno {
        let mut mem = Mem(mem);
        done((|| {
            let d = self.table.get(fd, rights::FD_WRITE | rights::FD_SEEK)?;
            let iovs = mem.iovecs(iovs as u32, iovs_len as u32)?;
            mem.slice(nwritten as u32, 4)?;
            if offset < 0 {
                return Err(Errno::Inval);
            }
            let data = mem.gather(&iovs)?;
            let n = io(file(d)?.write_at(&data, offset as u64))?;
            mem.put_u32(nwritten as u32, n as u32)
        })())
    }

    /// `fd_read(fd, iovs, iovs_len, nread_ptr)`: one host read, scattered over the buffers.
    pub fn fd_read(
        &mut self,
        mem: &mut [u8],
        fd: i32,
        iovs: i32,
        iovs_len: i32,
        nread: i32,
    ) -> Errno {
        let mut mem = Mem(mem);
        done((|| {
            let d = self.table.get(fd, 0)?;
            if let Kind::Dir(_) = d.kind {
                return Err(Errno::Isdir);
            }
            let d = self.table.get(fd, rights::FD_READ)?;
            let iovs = mem.iovecs(iovs as u32, iovs_len as u32)?;
            mem.slice(nread as u32, 4)?;
            let mut buf = vec![0u8; iov_total(&iovs)];
            let n = if buf.is_empty() {
                0
            } else {
                desc_read(d, &mut buf)?
            };
            mem.scatter(&iovs, &buf[..n])?;
            mem.put_u32(nread as u32, n as u32)
        })())
    }

    /// `fd_write(fd, iovs, iovs_len, nwritten_ptr)`: the buffers gathered into one host write.
    pub fn fd_write(
        &mut self,
        mem: &mut [u8],
        fd: i32,
        iovs: i32,
        iovs_len: i32,
        nwritten: i32,
    ) -> Errno {
        let mut mem = Mem(mem);
        done((|| {
            let d = self.table.get(fd, 0)?;
            if let Kind::Dir(_) = d.kind {
                return Err(Errno::Isdir);
            }
            let d = self.table.get(fd, rights::FD_WRITE)?;
            let iovs = mem.iovecs(iovs as u32, iovs_len as u32)?;
            mem.slice(nwritten as u32, 4)?;
            let data = mem.gather(&iovs)?;
            let n = if data.is_empty() {
                0
            } else {
                desc_write(d, &data)?
            };
            mem.put_u32(nwritten as u32, n as u32)
        })())
    }

    /// `fd_prestat_get(fd, prestat_ptr)`: `EBADF` for anything but a preopened directory.
    pub fn fd_prestat_get(&mut self, mem: &mut [u8], fd: i32, buf: i32) -> Errno {
        done((|| {
            let d = self.table.get(fd, 0)?;
            let name = d.preopen.as_ref().ok_or(Errno::Badf)?;
            let mut b = [0u8; 8];
            b[0] = PREOPENTYPE_DIR;
            b[4..8].copy_from_slice(&(name.len() as u32).to_le_bytes());
            Mem(mem).write_bytes(buf as u32, &b)
        })())
    }

    /// `fd_prestat_dir_name(fd, path, path_len)`: `ENAMETOOLONG` if the buffer is too short.
    pub fn fd_prestat_dir_name(&mut self, mem: &mut [u8], fd: i32, path: i32, len: i32) -> Errno {
        done((|| {
            let d = self.table.get(fd, 0)?;
            let name = d.preopen.as_ref().ok_or(Errno::Badf)?;
            if (len as u32 as usize) < name.len() {
                return Err(Errno::Nametoolong);
            }
            Mem(mem).write_bytes(path as u32, name)
        })())
    }

    /// `fd_readdir(fd, buf, buf_len, cookie, bufused_ptr)`: entries from index `cookie` on, each a
    /// `$dirent` and its name; the last one is cut at `buf_len` (so a full buffer means "more").
    pub fn fd_readdir(
        &mut self,
        mem: &mut [u8],
        fd: i32,
        buf: i32,
        buf_len: i32,
        cookie: i64,
        bufused: i32,
    ) -> Errno {
        let mut mem = Mem(mem);
        done((|| {
            let d = self.table.get(fd, rights::FD_READDIR)?;
            let entries = read_dir(d.dir()?)?;
            let cap = buf_len as u32 as usize;
            mem.slice(buf as u32, cap as u32)?;
            let mut out = Vec::new();
            for (i, (ino, ft, name)) in entries.iter().enumerate().skip(cookie as u64 as usize) {
                if out.len() >= cap {
                    break;
                }
                out.extend_from_slice(&(i as u64 + 1).to_le_bytes());
                out.extend_from_slice(&ino.to_le_bytes());
                out.extend_from_slice(&(name.len() as u32).to_le_bytes());
                out.extend_from_slice(&[*ft, 0, 0, 0]);
                out.extend_from_slice(name);
            }
            out.truncate(cap);
            mem.write_bytes(buf as u32, &out)?;
            mem.put_u32(bufused as u32, out.len() as u32)
        })())
    }

    /// `fd_renumber(fd, to)`: moves `fd` onto `to`, closing what `to` was; both must be open.
    pub fn fd_renumber(&mut self, fd: i32, to: i32) -> Errno {
        done((|| {
            if !self.table.contains(fd) || !self.table.contains(to) {
                return Err(Errno::Badf);
            }
            if fd != to {
                let d = self.table.remove(fd)?;
                drop(self.table.remove(to)?);
                self.table.put(to, d);
            }
            Ok(())
        })())
    }

    /// `fd_seek(fd, offset, whence, newoffset_ptr)`: needs `FD_SEEK`, or only `FD_TELL` for a
    /// zero move from the current position.
    pub fn fd_seek(
        &mut self,
        mem: &mut [u8],
        fd: i32,
        offset: i64,
        wh: i32,
        newoffset: i32,
    ) -> Errno {
        done((|| {
            let tell = offset == 0 && wh == i32::from(whence::CUR);
            let need = if tell {
                rights::FD_TELL
            } else {
                rights::FD_SEEK
            };
            let d = self.table.get(fd, need)?;
            let mut mem = Mem(mem);
            mem.slice(newoffset as u32, 8)?;
            let pos = match u8::try_from(wh).map_err(|_| Errno::Inval)? {
                whence::SET if offset < 0 => return Err(Errno::Inval),
                whence::SET => SeekFrom::Start(offset as u64),
                whence::CUR => SeekFrom::Current(offset),
                whence::END => SeekFrom::End(offset),
                _ => return Err(Errno::Inval),
            };
            let new = io(file(d)?.seek(pos))?;
            mem.put_u64(newoffset as u32, new)
        })())
    }

    /// `fd_tell(fd, offset_ptr)`.
    pub fn fd_tell(&mut self, mem: &mut [u8], fd: i32, offset: i32) -> Errno {
        done((|| {
            let d = self.table.get(fd, rights::FD_TELL)?;
            let pos = io(file(d)?.stream_position())?;
            Mem(mem).put_u64(offset as u32, pos)
        })())
    }
}
