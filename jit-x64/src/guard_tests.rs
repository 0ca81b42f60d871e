//! Out-of-bounds accesses with guard pages (`signals.rs`) against explicit checks and the
//! interpreter: exact boundaries of every width, large offsets, growth, nested activations,
//! threads, several memories, memory64 and heap memories (explicit checks), and that a fault
//! that is not an out-of-bounds wasm access still kills the process.

use alloc::format;
use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec::Vec;

use strata_decoder::Features;
use strata_interp::{Error, Host};
use strata_vm::{
    ExternVal, FuncAddr, InstanceAddr, MemoryConfig, ModuleInfo, StoreConfig, StoreInner, TrapCode,
    UntypedVal,
};

fn module(src: &str) -> Arc<ModuleInfo> {
    let buf = wast::parser::ParseBuffer::new(src).unwrap();
    let mut m: wast::Wat = wast::parser::parse(&buf).unwrap();
    let bytes = m.encode().unwrap();
    let m = strata_decoder::decode(&bytes, Features::all()).unwrap();
    let t = strata_ir::translate_module(&m).unwrap();
    Arc::new(ModuleInfo::new(&m, t.funcs).unwrap())
}

/// Host function 0 calls the export named `inner` of the calling instance with its i32
/// argument and returns 1 if that trapped out of bounds (0 if it returned), so a trap in
/// wasm called from a host function called from wasm can be observed from the outside.
struct NestedHost {
    jit: bool,
}

impl Host for NestedHost {
    type Error = String;

    fn call_host(
        &mut self,
        store: &mut StoreInner,
        _index: u32,
        caller: Option<InstanceAddr>,
        slots: &mut [UntypedVal],
    ) -> Result<(), String> {
        let inner = export(store, caller.expect("called from wasm"), "inner");
        let mut s = [slots[0]];
        let r = if self.jit {
            crate::invoke(store, self, inner, &mut s)
        } else {
            strata_interp::invoke(store, self, inner, &mut s)
        };
        slots[0] = UntypedVal::from_i32(match r {
            Ok(()) => 0,
            Err(Error::Trap(t)) if t.code() == TrapCode::MemoryOutOfBounds => {
                // The backtrace is the inner activation's: `inner` alone.
                assert_eq!(t.backtrace().map(<[_]>::len), Some(1), "{t:?}");
                1
            }
            Err(e) => return Err(format!("{e:?}")),
        });
        Ok(())
    }
}

/// A store (with `config`'s memories) with `src` instantiated on `jit` or the interpreter;
/// imports are host function 0 of type `[i32] -> [i32]`.
fn instance(src: &str, memory: MemoryConfig, jit: bool) -> (StoreInner, InstanceAddr) {
    let info = module(src);
    let mut store = StoreInner::new(StoreConfig {
        memory,
        ..StoreConfig::default()
    });
    if jit {
        crate::enable(&mut store);
        crate::compile_module(&info).unwrap();
    }
    let ty = strata_decoder::FuncType::new(
        &[strata_decoder::ValType::I32],
        &[strata_decoder::ValType::I32],
    );
    let imports: Vec<ExternVal> = info
        .imports
        .iter()
        .map(|_| ExternVal::Func(store.push_host_func(&ty, 0)))
        .collect();
    let r = strata_vm::instantiate(&mut store, &info, &imports).unwrap();
    (store, r.instance)
}

fn export(store: &StoreInner, inst: InstanceAddr, name: &str) -> FuncAddr {
    match store.instance(inst).export(name) {
        Some(ExternVal::Func(f)) => f,
        _ => panic!("no export {name}"),
    }
}

type Outcome = Result<Vec<u64>, TrapCode>;

