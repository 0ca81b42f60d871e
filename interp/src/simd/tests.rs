//! Lane semantics against a scalar model, plus float edge cases.
//!
//! The model reads lanes with shifts and masks (not the lane arrays the implementation uses),
//! computes each lane in `i128` with explicit clamping, and writes lanes back by masking, so
//! wrapping comes from the mask and saturation from an explicit `clamp`.

use alloc::vec::Vec;

use proptest::prelude::*;

use super::*;

// ---- the scalar model ----

/// Lane `i` (of width `bits`) of `v`, sign- or zero-extended.
fn get(v: u128, bits: u32, i: u32, signed: bool) -> i128 {
    let raw = (v >> (i * bits)) & (u128::MAX >> (128 - bits));
    if signed && raw >> (bits - 1) == 1 {
        raw as i128 - (1i128 << bits)
    } else {
        raw as i128
    }
}

/// The `v128` whose lane `i` (of width `bits`) is the low `bits` bits of `f(i)`.
fn build(bits: u32, f: impl Fn(u32) -> i128) -> u128 {
    let mask = u128::MAX >> (128 - bits);
    (0..128 / bits).fold(0, |acc, i| acc | ((f(i) as u128 & mask) << (i * bits)))
}

fn min_s(bits: u32) -> i128 {
    -(1i128 << (bits - 1))
}

fn max_s(bits: u32) -> i128 {
    (1i128 << (bits - 1)) - 1
}

fn max_u(bits: u32) -> i128 {
    (1i128 << bits) - 1
}

/// Saturates to the signed range of `bits`.
fn sat_s(bits: u32, x: i128) -> i128 {
    x.clamp(min_s(bits), max_s(bits))
}

/// Saturates to the unsigned range of `bits`.
fn sat_u(bits: u32, x: i128) -> i128 {
    x.clamp(0, max_u(bits))
}

fn mask(b: bool) -> i128 {
    if b {
        -1
    } else {
        0
    }
}

/// Random vectors biased toward lane edge values (0, ±1, MIN, MAX) at every lane width.
fn vector() -> impl Strategy<Value = u128> {
    fn edges(bits: u32) -> impl Strategy<Value = u128> {
        let lane = prop_oneof![
            Just(0i128),
            Just(1),
            Just(-1),
            Just(min_s(bits)),
            Just(max_s(bits)),
            Just(min_s(bits) + 1),
            Just(max_s(bits) - 1),
            any::<i64>().prop_map(i128::from),
        ];
        proptest::collection::vec(lane, (128 / bits) as usize)
            .prop_map(move |v: Vec<i128>| build(bits, |i| v[i as usize]))
    }
    prop_oneof![any::<u128>(), edges(8), edges(16), edges(32), edges(64)]
}

type Bin = fn(u128, u128) -> u128;
type Model2 = fn(u32, i128, i128) -> i128;

