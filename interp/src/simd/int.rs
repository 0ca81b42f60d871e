//! Integer lanes: arithmetic (wrapping and saturating), comparisons, bitwise operations,
//! shifts (count modulo the lane width), narrowing and widening, `extmul`, `extadd_pairwise`,
//! `dot`, `q15mulr_sat_s`, and the vector tests.

use super::{cmp, from_lanes, lanes, map, zip, Lane};

/// Defines `fn(a: u128, b: u128) -> u128` applying a lane function to both operands.
macro_rules! binary {
    ($($name:ident $text:literal: $t:ty, $n:literal, $f:expr;)*) => {$(
        #[doc = concat!("`", $text, "`.")]
        #[inline]
        pub fn $name(a: u128, b: u128) -> u128 {
            zip::<$t, $n>(a, b, $f)
        }
    )*};
}

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

/// Defines lane comparisons: `fn(a: u128, b: u128) -> u128`, all ones where the relation holds.
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

/// Defines shifts: `fn(v: u128, count: u32) -> u128`, the count taken modulo the lane width
/// (`wrapping_shl`/`wrapping_shr` mask it).
macro_rules! shift {
    ($($name:ident $text:literal: $t:ty, $n:literal, $method:ident;)*) => {$(
        #[doc = concat!("`", $text, "`: the count is taken modulo the lane width.")]
        #[inline]
        pub fn $name(v: u128, count: u32) -> u128 {
            map::<$t, $n>(v, |x| x.$method(count))
        }
    )*};
}

// ---- bitwise ----

/// `v128.not`.
#[inline]
pub fn v128_not(v: u128) -> u128 {
    !v
}

/// `v128.and`.
#[inline]
pub fn v128_and(a: u128, b: u128) -> u128 {
    a & b
}

/// `v128.andnot`: `a & !b`.
#[inline]
pub fn v128_andnot(a: u128, b: u128) -> u128 {
    a & !b
}

/// `v128.or`.
#[inline]
pub fn v128_or(a: u128, b: u128) -> u128 {
    a | b
}

/// `v128.xor`.
#[inline]
pub fn v128_xor(a: u128, b: u128) -> u128 {
    a ^ b
}

/// `v128.bitselect`: the bits of `a` where `mask` is 1, of `b` where it is 0.
#[inline]
pub fn v128_bitselect(a: u128, b: u128, mask: u128) -> u128 {
    (a & mask) | (b & !mask)
}

/// `v128.any_true`: 1 if any bit is set.
#[inline]
pub fn v128_any_true(v: u128) -> i32 {
    (v != 0) as i32
}

// ---- tests ----

/// 1 if every lane of `v` is non-zero.
#[cfg_attr(not(debug_assertions), inline(always))]
fn all_true<T: Lane + PartialEq, const N: usize>(v: u128) -> i32 {
    let a: [T; N] = lanes(v);
    a.iter().all(|&x| x != T::default()) as i32
}

/// Bit `i` of the result is the sign bit of lane `i`.
#[cfg_attr(not(debug_assertions), inline(always))]
fn bitmask<T: Lane + PartialOrd, const N: usize>(v: u128) -> i32 {
    let a: [T; N] = lanes(v);
    let mut r = 0u32;
    for (i, &x) in a.iter().enumerate() {
        r |= u32::from(x < T::default()) << i;
    }
    r as i32
}

/// `i8x16.all_true`.
#[inline]
pub fn i8x16_all_true(v: u128) -> i32 {
    all_true::<u8, 16>(v)
}

/// `i16x8.all_true`.
#[inline]
pub fn i16x8_all_true(v: u128) -> i32 {
    all_true::<u16, 8>(v)
}

/// `i32x4.all_true`.
#[inline]
pub fn i32x4_all_true(v: u128) -> i32 {
    all_true::<u32, 4>(v)
}

/// `i64x2.all_true`.
#[inline]
pub fn i64x2_all_true(v: u128) -> i32 {
    all_true::<u64, 2>(v)
}

/// `i8x16.bitmask`.
#[inline]
pub fn i8x16_bitmask(v: u128) -> i32 {
    bitmask::<i8, 16>(v)
}

/// `i16x8.bitmask`.
#[inline]
pub fn i16x8_bitmask(v: u128) -> i32 {
    bitmask::<i16, 8>(v)
}

/// `i32x4.bitmask`.
#[inline]
pub fn i32x4_bitmask(v: u128) -> i32 {
    bitmask::<i32, 4>(v)
}

/// `i64x2.bitmask`.
#[inline]
pub fn i64x2_bitmask(v: u128) -> i32 {
    bitmask::<i64, 2>(v)
}

