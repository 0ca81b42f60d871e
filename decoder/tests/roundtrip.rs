//! Property tests: random well-formed modules are built as a model, encoded with `wasm-encoder`,
//! decoded, and compared with the model field by field and operator by operator. A second set of
//! properties feeds the decoder truncated, mutated and arbitrary bytes: it must never panic, and
//! every error must point inside the input.

use std::borrow::Cow;
use std::collections::BTreeMap;

use proptest::prelude::*;
use strata_decoder as sd;
use wasm_encoder as we;

// ---- the model -------------------------------------------------------------------------

/// A value type the generator uses.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Vt {
    I32,
    I64,
    F32,
    F64,
    V128,
    FuncRef,
    ExternRef,
}

impl Vt {
    fn enc(self) -> we::ValType {
        match self {
            Vt::I32 => we::ValType::I32,
            Vt::I64 => we::ValType::I64,
            Vt::F32 => we::ValType::F32,
            Vt::F64 => we::ValType::F64,
            Vt::V128 => we::ValType::V128,
            Vt::FuncRef => we::ValType::FUNCREF,
            Vt::ExternRef => we::ValType::EXTERNREF,
        }
    }

    fn dec(self) -> sd::ValType {
        match self {
            Vt::I32 => sd::ValType::I32,
            Vt::I64 => sd::ValType::I64,
            Vt::F32 => sd::ValType::F32,
            Vt::F64 => sd::ValType::F64,
            Vt::V128 => sd::ValType::V128,
            Vt::FuncRef => sd::ValType::FUNCREF,
            Vt::ExternRef => sd::ValType::EXTERNREF,
        }
    }
}

/// A memory access immediate.
#[derive(Debug, Clone, Copy)]
struct Mem {
    align: u32,
    offset: u64,
    memory: u32,
}

impl Mem {
    fn enc(self) -> we::MemArg {
        we::MemArg {
            offset: self.offset,
            align: self.align,
            target: we::MemArgTarget::Memory(self.memory),
            ordering: None,
        }
    }

    fn dec(self) -> sd::MemArg {
        sd::MemArg {
            align: self.align,
            offset: self.offset,
            memory: self.memory,
        }
    }
}

/// One generated operator.
#[derive(Debug, Clone)]
enum Op {
    /// An operator without immediates: an index into [`plain_ops`].
    Plain(usize),
    /// A memory access: an index into [`mem_ops`].
    MemAccess(usize, Mem),
    /// A SIMD lane operator: an index into [`lane_ops`].
    Lane(usize, u8),
    /// A SIMD lane load or store: an index into [`lane_mem_ops`].
    LaneMem(usize, Mem, u8),
    I32Const(i32),
    I64Const(i64),
    F32Const(u32),
    F64Const(u64),
    V128Const(u128),
    Shuffle([u8; 16]),
    /// `local.get`, `local.set`, `local.tee` (0, 1, 2).
    Local(u8, u32),
    /// `global.get`, `global.set` (0, 1).
    Global(u8, u32),
    Call(u32),
    CallIndirect(u32, u32),
    Br(u32),
    BrIf(u32),
    BrTable(Vec<u32>, u32),
    /// `block`, `loop`, `if` (0, 1, 2) with a block type; the generator closes it with `end`.
    Block(u8, Option<BlockTy>),
    /// `memory.size`, `memory.grow`, `memory.fill` (0, 1, 2).
    MemIdx(u8, u32),
    MemoryInit(u32, u32),
    DataDrop(u32),
    MemoryCopy(u32, u32),
    /// `table.get`, `.set`, `.grow`, `.size`, `.fill` (0..5).
    TableIdx(u8, u32),
    TableCopy(u32, u32),
    TableInit(u32, u32),
    ElemDrop(u32),
    RefNull(bool),
    RefFunc(u32),
    TypedSelect(Vt),
    /// `return_call` (3.0 only).
    ReturnCall(u32),
    /// A relaxed SIMD operator (3.0 only): an index into [`relaxed_ops`].
    Relaxed(usize),
}

/// A block type: a value type or a type index.
#[derive(Debug, Clone, Copy)]
enum BlockTy {
    Val(Vt),
    Index(u32),
}

impl BlockTy {
    fn enc(bt: Option<BlockTy>) -> we::BlockType {
        match bt {
            None => we::BlockType::Empty,
            Some(BlockTy::Val(v)) => we::BlockType::Result(v.enc()),
            Some(BlockTy::Index(i)) => we::BlockType::FunctionType(i),
        }
    }

    fn dec(bt: Option<BlockTy>) -> sd::BlockType {
        match bt {
            None => sd::BlockType::Empty,
            Some(BlockTy::Val(v)) => sd::BlockType::Value(v.dec()),
            Some(BlockTy::Index(i)) => sd::BlockType::FuncType(i),
        }
    }
}

/// Builds the `we::Instruction` and `sd::Operator` of an operator without immediates.
macro_rules! plain_table {
    ($($name:ident)*) => {
        /// Operators without immediates, as (name, encoder instruction, expected operator).
        fn plain_ops() -> Vec<(&'static str, we::Instruction<'static>, sd::Operator<'static>)> {
            vec![$((stringify!($name), we::Instruction::$name, sd::Operator::$name {})),*]
        }
    };
}

