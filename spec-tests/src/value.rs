//! Turning `.wast` constants into [`Value`]s and checking results against expectations.

use wast::core::{AbstractHeapType, HeapType, NanPattern, V128Pattern, WastArgCore, WastRetCore};
use wast::{WastArg, WastRet};

use crate::engine::{Ref, Value};

/// The [`Value`] an argument of `invoke` denotes, or why the harness cannot pass it.
pub fn arg_value(arg: &WastArg<'_>) -> Result<Value, &'static str> {
    let WastArg::Core(core) = arg else {
        return Err("component-model");
    };
    Ok(match core {
        WastArgCore::I32(v) => Value::I32(*v),
        WastArgCore::I64(v) => Value::I64(*v),
        WastArgCore::F32(v) => Value::F32(v.bits),
        WastArgCore::F64(v) => Value::F64(v.bits),
        WastArgCore::V128(v) => Value::V128(u128::from_le_bytes(v.to_le_bytes())),
        WastArgCore::RefNull(_) => Value::Ref(Ref::Null),
        WastArgCore::RefExtern(n) => Value::Ref(Ref::Extern(*n)),
        WastArgCore::RefHost(n) => Value::Ref(Ref::Host(*n)),
    })
}

/// Whether `actual` is a value `expected` allows, or why the harness cannot tell.
pub fn ret_matches(expected: &WastRet<'_>, actual: &Value) -> Result<bool, &'static str> {
    match expected {
        WastRet::Core(core) => Ok(core_matches(core, actual)),
        _ => Err("component-model"),
    }
}

fn core_matches(expected: &WastRetCore<'_>, actual: &Value) -> bool {
    use WastRetCore as E;
    match (expected, actual) {
        (E::I32(e), Value::I32(a)) => e == a,
        (E::I64(e), Value::I64(a)) => e == a,
        (E::F32(e), Value::F32(a)) => f32_matches(e, *a),
        (E::F64(e), Value::F64(a)) => f64_matches(e, *a),
        (E::V128(e), Value::V128(a)) => v128_matches(e, *a),
        (E::RefNull(ty), Value::Ref(Ref::Null)) => !matches!(
            ty,
            Some(HeapType::Abstract {
                ty: AbstractHeapType::I31,
                ..
            })
        ),
        (E::RefExtern(None), Value::Ref(Ref::Extern(_))) => true,
        (E::RefExtern(Some(e)), Value::Ref(Ref::Extern(a))) => e == a,
        (E::RefHost(e), Value::Ref(Ref::Host(a))) => e == a,
        (E::RefFunc(_), Value::Ref(Ref::Func)) => true,
        (E::RefAny, Value::Ref(r)) => !matches!(r, Ref::Null | Ref::Func | Ref::Exn),
        (E::RefEq, Value::Ref(r)) => matches!(r, Ref::I31 | Ref::Struct | Ref::Array),
        (E::RefArray, Value::Ref(Ref::Array)) => true,
        (E::RefStruct, Value::Ref(Ref::Struct)) => true,
        (E::RefI31 | E::RefI31Shared, Value::Ref(Ref::I31)) => true,
        (E::Either(alternatives), a) => alternatives.iter().any(|e| core_matches(e, a)),
        _ => false,
    }
}

fn f32_matches(expected: &NanPattern<wast::token::F32>, bits: u32) -> bool {
    const QUIET: u32 = 0x7fc0_0000;
    match expected {
        NanPattern::CanonicalNan => bits & 0x7fff_ffff == QUIET,
        NanPattern::ArithmeticNan => bits & QUIET == QUIET,
        NanPattern::Value(v) => v.bits == bits,
    }
}

fn f64_matches(expected: &NanPattern<wast::token::F64>, bits: u64) -> bool {
    const QUIET: u64 = 0x7ff8_0000_0000_0000;
    match expected {
        NanPattern::CanonicalNan => bits & 0x7fff_ffff_ffff_ffff == QUIET,
        NanPattern::ArithmeticNan => bits & QUIET == QUIET,
        NanPattern::Value(v) => v.bits == bits,
    }
}

fn v128_matches(expected: &V128Pattern, bits: u128) -> bool {
    let bytes = bits.to_le_bytes();
    let lane = |i: usize, size: usize| -> u64 {
        let mut b = [0u8; 8];
        b[..size].copy_from_slice(&bytes[i * size..(i + 1) * size]);
        u64::from_le_bytes(b)
    };
    match expected {
        V128Pattern::I8x16(e) => (0..16).all(|i| lane(i, 1) as u8 == e[i] as u8),
        V128Pattern::I16x8(e) => (0..8).all(|i| lane(i, 2) as u16 == e[i] as u16),
        V128Pattern::I32x4(e) => (0..4).all(|i| lane(i, 4) as u32 == e[i] as u32),
        V128Pattern::I64x2(e) => (0..2).all(|i| lane(i, 8) == e[i] as u64),
        V128Pattern::F32x4(e) => (0..4).all(|i| f32_matches(&e[i], lane(i, 4) as u32)),
        V128Pattern::F64x2(e) => (0..2).all(|i| f64_matches(&e[i], lane(i, 8))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nan_patterns() {
        let canonical = NanPattern::CanonicalNan;
        let arithmetic = NanPattern::ArithmeticNan;
        assert!(f32_matches(&canonical, 0x7fc0_0000));
        assert!(f32_matches(&canonical, 0xffc0_0000));
        assert!(!f32_matches(&canonical, 0x7fc0_0001));
        assert!(f32_matches(&arithmetic, 0x7fc0_0001));
        assert!(!f32_matches(&arithmetic, 0x7f80_0001));
        assert!(f64_matches(
            &NanPattern::CanonicalNan,
            0x7ff8_0000_0000_0000
        ));
        assert!(!f64_matches(
            &NanPattern::ArithmeticNan,
            0x7ff0_0000_0000_0001
        ));
    }

    #[test]
    fn v128_lanes() {
        let v = u128::from_le_bytes([1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 0xff, 0xff, 0xff, 0xff]);
        assert!(v128_matches(&V128Pattern::I32x4([1, 2, 3, -1]), v));
        assert!(!v128_matches(&V128Pattern::I32x4([1, 2, 3, 4]), v));
    }

    #[test]
    fn v128_nan_patterns_per_lane() {
        use wast::token::{F32, F64};
        let f32x4 = |l: [u32; 4]| {
            l.iter()
                .enumerate()
                .fold(0u128, |acc, (i, &b)| acc | (u128::from(b) << (32 * i)))
        };
        let pattern = V128Pattern::F32x4([
            NanPattern::CanonicalNan,
            NanPattern::ArithmeticNan,
            NanPattern::Value(F32 { bits: 0x3f80_0000 }),
            NanPattern::Value(F32 { bits: 0x7fa0_0000 }),
        ]);
        // Canonical (either sign), arithmetic, an exact value, an exact signalling NaN.
        assert!(v128_matches(
            &pattern,
            f32x4([0xffc0_0000, 0x7fc0_0001, 0x3f80_0000, 0x7fa0_0000])
        ));
        // Each lane is checked on its own.
        assert!(!v128_matches(
            &pattern,
            f32x4([0x7fc0_0001, 0x7fc0_0001, 0x3f80_0000, 0x7fa0_0000])
        ));
        assert!(!v128_matches(
            &pattern,
            f32x4([0x7fc0_0000, 0x7f80_0001, 0x3f80_0000, 0x7fa0_0000])
        ));
        assert!(!v128_matches(
            &pattern,
            f32x4([0x7fc0_0000, 0x7fc0_0000, 0x3f80_0000, 0x7fe0_0000])
        ));
        let pattern = V128Pattern::F64x2([
            NanPattern::ArithmeticNan,
            NanPattern::Value(F64 { bits: 1 }),
        ]);
        assert!(v128_matches(&pattern, 0x7ff8_0000_0000_0001 | (1 << 64)));
        assert!(!v128_matches(&pattern, 0x7ff0_0000_0000_0001 | (1 << 64)));
        assert!(!v128_matches(&pattern, 0x7ff8_0000_0000_0000 | (2 << 64)));
    }
}
