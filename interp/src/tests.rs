//! Hand-built IR run through a real store.

use alloc::boxed::Box;
use alloc::sync::Arc;
use alloc::vec;
use alloc::vec::Vec;

use strata_decoder::{FuncType, ValType};
use strata_ir::{Instr, IrFunc, Slot, Target};
use strata_vm::{
    FuncAddr, FuncEntity, FuncKind, InstanceAddr, InstanceData, ModuleInfo, StoreConfig,
    StoreInner, TrapCode, UntypedVal,
};

use crate::{invoke, Error, Host};

struct NoHost;

impl Host for NoHost {
    type Error = ();
    fn call_host(
        &mut self,
        _: &mut StoreInner,
        index: u32,
        _: Option<InstanceAddr>,
        slots: &mut [UntypedVal],
    ) -> Result<(), ()> {
        // Host function 0 doubles an i32; anything else fails.
        if index == 0 {
            slots[0] = UntypedVal::from_i32(slots[0].to_i32() * 2);
            Ok(())
        } else {
            Err(())
        }
    }
}

fn empty_module() -> Arc<ModuleInfo> {
    Arc::new(ModuleInfo {
        types: Box::new([]),
        subtypes: Box::new([]),
        rec_groups: Box::new([]),
        imports: Box::new([]),
        funcs: Box::new([]),
        num_imported_funcs: 0,
        num_imported_tables: 0,
        num_imported_memories: 0,
        num_imported_globals: 0,
        num_imported_tags: 0,
        tags: Box::new([]),
        tables: Box::new([]),
        memories: Box::new([]),
        globals: Box::new([]),
        exports: Box::new([]),
        start: None,
        elems: Box::new([]),
        datas: Box::new([]),
        code: Box::new([]),
        code_offsets: Box::new([]),
        name: None,
        func_names: Box::new([]),
    })
}

fn func(
    index: u32,
    params: u16,
    results: u16,
    locals: u16,
    frame: u16,
    instrs: Vec<Instr>,
) -> IrFunc {
    IrFunc {
        func_index: index,
        instrs: instrs.into_boxed_slice(),
        v128_consts: Box::new([]),
        param_slots: params,
        result_slots: results,
        local_slots: locals,
        frame_slots: frame,
        local_types: vec![ValType::I32; usize::from(locals)].into_boxed_slice(),
        handlers: Box::new([]),
    }
}

/// A store with one instance whose functions are `funcs` (module function i = funcs[i]),
/// plus host function 0 appended as module function `funcs.len()`.
fn store_with(funcs: Vec<IrFunc>) -> (StoreInner, Vec<FuncAddr>) {
    let mut store = StoreInner::new(StoreConfig {
        max_call_depth: 500,
        ..StoreConfig::default()
    });
    let sig = store
        .sigs
        .intern(&FuncType::new(&[ValType::I32], &[ValType::I32]));
    let mut addrs = Vec::new();
    for f in funcs {
        addrs.push(store.push_func(FuncEntity {
            sig,
            param_slots: f.param_slots,
            result_slots: f.result_slots,
            kind: FuncKind::Wasm {
                instance: InstanceAddr(0),
                code: Arc::new(f),
            },
        }));
    }
    addrs.push(store.push_host_func(&FuncType::new(&[ValType::I32], &[ValType::I32]), 0));
    store.instances.push(InstanceData {
        funcs: addrs.clone().into_boxed_slice(),
        tables: Box::new([]),
        memories: Box::new([]),
        globals: Box::new([]),
        tags: Box::new([]),
        datas: Box::new([]),
        elems: Box::new([]),
        sigs: Box::new([sig]),
        exports: Box::new([]),
        export_index: Default::default(),
        module: empty_module(),
    });
    (store, addrs)
}

fn s(i: u16) -> Slot {
    Slot(i)
}

