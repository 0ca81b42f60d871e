//! The interpreter's own code: the IR with **accumulator forms**, made once per function and
//! store (kept in `StoreInner::interp`) before it first runs, next to its verification.
//!
//! A value an instruction produces and the very next instruction consumes need not go through
//! the frame: the producer also leaves it in the accumulator, a register passed from handler to
//! handler (`Regs::acc`), and the consumer reads it from there instead of loading its slot back
//! (a store-to-load forwarding round trip on the critical path, plus the operand's decoding).
//! The lowering is one to one (instruction `i` of the IR is instruction `i` of the code), so
//! branch targets, catch handlers and backtraces keep their indices; the x64 JIT and the
//! serialized IR never see accumulator forms.
//!
//! A producer still writes its slot (the value may be read again later), so no liveness is
//! needed. The forms (see [`Acc`]): the table below lists, per IR instruction, its producer
//! (`…P`: writes `dst` and the accumulator), consumer (`…C`: reads its first operand, `lhs` or
//! `cond`, from the accumulator) and consumer-producer (`…CP`) variants; branches only consume.
//!
//! **The invariant that makes reading the accumulator sound:** a consumer is immediately
//! preceded, in code order, by a producer, and is never a branch target (`br*`, `br_table`
//! entries, `try_table` catch targets), the function's first instruction, or the instruction
//! after a call (calls never produce). So a consumer only ever runs right after its producer
//! fell through to it, and the accumulator holds the producer's result.

use alloc::boxed::Box;
use alloc::vec;
use alloc::vec::Vec;

use strata_ir::{Instr, IrFunc, Slot, Target};

/// How an instruction of the code uses the accumulator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Acc {
    /// Its first operand (`lhs`, or `cond` for `br_if_*`) is the accumulator, not its slot.
    pub(crate) input: bool,
    /// It leaves its result in the accumulator too (besides `dst`).
    pub(crate) output: bool,
    /// The accumulator it uses is the float one (an `f64`, in a float register), not the
    /// integer one.
    pub(crate) float: bool,
}

impl Acc {
    /// Does not touch the accumulator.
    pub(crate) const NONE: Acc = Acc::new(false, false, false);
    /// A consumer.
    pub(crate) const IN: Acc = Acc::new(true, false, false);
    /// A producer.
    pub(crate) const OUT: Acc = Acc::new(false, true, false);
    /// A consumer and producer.
    pub(crate) const BOTH: Acc = Acc::new(true, true, false);
    /// A consumer of the float accumulator.
    pub(crate) const FIN: Acc = Acc::new(true, false, true);
    /// A producer of the float accumulator.
    pub(crate) const FOUT: Acc = Acc::new(false, true, true);
    /// A consumer and producer of the float accumulator.
    pub(crate) const FBOTH: Acc = Acc::new(true, true, true);

    const fn new(input: bool, output: bool, float: bool) -> Acc {
        Acc {
            input,
            output,
            float,
        }
    }
}

