//! `poll_oneoff`: clock subscriptions and fd subscriptions, waited on together with `ppoll(2)`.

use std::os::fd::AsRawFd;
use std::time::{Duration, Instant};

use crate::ctx::{Kind, WasiCtx};
use crate::errno::Errno;
use crate::mem::Mem;
use crate::misc::{done, now};
use crate::types::{eventtype, rights, EVENT_FD_READWRITE_HANGUP, SUBSCRIPTION_CLOCK_ABSTIME};

/// One `$event`, before it is written out.
struct Event {
    userdata: u64,
    error: Errno,
    kind: u8,
    nbytes: u64,
    flags: u16,
}

impl Event {
    fn bytes(&self) -> [u8; 32] {
        let mut b = [0u8; 32];
        b[0..8].copy_from_slice(&self.userdata.to_le_bytes());
        b[8..10].copy_from_slice(&(self.error as u16).to_le_bytes());
        b[10] = self.kind;
        b[16..24].copy_from_slice(&self.nbytes.to_le_bytes());
        b[24..26].copy_from_slice(&self.flags.to_le_bytes());
        b
    }
}

/// Bytes readable without blocking on a host descriptor (`FIONREAD`), 0 if unknown.
fn readable(fd: i32) -> u64 {
    let mut n: libc::c_int = 0;
    // SAFETY: FIONREAD writes one int through the pointer.
    if unsafe { libc::ioctl(fd, libc::FIONREAD, &mut n) } == 0 {
        n.max(0) as u64
    } else {
        0
    }
}

