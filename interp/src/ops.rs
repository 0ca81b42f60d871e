//! The numeric semantics of the IR's operators, as pure functions on Rust primitives.
//!
//! Integer operators wrap; division and remainder trap as the spec says; shifts and rotations
//! take their count modulo the width. Float operators follow IEEE 754 with the spec's NaN rules:
//! `abs`, `neg` and `copysign` only touch the sign bit (NaN payloads survive), everything else
//! that produces a NaN produces a quiet (arithmetic) one.

use strata_vm::TrapCode;

/// Sets the quiet bit of an `f32` NaN, so an operation on a signalling NaN yields an arithmetic
/// NaN even where the software fallback would return its input unchanged.
#[inline]
fn quiet32(x: f32) -> f32 {
    f32::from_bits(x.to_bits() | 0x0040_0000)
}

/// Sets the quiet bit of an `f64` NaN.
#[inline]
fn quiet64(x: f64) -> f64 {
    f64::from_bits(x.to_bits() | 0x0008_0000_0000_0000)
}

/// Rounding functions: `std`'s intrinsics when available, `libm` on `no_std`.
mod fm {
    #[cfg(feature = "std")]
    mod imp {
        pub fn ceil32(x: f32) -> f32 {
            x.ceil()
        }
        pub fn floor32(x: f32) -> f32 {
            x.floor()
        }
        pub fn trunc32(x: f32) -> f32 {
            x.trunc()
        }
        pub fn nearest32(x: f32) -> f32 {
            x.round_ties_even()
        }
        pub fn sqrt32(x: f32) -> f32 {
            x.sqrt()
        }
        pub fn ceil64(x: f64) -> f64 {
            x.ceil()
        }
        pub fn floor64(x: f64) -> f64 {
            x.floor()
        }
        pub fn trunc64(x: f64) -> f64 {
            x.trunc()
        }
        pub fn nearest64(x: f64) -> f64 {
            x.round_ties_even()
        }
        pub fn sqrt64(x: f64) -> f64 {
            x.sqrt()
        }
    }
    #[cfg(not(feature = "std"))]
    mod imp {
        pub use libm::{
            ceil as ceil64, ceilf as ceil32, floor as floor64, floorf as floor32,
            rint as nearest64, rintf as nearest32, sqrt as sqrt64, sqrtf as sqrt32,
            trunc as trunc64, truncf as trunc32,
        };
    }
    pub use imp::*;
}

macro_rules! int_ops {
    ($s:ty, $u:ty, $div_s:ident, $div_u:ident, $rem_s:ident, $rem_u:ident) => {
        /// Signed division: traps on zero and on `MIN / -1`.
        #[inline]
        pub fn $div_s(a: $s, b: $s) -> Result<$s, TrapCode> {
            if b == 0 {
                return Err(TrapCode::IntegerDivideByZero);
            }
            a.checked_div(b).ok_or(TrapCode::IntegerOverflow)
        }

        /// Unsigned division: traps on zero.
        #[inline]
        pub fn $div_u(a: $u, b: $u) -> Result<$u, TrapCode> {
            a.checked_div(b).ok_or(TrapCode::IntegerDivideByZero)
        }

        /// Signed remainder: traps on zero; `MIN % -1` is 0.
        #[inline]
        pub fn $rem_s(a: $s, b: $s) -> Result<$s, TrapCode> {
            if b == 0 {
                return Err(TrapCode::IntegerDivideByZero);
            }
            Ok(a.wrapping_rem(b))
        }

        /// Unsigned remainder: traps on zero.
        #[inline]
        pub fn $rem_u(a: $u, b: $u) -> Result<$u, TrapCode> {
            a.checked_rem(b).ok_or(TrapCode::IntegerDivideByZero)
        }
    };
}

int_ops!(i32, u32, i32_div_s, i32_div_u, i32_rem_s, i32_rem_u);
int_ops!(i64, u64, i64_div_s, i64_div_u, i64_rem_s, i64_rem_u);