/// Lane-wise binary integer operations: (name, implementation, lane bits, signed lanes, model).
#[rustfmt::skip]
const BINARY: &[(&str, Bin, u32, bool, Model2)] = &[
    ("i8x16.add", i8x16_add, 8, false, |_, a, b| a + b),
    ("i8x16.add_sat_s", i8x16_add_sat_s, 8, true, |w, a, b| sat_s(w, a + b)),
    ("i8x16.add_sat_u", i8x16_add_sat_u, 8, false, |w, a, b| sat_u(w, a + b)),
    ("i8x16.sub", i8x16_sub, 8, false, |_, a, b| a - b),
    ("i8x16.sub_sat_s", i8x16_sub_sat_s, 8, true, |w, a, b| sat_s(w, a - b)),
    ("i8x16.sub_sat_u", i8x16_sub_sat_u, 8, false, |w, a, b| sat_u(w, a - b)),
    ("i8x16.min_s", i8x16_min_s, 8, true, |_, a, b| a.min(b)),
    ("i8x16.min_u", i8x16_min_u, 8, false, |_, a, b| a.min(b)),
    ("i8x16.max_s", i8x16_max_s, 8, true, |_, a, b| a.max(b)),
    ("i8x16.max_u", i8x16_max_u, 8, false, |_, a, b| a.max(b)),
    ("i8x16.avgr_u", i8x16_avgr_u, 8, false, |_, a, b| (a + b + 1) / 2),
    ("i8x16.eq", i8x16_eq, 8, true, |_, a, b| mask(a == b)),
    ("i8x16.ne", i8x16_ne, 8, true, |_, a, b| mask(a != b)),
    ("i8x16.lt_s", i8x16_lt_s, 8, true, |_, a, b| mask(a < b)),
    ("i8x16.lt_u", i8x16_lt_u, 8, false, |_, a, b| mask(a < b)),
    ("i8x16.gt_s", i8x16_gt_s, 8, true, |_, a, b| mask(a > b)),
    ("i8x16.gt_u", i8x16_gt_u, 8, false, |_, a, b| mask(a > b)),
    ("i8x16.le_s", i8x16_le_s, 8, true, |_, a, b| mask(a <= b)),
    ("i8x16.le_u", i8x16_le_u, 8, false, |_, a, b| mask(a <= b)),
    ("i8x16.ge_s", i8x16_ge_s, 8, true, |_, a, b| mask(a >= b)),
    ("i8x16.ge_u", i8x16_ge_u, 8, false, |_, a, b| mask(a >= b)),
    ("i16x8.add", i16x8_add, 16, false, |_, a, b| a + b),
    ("i16x8.add_sat_s", i16x8_add_sat_s, 16, true, |w, a, b| sat_s(w, a + b)),
    ("i16x8.add_sat_u", i16x8_add_sat_u, 16, false, |w, a, b| sat_u(w, a + b)),
    ("i16x8.sub", i16x8_sub, 16, false, |_, a, b| a - b),
    ("i16x8.sub_sat_s", i16x8_sub_sat_s, 16, true, |w, a, b| sat_s(w, a - b)),
    ("i16x8.sub_sat_u", i16x8_sub_sat_u, 16, false, |w, a, b| sat_u(w, a - b)),
    ("i16x8.mul", i16x8_mul, 16, true, |_, a, b| a * b),
    ("i16x8.min_s", i16x8_min_s, 16, true, |_, a, b| a.min(b)),
    ("i16x8.min_u", i16x8_min_u, 16, false, |_, a, b| a.min(b)),
    ("i16x8.max_s", i16x8_max_s, 16, true, |_, a, b| a.max(b)),
    ("i16x8.max_u", i16x8_max_u, 16, false, |_, a, b| a.max(b)),
    ("i16x8.avgr_u", i16x8_avgr_u, 16, false, |_, a, b| (a + b + 1) / 2),
    ("i16x8.q15mulr_sat_s", i16x8_q15mulr_sat_s, 16, true, |w, a, b| {
        sat_s(w, (a * b + 0x4000).div_euclid(0x8000))
    }),
    ("i16x8.relaxed_q15mulr_s", i16x8_relaxed_q15mulr_s, 16, true, |w, a, b| {
        sat_s(w, (a * b + 0x4000).div_euclid(0x8000))
    }),
    ("i16x8.eq", i16x8_eq, 16, true, |_, a, b| mask(a == b)),
    ("i16x8.ne", i16x8_ne, 16, true, |_, a, b| mask(a != b)),
    ("i16x8.lt_s", i16x8_lt_s, 16, true, |_, a, b| mask(a < b)),
    ("i16x8.lt_u", i16x8_lt_u, 16, false, |_, a, b| mask(a < b)),
    ("i16x8.gt_s", i16x8_gt_s, 16, true, |_, a, b| mask(a > b)),
    ("i16x8.gt_u", i16x8_gt_u, 16, false, |_, a, b| mask(a > b)),
    ("i16x8.le_s", i16x8_le_s, 16, true, |_, a, b| mask(a <= b)),
    ("i16x8.le_u", i16x8_le_u, 16, false, |_, a, b| mask(a <= b)),
    ("i16x8.ge_s", i16x8_ge_s, 16, true, |_, a, b| mask(a >= b)),
    ("i16x8.ge_u", i16x8_ge_u, 16, false, |_, a, b| mask(a >= b)),
    ("i32x4.add", i32x4_add, 32, false, |_, a, b| a + b),
    ("i32x4.sub", i32x4_sub, 32, false, |_, a, b| a - b),
    ("i32x4.mul", i32x4_mul, 32, false, |_, a, b| a * b),
    ("i32x4.min_s", i32x4_min_s, 32, true, |_, a, b| a.min(b)),
    ("i32x4.min_u", i32x4_min_u, 32, false, |_, a, b| a.min(b)),
    ("i32x4.max_s", i32x4_max_s, 32, true, |_, a, b| a.max(b)),
    ("i32x4.max_u", i32x4_max_u, 32, false, |_, a, b| a.max(b)),
    ("i32x4.eq", i32x4_eq, 32, true, |_, a, b| mask(a == b)),
    ("i32x4.ne", i32x4_ne, 32, true, |_, a, b| mask(a != b)),
    ("i32x4.lt_s", i32x4_lt_s, 32, true, |_, a, b| mask(a < b)),
    ("i32x4.lt_u", i32x4_lt_u, 32, false, |_, a, b| mask(a < b)),
    ("i32x4.gt_s", i32x4_gt_s, 32, true, |_, a, b| mask(a > b)),
    ("i32x4.gt_u", i32x4_gt_u, 32, false, |_, a, b| mask(a > b)),
    ("i32x4.le_s", i32x4_le_s, 32, true, |_, a, b| mask(a <= b)),
    ("i32x4.le_u", i32x4_le_u, 32, false, |_, a, b| mask(a <= b)),
    ("i32x4.ge_s", i32x4_ge_s, 32, true, |_, a, b| mask(a >= b)),
    ("i32x4.ge_u", i32x4_ge_u, 32, false, |_, a, b| mask(a >= b)),
    ("i64x2.add", i64x2_add, 64, false, |_, a, b| a + b),
    ("i64x2.sub", i64x2_sub, 64, false, |_, a, b| a - b),
    ("i64x2.mul", i64x2_mul, 64, true, |_, a, b| a * b),
    ("i64x2.eq", i64x2_eq, 64, true, |_, a, b| mask(a == b)),
    ("i64x2.ne", i64x2_ne, 64, true, |_, a, b| mask(a != b)),
    ("i64x2.lt_s", i64x2_lt_s, 64, true, |_, a, b| mask(a < b)),
    ("i64x2.gt_s", i64x2_gt_s, 64, true, |_, a, b| mask(a > b)),
    ("i64x2.le_s", i64x2_le_s, 64, true, |_, a, b| mask(a <= b)),
    ("i64x2.ge_s", i64x2_ge_s, 64, true, |_, a, b| mask(a >= b)),
    ("v128.and", v128_and, 8, false, |_, a, b| a & b),
    ("v128.andnot", v128_andnot, 8, false, |_, a, b| a & (255 - b)),
    ("v128.or", v128_or, 8, false, |_, a, b| a | b),
    ("v128.xor", v128_xor, 8, false, |_, a, b| a ^ b),
];