// ---- comparisons ----

compare! {
    i8x16_eq "i8x16.eq": i8, 16, ==;
    i8x16_ne "i8x16.ne": i8, 16, !=;
    i8x16_lt_s "i8x16.lt_s": i8, 16, <;
    i8x16_lt_u "i8x16.lt_u": u8, 16, <;
    i8x16_gt_s "i8x16.gt_s": i8, 16, >;
    i8x16_gt_u "i8x16.gt_u": u8, 16, >;
    i8x16_le_s "i8x16.le_s": i8, 16, <=;
    i8x16_le_u "i8x16.le_u": u8, 16, <=;
    i8x16_ge_s "i8x16.ge_s": i8, 16, >=;
    i8x16_ge_u "i8x16.ge_u": u8, 16, >=;
    i16x8_eq "i16x8.eq": i16, 8, ==;
    i16x8_ne "i16x8.ne": i16, 8, !=;
    i16x8_lt_s "i16x8.lt_s": i16, 8, <;
    i16x8_lt_u "i16x8.lt_u": u16, 8, <;
    i16x8_gt_s "i16x8.gt_s": i16, 8, >;
    i16x8_gt_u "i16x8.gt_u": u16, 8, >;
    i16x8_le_s "i16x8.le_s": i16, 8, <=;
    i16x8_le_u "i16x8.le_u": u16, 8, <=;
    i16x8_ge_s "i16x8.ge_s": i16, 8, >=;
    i16x8_ge_u "i16x8.ge_u": u16, 8, >=;
    i32x4_eq "i32x4.eq": i32, 4, ==;
    i32x4_ne "i32x4.ne": i32, 4, !=;
    i32x4_lt_s "i32x4.lt_s": i32, 4, <;
    i32x4_lt_u "i32x4.lt_u": u32, 4, <;
    i32x4_gt_s "i32x4.gt_s": i32, 4, >;
    i32x4_gt_u "i32x4.gt_u": u32, 4, >;
    i32x4_le_s "i32x4.le_s": i32, 4, <=;
    i32x4_le_u "i32x4.le_u": u32, 4, <=;
    i32x4_ge_s "i32x4.ge_s": i32, 4, >=;
    i32x4_ge_u "i32x4.ge_u": u32, 4, >=;
    i64x2_eq "i64x2.eq": i64, 2, ==;
    i64x2_ne "i64x2.ne": i64, 2, !=;
    i64x2_lt_s "i64x2.lt_s": i64, 2, <;
    i64x2_gt_s "i64x2.gt_s": i64, 2, >;
    i64x2_le_s "i64x2.le_s": i64, 2, <=;
    i64x2_ge_s "i64x2.ge_s": i64, 2, >=;
}

// ---- lane-wise arithmetic ----

unary! {
    i8x16_abs "i8x16.abs": i8, 16, i8::wrapping_abs;
    i8x16_neg "i8x16.neg": i8, 16, i8::wrapping_neg;
    i8x16_popcnt "i8x16.popcnt": u8, 16, |x: u8| x.count_ones() as u8;
    i16x8_abs "i16x8.abs": i16, 8, i16::wrapping_abs;
    i16x8_neg "i16x8.neg": i16, 8, i16::wrapping_neg;
    i32x4_abs "i32x4.abs": i32, 4, i32::wrapping_abs;
    i32x4_neg "i32x4.neg": i32, 4, i32::wrapping_neg;
    i64x2_abs "i64x2.abs": i64, 2, i64::wrapping_abs;
    i64x2_neg "i64x2.neg": i64, 2, i64::wrapping_neg;
}