plain_table! {
    Unreachable Nop Return Drop Select I32Eqz I32Eq I32Ne I32LtS I32LtU I32GtS I32GtU I32LeS
    I32LeU I32GeS I32GeU I64Eqz I64Eq I64Ne I64LtS F32Eq F32Ne F32Lt F64Ge I32Clz I32Ctz
    I32Popcnt I32Add I32Sub I32Mul I32DivS I32DivU I32RemS I32RemU I32And I32Or I32Xor I32Shl
    I32ShrS I32ShrU I32Rotl I32Rotr I64Clz I64Add I64Sub I64Mul I64DivS I64DivU I64RemU I64And
    I64Or I64Xor I64Shl I64ShrS I64ShrU I64Rotl I64Rotr F32Abs F32Neg F32Ceil F32Floor F32Trunc
    F32Nearest F32Sqrt F32Add F32Sub F32Mul F32Div F32Min F32Max F32Copysign F64Abs F64Neg
    F64Sqrt F64Add F64Sub F64Mul F64Div F64Min F64Max F64Copysign I32WrapI64 I32TruncF32S
    I32TruncF64U I64ExtendI32S I64ExtendI32U I64TruncF64S F32ConvertI32S F32DemoteF64
    F64ConvertI64U F64PromoteF32 I32ReinterpretF32 I64ReinterpretF64 F32ReinterpretI32
    F64ReinterpretI64 I32Extend8S I32Extend16S I64Extend8S I64Extend16S I64Extend32S RefIsNull
    I32TruncSatF32S I32TruncSatF32U I32TruncSatF64S I32TruncSatF64U I64TruncSatF32S
    I64TruncSatF32U I64TruncSatF64S I64TruncSatF64U I8x16Swizzle I8x16Splat I16x8Splat
    I32x4Splat I64x2Splat F32x4Splat F64x2Splat I8x16Eq I8x16Ne I8x16LtS I16x8GeU I32x4Eq
    F32x4Eq F64x2Ge V128Not V128And V128AndNot V128Or V128Xor V128Bitselect V128AnyTrue
    F32x4DemoteF64x2Zero F64x2PromoteLowF32x4 I8x16Abs I8x16Neg I8x16Popcnt I8x16AllTrue
    I8x16Bitmask I8x16NarrowI16x8S I8x16NarrowI16x8U F32x4Ceil I8x16Shl I8x16ShrS I8x16Add
    I8x16AddSatS I8x16SubSatU F64x2Ceil I8x16MinS I8x16MaxU F64x2Trunc I8x16AvgrU
    I16x8ExtAddPairwiseI8x16S I32x4ExtAddPairwiseI16x8U I16x8Abs I16x8Q15MulrSatS
    I16x8AllTrue I16x8Bitmask I16x8NarrowI32x4S I16x8ExtendLowI8x16S I16x8ExtendHighI8x16U
    I16x8Shl I16x8Add I16x8SubSatS F64x2Nearest I16x8Mul I16x8MaxU I16x8AvgrU
    I16x8ExtMulLowI8x16S I16x8ExtMulHighI8x16U I32x4Abs I32x4Neg I32x4AllTrue I32x4Bitmask
    I32x4ExtendLowI16x8S I32x4ExtendHighI16x8U I32x4Shl I32x4ShrU I32x4Add I32x4Sub I32x4Mul
    I32x4MinS I32x4MaxU I32x4DotI16x8S I32x4ExtMulLowI16x8S I32x4ExtMulHighI16x8U I64x2Abs
    I64x2Neg I64x2AllTrue I64x2Bitmask I64x2ExtendLowI32x4S I64x2ExtendHighI32x4U I64x2Shl
    I64x2ShrS I64x2Add I64x2Sub I64x2Mul I64x2Eq I64x2Ne I64x2LtS I64x2GeS
    I64x2ExtMulLowI32x4S I64x2ExtMulHighI32x4U F32x4Abs F32x4Neg F32x4Sqrt F32x4Add F32x4Div
    F32x4Min F32x4Max F32x4PMin F32x4PMax F64x2Abs F64x2Sqrt F64x2Add F64x2Mul F64x2PMax
    I32x4TruncSatF32x4S I32x4TruncSatF32x4U F32x4ConvertI32x4S F32x4ConvertI32x4U
    I32x4TruncSatF64x2SZero I32x4TruncSatF64x2UZero F64x2ConvertLowI32x4S
    F64x2ConvertLowI32x4U
}

/// Relaxed SIMD operators without immediates (3.0 only), as (encoder, expected).
fn relaxed_ops() -> Vec<(we::Instruction<'static>, sd::Operator<'static>)> {
    use sd::Operator as O;
    use we::Instruction as I;
    vec![
        (I::I8x16RelaxedSwizzle, O::I8x16RelaxedSwizzle {}),
        (I::I32x4RelaxedTruncF32x4S, O::I32x4RelaxedTruncF32x4S {}),
        (I::F32x4RelaxedMadd, O::F32x4RelaxedMadd {}),
        (I::F64x2RelaxedNmadd, O::F64x2RelaxedNmadd {}),
        (I::I64x2RelaxedLaneselect, O::I64x2RelaxedLaneselect {}),
        (I::F64x2RelaxedMax, O::F64x2RelaxedMax {}),
        (I::I16x8RelaxedQ15mulrS, O::I16x8RelaxedQ15mulrS {}),
        (
            I::I32x4RelaxedDotI8x16I7x16AddS,
            O::I32x4RelaxedDotI8x16I7x16AddS {},
        ),
    ]
}

/// Memory accesses: `mem_op(i, m)` is the `i`th of [`MEM_OPS`] with immediate `m`.
macro_rules! mem_table {
    ($($name:ident)*) => {
        /// Number of memory access operators.
        const MEM_OPS: usize = [$(stringify!($name)),*].len();

        /// The `i`th memory access with `m`, as (encoder instruction, expected operator).
        fn mem_op(i: usize, m: Mem) -> (we::Instruction<'static>, sd::Operator<'static>) {
            #[allow(clippy::type_complexity)]
            let all: &[fn(Mem) -> (we::Instruction<'static>, sd::Operator<'static>)] = &[$(
                |m| (we::Instruction::$name(m.enc()), sd::Operator::$name { memarg: m.dec() })
            ),*];
            all[i](m)
        }
    };
}

mem_table! {
    I32Load I64Load F32Load F64Load I32Load8S I32Load8U I32Load16S I32Load16U I64Load8S
    I64Load8U I64Load16S I64Load16U I64Load32S I64Load32U I32Store I64Store F32Store F64Store
    I32Store8 I32Store16 I64Store8 I64Store16 I64Store32 V128Load V128Load8x8S V128Load8x8U
    V128Load16x4S V128Load32x2U V128Load8Splat V128Load16Splat V128Load32Splat
    V128Load64Splat V128Store V128Load32Zero V128Load64Zero
}

/// SIMD lane operators: `lane_op(i, l)` is the `i`th of [`LANE_OPS`] with lane `l`.
macro_rules! lane_table {
    ($($name:ident)*) => {
        /// Number of lane operators.
        const LANE_OPS: usize = [$(stringify!($name)),*].len();

        /// The `i`th lane operator with lane `l`, as (encoder instruction, expected operator).
        fn lane_op(i: usize, l: u8) -> (we::Instruction<'static>, sd::Operator<'static>) {
            #[allow(clippy::type_complexity)]
            let all: &[fn(u8) -> (we::Instruction<'static>, sd::Operator<'static>)] = &[$(
                |l| (we::Instruction::$name(l), sd::Operator::$name { lane: l })
            ),*];
            all[i](l)
        }
    };
}

lane_table! {
    I8x16ExtractLaneS I8x16ExtractLaneU I8x16ReplaceLane I16x8ExtractLaneS I16x8ExtractLaneU
    I16x8ReplaceLane I32x4ExtractLane I32x4ReplaceLane I64x2ExtractLane I64x2ReplaceLane
    F32x4ExtractLane F32x4ReplaceLane F64x2ExtractLane F64x2ReplaceLane
}