type Un = fn(u128) -> u128;
type Model1 = fn(u32, i128) -> i128;

/// Lane-wise unary integer operations: (name, implementation, lane bits, signed, model).
#[rustfmt::skip]
const UNARY: &[(&str, Un, u32, bool, Model1)] = &[
    ("i8x16.abs", i8x16_abs, 8, true, |_, a| a.abs()),
    ("i8x16.neg", i8x16_neg, 8, true, |_, a| -a),
    ("i8x16.popcnt", i8x16_popcnt, 8, false, |_, a| {
        (0..8).map(|k| (a >> k) & 1).sum()
    }),
    ("i16x8.abs", i16x8_abs, 16, true, |_, a| a.abs()),
    ("i16x8.neg", i16x8_neg, 16, true, |_, a| -a),
    ("i32x4.abs", i32x4_abs, 32, true, |_, a| a.abs()),
    ("i32x4.neg", i32x4_neg, 32, true, |_, a| -a),
    ("i64x2.abs", i64x2_abs, 64, true, |_, a| a.abs()),
    ("i64x2.neg", i64x2_neg, 64, true, |_, a| -a),
    ("v128.not", v128_not, 8, false, |w, a| max_u(w) - a),
];

type Shift = fn(u128, u32) -> u128;

/// Shifts: (name, implementation, lane bits, signed, model taking the count mod the width).
#[rustfmt::skip]
const SHIFTS: &[(&str, Shift, u32, bool, Model2)] = &[
    ("i8x16.shl", i8x16_shl, 8, false, |_, a, k| a << k),
    ("i8x16.shr_s", i8x16_shr_s, 8, true, |_, a, k| a.div_euclid(1 << k)),
    ("i8x16.shr_u", i8x16_shr_u, 8, false, |_, a, k| a / (1 << k)),
    ("i16x8.shl", i16x8_shl, 16, false, |_, a, k| a << k),
    ("i16x8.shr_s", i16x8_shr_s, 16, true, |_, a, k| a.div_euclid(1 << k)),
    ("i16x8.shr_u", i16x8_shr_u, 16, false, |_, a, k| a / (1 << k)),
    ("i32x4.shl", i32x4_shl, 32, false, |_, a, k| a << k),
    ("i32x4.shr_s", i32x4_shr_s, 32, true, |_, a, k| a.div_euclid(1 << k)),
    ("i32x4.shr_u", i32x4_shr_u, 32, false, |_, a, k| a / (1 << k)),
    ("i64x2.shl", i64x2_shl, 64, false, |_, a, k| a << k),
    ("i64x2.shr_s", i64x2_shr_s, 64, true, |_, a, k| a.div_euclid(1 << k)),
    ("i64x2.shr_u", i64x2_shr_u, 64, false, |_, a, k| a / (1 << k)),
];

/// Widening operations: (name, implementation, source lane bits, signed, high half).
#[rustfmt::skip]
const EXTEND: &[(&str, Un, u32, bool, bool)] = &[
    ("i16x8.extend_low_i8x16_s", i16x8_extend_low_i8x16_s, 8, true, false),
    ("i16x8.extend_high_i8x16_s", i16x8_extend_high_i8x16_s, 8, true, true),
    ("i16x8.extend_low_i8x16_u", i16x8_extend_low_i8x16_u, 8, false, false),
    ("i16x8.extend_high_i8x16_u", i16x8_extend_high_i8x16_u, 8, false, true),
    ("i32x4.extend_low_i16x8_s", i32x4_extend_low_i16x8_s, 16, true, false),
    ("i32x4.extend_high_i16x8_s", i32x4_extend_high_i16x8_s, 16, true, true),
    ("i32x4.extend_low_i16x8_u", i32x4_extend_low_i16x8_u, 16, false, false),
    ("i32x4.extend_high_i16x8_u", i32x4_extend_high_i16x8_u, 16, false, true),
    ("i64x2.extend_low_i32x4_s", i64x2_extend_low_i32x4_s, 32, true, false),
    ("i64x2.extend_high_i32x4_s", i64x2_extend_high_i32x4_s, 32, true, true),
    ("i64x2.extend_low_i32x4_u", i64x2_extend_low_i32x4_u, 32, false, false),
    ("i64x2.extend_high_i32x4_u", i64x2_extend_high_i32x4_u, 32, false, true),
];