binary! {
    i8x16_add "i8x16.add": u8, 16, u8::wrapping_add;
    i8x16_add_sat_s "i8x16.add_sat_s": i8, 16, i8::saturating_add;
    i8x16_add_sat_u "i8x16.add_sat_u": u8, 16, u8::saturating_add;
    i8x16_sub "i8x16.sub": u8, 16, u8::wrapping_sub;
    i8x16_sub_sat_s "i8x16.sub_sat_s": i8, 16, i8::saturating_sub;
    i8x16_sub_sat_u "i8x16.sub_sat_u": u8, 16, u8::saturating_sub;
    i8x16_min_s "i8x16.min_s": i8, 16, Ord::min;
    i8x16_min_u "i8x16.min_u": u8, 16, Ord::min;
    i8x16_max_s "i8x16.max_s": i8, 16, Ord::max;
    i8x16_max_u "i8x16.max_u": u8, 16, Ord::max;
    i8x16_avgr_u "i8x16.avgr_u": u8, 16, |a: u8, b: u8| ((u16::from(a) + u16::from(b) + 1) >> 1) as u8;
    i16x8_add "i16x8.add": u16, 8, u16::wrapping_add;
    i16x8_add_sat_s "i16x8.add_sat_s": i16, 8, i16::saturating_add;
    i16x8_add_sat_u "i16x8.add_sat_u": u16, 8, u16::saturating_add;
    i16x8_sub "i16x8.sub": u16, 8, u16::wrapping_sub;
    i16x8_sub_sat_s "i16x8.sub_sat_s": i16, 8, i16::saturating_sub;
    i16x8_sub_sat_u "i16x8.sub_sat_u": u16, 8, u16::saturating_sub;
    i16x8_mul "i16x8.mul": u16, 8, u16::wrapping_mul;
    i16x8_min_s "i16x8.min_s": i16, 8, Ord::min;
    i16x8_min_u "i16x8.min_u": u16, 8, Ord::min;
    i16x8_max_s "i16x8.max_s": i16, 8, Ord::max;
    i16x8_max_u "i16x8.max_u": u16, 8, Ord::max;
    i16x8_avgr_u "i16x8.avgr_u": u16, 8, |a: u16, b: u16| ((u32::from(a) + u32::from(b) + 1) >> 1) as u16;
    i16x8_q15mulr_sat_s "i16x8.q15mulr_sat_s": i16, 8, q15mulr_sat;
    i32x4_add "i32x4.add": u32, 4, u32::wrapping_add;
    i32x4_sub "i32x4.sub": u32, 4, u32::wrapping_sub;
    i32x4_mul "i32x4.mul": u32, 4, u32::wrapping_mul;
    i32x4_min_s "i32x4.min_s": i32, 4, Ord::min;
    i32x4_min_u "i32x4.min_u": u32, 4, Ord::min;
    i32x4_max_s "i32x4.max_s": i32, 4, Ord::max;
    i32x4_max_u "i32x4.max_u": u32, 4, Ord::max;
    i64x2_add "i64x2.add": u64, 2, u64::wrapping_add;
    i64x2_sub "i64x2.sub": u64, 2, u64::wrapping_sub;
    i64x2_mul "i64x2.mul": u64, 2, u64::wrapping_mul;
}

/// One lane of `q15mulr_sat_s`: the Q15 product rounded to nearest (ties up), saturated (only
/// `-1.0 * -1.0` overflows).
#[cfg_attr(not(debug_assertions), inline(always))]
pub(crate) fn q15mulr_sat(a: i16, b: i16) -> i16 {
    let p = (i32::from(a) * i32::from(b) + 0x4000) >> 15;
    p.clamp(i32::from(i16::MIN), i32::from(i16::MAX)) as i16
}

shift! {
    i8x16_shl "i8x16.shl": u8, 16, wrapping_shl;
    i8x16_shr_s "i8x16.shr_s": i8, 16, wrapping_shr;
    i8x16_shr_u "i8x16.shr_u": u8, 16, wrapping_shr;
    i16x8_shl "i16x8.shl": u16, 8, wrapping_shl;
    i16x8_shr_s "i16x8.shr_s": i16, 8, wrapping_shr;
    i16x8_shr_u "i16x8.shr_u": u16, 8, wrapping_shr;
    i32x4_shl "i32x4.shl": u32, 4, wrapping_shl;
    i32x4_shr_s "i32x4.shr_s": i32, 4, wrapping_shr;
    i32x4_shr_u "i32x4.shr_u": u32, 4, wrapping_shr;
    i64x2_shl "i64x2.shl": u64, 2, wrapping_shl;
    i64x2_shr_s "i64x2.shr_s": i64, 2, wrapping_shr;
    i64x2_shr_u "i64x2.shr_u": u64, 2, wrapping_shr;
}

// ---- narrowing ----

/// Narrows the `M` lanes of `a` then the `M` lanes of `b` into `N = 2M` lanes with `f`.
#[cfg_attr(not(debug_assertions), inline(always))]
fn narrow<W: Lane, T: Lane, const M: usize, const N: usize>(
    a: u128,
    b: u128,
    f: impl Fn(W) -> T,
) -> u128 {
    let a: [W; M] = lanes(a);
    let b: [W; M] = lanes(b);
    let mut r = [T::default(); N];
    for i in 0..M {
        r[i] = f(a[i]);
        r[M + i] = f(b[i]);
    }
    from_lanes(r)
}

