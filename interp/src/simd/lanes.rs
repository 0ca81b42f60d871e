//! Moving lanes: splat, extract and replace lane, shuffle, swizzle, and shaping the values that
//! `v128` loads read from memory (the interpreter does the bounds-checked access itself, then
//! calls these on the bytes it read).
//!
//! Lane indices are immediates the validator checked to be in range; they are masked anyway
//! (`lane % lanes`), so these functions cannot panic.

use super::{from_lanes, lanes, Lane};

/// A `v128` with every lane `x`.
#[cfg_attr(not(debug_assertions), inline(always))]
fn splat<T: Lane, const N: usize>(x: T) -> u128 {
    from_lanes([x; N])
}

/// `v` with lane `lane` (of width `bits`) replaced by the low `bits` bits of `x`.
#[cfg_attr(not(debug_assertions), inline(always))]
fn replace(v: u128, bits: u32, lane: u8, x: u128) -> u128 {
    let lanes = 128 / bits;
    let shift = (u32::from(lane) % lanes) * bits;
    let mask = (u128::MAX >> (128 - bits)) << shift;
    (v & !mask) | ((x << shift) & mask)
}

/// Lane `lane` (of width `bits`) of `v`, in the low bits.
#[cfg_attr(not(debug_assertions), inline(always))]
fn extract(v: u128, bits: u32, lane: u8) -> u128 {
    let lanes = 128 / bits;
    v >> ((u32::from(lane) % lanes) * bits)
}

// ---- splat ----

/// `i8x16.splat` (and `v128.load8_splat`): the low 8 bits of `x` in every lane.
#[inline]
pub fn i8x16_splat(x: u32) -> u128 {
    splat::<u8, 16>(x as u8)
}

/// `i16x8.splat` (and `v128.load16_splat`): the low 16 bits of `x` in every lane.
#[inline]
pub fn i16x8_splat(x: u32) -> u128 {
    splat::<u16, 8>(x as u16)
}

/// `i32x4.splat` (and `f32x4.splat` on the bits, `v128.load32_splat`).
#[inline]
pub fn i32x4_splat(x: u32) -> u128 {
    splat::<u32, 4>(x)
}

/// `i64x2.splat` (and `f64x2.splat` on the bits, `v128.load64_splat`).
#[inline]
pub fn i64x2_splat(x: u64) -> u128 {
    splat::<u64, 2>(x)
}

// ---- extract / replace ----

/// `i8x16.extract_lane_s`.
#[inline]
pub fn i8x16_extract_lane_s(v: u128, lane: u8) -> i32 {
    i32::from(extract(v, 8, lane) as i8)
}

/// `i8x16.extract_lane_u`.
#[inline]
pub fn i8x16_extract_lane_u(v: u128, lane: u8) -> i32 {
    i32::from(extract(v, 8, lane) as u8)
}

/// `i16x8.extract_lane_s`.
#[inline]
pub fn i16x8_extract_lane_s(v: u128, lane: u8) -> i32 {
    i32::from(extract(v, 16, lane) as i16)
}

/// `i16x8.extract_lane_u`.
#[inline]
pub fn i16x8_extract_lane_u(v: u128, lane: u8) -> i32 {
    i32::from(extract(v, 16, lane) as u16)
}

/// `i32x4.extract_lane` (and `f32x4.extract_lane` on the bits, `v128.store32_lane`).
#[inline]
pub fn i32x4_extract_lane(v: u128, lane: u8) -> u32 {
    extract(v, 32, lane) as u32
}

/// `i64x2.extract_lane` (and `f64x2.extract_lane` on the bits, `v128.store64_lane`).
#[inline]
pub fn i64x2_extract_lane(v: u128, lane: u8) -> u64 {
    extract(v, 64, lane) as u64
}

/// Byte lane `lane` of `v` (`v128.store8_lane`).
#[inline]
pub fn lane8(v: u128, lane: u8) -> u8 {
    extract(v, 8, lane) as u8
}

/// 16-bit lane `lane` of `v` (`v128.store16_lane`).
#[inline]
pub fn lane16(v: u128, lane: u8) -> u16 {
    extract(v, 16, lane) as u16
}

/// `i8x16.replace_lane` (and `v128.load8_lane`): the low 8 bits of `x`.
#[inline]
pub fn i8x16_replace_lane(v: u128, lane: u8, x: u32) -> u128 {
    replace(v, 8, lane, u128::from(x))
}

/// `i16x8.replace_lane` (and `v128.load16_lane`): the low 16 bits of `x`.
#[inline]
pub fn i16x8_replace_lane(v: u128, lane: u8, x: u32) -> u128 {
    replace(v, 16, lane, u128::from(x))
}

/// `i32x4.replace_lane` (and `f32x4.replace_lane` on the bits, `v128.load32_lane`).
#[inline]
pub fn i32x4_replace_lane(v: u128, lane: u8, x: u32) -> u128 {
    replace(v, 32, lane, u128::from(x))
}

