//! Decoding throughput: builds a large module deterministically (20,000 functions with
//! realistic straight-line and looping bodies, plus globals, a table, elements and data), then
//! times `decode` alone and `decode` plus a walk over every operator, reporting MB/s.
//!
//! Run with `cargo bench -p strata-decoder` (a plain `harness = false` main; no criterion).

use std::hint::black_box;
use std::time::{Duration, Instant};

use strata_decoder::{decode, Features, Module, Operator};
use wasm_encoder::{
    BlockType, CodeSection, ConstExpr, DataSection, ElementSection, Elements, ExportKind,
    ExportSection, Function, FunctionSection, GlobalSection, GlobalType, Instruction as I, MemArg,
    MemArgTarget, MemorySection, MemoryType, RefType, TableSection, TableType, TypeSection,
    ValType,
};

/// Number of functions in the generated module.
const FUNCS: u32 = 20_000;

/// A small deterministic PRNG (xorshift64*), so every run measures the same bytes.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn memarg(align: u32, offset: u64) -> MemArg {
    MemArg {
        offset,
        align,
        target: MemArgTarget::Memory(0),
        ordering: None,
    }
}

/// Appends a stack-neutral chunk of code to `f` (type `(i32, i32) -> i32`, locals 2..6 i32,
/// 6..8 i64, 8 f64).
fn chunk(f: &mut Function, rng: &mut Rng, funcs: u32) {
    match rng.below(8) {
        // Arithmetic on locals, with constants of every LEB length.
        0 | 1 => {
            let c = (rng.next() as i32) >> rng.below(32);
            f.instruction(&I::LocalGet(rng.below(6) as u32))
                .instruction(&I::I32Const(c))
                .instruction(&I::I32Add)
                .instruction(&I::LocalGet(rng.below(6) as u32))
                .instruction(&I::I32Mul)
                .instruction(&I::LocalSet(2 + rng.below(4) as u32));
        }
        // 64-bit arithmetic.
        2 => {
            let c = (rng.next() as i64) >> rng.below(64);
            f.instruction(&I::LocalGet(6))
                .instruction(&I::I64Const(c))
                .instruction(&I::I64Xor)
                .instruction(&I::LocalTee(7))
                .instruction(&I::I64Const(13))
                .instruction(&I::I64ShrU)
                .instruction(&I::LocalSet(6));
        }
        // Loads and stores.
        3 => {
            let off = rng.below(4096);
            f.instruction(&I::LocalGet(0))
                .instruction(&I::LocalGet(0))
                .instruction(&I::I32Load(memarg(2, off)))
                .instruction(&I::I32Const(1))
                .instruction(&I::I32Add)
                .instruction(&I::I32Store(memarg(2, off + 4)))
                .instruction(&I::LocalGet(1))
                .instruction(&I::F64Load(memarg(3, 8)))
                .instruction(&I::LocalGet(8))
                .instruction(&I::F64Add)
                .instruction(&I::LocalSet(8));
        }
        // A counted loop.
        4 => {
            f.instruction(&I::Block(BlockType::Empty))
                .instruction(&I::Loop(BlockType::Empty))
                .instruction(&I::LocalGet(3))
                .instruction(&I::I32Eqz)
                .instruction(&I::BrIf(1))
                .instruction(&I::LocalGet(3))
                .instruction(&I::I32Const(-1))
                .instruction(&I::I32Add)
                .instruction(&I::LocalSet(3))
                .instruction(&I::Br(0))
                .instruction(&I::End)
                .instruction(&I::End);
        }
        // A call.
        5 => {
            f.instruction(&I::LocalGet(0))
                .instruction(&I::LocalGet(4))
                .instruction(&I::Call(rng.below(u64::from(funcs)) as u32))
                .instruction(&I::LocalSet(4));
        }
        // An if/else with a result.
        6 => {
            f.instruction(&I::LocalGet(1))
                .instruction(&I::If(BlockType::Result(ValType::I32)))
                .instruction(&I::GlobalGet(0))
                .instruction(&I::Else)
                .instruction(&I::LocalGet(5))
                .instruction(&I::End)
                .instruction(&I::GlobalSet(0));
        }
        // A br_table dispatch.
        _ => {
            f.instruction(&I::Block(BlockType::Empty))
                .instruction(&I::Block(BlockType::Empty))
                .instruction(&I::Block(BlockType::Empty))
                .instruction(&I::LocalGet(2))
                .instruction(&I::BrTable(vec![0, 1, 2, 1, 0].into(), 2))
                .instruction(&I::End)
                .instruction(&I::End)
                .instruction(&I::End);
        }
    }
}