/// fac(n) = n <= 1 ? 1 : n * fac(n - 1), recursive (module function 0).
fn fac() -> IrFunc {
    func(
        0,
        1,
        1,
        1,
        2,
        vec![
            Instr::ConstI32 {
                dst: s(1),
                value: 1,
            },
            Instr::BrI32GtS {
                lhs: s(0),
                rhs: s(1),
                target: Target(4),
            },
            Instr::ConstI32 {
                dst: s(0),
                value: 1,
            },
            Instr::Return {},
            Instr::I32AddImm {
                dst: s(1),
                lhs: s(0),
                imm: -1,
            },
            Instr::Call {
                base: s(1),
                func: 0,
            },
            Instr::I32Mul {
                dst: s(0),
                lhs: s(0),
                rhs: s(1),
            },
            Instr::Return {},
        ],
    )
}

/// sum(n) = n + (n - 1) + ... + 1, with a loop (module function 1).
fn sum() -> IrFunc {
    func(
        1,
        1,
        1,
        2,
        2,
        vec![
            Instr::BrIfEqz {
                cond: s(0),
                target: Target(4),
            },
            Instr::I32Add {
                dst: s(1),
                lhs: s(1),
                rhs: s(0),
            },
            Instr::I32AddImm {
                dst: s(0),
                lhs: s(0),
                imm: -1,
            },
            Instr::Br { target: Target(0) },
            Instr::Copy {
                dst: s(0),
                src: s(1),
            },
            Instr::Return {},
        ],
    )
}

/// runaway(n) = runaway(n) (module function 2).
fn runaway() -> IrFunc {
    func(
        2,
        1,
        1,
        1,
        1,
        vec![
            Instr::Call {
                base: s(0),
                func: 2,
            },
            Instr::Return {},
        ],
    )
}

/// div(n) = 100 / n (module function 3).
fn div() -> IrFunc {
    func(
        3,
        1,
        1,
        1,
        2,
        vec![
            Instr::ConstI32 {
                dst: s(1),
                value: 100,
            },
            Instr::I32DivS {
                dst: s(0),
                lhs: s(1),
                rhs: s(0),
            },
            Instr::Return {},
        ],
    )
}

/// twice_plus_one(n) = host_double(n) + 1 (module function 4; the host function is 5).
fn twice_plus_one() -> IrFunc {
    func(
        4,
        1,
        1,
        1,
        1,
        vec![
            Instr::Call {
                base: s(0),
                func: 5,
            },
            Instr::I32AddImm {
                dst: s(0),
                lhs: s(0),
                imm: 1,
            },
            Instr::Return {},
        ],
    )
}

fn call(store: &mut StoreInner, f: FuncAddr, arg: i32) -> Result<i32, Error<()>> {
    let mut slots = [UntypedVal::from_i32(arg)];
    invoke(store, &mut NoHost, f, &mut slots)?;
    Ok(slots[0].to_i32())
}

fn setup() -> (StoreInner, Vec<FuncAddr>) {
    store_with(vec![fac(), sum(), runaway(), div(), twice_plus_one()])
}

#[test]
fn recursion_and_loops() {
    let (mut store, f) = setup();
    assert_eq!(call(&mut store, f[0], 10), Ok(3_628_800));
    assert_eq!(call(&mut store, f[0], 1), Ok(1));
    assert_eq!(call(&mut store, f[1], 100), Ok(5050));
    assert_eq!(call(&mut store, f[1], 0), Ok(0));
}

/// Whether the store remembers `f` as verified (and lowered).
fn remembered(store: &StoreInner, f: FuncAddr) -> bool {
    crate::exec::is_lowered(store, f)
}

#[test]
fn verification_is_remembered_by_the_store() {
    // Function 1 writes a slot beyond its frame: it must fail verification on every call,
    // and never be remembered as verified; function 0 is verified once and then remembered,
    // including as a callee (function 2 calls function 0).
    let bad = func(
        1,
        1,
        1,
        1,
        1,
        vec![
            Instr::ConstI32 {
                dst: s(9),
                value: 1,
            },
            Instr::Return {},
        ],
    );
    let caller = func(
        2,
        1,
        1,
        1,
        1,
        vec![
            Instr::Call {
                base: s(0),
                func: 0,
            },
            Instr::Return {},
        ],
    );
    let (mut store, f) = store_with(vec![fac(), bad, caller]);
    assert!(!remembered(&store, f[0]));
    assert_eq!(call(&mut store, f[2], 4), Ok(24));
    assert!(remembered(&store, f[0]), "a callee's verification is kept");
    assert!(
        remembered(&store, f[2]),
        "the entry function's verification is kept"
    );
    assert_eq!(call(&mut store, f[0], 5), Ok(120));
    for _ in 0..2 {
        assert!(matches!(
            call(&mut store, f[1], 1),
            Err(Error::Unsupported(_))
        ));
        assert!(!remembered(&store, f[1]));
    }
}