fn call(
    store: &mut StoreInner,
    inst: InstanceAddr,
    name: &str,
    args: &[u64],
    jit: bool,
) -> Outcome {
    let f = export(store, inst, name);
    let e = store.func(f);
    let n = usize::from(e.param_slots.max(e.result_slots)).max(1);
    let results = usize::from(e.result_slots);
    let mut slots = alloc::vec![UntypedVal::ZERO; n];
    for (s, a) in slots.iter_mut().zip(args) {
        *s = UntypedVal::from_u64(*a);
    }
    let r = if jit {
        crate::invoke(store, &mut NestedHost { jit }, f, &mut slots)
    } else {
        strata_interp::invoke(store, &mut NestedHost { jit }, f, &mut slots)
    };
    match r {
        Ok(()) => Ok(slots[..results].iter().map(|s| s.to_u64()).collect()),
        Err(Error::Trap(t)) => Err(t.code()),
        Err(e) => panic!("{name}: {e:?}"),
    }
}

/// Whether the code the store runs for `inst`'s export `name` relies on guard pages.
fn runs_guarded(store: &mut StoreInner, inst: InstanceAddr, name: &str) -> bool {
    let f = export(store, inst, name);
    let FuncKind::Wasm { code, .. } = &store.func(f).kind else {
        panic!("not a wasm function")
    };
    let code = code.clone();
    let jit = crate::store::JitStore::sync(store);
    // SAFETY: `sync` returned the store's live `JitStore`; nothing else borrows it.
    let entry = unsafe { (&(*jit).funcs)[f.index() as usize].code };
    let (m, local) = crate::store::lookup(&code).expect("compiled");
    if m.entry(local as usize) == entry {
        return m.is_guarded();
    }
    let checked = m.checked().expect("checked variant");
    assert_eq!(checked.entry(local as usize), entry, "runs neither variant");
    false
}

use strata_vm::FuncKind;

/// Every load and store width, each at address `$p` (+ a constant offset in `_off`), and the
/// memory's first bytes as an i64, to check that a trapping store wrote nothing.
const WIDTHS: &str = r#"
  (memory (export "mem") 1 3)
  (func (export "i32.load") (param i32) (result i64) (i64.extend_i32_u (i32.load (local.get 0))))
  (func (export "i64.load") (param i32) (result i64) (i64.load (local.get 0)))
  (func (export "f32.load") (param i32) (result i64) (i64.extend_i32_u (i32.reinterpret_f32 (f32.load (local.get 0)))))
  (func (export "f64.load") (param i32) (result i64) (i64.reinterpret_f64 (f64.load (local.get 0))))
  (func (export "i32.load8_s") (param i32) (result i64) (i64.extend_i32_s (i32.load8_s (local.get 0))))
  (func (export "i32.load8_u") (param i32) (result i64) (i64.extend_i32_u (i32.load8_u (local.get 0))))
  (func (export "i32.load16_s") (param i32) (result i64) (i64.extend_i32_s (i32.load16_s (local.get 0))))
  (func (export "i32.load16_u") (param i32) (result i64) (i64.extend_i32_u (i32.load16_u (local.get 0))))
  (func (export "i64.load8_s") (param i32) (result i64) (i64.load8_s (local.get 0)))
  (func (export "i64.load16_u") (param i32) (result i64) (i64.load16_u (local.get 0)))
  (func (export "i64.load32_s") (param i32) (result i64) (i64.load32_s (local.get 0)))
  (func (export "i64.load32_u") (param i32) (result i64) (i64.load32_u (local.get 0)))
  (func (export "v128.load") (param i32) (result i64) (i64x2.extract_lane 1 (v128.load (local.get 0))))
  (func (export "i32.store") (param i32) (result i64) (i32.store (local.get 0) (i32.const -1)) (i64.const 0))
  (func (export "i64.store") (param i32) (result i64) (i64.store (local.get 0) (i64.const -1)) (i64.const 0))
  (func (export "f32.store") (param i32) (result i64) (f32.store (local.get 0) (f32.const -1)) (i64.const 0))
  (func (export "f64.store") (param i32) (result i64) (f64.store (local.get 0) (f64.const -1)) (i64.const 0))
  (func (export "i32.store8") (param i32) (result i64) (i32.store8 (local.get 0) (i32.const -1)) (i64.const 0))
  (func (export "i32.store16") (param i32) (result i64) (i32.store16 (local.get 0) (i32.const -1)) (i64.const 0))
  (func (export "i64.store32") (param i32) (result i64) (i64.store32 (local.get 0) (i64.const -1)) (i64.const 0))
  (func (export "i64.store.var") (param i32 i64) (result i64) (i64.store (local.get 0) (local.get 1)) (i64.const 0))
  (func (export "v128.store") (param i32) (result i64) (v128.store (local.get 0) (v128.const i64x2 -1 -1)) (i64.const 0))
  (func (export "tail") (result i64) (i64.load (i32.sub (i32.mul (memory.size) (i32.const 65536)) (i32.const 8))))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
