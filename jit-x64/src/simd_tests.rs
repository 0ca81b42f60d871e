//! The native SIMD sequences (`compile/simd.rs`) against the interpreter's lane code: every
//! instruction with a sequence runs on pseudo-random and edge-case lanes, compiled natively and
//! with the helper fallback forced, and must agree with the interpreter (float lanes may differ
//! only in the payload of a NaN, which the spec leaves open).

use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::fmt::Write as _;

use strata_decoder::Features;
use strata_interp::{Error, Host};
use strata_vm::{ExternVal, InstanceAddr, ModuleInfo, StoreConfig, StoreInner, UntypedVal};

use crate::compile::simd::with_native;

/// No imports are used.
struct NoHost;

impl Host for NoHost {
    type Error = ();

    fn call_host(
        &mut self,
        _store: &mut StoreInner,
        _index: u32,
        _caller: Option<InstanceAddr>,
        _slots: &mut [UntypedVal],
    ) -> Result<(), ()> {
        Err(())
    }
}

fn module(src: &str) -> Arc<ModuleInfo> {
    let buf = wast::parser::ParseBuffer::new(src).unwrap();
    let mut m: wast::Wat = wast::parser::parse(&buf).unwrap();
    let bytes = m.encode().unwrap();
    let features = Features::WASM2 | Features::RELAXED_SIMD | Features::MULTI_MEMORY;
    let m = strata_decoder::decode(&bytes, features).unwrap();
    let t = strata_ir::translate_module(&m).unwrap();
    Arc::new(ModuleInfo::new(&m, t.funcs).unwrap())
}

/// How an engine runs the module.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Engine {
    Interp,
    Native,
    Fallback,
}

/// A store with `src` instantiated for `engine`.
fn instance(src: &str, engine: Engine) -> (StoreInner, InstanceAddr) {
    let info = module(src);
    let mut store = StoreInner::new(StoreConfig::default());
    if engine != Engine::Interp {
        crate::enable(&mut store);
        with_native(engine == Engine::Native, || {
            crate::compile_module(&info).unwrap();
        });
    }
    let r = strata_vm::instantiate(&mut store, &info, &[]).unwrap();
    (store, r.instance)
}

type Outcome = Result<Vec<u64>, Error<()>>;

fn call(
    store: &mut StoreInner,
    inst: InstanceAddr,
    name: &str,
    args: &[u64],
    jit: bool,
) -> Outcome {
    let Some(ExternVal::Func(f)) = store.instance(inst).export(name) else {
        panic!("no export {name}")
    };
    let e = store.func(f);
    let n = usize::from(e.param_slots.max(e.result_slots)).max(1);
    let results = usize::from(e.result_slots);
    let mut slots = alloc::vec![UntypedVal::ZERO; n];
    for (s, a) in slots.iter_mut().zip(args) {
        *s = UntypedVal::from_u64(*a);
    }
    if jit {
        crate::invoke(store, &mut NoHost, f, &mut slots)?;
    } else {
        strata_interp::invoke(store, &mut NoHost, f, &mut slots)?;
    }
    Ok(slots[..results].iter().map(|s| s.to_u64()).collect())
}