/// `extmul`: (name, implementation, source lane bits, signed, high half).
#[rustfmt::skip]
const EXTMUL: &[(&str, Bin, u32, bool, bool)] = &[
    ("i16x8.extmul_low_i8x16_s", i16x8_extmul_low_i8x16_s, 8, true, false),
    ("i16x8.extmul_high_i8x16_s", i16x8_extmul_high_i8x16_s, 8, true, true),
    ("i16x8.extmul_low_i8x16_u", i16x8_extmul_low_i8x16_u, 8, false, false),
    ("i16x8.extmul_high_i8x16_u", i16x8_extmul_high_i8x16_u, 8, false, true),
    ("i32x4.extmul_low_i16x8_s", i32x4_extmul_low_i16x8_s, 16, true, false),
    ("i32x4.extmul_high_i16x8_s", i32x4_extmul_high_i16x8_s, 16, true, true),
    ("i32x4.extmul_low_i16x8_u", i32x4_extmul_low_i16x8_u, 16, false, false),
    ("i32x4.extmul_high_i16x8_u", i32x4_extmul_high_i16x8_u, 16, false, true),
    ("i64x2.extmul_low_i32x4_s", i64x2_extmul_low_i32x4_s, 32, true, false),
    ("i64x2.extmul_high_i32x4_s", i64x2_extmul_high_i32x4_s, 32, true, true),
    ("i64x2.extmul_low_i32x4_u", i64x2_extmul_low_i32x4_u, 32, false, false),
    ("i64x2.extmul_high_i32x4_u", i64x2_extmul_high_i32x4_u, 32, false, true),
];

/// `extadd_pairwise`: (name, implementation, source lane bits, signed).
#[rustfmt::skip]
const EXTADD: &[(&str, Un, u32, bool)] = &[
    ("i16x8.extadd_pairwise_i8x16_s", i16x8_extadd_pairwise_i8x16_s, 8, true),
    ("i16x8.extadd_pairwise_i8x16_u", i16x8_extadd_pairwise_i8x16_u, 8, false),
    ("i32x4.extadd_pairwise_i16x8_s", i32x4_extadd_pairwise_i16x8_s, 16, true),
    ("i32x4.extadd_pairwise_i16x8_u", i32x4_extadd_pairwise_i16x8_u, 16, false),
];

/// Narrowing: (name, implementation, source lane bits, signed saturation).
#[rustfmt::skip]
const NARROW: &[(&str, Bin, u32, bool)] = &[
    ("i8x16.narrow_i16x8_s", i8x16_narrow_i16x8_s, 16, true),
    ("i8x16.narrow_i16x8_u", i8x16_narrow_i16x8_u, 16, false),
    ("i16x8.narrow_i32x4_s", i16x8_narrow_i32x4_s, 32, true),
    ("i16x8.narrow_i32x4_u", i16x8_narrow_i32x4_u, 32, false),
];

type Test = fn(u128) -> i32;

/// Vector tests: (name, implementation, lane bits, kind: 0 all_true, 1 bitmask).
#[rustfmt::skip]
const TESTS: &[(&str, Test, u32, u8)] = &[
    ("i8x16.all_true", i8x16_all_true, 8, 0),
    ("i16x8.all_true", i16x8_all_true, 16, 0),
    ("i32x4.all_true", i32x4_all_true, 32, 0),
    ("i64x2.all_true", i64x2_all_true, 64, 0),
    ("i8x16.bitmask", i8x16_bitmask, 8, 1),
    ("i16x8.bitmask", i16x8_bitmask, 16, 1),
    ("i32x4.bitmask", i32x4_bitmask, 32, 1),
    ("i64x2.bitmask", i64x2_bitmask, 64, 1),
];