/// Calls `$cb! { PREFIX @acc TABLE }` with the accumulator table: per IR instruction, the
/// names of its accumulator forms, grouped by operand shape (which fixes their fields, the same
/// as the IR instruction's). Chosen from the IR of the suite's hot loops (intloop, collatz,
/// sieve, sort, sha256: temporaries feeding the next instruction are mostly integer results):
/// integer arithmetic, bitwise operations, shifts and comparisons (register and immediate
/// forms) and integer loads (consuming `ptr`) as producers and consumers; compare-and-branch
/// and `br_if` as consumers.
macro_rules! acc_table {
    ($cb:ident { $($pre:tt)* }) => {
        $cb! {
            $($pre)*
            @acc
            // base, producer, consumer, consumer-producer: `{ dst, lhs, rhs }`
            binary {
                I32Eq I32EqP I32EqC I32EqCP; I32Ne I32NeP I32NeC I32NeCP;
                I32LtS I32LtSP I32LtSC I32LtSCP; I32LtU I32LtUP I32LtUC I32LtUCP;
                I32GtS I32GtSP I32GtSC I32GtSCP; I32GtU I32GtUP I32GtUC I32GtUCP;
                I32LeS I32LeSP I32LeSC I32LeSCP; I32LeU I32LeUP I32LeUC I32LeUCP;
                I32GeS I32GeSP I32GeSC I32GeSCP; I32GeU I32GeUP I32GeUC I32GeUCP;
                I32Add I32AddP I32AddC I32AddCP; I32Sub I32SubP I32SubC I32SubCP;
                I32Mul I32MulP I32MulC I32MulCP; I32And I32AndP I32AndC I32AndCP;
                I32Or I32OrP I32OrC I32OrCP; I32Xor I32XorP I32XorC I32XorCP;
                I32Shl I32ShlP I32ShlC I32ShlCP; I32ShrS I32ShrSP I32ShrSC I32ShrSCP;
                I32ShrU I32ShrUP I32ShrUC I32ShrUCP; I32Rotl I32RotlP I32RotlC I32RotlCP;
                I32Rotr I32RotrP I32RotrC I32RotrCP;
                I64Eq I64EqP I64EqC I64EqCP; I64Ne I64NeP I64NeC I64NeCP;
                I64LtS I64LtSP I64LtSC I64LtSCP; I64LtU I64LtUP I64LtUC I64LtUCP;
                I64GtS I64GtSP I64GtSC I64GtSCP; I64GtU I64GtUP I64GtUC I64GtUCP;
                I64LeS I64LeSP I64LeSC I64LeSCP; I64LeU I64LeUP I64LeUC I64LeUCP;
                I64GeS I64GeSP I64GeSC I64GeSCP; I64GeU I64GeUP I64GeUC I64GeUCP;
                I64Add I64AddP I64AddC I64AddCP; I64Sub I64SubP I64SubC I64SubCP;
                I64Mul I64MulP I64MulC I64MulCP; I64And I64AndP I64AndC I64AndCP;
                I64Or I64OrP I64OrC I64OrCP; I64Xor I64XorP I64XorC I64XorCP;
                I64Shl I64ShlP I64ShlC I64ShlCP; I64ShrS I64ShrSP I64ShrSC I64ShrSCP;
                I64ShrU I64ShrUP I64ShrUC I64ShrUCP; I64Rotl I64RotlP I64RotlC I64RotlCP;
                I64Rotr I64RotrP I64RotrC I64RotrCP;
            }
            // base, producer, consumer, consumer-producer: `{ dst, lhs, imm }`
            binary_imm {
                I32EqImm I32EqImmP I32EqImmC I32EqImmCP; I32NeImm I32NeImmP I32NeImmC I32NeImmCP;
                I32LtSImm I32LtSImmP I32LtSImmC I32LtSImmCP;
                I32LtUImm I32LtUImmP I32LtUImmC I32LtUImmCP;
                I32GtSImm I32GtSImmP I32GtSImmC I32GtSImmCP;
                I32GtUImm I32GtUImmP I32GtUImmC I32GtUImmCP;
                I32LeSImm I32LeSImmP I32LeSImmC I32LeSImmCP;
                I32LeUImm I32LeUImmP I32LeUImmC I32LeUImmCP;
                I32GeSImm I32GeSImmP I32GeSImmC I32GeSImmCP;
                I32GeUImm I32GeUImmP I32GeUImmC I32GeUImmCP;
                I32AddImm I32AddImmP I32AddImmC I32AddImmCP;
                I32MulImm I32MulImmP I32MulImmC I32MulImmCP;
                I32AndImm I32AndImmP I32AndImmC I32AndImmCP;
                I32OrImm I32OrImmP I32OrImmC I32OrImmCP;
                I32XorImm I32XorImmP I32XorImmC I32XorImmCP;
                I32ShlImm I32ShlImmP I32ShlImmC I32ShlImmCP;
                I32ShrSImm I32ShrSImmP I32ShrSImmC I32ShrSImmCP;
                I32ShrUImm I32ShrUImmP I32ShrUImmC I32ShrUImmCP;
                I32RotlImm I32RotlImmP I32RotlImmC I32RotlImmCP;
                I32RotrImm I32RotrImmP I32RotrImmC I32RotrImmCP;
                I32XorShlImm I32XorShlImmP I32XorShlImmC I32XorShlImmCP;
                I32XorShrUImm I32XorShrUImmP I32XorShrUImmC I32XorShrUImmCP;
                I64EqImm I64EqImmP I64EqImmC I64EqImmCP; I64NeImm I64NeImmP I64NeImmC I64NeImmCP;
                I64LtSImm I64LtSImmP I64LtSImmC I64LtSImmCP;
                I64LtUImm I64LtUImmP I64LtUImmC I64LtUImmCP;
                I64GtSImm I64GtSImmP I64GtSImmC I64GtSImmCP;
                I64GtUImm I64GtUImmP I64GtUImmC I64GtUImmCP;
                I64LeSImm I64LeSImmP I64LeSImmC I64LeSImmCP;
                I64LeUImm I64LeUImmP I64LeUImmC I64LeUImmCP;
                I64GeSImm I64GeSImmP I64GeSImmC I64GeSImmCP;
                I64GeUImm I64GeUImmP I64GeUImmC I64GeUImmCP;
                I64AddImm I64AddImmP I64AddImmC I64AddImmCP;
                I64MulImm I64MulImmP I64MulImmC I64MulImmCP;
                I64AndImm I64AndImmP I64AndImmC I64AndImmCP;
                I64OrImm I64OrImmP I64OrImmC I64OrImmCP;
                I64XorImm I64XorImmP I64XorImmC I64XorImmCP;
                I64ShlImm I64ShlImmP I64ShlImmC I64ShlImmCP;
                I64ShrSImm I64ShrSImmP I64ShrSImmC I64ShrSImmCP;
                I64ShrUImm I64ShrUImmP I64ShrUImmC I64ShrUImmCP;
                I64RotlImm I64RotlImmP I64RotlImmC I64RotlImmCP;
                I64RotrImm I64RotrImmP I64RotrImmC I64RotrImmCP;
                I64XorShlImm I64XorShlImmP I64XorShlImmC I64XorShlImmCP;
                I64XorShrUImm I64XorShrUImmP I64XorShrUImmC I64XorShrUImmCP;
            }
            // base, consumer: `{ lhs, rhs, target }`
            branch_cmp {
                BrI32Eq BrI32EqC; BrI32Ne BrI32NeC; BrI32LtS BrI32LtSC; BrI32LtU BrI32LtUC;
                BrI32GtS BrI32GtSC; BrI32GtU BrI32GtUC; BrI32LeS BrI32LeSC; BrI32LeU BrI32LeUC;
                BrI32GeS BrI32GeSC; BrI32GeU BrI32GeUC;
                BrI64Eq BrI64EqC; BrI64Ne BrI64NeC; BrI64LtS BrI64LtSC; BrI64LtU BrI64LtUC;
                BrI64GtS BrI64GtSC; BrI64GtU BrI64GtUC; BrI64LeS BrI64LeSC; BrI64LeU BrI64LeUC;
                BrI64GeS BrI64GeSC; BrI64GeU BrI64GeUC;
            }
            // base, consumer: `{ lhs, imm, target }`
            branch_cmp_imm {
                BrI32EqImm BrI32EqImmC; BrI32NeImm BrI32NeImmC;
                BrI32LtSImm BrI32LtSImmC; BrI32LtUImm BrI32LtUImmC;
                BrI32GtSImm BrI32GtSImmC; BrI32GtUImm BrI32GtUImmC;
                BrI32LeSImm BrI32LeSImmC; BrI32LeUImm BrI32LeUImmC;
                BrI32GeSImm BrI32GeSImmC; BrI32GeUImm BrI32GeUImmC;
                BrI64EqImm BrI64EqImmC; BrI64NeImm BrI64NeImmC;
                BrI64LtSImm BrI64LtSImmC; BrI64LtUImm BrI64LtUImmC;
                BrI64GtSImm BrI64GtSImmC; BrI64GtUImm BrI64GtUImmC;
                BrI64LeSImm BrI64LeSImmC; BrI64LeUImm BrI64LeUImmC;
                BrI64GeSImm BrI64GeSImmC; BrI64GeUImm BrI64GeUImmC;
                BrI32AndImmEqz BrI32AndImmEqzC; BrI32AndImmNez BrI32AndImmNezC;
                BrI64AndImmEqz BrI64AndImmEqzC; BrI64AndImmNez BrI64AndImmNezC;
            }
            // base, consumer: `{ cond, target }`
            br_if {
                BrIfNez BrIfNezC; BrIfEqz BrIfEqzC;
            }
            // base, producer, consumer (of `ptr`), consumer-producer: `{ dst, ptr, memory, offset }`
            load {
                I32Load I32LoadP I32LoadC I32LoadCP;
                I64Load I64LoadP I64LoadC I64LoadCP;
                I32Load8S I32Load8SP I32Load8SC I32Load8SCP;
                I32Load8U I32Load8UP I32Load8UC I32Load8UCP;
                I32Load16S I32Load16SP I32Load16SC I32Load16SCP;
                I32Load16U I32Load16UP I32Load16UC I32Load16UCP;
                I64Load8S I64Load8SP I64Load8SC I64Load8SCP;
                I64Load8U I64Load8UP I64Load8UC I64Load8UCP;
                I64Load16S I64Load16SP I64Load16SC I64Load16SCP;
                I64Load16U I64Load16UP I64Load16UC I64Load16UCP;
                I64Load32S I64Load32SP I64Load32SC I64Load32SCP;
                I64Load32U I64Load32UP I64Load32UC I64Load32UCP;
            }
            // the same, `{ dst, ptr, imm, memory, offset }`
            load_add {
                I32LoadAdd I32LoadAddP I32LoadAddC I32LoadAddCP;
                I64LoadAdd I64LoadAddP I64LoadAddC I64LoadAddCP;
                I32Load8SAdd I32Load8SAddP I32Load8SAddC I32Load8SAddCP;
                I32Load8UAdd I32Load8UAddP I32Load8UAddC I32Load8UAddCP;
                I32Load16SAdd I32Load16SAddP I32Load16SAddC I32Load16SAddCP;
                I32Load16UAdd I32Load16UAddP I32Load16UAddC I32Load16UAddCP;
                I64Load8SAdd I64Load8SAddP I64Load8SAddC I64Load8SAddCP;
                I64Load8UAdd I64Load8UAddP I64Load8UAddC I64Load8UAddCP;
                I64Load16SAdd I64Load16SAddP I64Load16SAddC I64Load16SAddCP;
                I64Load16UAdd I64Load16UAddP I64Load16UAddC I64Load16UAddCP;
                I64Load32SAdd I64Load32SAddP I64Load32SAddC I64Load32SAddCP;
                I64Load32UAdd I64Load32UAddP I64Load32UAddC I64Load32UAddCP;
            }
            // float accumulator; base, producer, consumer, consumer-producer: `{ dst, lhs, rhs }`
            fbinary {
                F64Add F64AddP F64AddC F64AddCP; F64Sub F64SubP F64SubC F64SubCP;
                F64Mul F64MulP F64MulC F64MulCP; F64Div F64DivP F64DivC F64DivCP;
            }
            // float accumulator; base, consumer: `{ lhs, rhs, target }`
            fbranch_cmp {
                BrF64Lt BrF64LtC; BrF64Le BrF64LeC; BrF64Gt BrF64GtC; BrF64Ge BrF64GeC;
                BrF64NotLt BrF64NotLtC; BrF64NotLe BrF64NotLeC;
                BrF64NotGt BrF64NotGtC; BrF64NotGe BrF64NotGeC;
            }
        }
    };
}