/// SIMD lane loads and stores: `lane_mem_op(i, m, l)` is the `i`th of [`LANE_MEM_OPS`].
macro_rules! lane_mem_table {
    ($($name:ident)*) => {
        /// Number of lane loads and stores.
        const LANE_MEM_OPS: usize = [$(stringify!($name)),*].len();

        /// The `i`th lane load or store, as (encoder instruction, expected operator).
        fn lane_mem_op(i: usize, m: Mem, l: u8) -> (we::Instruction<'static>, sd::Operator<'static>) {
            #[allow(clippy::type_complexity)]
            let all: &[fn(Mem, u8) -> (we::Instruction<'static>, sd::Operator<'static>)] = &[$(
                |m, l| (
                    we::Instruction::$name { memarg: m.enc(), lane: l },
                    sd::Operator::$name { memarg: m.dec(), lane: l },
                )
            ),*];
            all[i](m, l)
        }
    };
}

lane_mem_table! {
    V128Load8Lane V128Load16Lane V128Load32Lane V128Load64Lane V128Store8Lane V128Store16Lane
    V128Store32Lane V128Store64Lane
}

/// What one generated operator must decode to.
#[derive(Debug, Clone, PartialEq)]
enum Expected {
    Op(sd::Operator<'static>),
    /// `br_table` (its decoded form borrows the module, so it is compared by parts).
    BrTable(Vec<u32>, u32),
}

impl Op {
    /// Appends the encoder instructions and the expected operators for this operator.
    fn lower(&self, insns: &mut Vec<we::Instruction<'static>>, exp: &mut Vec<Expected>) {
        use sd::Operator as O;
        use we::Instruction as I;
        let mut both = |i: I<'static>, o: O<'static>| {
            insns.push(i);
            exp.push(Expected::Op(o));
        };
        match self {
            Op::Plain(i) => {
                let (_, i, o) = plain_ops().swap_remove(*i);
                both(i, o)
            }
            Op::Relaxed(i) => {
                let (i, o) = relaxed_ops().swap_remove(*i);
                both(i, o)
            }
            Op::MemAccess(i, m) => {
                let (i, o) = mem_op(*i, *m);
                both(i, o)
            }
            Op::Lane(i, l) => {
                let (i, o) = lane_op(*i, *l);
                both(i, o)
            }
            Op::LaneMem(i, m, l) => {
                let (i, o) = lane_mem_op(*i, *m, *l);
                both(i, o)
            }
            &Op::I32Const(v) => both(I::I32Const(v), O::I32Const { value: v }),
            &Op::I64Const(v) => both(I::I64Const(v), O::I64Const { value: v }),
            &Op::F32Const(v) => both(
                I::F32Const(we::Ieee32::new(v)),
                O::F32Const {
                    value: sd::Ieee32(v),
                },
            ),
            &Op::F64Const(v) => both(
                I::F64Const(we::Ieee64::new(v)),
                O::F64Const {
                    value: sd::Ieee64(v),
                },
            ),
            &Op::V128Const(v) => both(
                I::V128Const(v as i128),
                O::V128Const {
                    value: sd::V128(v.to_le_bytes()),
                },
            ),
            &Op::Shuffle(lanes) => both(I::I8x16Shuffle(lanes), O::I8x16Shuffle { lanes }),
            &Op::Local(k, i) => match k {
                0 => both(I::LocalGet(i), O::LocalGet { local: i }),
                1 => both(I::LocalSet(i), O::LocalSet { local: i }),
                _ => both(I::LocalTee(i), O::LocalTee { local: i }),
            },
            &Op::Global(k, i) => match k {
                0 => both(I::GlobalGet(i), O::GlobalGet { global: i }),
                _ => both(I::GlobalSet(i), O::GlobalSet { global: i }),
            },
            &Op::Call(f) => both(I::Call(f), O::Call { func: f }),
            &Op::ReturnCall(f) => both(I::ReturnCall(f), O::ReturnCall { func: f }),
            &Op::CallIndirect(t, table) => both(
                I::CallIndirect {
                    type_index: t,
                    table_index: table,
                },
                O::CallIndirect {
                    type_index: t,
                    table,
                },
            ),
            &Op::Br(d) => both(I::Br(d), O::Br { depth: d }),
            &Op::BrIf(d) => both(I::BrIf(d), O::BrIf { depth: d }),
            Op::BrTable(targets, default) => {
                insns.push(I::BrTable(Cow::Owned(targets.clone()), *default));
                exp.push(Expected::BrTable(targets.clone(), *default));
            }
            &Op::Block(k, bt) => {
                let (e, d) = (BlockTy::enc(bt), BlockTy::dec(bt));
                match k {
                    0 => both(I::Block(e), O::Block { blockty: d }),
                    1 => both(I::Loop(e), O::Loop { blockty: d }),
                    _ => both(I::If(e), O::If { blockty: d }),
                }
                both(I::End, O::End {});
            }
            &Op::MemIdx(k, m) => match k {
                0 => both(I::MemorySize(m), O::MemorySize { mem: m }),
                1 => both(I::MemoryGrow(m), O::MemoryGrow { mem: m }),
                _ => both(I::MemoryFill(m), O::MemoryFill { mem: m }),
            },
            &Op::MemoryInit(data, mem) => both(
                I::MemoryInit {
                    mem,
                    data_index: data,
                },
                O::MemoryInit { data, mem },
            ),
            &Op::DataDrop(d) => both(I::DataDrop(d), O::DataDrop { data: d }),
            &Op::MemoryCopy(dst, src) => both(
                I::MemoryCopy {
                    src_mem: src,
                    dst_mem: dst,
                },
                O::MemoryCopy {
                    dst_mem: dst,
                    src_mem: src,
                },
            ),
            &Op::TableIdx(k, t) => match k {
                0 => both(I::TableGet(t), O::TableGet { table: t }),
                1 => both(I::TableSet(t), O::TableSet { table: t }),
                2 => both(I::TableGrow(t), O::TableGrow { table: t }),
                3 => both(I::TableSize(t), O::TableSize { table: t }),
                _ => both(I::TableFill(t), O::TableFill { table: t }),
            },
            &Op::TableCopy(dst, src) => both(
                I::TableCopy {
                    src_table: src,
                    dst_table: dst,
                },
                O::TableCopy {
                    dst_table: dst,
                    src_table: src,
                },
            ),
            &Op::TableInit(elem, table) => both(
                I::TableInit {
                    elem_index: elem,
                    table,
                },
                O::TableInit { elem, table },
            ),
            &Op::ElemDrop(e) => both(I::ElemDrop(e), O::ElemDrop { elem: e }),
            &Op::RefNull(func) => {
                let (e, d) = if func {
                    (we::HeapType::FUNC, sd::HeapType::Func)
                } else {
                    (we::HeapType::EXTERN, sd::HeapType::Extern)
                };
                both(I::RefNull(e), O::RefNull { heap: d })
            }
            &Op::RefFunc(f) => both(I::RefFunc(f), O::RefFunc { func: f }),
            &Op::TypedSelect(t) => both(
                I::TypedSelect(t.enc()),
                O::TypedSelect {
                    types: sd::SelectTypes {
                        count: 1,
                        first: Some(t.dec()),
                    },
                },
            ),
        }
    }
}

// ---- strategies ------------------------------------------------------------------------

/// `u32`s that stress LEB128: every length boundary and the extremes, or anything.
fn u32_edge() -> impl Strategy<Value = u32> {
    prop_oneof![
        3 => 0u32..4,
        2 => prop::sample::select(vec![
            63u32, 64, 127, 128, 8191, 8192, 16383, 16384, (1 << 21) - 1, 1 << 21,
            (1 << 28) - 1, 1 << 28, u32::MAX >> 1, u32::MAX - 1, u32::MAX,
        ]),
        2 => any::<u32>(),
    ]
}

/// Small indices, mostly one byte, sometimes multi-byte.
fn idx() -> impl Strategy<Value = u32> {
    prop_oneof![6 => 0u32..8, 1 => u32_edge()]
}

/// `i32`s around every signed LEB128 length boundary.
fn i32_edge() -> impl Strategy<Value = i32> {
    prop_oneof![
        2 => -4i32..4,
        2 => prop::sample::select(vec![
            63i32, 64, -64, -65, 8191, 8192, -8192, -8193, (1 << 20) - 1, 1 << 20, -(1 << 20),
            (1 << 27) - 1, 1 << 27, -(1 << 27), i32::MAX, i32::MIN, i32::MIN + 1,
        ]),
        2 => any::<i32>(),
    ]
}

/// `i64`s around signed LEB128 length boundaries and the extremes.
fn i64_edge() -> impl Strategy<Value = i64> {
    prop_oneof![
        2 => -4i64..4,
        2 => prop::sample::select(vec![
            63i64, 64, -64, -65, i64::from(i32::MAX), i64::from(i32::MIN), (1 << 55) - 1,
            1 << 55, -(1 << 55), (1 << 62) - 1, 1 << 62, -(1 << 62), -(1 << 62) - 1, i64::MAX,
            i64::MIN, i64::MIN + 1,
        ]),
        2 => any::<i64>(),
    ]
}

/// A value type (all of 2.0's).
fn vt() -> impl Strategy<Value = Vt> {
    prop::sample::select(vec![
        Vt::I32,
        Vt::I64,
        Vt::F32,
        Vt::F64,
        Vt::V128,
        Vt::FuncRef,
        Vt::ExternRef,
    ])
}

/// A memory immediate: 2.0 allows only memory 0, alignment below 32 and `u32` offsets; 3.0
/// allows any memory index, alignment below 64 and `u64` offsets.
fn mem(w3: bool) -> BoxedStrategy<Mem> {
    if w3 {
        (
            0u32..64,
            prop_oneof![u32_edge().prop_map(u64::from), any::<u64>(), Just(u64::MAX)],
            idx(),
        )
            .prop_map(|(align, offset, memory)| Mem {
                align,
                offset,
                memory,
            })
            .boxed()
    } else {
        (0u32..32, u32_edge())
            .prop_map(|(align, offset)| Mem {
                align,
                offset: u64::from(offset),
                memory: 0,
            })
            .boxed()
    }
}

/// A memory index immediate: 0 in 2.0 (a reserved byte), any index in 3.0.
fn memidx(w3: bool) -> BoxedStrategy<u32> {
    if w3 {
        idx().boxed()
    } else {
        Just(0).boxed()
    }
}

/// One operator; `w3` adds 3.0 encodings.
fn op(w3: bool) -> BoxedStrategy<Op> {
    let n_plain = plain_ops().len();
    let bt = prop_oneof![
        Just(None),
        vt().prop_map(|v| Some(BlockTy::Val(v))),
        idx().prop_map(|i| Some(BlockTy::Index(i))),
    ];
    let common = prop_oneof![
        8 => (0..n_plain).prop_map(Op::Plain),
        3 => (0..MEM_OPS, mem(w3)).prop_map(|(i, m)| Op::MemAccess(i, m)),
        1 => (0..LANE_OPS, any::<u8>()).prop_map(|(i, l)| Op::Lane(i, l)),
        1 => (0..LANE_MEM_OPS, mem(w3), any::<u8>()).prop_map(|(i, m, l)| Op::LaneMem(i, m, l)),
        3 => i32_edge().prop_map(Op::I32Const),
        3 => i64_edge().prop_map(Op::I64Const),
        1 => any::<u32>().prop_map(Op::F32Const),
        1 => any::<u64>().prop_map(Op::F64Const),
        1 => any::<u128>().prop_map(Op::V128Const),
        1 => any::<[u8; 16]>().prop_map(Op::Shuffle),
        3 => (0u8..3, idx()).prop_map(|(k, i)| Op::Local(k, i)),
        2 => (0u8..2, idx()).prop_map(|(k, i)| Op::Global(k, i)),
        2 => idx().prop_map(Op::Call),
        1 => (idx(), idx()).prop_map(|(t, i)| Op::CallIndirect(t, i)),
        1 => idx().prop_map(Op::Br),
        1 => idx().prop_map(Op::BrIf),
        1 => (prop::collection::vec(idx(), 0..6), idx()).prop_map(|(t, d)| Op::BrTable(t, d)),
        2 => (0u8..3, bt).prop_map(|(k, b)| Op::Block(k, b)),
        1 => (0u8..3, memidx(w3)).prop_map(|(k, m)| Op::MemIdx(k, m)),
        1 => (idx(), memidx(w3)).prop_map(|(d, m)| Op::MemoryInit(d, m)),
        1 => idx().prop_map(Op::DataDrop),
        1 => (memidx(w3), memidx(w3)).prop_map(|(d, s)| Op::MemoryCopy(d, s)),
        1 => (0u8..5, idx()).prop_map(|(k, t)| Op::TableIdx(k, t)),
        1 => (idx(), idx()).prop_map(|(d, s)| Op::TableCopy(d, s)),
        1 => (idx(), idx()).prop_map(|(e, t)| Op::TableInit(e, t)),
        1 => idx().prop_map(Op::ElemDrop),
        1 => any::<bool>().prop_map(Op::RefNull),
        1 => idx().prop_map(Op::RefFunc),
        1 => vt().prop_map(Op::TypedSelect),
    ];
    if w3 {
        let n_relaxed = relaxed_ops().len();
        prop_oneof![
            20 => common,
            1 => idx().prop_map(Op::ReturnCall),
            1 => (0..n_relaxed).prop_map(Op::Relaxed),
        ]
        .boxed()
    } else {
        common.boxed()
    }
}

/// A generated function.
#[derive(Debug, Clone)]
struct Func {
    ty: u32,
    locals: Vec<(u32, Vt)>,
    body: Vec<Op>,
}

/// What an import brings in.
#[derive(Debug, Clone, Copy)]
enum Imp {
    Func(u32),
    Table(bool, u32, Option<u32>),
    Memory(u32, Option<u32>),
    Global(Vt, bool),
}

/// An element segment: kind (0 active, 1 passive, 2 declared), table, offset, items (function
/// indices, or `ref.func`/`ref.null` expressions when `Some`).
#[derive(Debug, Clone)]
struct Elem {
    kind: u8,
    table: u32,
    offset: i32,
    funcs: Vec<u32>,
    exprs: bool,
}

/// A data segment: active at (memory, offset) or passive, and its bytes.
type DataSeg = (Option<(u32, i32)>, Vec<u8>);

/// Contents of a name section: module name, function names, local names.
type NameSec = (
    Option<String>,
    BTreeMap<u32, String>,
    BTreeMap<u32, BTreeMap<u32, String>>,
);

/// A generated module.
#[derive(Debug, Clone)]
struct Model {
    w3: bool,
    types: Vec<(Vec<Vt>, Vec<Vt>)>,
    imports: Vec<(String, String, Imp)>,
    funcs: Vec<Func>,
    tables: Vec<(bool, u32, Option<u32>)>,
    /// (min, max, memory64)
    memories: Vec<(u64, Option<u64>, bool)>,
    /// (type, mutable, initial value)
    globals: Vec<(Vt, bool, i64)>,
    /// (name, kind 0..4, index)
    exports: Vec<(String, u8, u32)>,
    start: Option<u32>,
    elements: Vec<Elem>,
    /// (active at (memory, offset), bytes)
    data: Vec<DataSeg>,
    data_count: bool,
    customs: Vec<(String, Vec<u8>)>,
    /// (module name, function names, local names)
    names: Option<NameSec>,
}

fn name() -> impl Strategy<Value = String> {
    prop_oneof![3 => "[a-z_]{0,6}", 1 => "\\PC{0,5}"]
}

fn limits32() -> impl Strategy<Value = (u32, Option<u32>)> {
    (u32_edge(), prop::option::of(u32_edge()))
}

fn func(w3: bool) -> impl Strategy<Value = Func> {
    (
        idx(),
        prop::collection::vec(
            (
                prop_oneof![3 => 1u32..4, 1 => u32_edge().prop_map(|n| n >> 3)],
                vt(),
            ),
            0..4,
        ),
        prop::collection::vec(op(w3), 0..24),
    )
        .prop_map(|(ty, locals, body)| Func { ty, locals, body })
}

fn model(w3: bool) -> impl Strategy<Value = Model> {
    let types = prop::collection::vec(
        (
            prop::collection::vec(vt(), 0..4),
            prop::collection::vec(vt(), 0..3),
        ),
        0..4,
    );
    let imports = prop::collection::vec(
        (
            name(),
            name(),
            prop_oneof![
                idx().prop_map(Imp::Func),
                (any::<bool>(), limits32()).prop_map(|(f, (a, b))| Imp::Table(f, a, b)),
                limits32().prop_map(|(a, b)| Imp::Memory(a, b)),
                (vt(), any::<bool>()).prop_map(|(v, m)| Imp::Global(v, m)),
            ],
        ),
        0..4,
    );
    let memory = if w3 {
        (any::<u64>(), prop::option::of(any::<u64>()), any::<bool>()).boxed()
    } else {
        limits32()
            .prop_map(|(a, b)| (u64::from(a), b.map(u64::from), false))
            .boxed()
    };
    let elem = (
        0u8..3,
        idx(),
        i32_edge(),
        prop::collection::vec(idx(), 0..4),
        any::<bool>(),
    )
        .prop_map(|(kind, table, offset, funcs, exprs)| Elem {
            kind,
            table,
            offset,
            funcs,
            exprs,
        });
    let data = (
        prop::option::of((memidx(w3), i32_edge())),
        prop::collection::vec(any::<u8>(), 0..20),
    );
    let names = prop::option::of((
        prop::option::of(name()),
        prop::collection::btree_map(idx(), name(), 0..4),
        prop::collection::btree_map(
            idx(),
            prop::collection::btree_map(idx(), name(), 0..3),
            0..3,
        ),
    ));
    (
        (types, imports, prop::collection::vec(func(w3), 0..5)),
        (
            prop::collection::vec(
                (any::<bool>(), limits32()).prop_map(|(f, (a, b))| (f, a, b)),
                0..3,
            ),
            prop::collection::vec(memory, 0..3),
            prop::collection::vec(
                (
                    prop::sample::select(vec![Vt::I32, Vt::I64, Vt::F32, Vt::F64]),
                    any::<bool>(),
                    any::<i64>(),
                ),
                0..4,
            ),
        ),
        (
            prop::collection::vec((name(), 0u8..4, idx()), 0..5),
            prop::option::of(idx()),
            prop::collection::vec(elem, 0..4),
        ),
        (
            prop::collection::vec(data, 0..4),
            any::<bool>(),
            prop::collection::vec(
                (
                    "[a-z.]{0,8}".prop_filter("not the name section", |n| n != "name"),
                    prop::collection::vec(any::<u8>(), 0..16),
                ),
                0..3,
            ),
            names,
        ),
    )
        .prop_map(
            move |(
                (types, imports, funcs),
                (tables, memories, globals),
                (exports, start, elements),
                (data, data_count, customs, names),
            )| {
                // Export names must be unique: number them.
                let exports = exports
                    .into_iter()
                    .enumerate()
                    .map(|(i, (n, k, x))| (format!("{n}{i}"), k, x))
                    .collect();
                Model {
                    w3,
                    types,
                    imports,
                    funcs,
                    tables,
                    memories,
                    globals,
                    exports,
                    start,
                    elements,
                    data,
                    data_count,
                    customs,
                    names,
                }
            },
        )
}

// ---- encoding --------------------------------------------------------------------------

fn ref_type(func: bool) -> we::RefType {
    if func {
        we::RefType::FUNCREF
    } else {
        we::RefType::EXTERNREF
    }
}

fn table_type(func: bool, min: u32, max: Option<u32>) -> we::TableType {
    we::TableType {
        element_type: ref_type(func),
        table64: false,
        minimum: u64::from(min),
        maximum: max.map(u64::from),
        shared: false,
    }
}

fn memory_type(min: u64, max: Option<u64>, memory64: bool) -> we::MemoryType {
    we::MemoryType {
        minimum: min,
        maximum: max,
        memory64,
        shared: false,
        page_size_log2: None,
    }
}

/// The constant expression that initialises a global of type `t` from `v`.
fn global_init(t: Vt, v: i64) -> (we::ConstExpr, sd::Operator<'static>) {
    match t {
        Vt::I32 => (
            we::ConstExpr::i32_const(v as i32),
            sd::Operator::I32Const { value: v as i32 },
        ),
        Vt::I64 => (
            we::ConstExpr::i64_const(v),
            sd::Operator::I64Const { value: v },
        ),
        Vt::F32 => (
            we::ConstExpr::f32_const(we::Ieee32::new(v as u32)),
            sd::Operator::F32Const {
                value: sd::Ieee32(v as u32),
            },
        ),
        _ => (
            we::ConstExpr::f64_const(we::Ieee64::new(v as u64)),
            sd::Operator::F64Const {
                value: sd::Ieee64(v as u64),
            },
        ),
    }
}

impl Model {
    fn features(&self) -> sd::Features {
        if self.w3 {
            sd::Features::WASM3
        } else {
            sd::Features::WASM2
        }
    }

