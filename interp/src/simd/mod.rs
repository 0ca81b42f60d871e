//! The lane semantics of the SIMD (`v128`) instructions, as pure functions on `u128`.
//!
//! A `v128` is a `u128` with lane 0 in the low bits (the wasm byte order, little-endian). Each
//! operation converts its operands to lane arrays (`[i8; 16]`, `[u16; 8]`, `[f32; 4]`, ...),
//! runs a plain loop over the lanes and converts the result back (`lanes`/`from_lanes`, via
//! `to_le_bytes`/`from_le_bytes`). The loops are simple enough for LLVM's SLP vectorizer to turn
//! into the target's vector instructions where it has them. There are no platform intrinsics
//! and no `unsafe` here: the same code runs, and gives the same results, on every target.
//!
//! **Why the byte arrays pass through `core::hint::black_box`.** Without it, LLVM's scalar
//! replacement splits the `u128` ↔ `[u8; 16]` conversions into one shift-and-truncate per lane
//! and the vectorizer then sees sixteen unrelated scalars: `i8x16.add_sat_s` compiled to ~150
//! scalar instructions on x86-64. `black_box` (an identity function, safe, in `core`) keeps the
//! arrays in memory, so the lane loop reads and writes whole 16-byte arrays and becomes one
//! vector instruction between a 16-byte load and store (`paddsb` for `add_sat_s`; most lane-wise
//! integer and float operations compile to 1–5 instructions, measured on x86-64 baseline SSE2
//! with a harness around `interp`'s functions). Operations whose lanes depend on data
//! (`swizzle`, `shuffle`) or have no baseline vector instruction (`ceil`, `floor`, `trunc`,
//! `nearest` below SSE4.1) stay scalar loops; they are still one dispatch for 2–16 lanes.
//!
//! - [`int`]: integer lane arithmetic, comparisons, bitwise operations, shifts, saturation,
//!   narrowing/widening, `extmul`, `extadd_pairwise`, `dot`, `q15mulr_sat_s`, the tests
//!   (`any_true`, `all_true`, `bitmask`);
//! - [`float`]: float lane arithmetic with the spec's NaN rules, `min`/`max`, `pmin`/`pmax`,
//!   rounding, comparisons;
//! - [`convert`]: conversions between integer and float lanes and between float widths;
//! - [`lanes`]: splat, extract/replace lane, shuffle, swizzle, and the shaping of loaded values
//!   (`load8x8_s`, `load32_zero`, lane loads and stores);
//! - [`relaxed`]: the relaxed-SIMD operations, each with one fixed choice among the results the
//!   proposal allows (documented on each function).

use core::hint::black_box;

pub mod convert;
pub mod float;
pub mod int;
pub mod lanes;
pub mod relaxed;

#[cfg(test)]
mod tests;

/// A lane type: a fixed-width number that is read from and written to little-endian bytes.
pub(crate) trait Lane: Copy + Default {
    /// Width in bytes.
    const SIZE: usize;
    /// The unsigned integer of the same width, for comparison masks.
    type Bits: Lane;
    /// The all-ones lane (a comparison's `true`).
    const ONES: Self::Bits;
    /// Reads `Self::SIZE` bytes.
    fn read(bytes: &[u8]) -> Self;
    /// Writes `Self::SIZE` bytes.
    fn write(self, bytes: &mut [u8]);
}

macro_rules! lane {
    ($($t:ty => $bits:ty),* $(,)?) => {$(
        impl Lane for $t {
            const SIZE: usize = core::mem::size_of::<$t>();
            type Bits = $bits;
            const ONES: $bits = <$bits>::MAX;

            #[cfg_attr(not(debug_assertions), inline(always))]
            fn read(bytes: &[u8]) -> Self {
                let mut b = [0u8; core::mem::size_of::<$t>()];
                b.copy_from_slice(bytes);
                <$t>::from_le_bytes(b)
            }

            #[cfg_attr(not(debug_assertions), inline(always))]
            fn write(self, bytes: &mut [u8]) {
                bytes.copy_from_slice(&self.to_le_bytes());
            }
        }
    )*};
}

lane!(
    i8 => u8, u8 => u8, i16 => u16, u16 => u16, i32 => u32, u32 => u32,
    i64 => u64, u64 => u64, f32 => u32, f64 => u64,
);

/// The lanes of `v` (lane 0 first). `N * T::SIZE` must be 16. (See the module documentation
/// for `black_box`.)
#[cfg_attr(not(debug_assertions), inline(always))]
pub(crate) fn lanes<T: Lane, const N: usize>(v: u128) -> [T; N] {
    debug_assert_eq!(N * T::SIZE, 16);
    let bytes = black_box(v.to_le_bytes());
    let mut r = [T::default(); N];
    for (i, lane) in r.iter_mut().enumerate() {
        *lane = T::read(&bytes[i * T::SIZE..(i + 1) * T::SIZE]);
    }
    r
}

/// The `v128` made of `a`'s lanes (lane 0 in the low bits). `N * T::SIZE` must be 16.
#[cfg_attr(not(debug_assertions), inline(always))]
pub(crate) fn from_lanes<T: Lane, const N: usize>(a: [T; N]) -> u128 {
    debug_assert_eq!(N * T::SIZE, 16);
    let mut bytes = [0u8; 16];
    for (i, lane) in a.iter().enumerate() {
        lane.write(&mut bytes[i * T::SIZE..(i + 1) * T::SIZE]);
    }
    u128::from_le_bytes(black_box(bytes))
}

/// Applies `f` to every lane.
#[cfg_attr(not(debug_assertions), inline(always))]
pub(crate) fn map<T: Lane, const N: usize>(v: u128, f: impl Fn(T) -> T) -> u128 {
    let a: [T; N] = lanes(v);
    let mut r = a;
    for i in 0..N {
        r[i] = f(a[i]);
    }
    from_lanes(r)
}

/// Applies `f` lane by lane to `a` and `b`.
#[cfg_attr(not(debug_assertions), inline(always))]
pub(crate) fn zip<T: Lane, const N: usize>(a: u128, b: u128, f: impl Fn(T, T) -> T) -> u128 {
    let a: [T; N] = lanes(a);
    let b: [T; N] = lanes(b);
    let mut r = a;
    for i in 0..N {
        r[i] = f(a[i], b[i]);
    }
    from_lanes(r)
}

/// Compares lane by lane: all ones where `f` holds, zero elsewhere.
#[cfg_attr(not(debug_assertions), inline(always))]
pub(crate) fn cmp<T: Lane, const N: usize>(a: u128, b: u128, f: impl Fn(T, T) -> bool) -> u128 {
    let a: [T; N] = lanes(a);
    let b: [T; N] = lanes(b);
    let mut r = [T::Bits::default(); N];
    for i in 0..N {
        r[i] = if f(a[i], b[i]) {
            T::ONES
        } else {
            T::Bits::default()
        };
    }
    from_lanes(r)
}

pub use convert::*;
pub use float::*;
pub use int::*;
pub use lanes::*;
pub use relaxed::*;