/// `i8x16.narrow_i16x8_s`: signed saturation of `a`'s then `b`'s lanes.
#[inline]
pub fn i8x16_narrow_i16x8_s(a: u128, b: u128) -> u128 {
    narrow::<i16, i8, 8, 16>(a, b, |x| x.clamp(i8::MIN.into(), i8::MAX.into()) as i8)
}

/// `i8x16.narrow_i16x8_u`: the signed lanes saturated to `0..=255`.
#[inline]
pub fn i8x16_narrow_i16x8_u(a: u128, b: u128) -> u128 {
    narrow::<i16, u8, 8, 16>(a, b, |x| x.clamp(0, u8::MAX.into()) as u8)
}

/// `i16x8.narrow_i32x4_s`: signed saturation of `a`'s then `b`'s lanes.
#[inline]
pub fn i16x8_narrow_i32x4_s(a: u128, b: u128) -> u128 {
    narrow::<i32, i16, 4, 8>(a, b, |x| x.clamp(i16::MIN.into(), i16::MAX.into()) as i16)
}

/// `i16x8.narrow_i32x4_u`: the signed lanes saturated to `0..=65535`.
#[inline]
pub fn i16x8_narrow_i32x4_u(a: u128, b: u128) -> u128 {
    narrow::<i32, u16, 4, 8>(a, b, |x| x.clamp(0, u16::MAX.into()) as u16)
}

// ---- widening ----

/// `r[i] = f(a[from + i])` for the `M` result lanes (`from` is 0 for `low`, `M` for `high`).
#[cfg_attr(not(debug_assertions), inline(always))]
fn widen<T: Lane, W: Lane, const N: usize, const M: usize>(
    v: u128,
    from: usize,
    f: impl Fn(T) -> W,
) -> u128 {
    let a: [T; N] = lanes(v);
    let mut r = [W::default(); M];
    for i in 0..M {
        r[i] = f(a[from + i]);
    }
    from_lanes(r)
}

/// `r[i] = f(a[from + i], b[from + i])`.
#[cfg_attr(not(debug_assertions), inline(always))]
fn widen2<T: Lane, W: Lane, const N: usize, const M: usize>(
    a: u128,
    b: u128,
    from: usize,
    f: impl Fn(T, T) -> W,
) -> u128 {
    let a: [T; N] = lanes(a);
    let b: [T; N] = lanes(b);
    let mut r = [W::default(); M];
    for i in 0..M {
        r[i] = f(a[from + i], b[from + i]);
    }
    from_lanes(r)
}

/// `r[i] = f(a[2i], a[2i + 1])`.
#[cfg_attr(not(debug_assertions), inline(always))]
fn pairwise<T: Lane, W: Lane, const N: usize, const M: usize>(
    v: u128,
    f: impl Fn(T, T) -> W,
) -> u128 {
    let a: [T; N] = lanes(v);
    let mut r = [W::default(); M];
    for i in 0..M {
        r[i] = f(a[2 * i], a[2 * i + 1]);
    }
    from_lanes(r)
}

/// Defines `extend_{low,high}` (one operand) from a lane type to a twice-as-wide one.
macro_rules! extend {
    ($($name:ident $text:literal: $t:ty, $n:literal => $w:ty, $m:literal, $from:expr;)*) => {$(
        #[doc = concat!("`", $text, "`.")]
        #[inline]
        pub fn $name(v: u128) -> u128 {
            widen::<$t, $w, $n, $m>(v, $from, <$w>::from)
        }
    )*};
}

extend! {
    i16x8_extend_low_i8x16_s "i16x8.extend_low_i8x16_s": i8, 16 => i16, 8, 0;
    i16x8_extend_high_i8x16_s "i16x8.extend_high_i8x16_s": i8, 16 => i16, 8, 8;
    i16x8_extend_low_i8x16_u "i16x8.extend_low_i8x16_u": u8, 16 => u16, 8, 0;
    i16x8_extend_high_i8x16_u "i16x8.extend_high_i8x16_u": u8, 16 => u16, 8, 8;
    i32x4_extend_low_i16x8_s "i32x4.extend_low_i16x8_s": i16, 8 => i32, 4, 0;
    i32x4_extend_high_i16x8_s "i32x4.extend_high_i16x8_s": i16, 8 => i32, 4, 4;
    i32x4_extend_low_i16x8_u "i32x4.extend_low_i16x8_u": u16, 8 => u32, 4, 0;
    i32x4_extend_high_i16x8_u "i32x4.extend_high_i16x8_u": u16, 8 => u32, 4, 4;
    i64x2_extend_low_i32x4_s "i64x2.extend_low_i32x4_s": i32, 4 => i64, 2, 0;
    i64x2_extend_high_i32x4_s "i64x2.extend_high_i32x4_s": i32, 4 => i64, 2, 2;
    i64x2_extend_low_i32x4_u "i64x2.extend_low_i32x4_u": u32, 4 => u64, 2, 0;
    i64x2_extend_high_i32x4_u "i64x2.extend_high_i32x4_u": u32, 4 => u64, 2, 2;
}