/// xorshift64*: deterministic pseudo-random numbers.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn pick<T: Copy>(&mut self, xs: &[T]) -> T {
        xs[(self.next() % xs.len() as u64) as usize]
    }

    /// A `v128` as two slots: random bits, or lanes of one width drawn from edge cases.
    fn v128(&mut self) -> [u64; 2] {
        let mut b = [0u8; 16];
        match self.next() % 6 {
            0 => {
                b[..8].copy_from_slice(&self.next().to_le_bytes());
                b[8..].copy_from_slice(&self.next().to_le_bytes());
            }
            1 => {
                for x in &mut b {
                    *x = self.pick(&[0, 1, 0x7f, 0x80, 0x81, 0xff, 0x0f, 0x10, 0x1f, 0x20, 0x55]);
                }
            }
            2 => {
                for c in b.chunks_mut(2) {
                    let h: u16 = self.pick(&[0, 1, 0x7fff, 0x8000, 0x8001, 0xffff, 0x00ff, 0xff00]);
                    c.copy_from_slice(&h.to_le_bytes());
                }
            }
            3 => {
                for c in b.chunks_mut(4) {
                    let w = self.pick(&F32_EDGES);
                    let w = if w == u32::MAX { self.next() as u32 } else { w };
                    c.copy_from_slice(&w.to_le_bytes());
                }
            }
            4 => {
                for c in b.chunks_mut(8) {
                    let q = self.pick(&F64_EDGES);
                    let q = if q == u64::MAX { self.next() } else { q };
                    c.copy_from_slice(&q.to_le_bytes());
                }
            }
            _ => {
                for c in b.chunks_mut(4) {
                    let w: u32 = self.pick(&[0, 1, 0x7fff_ffff, 0x8000_0000, 0xffff_ffff, 2, 3]);
                    c.copy_from_slice(&w.to_le_bytes());
                }
            }
        }
        [
            u64::from_le_bytes(b[..8].try_into().unwrap()),
            u64::from_le_bytes(b[8..].try_into().unwrap()),
        ]
    }
}

/// f32 lanes worth trying (`u32::MAX` stands for random bits).
const F32_EDGES: [u32; 22] = [
    0x0000_0000, // 0
    0x8000_0000, // -0
    0x3f80_0000, // 1
    0xbf80_0000, // -1
    0x3fc0_0000, // 1.5
    0xc020_0000, // -2.5
    0x3f00_0000, // 0.5
    0x7fc0_0000, // canonical NaN
    0xffc0_0000, // negative canonical NaN
    0x7fc1_2345, // NaN with a payload
    0x7f80_0001, // signalling NaN
    0x7f80_0000, // inf
    0xff80_0000, // -inf
    0x4f00_0000, // 2^31
    0xcf00_0000, // -2^31
    0x4f80_0000, // 2^32
    0x4f7f_ffff, // just below 2^32
    0x4eff_ffff, // just below 2^31
    0x0000_0001, // smallest subnormal
    0x7f7f_ffff, // max
    0xcf00_0001, // just below -2^31
    u32::MAX,
];

/// f64 lanes worth trying (`u64::MAX` stands for random bits).
const F64_EDGES: [u64; 20] = [
    0,
    0x8000_0000_0000_0000,
    0x3ff0_0000_0000_0000,
    0xbff0_0000_0000_0000,
    0x3ff8_0000_0000_0000,
    0xc004_0000_0000_0000,
    0x7ff8_0000_0000_0000,
    0xfff8_0000_0000_0000,
    0x7ff8_0000_0001_2345,
    0x7ff0_0000_0000_0001,
    0x7ff0_0000_0000_0000,
    0xfff0_0000_0000_0000,
    0x41e0_0000_0000_0000, // 2^31
    0xc1e0_0000_0000_0000, // -2^31
    0x41f0_0000_0000_0000, // 2^32
    0x41ef_ffff_ffe0_0000, // 2^32 - 1
    0x41df_ffff_ffc0_0000, // 2^31 - 1
    0xc1e0_0000_0020_0000, // -2^31 - 1
    0x3fef_ffff_ffff_ffff, // just below 1
    u64::MAX,
];

/// How results are compared.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Lanes {
    /// Bit for bit.
    Exact,
    /// f32 lanes: any NaN matches any NaN.
    F32,
    /// f64 lanes: any NaN matches any NaN.
    F64,
}

/// One export to test: its name, how to generate its arguments, how to compare.
struct Case {
    name: String,
    args: fn(&mut Rng) -> Vec<u64>,
    lanes: Lanes,
}