impl WasiCtx {
    /// `poll_oneoff(in, out, nsubscriptions, nevents_ptr)`. Descriptors with no host descriptor
    /// behind them (in-memory streams) and regular files are always ready; a subscription on a bad
    /// descriptor is reported at once as an event carrying the error.
    pub fn poll_oneoff(
        &mut self,
        mem: &mut [u8],
        input: i32,
        out: i32,
        nsubs: i32,
        nevents: i32,
    ) -> Errno {
        let mut mem = Mem(mem);
        done((|| {
            let nsubs = nsubs as u32;
            if nsubs == 0 {
                return Err(Errno::Inval);
            }
            let subs = mem
                .slice(input as u32, nsubs.checked_mul(48).ok_or(Errno::Fault)?)?
                .to_vec();
            mem.slice(out as u32, nsubs.checked_mul(32).ok_or(Errno::Fault)?)?;
            let start = Instant::now();
            let mut ready: Vec<Event> = Vec::new();
            let mut clocks: Vec<(u64, Duration)> = Vec::new();
            let mut waits: Vec<(u64, u8, i32, libc::pollfd)> = Vec::new();
            for s in subs.chunks_exact(48) {
                let userdata = u64::from_le_bytes(s[0..8].try_into().unwrap());
                let tag = s[8];
                let event = |error, kind| Event {
                    userdata,
                    error,
                    kind,
                    nbytes: 0,
                    flags: 0,
                };
                match tag {
                    eventtype::CLOCK => {
                        let id = u32::from_le_bytes(s[16..20].try_into().unwrap()) as i32;
                        let timeout = u64::from_le_bytes(s[24..32].try_into().unwrap());
                        let flags = u16::from_le_bytes(s[40..42].try_into().unwrap());
                        let wait = if flags & SUBSCRIPTION_CLOCK_ABSTIME != 0 {
                            now(id).map(|t| timeout.saturating_sub(t))
                        } else {
                            now(id).map(|_| timeout)
                        };
                        match wait {
                            Ok(ns) => clocks.push((userdata, Duration::from_nanos(ns))),
                            Err(e) => ready.push(event(e, tag)),
                        }
                    }
                    eventtype::FD_READ | eventtype::FD_WRITE => {
                        let fd = u32::from_le_bytes(s[16..20].try_into().unwrap()) as i32;
                        let d = match self.table.get(fd, rights::POLL_FD_READWRITE) {
                            Ok(d) => d,
                            Err(e) => {
                                ready.push(event(e, tag));
                                continue;
                            }
                        };
                        let host = d.host_fd().map(|h| h.as_raw_fd());
                        match (&d.kind, host) {
                            (Kind::File(f), _) => {
                                let mut e = event(Errno::Success, tag);
                                if tag == eventtype::FD_READ {
                                    let size = f.metadata().map_or(0, |m| m.len());
                                    let pos = crate::sys::tell(f).unwrap_or(size);
                                    e.nbytes = size.saturating_sub(pos);
                                }
                                ready.push(e);
                            }
                            (Kind::Stdio(s), None) => {
                                let mut e = event(Errno::Success, tag);
                                if tag == eventtype::FD_READ {
                                    e.nbytes = s.ready_bytes();
                                }
                                ready.push(e);
                            }
                            (_, Some(h)) => {
                                let events = if tag == eventtype::FD_READ {
                                    libc::POLLIN
                                } else {
                                    libc::POLLOUT
                                };
                                waits.push((
                                    userdata,
                                    tag,
                                    fd,
                                    libc::pollfd {
                                        fd: h,
                                        events,
                                        revents: 0,
                                    },
                                ));
                            }
                            (_, None) => ready.push(event(Errno::Badf, tag)),
                        }
                    }
                    _ => return Err(Errno::Inval),
                }
            }

            let first_clock = clocks.iter().map(|c| c.1).min();
            let timeout = if ready.is_empty() {
                first_clock
            } else {
                Some(Duration::ZERO)
            };
            if !waits.is_empty() {
                let mut fds: Vec<libc::pollfd> = waits.iter().map(|w| w.3).collect();
                loop {
                    let left = timeout.map(|t| t.saturating_sub(start.elapsed()));
                    let ts = left.map(|d| libc::timespec {
                        tv_sec: d.as_secs() as libc::time_t,
                        tv_nsec: d.subsec_nanos() as libc::c_long,
                    });
                    let tsp = ts.as_ref().map_or(std::ptr::null(), |t| t as *const _);
                    // SAFETY: `fds` is a valid array of `fds.len()` pollfds; `tsp` is null or
                    // points at a timespec that outlives the call; no signal mask is passed.
                    let r = unsafe {
                        libc::ppoll(fds.as_mut_ptr(), fds.len() as _, tsp, std::ptr::null())
                    };
                    if r >= 0 {
                        break;
                    }
                    let e = Errno::last();
                    if e != Errno::Intr {
                        return Err(e);
                    }
                }
                for (w, p) in waits.iter().zip(&fds) {
                    if p.revents == 0 {
                        continue;
                    }
                    let (userdata, kind, _fd, _) = *w;
                    let mut e = Event {
                        userdata,
                        error: Errno::Success,
                        kind,
                        nbytes: 0,
                        flags: 0,
                    };
                    if p.revents & libc::POLLNVAL != 0 {
                        e.error = Errno::Badf;
                    } else if p.revents & libc::POLLERR != 0
                        && p.revents & (libc::POLLIN | libc::POLLOUT) == 0
                    {
                        e.error = Errno::Io;
                    }
                    if p.revents & libc::POLLHUP != 0 {
                        e.flags |= EVENT_FD_READWRITE_HANGUP;
                    }
                    if kind == eventtype::FD_READ {
                        e.nbytes = readable(p.fd);
                    }
                    ready.push(e);
                }
            } else if let (true, Some(t)) = (ready.is_empty(), timeout) {
                std::thread::sleep(t);
            }
            if ready.is_empty() {
                let elapsed = start.elapsed();
                for &(userdata, wait) in &clocks {
                    if wait <= elapsed {
                        ready.push(Event {
                            userdata,
                            error: Errno::Success,
                            kind: eventtype::CLOCK,
                            nbytes: 0,
                            flags: 0,
                        });
                    }
                }
            }
            for (i, e) in ready.iter().enumerate() {
                mem.write_bytes(out as u32 + 32 * i as u32, &e.bytes())?;
            }
            mem.put_u32(nevents as u32, ready.len() as u32)
        })())
    }
}
