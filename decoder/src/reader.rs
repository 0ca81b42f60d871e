//! A cursor over the module's bytes: LEB128 integers, floats, names, sub-ranges.
//!
//! LEB128 is read by hand rather than through the `leb128` crate: the spec distinguishes
//! "integer representation too long" from "integer too large", and the hot path (one-byte
//! integers) must stay a compare and a branch.

use crate::error::{DecodeError, DecodeErrorKind};
use crate::features::Features;

/// A cursor over a slice of the module, remembering the slice's offset in the whole module.
#[derive(Debug, Clone)]
pub struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
    base: usize,
    features: Features,
    /// Set on readers split off with [`Reader::sub_reader`]: running out of bytes there is
    /// "unexpected end of section or function" rather than "unexpected end" of the module.
    in_section: bool,
}

impl<'a> Reader<'a> {
    /// A reader over `data`, which starts at byte `base` of the module.
    pub fn new(data: &'a [u8], base: usize, features: Features) -> Self {
        Reader {
            data,
            pos: 0,
            base,
            features,
            in_section: false,
        }
    }

    /// The enabled proposals.
    pub fn features(&self) -> Features {
        self.features
    }

    /// The current position as an offset in the whole module.
    #[inline]
    pub fn offset(&self) -> usize {
        self.base + self.pos
    }

    /// True when every byte has been read.
    #[inline]
    pub fn eof(&self) -> bool {
        self.pos >= self.data.len()
    }

    /// Bytes not yet read.
    #[inline]
    pub fn remaining(&self) -> usize {
        self.data.len() - self.pos
    }