/// Defines `extmul_{low,high}`: the exact product of the widened lanes (it always fits).
macro_rules! extmul {
    ($($name:ident $text:literal: $t:ty, $n:literal => $w:ty, $m:literal, $from:expr;)*) => {$(
        #[doc = concat!("`", $text, "`.")]
        #[inline]
        pub fn $name(a: u128, b: u128) -> u128 {
            widen2::<$t, $w, $n, $m>(a, b, $from, |x, y| <$w>::from(x) * <$w>::from(y))
        }
    )*};
}

extmul! {
    i16x8_extmul_low_i8x16_s "i16x8.extmul_low_i8x16_s": i8, 16 => i16, 8, 0;
    i16x8_extmul_high_i8x16_s "i16x8.extmul_high_i8x16_s": i8, 16 => i16, 8, 8;
    i16x8_extmul_low_i8x16_u "i16x8.extmul_low_i8x16_u": u8, 16 => u16, 8, 0;
    i16x8_extmul_high_i8x16_u "i16x8.extmul_high_i8x16_u": u8, 16 => u16, 8, 8;
    i32x4_extmul_low_i16x8_s "i32x4.extmul_low_i16x8_s": i16, 8 => i32, 4, 0;
    i32x4_extmul_high_i16x8_s "i32x4.extmul_high_i16x8_s": i16, 8 => i32, 4, 4;
    i32x4_extmul_low_i16x8_u "i32x4.extmul_low_i16x8_u": u16, 8 => u32, 4, 0;
    i32x4_extmul_high_i16x8_u "i32x4.extmul_high_i16x8_u": u16, 8 => u32, 4, 4;
    i64x2_extmul_low_i32x4_s "i64x2.extmul_low_i32x4_s": i32, 4 => i64, 2, 0;
    i64x2_extmul_high_i32x4_s "i64x2.extmul_high_i32x4_s": i32, 4 => i64, 2, 2;
    i64x2_extmul_low_i32x4_u "i64x2.extmul_low_i32x4_u": u32, 4 => u64, 2, 0;
    i64x2_extmul_high_i32x4_u "i64x2.extmul_high_i32x4_u": u32, 4 => u64, 2, 2;
}

/// Defines `extadd_pairwise`: the sum of each pair of adjacent lanes, widened (it always fits).
macro_rules! extadd_pairwise {
    ($($name:ident $text:literal: $t:ty, $n:literal => $w:ty, $m:literal;)*) => {$(
        #[doc = concat!("`", $text, "`.")]
        #[inline]
        pub fn $name(v: u128) -> u128 {
            pairwise::<$t, $w, $n, $m>(v, |x, y| <$w>::from(x) + <$w>::from(y))
        }
    )*};
}

extadd_pairwise! {
    i16x8_extadd_pairwise_i8x16_s "i16x8.extadd_pairwise_i8x16_s": i8, 16 => i16, 8;
    i16x8_extadd_pairwise_i8x16_u "i16x8.extadd_pairwise_i8x16_u": u8, 16 => u16, 8;
    i32x4_extadd_pairwise_i16x8_s "i32x4.extadd_pairwise_i16x8_s": i16, 8 => i32, 4;
    i32x4_extadd_pairwise_i16x8_u "i32x4.extadd_pairwise_i16x8_u": u16, 8 => u32, 4;
}

/// `i32x4.dot_i16x8_s`: `a[2i] * b[2i] + a[2i+1] * b[2i+1]` with the signed products widened
/// to 32 bits; the sum wraps (only `-32768 * -32768 * 2` overflows).
#[inline]
pub fn i32x4_dot_i16x8_s(a: u128, b: u128) -> u128 {
    let a: [i16; 8] = lanes(a);
    let b: [i16; 8] = lanes(b);
    let mut r = [0i32; 4];
    for i in 0..4 {
        let lo = i32::from(a[2 * i]) * i32::from(b[2 * i]);
        let hi = i32::from(a[2 * i + 1]) * i32::from(b[2 * i + 1]);
        r[i] = lo.wrapping_add(hi);
    }
    from_lanes(r)
}