"#;

const SIZES: &[(&str, u64)] = &[
    ("i32.load", 4),
    ("i64.load", 8),
    ("f32.load", 4),
    ("f64.load", 8),
    ("i32.load8_s", 1),
    ("i32.load8_u", 1),
    ("i32.load16_s", 2),
    ("i32.load16_u", 2),
    ("i64.load8_s", 1),
    ("i64.load16_u", 2),
    ("i64.load32_s", 4),
    ("i64.load32_u", 4),
    ("v128.load", 16),
    ("i32.store", 4),
    ("i64.store", 8),
    ("f32.store", 4),
    ("f64.store", 8),
    ("i32.store8", 1),
    ("i32.store16", 2),
    ("i64.store32", 4),
    ("i64.store.var", 8),
    ("v128.store", 16),
];

/// Runs `f` on a guarded x64 store, a heap-memory (explicitly checked) x64 store and the
/// interpreter, with `src` instantiated on each, and checks all three agree on every call.
fn three_ways(src: &str, calls: &[(&str, &[u64])]) -> Vec<Outcome> {
    let (mut g, gi) = instance(src, MemoryConfig::default(), true);
    let (mut h, hi) = instance(src, MemoryConfig::heap(), true);
    let (mut i, ii) = instance(src, MemoryConfig::default(), false);
    let first = calls[0].0;
    assert!(
        runs_guarded(&mut g, gi, first),
        "the default store runs guarded code"
    );
    assert!(
        !runs_guarded(&mut h, hi, first),
        "a heap memory gets explicit checks"
    );
    calls
        .iter()
        .map(|(name, args)| {
            let a = call(&mut g, gi, name, args, true);
            let b = call(&mut h, hi, name, args, true);
            let c = call(&mut i, ii, name, args, false);
            assert_eq!(a, c, "{name}({args:?}): guarded x64 vs interpreter");
            assert_eq!(b, c, "{name}({args:?}): checked x64 vs interpreter");
            a
        })
        .collect()
}

#[test]
fn every_width_at_the_exact_boundary() {
    let len = 65536u64;
    for &(name, size) in SIZES {
        let calls: Vec<(&str, Vec<u64>)> = alloc::vec![
            (name, alloc::vec![len - size, 0x0102_0304_0506_0708]),
            (name, alloc::vec![len - size + 1, 0x0102_0304_0506_0708]),
            (name, alloc::vec![len, 7]),
            (name, alloc::vec![u64::from(u32::MAX), 7]),
            ("tail", alloc::vec![]),
        ];
        let calls: Vec<(&str, &[u64])> = calls.iter().map(|(n, a)| (*n, &a[..])).collect();
        let r = three_ways(WIDTHS, &calls);
        assert!(r[0].is_ok(), "{name} at the last valid address: {:?}", r[0]);
        for o in &r[1..4] {
            assert_eq!(*o, Err(TrapCode::MemoryOutOfBounds), "{name}");
        }
        // A store straddling the end wrote nothing: the tail holds the first store's bytes.
        assert!(r[4].is_ok());
    }
}