proptest! {
    #[test]
    fn binary_ops_match_the_model(a in vector(), b in vector()) {
        for &(name, f, bits, signed, model) in BINARY {
            let want = build(bits, |i| model(bits, get(a, bits, i, signed), get(b, bits, i, signed)));
            prop_assert_eq!(f(a, b), want, "{}", name);
        }
    }

    #[test]
    fn unary_ops_match_the_model(a in vector()) {
        for &(name, f, bits, signed, model) in UNARY {
            let want = build(bits, |i| model(bits, get(a, bits, i, signed)));
            prop_assert_eq!(f(a), want, "{}", name);
        }
    }

    #[test]
    fn shifts_match_the_model(a in vector(), count in any::<u32>()) {
        for &(name, f, bits, signed, model) in SHIFTS {
            let k = i128::from(count % bits);
            let want = build(bits, |i| model(bits, get(a, bits, i, signed), k));
            prop_assert_eq!(f(a, count), want, "{}", name);
        }
    }

    #[test]
    fn widening_ops_match_the_model(a in vector(), b in vector()) {
        for &(name, f, bits, signed, high) in EXTEND {
            let half = 64 / bits;
            let from = if high { half } else { 0 };
            let want = build(2 * bits, |i| get(a, bits, from + i, signed));
            prop_assert_eq!(f(a), want, "{}", name);
        }
        for &(name, f, bits, signed, high) in EXTMUL {
            let from = if high { 64 / bits } else { 0 };
            let want = build(2 * bits, |i| {
                get(a, bits, from + i, signed) * get(b, bits, from + i, signed)
            });
            prop_assert_eq!(f(a, b), want, "{}", name);
        }
        for &(name, f, bits, signed) in EXTADD {
            let want = build(2 * bits, |i| {
                get(a, bits, 2 * i, signed) + get(a, bits, 2 * i + 1, signed)
            });
            prop_assert_eq!(f(a), want, "{}", name);
        }
        let dot = build(32, |i| {
            (0..2).map(|k| get(a, 16, 2 * i + k, true) * get(b, 16, 2 * i + k, true)).sum()
        });
        prop_assert_eq!(i32x4_dot_i16x8_s(a, b), dot, "i32x4.dot_i16x8_s");
    }

    #[test]
    fn narrowing_matches_the_model(a in vector(), b in vector()) {
        for &(name, f, bits, signed) in NARROW {
            let n = 128 / bits;
            let want = build(bits / 2, |i| {
                let x = if i < n { get(a, bits, i, true) } else { get(b, bits, i - n, true) };
                if signed { sat_s(bits / 2, x) } else { sat_u(bits / 2, x) }
            });
            prop_assert_eq!(f(a, b), want, "{}", name);
        }
    }

    #[test]
    fn tests_match_the_model(a in vector()) {
        prop_assert_eq!(v128_any_true(a), i32::from(a != 0));
        for &(name, f, bits, kind) in TESTS {
            let n = 128 / bits;
            let want = if kind == 0 {
                i32::from((0..n).all(|i| get(a, bits, i, false) != 0))
            } else {
                (0..n).map(|i| i32::from(get(a, bits, i, true) < 0) << i).sum()
            };
            prop_assert_eq!(f(a), want, "{}", name);
        }
    }

    #[test]
    fn bitselect_matches_the_model(a in vector(), b in vector(), c in vector()) {
        let want = build(1, |i| {
            if get(c, 1, i, false) == 1 { get(a, 1, i, false) } else { get(b, 1, i, false) }
        });
        prop_assert_eq!(v128_bitselect(a, b, c), want);
        prop_assert_eq!(relaxed_laneselect(a, b, c), want);
    }

    #[test]
    fn relaxed_dots_match_the_model(a in vector(), b in vector(), c in vector()) {
        let pair = |i: u32| {
            sat_s(16, (0..2).map(|k| get(a, 8, 2 * i + k, true) * get(b, 8, 2 * i + k, true)).sum())
        };
        prop_assert_eq!(i16x8_relaxed_dot_i8x16_i7x16_s(a, b), build(16, pair));
        let want = build(32, |i| pair(2 * i) + pair(2 * i + 1) + get(c, 32, i, true));
        prop_assert_eq!(i32x4_relaxed_dot_i8x16_i7x16_add_s(a, b, c), want);
    }

    #[test]
    fn lanes_move_as_the_model_says(a in vector(), b in vector(), x in any::<u64>(), lane in 0u8..16) {
        let l = u32::from(lane);
        prop_assert_eq!(i8x16_extract_lane_s(a, lane), get(a, 8, l, true) as i32);
        prop_assert_eq!(i8x16_extract_lane_u(a, lane), get(a, 8, l, false) as i32);
        prop_assert_eq!(i16x8_extract_lane_s(a, lane % 8), get(a, 16, l % 8, true) as i32);
        prop_assert_eq!(i16x8_extract_lane_u(a, lane % 8), get(a, 16, l % 8, false) as i32);
        prop_assert_eq!(i32x4_extract_lane(a, lane % 4), get(a, 32, l % 4, false) as u32);
        prop_assert_eq!(i64x2_extract_lane(a, lane % 2), get(a, 64, l % 2, false) as u64);
        for bits in [8u32, 16, 32, 64] {
            let k = l % (128 / bits);
            let want = build(bits, |i| if i == k { i128::from(x) } else { get(a, bits, i, false) });
            let got = match bits {
                8 => i8x16_replace_lane(a, k as u8, x as u32),
                16 => i16x8_replace_lane(a, k as u8, x as u32),
                32 => i32x4_replace_lane(a, k as u8, x as u32),
                _ => i64x2_replace_lane(a, k as u8, x),
            };
            prop_assert_eq!(got, want, "replace {}", bits);
            let splat = match bits {
                8 => i8x16_splat(x as u32),
                16 => i16x8_splat(x as u32),
                32 => i32x4_splat(x as u32),
                _ => i64x2_splat(x),
            };
            prop_assert_eq!(splat, build(bits, |_| i128::from(x)), "splat {}", bits);
        }
        // Shuffle with a random mask; swizzle with a random selector (indices >= 16 give 0).
        let both = |j: u32| if j < 16 { get(a, 8, j, false) } else { get(b, 8, j - 16, false) };
        let m = b & build(8, |_| 31);
        prop_assert_eq!(i8x16_shuffle(a, b, m), build(8, |i| both(get(m, 8, i, false) as u32)));
        let sw = build(8, |i| {
            let j = get(b, 8, i, false);
            if j < 16 { get(a, 8, j as u32, false) } else { 0 }
        });
        prop_assert_eq!(i8x16_swizzle(a, b), sw);
        prop_assert_eq!(i8x16_relaxed_swizzle(a, b), sw);
    }

    #[test]
    fn loads_shape_as_the_model_says(x in any::<u64>()) {
        let v = u128::from(x);
        for (bits, s, u) in [
            (8, load8x8_s as fn(u64) -> u128, load8x8_u as fn(u64) -> u128),
            (16, load16x4_s, load16x4_u),
            (32, load32x2_s, load32x2_u),
        ] {
            prop_assert_eq!(s(x), build(2 * bits, |i| get(v, bits, i, true)));
            prop_assert_eq!(u(x), build(2 * bits, |i| get(v, bits, i, false)));
        }
        prop_assert_eq!(load32_zero(x as u32), u128::from(x as u32));
        prop_assert_eq!(load64_zero(x), v);
        prop_assert_eq!(load8_splat(x as u8), build(8, |_| i128::from(x as u8)));
        prop_assert_eq!(load64_splat(x), build(64, |_| i128::from(x)));
    }

    #[test]
    fn trunc_sat_matches_the_model(a in vector()) {
        let f32_lane = |i: u32| f32::from_bits(get(a, 32, i, false) as u32);
        let f64_lane = |i: u32| f64::from_bits(get(a, 64, i, false) as u64);
        // The model: NaN → 0, otherwise truncate toward zero in f64 (exact for these widths)
        // and clamp explicitly.
        let t = |x: f64, lo: i128, hi: i128| {
            if x.is_nan() {
                0
            } else if x <= lo as f64 {
                lo
            } else if x >= hi as f64 {
                hi
            } else {
                x.trunc() as i128
            }
        };
        let (s_lo, s_hi, u_hi) = (min_s(32), max_s(32), max_u(32));
        let want = build(32, |i| t(f64::from(f32_lane(i)), s_lo, s_hi));
        prop_assert_eq!(i32x4_trunc_sat_f32x4_s(a), want);
        prop_assert_eq!(i32x4_relaxed_trunc_f32x4_s(a), want);
        let want = build(32, |i| t(f64::from(f32_lane(i)), 0, u_hi));
        prop_assert_eq!(i32x4_trunc_sat_f32x4_u(a), want);
        let want = build(32, |i| if i < 2 { t(f64_lane(i), s_lo, s_hi) } else { 0 });
        prop_assert_eq!(i32x4_trunc_sat_f64x2_s_zero(a), want);
        let want = build(32, |i| if i < 2 { t(f64_lane(i), 0, u_hi) } else { 0 });
        prop_assert_eq!(i32x4_trunc_sat_f64x2_u_zero(a), want);
    }
}

