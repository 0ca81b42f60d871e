//! Bounds-checked access to guest memory: every pointer the guest passes goes through here, and a
//! range outside the memory is `EFAULT`, never a panic.

use crate::errno::{Errno, Result};

/// The guest's linear memory during one call.
pub(crate) struct Mem<'a>(pub &'a mut [u8]);

/// The most bytes one read or write call moves through a temporary buffer.
pub(crate) const MAX_IO: usize = 16 << 20;

impl Mem<'_> {
    fn range(&self, ptr: u32, len: u64) -> Result<std::ops::Range<usize>> {
        let start = u64::from(ptr);
        let end = start.checked_add(len).ok_or(Errno::Fault)?;
        if end > self.0.len() as u64 {
            return Err(Errno::Fault);
        }
        Ok(start as usize..end as usize)
    }

    pub fn slice(&self, ptr: u32, len: u32) -> Result<&[u8]> {
        let r = self.range(ptr, u64::from(len))?;
        Ok(&self.0[r])
    }

    pub fn slice_mut(&mut self, ptr: u32, len: u32) -> Result<&mut [u8]> {
        let r = self.range(ptr, u64::from(len))?;
        Ok(&mut self.0[r])
    }

    pub fn write_bytes(&mut self, ptr: u32, bytes: &[u8]) -> Result<()> {
        let r = self.range(ptr, bytes.len() as u64)?;
        self.0[r].copy_from_slice(bytes);
        Ok(())
    }

    pub fn put_u32(&mut self, ptr: u32, v: u32) -> Result<()> {
        self.write_bytes(ptr, &v.to_le_bytes())
    }
    pub fn put_u16(&mut self, ptr: u32, v: u16) -> Result<()> {
        self.write_bytes(ptr, &v.to_le_bytes())
    }
    pub fn put_u64(&mut self, ptr: u32, v: u64) -> Result<()> {
        self.write_bytes(ptr, &v.to_le_bytes())
    }

    /// A path argument: its bytes, which must not contain NUL.
    pub fn path(&self, ptr: u32, len: u32) -> Result<Vec<u8>> {
        let bytes = self.slice(ptr, len)?;
        if bytes.contains(&0) {
            return Err(Errno::Inval);
        }
        Ok(bytes.to_vec())
    }

    /// The `(buf, len)` pairs of an iovec array, each checked to lie within memory.
    pub fn iovecs(&self, iovs: u32, count: u32) -> Result<Vec<(u32, u32)>> {
        let table = self.slice(iovs, count.checked_mul(8).ok_or(Errno::Fault)?)?;
        let mut out = Vec::with_capacity(count as usize);
        for iov in table.chunks_exact(8) {
            let buf = u32::from_le_bytes(iov[..4].try_into().unwrap());
            let len = u32::from_le_bytes(iov[4..].try_into().unwrap());
            self.range(buf, u64::from(len))?;
            out.push((buf, len));
        }
        Ok(out)
    }

    /// The bytes of `iovs` concatenated (at most [`MAX_IO`]), for one write.
    pub fn gather(&self, iovs: &[(u32, u32)]) -> Result<Vec<u8>> {
        let mut out = Vec::new();
        for &(buf, len) in iovs {
            let room = MAX_IO - out.len();
            let take = (len as usize).min(room);
            out.extend_from_slice(self.slice(buf, take as u32)?);
            if out.len() == MAX_IO {
                break;
            }
        }
        Ok(out)
    }

    /// Copies `data` into the buffers of `iovs` in turn.
    pub fn scatter(&mut self, iovs: &[(u32, u32)], mut data: &[u8]) -> Result<()> {
        for &(buf, len) in iovs {
            if data.is_empty() {
                break;
            }
            let n = (len as usize).min(data.len());
            self.write_bytes(buf, &data[..n])?;
            data = &data[n..];
        }
        Ok(())
    }
}

/// The total length of `iovs`, capped at [`MAX_IO`]: the size of a temporary read buffer.
pub(crate) fn iov_total(iovs: &[(u32, u32)]) -> usize {
    iovs.iter()
        .map(|&(_, len)| len as usize)
        .fold(0usize, |a, b| a.saturating_add(b))
        .min(MAX_IO)
}