#[test]
fn large_offsets() {
    let src = r#"
      (memory 1)
      (func (export "o7fff") (param i32) (result i32) (i32.load8_u offset=0x7fffffff (local.get 0)))
      (func (export "o8000") (param i32) (result i32) (i32.load8_u offset=0x80000000 (local.get 0)))
      (func (export "offf0") (param i32) (result i64) (i64.load offset=0xfffffff0 (local.get 0)))
      (func (export "offff") (param i32) (result i32) (i32.load8_u offset=0xffffffff (local.get 0)))
      (func (export "offff16") (param i32) (result i32) (i32.load16_u offset=0xffffffff (local.get 0)))
      (func (export "sffff") (param i32) (i32.store offset=0xfffffffe (local.get 0) (i32.const 1)))
      (func (export "v_offff") (param i32) (v128.store offset=0xffffffff (local.get 0) (v128.const i64x2 1 1)))
      (func (export "in_o1") (param i32) (result i32) (i32.load8_u offset=65535 (local.get 0)))
    "#;
    let m = u64::from(u32::MAX);
    let oob = Err(TrapCode::MemoryOutOfBounds);
    let r = three_ways(
        src,
        &[
            ("in_o1", &[0]),
            ("in_o1", &[1]),
            ("o7fff", &[0]),
            ("o7fff", &[m]),
            ("o8000", &[0]),
            ("o8000", &[m]),
            ("offf0", &[0]),
            ("offf0", &[m]),
            ("offff", &[0]),
            ("offff", &[m]),
            ("offff16", &[m]),
            ("sffff", &[m]),
            ("v_offff", &[m]),
        ],
    );
    assert_eq!(r[0], Ok(alloc::vec![0]));
    for o in &r[1..] {
        assert_eq!(*o, oob);
    }
}

#[test]
fn memory_grow_moves_the_boundary() {
    let oob = Err(TrapCode::MemoryOutOfBounds);
    let r = three_ways(
        WIDTHS,
        &[
            ("i64.load", &[65536]),
            ("grow", &[1]),
            ("i64.load", &[65536]),
            ("i64.store", &[131072 - 8]),
            ("i64.load", &[131072 - 8]),
            ("i64.load", &[131072 - 7]),
            ("grow", &[1]),
            ("i64.load", &[131072 - 7]),
            ("grow", &[1]),
            ("i32.load", &[3 * 65536 - 4]),
            ("i32.load", &[3 * 65536 - 3]),
        ],
    );
    assert_eq!(r[0], oob);
    assert_eq!(r[2], Ok(alloc::vec![0]));
    assert_eq!(r[4], Ok(alloc::vec![u64::MAX]));
    assert_eq!(r[5], oob);
    assert_eq!(r[7], Ok(alloc::vec![0x00ff_ffff_ffff_ffff]));
    assert_eq!(r[8], Ok(alloc::vec![u64::from(u32::MAX)])); // -1: at the maximum, 3 pages
    assert_eq!(r[9], Ok(alloc::vec![0]));
    assert_eq!(r[10], oob);
}

#[test]
fn trap_in_wasm_called_from_a_host_function_called_from_wasm() {
    let src = r#"
      (import "env" "nested" (func $nested (param i32) (result i32)))
      (memory 1)
      (func (export "inner") (param i32) (result i32) (i32.load (local.get 0)))
      (func $mid (param i32) (result i32)
        (i32.store (i32.const 0) (i32.const 42))
        (i32.add (call $nested (local.get 0)) (i32.load (i32.const 0))))
      (func (export "outer") (param i32) (result i32) (call $mid (local.get 0)))
    "#;
    // 1 (the inner call trapped) + 42 (the outer activation's memory and frames intact).
    let r = three_ways(
        src,
        &[("outer", &[65536]), ("outer", &[0]), ("outer", &[65533])],
    );
    assert_eq!(
        r,
        [
            Ok(alloc::vec![43]),
            Ok(alloc::vec![42]),
            Ok(alloc::vec![43])
        ]
    );
}