macro_rules! define_code {
    (
        $( $shape:ident $name:ident { $($field:ident : $ty:ty),* } $text:literal ;)*
        @acc
        binary { $( $b:ident $bp:ident $bc:ident $bcp:ident ; )* }
        binary_imm { $( $i:ident $ip:ident $ic:ident $icp:ident ; )* }
        branch_cmp { $( $r:ident $rc:ident ; )* }
        branch_cmp_imm { $( $ri:ident $ric:ident ; )* }
        br_if { $( $f:ident $fc:ident ; )* }
        load { $( $l:ident $lp:ident $lc:ident $lcp:ident ; )* }
        load_add { $( $la:ident $lap:ident $lac:ident $lacp:ident ; )* }
        fbinary { $( $g:ident $gp:ident $gc:ident $gcp:ident ; )* }
        fbranch_cmp { $( $q:ident $qc:ident ; )* }
    ) => {
        /// An instruction of the interpreter's code: an IR instruction (same name and fields),
        /// or one of its accumulator forms (see the module documentation and `acc_table!`).
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        #[allow(missing_docs, clippy::upper_case_acronyms)]
        pub(crate) enum Code {
            $( $name { $($field: $ty),* }, )*
            $(
                $bp { dst: Slot, lhs: Slot, rhs: Slot },
                $bc { dst: Slot, lhs: Slot, rhs: Slot },
                $bcp { dst: Slot, lhs: Slot, rhs: Slot },
            )*
            $(
                $ip { dst: Slot, lhs: Slot, imm: i32 },
                $ic { dst: Slot, lhs: Slot, imm: i32 },
                $icp { dst: Slot, lhs: Slot, imm: i32 },
            )*
            $( $rc { lhs: Slot, rhs: Slot, target: Target }, )*
            $( $ric { lhs: Slot, imm: i32, target: Target }, )*
            $( $fc { cond: Slot, target: Target }, )*
            $(
                $lp { dst: Slot, ptr: Slot, memory: u16, offset: u32 },
                $lc { dst: Slot, ptr: Slot, memory: u16, offset: u32 },
                $lcp { dst: Slot, ptr: Slot, memory: u16, offset: u32 },
            )*
            $(
                $lap { dst: Slot, ptr: Slot, imm: i32, memory: u16, offset: u32 },
                $lac { dst: Slot, ptr: Slot, imm: i32, memory: u16, offset: u32 },
                $lacp { dst: Slot, ptr: Slot, imm: i32, memory: u16, offset: u32 },
            )*
            $(
                $gp { dst: Slot, lhs: Slot, rhs: Slot },
                $gc { dst: Slot, lhs: Slot, rhs: Slot },
                $gcp { dst: Slot, lhs: Slot, rhs: Slot },
            )*
            $( $qc { lhs: Slot, rhs: Slot, target: Target }, )*
        }

        impl Code {
            /// The IR instruction this runs, and how it uses the accumulator. (Handlers do not
            /// call this: they match `Code` with `acc_pat!` and take the use from `ACC_OF`.)
            pub(crate) fn split(self) -> (Instr, Acc) {
                const IN: Acc = Acc::IN;
                const OUT: Acc = Acc::OUT;
                const BOTH: Acc = Acc::BOTH;
                match self {
                    $( Code::$name { $($field),* } => (Instr::$name { $($field),* }, Acc::NONE), )*
                    $(
                        Code::$bp { dst, lhs, rhs } => (Instr::$b { dst, lhs, rhs }, OUT),
                        Code::$bc { dst, lhs, rhs } => (Instr::$b { dst, lhs, rhs }, IN),
                        Code::$bcp { dst, lhs, rhs } => (Instr::$b { dst, lhs, rhs }, BOTH),
                    )*
                    $(
                        Code::$ip { dst, lhs, imm } => (Instr::$i { dst, lhs, imm }, OUT),
                        Code::$ic { dst, lhs, imm } => (Instr::$i { dst, lhs, imm }, IN),
                        Code::$icp { dst, lhs, imm } => (Instr::$i { dst, lhs, imm }, BOTH),
                    )*
                    $( Code::$rc { lhs, rhs, target } => (Instr::$r { lhs, rhs, target }, IN), )*
                    $( Code::$ric { lhs, imm, target } => (Instr::$ri { lhs, imm, target }, IN), )*
                    $( Code::$fc { cond, target } => (Instr::$f { cond, target }, IN), )*
                    $(
                        Code::$lp { dst, ptr, memory, offset } => (Instr::$l { dst, ptr, memory, offset }, OUT),
                        Code::$lc { dst, ptr, memory, offset } => (Instr::$l { dst, ptr, memory, offset }, IN),
                        Code::$lcp { dst, ptr, memory, offset } => (Instr::$l { dst, ptr, memory, offset }, BOTH),
                    )*
                    $(
                        Code::$lap { dst, ptr, imm, memory, offset } => (Instr::$la { dst, ptr, imm, memory, offset }, OUT),
                        Code::$lac { dst, ptr, imm, memory, offset } => (Instr::$la { dst, ptr, imm, memory, offset }, IN),
                        Code::$lacp { dst, ptr, imm, memory, offset } => (Instr::$la { dst, ptr, imm, memory, offset }, BOTH),
                    )*
                    $(
                        Code::$gp { dst, lhs, rhs } => (Instr::$g { dst, lhs, rhs }, Acc::FOUT),
                        Code::$gc { dst, lhs, rhs } => (Instr::$g { dst, lhs, rhs }, Acc::FIN),
                        Code::$gcp { dst, lhs, rhs } => (Instr::$g { dst, lhs, rhs }, Acc::FBOTH),
                    )*
                    $( Code::$qc { lhs, rhs, target } => (Instr::$q { lhs, rhs, target }, Acc::FIN), )*
                }
            }

            /// `self` with its branch target `t` (if it has one) replaced by `f(t)`; `None` if
            /// `f` returns `None`.
            pub(crate) fn with_target(self, f: impl FnOnce(Target) -> Option<Target>) -> Option<Code> {
                let (mut i, acc) = self.split();
                let Some(t) = i.target_mut() else {
                    return Some(self);
                };
                *t = f(*t)?;
                // `split` gave the IR instruction of a form `with_acc` makes back.
                Some(Code::with_acc(i, acc).unwrap_or_else(|| unreachable!("{i:?} with {acc:?}")))
            }

            /// `i` with the accumulator use `acc`, if it has that form.
            fn with_acc(i: Instr, acc: Acc) -> Option<Code> {
                Some(match (i, acc.input, acc.output) {
                    $(
                        (Instr::$b { dst, lhs, rhs }, false, true) => Code::$bp { dst, lhs, rhs },
                        (Instr::$b { dst, lhs, rhs }, true, false) => Code::$bc { dst, lhs, rhs },
                        (Instr::$b { dst, lhs, rhs }, true, true) => Code::$bcp { dst, lhs, rhs },
                    )*
                    $(
                        (Instr::$i { dst, lhs, imm }, false, true) => Code::$ip { dst, lhs, imm },
                        (Instr::$i { dst, lhs, imm }, true, false) => Code::$ic { dst, lhs, imm },
                        (Instr::$i { dst, lhs, imm }, true, true) => Code::$icp { dst, lhs, imm },
                    )*
                    $( (Instr::$r { lhs, rhs, target }, true, false) => Code::$rc { lhs, rhs, target }, )*
                    $( (Instr::$ri { lhs, imm, target }, true, false) => Code::$ric { lhs, imm, target }, )*
                    $( (Instr::$f { cond, target }, true, false) => Code::$fc { cond, target }, )*
                    $(
                        (Instr::$l { dst, ptr, memory, offset }, false, true) => Code::$lp { dst, ptr, memory, offset },
                        (Instr::$l { dst, ptr, memory, offset }, true, false) => Code::$lc { dst, ptr, memory, offset },
                        (Instr::$l { dst, ptr, memory, offset }, true, true) => Code::$lcp { dst, ptr, memory, offset },
                    )*
                    $(
                        (Instr::$la { dst, ptr, imm, memory, offset }, false, true) => Code::$lap { dst, ptr, imm, memory, offset },
                        (Instr::$la { dst, ptr, imm, memory, offset }, true, false) => Code::$lac { dst, ptr, imm, memory, offset },
                        (Instr::$la { dst, ptr, imm, memory, offset }, true, true) => Code::$lacp { dst, ptr, imm, memory, offset },
                    )*
                    $(
                        (Instr::$g { dst, lhs, rhs }, false, true) => Code::$gp { dst, lhs, rhs },
                        (Instr::$g { dst, lhs, rhs }, true, false) => Code::$gc { dst, lhs, rhs },
                        (Instr::$g { dst, lhs, rhs }, true, true) => Code::$gcp { dst, lhs, rhs },
                    )*
                    $( (Instr::$q { lhs, rhs, target }, true, false) => Code::$qc { lhs, rhs, target }, )*
                    (i, false, false) => Code::from_ir(i),
                    _ => return None,
                })
            }

            /// The IR instruction as code, with no accumulator use.
            fn from_ir(i: Instr) -> Code {
                match i {
                    $( Instr::$name { $($field),* } => Code::$name { $($field),* }, )*
                }
            }

            /// The operand `i` would read from the accumulator as a consumer, and the slot it
            /// would leave there as a producer (`dst`), if it has those forms.
            fn acc_operands(i: &Instr) -> (Option<Slot>, Option<Slot>) {
                match *i {
                    $( Instr::$b { dst, lhs, .. } => (Some(lhs), Some(dst)), )*
                    $( Instr::$i { dst, lhs, .. } => (Some(lhs), Some(dst)), )*
                    $( Instr::$r { lhs, .. } => (Some(lhs), None), )*
                    $( Instr::$ri { lhs, .. } => (Some(lhs), None), )*
                    $( Instr::$f { cond, .. } => (Some(cond), None), )*
                    $( Instr::$l { dst, ptr, .. } => (Some(ptr), Some(dst)), )*
                    $( Instr::$la { dst, ptr, .. } => (Some(ptr), Some(dst)), )*
                    $( Instr::$g { dst, lhs, .. } => (Some(lhs), Some(dst)), )*
                    $( Instr::$q { lhs, .. } => (Some(lhs), None), )*
                    _ => (None, None),
                }
            }

            /// Whether `i`'s accumulator forms use the float accumulator.
            fn acc_is_float(i: &Instr) -> bool {
                match *i {
                    $( Instr::$g { .. } => true, )*
                    $( Instr::$q { .. } => true, )*
                    _ => false,
                }
            }
        }
    };
}