// ---- float edge cases ----

fn f32x4(l: [f32; 4]) -> u128 {
    build(32, |i| i128::from(l[i as usize].to_bits()))
}

fn f64x2(l: [f64; 2]) -> u128 {
    build(64, |i| i128::from(l[i as usize].to_bits()))
}

fn f32_bits(v: u128) -> [u32; 4] {
    [0, 1, 2, 3].map(|i| get(v, 32, i, false) as u32)
}

fn f64_bits(v: u128) -> [u64; 2] {
    [0, 1].map(|i| get(v, 64, i, false) as u64)
}

const CANON32: u32 = 0x7fc0_0000;
const CANON64: u64 = 0x7ff8_0000_0000_0000;

fn is_canonical32(b: u32) -> bool {
    b & 0x7fff_ffff == CANON32
}

fn is_arithmetic32(b: u32) -> bool {
    b & CANON32 == CANON32
}

#[test]
fn min_max_order_signed_zeros_and_propagate_nans() {
    let a = f32x4([0.0, -0.0, f32::NAN, 1.0]);
    let b = f32x4([-0.0, 0.0, 1.0, f32::NAN]);
    let min = f32_bits(f32x4_min(a, b));
    assert_eq!(min[0], (-0.0f32).to_bits());
    assert_eq!(min[1], (-0.0f32).to_bits());
    assert!(is_canonical32(min[2]) && is_canonical32(min[3]));
    let max = f32_bits(f32x4_max(a, b));
    assert_eq!(max[0], 0);
    assert_eq!(max[1], 0);
    assert!(is_canonical32(max[2]) && is_canonical32(max[3]));
    // A signalling NaN operand gives an arithmetic (quiet) NaN.
    let snan = f32::from_bits(0x7fa0_0000);
    let r = f32_bits(f32x4_min(f32x4([snan; 4]), f32x4([1.0; 4])));
    assert!(r.iter().all(|&b| is_arithmetic32(b)));
    let r = f64_bits(f64x2_max(f64x2([-0.0, f64::NAN]), f64x2([0.0, 2.0])));
    assert_eq!(r[0], 0);
    assert_eq!(r[1] & 0x7fff_ffff_ffff_ffff, CANON64);
    assert_eq!(f32x4_relaxed_min(a, b), f32x4_min(a, b));
    assert_eq!(f64x2_relaxed_max(a, b), f64x2_max(a, b));
}