    /// The function bodies' encoder instructions and expected operators (with the final `end`).
    fn lowered(&self) -> Vec<(Vec<we::Instruction<'static>>, Vec<Expected>)> {
        self.funcs
            .iter()
            .map(|f| {
                let (mut insns, mut exp) = (Vec::new(), Vec::new());
                for op in &f.body {
                    op.lower(&mut insns, &mut exp);
                }
                insns.push(we::Instruction::End);
                exp.push(Expected::Op(sd::Operator::End {}));
                (insns, exp)
            })
            .collect()
    }

    fn encode(&self) -> Vec<u8> {
        let mut m = we::Module::new();
        if !self.types.is_empty() {
            let mut s = we::TypeSection::new();
            for (p, r) in &self.types {
                s.ty()
                    .function(p.iter().map(|v| v.enc()), r.iter().map(|v| v.enc()));
            }
            m.section(&s);
        }
        if !self.imports.is_empty() {
            let mut s = we::ImportSection::new();
            for (module, field, imp) in &self.imports {
                let ty: we::EntityType = match *imp {
                    Imp::Func(t) => we::EntityType::Function(t),
                    Imp::Table(f, a, b) => table_type(f, a, b).into(),
                    Imp::Memory(a, b) => memory_type(u64::from(a), b.map(u64::from), false).into(),
                    Imp::Global(v, mutable) => we::GlobalType {
                        val_type: v.enc(),
                        mutable,
                        shared: false,
                    }
                    .into(),
                };
                s.import(module, field, ty);
            }
            m.section(&s);
        }
        if !self.funcs.is_empty() {
            let mut s = we::FunctionSection::new();
            for f in &self.funcs {
                s.function(f.ty);
            }
            m.section(&s);
        }
        if !self.tables.is_empty() {
            let mut s = we::TableSection::new();
            for &(f, a, b) in &self.tables {
                s.table(table_type(f, a, b));
            }
            m.section(&s);
        }
        if !self.memories.is_empty() {
            let mut s = we::MemorySection::new();
            for &(a, b, m64) in &self.memories {
                s.memory(memory_type(a, b, m64));
            }
            m.section(&s);
        }
        if !self.globals.is_empty() {
            let mut s = we::GlobalSection::new();
            for &(t, mutable, v) in &self.globals {
                let ty = we::GlobalType {
                    val_type: t.enc(),
                    mutable,
                    shared: false,
                };
                s.global(ty, &global_init(t, v).0);
            }
            m.section(&s);
        }
        if !self.exports.is_empty() {
            let mut s = we::ExportSection::new();
            for (n, k, i) in &self.exports {
                let kind = [
                    we::ExportKind::Func,
                    we::ExportKind::Table,
                    we::ExportKind::Memory,
                    we::ExportKind::Global,
                ][*k as usize];
                s.export(n, kind, *i);
            }
            m.section(&s);
        }
        if let Some(f) = self.start {
            m.section(&we::StartSection { function_index: f });
        }
        if !self.elements.is_empty() {
            let mut s = we::ElementSection::new();
            for e in &self.elements {
                let exprs: Vec<we::ConstExpr> = e
                    .funcs
                    .iter()
                    .map(|&f| {
                        if f % 2 == 0 {
                            we::ConstExpr::ref_func(f)
                        } else {
                            we::ConstExpr::ref_null(we::HeapType::FUNC)
                        }
                    })
                    .collect();
                let items = if e.exprs {
                    we::Elements::Expressions(we::RefType::FUNCREF, Cow::Owned(exprs))
                } else {
                    we::Elements::Functions(Cow::Borrowed(&e.funcs))
                };
                match e.kind {
                    0 => s.active(Some(e.table), &we::ConstExpr::i32_const(e.offset), items),
                    1 => s.passive(items),
                    _ => s.declared(items),
                };
            }
            m.section(&s);
        }
        if self.data_count {
            m.section(&we::DataCountSection {
                count: self.data.len() as u32,
            });
        }
        if !self.funcs.is_empty() {
            let mut s = we::CodeSection::new();
            for (f, (insns, _)) in self.funcs.iter().zip(self.lowered()) {
                let mut func = we::Function::new(f.locals.iter().map(|&(n, t)| (n, t.enc())));
                for i in &insns {
                    func.instruction(i);
                }
                s.function(&func);
            }
            m.section(&s);
        }
        if !self.data.is_empty() {
            let mut s = we::DataSection::new();
            for (active, bytes) in &self.data {
                match active {
                    Some((mem, off)) => {
                        s.active(*mem, &we::ConstExpr::i32_const(*off), bytes.iter().copied())
                    }
                    None => s.passive(bytes.iter().copied()),
                };
            }
            m.section(&s);
        }
        for (n, d) in &self.customs {
            m.section(&we::CustomSection {
                name: Cow::Borrowed(n),
                data: Cow::Borrowed(d),
            });
        }
        if let Some((module, funcs, locals)) = &self.names {
            let mut s = we::NameSection::new();
            if let Some(n) = module {
                s.module(n);
            }
            let mut map = we::NameMap::new();
            for (i, n) in funcs {
                map.append(*i, n);
            }
            s.functions(&map);
            let mut indirect = we::IndirectNameMap::new();
            for (f, ls) in locals {
                let mut map = we::NameMap::new();
                for (i, n) in ls {
                    map.append(*i, n);
                }
                indirect.append(*f, &map);
            }
            s.locals(&indirect);
            m.section(&s);
        }
        m.finish()
    }
}

// ---- checking --------------------------------------------------------------------------

/// Reads all operators of `ops`; panics on a decoding error.
fn read_all<'a>(mut ops: sd::OperatorsReader<'a>) -> Vec<sd::Operator<'a>> {
    let mut out = Vec::new();
    while !ops.eof() {
        out.push(ops.read().unwrap_or_else(|e| panic!("{e} after {out:?}")));
    }
    out
}