#[test]
fn a_trap_then_successful_calls_and_the_same_backtrace() {
    let src = r#"
      (memory 1)
      (func $deep (param i32) (result i32) (i32.load offset=16 (local.get 0)))
      (func $mid (param i32) (result i32) (call $deep (local.get 0)))
      (func (export "f") (param i32) (result i32) (call $mid (local.get 0)))
    "#;
    let backtrace = |cfg: MemoryConfig, jit: bool| {
        let (mut s, i) = instance(src, cfg, jit);
        let f = export(&s, i, "f");
        let mut slots = [UntypedVal::from_u64(65536 - 19)];
        let r = if jit {
            crate::invoke(&mut s, &mut NestedHost { jit }, f, &mut slots)
        } else {
            strata_interp::invoke(&mut s, &mut NestedHost { jit }, f, &mut slots)
        };
        let Err(Error::Trap(t)) = r else {
            panic!("no trap: {r:?}")
        };
        let frames: Vec<u32> = t
            .backtrace()
            .unwrap_or_default()
            .iter()
            .map(|f| f.func_index)
            .collect();
        // The store stays usable.
        for _ in 0..3 {
            assert_eq!(call(&mut s, i, "f", &[65536 - 20], jit), Ok(alloc::vec![0]));
            assert_eq!(
                call(&mut s, i, "f", &[65536 - 19], jit),
                Err(TrapCode::MemoryOutOfBounds)
            );
        }
        (t.code(), frames)
    };
    let guarded = backtrace(MemoryConfig::default(), true);
    assert_eq!(guarded, backtrace(MemoryConfig::heap(), true));
    assert_eq!(guarded, backtrace(MemoryConfig::default(), false));
    assert_eq!(guarded, (TrapCode::MemoryOutOfBounds, alloc::vec![0, 1, 2]));
}

