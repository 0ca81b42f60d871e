//! Bounds-checked little-endian loads and stores of 1, 2, 4, 8 and 16 bytes.

use super::LinearMemory;
use crate::trap::TrapCode;

/// A value that loads and stores can move: a fixed number of little-endian bytes.
/// Floats move as raw bits, so NaN payloads survive.
pub trait MemoryValue: Copy {
    /// The access size in bytes.
    const SIZE: usize;
    /// Reads `Self::SIZE` bytes (`bytes.len() == Self::SIZE`).
    fn read_le(bytes: &[u8]) -> Self;
    /// Writes `Self::SIZE` bytes (`bytes.len() == Self::SIZE`).
    fn write_le(self, bytes: &mut [u8]);
}

macro_rules! memory_value {
    ($($ty:ty),*) => {$(
        impl MemoryValue for $ty {
            const SIZE: usize = core::mem::size_of::<$ty>();

            #[inline]
            fn read_le(bytes: &[u8]) -> Self {
                let mut buf = [0u8; core::mem::size_of::<$ty>()];
                buf.copy_from_slice(bytes);
                <$ty>::from_le_bytes(buf)
            }

            #[inline]
            fn write_le(self, bytes: &mut [u8]) {
                bytes.copy_from_slice(&self.to_le_bytes());
            }
        }
    )*};
}

memory_value!(u8, i8, u16, i16, u32, i32, u64, i64, u128, f32, f64);

impl LinearMemory {
    /// The start of the `size`-byte access at `addr + offset`, or a trap if any byte of it is out
    /// of bounds. `addr` is the zero-extended operand, `offset` the static offset; the sum is
    /// computed without wrapping.
    #[inline]
    pub fn check_access(&self, addr: u64, offset: u64, size: usize) -> Result<usize, TrapCode> {
        let start = addr
            .checked_add(offset)
            .ok_or(TrapCode::MemoryOutOfBounds)?;
        let end = start
            .checked_add(size as u64)
            .ok_or(TrapCode::MemoryOutOfBounds)?;
        if end > self.len() as u64 {
            return Err(TrapCode::MemoryOutOfBounds);
        }
        // `start <= end <= len`, so it fits `usize`.
        Ok(start as usize)
    }

    /// Loads a `T` from `addr + offset` (little-endian).
    #[inline]
    pub fn load<T: MemoryValue>(&self, addr: u64, offset: u64) -> Result<T, TrapCode> {
        let start = self.check_access(addr, offset, T::SIZE)?;
        Ok(T::read_le(&self.data()[start..start + T::SIZE]))
    }

    /// Stores a `T` at `addr + offset` (little-endian). Nothing is written if it traps.
    #[inline]
    pub fn store<T: MemoryValue>(
        &mut self,
        addr: u64,
        offset: u64,
        value: T,
    ) -> Result<(), TrapCode> {
        let start = self.check_access(addr, offset, T::SIZE)?;
        value.write_le(&mut self.data_mut()[start..start + T::SIZE]);
        Ok(())
    }
}