#[test]
fn pmin_pmax_return_an_operand_unchanged() {
    let nan = f32::from_bits(0x7fa0_0001);
    let a = f32x4([0.0, -0.0, nan, 1.0]);
    let b = f32x4([-0.0, 0.0, 1.0, nan]);
    // pmin = b < a ? b : a: equal zeros and NaNs give `a`.
    assert_eq!(f32_bits(f32x4_pmin(a, b)), f32_bits(a));
    assert_eq!(f32_bits(f32x4_pmax(a, b)), f32_bits(a));
    let r = f64_bits(f64x2_pmin(f64x2([2.0, 1.0]), f64x2([1.0, f64::NAN])));
    assert_eq!(r, [1.0f64.to_bits(), 1.0f64.to_bits()]);
    let r = f64_bits(f64x2_pmax(f64x2([1.0, -1.0]), f64x2([2.0, -2.0])));
    assert_eq!(r, [2.0f64.to_bits(), (-1.0f64).to_bits()]);
}

#[test]
fn rounding_modes() {
    let v = f32x4([2.5, -2.5, 3.5, -0.5]);
    assert_eq!(
        f32_bits(f32x4_nearest(v)),
        f32_bits(f32x4([2.0, -2.0, 4.0, -0.0]))
    );
    assert_eq!(
        f32_bits(f32x4_ceil(v)),
        f32_bits(f32x4([3.0, -2.0, 4.0, -0.0]))
    );
    assert_eq!(
        f32_bits(f32x4_floor(v)),
        f32_bits(f32x4([2.0, -3.0, 3.0, -1.0]))
    );
    assert_eq!(
        f32_bits(f32x4_trunc(v)),
        f32_bits(f32x4([2.0, -2.0, 3.0, -0.0]))
    );
    let big = 8388609.0f32; // 2^23 + 1: already an integer.
    assert_eq!(f32_bits(f32x4_nearest(f32x4([big; 4])))[0], big.to_bits());
    let d = f64x2([0.5, -1.5]);
    assert_eq!(f64_bits(f64x2_nearest(d)), f64_bits(f64x2([0.0, -2.0])));
    assert_eq!(f64_bits(f64x2_ceil(d)), f64_bits(f64x2([1.0, -1.0])));
    assert_eq!(f64_bits(f64x2_floor(d)), f64_bits(f64x2([0.0, -2.0])));
    assert_eq!(f64_bits(f64x2_trunc(d)), f64_bits(f64x2([0.0, -1.0])));
    // NaN operands are quieted.
    let snan = f32x4([f32::from_bits(0x7f80_0001); 4]);
    for f in [
        f32x4_ceil,
        f32x4_floor,
        f32x4_trunc,
        f32x4_nearest,
        f32x4_sqrt,
    ] {
        assert!(f32_bits(f(snan)).iter().all(|&b| is_arithmetic32(b)));
    }
}

#[test]
fn arithmetic_nans() {
    let canon = f32x4([f32::from_bits(CANON32); 4]);
    let r = f32_bits(f32x4_add(canon, f32x4([1.0; 4])));
    assert!(r.iter().all(|&b| is_canonical32(b)));
    let r = f32_bits(f32x4_sub(
        f32x4([f32::INFINITY; 4]),
        f32x4([f32::INFINITY; 4]),
    ));
    assert!(r.iter().all(|&b| is_canonical32(b)));
    let snan = f32x4([f32::from_bits(0x7fa0_0000); 4]);
    let r = f32_bits(f32x4_mul(snan, f32x4([2.0; 4])));
    assert!(r.iter().all(|&b| is_arithmetic32(b)));
    let r = f64_bits(f64x2_div(f64x2([0.0; 2]), f64x2([0.0; 2])));
    assert!(r.iter().all(|&b| b & 0x7fff_ffff_ffff_ffff == CANON64));
    // abs/neg touch only the sign bit.
    let r = f32_bits(f32x4_neg(snan));
    assert!(r.iter().all(|&b| b == 0xffa0_0000));
    let r = f32_bits(f32x4_abs(f32x4_neg(snan)));
    assert!(r.iter().all(|&b| b == 0x7fa0_0000));
}

