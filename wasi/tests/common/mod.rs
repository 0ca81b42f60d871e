//! A fake guest for driving `WasiCtx` directly: a `Vec<u8>` as linear memory and a bump allocator.
#![allow(dead_code, missing_docs)]

use strata_wasi::types::rights;
use strata_wasi::{Errno, WasiCtx};

pub const MEM: usize = 1 << 20;

pub struct Guest {
    pub ctx: WasiCtx,
    pub mem: Vec<u8>,
    top: u32,
}

pub fn ok(e: Errno) {
    assert_eq!(e, Errno::Success);
}

pub fn res(e: Errno) -> Result<(), Errno> {
    if e == Errno::Success {
        Ok(())
    } else {
        Err(e)
    }
}

impl Guest {
    pub fn new(ctx: WasiCtx) -> Guest {
        Guest {
            ctx,
            mem: vec![0; MEM],
            top: 16,
        }
    }

    pub fn alloc(&mut self, n: u32) -> i32 {
        let p = (self.top + 7) & !7;
        self.top = p + n;
        assert!((self.top as usize) < MEM);
        p as i32
    }

    pub fn put(&mut self, bytes: &[u8]) -> (i32, i32) {
        let p = self.alloc(bytes.len() as u32);
        self.mem[p as usize..p as usize + bytes.len()].copy_from_slice(bytes);
        (p, bytes.len() as i32)
    }

    pub fn u16(&self, p: i32) -> u16 {
        u16::from_le_bytes(self.mem[p as usize..p as usize + 2].try_into().unwrap())
    }
    pub fn u32(&self, p: i32) -> u32 {
        u32::from_le_bytes(self.mem[p as usize..p as usize + 4].try_into().unwrap())
    }
    pub fn u64(&self, p: i32) -> u64 {
        u64::from_le_bytes(self.mem[p as usize..p as usize + 8].try_into().unwrap())
    }
    pub fn bytes(&self, p: i32, n: usize) -> Vec<u8> {
        self.mem[p as usize..p as usize + n].to_vec()
    }

    /// An iovec array over fresh buffers of the given sizes; returns (iovs, count, buffers).
    pub fn iovs(&mut self, sizes: &[u32]) -> (i32, i32, Vec<i32>) {
        let bufs: Vec<i32> = sizes.iter().map(|&n| self.alloc(n)).collect();
        let table = self.alloc(8 * sizes.len() as u32);
        for (i, (&b, &n)) in bufs.iter().zip(sizes).enumerate() {
            let at = table as usize + 8 * i;
            self.mem[at..at + 4].copy_from_slice(&(b as u32).to_le_bytes());
            self.mem[at + 4..at + 8].copy_from_slice(&n.to_le_bytes());
        }
        (table, sizes.len() as i32, bufs)
    }

    /// An iovec array holding `parts`.
    pub fn iovs_of(&mut self, parts: &[&[u8]]) -> (i32, i32) {
        let sizes: Vec<u32> = parts.iter().map(|p| p.len() as u32).collect();
        let (t, n, bufs) = self.iovs(&sizes);
        for (b, p) in bufs.iter().zip(parts) {
            self.mem[*b as usize..*b as usize + p.len()].copy_from_slice(p);
        }
        (t, n)
    }

    pub fn open_full(
        &mut self,
        dir: i32,
        follow: bool,
        path: &str,
        oflags: u16,
        base: u64,
        fdflags: u16,
    ) -> Result<i32, Errno> {
        let (p, l) = self.put(path.as_bytes());
        let out = self.alloc(4);
        res(self.ctx.path_open(
            &mut self.mem,
            dir,
            follow as i32,
            p,
            l,
            oflags as i32,
            base as i64,
            rights::ALL as i64,
            fdflags as i32,
            out,
        ))?;
        Ok(self.u32(out) as i32)
    }

    pub fn open(&mut self, dir: i32, path: &str, oflags: u16, base: u64) -> Result<i32, Errno> {
        self.open_full(dir, true, path, oflags, base, 0)
    }