/// Defines `acc_pat!(Name { fields })`: the pattern matching IR instruction `Name` of the
/// accumulator table and all its accumulator forms (`$d` is a `$`, for the inner macro).
macro_rules! define_acc_pat {
    (
        $d:tt
        @acc
        binary { $( $b:ident $bp:ident $bc:ident $bcp:ident ; )* }
        binary_imm { $( $i:ident $ip:ident $ic:ident $icp:ident ; )* }
        branch_cmp { $( $r:ident $rc:ident ; )* }
        branch_cmp_imm { $( $ri:ident $ric:ident ; )* }
        br_if { $( $f:ident $fc:ident ; )* }
        load { $( $l:ident $lp:ident $lc:ident $lcp:ident ; )* }
        load_add { $( $la:ident $lap:ident $lac:ident $lacp:ident ; )* }
        fbinary { $( $g:ident $gp:ident $gc:ident $gcp:ident ; )* }
        fbranch_cmp { $( $q:ident $qc:ident ; )* }
    ) => {
        /// The pattern of an IR instruction of the accumulator table and its accumulator forms.
        macro_rules! acc_pat {
            $( ($b $d x:tt) => { Code::$b $d x | Code::$bp $d x | Code::$bc $d x | Code::$bcp $d x }; )*
            $( ($i $d x:tt) => { Code::$i $d x | Code::$ip $d x | Code::$ic $d x | Code::$icp $d x }; )*
            $( ($r $d x:tt) => { Code::$r $d x | Code::$rc $d x }; )*
            $( ($ri $d x:tt) => { Code::$ri $d x | Code::$ric $d x }; )*
            $( ($f $d x:tt) => { Code::$f $d x | Code::$fc $d x }; )*
            $( ($l $d x:tt) => { Code::$l $d x | Code::$lp $d x | Code::$lc $d x | Code::$lcp $d x }; )*
            $( ($la $d x:tt) => {
                Code::$la $d x | Code::$lap $d x | Code::$lac $d x | Code::$lacp $d x
            }; )*
            $( ($g $d x:tt) => { Code::$g $d x | Code::$gp $d x | Code::$gc $d x | Code::$gcp $d x }; )*
            $( ($q $d x:tt) => { Code::$q $d x | Code::$qc $d x }; )*
        }
    };
}
acc_table!(define_acc_pat { $ });