fn args_vv(r: &mut Rng) -> Vec<u64> {
    [r.v128(), r.v128()].concat()
}
fn args_v(r: &mut Rng) -> Vec<u64> {
    r.v128().to_vec()
}
fn args_vvv(r: &mut Rng) -> Vec<u64> {
    [r.v128(), r.v128(), r.v128()].concat()
}
fn args_vi(r: &mut Rng) -> Vec<u64> {
    let n = r.pick(&[
        0,
        1,
        3,
        7,
        8,
        9,
        15,
        16,
        17,
        31,
        32,
        33,
        63,
        64,
        65,
        0xffff_ffff,
    ]);
    let n = if r.next().is_multiple_of(4) {
        r.next() & 0xffff_ffff
    } else {
        n
    };
    [&r.v128()[..], &[n]].concat()
}
fn args_s(r: &mut Rng) -> Vec<u64> {
    let v = r.v128();
    alloc::vec![v[0]]
}
fn args_vs(r: &mut Rng) -> Vec<u64> {
    [r.v128(), [r.v128()[1], 0]].concat()[..3].to_vec()
}

/// The module: one export per case, and the cases.
fn simd_module() -> (String, Vec<Case>) {
    let mut wat = String::from("(module\n");
    let mut cases = Vec::new();
    let mut add = |wat: &mut String,
                   name: String,
                   sig: &str,
                   body: String,
                   args: fn(&mut Rng) -> Vec<u64>,
                   lanes: Lanes| {
        writeln!(wat, "  (func (export \"{name}\") {sig} {body})").unwrap();
        cases.push(Case { name, args, lanes });
    };
    let exact_bin = [
        "i8x16.add",
        "i8x16.add_sat_s",
        "i8x16.add_sat_u",
        "i8x16.sub",
        "i8x16.sub_sat_s",
        "i8x16.sub_sat_u",
        "i8x16.min_s",
        "i8x16.min_u",
        "i8x16.max_s",
        "i8x16.max_u",
        "i8x16.avgr_u",
        "i8x16.eq",
        "i8x16.ne",
        "i8x16.lt_s",
        "i8x16.lt_u",
        "i8x16.gt_s",
        "i8x16.gt_u",
        "i8x16.le_s",
        "i8x16.le_u",
        "i8x16.ge_s",
        "i8x16.ge_u",
        "i8x16.narrow_i16x8_s",
        "i8x16.narrow_i16x8_u",
        "i8x16.swizzle",
        "i8x16.relaxed_swizzle",
        "i16x8.add",
        "i16x8.add_sat_s",
        "i16x8.add_sat_u",
        "i16x8.sub",
        "i16x8.sub_sat_s",
        "i16x8.sub_sat_u",
        "i16x8.mul",
        "i16x8.min_s",
        "i16x8.min_u",
        "i16x8.max_s",
        "i16x8.max_u",
        "i16x8.avgr_u",
        "i16x8.q15mulr_sat_s",
        "i16x8.relaxed_q15mulr_s",
        "i16x8.eq",
        "i16x8.ne",
        "i16x8.lt_s",
        "i16x8.lt_u",
        "i16x8.gt_s",
        "i16x8.gt_u",
        "i16x8.le_s",
        "i16x8.le_u",
        "i16x8.ge_s",
        "i16x8.ge_u",
        "i16x8.narrow_i32x4_s",
        "i16x8.narrow_i32x4_u",
        "i16x8.extmul_low_i8x16_s",
        "i16x8.extmul_high_i8x16_s",
        "i16x8.extmul_low_i8x16_u",
        "i16x8.extmul_high_i8x16_u",
        "i32x4.add",
        "i32x4.sub",
        "i32x4.mul",
        "i32x4.min_s",
        "i32x4.min_u",
        "i32x4.max_s",
        "i32x4.max_u",
        "i32x4.dot_i16x8_s",
        "i32x4.eq",
        "i32x4.ne",
        "i32x4.lt_s",
        "i32x4.lt_u",
        "i32x4.gt_s",
        "i32x4.gt_u",
        "i32x4.le_s",
        "i32x4.le_u",
        "i32x4.ge_s",
        "i32x4.ge_u",
        "i32x4.extmul_low_i16x8_s",
        "i32x4.extmul_high_i16x8_s",
        "i32x4.extmul_low_i16x8_u",
        "i32x4.extmul_high_i16x8_u",
        "i64x2.add",
        "i64x2.sub",
        "i64x2.mul",
        "i64x2.eq",
        "i64x2.ne",
        "i64x2.lt_s",
        "i64x2.gt_s",
        "i64x2.le_s",
        "i64x2.ge_s",
        "i64x2.extmul_low_i32x4_s",
        "i64x2.extmul_high_i32x4_s",
        "i64x2.extmul_low_i32x4_u",
        "i64x2.extmul_high_i32x4_u",
        "v128.and",
        "v128.or",
        "v128.xor",
        "v128.andnot",
        "f32x4.eq",
        "f32x4.ne",
        "f32x4.lt",
        "f32x4.gt",
        "f32x4.le",
        "f32x4.ge",
        "f64x2.eq",
        "f64x2.ne",
        "f64x2.lt",
        "f64x2.gt",
        "f64x2.le",
        "f64x2.ge",
    ];
    let float_bin = [
        "add",
        "sub",
        "mul",
        "div",
        "min",
        "max",
        "pmin",
        "pmax",
        "relaxed_min",
        "relaxed_max",
    ];
    let exact_un = [
        "v128.not",
        "i8x16.abs",
        "i8x16.neg",
        "i8x16.popcnt",
        "i16x8.abs",
        "i16x8.neg",
        "i16x8.extend_low_i8x16_s",
        "i16x8.extend_high_i8x16_s",
        "i16x8.extend_low_i8x16_u",
        "i16x8.extend_high_i8x16_u",
        "i16x8.extadd_pairwise_i8x16_s",
        "i16x8.extadd_pairwise_i8x16_u",
        "i32x4.abs",
        "i32x4.neg",
        "i32x4.extend_low_i16x8_s",
        "i32x4.extend_high_i16x8_s",
        "i32x4.extend_low_i16x8_u",
        "i32x4.extend_high_i16x8_u",
        "i32x4.extadd_pairwise_i16x8_s",
        "i32x4.extadd_pairwise_i16x8_u",
        "i32x4.trunc_sat_f32x4_s",
        "i32x4.trunc_sat_f32x4_u",
        "i32x4.trunc_sat_f64x2_s_zero",
        "i32x4.trunc_sat_f64x2_u_zero",
        "i32x4.relaxed_trunc_f32x4_s",
        "i32x4.relaxed_trunc_f32x4_u",
        "i32x4.relaxed_trunc_f64x2_s_zero",
        "i32x4.relaxed_trunc_f64x2_u_zero",
        "i64x2.abs",
        "i64x2.neg",
        "i64x2.extend_low_i32x4_s",
        "i64x2.extend_high_i32x4_s",
        "i64x2.extend_low_i32x4_u",
        "i64x2.extend_high_i32x4_u",
        // Sign-bit operations and exact conversions keep NaN payloads: bit for bit.
        "f32x4.abs",
        "f32x4.neg",
        "f64x2.abs",
        "f64x2.neg",
        "f32x4.convert_i32x4_s",
        "f32x4.convert_i32x4_u",
        "f64x2.convert_low_i32x4_s",
        "f64x2.convert_low_i32x4_u",
    ];
    let f32_un = [
        "f32x4.sqrt",
        "f32x4.ceil",
        "f32x4.floor",
        "f32x4.trunc",
        "f32x4.nearest",
        "f32x4.demote_f64x2_zero",
    ];
    let f64_un = [
        "f64x2.sqrt",
        "f64x2.ceil",
        "f64x2.floor",
        "f64x2.trunc",
        "f64x2.nearest",
        "f64x2.promote_low_f32x4",
    ];
    let vv = "(param v128 v128) (result v128)";
    let v = "(param v128) (result v128)";
    for op in exact_bin {
        let body = alloc::format!("({op} (local.get 0) (local.get 1))");
        add(&mut wat, op.into(), vv, body, args_vv, Lanes::Exact);
    }
    for (shape, lanes) in [("f32x4", Lanes::F32), ("f64x2", Lanes::F64)] {
        for op in float_bin {
            let op = alloc::format!("{shape}.{op}");
            let body = alloc::format!("({op} (local.get 0) (local.get 1))");
            add(&mut wat, op, vv, body, args_vv, lanes);
        }
    }
    for (ops, lanes) in [
        (&exact_un[..], Lanes::Exact),
        (&f32_un[..], Lanes::F32),
        (&f64_un[..], Lanes::F64),
    ] {
        for op in ops {
            let body = alloc::format!("({op} (local.get 0))");
            add(&mut wat, (*op).into(), v, body, args_v, lanes);
        }
    }
    let vvv = "(param v128 v128 v128) (result v128)";
    for (op, lanes) in [
        ("v128.bitselect", Lanes::Exact),
        ("i8x16.relaxed_laneselect", Lanes::Exact),
        ("i16x8.relaxed_laneselect", Lanes::Exact),
        ("i32x4.relaxed_laneselect", Lanes::Exact),
        ("i64x2.relaxed_laneselect", Lanes::Exact),
        ("f32x4.relaxed_madd", Lanes::F32),
        ("f32x4.relaxed_nmadd", Lanes::F32),
        ("f64x2.relaxed_madd", Lanes::F64),
        ("f64x2.relaxed_nmadd", Lanes::F64),
    ] {
        let body = alloc::format!("({op} (local.get 0) (local.get 1) (local.get 2))");
        add(&mut wat, op.into(), vvv, body, args_vvv, lanes);
    }
    for shape in ["i8x16", "i16x8", "i32x4", "i64x2"] {
        for op in ["shl", "shr_s", "shr_u"] {
            let op = alloc::format!("{shape}.{op}");
            let body = alloc::format!("({op} (local.get 0) (local.get 1))");
            add(
                &mut wat,
                op,
                "(param v128 i32) (result v128)",
                body,
                args_vi,
                Lanes::Exact,
            );
        }
    }
    for op in [
        "v128.any_true",
        "i8x16.all_true",
        "i16x8.all_true",
        "i32x4.all_true",
        "i64x2.all_true",
        "i8x16.bitmask",
        "i16x8.bitmask",
        "i32x4.bitmask",
        "i64x2.bitmask",
    ] {
        let body = alloc::format!("({op} (local.get 0))");
        add(
            &mut wat,
            op.into(),
            "(param v128) (result i32)",
            body,
            args_v,
            Lanes::Exact,
        );
    }
    for (shape, t) in [
        ("i8x16", "i32"),
        ("i16x8", "i32"),
        ("i32x4", "i32"),
        ("i64x2", "i64"),
        ("f32x4", "f32"),
        ("f64x2", "f64"),
    ] {
        let op = alloc::format!("{shape}.splat");
        let body = alloc::format!("({op} (local.get 0))");
        let sig = alloc::format!("(param {t}) (result v128)");
        add(&mut wat, op, &sig, body, args_s, Lanes::Exact);
        let n: u8 = match shape {
            "i8x16" => 16,
            "i16x8" => 8,
            "i32x4" | "f32x4" => 4,
            _ => 2,
        };
        let extracts: &[&str] = if n > 4 {
            &["extract_lane_s", "extract_lane_u"]
        } else {
            &["extract_lane"]
        };
        let mut lanes = alloc::vec![0, n / 2 - 1, n - 1];
        lanes.dedup();
        for lane in lanes {
            for e in extracts {
                let op = alloc::format!("{shape}.{e}");
                let body = alloc::format!("({op} {lane} (local.get 0))");
                let sig = alloc::format!("(param v128) (result {t})");
                add(
                    &mut wat,
                    alloc::format!("{op}/{lane}"),
                    &sig,
                    body,
                    args_v,
                    Lanes::Exact,
                );
            }
            let op = alloc::format!("{shape}.replace_lane");
            let body = alloc::format!("({op} {lane} (local.get 0) (local.get 1))");
            let sig = alloc::format!("(param v128 {t}) (result v128)");
            add(
                &mut wat,
                alloc::format!("{op}/{lane}"),
                &sig,
                body,
                args_vs,
                Lanes::Exact,
            );
        }
    }
    // Constants: the zero and all-ones special cases and a pool entry.
    for (k, c) in ["i64x2 0 0", "i64x2 -1 -1", "i32x4 1 -2 3 0x7fffffff"]
        .iter()
        .enumerate()
    {
        let body = alloc::format!("(i32x4.add (local.get 0) (v128.const {c}))");
        add(
            &mut wat,
            alloc::format!("v128.const/{k}"),
            v,
            body,
            args_v,
            Lanes::Exact,
        );
    }
    let mut r = Rng(0x5eed);
    let mut masks: Vec<[u64; 16]> = alloc::vec![
        core::array::from_fn(|i| i as u64),
        core::array::from_fn(|i| 16 + i as u64),
        core::array::from_fn(|i| 31 - i as u64),
        core::array::from_fn(|i| (i as u64 * 2) % 32),
    ];
    for _ in 0..4 {
        masks.push(core::array::from_fn(|_| r.next() % 32));
    }
    for (k, m) in masks.iter().enumerate() {
        let m: Vec<String> = m.iter().map(u64::to_string).collect();
        let body = alloc::format!(
            "(i8x16.shuffle {} (local.get 0) (local.get 1))",
            m.join(" ")
        );
        add(
            &mut wat,
            alloc::format!("i8x16.shuffle/{k}"),
            vv,
            body,
            args_vv,
            Lanes::Exact,
        );
    }
    wat.push(')');
    (wat, cases)
}

