//! The `sock_*` functions, on sockets the host handed in (and connections accepted from them).

use std::os::fd::{AsRawFd, BorrowedFd, FromRawFd, OwnedFd};

use crate::ctx::{Desc, Kind, WasiCtx};
use crate::errno::{Errno, Result};
use crate::mem::{iov_total, Mem};
use crate::misc::done;
use crate::types::{fdflags, filetype, rights, sock};

/// The connected socket behind `d`, or `ENOTSOCK` (`ENOTCONN` for a listener).
fn stream(d: &Desc) -> Result<BorrowedFd<'_>> {
    match &d.kind {
        Kind::Socket {
            fd,
            listener: false,
        } => Ok(std::os::fd::AsFd::as_fd(fd)),
        Kind::Socket { .. } => Err(Errno::Notconn),
        _ => Err(Errno::Notsock),
    }
}

impl WasiCtx {
    fn socket(&mut self, fd: i32, need: u64) -> Result<&mut Desc> {
        if !matches!(self.table.get_ref(fd, 0)?.kind, Kind::Socket { .. }) {
            return Err(Errno::Notsock);
        }
        self.table.get(fd, need)
    }

    /// `sock_accept(fd, flags, fd_ptr)`: `flags` may hold `NONBLOCK` only.
    pub fn sock_accept(&mut self, mem: &mut [u8], fd: i32, flags: i32, out: i32) -> Errno {
        done((|| {
            Mem(mem).slice(out as u32, 4)?;
            let d = self.socket(fd, rights::SOCK_ACCEPT)?;
            if flags as u32 & !u32::from(fdflags::NONBLOCK) != 0 {
                return Err(Errno::Inval);
            }
            let Kind::Socket {
                fd: lfd,
                listener: true,
            } = &d.kind
            else {
                return Err(Errno::Inval);
            };
            let mut f = libc::SOCK_CLOEXEC;
            if flags as u32 & u32::from(fdflags::NONBLOCK) != 0 {
                f |= libc::SOCK_NONBLOCK;
            }
            let raw = loop {
                // SAFETY: null address pointers ask for no peer address; `lfd` is open.
                let r = unsafe {
                    libc::accept4(
                        lfd.as_raw_fd(),
                        std::ptr::null_mut(),
                        std::ptr::null_mut(),
                        f,
                    )
                };
                if r >= 0 {
                    break r;
                }
                let e = Errno::last();
                if e != Errno::Intr {
                    return Err(e);
                }
            };
            // SAFETY: accept4 returned a fresh descriptor nothing else owns.
            let conn = unsafe { OwnedFd::from_raw_fd(raw) };
            let desc = Desc::new(
                Kind::Socket {
                    fd: conn,
                    listener: false,
                },
                filetype::SOCKET_STREAM,
                rights::SOCKET,
                0,
            );
            let new = self.table.insert(desc)?;
            Mem(mem).put_u32(out as u32, new).inspect_err(|_| {
                let _ = self.table.remove(new as i32);
            })
        })())
    }

    /// `sock_recv(fd, ri_data, ri_data_len, ri_flags, ro_datalen_ptr, ro_flags_ptr)`.
    #[allow(clippy::too_many_arguments)]
    pub fn sock_recv(
        &mut self,
        mem: &mut [u8],
        fd: i32,
        iovs: i32,
        iovs_len: i32,
        ri_flags: i32,
        ro_datalen: i32,
        ro_flags: i32,
    ) -> Errno {
        let mut mem = Mem(mem);
        done((|| {
            let d = self.socket(fd, rights::FD_READ)?;
            let s = stream(d)?;
            let ri = ri_flags as u32;
            if ri & !u32::from(sock::RECV_PEEK | sock::RECV_WAITALL) != 0 {
                return Err(Errno::Inval);
            }
            let mut f = 0;
            if ri & u32::from(sock::RECV_PEEK) != 0 {
                f |= libc::MSG_PEEK;
            }
            if ri & u32::from(sock::RECV_WAITALL) != 0 {
                f |= libc::MSG_WAITALL;
            }
            let iovs = mem.iovecs(iovs as u32, iovs_len as u32)?;
            mem.slice(ro_datalen as u32, 4)?;
            mem.slice(ro_flags as u32, 2)?;
            let mut buf = vec![0u8; iov_total(&iovs)];
            let n = loop {
                // SAFETY: `buf` is writable for its length; `s` is an open socket.
                let r = unsafe { libc::recv(s.as_raw_fd(), buf.as_mut_ptr().cast(), buf.len(), f) };
                if r >= 0 {
                    break r as usize;
                }
                let e = Errno::last();
                if e != Errno::Intr {
                    return Err(e);
                }
            };
            mem.scatter(&iovs, &buf[..n])?;
            mem.put_u32(ro_datalen as u32, n as u32)?;
            mem.put_u16(ro_flags as u32, 0)
        })())
    }

    /// `sock_send(fd, si_data, si_data_len, si_flags, so_datalen_ptr)`; never raises `SIGPIPE`.
    pub fn sock_send(
        &mut self,
        mem: &mut [u8],
        fd: i32,
        iovs: i32,
        iovs_len: i32,
        _si_flags: i32,
        so_datalen: i32,
    ) -> Errno {
        let mut mem = Mem(mem);
        done((|| {
            let d = self.socket(fd, rights::FD_WRITE)?;
            let s = stream(d)?;
            let iovs = mem.iovecs(iovs as u32, iovs_len as u32)?;
            let data = mem.gather(&iovs)?;
            mem.slice(so_datalen as u32, 4)?;
            let n = loop {
                // SAFETY: `data` is readable for its length; `s` is an open socket.
                let r = unsafe {
                    libc::send(
                        s.as_raw_fd(),
                        data.as_ptr().cast(),
                        data.len(),
                        libc::MSG_NOSIGNAL,
                    )
                };
                if r >= 0 {
                    break r as usize;
                }
                let e = Errno::last();
                if e != Errno::Intr {
                    return Err(e);
                }
            };
            mem.put_u32(so_datalen as u32, n as u32)
        })())
    }

    /// `sock_shutdown(fd, how)`.
    pub fn sock_shutdown(&mut self, fd: i32, how: i32) -> Errno {
        done((|| {
            let d = self.socket(fd, rights::SOCK_SHUTDOWN)?;
            let s = stream(d)?;
            let how = match u8::try_from(how).map_err(|_| Errno::Inval)? {
                sock::SHUT_RD => libc::SHUT_RD,
                sock::SHUT_WR => libc::SHUT_WR,
                x if x == sock::SHUT_RD | sock::SHUT_WR => libc::SHUT_RDWR,
                _ => return Err(Errno::Inval),
            };
            // SAFETY: plain syscall on an open socket.
            if unsafe { libc::shutdown(s.as_raw_fd(), how) } != 0 {
                return Err(Errno::last());
            }
            Ok(())
        })())
    }
}