/// Asserts that `ops` (a whole expression) matches `expected`.
fn assert_ops(ops: sd::OperatorsReader<'_>, expected: &[Expected]) {
    let got = read_all(ops);
    assert_eq!(got.len(), expected.len(), "{got:?}\n vs {expected:?}");
    for (g, e) in got.iter().zip(expected) {
        match (g, e) {
            (sd::Operator::BrTable { targets }, Expected::BrTable(t, d)) => {
                assert_eq!(&targets.targets().collect::<Vec<_>>(), t);
                assert_eq!(targets.len() as usize, t.len());
                assert_eq!(targets.default(), *d);
            }
            (g, Expected::Op(e)) => assert_eq!(g, e),
            (g, e) => panic!("decoded {g:?}, expected {e:?}"),
        }
    }
}

/// A constant expression `op end`.
fn const_expr(op: sd::Operator<'static>) -> [Expected; 2] {
    [Expected::Op(op), Expected::Op(sd::Operator::End {})]
}

fn check(model: &Model, bytes: &[u8]) {
    let m = sd::decode(bytes, model.features()).unwrap_or_else(|e| panic!("{e}"));

    assert_eq!(m.types.len(), model.types.len());
    assert_eq!(m.rec_groups.len(), model.types.len());
    for (t, (p, r)) in m.types.iter().zip(&model.types) {
        let f = t.as_func().expect("a function type");
        assert_eq!(f.params(), p.iter().map(|v| v.dec()).collect::<Vec<_>>());
        assert_eq!(f.results(), r.iter().map(|v| v.dec()).collect::<Vec<_>>());
        assert!(t.is_final && t.supertypes.is_empty());
    }

    assert_eq!(m.imports.len(), model.imports.len());
    for (i, (module, field, imp)) in m.imports.iter().zip(&model.imports) {
        assert_eq!((i.module, i.name), (module.as_str(), field.as_str()));
        match (*imp, i.ty) {
            (Imp::Func(t), sd::ImportType::Func(u)) => assert_eq!(t, u),
            (Imp::Table(f, a, b), sd::ImportType::Table(t)) => {
                assert_eq!(
                    t.element,
                    if f {
                        sd::RefType::FUNCREF
                    } else {
                        sd::RefType::EXTERNREF
                    }
                );
                assert_eq!(
                    t.limits,
                    sd::Limits {
                        min: a.into(),
                        max: b.map(u64::from)
                    }
                );
            }
            (Imp::Memory(a, b), sd::ImportType::Memory(t)) => {
                assert_eq!(
                    t.limits,
                    sd::Limits {
                        min: a.into(),
                        max: b.map(u64::from)
                    }
                );
                assert!(!t.memory64 && !t.shared);
            }
            (Imp::Global(v, mutable), sd::ImportType::Global(g)) => {
                assert_eq!(
                    g,
                    sd::GlobalType {
                        content: v.dec(),
                        mutable
                    }
                )
            }
            (imp, ty) => panic!("import {imp:?} decoded as {ty:?}"),
        }
    }

    assert_eq!(
        m.functions,
        model.funcs.iter().map(|f| f.ty).collect::<Vec<_>>()
    );

    assert_eq!(m.tables.len(), model.tables.len());
    for (t, &(f, a, b)) in m.tables.iter().zip(&model.tables) {
        assert_eq!(
            t.ty.element,
            if f {
                sd::RefType::FUNCREF
            } else {
                sd::RefType::EXTERNREF
            }
        );
        assert_eq!(
            t.ty.limits,
            sd::Limits {
                min: a.into(),
                max: b.map(u64::from)
            }
        );
        assert!(t.init.is_none() && !t.ty.table64);
    }

    assert_eq!(m.memories.len(), model.memories.len());
    for (mem, &(a, b, m64)) in m.memories.iter().zip(&model.memories) {
        assert_eq!(mem.ty.limits, sd::Limits { min: a, max: b });
        assert_eq!(mem.ty.memory64, m64);
    }

    assert_eq!(m.globals.len(), model.globals.len());
    for (g, &(t, mutable, v)) in m.globals.iter().zip(&model.globals) {
        assert_eq!(
            g.ty,
            sd::GlobalType {
                content: t.dec(),
                mutable
            }
        );
        assert_ops(g.init.operators(), &const_expr(global_init(t, v).1));
    }

    assert_eq!(m.exports.len(), model.exports.len());
    for (e, (n, k, i)) in m.exports.iter().zip(&model.exports) {
        let kind = [
            sd::ExternalKind::Func,
            sd::ExternalKind::Table,
            sd::ExternalKind::Memory,
            sd::ExternalKind::Global,
        ][*k as usize];
        assert_eq!((e.name, e.kind, e.index), (n.as_str(), kind, *i));
    }

    assert_eq!(m.start.map(|(f, _)| f), model.start);

    assert_eq!(m.elements.len(), model.elements.len());
    for (e, me) in m.elements.iter().zip(&model.elements) {
        match (&e.kind, me.kind) {
            (sd::ElementKind::Active { table, offset_expr }, 0) => {
                assert_eq!(*table, me.table);
                assert_ops(
                    offset_expr.operators(),
                    &const_expr(sd::Operator::I32Const { value: me.offset }),
                );
            }
            (sd::ElementKind::Passive, 1) | (sd::ElementKind::Declared, 2) => {}
            (k, want) => panic!("element kind {k:?}, expected {want}"),
        }
        match &e.items {
            sd::ElementItems::Functions(f) => {
                assert!(!me.exprs);
                assert_eq!(&f[..], &me.funcs[..]);
            }
            sd::ElementItems::Expressions(t, exprs) => {
                assert!(me.exprs);
                assert_eq!(*t, sd::RefType::FUNCREF);
                assert_eq!(exprs.len(), me.funcs.len());
                for (x, &f) in exprs.iter().zip(&me.funcs) {
                    let op = if f % 2 == 0 {
                        sd::Operator::RefFunc { func: f }
                    } else {
                        sd::Operator::RefNull {
                            heap: sd::HeapType::Func,
                        }
                    };
                    assert_ops(x.operators(), &const_expr(op));
                }
            }
        }
    }

    assert_eq!(
        m.data_count,
        model.data_count.then_some(model.data.len() as u32)
    );
    assert_eq!(m.data.len(), model.data.len());
    for (d, (active, bytes)) in m.data.iter().zip(&model.data) {
        assert_eq!(d.bytes, &bytes[..]);
        match (d.kind, active) {
            (
                sd::DataKind::Active {
                    memory,
                    offset_expr,
                },
                Some((mem, off)),
            ) => {
                assert_eq!(memory, *mem);
                assert_ops(
                    offset_expr.operators(),
                    &const_expr(sd::Operator::I32Const { value: *off }),
                );
            }
            (sd::DataKind::Passive, None) => {}
            (k, want) => panic!("data kind {k:?}, expected {want:?}"),
        }
    }

    assert_eq!(m.code.len(), model.funcs.len());
    for ((body, f), (_, expected)) in m.code.iter().zip(&model.funcs).zip(model.lowered()) {
        let locals: Vec<_> = f.locals.iter().map(|&(n, t)| (n, t.dec())).collect();
        assert_eq!(&body.locals[..], &locals[..]);
        assert_eq!(
            u64::from(body.num_locals),
            f.locals.iter().map(|&(n, _)| u64::from(n)).sum::<u64>()
        );
        assert_ops(body.operators(), &expected);
    }

    let customs: Vec<_> = m.customs.iter().map(|c| (c.name, c.data)).collect();
    let n = model.customs.len();
    assert_eq!(customs.len(), n + usize::from(model.names.is_some()));
    for ((name, data), (mn, md)) in customs.iter().zip(&model.customs) {
        assert_eq!((*name, *data), (mn.as_str(), &md[..]));
    }
    match &model.names {
        Some((module, funcs, locals)) => {
            assert_eq!(customs[n].0, "name");
            assert_eq!(m.names.module, module.as_deref());
            let want: Vec<_> = funcs.iter().map(|(i, n)| (*i, n.as_str())).collect();
            assert_eq!(m.names.functions, want);
            for (i, n) in funcs {
                assert_eq!(m.names.function(*i), Some(n.as_str()));
            }
            let want: Vec<_> = locals
                .iter()
                .map(|(f, ls)| {
                    (
                        *f,
                        ls.iter().map(|(i, n)| (*i, n.as_str())).collect::<Vec<_>>(),
                    )
                })
                .collect();
            assert_eq!(m.names.locals, want);
        }
        None => assert_eq!(m.names, sd::Names::default()),
    }
}