    pub fn write(&mut self, fd: i32, data: &[u8]) -> Result<u32, Errno> {
        let (t, n) = self.iovs_of(&[data]);
        let out = self.alloc(4);
        res(self.ctx.fd_write(&mut self.mem, fd, t, n, out))?;
        Ok(self.u32(out))
    }

    pub fn read(&mut self, fd: i32, n: u32) -> Result<Vec<u8>, Errno> {
        let (t, c, bufs) = self.iovs(&[n]);
        let out = self.alloc(4);
        res(self.ctx.fd_read(&mut self.mem, fd, t, c, out))?;
        let got = self.u32(out) as usize;
        Ok(self.bytes(bufs[0], got))
    }

    /// Runs a one-path function `f(ctx, mem, fd, ptr, len)`.
    pub fn path1(
        &mut self,
        f: fn(&mut WasiCtx, &mut [u8], i32, i32, i32) -> Errno,
        fd: i32,
        path: &str,
    ) -> Result<(), Errno> {
        let (p, l) = self.put(path.as_bytes());
        res(f(&mut self.ctx, &mut self.mem, fd, p, l))
    }

    pub fn stat(&mut self, fd: i32, follow: bool, path: &str) -> Result<Vec<u8>, Errno> {
        let (p, l) = self.put(path.as_bytes());
        let out = self.alloc(64);
        res(self
            .ctx
            .path_filestat_get(&mut self.mem, fd, follow as i32, p, l, out))?;
        Ok(self.bytes(out, 64))
    }

    pub fn rename(&mut self, fd: i32, from: &str, to_fd: i32, to: &str) -> Result<(), Errno> {
        let (a, al) = self.put(from.as_bytes());
        let (b, bl) = self.put(to.as_bytes());
        res(self.ctx.path_rename(&mut self.mem, fd, a, al, to_fd, b, bl))
    }

    pub fn link(
        &mut self,
        fd: i32,
        follow: bool,
        from: &str,
        to_fd: i32,
        to: &str,
    ) -> Result<(), Errno> {
        let (a, al) = self.put(from.as_bytes());
        let (b, bl) = self.put(to.as_bytes());
        res(self
            .ctx
            .path_link(&mut self.mem, fd, follow as i32, a, al, to_fd, b, bl))
    }

    pub fn symlink(&mut self, target: &str, fd: i32, name: &str) -> Result<(), Errno> {
        let (a, al) = self.put(target.as_bytes());
        let (b, bl) = self.put(name.as_bytes());
        res(self.ctx.path_symlink(&mut self.mem, a, al, fd, b, bl))
    }

    pub fn readlink(&mut self, fd: i32, path: &str, cap: u32) -> Result<Vec<u8>, Errno> {
        let (p, l) = self.put(path.as_bytes());
        let buf = self.alloc(cap);
        let used = self.alloc(4);
        res(self
            .ctx
            .path_readlink(&mut self.mem, fd, p, l, buf, cap as i32, used))?;
        Ok(self.bytes(buf, self.u32(used) as usize))
    }

    /// All entries of a directory through fd_readdir with a small buffer (exercising cookies).
    pub fn readdir(&mut self, fd: i32) -> Result<Vec<(String, u8)>, Errno> {
        let mut out = Vec::new();
        let mut cookie = 0u64;
        let buf = self.alloc(4096);
        let used = self.alloc(4);
        loop {
            res(self
                .ctx
                .fd_readdir(&mut self.mem, fd, buf, 4096, cookie as i64, used))?;
            let n = self.u32(used) as usize;
            let mut at = 0usize;
            while at + 24 <= n {
                let b = buf as usize + at;
                let next = self.u64(b as i32);
                let namlen = self.u32(b as i32 + 16) as usize;
                let ty = self.mem[b + 20];
                if at + 24 + namlen > n {
                    break;
                }
                let name = String::from_utf8(self.bytes(b as i32 + 24, namlen)).unwrap();
                out.push((name, ty));
                cookie = next;
                at += 24 + namlen;
            }
            if n < 4096 {
                return Ok(out);
            }
        }
    }
}