/// Whether `x64` (from engine `engine`) is an acceptable result where the interpreter gave
/// `interp`.
fn agrees(interp: &Outcome, x64: &Outcome, lanes: Lanes) -> bool {
    match (interp, x64, lanes) {
        (Ok(a), Ok(b), Lanes::F32) if a.len() == 2 && b.len() == 2 => {
            let lane = |v: &[u64], i: usize| (v[i / 2] >> (32 * (i % 2))) as u32;
            (0..4).all(|i| {
                let (x, y) = (lane(a, i), lane(b, i));
                x == y || (f32::from_bits(x).is_nan() && f32::from_bits(y).is_nan())
            })
        }
        (Ok(a), Ok(b), Lanes::F64) if a.len() == 2 && b.len() == 2 => a
            .iter()
            .zip(b)
            .all(|(&x, &y)| x == y || (f64::from_bits(x).is_nan() && f64::from_bits(y).is_nan())),
        _ => interp == x64,
    }
}

#[test]
fn native_simd_agrees_with_the_interpreter() {
    let (wat, cases) = simd_module();
    let (mut is, ii) = instance(&wat, Engine::Interp);
    let (mut ns, ni) = instance(&wat, Engine::Native);
    let (mut fs, fi) = instance(&wat, Engine::Fallback);
    let mut r = Rng(0x1234_5678_9abc_def1);
    let mut failures = Vec::new();
    for case in &cases {
        for _ in 0..200 {
            let args = (case.args)(&mut r);
            let i = call(&mut is, ii, &case.name, &args, false);
            let n = call(&mut ns, ni, &case.name, &args, true);
            let f = call(&mut fs, fi, &case.name, &args, true);
            assert!(
                i.is_ok(),
                "{}({args:x?}) failed on the interpreter",
                case.name
            );
            // The fallback runs the interpreter's own lane code, but it is a separate copy of
            // that code, and Rust leaves the payload of a NaN result unspecified: an optimized
            // build may commute `a + b` in one copy and not the other (seen with f32x4.add of
            // two NaNs). So NaN lanes need only both be NaN, as for native code; the rest is
            // bit for bit.
            assert!(
                agrees(&i, &f, case.lanes),
                "{}({args:x?}): fallback differs: interp {i:x?}, fallback {f:x?}",
                case.name
            );
            if !agrees(&i, &n, case.lanes) {
                failures.push(alloc::format!(
                    "{}({args:x?}): interp {i:x?}, native {n:x?}",
                    case.name
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} disagreements, first ones:\n{}",
        failures.len(),
        failures[..failures.len().min(20)].join("\n")
    );
}

const MEMORY: &str = r#"(module
  (memory 1)
  (memory $other 1)
  (func (export "init") (param i32) (local i32)
    (loop $l
      (i64.store (local.get 1) (i64.mul (i64.extend_i32_u (i32.add (local.get 1) (local.get 0)))
                                        (i64.const 0x9e3779b97f4a7c15)))
      (local.set 1 (i32.add (local.get 1) (i32.const 8)))
      (br_if $l (i32.lt_u (local.get 1) (i32.const 65536)))))
  (func (export "peek") (param i32) (result i64) (i64.load (local.get 0)))
  (func (export "load") (param i32) (result v128) (v128.load offset=3 (local.get 0)))
  (func (export "load8x8_s") (param i32) (result v128) (v128.load8x8_s (local.get 0)))
  (func (export "load8x8_u") (param i32) (result v128) (v128.load8x8_u offset=1 (local.get 0)))
  (func (export "load16x4_s") (param i32) (result v128) (v128.load16x4_s (local.get 0)))
  (func (export "load16x4_u") (param i32) (result v128) (v128.load16x4_u (local.get 0)))
  (func (export "load32x2_s") (param i32) (result v128) (v128.load32x2_s (local.get 0)))
  (func (export "load32x2_u") (param i32) (result v128) (v128.load32x2_u (local.get 0)))
  (func (export "load8_splat") (param i32) (result v128) (v128.load8_splat (local.get 0)))
  (func (export "load16_splat") (param i32) (result v128) (v128.load16_splat (local.get 0)))
  (func (export "load32_splat") (param i32) (result v128) (v128.load32_splat (local.get 0)))
  (func (export "load64_splat") (param i32) (result v128) (v128.load64_splat (local.get 0)))
  (func (export "load32_zero") (param i32) (result v128) (v128.load32_zero (local.get 0)))
  (func (export "load64_zero") (param i32) (result v128) (v128.load64_zero (local.get 0)))
  (func (export "load8_lane") (param i32 v128) (result v128)
    (v128.load8_lane 13 (local.get 0) (local.get 1)))
  (func (export "load16_lane") (param i32 v128) (result v128)
    (v128.load16_lane 5 (local.get 0) (local.get 1)))
  (func (export "load32_lane") (param i32 v128) (result v128)
    (v128.load32_lane 2 (local.get 0) (local.get 1)))
  (func (export "load64_lane") (param i32 v128) (result v128)
    (v128.load64_lane 1 (local.get 0) (local.get 1)))
  (func (export "store") (param i32 v128) (v128.store offset=5 (local.get 0) (local.get 1)))
  (func (export "store8_lane") (param i32 v128) (v128.store8_lane 9 (local.get 0) (local.get 1)))
  (func (export "store16_lane") (param i32 v128)
    (v128.store16_lane 3 (local.get 0) (local.get 1)))
  (func (export "store32_lane") (param i32 v128)
    (v128.store32_lane 3 (local.get 0) (local.get 1)))
  (func (export "store64_lane") (param i32 v128)
    (v128.store64_lane 0 (local.get 0) (local.get 1)))
  (func (export "other") (param i32 v128) (result v128)
    (v128.store $other (local.get 0) (local.get 1))
    (v128.load $other offset=1 (local.get 0)))
)"#;

#[test]
fn native_simd_loads_and_stores_agree_with_the_interpreter() {
    let engines = [Engine::Interp, Engine::Native, Engine::Fallback];
    let mut stores: Vec<_> = engines.iter().map(|&e| instance(MEMORY, e)).collect();
    let mut r = Rng(42);
    let mut run = |name: &str, args: &[u64]| -> Outcome {
        let outs: Vec<Outcome> = stores
            .iter_mut()
            .zip(engines)
            .map(|((s, i), e)| call(s, *i, name, args, e != Engine::Interp))
            .collect();
        assert_eq!(outs[1], outs[0], "{name}({args:x?}): native differs");
        assert_eq!(outs[2], outs[0], "{name}({args:x?}): fallback differs");
        outs[0].clone()
    };
    assert_eq!(run("init", &[7]), Ok(Vec::new()));
    let loads = [
        "load",
        "load8x8_s",
        "load8x8_u",
        "load16x4_s",
        "load16x4_u",
        "load32x2_s",
        "load32x2_u",
        "load8_splat",
        "load16_splat",
        "load32_splat",
        "load64_splat",
        "load32_zero",
        "load64_zero",
    ];
    let lanes = ["load8_lane", "load16_lane", "load32_lane", "load64_lane"];
    let stores_ = [
        "store",
        "store8_lane",
        "store16_lane",
        "store32_lane",
        "store64_lane",
        "other",
    ];
    let mut traps = 0;
    for _ in 0..300 {
        // Mostly in bounds, often at the very end of memory, sometimes far out.
        let addr = match r.next() % 4 {
            0 => 65536 - r.next() % 24,
            1 => r.next() & 0xffff_ffff,
            _ => r.next() % 65536,
        };
        for name in loads {
            traps += usize::from(run(name, &[addr]).is_err());
        }
        let v = r.v128();
        for name in lanes.iter().chain(&stores_) {
            traps += usize::from(run(name, &[addr, v[0], v[1]]).is_err());
        }
    }
    // Everything the stores wrote reads back the same.
    for a in (0..65536).step_by(8) {
        assert!(run("peek", &[a]).is_ok());
    }
    assert!(traps > 100, "the out-of-bounds paths ran ({traps} traps)");
}

/// The machine code of `src`'s first function, compiled natively or with the fallback.
fn code_len(src: &str, native: bool) -> usize {
    let info = module(src);
    let m = with_native(native, || {
        crate::compile::compile(&info.code, info.num_imported_funcs).unwrap()
    });
    m.code(0).len()
}

#[test]
fn native_sequences_replace_helper_calls() {
    // A helper call costs ~30 bytes of set-up, call, status check and memory reload; a native
    // `paddd` sequence between frame slots is ~20 bytes.
    let src = r#"(module (func (param v128 v128) (result v128)
        (i32x4.add (i32x4.mul (local.get 0) (local.get 1)) (local.get 1))))"#;
    let native = code_len(src, true);
    let fallback = code_len(src, false);
    let cpu = std::is_x86_feature_detected!("sse4.1") && std::is_x86_feature_detected!("ssse3");
    if cpu {
        assert!(
            native < fallback,
            "native {native} bytes, fallback {fallback}"
        );
    } else {
        assert_eq!(native, fallback);
    }
}

#[test]
fn machine_code_snapshot() {
    let src = r#"(module (memory 1) (func (param i32) (result v128)
        (f32x4.min (v128.load (local.get 0))
          (i8x16.shuffle 0 17 2 19 4 21 6 23 8 25 10 27 12 29 14 31
            (v128.load offset=16 (local.get 0)) (i32x4.splat (local.get 0))))))"#;
    let info = module(src);
    let m = with_native(true, || {
        crate::compile::compile(&info.code, info.num_imported_funcs).unwrap()
    });
    let mut out = String::new();
    for chunk in m.code(0).chunks(16) {
        let line: Vec<_> = chunk.iter().map(|b| alloc::format!("{b:02x}")).collect();
        writeln!(out, "{}", line.join(" ")).unwrap();
    }
    insta::assert_snapshot!("simd_min_shuffle", out);
}