#[test]
fn float_comparisons_with_nans_and_zeros() {
    let a = f32x4([f32::NAN, 0.0, 1.0, -1.0]);
    let b = f32x4([f32::NAN, -0.0, 2.0, -1.0]);
    assert_eq!(f32_bits(f32x4_eq(a, b)), [0, u32::MAX, 0, u32::MAX]);
    assert_eq!(f32_bits(f32x4_ne(a, b)), [u32::MAX, 0, u32::MAX, 0]);
    assert_eq!(f32_bits(f32x4_lt(a, b)), [0, 0, u32::MAX, 0]);
    assert_eq!(f32_bits(f32x4_ge(a, b)), [0, u32::MAX, 0, u32::MAX]);
    let r = f64_bits(f64x2_le(f64x2([f64::NAN, 1.0]), f64x2([1.0, 1.0])));
    assert_eq!(r, [0, u64::MAX]);
}

#[test]
fn conversions() {
    // trunc_sat: NaN → 0, saturation at both ends.
    let v = f32x4([f32::NAN, 3.0e9, -3.0e9, -0.9]);
    assert_eq!(
        f32_bits(i32x4_trunc_sat_f32x4_s(v)),
        [0, i32::MAX as u32, i32::MIN as u32, 0]
    );
    assert_eq!(
        f32_bits(i32x4_trunc_sat_f32x4_u(v)),
        [0, 3_000_000_000, 0, 0]
    );
    let d = f64x2([f64::NAN, 4294967295.9]);
    assert_eq!(
        f32_bits(i32x4_trunc_sat_f64x2_u_zero(d)),
        [0, u32::MAX, 0, 0]
    );
    assert_eq!(
        f32_bits(i32x4_trunc_sat_f64x2_s_zero(d)),
        [0, i32::MAX as u32, 0, 0]
    );
    // u32 → f32 rounds to nearest even.
    let v = build(32, |i| {
        [16777217, 16777219, u32::MAX as i128, 0][i as usize]
    });
    let r = f32_bits(f32x4_convert_i32x4_u(v));
    assert_eq!(
        r,
        [16777216.0f32, 16777220.0, 4294967296.0, 0.0].map(f32::to_bits)
    );
    let r = f32_bits(f32x4_convert_i32x4_s(build(32, |_| -1)));
    assert_eq!(r, [(-1.0f32).to_bits(); 4]);
    let r = f64_bits(f64x2_convert_low_i32x4_s(build(32, |i| {
        [-5, 7, 1, 1][i as usize]
    })));
    assert_eq!(r, [(-5.0f64).to_bits(), 7.0f64.to_bits()]);
    let r = f64_bits(f64x2_convert_low_i32x4_u(build(32, |_| -1)));
    assert_eq!(r, [4294967295.0f64.to_bits(); 2]);
    // demote rounds (and zeroes the high lanes); promote is exact; NaNs stay NaNs.
    let r = f32_bits(f32x4_demote_f64x2_zero(f64x2([
        1.0 + f64::EPSILON,
        f64::NAN,
    ])));
    assert_eq!(r[0], 1.0f32.to_bits());
    assert!(is_canonical32(r[1]));
    assert_eq!([r[2], r[3]], [0, 0]);
    let r = f64_bits(f64x2_promote_low_f32x4(f32x4([1.5, f32::NAN, 9.0, 9.0])));
    assert_eq!(r[0], 1.5f64.to_bits());
    assert_eq!(r[1] & 0x7fff_ffff_ffff_ffff, CANON64);
}

#[test]
fn relaxed_madd_is_unfused() {
    // FLT_MAX * 2 - FLT_MAX: inf without fusion.
    let r = f32x4_relaxed_madd(f32x4([f32::MAX; 4]), f32x4([2.0; 4]), f32x4([-f32::MAX; 4]));
    assert_eq!(f32_bits(r), [f32::INFINITY.to_bits(); 4]);
    let r = f64x2_relaxed_nmadd(f64x2([2.0; 2]), f64x2([3.0; 2]), f64x2([10.0; 2]));
    assert_eq!(f64_bits(r), [4.0f64.to_bits(); 2]);
    let r = f32x4_relaxed_nmadd(f32x4([2.0; 4]), f32x4([3.0; 4]), f32x4([1.0; 4]));
    assert_eq!(f32_bits(r), [(-5.0f32).to_bits(); 4]);
    let r = f64x2_relaxed_madd(f64x2([2.0; 2]), f64x2([3.0; 2]), f64x2([1.0; 2]));
    assert_eq!(f64_bits(r), [7.0f64.to_bits(); 2]);
}