/// `define_code!` with the IR table and the accumulator table.
macro_rules! define_code_from_ir {
    ($($ir:tt)*) => { acc_table!(define_code { $($ir)* }); };
}
strata_ir::for_each_instr!(define_code_from_ir);

/// `i` with `lhs` and `rhs` exchanged, if some instruction computes the same from them that
/// way: itself for a commutative operation (integer `add`, `mul`, `and`, `or`, `xor`, `eq`,
/// `ne`), the mirrored comparison otherwise (`lt_s` for `gt_s`, ...; a float comparison is
/// false on NaN either way round). So a right-hand operand the previous instruction produced
/// can become the accumulator.
fn swapped(i: Instr) -> Option<Instr> {
    macro_rules! mirror {
        ($i:expr; $( $a:ident <-> $b:ident ),* ; $( $c:ident ),* ) => {
            match $i {
                $(
                    Instr::$a { dst, lhs, rhs } => Instr::$b { dst, lhs: rhs, rhs: lhs },
                    Instr::$b { dst, lhs, rhs } => Instr::$a { dst, lhs: rhs, rhs: lhs },
                )*
                $( Instr::$c { dst, lhs, rhs } => Instr::$c { dst, lhs: rhs, rhs: lhs }, )*
                _ => return None,
            }
        };
    }
    macro_rules! mirror_branch {
        ($i:expr; $( $a:ident <-> $b:ident ),* ; $( $c:ident ),* ) => {
            match $i {
                $(
                    Instr::$a { lhs, rhs, target } => Instr::$b { lhs: rhs, rhs: lhs, target },
                    Instr::$b { lhs, rhs, target } => Instr::$a { lhs: rhs, rhs: lhs, target },
                )*
                $( Instr::$c { lhs, rhs, target } => Instr::$c { lhs: rhs, rhs: lhs, target }, )*
                _ => return None,
            }
        };
    }
    let value = || {
        Some(mirror!(i;
            I32LtS <-> I32GtS, I32LtU <-> I32GtU, I32LeS <-> I32GeS, I32LeU <-> I32GeU,
            I64LtS <-> I64GtS, I64LtU <-> I64GtU, I64LeS <-> I64GeS, I64LeU <-> I64GeU;
            I32Add, I32Mul, I32And, I32Or, I32Xor, I32Eq, I32Ne,
            I64Add, I64Mul, I64And, I64Or, I64Xor, I64Eq, I64Ne))
    };
    let branch = || {
        Some(mirror_branch!(i;
            BrI32LtS <-> BrI32GtS, BrI32LtU <-> BrI32GtU, BrI32LeS <-> BrI32GeS,
            BrI32LeU <-> BrI32GeU,
            BrI64LtS <-> BrI64GtS, BrI64LtU <-> BrI64GtU, BrI64LeS <-> BrI64GeS,
            BrI64LeU <-> BrI64GeU,
            BrF64Lt <-> BrF64Gt, BrF64Le <-> BrF64Ge, BrF64NotLt <-> BrF64NotGt,
            BrF64NotLe <-> BrF64NotGe;
            BrI32Eq, BrI32Ne, BrI64Eq, BrI64Ne))
    };
    value().or_else(branch)
}

