//! args, environ, clocks, random, sched and proc.

use std::os::fd::AsRawFd;

use crate::ctx::WasiCtx;
use crate::errno::{Errno, Result};
use crate::mem::Mem;
use crate::types::clockid;

/// Turns a body's result into the guest's errno.
pub(crate) fn done(r: Result<()>) -> Errno {
    match r {
        Ok(()) => Errno::Success,
        Err(e) => e,
    }
}

/// How a guest asked to end: `proc_exit`'s code, or a fatal `proc_raise`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ProcExit {
    /// The exit status (for a signal, 128 + its number, as a shell reports it).
    pub code: u32,
}

impl std::fmt::Display for ProcExit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "guest exited with status {}", self.code)
    }
}

impl std::error::Error for ProcExit {}

/// Writes a list of NUL-terminated strings (`args_get`, `environ_get`).
fn put_strings(mem: &mut Mem<'_>, list: &[Vec<u8>], ptrs: u32, buf: u32) -> Result<()> {
    let mut at = buf;
    for (i, s) in list.iter().enumerate() {
        mem.put_u32(ptrs.checked_add(4 * i as u32).ok_or(Errno::Fault)?, at)?;
        mem.write_bytes(at, s)?;
        let end = at.checked_add(s.len() as u32).ok_or(Errno::Fault)?;
        mem.write_bytes(end, &[0])?;
        at = end.checked_add(1).ok_or(Errno::Fault)?;
    }
    Ok(())
}

fn put_sizes(mem: &mut Mem<'_>, list: &[Vec<u8>], count: u32, size: u32) -> Result<()> {
    mem.put_u32(count, list.len() as u32)?;
    let total: usize = list.iter().map(|s| s.len() + 1).sum();
    mem.put_u32(size, u32::try_from(total).map_err(|_| Errno::Overflow)?)
}

fn host_clock(id: i32) -> Result<libc::clockid_t> {
    Ok(match id as u32 {
        clockid::REALTIME => libc::CLOCK_REALTIME,
        clockid::MONOTONIC => libc::CLOCK_MONOTONIC,
        clockid::PROCESS_CPUTIME_ID => libc::CLOCK_PROCESS_CPUTIME_ID,
        clockid::THREAD_CPUTIME_ID => libc::CLOCK_THREAD_CPUTIME_ID,
        _ => return Err(Errno::Inval),
    })
}

/// The time of a WASI clock, in nanoseconds.
pub(crate) fn now(id: i32) -> Result<u64> {
    let clock = host_clock(id)?;
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid out-pointer.
    if unsafe { libc::clock_gettime(clock, &mut ts) } != 0 {
        return Err(Errno::last());
    }
    Ok((ts.tv_sec as u64)
        .wrapping_mul(1_000_000_000)
        .wrapping_add(ts.tv_nsec as u64))
}

impl WasiCtx {
    /// `args_get(argv, argv_buf)`.
    pub fn args_get(&mut self, mem: &mut [u8], argv: i32, argv_buf: i32) -> Errno {
        done(put_strings(
            &mut Mem(mem),
            &self.args,
            argv as u32,
            argv_buf as u32,
        ))
    }

    /// `args_sizes_get(argc_ptr, argv_buf_size_ptr)`.
    pub fn args_sizes_get(&mut self, mem: &mut [u8], argc: i32, size: i32) -> Errno {
        done(put_sizes(
            &mut Mem(mem),
            &self.args,
            argc as u32,
            size as u32,
        ))
    }

    /// `environ_get(environ, environ_buf)`.
    pub fn environ_get(&mut self, mem: &mut [u8], environ: i32, buf: i32) -> Errno {
        done(put_strings(
            &mut Mem(mem),
            &self.env,
            environ as u32,
            buf as u32,
        ))
    }

    /// `environ_sizes_get(count_ptr, buf_size_ptr)`.
    pub fn environ_sizes_get(&mut self, mem: &mut [u8], count: i32, size: i32) -> Errno {
        done(put_sizes(
            &mut Mem(mem),
            &self.env,
            count as u32,
            size as u32,
        ))
    }

    /// `clock_res_get(id, resolution_ptr)`.
    pub fn clock_res_get(&mut self, mem: &mut [u8], id: i32, res: i32) -> Errno {
        done((|| {
            let clock = host_clock(id)?;
            let mut ts = libc::timespec {
                tv_sec: 0,
                tv_nsec: 0,
            };
            // SAFETY: `ts` is a valid out-pointer.
            if unsafe { libc::clock_getres(clock, &mut ts) } != 0 {
                return Err(Errno::last());
            }
            let ns = (ts.tv_sec as u64) * 1_000_000_000 + ts.tv_nsec as u64;
            Mem(mem).put_u64(res as u32, ns.max(1))
        })())
    }

    /// `clock_time_get(id, precision, time_ptr)`.
    pub fn clock_time_get(&mut self, mem: &mut [u8], id: i32, _precision: i64, time: i32) -> Errno {
        done(now(id).and_then(|t| Mem(mem).put_u64(time as u32, t)))
    }

    /// `random_get(buf, buf_len)`: bytes from the host's `getrandom(2)`.
    pub fn random_get(&mut self, mem: &mut [u8], buf: i32, len: i32) -> Errno {
        done((|| {
            let mut mem = Mem(mem);
            let mut out = mem.slice_mut(buf as u32, len as u32)?;
            while !out.is_empty() {
                // SAFETY: `out` is writable for `out.len()` bytes.
                let n = unsafe { libc::getrandom(out.as_mut_ptr().cast(), out.len(), 0) };
                if n < 0 {
                    let e = Errno::last();
                    if e == Errno::Intr {
                        continue;
                    }
                    return Err(e);
                }
                out = &mut out[n as usize..];
            }
            Ok(())
        })())
    }

    /// `sched_yield()`.
    pub fn sched_yield(&mut self) -> Errno {
        std::thread::yield_now();
        Errno::Success
    }

    /// `proc_exit(code)`: the embedder must stop the guest and report the returned status.
    pub fn proc_exit(&mut self, code: i32) -> ProcExit {
        ProcExit { code: code as u32 }
    }

    /// `proc_raise(sig)`: signal 0, the signals whose default action is to be ignored (`SIGCHLD`,
    /// `SIGURG`, `SIGWINCH`) and the job-control ones (`SIGCONT`, `SIGSTOP`, `SIGTSTP`, `SIGTTIN`,
    /// `SIGTTOU`: a guest cannot be stopped) do nothing; every other signal of preview1's
    /// `$signal` (1 to 30) ends the guest with status 128 + its number; any other is `EINVAL`.
    pub fn proc_raise(&mut self, sig: i32) -> std::result::Result<Errno, ProcExit> {
        // preview1's `$signal` numbering: chld 16, cont 17, stop 18, tstp 19, ttin 20, ttou 21,
        // urg 22, winch 27.
        const IGNORED: [i32; 8] = [16, 17, 18, 19, 20, 21, 22, 27];
        match sig {
            0 => Ok(Errno::Success),
            s if IGNORED.contains(&s) => Ok(Errno::Success),
            1..=30 => Err(ProcExit {
                code: 128 + sig as u32,
            }),
            _ => Ok(Errno::Inval),
        }
    }

    /// Closes every descriptor (what ending the guest implies); the table is left empty.
    pub fn close_all(&mut self) {
        self.table = Default::default();
    }

    /// The host descriptor behind guest descriptor `fd`, if it has one (for embedders that poll).
    pub fn host_fd(&mut self, fd: i32) -> Option<i32> {
        self.table.get(fd, 0).ok()?.host_fd().map(|f| f.as_raw_fd())
    }
}
