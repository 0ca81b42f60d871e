//! Conversions between lane types: float→int truncation with saturation, int→float, and
//! between float widths. Operations producing fewer lanes than their operand has (`_zero`)
//! zero the upper result lanes; operations consuming fewer (`_low`) read the low lanes.
//!
//! Rust's `as` casts are exactly the spec's saturating truncation (NaN → 0, out-of-range →
//! the nearest bound) and its round-to-nearest-even int→float conversion.

use super::{from_lanes, lanes, Lane};
use crate::ops;

/// `r[i] = f(a[i])` for `i < M` and `r[i] = 0` above (`M <= N`, `M <= K`).
#[cfg_attr(not(debug_assertions), inline(always))]
fn convert<T: Lane, U: Lane, const N: usize, const K: usize, const M: usize>(
    v: u128,
    f: impl Fn(T) -> U,
) -> u128 {
    let a: [T; N] = lanes(v);
    let mut r = [U::default(); K];
    for i in 0..M {
        r[i] = f(a[i]);
    }
    from_lanes(r)
}

/// `i32x4.trunc_sat_f32x4_s`.
#[inline]
pub fn i32x4_trunc_sat_f32x4_s(v: u128) -> u128 {
    convert::<f32, i32, 4, 4, 4>(v, |x| x as i32)
}

/// `i32x4.trunc_sat_f32x4_u`.
#[inline]
pub fn i32x4_trunc_sat_f32x4_u(v: u128) -> u128 {
    convert::<f32, u32, 4, 4, 4>(v, |x| x as u32)
}

/// `i32x4.trunc_sat_f64x2_s_zero`.
#[inline]
pub fn i32x4_trunc_sat_f64x2_s_zero(v: u128) -> u128 {
    convert::<f64, i32, 2, 4, 2>(v, |x| x as i32)
}

/// `i32x4.trunc_sat_f64x2_u_zero`.
#[inline]
pub fn i32x4_trunc_sat_f64x2_u_zero(v: u128) -> u128 {
    convert::<f64, u32, 2, 4, 2>(v, |x| x as u32)
}

/// `f32x4.convert_i32x4_s`.
#[inline]
pub fn f32x4_convert_i32x4_s(v: u128) -> u128 {
    convert::<i32, f32, 4, 4, 4>(v, |x| x as f32)
}

/// `f32x4.convert_i32x4_u`.
#[inline]
pub fn f32x4_convert_i32x4_u(v: u128) -> u128 {
    convert::<u32, f32, 4, 4, 4>(v, |x| x as f32)
}

/// `f64x2.convert_low_i32x4_s` (exact).
#[inline]
pub fn f64x2_convert_low_i32x4_s(v: u128) -> u128 {
    convert::<i32, f64, 4, 2, 2>(v, f64::from)
}

/// `f64x2.convert_low_i32x4_u` (exact).
#[inline]
pub fn f64x2_convert_low_i32x4_u(v: u128) -> u128 {
    convert::<u32, f64, 4, 2, 2>(v, f64::from)
}

/// `f32x4.demote_f64x2_zero`: rounds to nearest; a NaN stays an arithmetic NaN.
#[inline]
pub fn f32x4_demote_f64x2_zero(v: u128) -> u128 {
    convert::<f64, f32, 2, 4, 2>(v, ops::f32_demote_f64)
}

/// `f64x2.promote_low_f32x4`: exact; a NaN stays an arithmetic NaN.
#[inline]
pub fn f64x2_promote_low_f32x4(v: u128) -> u128 {
    convert::<f32, f64, 4, 2, 2>(v, ops::f64_promote_f32)
}