/// The right-hand operand of an instruction with a [`swapped`] form.
fn rhs_of(i: &Instr) -> Option<Slot> {
    Code::acc_operands(&swapped(*i)?).0
}

/// Every instruction index something other than falling through can reach: branch targets
/// (`br_table` entries are `br`s, so theirs are included) and `try_table` catch targets.
pub(crate) fn jump_targets(func: &IrFunc) -> Vec<bool> {
    let n = func.instrs.len();
    let mut is_target = vec![false; n];
    let mut mark = |t: Target| {
        if let Some(x) = is_target.get_mut(t.index()) {
            *x = true;
        }
    };
    func.instrs
        .iter()
        .filter_map(Instr::target)
        .for_each(&mut mark);
    func.handlers
        .iter()
        .flat_map(|h| h.catches.iter())
        .for_each(|c| mark(c.target));
    is_target
}

/// Lowers `func`'s IR to the interpreter's code, one instruction for one: each instruction that
/// reads (as its first operand, or, if it has a `swapped` form, its second) the slot the previous one
/// wrote, and is not a jump target, reads it from the accumulator, and the previous one leaves
/// it there. See the module documentation for why this is sound.
pub(crate) fn lower(func: &IrFunc) -> Box<[Code]> {
    let is_target = jump_targets(func);
    let instrs = &func.instrs;
    let mut ir: Vec<Instr> = instrs.to_vec();
    let mut acc = vec![Acc::NONE; ir.len()];
    for i in 1..ir.len() {
        if is_target[i] {
            continue;
        }
        let (_, Some(produced)) = Code::acc_operands(&ir[i - 1]) else {
            continue;
        };
        let (Some(operand), _) = Code::acc_operands(&ir[i]) else {
            continue;
        };
        if Code::acc_is_float(&ir[i - 1]) != Code::acc_is_float(&ir[i]) {
            continue;
        }
        if operand != produced {
            match swapped(ir[i]) {
                Some(mirrored) if rhs_of(&ir[i]) == Some(produced) => ir[i] = mirrored,
                _ => continue,
            }
        }
        acc[i - 1].output = true;
        acc[i].input = true;
    }
    let mut code: Vec<Code> = ir
        .iter()
        .zip(&acc)
        .map(|(&i, &a)| Code::with_acc(i, a).unwrap_or_else(|| Code::from_ir(i)))
        .collect();
    // Every pairing above has its forms (the table gives each producer all three and each
    // consumer its `…C`), but the soundness of the handlers rests on the invariant, so it is
    // checked here on the result, not assumed: a consumer whose predecessor does not produce
    // (or which is a jump target) runs from its slot instead.
    for i in 0..code.len() {
        let (ir_i, a) = code[i].split();
        let fed = i > 0 && !is_target[i] && feeds(code[i - 1].split().1, a);
        if a.input && !fed {
            code[i] = Code::from_ir(ir_i);
        }
    }
    code.into_boxed_slice()
}

