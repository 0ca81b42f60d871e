//! Float lanes (`f32x4`, `f64x2`).
//!
//! The lane operations are the scalar ones of [`crate::ops`], so scalar and vector code agree
//! bit for bit: `abs`/`neg` only touch the sign bit; `min`/`max` return a NaN when either operand
//! is one and order `-0` below `+0`; rounding and `sqrt` quiet a NaN operand; `add`, `sub`,
//! `mul`, `div` are IEEE 754 operations, whose NaN results are quiet (a canonical NaN when every
//! NaN operand was canonical, an arithmetic NaN otherwise, as the spec allows). `pmin`/`pmax`
//! are the "pseudo" min/max `b < a ? b : a` / `a < b ? b : a`, which return an operand
//! unchanged (NaN payloads included).

use super::{cmp, map, zip};
use crate::ops;

/// Defines `fn(v: u128) -> u128` applying a lane function.
macro_rules! unary {
    ($($name:ident $text:literal: $t:ty, $n:literal, $f:expr;)*) => {$(
        #[doc = concat!("`", $text, "`.")]
        #[inline]
        pub fn $name(v: u128) -> u128 {
            map::<$t, $n>(v, $f)
        }
    )*};
}

/// Defines `fn(a: u128, b: u128) -> u128` applying a lane function.
macro_rules! binary {
    ($($name:ident $text:literal: $t:ty, $n:literal, $f:expr;)*) => {$(
        #[doc = concat!("`", $text, "`.")]
        #[inline]
        pub fn $name(a: u128, b: u128) -> u128 {
            zip::<$t, $n>(a, b, $f)
        }
    )*};
}

/// Defines lane comparisons (IEEE: every relation but `ne` is false when a NaN is involved).
macro_rules! compare {
    ($($name:ident $text:literal: $t:ty, $n:literal, $op:tt;)*) => {$(
        #[doc = concat!("`", $text, "`: all ones in the lanes where `a ", stringify!($op),
                        " b`, zero elsewhere.")]
        #[inline]
        pub fn $name(a: u128, b: u128) -> u128 {
            cmp::<$t, $n>(a, b, |x, y| x $op y)
        }
    )*};
}

/// `pmin`: `b < a ? b : a`.
#[cfg_attr(not(debug_assertions), inline(always))]
fn pmin<T: PartialOrd>(a: T, b: T) -> T {
    if b < a {
        b
    } else {
        a
    }
}

/// `pmax`: `a < b ? b : a`.
#[cfg_attr(not(debug_assertions), inline(always))]
fn pmax<T: PartialOrd>(a: T, b: T) -> T {
    if a < b {
        b
    } else {
        a
    }
}

compare! {
    f32x4_eq "f32x4.eq": f32, 4, ==;
    f32x4_ne "f32x4.ne": f32, 4, !=;
    f32x4_lt "f32x4.lt": f32, 4, <;
    f32x4_gt "f32x4.gt": f32, 4, >;
    f32x4_le "f32x4.le": f32, 4, <=;
    f32x4_ge "f32x4.ge": f32, 4, >=;
    f64x2_eq "f64x2.eq": f64, 2, ==;
    f64x2_ne "f64x2.ne": f64, 2, !=;
    f64x2_lt "f64x2.lt": f64, 2, <;
    f64x2_gt "f64x2.gt": f64, 2, >;
    f64x2_le "f64x2.le": f64, 2, <=;
    f64x2_ge "f64x2.ge": f64, 2, >=;
}

unary! {
    f32x4_abs "f32x4.abs": f32, 4, ops::f32_abs;
    f32x4_neg "f32x4.neg": f32, 4, ops::f32_neg;
    f32x4_sqrt "f32x4.sqrt": f32, 4, ops::f32_sqrt;
    f32x4_ceil "f32x4.ceil": f32, 4, ops::f32_ceil;
    f32x4_floor "f32x4.floor": f32, 4, ops::f32_floor;
    f32x4_trunc "f32x4.trunc": f32, 4, ops::f32_trunc;
    f32x4_nearest "f32x4.nearest": f32, 4, ops::f32_nearest;
    f64x2_abs "f64x2.abs": f64, 2, ops::f64_abs;
    f64x2_neg "f64x2.neg": f64, 2, ops::f64_neg;
    f64x2_sqrt "f64x2.sqrt": f64, 2, ops::f64_sqrt;
    f64x2_ceil "f64x2.ceil": f64, 2, ops::f64_ceil;
    f64x2_floor "f64x2.floor": f64, 2, ops::f64_floor;
    f64x2_trunc "f64x2.trunc": f64, 2, ops::f64_trunc;
    f64x2_nearest "f64x2.nearest": f64, 2, ops::f64_nearest;
}

binary! {
    f32x4_add "f32x4.add": f32, 4, |a: f32, b: f32| a + b;
    f32x4_sub "f32x4.sub": f32, 4, |a: f32, b: f32| a - b;
    f32x4_mul "f32x4.mul": f32, 4, |a: f32, b: f32| a * b;
    f32x4_div "f32x4.div": f32, 4, |a: f32, b: f32| a / b;
    f32x4_min "f32x4.min": f32, 4, ops::f32_min;
    f32x4_max "f32x4.max": f32, 4, ops::f32_max;
    f32x4_pmin "f32x4.pmin": f32, 4, pmin;
    f32x4_pmax "f32x4.pmax": f32, 4, pmax;
    f64x2_add "f64x2.add": f64, 2, |a: f64, b: f64| a + b;
    f64x2_sub "f64x2.sub": f64, 2, |a: f64, b: f64| a - b;
    f64x2_mul "f64x2.mul": f64, 2, |a: f64, b: f64| a * b;
    f64x2_div "f64x2.div": f64, 2, |a: f64, b: f64| a / b;
    f64x2_min "f64x2.min": f64, 2, ops::f64_min;
    f64x2_max "f64x2.max": f64, 2, ops::f64_max;
    f64x2_pmin "f64x2.pmin": f64, 2, pmin;
    f64x2_pmax "f64x2.pmax": f64, 2, pmax;
}