#[test]
fn host_calls_from_wasm() {
    let (mut store, f) = setup();
    assert_eq!(call(&mut store, f[4], 20), Ok(41));
    assert_eq!(call(&mut store, f[5], 4), Ok(8));
}

#[test]
fn traps_carry_a_backtrace() {
    let (mut store, f) = setup();
    let Err(Error::Trap(t)) = call(&mut store, f[3], 0) else {
        panic!("expected a trap");
    };
    assert_eq!(t.code(), TrapCode::IntegerDivideByZero);
    assert_eq!(t.backtrace().unwrap()[0].func_index, 3);
    assert_eq!(call(&mut store, f[3], 7), Ok(14));
}

#[test]
fn deep_recursion_exhausts_the_call_stack() {
    let (mut store, f) = setup();
    let Err(Error::Trap(t)) = call(&mut store, f[2], 0) else {
        panic!("expected a trap");
    };
    assert_eq!(t.code(), TrapCode::StackOverflow);
    assert_eq!(t.backtrace().unwrap().len(), 500);
    // The store is still usable afterwards.
    assert_eq!(call(&mut store, f[0], 5), Ok(120));
}

/// A loop of common instructions (arithmetic, copies, a call and its return, `v128` lane
/// operations, a conditional branch) run a million times on a 64 KiB thread stack. Release
/// builds thread the handlers through tail calls; a handler that stopped compiling to a jump
/// would grow the host stack with every instruction and overflow it here. (Debug builds
/// dispatch from a loop, so the test is only meaningful, and only run, in release.)
#[test]
#[cfg(all(not(debug_assertions), feature = "std"))]
fn handlers_tail_call_in_release() {
    let body = func(
        0,
        1,
        1,
        2,
        6,
        vec![
            Instr::ConstI32 {
                dst: s(1),
                value: 0,
            },
            Instr::I32AddImm {
                dst: s(0),
                lhs: s(0),
                imm: -1,
            },
            Instr::I32Add {
                dst: s(1),
                lhs: s(1),
                rhs: s(0),
            },
            Instr::Copy {
                dst: s(2),
                src: s(1),
            },
            Instr::Call {
                base: s(2),
                func: 1,
            },
            Instr::I32x4Splat {
                dst: s(4),
                src: s(2),
            },
            Instr::I32x4Add {
                dst: s(4),
                lhs: s(4),
                rhs: s(4),
            },
            Instr::I32x4ExtractLane {
                dst: s(3),
                src: s(4),
                lane: 3,
            },
            Instr::BrIfNez {
                cond: s(0),
                target: Target(1),
            },
            Instr::Copy {
                dst: s(0),
                src: s(3),
            },
            Instr::Return {},
        ],
    );
    let plus_one = func(
        1,
        1,
        1,
        1,
        1,
        vec![
            Instr::I32AddImm {
                dst: s(0),
                lhs: s(0),
                imm: 1,
            },
            Instr::Return {},
        ],
    );
    let result = std::thread::Builder::new()
        .stack_size(64 * 1024)
        .spawn(move || {
            let (mut store, f) = store_with(vec![body, plus_one]);
            call(&mut store, f[0], 1_000_000)
        })
        .expect("spawn")
        .join()
        .expect("no stack overflow");
    // The last iteration: acc = n(n-1)/2 (wrapping), then (acc + 1) * 2.
    let acc = (1_000_000i64 * 999_999 / 2) as i32;
    assert_eq!(result, Ok(acc.wrapping_add(1).wrapping_mul(2)));
}