    /// The unread bytes.
    pub fn rest(&self) -> &'a [u8] {
        &self.data[self.pos..]
    }

    /// An error of `kind` at the current position.
    #[cold]
    pub fn error(&self, kind: DecodeErrorKind) -> DecodeError {
        DecodeError::new(kind, self.offset())
    }

    /// The kind of error for running out of bytes: the end of a section or of the module.
    fn end_kind(&self) -> DecodeErrorKind {
        if self.in_section {
            DecodeErrorKind::UnexpectedEndOfSection
        } else {
            DecodeErrorKind::UnexpectedEnd
        }
    }

    #[cold]
    fn eof_error(&self) -> DecodeError {
        DecodeError::new(self.end_kind(), self.base + self.data.len())
    }

    /// The next byte without consuming it.
    #[inline]
    pub fn peek_u8(&self) -> Result<u8, DecodeError> {
        match self.data.get(self.pos) {
            Some(&b) => Ok(b),
            None => Err(self.eof_error()),
        }
    }

    /// Reads one byte.
    #[inline]
    pub fn read_u8(&mut self) -> Result<u8, DecodeError> {
        let b = self.peek_u8()?;
        self.pos += 1;
        Ok(b)
    }

    /// Reads `n` raw bytes.
    #[inline]
    pub fn read_bytes(&mut self, n: usize) -> Result<&'a [u8], DecodeError> {
        if n > self.remaining() {
            return Err(self.eof_error());
        }
        let s = &self.data[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }

    /// Skips `n` bytes.
    pub fn skip(&mut self, n: usize) -> Result<(), DecodeError> {
        self.read_bytes(n).map(|_| ())
    }

    /// Reads a fixed-size little-endian `u32` (used by the header and floats).
    pub fn read_u32_le(&mut self) -> Result<u32, DecodeError> {
        let b = self.read_bytes(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    /// Reads a fixed-size little-endian `u64`.
    pub fn read_u64_le(&mut self) -> Result<u64, DecodeError> {
        let b = self.read_bytes(8)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        Ok(u64::from_le_bytes(a))
    }

    /// Reads an unsigned LEB128 `u32`.
    #[inline]
    pub fn read_var_u32(&mut self) -> Result<u32, DecodeError> {
        let b = self.read_u8()?;
        if b & 0x80 == 0 {
            return Ok(u32::from(b));
        }
        self.read_var_u32_slow(b)
    }

    #[cold]
    fn read_var_u32_slow(&mut self, first: u8) -> Result<u32, DecodeError> {
        let mut result = u32::from(first & 0x7f);
        let mut shift = 7;
        loop {
            let b = self.read_u8()?;
            if shift == 28 {
                if b & 0x80 != 0 {
                    return Err(self.error_at_prev(DecodeErrorKind::IntegerTooLong));
                }
                if b & 0x70 != 0 {
                    return Err(self.error_at_prev(DecodeErrorKind::IntegerTooLarge));
                }
            }
            result |= u32::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(result);
            }
            shift += 7;
        }
    }

    /// Reads an unsigned LEB128 `u64`.
    pub fn read_var_u64(&mut self) -> Result<u64, DecodeError> {
        let mut result: u64 = 0;
        let mut shift = 0;
        loop {
            let b = self.read_u8()?;
            if shift == 63 {
                if b & 0x80 != 0 {
                    return Err(self.error_at_prev(DecodeErrorKind::IntegerTooLong));
                }
                if b & 0x7e != 0 {
                    return Err(self.error_at_prev(DecodeErrorKind::IntegerTooLarge));
                }
            }
            result |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(result);
            }
            shift += 7;
        }
    }

    /// Reads a signed LEB128 integer of `bits` bits (at most 64), sign-extended into an `i64`.
    fn read_var_signed(&mut self, bits: u32) -> Result<i64, DecodeError> {
        let max_bytes = bits.div_ceil(7);
        let mut result: i64 = 0;
        let mut shift = 0u32;
        let mut count = 0u32;
        loop {
            let b = self.read_u8()?;
            count += 1;
            if count == max_bytes {
                if b & 0x80 != 0 {
                    return Err(self.error_at_prev(DecodeErrorKind::IntegerTooLong));
                }
                // Only `used` payload bits carry value; the bits above them must repeat the sign.
                let used = bits - shift;
                let payload = b & 0x7f;
                let sign = (payload >> (used - 1)) & 1;
                if used < 7 {
                    let upper = payload >> used;
                    let expected = if sign == 1 {
                        (1u8 << (7 - used)) - 1
                    } else {
                        0
                    };
                    if upper != expected {
                        return Err(self.error_at_prev(DecodeErrorKind::IntegerTooLarge));
                    }
                }
                result |= i64::from(payload) << shift;
                if sign == 1 && shift + used < 64 {
                    result |= -1i64 << (shift + used);
                }
                break;
            }
            result |= i64::from(b & 0x7f) << shift;
            shift += 7;
            if b & 0x80 == 0 {
                if shift < 64 && b & 0x40 != 0 {
                    result |= -1i64 << shift;
                }
                break;
            }
        }
        Ok(result)
    }

    /// Reads a signed LEB128 `i32`.
    #[inline]
    pub fn read_var_i32(&mut self) -> Result<i32, DecodeError> {
        let b = self.peek_u8()?;
        if b & 0x80 == 0 {
            self.pos += 1;
            return Ok(i32::from((b << 1) as i8) >> 1);
        }
        self.read_var_signed(32).map(|v| v as i32)
    }

    /// Reads a signed LEB128 33-bit integer (block type indices).
    pub fn read_var_s33(&mut self) -> Result<i64, DecodeError> {
        self.read_var_signed(33)
    }

    /// Reads a signed LEB128 `i64`.
    pub fn read_var_i64(&mut self) -> Result<i64, DecodeError> {
        self.read_var_signed(64)
    }

    /// Reads a `u32` vector count that must not exceed the remaining bytes (each element takes
    /// at least one byte). A larger count is reported, at the count, as the end of input that
    /// reading the elements would run into.
    pub fn read_count(&mut self) -> Result<u32, DecodeError> {
        let at = self.offset();
        let n = self.read_var_u32()?;
        if n as usize > self.remaining() {
            return Err(DecodeError::new(self.end_kind(), at));
        }
        Ok(n)
    }

    /// Reads a length-prefixed UTF-8 name.
    pub fn read_name(&mut self) -> Result<&'a str, DecodeError> {
        let len = self.read_var_u32()? as usize;
        if len > self.remaining() {
            return Err(self.error(DecodeErrorKind::LengthOutOfBounds));
        }
        let at = self.offset();
        let bytes = self.read_bytes(len)?;
        core::str::from_utf8(bytes)
            .map_err(|_| DecodeError::new(DecodeErrorKind::MalformedUtf8, at))
    }

    /// Splits off the next `len` bytes as a reader of their own.
    pub fn sub_reader(&mut self, len: usize) -> Result<Reader<'a>, DecodeError> {
        let base = self.offset();
        let data = self.read_bytes(len)?;
        let mut sub = Reader::new(data, base, self.features);
        sub.in_section = true;
        Ok(sub)
    }

    #[cold]
    fn error_at_prev(&self, kind: DecodeErrorKind) -> DecodeError {
        DecodeError::new(kind, self.offset() - 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(bytes: &[u8]) -> Reader<'_> {
        Reader::new(bytes, 0, Features::default())
    }

    #[test]
    fn unsigned_leb() {
        assert_eq!(r(&[0x00]).read_var_u32().unwrap(), 0);
        assert_eq!(r(&[0xe5, 0x8e, 0x26]).read_var_u32().unwrap(), 624485);
        assert_eq!(
            r(&[0xff, 0xff, 0xff, 0xff, 0x0f]).read_var_u32().unwrap(),
            u32::MAX
        );
        assert_eq!(
            r(&[0xff, 0xff, 0xff, 0xff, 0x1f])
                .read_var_u32()
                .unwrap_err()
                .kind(),
            DecodeErrorKind::IntegerTooLarge
        );
        assert_eq!(
            r(&[0x80, 0x80, 0x80, 0x80, 0x80, 0x00])
                .read_var_u32()
                .unwrap_err()
                .kind(),
            DecodeErrorKind::IntegerTooLong
        );
        assert_eq!(
            r(&[0x80]).read_var_u32().unwrap_err().kind(),
            DecodeErrorKind::UnexpectedEnd
        );
    }

    #[test]
    fn signed_leb() {
        assert_eq!(r(&[0x7f]).read_var_i32().unwrap(), -1);
        assert_eq!(r(&[0x3f]).read_var_i32().unwrap(), 63);
        assert_eq!(r(&[0xc0, 0xbb, 0x78]).read_var_i32().unwrap(), -123456);
        assert_eq!(
            r(&[0x80, 0x80, 0x80, 0x80, 0x78]).read_var_i32().unwrap(),
            i32::MIN
        );
        assert_eq!(
            r(&[0xff, 0xff, 0xff, 0xff, 0x07]).read_var_i32().unwrap(),
            i32::MAX
        );
        // Unused bits must be a sign extension.
        assert_eq!(
            r(&[0xff, 0xff, 0xff, 0xff, 0x4f])
                .read_var_i32()
                .unwrap_err()
                .kind(),
            DecodeErrorKind::IntegerTooLarge
        );
        assert_eq!(
            r(&[0x80, 0x80, 0x80, 0x80, 0x70])
                .read_var_i32()
                .unwrap_err()
                .kind(),
            DecodeErrorKind::IntegerTooLarge
        );
        assert_eq!(
            r(&[0x80, 0x80, 0x80, 0x80, 0x80, 0x7f])
                .read_var_i32()
                .unwrap_err()
                .kind(),
            DecodeErrorKind::IntegerTooLong
        );
        let min64 = [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f];
        assert_eq!(r(&min64).read_var_i64().unwrap(), i64::MIN);
        let max64 = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00];
        assert_eq!(r(&max64).read_var_i64().unwrap(), i64::MAX);
        let bad64 = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01];
        assert_eq!(
            r(&bad64).read_var_i64().unwrap_err().kind(),
            DecodeErrorKind::IntegerTooLarge
        );
        assert_eq!(r(&[0x40]).read_var_s33().unwrap(), -64);
    }
}