macro_rules! float_ops {
    ($f:ty, $bits:ty, $sign:expr, $quiet:ident,
     $abs:ident, $neg:ident, $copysign:ident, $min:ident, $max:ident,
     $ceil:ident, $floor:ident, $trunc:ident, $nearest:ident, $sqrt:ident,
     $fceil:ident, $ffloor:ident, $ftrunc:ident, $fnearest:ident, $fsqrt:ident) => {
        /// `abs`: clears the sign bit (a NaN's payload survives).
        #[inline]
        pub fn $abs(x: $f) -> $f {
            <$f>::from_bits(x.to_bits() & !$sign)
        }

        /// `neg`: flips the sign bit.
        #[inline]
        pub fn $neg(x: $f) -> $f {
            <$f>::from_bits(x.to_bits() ^ $sign)
        }

        /// `copysign`: `a`'s magnitude with `b`'s sign bit.
        #[inline]
        pub fn $copysign(a: $f, b: $f) -> $f {
            <$f>::from_bits((a.to_bits() & !$sign) | (b.to_bits() & $sign))
        }

        /// `min`: NaN if either operand is; `-0` is less than `+0`.
        #[inline]
        pub fn $min(a: $f, b: $f) -> $f {
            if a.is_nan() || b.is_nan() {
                return $quiet(a + b);
            }
            if a == b {
                // Equal, maybe zeros of different signs: the sign bits' OR picks -0.
                return <$f>::from_bits(a.to_bits() | b.to_bits());
            }
            if a < b {
                a
            } else {
                b
            }
        }

        /// `max`: NaN if either operand is; `+0` is greater than `-0`.
        #[inline]
        pub fn $max(a: $f, b: $f) -> $f {
            if a.is_nan() || b.is_nan() {
                return $quiet(a + b);
            }
            if a == b {
                return <$f>::from_bits(a.to_bits() & b.to_bits());
            }
            if a > b {
                a
            } else {
                b
            }
        }

        /// `ceil`.
        #[inline]
        pub fn $ceil(x: $f) -> $f {
            if x.is_nan() {
                return $quiet(x);
            }
            fm::$fceil(x)
        }

        /// `floor`.
        #[inline]
        pub fn $floor(x: $f) -> $f {
            if x.is_nan() {
                return $quiet(x);
            }
            fm::$ffloor(x)
        }

        /// `trunc`.
        #[inline]
        pub fn $trunc(x: $f) -> $f {
            if x.is_nan() {
                return $quiet(x);
            }
            fm::$ftrunc(x)
        }

        /// `nearest`: round to nearest, ties to even.
        #[inline]
        pub fn $nearest(x: $f) -> $f {
            if x.is_nan() {
                return $quiet(x);
            }
            fm::$fnearest(x)
        }

        /// `sqrt`.
        #[inline]
        pub fn $sqrt(x: $f) -> $f {
            if x.is_nan() {
                return $quiet(x);
            }
            fm::$fsqrt(x)
        }
    };
}

float_ops!(
    f32,
    u32,
    0x8000_0000u32,
    quiet32,
    f32_abs,
    f32_neg,
    f32_copysign,
    f32_min,
    f32_max,
    f32_ceil,
    f32_floor,
    f32_trunc,
    f32_nearest,
    f32_sqrt,
    ceil32,
    floor32,
    trunc32,
    nearest32,
    sqrt32
);
float_ops!(
    f64,
    u64,
    0x8000_0000_0000_0000u64,
    quiet64,
    f64_abs,
    f64_neg,
    f64_copysign,
    f64_min,
    f64_max,
    f64_ceil,
    f64_floor,
    f64_trunc,
    f64_nearest,
    f64_sqrt,
    ceil64,
    floor64,
    trunc64,
    nearest64,
    sqrt64
);

/// `f32.demote_f64`: rounds to nearest; NaN stays an arithmetic NaN.
#[inline]
pub fn f32_demote_f64(x: f64) -> f32 {
    let r = x as f32;
    if r.is_nan() {
        quiet32(r)
    } else {
        r
    }
}

/// `f64.promote_f32`: exact; NaN stays an arithmetic NaN.
#[inline]
pub fn f64_promote_f32(x: f32) -> f64 {
    let r = x as f64;
    if r.is_nan() {
        quiet64(r)
    } else {
        r
    }
}

macro_rules! trunc_op {
    ($name:ident, $f:ty, $i:ty, $lo:expr, $hi:expr) => {
        /// Truncation toward zero; traps on NaN (`invalid conversion to integer`) and on results
        /// out of range (`integer overflow`). In range means strictly between the bounds
        /// `lo` (exclusive) and `hi` (exclusive).
        #[inline]
        pub fn $name(x: $f) -> Result<$i, TrapCode> {
            if x.is_nan() {
                return Err(TrapCode::BadConversionToInteger);
            }
            if x > $lo && x < $hi {
                Ok(x as $i)
            } else {
                Err(TrapCode::IntegerOverflow)
            }
        }
    };
}