/// `i64x2.replace_lane` (and `f64x2.replace_lane` on the bits, `v128.load64_lane`).
#[inline]
pub fn i64x2_replace_lane(v: u128, lane: u8, x: u64) -> u128 {
    replace(v, 64, lane, u128::from(x))
}

// ---- shuffle / swizzle ----

/// `i8x16.shuffle`: byte `i` of the result is byte `mask[i]` of `a ++ b` (`mask` holds the 16
/// lane indices, lane 0 in the low byte, each below 32).
#[inline]
pub fn i8x16_shuffle(a: u128, b: u128, mask: u128) -> u128 {
    let a: [u8; 16] = lanes(a);
    let b: [u8; 16] = lanes(b);
    let m: [u8; 16] = lanes(mask);
    let mut r = [0u8; 16];
    for i in 0..16 {
        let j = usize::from(m[i] & 31);
        r[i] = if j < 16 { a[j] } else { b[j - 16] };
    }
    from_lanes(r)
}

/// `i8x16.swizzle`: byte `i` of the result is byte `s[i]` of `a`, or 0 if `s[i] >= 16`.
#[inline]
pub fn i8x16_swizzle(a: u128, s: u128) -> u128 {
    let a: [u8; 16] = lanes(a);
    let s: [u8; 16] = lanes(s);
    let mut r = [0u8; 16];
    for i in 0..16 {
        let j = usize::from(s[i]);
        r[i] = if j < 16 { a[j] } else { 0 };
    }
    from_lanes(r)
}

// ---- loads ----

/// Widens the `M` lanes of the loaded `x` (little-endian, `M * T::SIZE == 8`).
#[cfg_attr(not(debug_assertions), inline(always))]
fn load_extend<T: Lane, W: Lane, const M: usize>(x: u64, f: impl Fn(T) -> W) -> u128 {
    let bytes = x.to_le_bytes();
    let mut r = [W::default(); M];
    for (i, lane) in r.iter_mut().enumerate() {
        *lane = f(T::read(&bytes[i * T::SIZE..(i + 1) * T::SIZE]));
    }
    from_lanes(r)
}

/// `v128.load8x8_s`: 8 bytes, each sign-extended to 16 bits.
#[inline]
pub fn load8x8_s(x: u64) -> u128 {
    load_extend::<i8, i16, 8>(x, i16::from)
}

/// `v128.load8x8_u`: 8 bytes, each zero-extended to 16 bits.
#[inline]
pub fn load8x8_u(x: u64) -> u128 {
    load_extend::<u8, u16, 8>(x, u16::from)
}

/// `v128.load16x4_s`.
#[inline]
pub fn load16x4_s(x: u64) -> u128 {
    load_extend::<i16, i32, 4>(x, i32::from)
}

/// `v128.load16x4_u`.
#[inline]
pub fn load16x4_u(x: u64) -> u128 {
    load_extend::<u16, u32, 4>(x, u32::from)
}

/// `v128.load32x2_s`.
#[inline]
pub fn load32x2_s(x: u64) -> u128 {
    load_extend::<i32, i64, 2>(x, i64::from)
}

/// `v128.load32x2_u`.
#[inline]
pub fn load32x2_u(x: u64) -> u128 {
    load_extend::<u32, u64, 2>(x, u64::from)
}

/// `v128.load8_splat`.
#[inline]
pub fn load8_splat(x: u8) -> u128 {
    i8x16_splat(x.into())
}

/// `v128.load16_splat`.
#[inline]
pub fn load16_splat(x: u16) -> u128 {
    i16x8_splat(x.into())
}

/// `v128.load32_splat`.
#[inline]
pub fn load32_splat(x: u32) -> u128 {
    i32x4_splat(x)
}

/// `v128.load64_splat`.
#[inline]
pub fn load64_splat(x: u64) -> u128 {
    i64x2_splat(x)
}

/// `v128.load32_zero`: `x` in lane 0, the other lanes zero.
#[inline]
pub fn load32_zero(x: u32) -> u128 {
    u128::from(x)
}

/// `v128.load64_zero`: `x` in lane 0, the other lane zero.
#[inline]
pub fn load64_zero(x: u64) -> u128 {
    u128::from(x)
}

/// `v128.load8_lane`: `v` with byte lane `lane` replaced by the loaded `x`.
#[inline]
pub fn load8_lane(v: u128, lane: u8, x: u8) -> u128 {
    replace(v, 8, lane, u128::from(x))
}

/// `v128.load16_lane`.
#[inline]
pub fn load16_lane(v: u128, lane: u8, x: u16) -> u128 {
    replace(v, 16, lane, u128::from(x))
}

/// `v128.load32_lane`.
#[inline]
pub fn load32_lane(v: u128, lane: u8, x: u32) -> u128 {
    replace(v, 32, lane, u128::from(x))
}

/// `v128.load64_lane`.
#[inline]
pub fn load64_lane(v: u128, lane: u8, x: u64) -> u128 {
    replace(v, 64, lane, u128::from(x))
}