/// The benchmark module (about 10 MB).
fn build() -> Vec<u8> {
    let mut rng = Rng(0x5eed_1234_abcd_ef01);
    let mut m = wasm_encoder::Module::new();
    let mut types = TypeSection::new();
    types
        .ty()
        .function([ValType::I32, ValType::I32], [ValType::I32]);
    m.section(&types);
    let mut funcs = FunctionSection::new();
    for _ in 0..FUNCS {
        funcs.function(0);
    }
    m.section(&funcs);
    let mut tables = TableSection::new();
    tables.table(TableType {
        element_type: RefType::FUNCREF,
        table64: false,
        minimum: 1024,
        maximum: None,
        shared: false,
    });
    m.section(&tables);
    let mut mems = MemorySection::new();
    mems.memory(MemoryType {
        minimum: 1,
        maximum: None,
        memory64: false,
        shared: false,
        page_size_log2: None,
    });
    m.section(&mems);
    let mut globals = GlobalSection::new();
    globals.global(
        GlobalType {
            val_type: ValType::I32,
            mutable: true,
            shared: false,
        },
        &ConstExpr::i32_const(0),
    );
    m.section(&globals);
    let mut exports = ExportSection::new();
    exports.export("main", ExportKind::Func, 0);
    m.section(&exports);
    let mut elems = ElementSection::new();
    let indices: Vec<u32> = (0..1024).collect();
    elems.active(
        None,
        &ConstExpr::i32_const(0),
        Elements::Functions(indices.into()),
    );
    m.section(&elems);
    let mut code = CodeSection::new();
    for _ in 0..FUNCS {
        let mut f = Function::new([(4, ValType::I32), (2, ValType::I64), (1, ValType::F64)]);
        for _ in 0..(4 + rng.below(20)) {
            chunk(&mut f, &mut rng, FUNCS);
        }
        f.instruction(&I::LocalGet(2)).instruction(&I::End);
        code.function(&f);
    }
    m.section(&code);
    let mut data = DataSection::new();
    data.active(
        0,
        &ConstExpr::i32_const(64),
        b"strata benchmark".iter().copied(),
    );
    m.section(&data);
    m.finish()
}

/// Reads every operator of every body; returns the count.
fn walk(m: &Module<'_>) -> usize {
    let mut n = 0;
    for body in &m.code {
        let mut ops = body.operators();
        while !ops.eof() {
            let op = ops.read().expect("well formed");
            if let Operator::BrTable { targets } = op {
                n += targets.targets().count();
            }
            n += 1;
        }
    }
    n
}

/// Runs `f` repeatedly for about `budget`, returning the fastest and the median time.
fn time(budget: Duration, mut f: impl FnMut()) -> (Duration, Duration, usize) {
    let mut times = Vec::new();
    let start = Instant::now();
    while start.elapsed() < budget || times.len() < 5 {
        let t = Instant::now();
        f();
        times.push(t.elapsed());
    }
    times.sort();
    (times[0], times[times.len() / 2], times.len())
}

fn mbps(bytes: usize, t: Duration) -> f64 {
    bytes as f64 / 1e6 / t.as_secs_f64()
}

fn main() {
    // `cargo test --benches` runs this with `--bench` absent; keep that quick.
    let quick = !std::env::args().any(|a| a == "--bench");
    let bytes = build();
    let module = decode(&bytes, Features::WASM2).expect("the benchmark module decodes");
    let ops = walk(&module);
    println!(
        "module: {:.2} MB, {} functions, {ops} operators",
        bytes.len() as f64 / 1e6,
        module.code.len()
    );
    let budget = Duration::from_millis(if quick { 1 } else { 3000 });

    let (best, median, runs) = time(budget, || {
        black_box(decode(black_box(&bytes), Features::WASM2).unwrap());
    });
    println!(
        "decode only:            best {:7.1} MB/s, median {:7.1} MB/s ({runs} runs)",
        mbps(bytes.len(), best),
        mbps(bytes.len(), median)
    );

    let (best, median, runs) = time(budget, || {
        let m = decode(black_box(&bytes), Features::WASM2).unwrap();
        black_box(walk(&m));
    });
    println!(
        "decode + all operators: best {:7.1} MB/s, median {:7.1} MB/s ({runs} runs, {:.1} M ops/s)",
        mbps(bytes.len(), best),
        mbps(bytes.len(), median),
        ops as f64 / 1e6 / median.as_secs_f64()
    );
}