/// Whether an instruction using the accumulator as `prev` leaves in it what the next one,
/// using it as `next`, reads: a producer of the same kind (integer or float).
fn feeds(prev: Acc, next: Acc) -> bool {
    prev.output && prev.float == next.float
}

/// Whether `code` keeps the accumulator invariant (see the module documentation): every
/// consumer directly follows a producer and is not a jump target.
#[cfg(test)]
pub(crate) fn acc_invariant_holds(func: &IrFunc, code: &[Code]) -> bool {
    let is_target = jump_targets(func);
    code.iter().enumerate().all(|(i, c)| {
        let a = c.split().1;
        !a.input || (i > 0 && !is_target[i] && feeds(code[i - 1].split().1, a))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::format;
    use alloc::string::String;
    use strata_decoder::ValType;

    fn func(instrs: Vec<Instr>) -> IrFunc {
        IrFunc {
            func_index: 0,
            instrs: instrs.into_boxed_slice(),
            v128_consts: Box::new([]),
            param_slots: 1,
            result_slots: 1,
            local_slots: 8,
            frame_slots: 12,
            local_types: vec![ValType::I32; 8].into_boxed_slice(),
            handlers: Box::new([]),
        }
    }

    fn listing(code: &[Code]) -> String {
        code.iter()
            .enumerate()
            .map(|(i, c)| format!("{i:3}: {c:?}\n"))
            .collect()
    }

    /// intloop's loop body (see ARCHITECTURE.md, "interp"): the temporaries feeding the next
    /// instruction go through the accumulator.
    #[test]
    fn intloop_body() {
        let s = Slot;
        let f = func(vec![
            Instr::ConstI32 {
                dst: s(6),
                value: 0,
            },
            Instr::I32Xor {
                dst: s(8),
                lhs: s(6),
                rhs: s(2),
            },
            Instr::I32Add {
                dst: s(1),
                lhs: s(8),
                rhs: s(1),
            },
            Instr::I32ShrUImm {
                dst: s(8),
                lhs: s(1),
                imm: 3,
            },
            Instr::I32Xor {
                dst: s(8),
                lhs: s(8),
                rhs: s(3),
            },
            Instr::I32ShlImm {
                dst: s(9),
                lhs: s(4),
                imm: 2,
            },
            Instr::I32Add {
                dst: s(3),
                lhs: s(8),
                rhs: s(9),
            },
            Instr::I32Xor {
                dst: s(8),
                lhs: s(3),
                rhs: s(4),
            },
            Instr::I32RotlImm {
                dst: s(8),
                lhs: s(8),
                imm: 13,
            },
            Instr::I32Add {
                dst: s(4),
                lhs: s(8),
                rhs: s(1),
            },
            Instr::I32AddImm {
                dst: s(6),
                lhs: s(6),
                imm: 1,
            },
            Instr::BrI32Ne {
                lhs: s(6),
                rhs: s(0),
                target: Target(1),
            },
            Instr::Return {},
        ]);
        let code = lower(&f);
        assert!(acc_invariant_holds(&f, &code));
        let expected = "  0: ConstI32 { dst: Slot(6), value: 0 }
  1: I32XorP { dst: Slot(8), lhs: Slot(6), rhs: Slot(2) }
  2: I32AddCP { dst: Slot(1), lhs: Slot(8), rhs: Slot(1) }
  3: I32ShrUImmCP { dst: Slot(8), lhs: Slot(1), imm: 3 }
  4: I32XorC { dst: Slot(8), lhs: Slot(8), rhs: Slot(3) }
  5: I32ShlImmP { dst: Slot(9), lhs: Slot(4), imm: 2 }
  6: I32AddCP { dst: Slot(3), lhs: Slot(9), rhs: Slot(8) }
  7: I32XorCP { dst: Slot(8), lhs: Slot(3), rhs: Slot(4) }
  8: I32RotlImmCP { dst: Slot(8), lhs: Slot(8), imm: 13 }
  9: I32AddC { dst: Slot(4), lhs: Slot(8), rhs: Slot(1) }
 10: I32AddImmP { dst: Slot(6), lhs: Slot(6), imm: 1 }
 11: BrI32NeC { lhs: Slot(6), rhs: Slot(0), target: Target(1) }
 12: Return
";
        assert_eq!(listing(&code), expected);
    }

    /// A jump target is never a consumer, even when its predecessor produces its operand; nor is
    /// a catch target or the first instruction.
    #[test]
    fn targets_never_consume() {
        let s = Slot;
        let f = func(vec![
            Instr::I32AddImm {
                dst: s(1),
                lhs: s(1),
                imm: 1,
            },
            Instr::I32AddImm {
                dst: s(1),
                lhs: s(1),
                imm: 2,
            },
            Instr::BrIfNez {
                cond: s(1),
                target: Target(1),
            },
            Instr::Return {},
        ]);
        let code = lower(&f);
        assert!(acc_invariant_holds(&f, &code));
        assert!(!code[1].split().1.input);
        assert!(!code[0].split().1.output);
        assert!(code[2].split().1.input);
    }

    /// An `f64` result feeding the next `f64` operation goes through the float accumulator; an
    /// integer result is never read from it, nor a float one from the integer accumulator, even
    /// when the slot matches (a reinterpretation can hand one slot from one kind to the other).
    #[test]
    fn float_chains_use_the_float_accumulator() {
        let s = Slot;
        let f = func(vec![
            Instr::F64Mul {
                dst: s(8),
                lhs: s(1),
                rhs: s(1),
            },
            Instr::F64Add {
                dst: s(8),
                lhs: s(8),
                rhs: s(2),
            },
            Instr::BrF64Le {
                lhs: s(8),
                rhs: s(3),
                target: Target(0),
            },
            Instr::I64AddImm {
                dst: s(9),
                lhs: s(4),
                imm: 1,
            },
            Instr::F64Sub {
                dst: s(9),
                lhs: s(9),
                rhs: s(2),
            },
            Instr::I64Add {
                dst: s(9),
                lhs: s(9),
                rhs: s(4),
            },
            Instr::Return {},
        ]);
        let code = lower(&f);
        assert!(acc_invariant_holds(&f, &code));
        let expected = "  0: F64MulP { dst: Slot(8), lhs: Slot(1), rhs: Slot(1) }
  1: F64AddCP { dst: Slot(8), lhs: Slot(8), rhs: Slot(2) }
  2: BrF64LeC { lhs: Slot(8), rhs: Slot(3), target: Target(0) }
  3: I64AddImm { dst: Slot(9), lhs: Slot(4), imm: 1 }
  4: F64Sub { dst: Slot(9), lhs: Slot(9), rhs: Slot(2) }
  5: I64Add { dst: Slot(9), lhs: Slot(9), rhs: Slot(4) }
  6: Return
";
        assert_eq!(listing(&code), expected);
    }

    /// Random instruction sequences over a few slots, with random branch targets: the lowering
    /// always keeps the invariant the handlers' `assume_init` rests on.
    #[test]
    fn invariant_on_random_code() {
        use proptest::prelude::*;
        let op = (0u8..10, 0u16..4, 0u16..4, 0u16..4, 0u32..12).prop_map(|(k, a, b, c, t)| {
            let (a, b, c, t) = (Slot(a), Slot(b), Slot(c), Target(t));
            match k {
                0 => Instr::I32Add {
                    dst: a,
                    lhs: b,
                    rhs: c,
                },
                1 => Instr::I64Sub {
                    dst: a,
                    lhs: b,
                    rhs: c,
                },
                2 => Instr::I32XorImm {
                    dst: a,
                    lhs: b,
                    imm: 5,
                },
                3 => Instr::BrI64LtS {
                    lhs: a,
                    rhs: b,
                    target: t,
                },
                4 => Instr::BrIfEqz { cond: a, target: t },
                5 => Instr::F64Mul {
                    dst: a,
                    lhs: b,
                    rhs: c,
                },
                6 => Instr::BrF64NotLe {
                    lhs: a,
                    rhs: b,
                    target: t,
                },
                7 => Instr::F64Add {
                    dst: a,
                    lhs: b,
                    rhs: c,
                },
                8 => Instr::I32GeU {
                    dst: a,
                    lhs: b,
                    rhs: c,
                },
                _ => Instr::Copy { dst: a, src: b },
            }
        });
        proptest!(|(mut instrs in proptest::collection::vec(op, 1..12))| {
            instrs.push(Instr::Return {});
            let f = func(instrs);
            let code = lower(&f);
            prop_assert!(acc_invariant_holds(&f, &code));
            for (c, i) in code.iter().zip(f.instrs.iter()) {
                let (base, _) = c.split();
                // Same instruction, up to exchanging operands (`swapped`).
                prop_assert!(base == *i || Some(base) == swapped(*i));
            }
        });
    }
}