#[test]
fn traps_on_several_threads_at_once() {
    let threads: Vec<_> = (0..4)
        .map(|t| {
            std::thread::spawn(move || {
                let (mut s, i) = instance(WIDTHS, MemoryConfig::default(), true);
                assert!(runs_guarded(&mut s, i, "i64.load"));
                for n in 0..200u64 {
                    let ok = (n * 8 + t) % 65528;
                    assert_eq!(call(&mut s, i, "i64.load", &[ok], true), Ok(alloc::vec![0]));
                    assert_eq!(
                        call(&mut s, i, "i64.load", &[65529 + n % 7], true),
                        Err(TrapCode::MemoryOutOfBounds)
                    );
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
}

#[test]
fn two_memories() {
    let src = r#"
      (memory 1)
      (memory 2)
      (func (export "m0") (param i32) (result i32) (i32.load 0 (local.get 0)))
      (func (export "m1") (param i32) (result i32) (i32.load 1 (local.get 0)))
      (func (export "s1") (param i32) (i32.store 1 (local.get 0) (i32.const 5)))
    "#;
    let oob = Err(TrapCode::MemoryOutOfBounds);
    let r = three_ways(
        src,
        &[
            ("m0", &[65532]),
            ("m0", &[65533]),
            ("m1", &[65536]),
            ("m1", &[131072 - 3]),
            ("s1", &[131072 - 4]),
            ("m1", &[131072 - 4]),
        ],
    );
    assert_eq!(
        r,
        [
            Ok(alloc::vec![0]),
            oob.clone(),
            Ok(alloc::vec![0]),
            oob,
            Ok(alloc::vec![]),
            Ok(alloc::vec![5])
        ]
    );
}

#[test]
fn memory64_keeps_explicit_checks() {
    let src = r#"
      (memory i64 1)
      (func (export "l") (param i64) (result i32) (i32.load (local.get 0)))
    "#;
    let info = module(src);
    let m = crate::compile_module(&info).unwrap();
    assert!(!m.is_guarded());
    let (mut s, i) = instance(src, MemoryConfig::default(), true);
    assert!(!runs_guarded(&mut s, i, "l"));
    assert_eq!(call(&mut s, i, "l", &[65532], true), Ok(alloc::vec![0]));
    assert_eq!(
        call(&mut s, i, "l", &[65533], true),
        Err(TrapCode::MemoryOutOfBounds)
    );
}

#[test]
fn small_guard_regions_get_explicit_checks() {
    let cfg = MemoryConfig {
        guard_bytes: 1 << 16,
        ..MemoryConfig::reserved()
    };
    let (mut s, i) = instance(WIDTHS, cfg, true);
    assert!(!runs_guarded(&mut s, i, "i64.load"));
    assert_eq!(
        call(&mut s, i, "i64.load", &[u64::from(u32::MAX)], true),
        Err(TrapCode::MemoryOutOfBounds)
    );
    assert_eq!(
        call(&mut s, i, "i64.load", &[65528], true),
        Ok(alloc::vec![0])
    );
}

/// In a child process (see [`faults_outside_wasm_still_kill_the_process`]): installs the handler
/// by running guarded code that traps, then faults in Rust on a guard page of a reserved
/// memory (the handler must not claim it: the PC is not in JIT code).
#[test]
fn segv_child() {
    let Ok(kind) = std::env::var("STRATA_SEGV_CHILD") else {
        return;
    };
    let (mut s, i) = instance(WIDTHS, MemoryConfig::default(), true);
    assert!(runs_guarded(&mut s, i, "i64.load"));
    assert_eq!(
        call(&mut s, i, "i64.load", &[65536], true),
        Err(TrapCode::MemoryOutOfBounds)
    );
    let mem = s.instance(i).memories[0];
    let base = s.memories[mem.index()].base_ptr();
    let target: *const u8 = match kind.as_str() {
        // SAFETY: only the address is computed (inside the reservation, past its end).
        "guard" => unsafe { base.add(65536 + 100) },
        _ => core::ptr::null(),
    };
    eprintln!("child: faulting on purpose");
    // SAFETY: none: this faults on purpose, and the process must die of it.
    let v = unsafe { core::ptr::read_volatile(target) };
    eprintln!("child: survived the fault ({v})");
    std::process::exit(0);
}

#[test]
fn faults_outside_wasm_still_kill_the_process() {
    use std::os::unix::process::ExitStatusExt;
    let exe = std::env::current_exe().unwrap();
    for kind in ["guard", "null"] {
        let out = std::process::Command::new(&exe)
            .args([
                "--exact",
                "guard_tests::segv_child",
                "--nocapture",
                "--test-threads=1",
            ])
            .env("STRATA_SEGV_CHILD", kind)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("faulting on purpose"), "{kind}: {stderr}");
        assert!(!stderr.contains("survived"), "{kind}: {stderr}");
        // Killed by the default action, or (under AddressSanitizer, whose handler was installed
        // before ours) reported and ended by the previous handler, which got the fault.
        let by_previous = stderr.contains("AddressSanitizer: SEGV") && !out.status.success();
        assert!(
            out.status.signal() == Some(libc::SIGSEGV) || by_previous,
            "{kind}: {:?} {stderr}",
            out.status
        );
    }
}

#[test]
fn guarded_code_leaves_the_checks_out() {
    let info = module(WIDTHS);
    let g = crate::compile::compile_with(&info.code, 0, crate::Bounds::Guard).unwrap();
    let e = crate::compile::compile_with(&info.code, 0, crate::Bounds::Explicit).unwrap();
    assert!(g.is_guarded() && !e.is_guarded());
    // Every function but `grow` accesses memory 0 once: `lea; cmp; ja` (11+ bytes) fewer.
    for local in 0..info.code.len() - 1 {
        assert!(
            g.code(local).len() + 10 <= e.code(local).len(),
            "function {local}: {} vs {} bytes",
            g.code(local).len(),
            e.code(local).len()
        );
    }
}