/// Decodes `bytes` (which may be anything) and walks whatever decoded; asserts that nothing
/// panics and that errors point inside the input.
fn decode_anything(bytes: &[u8], features: sd::Features) {
    let len = bytes.len();
    let walk = |mut ops: sd::OperatorsReader<'_>| {
        while !ops.eof() {
            match ops.read() {
                Ok(sd::Operator::BrTable { targets }) => {
                    assert_eq!(targets.targets().count(), targets.len() as usize)
                }
                Ok(_) => {}
                Err(e) => {
                    assert!(e.offset() <= len, "{e} in {len} bytes");
                    break;
                }
            }
        }
    };
    match sd::decode(bytes, features) {
        Err(e) => {
            assert!(e.offset() <= len, "{e} in {len} bytes");
            assert!(e.to_string().starts_with("malformed module at offset 0x"));
        }
        Ok(m) => {
            for b in &m.code {
                walk(b.operators());
            }
            for g in &m.globals {
                walk(g.init.operators());
            }
            for e in &m.elements {
                if let sd::ElementKind::Active { offset_expr, .. } = &e.kind {
                    walk(offset_expr.operators());
                }
                if let sd::ElementItems::Expressions(_, xs) = &e.items {
                    xs.iter().for_each(|x| walk(x.operators()));
                }
            }
            for d in &m.data {
                if let sd::DataKind::Active { offset_expr, .. } = &d.kind {
                    walk(offset_expr.operators());
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// 2.0 modules read back exactly as generated.
    #[test]
    fn wasm2_round_trip(model in model(false)) {
        let bytes = model.encode();
        check(&model, &bytes);
        // A 2.0 module reads the same with 3.0 features.
        let mut m3 = model.clone();
        m3.w3 = true;
        check(&m3, &bytes);
    }

    /// 3.0 encodings (multi-memory memargs, `u64` offsets and limits, memory64, tail calls,
    /// relaxed SIMD) read back exactly as generated.
    #[test]
    fn wasm3_round_trip(model in model(true)) {
        check(&model, &model.encode());
    }

    /// Every prefix-truncation of a valid module is rejected or decodes, without panicking.
    #[test]
    fn truncations_never_panic(model in model(false), cut in any::<prop::sample::Index>()) {
        let bytes = model.encode();
        let n = cut.index(bytes.len() + 1);
        decode_anything(&bytes[..n], sd::Features::WASM2);
        decode_anything(&bytes[..n], sd::Features::WASM3);
        if n < 8 {
            // Without a whole header nothing decodes.
            prop_assert!(sd::decode(&bytes[..n], model.features()).is_err());
        }
    }

    /// Single-byte mutations of a valid module never panic.
    #[test]
    fn mutations_never_panic(
        model in model(true),
        at in any::<prop::sample::Index>(),
        byte in any::<u8>(),
    ) {
        let mut bytes = model.encode();
        let i = at.index(bytes.len());
        bytes[i] = byte;
        decode_anything(&bytes, sd::Features::WASM2);
        decode_anything(&bytes, sd::Features::WASM3);
    }

    /// Arbitrary bytes after a valid header never panic.
    #[test]
    fn arbitrary_bytes_never_panic(tail in prop::collection::vec(any::<u8>(), 0..256)) {
        let mut bytes = b"\0asm\x01\0\0\0".to_vec();
        bytes.extend_from_slice(&tail);
        decode_anything(&bytes, sd::Features::WASM2);
        decode_anything(&bytes, sd::Features::WASM3);
        decode_anything(&tail, sd::Features::WASM3);
    }
}
