//! The relaxed-SIMD operations. The proposal lets each of them return one of several results;
//! strata always makes the same choice, on every target, so a program's output never depends on
//! the machine:
//!
//! | operation | strata's choice |
//! | --- | --- |
//! | `i8x16.relaxed_swizzle` | `i8x16.swizzle` (an index `>= 16` selects 0) |
//! | `i32x4.relaxed_trunc_*` | the `trunc_sat` counterpart (NaN → 0, saturation) |
//! | `f32x4/f64x2.relaxed_madd`, `_nmadd` | unfused: `a * b + c` and `-(a * b) + c`, rounding twice (no software FMA) |
//! | `*.relaxed_laneselect` | `v128.bitselect` (every bit of the mask counts) |
//! | `f32x4/f64x2.relaxed_min`, `_max` | `min`/`max` (NaN and signed-zero rules of the spec) |
//! | `i16x8.relaxed_q15mulr_s` | `i16x8.q15mulr_sat_s` |
//! | `i16x8.relaxed_dot_i8x16_i7x16_s` | both operands signed; each pair's sum saturated to `i16` |
//! | `i32x4.relaxed_dot_i8x16_i7x16_add_s` | the above, then pairs of `i16` sums widened and added to `c` (wrapping) |

use super::{convert, float, from_lanes, int, lanes, zip};

/// `i8x16.relaxed_swizzle`: as `i8x16.swizzle`.
#[inline]
pub fn i8x16_relaxed_swizzle(a: u128, s: u128) -> u128 {
    super::lanes::i8x16_swizzle(a, s)
}

/// `i32x4.relaxed_trunc_f32x4_s`: as `i32x4.trunc_sat_f32x4_s`.
#[inline]
pub fn i32x4_relaxed_trunc_f32x4_s(v: u128) -> u128 {
    convert::i32x4_trunc_sat_f32x4_s(v)
}

/// `i32x4.relaxed_trunc_f32x4_u`: as `i32x4.trunc_sat_f32x4_u`.
#[inline]
pub fn i32x4_relaxed_trunc_f32x4_u(v: u128) -> u128 {
    convert::i32x4_trunc_sat_f32x4_u(v)
}

/// `i32x4.relaxed_trunc_f64x2_s_zero`: as `i32x4.trunc_sat_f64x2_s_zero`.
#[inline]
pub fn i32x4_relaxed_trunc_f64x2_s_zero(v: u128) -> u128 {
    convert::i32x4_trunc_sat_f64x2_s_zero(v)
}

/// `i32x4.relaxed_trunc_f64x2_u_zero`: as `i32x4.trunc_sat_f64x2_u_zero`.
#[inline]
pub fn i32x4_relaxed_trunc_f64x2_u_zero(v: u128) -> u128 {
    convert::i32x4_trunc_sat_f64x2_u_zero(v)
}

/// `r[i] = f(a[i], b[i], c[i])`.
#[cfg_attr(not(debug_assertions), inline(always))]
fn zip3<T: super::Lane, const N: usize>(
    a: u128,
    b: u128,
    c: u128,
    f: impl Fn(T, T, T) -> T,
) -> u128 {
    let a: [T; N] = lanes(a);
    let b: [T; N] = lanes(b);
    let c: [T; N] = lanes(c);
    let mut r = a;
    for i in 0..N {
        r[i] = f(a[i], b[i], c[i]);
    }
    from_lanes(r)
}

/// `f32x4.relaxed_madd`: `a * b + c`, unfused.
#[inline]
pub fn f32x4_relaxed_madd(a: u128, b: u128, c: u128) -> u128 {
    zip3::<f32, 4>(a, b, c, |a, b, c| a * b + c)
}

/// `f32x4.relaxed_nmadd`: `-(a * b) + c`, unfused.
#[inline]
pub fn f32x4_relaxed_nmadd(a: u128, b: u128, c: u128) -> u128 {
    zip3::<f32, 4>(a, b, c, |a, b, c| -(a * b) + c)
}

/// `f64x2.relaxed_madd`: `a * b + c`, unfused.
#[inline]
pub fn f64x2_relaxed_madd(a: u128, b: u128, c: u128) -> u128 {
    zip3::<f64, 2>(a, b, c, |a, b, c| a * b + c)
}

/// `f64x2.relaxed_nmadd`: `-(a * b) + c`, unfused.
#[inline]
pub fn f64x2_relaxed_nmadd(a: u128, b: u128, c: u128) -> u128 {
    zip3::<f64, 2>(a, b, c, |a, b, c| -(a * b) + c)
}

/// `i8x16/i16x8/i32x4/i64x2.relaxed_laneselect`: as `v128.bitselect`.
#[inline]
pub fn relaxed_laneselect(a: u128, b: u128, mask: u128) -> u128 {
    int::v128_bitselect(a, b, mask)
}

/// `f32x4.relaxed_min`: as `f32x4.min`.
#[inline]
pub fn f32x4_relaxed_min(a: u128, b: u128) -> u128 {
    float::f32x4_min(a, b)
}

/// `f32x4.relaxed_max`: as `f32x4.max`.
#[inline]
pub fn f32x4_relaxed_max(a: u128, b: u128) -> u128 {
    float::f32x4_max(a, b)
}

/// `f64x2.relaxed_min`: as `f64x2.min`.
#[inline]
pub fn f64x2_relaxed_min(a: u128, b: u128) -> u128 {
    float::f64x2_min(a, b)
}

/// `f64x2.relaxed_max`: as `f64x2.max`.
#[inline]
pub fn f64x2_relaxed_max(a: u128, b: u128) -> u128 {
    float::f64x2_max(a, b)
}

/// `i16x8.relaxed_q15mulr_s`: as `i16x8.q15mulr_sat_s`.
#[inline]
pub fn i16x8_relaxed_q15mulr_s(a: u128, b: u128) -> u128 {
    zip::<i16, 8>(a, b, int::q15mulr_sat)
}

/// `i16x8.relaxed_dot_i8x16_i7x16_s`: `a[2i] * b[2i] + a[2i+1] * b[2i+1]`, both operands
/// signed, the sum saturated to `i16` (only `-128 * -128 * 2` saturates).
#[inline]
pub fn i16x8_relaxed_dot_i8x16_i7x16_s(a: u128, b: u128) -> u128 {
    let a: [i8; 16] = lanes(a);
    let b: [i8; 16] = lanes(b);
    let mut r = [0i16; 8];
    for i in 0..8 {
        let lo = i16::from(a[2 * i]) * i16::from(b[2 * i]);
        let hi = i16::from(a[2 * i + 1]) * i16::from(b[2 * i + 1]);
        r[i] = lo.saturating_add(hi);
    }
    from_lanes(r)
}

/// `i32x4.relaxed_dot_i8x16_i7x16_add_s`: the `i16` pair sums of
/// [`i16x8_relaxed_dot_i8x16_i7x16_s`], added pairwise into `i32` lanes, plus `c` (wrapping).
#[inline]
pub fn i32x4_relaxed_dot_i8x16_i7x16_add_s(a: u128, b: u128, c: u128) -> u128 {
    let d = i16x8_relaxed_dot_i8x16_i7x16_s(a, b);
    let sums = int::i32x4_extadd_pairwise_i16x8_s(d);
    int::i32x4_add(sums, c)
}