trunc_op!(i32_trunc_f32_s, f32, i32, -2147483904.0f32, 2147483648.0f32);
trunc_op!(i32_trunc_f32_u, f32, u32, -1.0f32, 4294967296.0f32);
trunc_op!(i32_trunc_f64_s, f64, i32, -2147483649.0f64, 2147483648.0f64);
trunc_op!(i32_trunc_f64_u, f64, u32, -1.0f64, 4294967296.0f64);
trunc_op!(
    i64_trunc_f32_s,
    f32,
    i64,
    -9223373136366403584.0f32,
    9223372036854775808.0f32
);
trunc_op!(
    i64_trunc_f32_u,
    f32,
    u64,
    -1.0f32,
    18446744073709551616.0f32
);
trunc_op!(
    i64_trunc_f64_s,
    f64,
    i64,
    -9223372036854777856.0f64,
    9223372036854775808.0f64
);
trunc_op!(
    i64_trunc_f64_u,
    f64,
    u64,
    -1.0f64,
    18446744073709551616.0f64
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn division() {
        assert_eq!(i32_div_s(7, -2), Ok(-3));
        assert_eq!(i32_div_s(1, 0), Err(TrapCode::IntegerDivideByZero));
        assert_eq!(i32_div_s(i32::MIN, -1), Err(TrapCode::IntegerOverflow));
        assert_eq!(i32_rem_s(i32::MIN, -1), Ok(0));
        assert_eq!(i32_rem_s(-7, 2), Ok(-1));
        assert_eq!(i32_div_u(u32::MAX, 2), Ok(u32::MAX / 2));
        assert_eq!(i32_rem_u(5, 0), Err(TrapCode::IntegerDivideByZero));
        assert_eq!(i64_div_s(i64::MIN, -1), Err(TrapCode::IntegerOverflow));
        assert_eq!(i64_rem_s(i64::MIN, -1), Ok(0));
        assert_eq!(i64_div_u(1, 0), Err(TrapCode::IntegerDivideByZero));
    }

    #[test]
    fn min_max_zeros_and_nans() {
        assert_eq!(f32_min(0.0, -0.0).to_bits(), (-0.0f32).to_bits());
        assert_eq!(f32_min(-0.0, 0.0).to_bits(), (-0.0f32).to_bits());
        assert_eq!(f32_max(-0.0, 0.0).to_bits(), 0);
        assert_eq!(f64_max(0.0, -0.0).to_bits(), 0);
        assert!(f32_min(f32::NAN, 1.0).is_nan());
        assert!(f64_max(1.0, f64::NAN).is_nan());
        assert_eq!(f64_min(1.0, 2.0), 1.0);
        assert_eq!(f64_max(1.0, 2.0), 2.0);
        // A signalling NaN operand yields a quiet NaN.
        let snan = f32::from_bits(0x7fa0_0000);
        assert_eq!(f32_min(snan, 1.0).to_bits() & 0x0040_0000, 0x0040_0000);
    }

    #[test]
    fn sign_ops_keep_payloads() {
        let snan = f32::from_bits(0x7fa0_0001);
        assert_eq!(f32_neg(snan).to_bits(), 0xffa0_0001);
        assert_eq!(f32_abs(f32::from_bits(0xffa0_0001)).to_bits(), 0x7fa0_0001);
        assert_eq!(f32_copysign(snan, -1.0).to_bits(), 0xffa0_0001);
        assert_eq!(f64_copysign(1.0, -0.0), -1.0);
        assert_eq!(f64_neg(0.0).to_bits(), (-0.0f64).to_bits());
    }

    #[test]
    fn rounding() {
        assert_eq!(f32_nearest(2.5), 2.0);
        assert_eq!(f32_nearest(3.5), 4.0);
        assert_eq!(f64_nearest(-0.5).to_bits(), (-0.0f64).to_bits());
        assert_eq!(f64_ceil(-0.5).to_bits(), (-0.0f64).to_bits());
        assert_eq!(f64_floor(-0.5), -1.0);
        assert_eq!(f32_trunc(-1.7), -1.0);
        assert_eq!(f64_sqrt(4.0), 2.0);
        assert!(f64_sqrt(-1.0).is_nan());
        let snan = f64::from_bits(0x7ff4_0000_0000_0000);
        assert!(f64_floor(snan).to_bits() & 0x0008_0000_0000_0000 != 0);
    }

    #[test]
    fn truncation_bounds() {
        assert_eq!(i32_trunc_f32_s(-2147483648.0), Ok(i32::MIN));
        assert_eq!(
            i32_trunc_f32_s(2147483648.0),
            Err(TrapCode::IntegerOverflow)
        );
        assert_eq!(
            i32_trunc_f32_s(f32::NAN),
            Err(TrapCode::BadConversionToInteger)
        );
        assert_eq!(i32_trunc_f64_s(-2147483648.9), Ok(i32::MIN));
        assert_eq!(
            i32_trunc_f64_s(-2147483649.0),
            Err(TrapCode::IntegerOverflow)
        );
        assert_eq!(i32_trunc_f64_u(-0.9), Ok(0));
        assert_eq!(i32_trunc_f64_u(4294967295.9), Ok(u32::MAX));
        assert_eq!(i32_trunc_f64_u(-1.0), Err(TrapCode::IntegerOverflow));
        assert_eq!(i64_trunc_f32_s(-9223372036854775808.0), Ok(i64::MIN));
        assert_eq!(
            i64_trunc_f64_s(9223372036854775808.0),
            Err(TrapCode::IntegerOverflow)
        );
        assert_eq!(
            i64_trunc_f64_u(18446744073709549568.0),
            Ok(18446744073709549568)
        );
        assert_eq!(
            i64_trunc_f32_u(f32::INFINITY),
            Err(TrapCode::IntegerOverflow)
        );
    }

    #[test]
    fn demote_promote_nan() {
        let snan = f64::from_bits(0x7ff0_0000_0000_0001);
        assert!(f32_demote_f64(snan).is_nan());
        assert!(f64_promote_f32(f32::from_bits(0x7f80_0001)).is_nan());
        assert_eq!(f64_promote_f32(1.5), 1.5);
    }
}
