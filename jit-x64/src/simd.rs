//! Native `v128` code: most SIMD instructions become a short SSE sequence instead of a call to
//! the slow-path helper.
//!
//! ## When
//!
//! The sequences use SSE4.1 and SSSE3 (`pshufb`, `pabs*`, `pmaddubsw`, `pmulhrsw`), plus SSE4.2
//! for `pcmpgtq` (the signed `i64x2` comparisons). [`Features::detect`] asks the CPU once per
//! module (`is_x86_feature_detected!`); without SSE4.1 and SSSE3 every SIMD instruction keeps
//! going through the helper, which runs the interpreter's lane code and is always correct.
//! `STRATA_X64_SIMD=off` in the environment (read once per process) forces that fallback, so the
//! spec suite can check both paths on one machine.
//!
//! ## How
//!
//! Every sequence reads its operands from the frame (`movdqu`: a `v128` takes two 8-byte slots,
//! so it is 8- but not necessarily 16-byte aligned) into `xmm0`-`xmm4`, and writes its result
//! back to the frame: nothing stays in a register between instructions. `rax` and `rcx`
//! are scratch as well. Constants (shuffle masks, lane masks, conversion biases) go in a pool
//! after the function's code, 16-byte aligned, so the legacy SSE encodings can take them as
//! memory operands (`[rip + disp]`).
//!
//! Loads and stores of memory 0 use the explicit bounds check of
//! [`FuncCompiler::address`]; other memories stay on the helper.
//!
//! ## Semantics that needed care
//!
//! - Integer shifts take the count modulo the lane width (`and ecx, bits - 1`). SSE has no byte
//!   shifts: `i8x16.shl`/`shr_u` shift 16-bit lanes and mask off the bits that crossed a byte;
//!   `i8x16.shr_s` widens each byte into the high half of a 16-bit lane (`punpck*bw x, x`) and
//!   shifts arithmetically by `8 + n`. `i64x2.shr_s` (no `psraq` before AVX-512) is
//!   `((x >>u n) ^ m) - m` with `m = 0x8000_0000_0000_0000 >>u n`.
//! - Unsigned comparisons: `a >=u b` iff `max_u(a, b) == a`; `a <=u b` iff `min_u(a, b) == a`.
//! - `f32x4`/`f64x2` `min`/`max`: `minps` returns its second operand when either is NaN or both
//!   are zeros, so both orders are computed and merged (`or` for `min` prefers `-0`, `and` for
//!   `max` prefers `+0`), then lanes where an operand is NaN (`cmpunordps` on the inputs) get
//!   the canonical NaN. `pmin`/`pmax` are exactly `minps`/`maxps` with the operands swapped.
//! - `trunc_sat`: `cvttps2dq` gives `0x8000_0000` for NaN and out-of-range lanes; NaN lanes are
//!   zeroed first and lanes `>= 2^31` flipped to `i32::MAX`. The unsigned forms clamp at 0 with
//!   `maxps` (NaN becomes 0) and handle `[2^31, 2^32)` by converting `x - 2^31`.
//! - `i16x8.q15mulr_sat_s` is `pmulhrsw`, except `-32768 * -32768`, which `pmulhrsw` wraps to
//!   `-32768`: that is the only way to get `0x8000`, so those lanes are flipped to `0x7fff`.
//! - `i8x16.swizzle`: `pshufb` uses the low four bits of an index and zeroes the lane when bit 7
//!   is set; adding `0x70` with unsigned saturation keeps the low bits of indices below 16 and
//!   sets bit 7 for every other index.
//! - Relaxed SIMD: strata's fixed choices (see `strata_interp::simd::relaxed`) are ordinary
//!   instructions (`swizzle`, `trunc_sat`, `bitselect`, `min`/`max`, unfused `a * b + c`), so
//!   they share those sequences; the relaxed dot products stay on the helper.
//!
//! Float results agree with the interpreter bit for bit except for NaN payloads where the spec
//! leaves a choice: `min`/`max` return the canonical NaN, the interpreter the quieted operand
//! (both are what the spec allows: canonical when all NaN operands are canonical).

use alloc::vec::Vec;

use dynasmrt::{dynasm, DynamicLabel, DynasmApi, DynasmLabelApi};
use strata_ir::{Instr, Slot};

use super::{d, FuncCompiler};

/// The CPU features the native sequences need, decided once per compiled module.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Features {
    /// SSE4.1 and SSSE3: the native sequences are used at all.
    pub(crate) native: bool,
    /// SSE4.2 (`pcmpgtq`): the signed `i64x2` comparisons are native too.
    pub(crate) sse42: bool,
}

impl Features {
    /// What this CPU has, unless `STRATA_X64_SIMD=off` (or a test override) forces the helper.
    pub(crate) fn detect() -> Self {
        #[cfg(test)]
        if let Some(native) = FORCE.with(core::cell::Cell::get) {
            return Self::cpu(native);
        }
        Self::cpu(!forced_off())
    }

    fn cpu(allowed: bool) -> Self {
        let native = allowed
            && std::is_x86_feature_detected!("sse4.1")
            && std::is_x86_feature_detected!("ssse3");
        Self {
            native,
            sse42: native && std::is_x86_feature_detected!("sse4.2"),
        }
    }
}

/// Whether `STRATA_X64_SIMD` is `off` (or `0`), read once per process.
fn forced_off() -> bool {
    static OFF: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *OFF.get_or_init(|| {
        std::env::var("STRATA_X64_SIMD").is_ok_and(|v| v.eq_ignore_ascii_case("off") || v == "0")
    })
}

#[cfg(test)]
std::thread_local! {
    /// Test override for [`Features::detect`] on this thread: `Some(false)` forces the helper,
    /// `Some(true)` uses the CPU's features even under `STRATA_X64_SIMD=off`.
    static FORCE: core::cell::Cell<Option<bool>> = const { core::cell::Cell::new(None) };
}

/// Runs `f` with [`Features::detect`] answering `native` (if the CPU allows) on this thread.
#[cfg(test)]
pub(crate) fn with_native<R>(native: bool, f: impl FnOnce() -> R) -> R {
    let old = FORCE.with(|c| c.replace(Some(native)));
    let r = f();
    FORCE.with(|c| c.set(old));
    r
}

/// Per-function state of the SIMD emitters.
pub(crate) struct SimdState {
    pub(crate) features: Features,
    /// The constant pool: values and their labels, emitted after the function.
    consts: Vec<(u128, DynamicLabel)>,
}

impl SimdState {
    pub(crate) fn new(features: Features) -> Self {
        Self {
            features,
            consts: Vec::new(),
        }
    }
}

/// `b` in every byte.
const fn splat8(b: u8) -> u128 {
    u128::from_le_bytes([b; 16])
}

/// `h` in every 16-bit lane.
const fn splat16(h: u16) -> u128 {
    (h as u128) * 0x0001_0001_0001_0001_0001_0001_0001_0001
}

/// `w` in every 32-bit lane.
const fn splat32(w: u32) -> u128 {
    (w as u128) * 0x0000_0001_0000_0001_0000_0001_0000_0001
}

/// `q` in both 64-bit lanes.
const fn splat64(q: u64) -> u128 {
    (q as u128) | ((q as u128) << 64)
}

/// Popcount of each nibble value, for `i8x16.popcnt`'s `pshufb` lookup.
const NIBBLE_POPCNT: u128 = u128::from_le_bytes([0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4]);

impl FuncCompiler<'_> {
    /// The label of `v` in the function's constant pool (16-byte aligned).
    fn konst(&mut self, v: u128) -> DynamicLabel {
        if let Some(&(_, l)) = self.simd_ctx.consts.iter().find(|(c, _)| *c == v) {
            return l;
        }
        let l = self.ops.new_dynamic_label();
        self.simd_ctx.consts.push((v, l));
        l
    }

    /// Emits the constant pool; called once after the function's code and stubs.
    pub(super) fn simd_consts(&mut self) {
        let consts = core::mem::take(&mut self.simd_ctx.consts);
        if consts.is_empty() {
            return;
        }
        x!(self.ops; .align 16);
        for (v, l) in consts {
            x!(self.ops
                ; =>l
                ; .u64 (v as u64)
                ; .u64 ((v >> 64) as u64)
            );
        }
    }

    /// Emits SIMD instruction `instr` natively. Returns `false`, having emitted nothing, when it
    /// has no native sequence here (or the CPU lacks the features): the caller then uses the
    /// slow-path helper.
    #[allow(clippy::too_many_lines, clippy::cognitive_complexity)]
    pub(super) fn simd(&mut self, instr: Instr) -> bool {
        use Instr as I;
        let f = self.simd_ctx.features;
        if !f.native {
            return false;
        }

        // xmm0 = lhs, xmm1 = rhs; `op xmm0, xmm1`; dst = xmm0.
        macro_rules! bin {
            ($op:ident, $dst:expr, $lhs:expr, $rhs:expr) => {
                x!(self.ops
                    ; movdqu xmm0, [rbx + d($lhs)]
                    ; movdqu xmm1, [rbx + d($rhs)]
                    ; $op xmm0, xmm1
                    ; movdqu [rbx + d($dst)], xmm0
                )
            };
        }
        // As `bin!` with an immediate (`cmpps`, `cmppd`).
        macro_rules! bin_imm {
            ($op:ident, $imm:expr, $dst:expr, $lhs:expr, $rhs:expr) => {
                x!(self.ops
                    ; movdqu xmm0, [rbx + d($lhs)]
                    ; movdqu xmm1, [rbx + d($rhs)]
                    ; $op xmm0, xmm1, $imm
                    ; movdqu [rbx + d($dst)], xmm0
                )
            };
        }
        // `bin!` and then invert every bit of the result.
        macro_rules! bin_not {
            ($op:ident, $dst:expr, $lhs:expr, $rhs:expr) => {
                x!(self.ops
                    ; movdqu xmm0, [rbx + d($lhs)]
                    ; movdqu xmm1, [rbx + d($rhs)]
                    ; $op xmm0, xmm1
                    ; pcmpeqd xmm1, xmm1
                    ; pxor xmm0, xmm1
                    ; movdqu [rbx + d($dst)], xmm0
                )
            };
        }
        // Unsigned comparison through min/max: lanes where `$mm(lhs, rhs) == lhs`, inverted
        // if `$not`.
        macro_rules! ucmp {
            ($mm:ident, $eq:ident, $not:expr, $dst:expr, $lhs:expr, $rhs:expr) => {{
                x!(self.ops
                    ; movdqu xmm0, [rbx + d($lhs)]
                    ; movdqu xmm1, [rbx + d($rhs)]
                    ; $mm xmm1, xmm0
                    ; $eq xmm0, xmm1
                );
                if $not {
                    x!(self.ops
                        ; pcmpeqd xmm1, xmm1
                        ; pxor xmm0, xmm1
                    );
                }
                x!(self.ops; movdqu [rbx + d($dst)], xmm0);
            }};
        }
        // xmm0 = src; `op xmm0, xmm0`; dst = xmm0.
        macro_rules! un {
            ($op:ident, $dst:expr, $src:expr) => {
                x!(self.ops
                    ; movdqu xmm0, [rbx + d($src)]
                    ; $op xmm0, xmm0
                    ; movdqu [rbx + d($dst)], xmm0
                )
            };
        }
        // Widening: optionally move the high 8 bytes down, then `pmovsx*`/`pmovzx*`.
        macro_rules! extend {
            ($op:ident, $high:expr, $dst:expr, $src:expr) => {{
                x!(self.ops; movdqu xmm0, [rbx + d($src)]);
                if $high {
                    x!(self.ops; pshufd xmm0, xmm0, 0xee_u8 as i8);
                }
                x!(self.ops
                    ; $op xmm0, xmm0
                    ; movdqu [rbx + d($dst)], xmm0
                );
            }};
        }
        // Extending multiply of the low or high halves: widen both, then `mul`.
        macro_rules! extmul {
            ($ext:ident, $mul:ident, $high:expr, $dst:expr, $lhs:expr, $rhs:expr) => {{
                x!(self.ops
                    ; movdqu xmm0, [rbx + d($lhs)]
                    ; movdqu xmm1, [rbx + d($rhs)]
                );
                if $high {
                    x!(self.ops
                        ; pshufd xmm0, xmm0, 0xee_u8 as i8
                        ; pshufd xmm1, xmm1, 0xee_u8 as i8
                    );
                }
                x!(self.ops
                    ; $ext xmm0, xmm0
                    ; $ext xmm1, xmm1
                    ; $mul xmm0, xmm1
                    ; movdqu [rbx + d($dst)], xmm0
                );
            }};
        }
        // `i64x2.extmul_*_i32x4_*`: spread the two 32-bit lanes to the even lanes, `pmul(u)dq`.
        macro_rules! extmul64 {
            ($mul:ident, $high:expr, $dst:expr, $lhs:expr, $rhs:expr) => {{
                let order: i8 = if $high { 0xfa_u8 as i8 } else { 0x50 };
                x!(self.ops
                    ; movdqu xmm0, [rbx + d($lhs)]
                    ; movdqu xmm1, [rbx + d($rhs)]
                    ; pshufd xmm0, xmm0, order
                    ; pshufd xmm1, xmm1, order
                    ; $mul xmm0, xmm1
                    ; movdqu [rbx + d($dst)], xmm0
                );
            }};
        }
        // Shift of 16/32/64-bit lanes by `rhs mod bits`.
        macro_rules! shift {
            ($op:ident, $bits:expr, $dst:expr, $lhs:expr, $rhs:expr) => {
                x!(self.ops
                    ; mov ecx, [rbx + d($rhs)]
                    ; and ecx, $bits - 1
                    ; movd xmm1, ecx
                    ; movdqu xmm0, [rbx + d($lhs)]
                    ; $op xmm0, xmm1
                    ; movdqu [rbx + d($dst)], xmm0
                )
            };
        }
        // `any_true`-style tests: `setcc al` after the sequence, zero-extended into dst.
        macro_rules! test {
            ($dst:expr, $set:ident; $($seq:tt)*) => {
                x!(self.ops
                    ; xor eax, eax
                    ; $($seq)*
                    ; $set al
                    ; mov [rbx + d($dst)], rax
                )
            };
        }
        // All lanes non-zero: compare with zero, then no lane may have matched.
        macro_rules! all_true {
            ($eq:ident, $dst:expr, $src:expr) => {
                test!($dst, setz;
                    movdqu xmm0, [rbx + d($src)]
                    ; pxor xmm1, xmm1
                    ; $eq xmm1, xmm0
                    ; ptest xmm1, xmm1
                )
            };
        }
        // A memory-0 access of `$size` bytes: `$a` is the displacement from `r14 + rax`.
        // Other memories stay on the helper.
        macro_rules! mem {
            ($memory:expr, $ptr:expr, $offset:expr, $size:expr, |$a:ident| $($body:tt)*) => {{
                if $memory != 0 {
                    return false;
                }
                let $a = self.address($ptr, $offset, $size);
                x!(self.ops; $($body)*);
            }};
        }
        macro_rules! load {
            ($memory:expr, $dst:expr, $ptr:expr, $offset:expr, $size:expr, |$a:ident| $($body:tt)*) => {
                mem!($memory, $ptr, $offset, $size, |$a| $($body)* ; movdqu [rbx + d($dst)], xmm0)
            };
        }

        match instr {
            // ---- memory ----
            I::V128Load {
                dst,
                ptr,
                memory,
                offset,
            } => load!(memory, dst, ptr, offset, 16, |a| movdqu xmm0, [r14 + rax + a]),
            I::V128Load8x8S {
                dst,
                ptr,
                memory,
                offset,
            } => load!(memory, dst, ptr, offset, 8, |a|
                movq xmm0, QWORD [r14 + rax + a] ; pmovsxbw xmm0, xmm0),
            I::V128Load8x8U {
                dst,
                ptr,
                memory,
                offset,
            } => load!(memory, dst, ptr, offset, 8, |a|
                movq xmm0, QWORD [r14 + rax + a] ; pmovzxbw xmm0, xmm0),
            I::V128Load16x4S {
                dst,
                ptr,
                memory,
                offset,
            } => load!(memory, dst, ptr, offset, 8, |a|
                movq xmm0, QWORD [r14 + rax + a] ; pmovsxwd xmm0, xmm0),
            I::V128Load16x4U {
                dst,
                ptr,
                memory,
                offset,
            } => load!(memory, dst, ptr, offset, 8, |a|
                movq xmm0, QWORD [r14 + rax + a] ; pmovzxwd xmm0, xmm0),
            I::V128Load32x2S {
                dst,
                ptr,
                memory,
                offset,
            } => load!(memory, dst, ptr, offset, 8, |a|
                movq xmm0, QWORD [r14 + rax + a] ; pmovsxdq xmm0, xmm0),
            I::V128Load32x2U {
                dst,
                ptr,
                memory,
                offset,
            } => load!(memory, dst, ptr, offset, 8, |a|
                movq xmm0, QWORD [r14 + rax + a] ; pmovzxdq xmm0, xmm0),
            I::V128Load8Splat {
                dst,
                ptr,
                memory,
                offset,
            } => load!(memory, dst, ptr, offset, 1, |a|
                movzx ecx, BYTE [r14 + rax + a]
                ; movd xmm0, ecx
                ; pxor xmm1, xmm1
                ; pshufb xmm0, xmm1),
            I::V128Load16Splat {
                dst,
                ptr,
                memory,
                offset,
            } => load!(memory, dst, ptr, offset, 2, |a|
                movzx ecx, WORD [r14 + rax + a]
                ; movd xmm0, ecx
                ; pshuflw xmm0, xmm0, 0
                ; pshufd xmm0, xmm0, 0),
            I::V128Load32Splat {
                dst,
                ptr,
                memory,
                offset,
            } => load!(memory, dst, ptr, offset, 4, |a|
                movd xmm0, DWORD [r14 + rax + a] ; pshufd xmm0, xmm0, 0),
            I::V128Load64Splat {
                dst,
                ptr,
                memory,
                offset,
            } => load!(memory, dst, ptr, offset, 8, |a|
                movq xmm0, QWORD [r14 + rax + a] ; pshufd xmm0, xmm0, 0x44),
            I::V128Load32Zero {
                dst,
                ptr,
                memory,
                offset,
            } => load!(memory, dst, ptr, offset, 4, |a| movd xmm0, DWORD [r14 + rax + a]),
            I::V128Load64Zero {
                dst,
                ptr,
                memory,
                offset,
            } => load!(memory, dst, ptr, offset, 8, |a| movq xmm0, QWORD [r14 + rax + a]),
            I::V128Store {
                ptr,
                value,
                memory,
                offset,
            } => mem!(memory, ptr, offset, 16, |a|
                movdqu xmm0, [rbx + d(value)] ; movdqu [r14 + rax + a], xmm0),
            I::V128Load8Lane {
                dst,
                ptr,
                src,
                memory,
                lane,
                offset,
            } => load!(memory, dst, ptr, offset, 1, |a|
                movdqu xmm0, [rbx + d(src)]
                ; movzx ecx, BYTE [r14 + rax + a]
                ; pinsrb xmm0, ecx, (lane & 15) as i8),
            I::V128Load16Lane {
                dst,
                ptr,
                src,
                memory,
                lane,
                offset,
            } => load!(memory, dst, ptr, offset, 2, |a|
                movdqu xmm0, [rbx + d(src)]
                ; movzx ecx, WORD [r14 + rax + a]
                ; pinsrw xmm0, ecx, (lane & 7) as i8),
            I::V128Load32Lane {
                dst,
                ptr,
                src,
                memory,
                lane,
                offset,
            } => load!(memory, dst, ptr, offset, 4, |a|
                movdqu xmm0, [rbx + d(src)]
                ; mov ecx, [r14 + rax + a]
                ; pinsrd xmm0, ecx, (lane & 3) as i8),
            I::V128Load64Lane {
                dst,
                ptr,
                src,
                memory,
                lane,
                offset,
            } => load!(memory, dst, ptr, offset, 8, |a|
                movdqu xmm0, [rbx + d(src)]
                ; mov rcx, [r14 + rax + a]
                ; pinsrq xmm0, rcx, (lane & 1) as i8),
            I::V128Store8Lane {
                ptr,
                value,
                memory,
                lane,
                offset,
            } => {
                let l = d(value) + i32::from(lane & 15);
                mem!(memory, ptr, offset, 1, |a|
                    movzx ecx, BYTE [rbx + l] ; mov [r14 + rax + a], cl)
            }
            I::V128Store16Lane {
                ptr,
                value,
                memory,
                lane,
                offset,
            } => {
                let l = d(value) + 2 * i32::from(lane & 7);
                mem!(memory, ptr, offset, 2, |a|
                    movzx ecx, WORD [rbx + l] ; mov [r14 + rax + a], cx)
            }
            I::V128Store32Lane {
                ptr,
                value,
                memory,
                lane,
                offset,
            } => {
                let l = d(value) + 4 * i32::from(lane & 3);
                mem!(memory, ptr, offset, 4, |a|
                    mov ecx, [rbx + l] ; mov [r14 + rax + a], ecx)
            }
            I::V128Store64Lane {
                ptr,
                value,
                memory,
                lane,
                offset,
            } => {
                let l = d(value) + 8 * i32::from(lane & 1);
                mem!(memory, ptr, offset, 8, |a|
                    mov rcx, [rbx + l] ; mov [r14 + rax + a], rcx)
            }

            // ---- values ----
            I::ConstV128 { dst, index } => {
                match self.func.v128_consts[index as usize] {
                    0 => x!(self.ops; pxor xmm0, xmm0),
                    u128::MAX => x!(self.ops; pcmpeqd xmm0, xmm0),
                    v => {
                        let k = self.konst(v);
                        x!(self.ops; movdqa xmm0, [=>k]);
                    }
                }
                x!(self.ops; movdqu [rbx + d(dst)], xmm0);
            }

            // ---- lanes ----
            I::I8x16Splat { dst, src } => x!(self.ops
                ; movd xmm0, DWORD [rbx + d(src)]
                ; pxor xmm1, xmm1
                ; pshufb xmm0, xmm1
                ; movdqu [rbx + d(dst)], xmm0
            ),
            I::I16x8Splat { dst, src } => x!(self.ops
                ; movd xmm0, DWORD [rbx + d(src)]
                ; pshuflw xmm0, xmm0, 0
                ; pshufd xmm0, xmm0, 0
                ; movdqu [rbx + d(dst)], xmm0
            ),
            I::I32x4Splat { dst, src } | I::F32x4Splat { dst, src } => x!(self.ops
                ; movd xmm0, DWORD [rbx + d(src)]
                ; pshufd xmm0, xmm0, 0
                ; movdqu [rbx + d(dst)], xmm0
            ),
            I::I64x2Splat { dst, src } | I::F64x2Splat { dst, src } => x!(self.ops
                ; movq xmm0, QWORD [rbx + d(src)]
                ; pshufd xmm0, xmm0, 0x44
                ; movdqu [rbx + d(dst)], xmm0
            ),
            // Extracting is a narrow load from the frame.
            I::I8x16ExtractLaneS { dst, src, lane } => x!(self.ops
                ; movsx eax, BYTE [rbx + d(src) + i32::from(lane & 15)]
                ; mov [rbx + d(dst)], rax
            ),
            I::I8x16ExtractLaneU { dst, src, lane } => x!(self.ops
                ; movzx eax, BYTE [rbx + d(src) + i32::from(lane & 15)]
                ; mov [rbx + d(dst)], rax
            ),
            I::I16x8ExtractLaneS { dst, src, lane } => x!(self.ops
                ; movsx eax, WORD [rbx + d(src) + 2 * i32::from(lane & 7)]
                ; mov [rbx + d(dst)], rax
            ),
            I::I16x8ExtractLaneU { dst, src, lane } => x!(self.ops
                ; movzx eax, WORD [rbx + d(src) + 2 * i32::from(lane & 7)]
                ; mov [rbx + d(dst)], rax
            ),
            I::I32x4ExtractLane { dst, src, lane } | I::F32x4ExtractLane { dst, src, lane } => {
                x!(self.ops
                    ; mov eax, [rbx + d(src) + 4 * i32::from(lane & 3)]
                    ; mov [rbx + d(dst)], rax
                );
            }
            I::I64x2ExtractLane { dst, src, lane } | I::F64x2ExtractLane { dst, src, lane } => {
                x!(self.ops
                    ; mov rax, [rbx + d(src) + 8 * i32::from(lane & 1)]
                    ; mov [rbx + d(dst)], rax
                );
            }
            // Replacing: the value is read first (it may live in a slot of `dst`).
            I::I8x16ReplaceLane {
                dst,
                src,
                value,
                lane,
            } => x!(self.ops
                ; mov eax, [rbx + d(value)]
                ; movdqu xmm0, [rbx + d(src)]
                ; pinsrb xmm0, eax, (lane & 15) as i8
                ; movdqu [rbx + d(dst)], xmm0
            ),
            I::I16x8ReplaceLane {
                dst,
                src,
                value,
                lane,
            } => x!(self.ops
                ; mov eax, [rbx + d(value)]
                ; movdqu xmm0, [rbx + d(src)]
                ; pinsrw xmm0, eax, (lane & 7) as i8
                ; movdqu [rbx + d(dst)], xmm0
            ),
            I::I32x4ReplaceLane {
                dst,
                src,
                value,
                lane,
            }
            | I::F32x4ReplaceLane {
                dst,
                src,
                value,
                lane,
            } => x!(self.ops
                ; mov eax, [rbx + d(value)]
                ; movdqu xmm0, [rbx + d(src)]
                ; pinsrd xmm0, eax, (lane & 3) as i8
                ; movdqu [rbx + d(dst)], xmm0
            ),
            I::I64x2ReplaceLane {
                dst,
                src,
                value,
                lane,
            }
            | I::F64x2ReplaceLane {
                dst,
                src,
                value,
                lane,
            } => x!(self.ops
                ; mov rax, [rbx + d(value)]
                ; movdqu xmm0, [rbx + d(src)]
                ; pinsrq xmm0, rax, (lane & 1) as i8
                ; movdqu [rbx + d(dst)], xmm0
            ),
            I::I8x16Shuffle {
                dst,
                lhs,
                rhs,
                mask,
            } => self.shuffle(dst, lhs, rhs, mask),
            I::I8x16Swizzle { dst, lhs, rhs } | I::I8x16RelaxedSwizzle { dst, lhs, rhs } => {
                let bias = self.konst(splat8(0x70));
                x!(self.ops
                    ; movdqu xmm0, [rbx + d(lhs)]
                    ; movdqu xmm1, [rbx + d(rhs)]
                    ; paddusb xmm1, [=>bias]
                    ; pshufb xmm0, xmm1
                    ; movdqu [rbx + d(dst)], xmm0
                );
            }

            // ---- bitwise ----
            I::V128Not { dst, src } => x!(self.ops
                ; movdqu xmm0, [rbx + d(src)]
                ; pcmpeqd xmm1, xmm1
                ; pxor xmm0, xmm1
                ; movdqu [rbx + d(dst)], xmm0
            ),
            I::V128And { dst, lhs, rhs } => bin!(pand, dst, lhs, rhs),
            I::V128Or { dst, lhs, rhs } => bin!(por, dst, lhs, rhs),
            I::V128Xor { dst, lhs, rhs } => bin!(pxor, dst, lhs, rhs),
            // `pandn x, y` is `!x & y`.
            I::V128AndNot { dst, lhs, rhs } => bin!(pandn, dst, rhs, lhs),
            I::V128Bitselect { dst, a, b, c }
            | I::I8x16RelaxedLaneselect { dst, a, b, c }
            | I::I16x8RelaxedLaneselect { dst, a, b, c }
            | I::I32x4RelaxedLaneselect { dst, a, b, c }
            | I::I64x2RelaxedLaneselect { dst, a, b, c } => x!(self.ops
                ; movdqu xmm0, [rbx + d(a)]
                ; movdqu xmm1, [rbx + d(b)]
                ; movdqu xmm2, [rbx + d(c)]
                ; pand xmm0, xmm2
                ; pandn xmm2, xmm1
                ; por xmm0, xmm2
                ; movdqu [rbx + d(dst)], xmm0
            ),
            I::V128AnyTrue { dst, src } => test!(dst, setnz;
                movdqu xmm0, [rbx + d(src)] ; ptest xmm0, xmm0),
            I::I8x16AllTrue { dst, src } => all_true!(pcmpeqb, dst, src),
            I::I16x8AllTrue { dst, src } => all_true!(pcmpeqw, dst, src),
            I::I32x4AllTrue { dst, src } => all_true!(pcmpeqd, dst, src),
            I::I64x2AllTrue { dst, src } => all_true!(pcmpeqq, dst, src),
            I::I8x16Bitmask { dst, src } => x!(self.ops
                ; movdqu xmm0, [rbx + d(src)]
                ; pmovmskb eax, xmm0
                ; mov [rbx + d(dst)], rax
            ),
            // Signed saturation keeps each lane's sign in a byte.
            I::I16x8Bitmask { dst, src } => x!(self.ops
                ; movdqu xmm0, [rbx + d(src)]
                ; packsswb xmm0, xmm0
                ; pmovmskb eax, xmm0
                ; movzx eax, al
                ; mov [rbx + d(dst)], rax
            ),
            I::I32x4Bitmask { dst, src } => x!(self.ops
                ; movdqu xmm0, [rbx + d(src)]
                ; movmskps eax, xmm0
                ; mov [rbx + d(dst)], rax
            ),
            I::I64x2Bitmask { dst, src } => x!(self.ops
                ; movdqu xmm0, [rbx + d(src)]
                ; movmskpd eax, xmm0
                ; mov [rbx + d(dst)], rax
            ),

            // ---- integer comparisons ----
            I::I8x16Eq { dst, lhs, rhs } => bin!(pcmpeqb, dst, lhs, rhs),
            I::I8x16Ne { dst, lhs, rhs } => bin_not!(pcmpeqb, dst, lhs, rhs),
            I::I8x16GtS { dst, lhs, rhs } => bin!(pcmpgtb, dst, lhs, rhs),
            I::I8x16LtS { dst, lhs, rhs } => bin!(pcmpgtb, dst, rhs, lhs),
            I::I8x16LeS { dst, lhs, rhs } => bin_not!(pcmpgtb, dst, lhs, rhs),
            I::I8x16GeS { dst, lhs, rhs } => bin_not!(pcmpgtb, dst, rhs, lhs),
            I::I8x16GeU { dst, lhs, rhs } => ucmp!(pmaxub, pcmpeqb, false, dst, lhs, rhs),
            I::I8x16LeU { dst, lhs, rhs } => ucmp!(pminub, pcmpeqb, false, dst, lhs, rhs),
            I::I8x16LtU { dst, lhs, rhs } => ucmp!(pmaxub, pcmpeqb, true, dst, lhs, rhs),
            I::I8x16GtU { dst, lhs, rhs } => ucmp!(pminub, pcmpeqb, true, dst, lhs, rhs),
            I::I16x8Eq { dst, lhs, rhs } => bin!(pcmpeqw, dst, lhs, rhs),
            I::I16x8Ne { dst, lhs, rhs } => bin_not!(pcmpeqw, dst, lhs, rhs),
            I::I16x8GtS { dst, lhs, rhs } => bin!(pcmpgtw, dst, lhs, rhs),
            I::I16x8LtS { dst, lhs, rhs } => bin!(pcmpgtw, dst, rhs, lhs),
            I::I16x8LeS { dst, lhs, rhs } => bin_not!(pcmpgtw, dst, lhs, rhs),
            I::I16x8GeS { dst, lhs, rhs } => bin_not!(pcmpgtw, dst, rhs, lhs),
            I::I16x8GeU { dst, lhs, rhs } => ucmp!(pmaxuw, pcmpeqw, false, dst, lhs, rhs),
            I::I16x8LeU { dst, lhs, rhs } => ucmp!(pminuw, pcmpeqw, false, dst, lhs, rhs),
            I::I16x8LtU { dst, lhs, rhs } => ucmp!(pmaxuw, pcmpeqw, true, dst, lhs, rhs),
            I::I16x8GtU { dst, lhs, rhs } => ucmp!(pminuw, pcmpeqw, true, dst, lhs, rhs),
            I::I32x4Eq { dst, lhs, rhs } => bin!(pcmpeqd, dst, lhs, rhs),
            I::I32x4Ne { dst, lhs, rhs } => bin_not!(pcmpeqd, dst, lhs, rhs),
            I::I32x4GtS { dst, lhs, rhs } => bin!(pcmpgtd, dst, lhs, rhs),
            I::I32x4LtS { dst, lhs, rhs } => bin!(pcmpgtd, dst, rhs, lhs),
            I::I32x4LeS { dst, lhs, rhs } => bin_not!(pcmpgtd, dst, lhs, rhs),
            I::I32x4GeS { dst, lhs, rhs } => bin_not!(pcmpgtd, dst, rhs, lhs),
            I::I32x4GeU { dst, lhs, rhs } => ucmp!(pmaxud, pcmpeqd, false, dst, lhs, rhs),
            I::I32x4LeU { dst, lhs, rhs } => ucmp!(pminud, pcmpeqd, false, dst, lhs, rhs),
            I::I32x4LtU { dst, lhs, rhs } => ucmp!(pmaxud, pcmpeqd, true, dst, lhs, rhs),
            I::I32x4GtU { dst, lhs, rhs } => ucmp!(pminud, pcmpeqd, true, dst, lhs, rhs),
            I::I64x2Eq { dst, lhs, rhs } => bin!(pcmpeqq, dst, lhs, rhs),
            I::I64x2Ne { dst, lhs, rhs } => bin_not!(pcmpeqq, dst, lhs, rhs),
            I::I64x2GtS { dst, lhs, rhs } if f.sse42 => bin!(pcmpgtq, dst, lhs, rhs),
            I::I64x2LtS { dst, lhs, rhs } if f.sse42 => bin!(pcmpgtq, dst, rhs, lhs),
            I::I64x2LeS { dst, lhs, rhs } if f.sse42 => bin_not!(pcmpgtq, dst, lhs, rhs),
            I::I64x2GeS { dst, lhs, rhs } if f.sse42 => bin_not!(pcmpgtq, dst, rhs, lhs),

            // ---- float comparisons (`cmpps` predicates: 0 eq, 1 lt, 2 le, 4 neq) ----
            I::F32x4Eq { dst, lhs, rhs } => bin_imm!(cmpps, 0, dst, lhs, rhs),
            I::F32x4Ne { dst, lhs, rhs } => bin_imm!(cmpps, 4, dst, lhs, rhs),
            I::F32x4Lt { dst, lhs, rhs } => bin_imm!(cmpps, 1, dst, lhs, rhs),
            I::F32x4Le { dst, lhs, rhs } => bin_imm!(cmpps, 2, dst, lhs, rhs),
            I::F32x4Gt { dst, lhs, rhs } => bin_imm!(cmpps, 1, dst, rhs, lhs),
            I::F32x4Ge { dst, lhs, rhs } => bin_imm!(cmpps, 2, dst, rhs, lhs),
            I::F64x2Eq { dst, lhs, rhs } => bin_imm!(cmppd, 0, dst, lhs, rhs),
            I::F64x2Ne { dst, lhs, rhs } => bin_imm!(cmppd, 4, dst, lhs, rhs),
            I::F64x2Lt { dst, lhs, rhs } => bin_imm!(cmppd, 1, dst, lhs, rhs),
            I::F64x2Le { dst, lhs, rhs } => bin_imm!(cmppd, 2, dst, lhs, rhs),
            I::F64x2Gt { dst, lhs, rhs } => bin_imm!(cmppd, 1, dst, rhs, lhs),
            I::F64x2Ge { dst, lhs, rhs } => bin_imm!(cmppd, 2, dst, rhs, lhs),

            // ---- integer arithmetic ----
            I::I8x16Add { dst, lhs, rhs } => bin!(paddb, dst, lhs, rhs),
            I::I8x16AddSatS { dst, lhs, rhs } => bin!(paddsb, dst, lhs, rhs),
            I::I8x16AddSatU { dst, lhs, rhs } => bin!(paddusb, dst, lhs, rhs),
            I::I8x16Sub { dst, lhs, rhs } => bin!(psubb, dst, lhs, rhs),
            I::I8x16SubSatS { dst, lhs, rhs } => bin!(psubsb, dst, lhs, rhs),
            I::I8x16SubSatU { dst, lhs, rhs } => bin!(psubusb, dst, lhs, rhs),
            I::I8x16MinS { dst, lhs, rhs } => bin!(pminsb, dst, lhs, rhs),
            I::I8x16MinU { dst, lhs, rhs } => bin!(pminub, dst, lhs, rhs),
            I::I8x16MaxS { dst, lhs, rhs } => bin!(pmaxsb, dst, lhs, rhs),
            I::I8x16MaxU { dst, lhs, rhs } => bin!(pmaxub, dst, lhs, rhs),
            I::I8x16AvgrU { dst, lhs, rhs } => bin!(pavgb, dst, lhs, rhs),
            I::I8x16Abs { dst, src } => un!(pabsb, dst, src),
            I::I8x16Neg { dst, src } => self.neg(dst, src, 8),
            I::I8x16Popcnt { dst, src } => {
                let low = self.konst(splat8(0x0f));
                let table = self.konst(NIBBLE_POPCNT);
                x!(self.ops
                    ; movdqu xmm0, [rbx + d(src)]
                    ; movdqa xmm1, xmm0
                    ; psrlw xmm1, 4
                    ; pand xmm0, [=>low]
                    ; pand xmm1, [=>low]
                    ; movdqa xmm2, [=>table]
                    ; movdqa xmm3, xmm2
                    ; pshufb xmm2, xmm0
                    ; pshufb xmm3, xmm1
                    ; paddb xmm2, xmm3
                    ; movdqu [rbx + d(dst)], xmm2
                );
            }
            I::I8x16NarrowI16x8S { dst, lhs, rhs } => bin!(packsswb, dst, lhs, rhs),
            I::I8x16NarrowI16x8U { dst, lhs, rhs } => bin!(packuswb, dst, lhs, rhs),
            I::I16x8Add { dst, lhs, rhs } => bin!(paddw, dst, lhs, rhs),
            I::I16x8AddSatS { dst, lhs, rhs } => bin!(paddsw, dst, lhs, rhs),
            I::I16x8AddSatU { dst, lhs, rhs } => bin!(paddusw, dst, lhs, rhs),
            I::I16x8Sub { dst, lhs, rhs } => bin!(psubw, dst, lhs, rhs),
            I::I16x8SubSatS { dst, lhs, rhs } => bin!(psubsw, dst, lhs, rhs),
            I::I16x8SubSatU { dst, lhs, rhs } => bin!(psubusw, dst, lhs, rhs),
            I::I16x8Mul { dst, lhs, rhs } => bin!(pmullw, dst, lhs, rhs),
            I::I16x8MinS { dst, lhs, rhs } => bin!(pminsw, dst, lhs, rhs),
            I::I16x8MinU { dst, lhs, rhs } => bin!(pminuw, dst, lhs, rhs),
            I::I16x8MaxS { dst, lhs, rhs } => bin!(pmaxsw, dst, lhs, rhs),
            I::I16x8MaxU { dst, lhs, rhs } => bin!(pmaxuw, dst, lhs, rhs),
            I::I16x8AvgrU { dst, lhs, rhs } => bin!(pavgw, dst, lhs, rhs),
            I::I16x8Abs { dst, src } => un!(pabsw, dst, src),
            I::I16x8Neg { dst, src } => self.neg(dst, src, 16),
            I::I16x8Q15MulrSatS { dst, lhs, rhs } | I::I16x8RelaxedQ15mulrS { dst, lhs, rhs } => {
                let min = self.konst(splat16(0x8000));
                x!(self.ops
                    ; movdqu xmm0, [rbx + d(lhs)]
                    ; movdqu xmm1, [rbx + d(rhs)]
                    ; pmulhrsw xmm0, xmm1
                    ; movdqa xmm1, [=>min]
                    ; pcmpeqw xmm1, xmm0
                    ; pxor xmm0, xmm1
                    ; movdqu [rbx + d(dst)], xmm0
                );
            }
            I::I16x8NarrowI32x4S { dst, lhs, rhs } => bin!(packssdw, dst, lhs, rhs),
            I::I16x8NarrowI32x4U { dst, lhs, rhs } => bin!(packusdw, dst, lhs, rhs),
            I::I16x8ExtendLowI8x16S { dst, src } => extend!(pmovsxbw, false, dst, src),
            I::I16x8ExtendHighI8x16S { dst, src } => extend!(pmovsxbw, true, dst, src),
            I::I16x8ExtendLowI8x16U { dst, src } => extend!(pmovzxbw, false, dst, src),
            I::I16x8ExtendHighI8x16U { dst, src } => extend!(pmovzxbw, true, dst, src),
            I::I16x8ExtMulLowI8x16S { dst, lhs, rhs } => {
                extmul!(pmovsxbw, pmullw, false, dst, lhs, rhs)
            }
            I::I16x8ExtMulHighI8x16S { dst, lhs, rhs } => {
                extmul!(pmovsxbw, pmullw, true, dst, lhs, rhs)
            }
            I::I16x8ExtMulLowI8x16U { dst, lhs, rhs } => {
                extmul!(pmovzxbw, pmullw, false, dst, lhs, rhs)
            }
            I::I16x8ExtMulHighI8x16U { dst, lhs, rhs } => {
                extmul!(pmovzxbw, pmullw, true, dst, lhs, rhs)
            }
            // `pmaddubsw` multiplies unsigned bytes of its first operand by signed bytes of its
            // second and adds pairs: with ones on one side it is a pairwise widening add.
            I::I16x8ExtAddPairwiseI8x16S { dst, src } => {
                let ones = self.konst(splat8(1));
                x!(self.ops
                    ; movdqa xmm0, [=>ones]
                    ; movdqu xmm1, [rbx + d(src)]
                    ; pmaddubsw xmm0, xmm1
                    ; movdqu [rbx + d(dst)], xmm0
                );
            }
            I::I16x8ExtAddPairwiseI8x16U { dst, src } => {
                let ones = self.konst(splat8(1));
                x!(self.ops
                    ; movdqu xmm0, [rbx + d(src)]
                    ; pmaddubsw xmm0, [=>ones]
                    ; movdqu [rbx + d(dst)], xmm0
                );
            }
            I::I32x4ExtAddPairwiseI16x8S { dst, src } => {
                let ones = self.konst(splat16(1));
                x!(self.ops
                    ; movdqu xmm0, [rbx + d(src)]
                    ; pmaddwd xmm0, [=>ones]
                    ; movdqu [rbx + d(dst)], xmm0
                );
            }
            // Unsigned: bias each lane by -32768 (flip the top bit), add pairs signed, then add
            // the 65536 the two biases took away.
            I::I32x4ExtAddPairwiseI16x8U { dst, src } => {
                let top = self.konst(splat16(0x8000));
                let ones = self.konst(splat16(1));
                let bias = self.konst(splat32(0x1_0000));
                x!(self.ops
                    ; movdqu xmm0, [rbx + d(src)]
                    ; pxor xmm0, [=>top]
                    ; pmaddwd xmm0, [=>ones]
                    ; paddd xmm0, [=>bias]
                    ; movdqu [rbx + d(dst)], xmm0
                );
            }
            I::I32x4Add { dst, lhs, rhs } => bin!(paddd, dst, lhs, rhs),
            I::I32x4Sub { dst, lhs, rhs } => bin!(psubd, dst, lhs, rhs),
            I::I32x4Mul { dst, lhs, rhs } => bin!(pmulld, dst, lhs, rhs),
            I::I32x4MinS { dst, lhs, rhs } => bin!(pminsd, dst, lhs, rhs),
            I::I32x4MinU { dst, lhs, rhs } => bin!(pminud, dst, lhs, rhs),
            I::I32x4MaxS { dst, lhs, rhs } => bin!(pmaxsd, dst, lhs, rhs),
            I::I32x4MaxU { dst, lhs, rhs } => bin!(pmaxud, dst, lhs, rhs),
            I::I32x4DotI16x8S { dst, lhs, rhs } => bin!(pmaddwd, dst, lhs, rhs),
            I::I32x4Abs { dst, src } => un!(pabsd, dst, src),
            I::I32x4Neg { dst, src } => self.neg(dst, src, 32),
            I::I32x4ExtendLowI16x8S { dst, src } => extend!(pmovsxwd, false, dst, src),
            I::I32x4ExtendHighI16x8S { dst, src } => extend!(pmovsxwd, true, dst, src),
            I::I32x4ExtendLowI16x8U { dst, src } => extend!(pmovzxwd, false, dst, src),
            I::I32x4ExtendHighI16x8U { dst, src } => extend!(pmovzxwd, true, dst, src),
            I::I32x4ExtMulLowI16x8S { dst, lhs, rhs } => {
                extmul!(pmovsxwd, pmulld, false, dst, lhs, rhs)
            }
            I::I32x4ExtMulHighI16x8S { dst, lhs, rhs } => {
                extmul!(pmovsxwd, pmulld, true, dst, lhs, rhs)
            }
            I::I32x4ExtMulLowI16x8U { dst, lhs, rhs } => {
                extmul!(pmovzxwd, pmulld, false, dst, lhs, rhs)
            }
            I::I32x4ExtMulHighI16x8U { dst, lhs, rhs } => {
                extmul!(pmovzxwd, pmulld, true, dst, lhs, rhs)
            }
            I::I64x2Add { dst, lhs, rhs } => bin!(paddq, dst, lhs, rhs),
            I::I64x2Sub { dst, lhs, rhs } => bin!(psubq, dst, lhs, rhs),
            // lo(a)*lo(b) + ((hi(a)*lo(b) + lo(a)*hi(b)) << 32), each product 32x32->64.
            I::I64x2Mul { dst, lhs, rhs } => x!(self.ops
                ; movdqu xmm0, [rbx + d(lhs)]
                ; movdqu xmm1, [rbx + d(rhs)]
                ; movdqa xmm2, xmm0
                ; psrlq xmm2, 32
                ; pmuludq xmm2, xmm1
                ; movdqa xmm3, xmm1
                ; psrlq xmm3, 32
                ; pmuludq xmm3, xmm0
                ; paddq xmm2, xmm3
                ; psllq xmm2, 32
                ; pmuludq xmm0, xmm1
                ; paddq xmm0, xmm2
                ; movdqu [rbx + d(dst)], xmm0
            ),
            // The sign of each 64-bit lane, spread over it: (x ^ s) - s.
            I::I64x2Abs { dst, src } => x!(self.ops
                ; movdqu xmm0, [rbx + d(src)]
                ; pshufd xmm1, xmm0, 0xf5_u8 as i8
                ; psrad xmm1, 31
                ; pxor xmm0, xmm1
                ; psubq xmm0, xmm1
                ; movdqu [rbx + d(dst)], xmm0
            ),
            I::I64x2Neg { dst, src } => self.neg(dst, src, 64),
            I::I64x2ExtendLowI32x4S { dst, src } => extend!(pmovsxdq, false, dst, src),
            I::I64x2ExtendHighI32x4S { dst, src } => extend!(pmovsxdq, true, dst, src),
            I::I64x2ExtendLowI32x4U { dst, src } => extend!(pmovzxdq, false, dst, src),
            I::I64x2ExtendHighI32x4U { dst, src } => extend!(pmovzxdq, true, dst, src),
            I::I64x2ExtMulLowI32x4S { dst, lhs, rhs } => extmul64!(pmuldq, false, dst, lhs, rhs),
            I::I64x2ExtMulHighI32x4S { dst, lhs, rhs } => extmul64!(pmuldq, true, dst, lhs, rhs),
            I::I64x2ExtMulLowI32x4U { dst, lhs, rhs } => extmul64!(pmuludq, false, dst, lhs, rhs),
            I::I64x2ExtMulHighI32x4U { dst, lhs, rhs } => {
                extmul64!(pmuludq, true, dst, lhs, rhs)
            }

            // ---- shifts ----
            I::I8x16Shl { dst, lhs, rhs } => self.shift8(dst, lhs, rhs, Shift8::Shl),
            I::I8x16ShrS { dst, lhs, rhs } => self.shift8(dst, lhs, rhs, Shift8::ShrS),
            I::I8x16ShrU { dst, lhs, rhs } => self.shift8(dst, lhs, rhs, Shift8::ShrU),
            I::I16x8Shl { dst, lhs, rhs } => shift!(psllw, 16, dst, lhs, rhs),
            I::I16x8ShrS { dst, lhs, rhs } => shift!(psraw, 16, dst, lhs, rhs),
            I::I16x8ShrU { dst, lhs, rhs } => shift!(psrlw, 16, dst, lhs, rhs),
            I::I32x4Shl { dst, lhs, rhs } => shift!(pslld, 32, dst, lhs, rhs),
            I::I32x4ShrS { dst, lhs, rhs } => shift!(psrad, 32, dst, lhs, rhs),
            I::I32x4ShrU { dst, lhs, rhs } => shift!(psrld, 32, dst, lhs, rhs),
            I::I64x2Shl { dst, lhs, rhs } => shift!(psllq, 64, dst, lhs, rhs),
            I::I64x2ShrU { dst, lhs, rhs } => shift!(psrlq, 64, dst, lhs, rhs),
            I::I64x2ShrS { dst, lhs, rhs } => x!(self.ops
                ; mov ecx, [rbx + d(rhs)]
                ; and ecx, 63
                ; movd xmm1, ecx
                ; movdqu xmm0, [rbx + d(lhs)]
                ; psrlq xmm0, xmm1
                ; pcmpeqd xmm2, xmm2
                ; psllq xmm2, 63
                ; psrlq xmm2, xmm1
                ; pxor xmm0, xmm2
                ; psubq xmm0, xmm2
                ; movdqu [rbx + d(dst)], xmm0
            ),

            // ---- float arithmetic ----
            I::F32x4Add { dst, lhs, rhs } => bin!(addps, dst, lhs, rhs),
            I::F32x4Sub { dst, lhs, rhs } => bin!(subps, dst, lhs, rhs),
            I::F32x4Mul { dst, lhs, rhs } => bin!(mulps, dst, lhs, rhs),
            I::F32x4Div { dst, lhs, rhs } => bin!(divps, dst, lhs, rhs),
            I::F32x4Sqrt { dst, src } => un!(sqrtps, dst, src),
            I::F64x2Add { dst, lhs, rhs } => bin!(addpd, dst, lhs, rhs),
            I::F64x2Sub { dst, lhs, rhs } => bin!(subpd, dst, lhs, rhs),
            I::F64x2Mul { dst, lhs, rhs } => bin!(mulpd, dst, lhs, rhs),
            I::F64x2Div { dst, lhs, rhs } => bin!(divpd, dst, lhs, rhs),
            I::F64x2Sqrt { dst, src } => un!(sqrtpd, dst, src),
            // `minps x, y` is `x < y ? x : y`: pmin(a, b) = `b < a ? b : a` = `minps b, a`.
            I::F32x4PMin { dst, lhs, rhs } => bin!(minps, dst, rhs, lhs),
            I::F32x4PMax { dst, lhs, rhs } => bin!(maxps, dst, rhs, lhs),
            I::F64x2PMin { dst, lhs, rhs } => bin!(minpd, dst, rhs, lhs),
            I::F64x2PMax { dst, lhs, rhs } => bin!(maxpd, dst, rhs, lhs),
            I::F32x4Min { dst, lhs, rhs } | I::F32x4RelaxedMin { dst, lhs, rhs } => {
                self.fminmax(dst, lhs, rhs, false, false);
            }
            I::F32x4Max { dst, lhs, rhs } | I::F32x4RelaxedMax { dst, lhs, rhs } => {
                self.fminmax(dst, lhs, rhs, false, true);
            }
            I::F64x2Min { dst, lhs, rhs } | I::F64x2RelaxedMin { dst, lhs, rhs } => {
                self.fminmax(dst, lhs, rhs, true, false);
            }
            I::F64x2Max { dst, lhs, rhs } | I::F64x2RelaxedMax { dst, lhs, rhs } => {
                self.fminmax(dst, lhs, rhs, true, true);
            }
            I::F32x4Abs { dst, src } => x!(self.ops
                ; movdqu xmm0, [rbx + d(src)]
                ; pcmpeqd xmm1, xmm1
                ; psrld xmm1, 1
                ; pand xmm0, xmm1
                ; movdqu [rbx + d(dst)], xmm0
            ),
            I::F32x4Neg { dst, src } => x!(self.ops
                ; movdqu xmm0, [rbx + d(src)]
                ; pcmpeqd xmm1, xmm1
                ; pslld xmm1, 31
                ; pxor xmm0, xmm1
                ; movdqu [rbx + d(dst)], xmm0
            ),
            I::F64x2Abs { dst, src } => x!(self.ops
                ; movdqu xmm0, [rbx + d(src)]
                ; pcmpeqd xmm1, xmm1
                ; psrlq xmm1, 1
                ; pand xmm0, xmm1
                ; movdqu [rbx + d(dst)], xmm0
            ),
            I::F64x2Neg { dst, src } => x!(self.ops
                ; movdqu xmm0, [rbx + d(src)]
                ; pcmpeqd xmm1, xmm1
                ; psllq xmm1, 63
                ; pxor xmm0, xmm1
                ; movdqu [rbx + d(dst)], xmm0
            ),
            // `round*` modes: 0 nearest (ties to even), 1 floor, 2 ceil, 3 trunc; 8 suppresses
            // the inexact exception. A NaN comes out quiet, as the interpreter's.
            I::F32x4Nearest { dst, src } => self.round(dst, src, false, 8),
            I::F32x4Floor { dst, src } => self.round(dst, src, false, 9),
            I::F32x4Ceil { dst, src } => self.round(dst, src, false, 10),
            I::F32x4Trunc { dst, src } => self.round(dst, src, false, 11),
            I::F64x2Nearest { dst, src } => self.round(dst, src, true, 8),
            I::F64x2Floor { dst, src } => self.round(dst, src, true, 9),
            I::F64x2Ceil { dst, src } => self.round(dst, src, true, 10),
            I::F64x2Trunc { dst, src } => self.round(dst, src, true, 11),
            // Unfused, as the interpreter: a * b + c and -(a * b) + c.
            I::F32x4RelaxedMadd { dst, a, b, c } => x!(self.ops
                ; movdqu xmm0, [rbx + d(a)]
                ; movdqu xmm1, [rbx + d(b)]
                ; movdqu xmm2, [rbx + d(c)]
                ; mulps xmm0, xmm1
                ; addps xmm0, xmm2
                ; movdqu [rbx + d(dst)], xmm0
            ),
            I::F32x4RelaxedNmadd { dst, a, b, c } => x!(self.ops
                ; movdqu xmm0, [rbx + d(a)]
                ; movdqu xmm1, [rbx + d(b)]
                ; movdqu xmm2, [rbx + d(c)]
                ; mulps xmm0, xmm1
                ; pcmpeqd xmm1, xmm1
                ; pslld xmm1, 31
                ; pxor xmm0, xmm1
                ; addps xmm0, xmm2
                ; movdqu [rbx + d(dst)], xmm0
            ),
            I::F64x2RelaxedMadd { dst, a, b, c } => x!(self.ops
                ; movdqu xmm0, [rbx + d(a)]
                ; movdqu xmm1, [rbx + d(b)]
                ; movdqu xmm2, [rbx + d(c)]
                ; mulpd xmm0, xmm1
                ; addpd xmm0, xmm2
                ; movdqu [rbx + d(dst)], xmm0
            ),
            I::F64x2RelaxedNmadd { dst, a, b, c } => x!(self.ops
                ; movdqu xmm0, [rbx + d(a)]
                ; movdqu xmm1, [rbx + d(b)]
                ; movdqu xmm2, [rbx + d(c)]
                ; mulpd xmm0, xmm1
                ; pcmpeqd xmm1, xmm1
                ; psllq xmm1, 63
                ; pxor xmm0, xmm1
                ; addpd xmm0, xmm2
                ; movdqu [rbx + d(dst)], xmm0
            ),

            // ---- conversions ----
            I::F32x4ConvertI32x4S { dst, src } => un!(cvtdq2ps, dst, src),
            I::F64x2ConvertLowI32x4S { dst, src } => un!(cvtdq2pd, dst, src),
            I::F32x4DemoteF64x2Zero { dst, src } => un!(cvtpd2ps, dst, src),
            I::F64x2PromoteLowF32x4 { dst, src } => un!(cvtps2pd, dst, src),
            // hi16 * 65536 + lo16: both halves and the product are exact, the sum rounds once.
            I::F32x4ConvertI32x4U { dst, src } => {
                let k = self.konst(splat32(65536.0f32.to_bits()));
                x!(self.ops
                    ; movdqu xmm0, [rbx + d(src)]
                    ; movdqa xmm1, xmm0
                    ; pslld xmm1, 16
                    ; psrld xmm1, 16
                    ; psrld xmm0, 16
                    ; cvtdq2ps xmm0, xmm0
                    ; mulps xmm0, [=>k]
                    ; cvtdq2ps xmm1, xmm1
                    ; addps xmm0, xmm1
                    ; movdqu [rbx + d(dst)], xmm0
                );
            }
            // 2^52 + u as a double has u in its low mantissa bits: build it, subtract 2^52.
            I::F64x2ConvertLowI32x4U { dst, src } => {
                let high = self.konst(splat32(0x4330_0000));
                let two52 = self.konst(splat64(0x4330_0000_0000_0000));
                x!(self.ops
                    ; movdqu xmm0, [rbx + d(src)]
                    ; unpcklps xmm0, [=>high]
                    ; subpd xmm0, [=>two52]
                    ; movdqu [rbx + d(dst)], xmm0
                );
            }
            I::I32x4TruncSatF32x4S { dst, src } | I::I32x4RelaxedTruncF32x4S { dst, src } => {
                let two31 = self.konst(splat32(2_147_483_648.0f32.to_bits()));
                x!(self.ops
                    ; movdqu xmm0, [rbx + d(src)]
                    ; movdqa xmm1, xmm0
                    ; cmpps xmm1, xmm1, 0
                    ; pand xmm0, xmm1
                    ; movdqa xmm1, [=>two31]
                    ; cmpps xmm1, xmm0, 2
                    ; cvttps2dq xmm0, xmm0
                    ; pxor xmm0, xmm1
                    ; movdqu [rbx + d(dst)], xmm0
                );
            }
            I::I32x4TruncSatF32x4U { dst, src } | I::I32x4RelaxedTruncF32x4U { dst, src } => {
                let two31 = self.konst(splat32(2_147_483_648.0f32.to_bits()));
                let two32 = self.konst(splat32(4_294_967_296.0f32.to_bits()));
                x!(self.ops
                    ; movdqu xmm0, [rbx + d(src)]
                    ; xorps xmm1, xmm1
                    ; maxps xmm0, xmm1
                    ; movdqa xmm2, [=>two31]
                    ; movdqa xmm3, xmm0
                    ; subps xmm3, xmm2
                    ; cmpps xmm2, xmm0, 2
                    ; movdqa xmm4, [=>two32]
                    ; cmpps xmm4, xmm0, 2
                    ; cvttps2dq xmm0, xmm0
                    ; cvttps2dq xmm3, xmm3
                    ; pand xmm3, xmm2
                    ; por xmm0, xmm3
                    ; por xmm0, xmm4
                    ; movdqu [rbx + d(dst)], xmm0
                );
            }
            I::I32x4TruncSatF64x2SZero { dst, src }
            | I::I32x4RelaxedTruncF64x2SZero { dst, src } => {
                let max = self.konst(splat64(2_147_483_647.0f64.to_bits()));
                x!(self.ops
                    ; movdqu xmm0, [rbx + d(src)]
                    ; movdqa xmm1, xmm0
                    ; cmppd xmm1, xmm1, 0
                    ; pand xmm0, xmm1
                    ; minpd xmm0, [=>max]
                    ; cvttpd2dq xmm0, xmm0
                    ; movdqu [rbx + d(dst)], xmm0
                );
            }
            I::I32x4TruncSatF64x2UZero { dst, src }
            | I::I32x4RelaxedTruncF64x2UZero { dst, src } => {
                let max = self.konst(splat64(4_294_967_295.0f64.to_bits()));
                let two52 = self.konst(splat64(0x4330_0000_0000_0000));
                x!(self.ops
                    ; movdqu xmm0, [rbx + d(src)]
                    ; xorpd xmm1, xmm1
                    ; maxpd xmm0, xmm1
                    ; minpd xmm0, [=>max]
                    ; roundpd xmm0, xmm0, 11
                    ; addpd xmm0, [=>two52]
                    ; shufps xmm0, xmm1, 0x88_u8 as i8
                    ; movdqu [rbx + d(dst)], xmm0
                );
            }

            _ => return false,
        }
        true
    }

    /// `dst = 0 - src` in lanes of `bits`.
    fn neg(&mut self, dst: Slot, src: Slot, bits: u32) {
        x!(self.ops
            ; pxor xmm0, xmm0
            ; movdqu xmm1, [rbx + d(src)]
        );
        match bits {
            8 => x!(self.ops; psubb xmm0, xmm1),
            16 => x!(self.ops; psubw xmm0, xmm1),
            32 => x!(self.ops; psubd xmm0, xmm1),
            _ => x!(self.ops; psubq xmm0, xmm1),
        }
        x!(self.ops; movdqu [rbx + d(dst)], xmm0);
    }

    /// `round{ps,pd} dst, src, mode`.
    fn round(&mut self, dst: Slot, src: Slot, f64: bool, mode: i8) {
        x!(self.ops; movdqu xmm0, [rbx + d(src)]);
        if f64 {
            x!(self.ops; roundpd xmm0, xmm0, mode);
        } else {
            x!(self.ops; roundps xmm0, xmm0, mode);
        }
        x!(self.ops; movdqu [rbx + d(dst)], xmm0);
    }

    /// Wasm `min`/`max` (NaN if either lane is NaN; `-0 < +0`). `minps` alone returns its
    /// second operand for a NaN or two zeros, so both operand orders are merged (`or` keeps
    /// the `-0` of a min, `and` the `+0` of a max) and the lanes where an input is NaN are set
    /// to the canonical NaN (`0x7fc0_0000` / `0x7ff8_0000_0000_0000`).
    fn fminmax(&mut self, dst: Slot, lhs: Slot, rhs: Slot, f64: bool, max: bool) {
        x!(self.ops
            ; movdqu xmm0, [rbx + d(lhs)]
            ; movdqu xmm1, [rbx + d(rhs)]
            ; movdqa xmm2, xmm0
            ; movdqa xmm3, xmm1
        );
        match (f64, max) {
            (false, false) => x!(self.ops; minps xmm2, xmm1; minps xmm3, xmm0; orps xmm2, xmm3),
            (false, true) => x!(self.ops; maxps xmm2, xmm1; maxps xmm3, xmm0; andps xmm2, xmm3),
            (true, false) => x!(self.ops; minpd xmm2, xmm1; minpd xmm3, xmm0; orpd xmm2, xmm3),
            (true, true) => x!(self.ops; maxpd xmm2, xmm1; maxpd xmm3, xmm0; andpd xmm2, xmm3),
        }
        // xmm0 = the NaN lanes; xmm1 = the canonical NaN there (all ones >> (mantissa + 1)
        // << (mantissa - 1): exponent and quiet bit).
        if f64 {
            x!(self.ops
                ; cmppd xmm0, xmm1, 3
                ; movdqa xmm1, xmm0
                ; psrlq xmm1, 52
                ; psllq xmm1, 51
            );
        } else {
            x!(self.ops
                ; cmpps xmm0, xmm1, 3
                ; movdqa xmm1, xmm0
                ; psrld xmm1, 23
                ; pslld xmm1, 22
            );
        }
        x!(self.ops
            ; pandn xmm0, xmm2
            ; por xmm0, xmm1
            ; movdqu [rbx + d(dst)], xmm0
        );
    }

    /// `i8x16` shifts: SSE shifts 16-bit lanes at least, so the bits that crossed into the
    /// neighbouring byte are masked off (`shl`, `shr_u`), or each byte is widened into the high
    /// half of a 16-bit lane and shifted arithmetically by `8 + n` (`shr_s`).
    fn shift8(&mut self, dst: Slot, lhs: Slot, rhs: Slot, kind: Shift8) {
        x!(self.ops
            ; mov ecx, [rbx + d(rhs)]
            ; and ecx, 7
            ; movdqu xmm0, [rbx + d(lhs)]
        );
        match kind {
            Shift8::Shl | Shift8::ShrU => {
                x!(self.ops
                    ; movd xmm1, ecx
                    ; mov eax, 0xff
                );
                if kind == Shift8::Shl {
                    x!(self.ops
                        ; psllw xmm0, xmm1
                        ; shl eax, cl
                        ; movzx eax, al
                    );
                } else {
                    x!(self.ops
                        ; psrlw xmm0, xmm1
                        ; shr eax, cl
                    );
                }
                x!(self.ops
                    ; imul eax, eax, 0x0101_0101
                    ; movd xmm2, eax
                    ; pshufd xmm2, xmm2, 0
                    ; pand xmm0, xmm2
                );
            }
            Shift8::ShrS => {
                x!(self.ops
                    ; add ecx, 8
                    ; movd xmm2, ecx
                    ; movdqa xmm1, xmm0
                    ; punpcklbw xmm0, xmm0
                    ; punpckhbw xmm1, xmm1
                    ; psraw xmm0, xmm2
                    ; psraw xmm1, xmm2
                    ; packsswb xmm0, xmm1
                );
            }
        }
        x!(self.ops; movdqu [rbx + d(dst)], xmm0);
    }

    /// `i8x16.shuffle` with its constant lane indices: one `pshufb` per operand that supplies
    /// a lane (an index with bit 7 set zeroes the lane), `or`ed.
    fn shuffle(&mut self, dst: Slot, lhs: Slot, rhs: Slot, mask: u32) {
        let m = self.func.v128_consts[mask as usize].to_le_bytes();
        let mut from_a = [0x80u8; 16];
        let mut from_b = [0x80u8; 16];
        for (i, &j) in m.iter().enumerate() {
            let j = j & 31;
            if j < 16 {
                from_a[i] = j;
            } else {
                from_b[i] = j - 16;
            }
        }
        let uses_a = from_a.iter().any(|&j| j < 16);
        let uses_b = from_b.iter().any(|&j| j < 16);
        match (uses_a, uses_b) {
            (true, false) => {
                let ka = self.konst(u128::from_le_bytes(from_a));
                x!(self.ops
                    ; movdqu xmm0, [rbx + d(lhs)]
                    ; pshufb xmm0, [=>ka]
                );
            }
            (false, _) => {
                let kb = self.konst(u128::from_le_bytes(from_b));
                x!(self.ops
                    ; movdqu xmm0, [rbx + d(rhs)]
                    ; pshufb xmm0, [=>kb]
                );
            }
            (true, true) => {
                let ka = self.konst(u128::from_le_bytes(from_a));
                let kb = self.konst(u128::from_le_bytes(from_b));
                x!(self.ops
                    ; movdqu xmm0, [rbx + d(lhs)]
                    ; movdqu xmm1, [rbx + d(rhs)]
                    ; pshufb xmm0, [=>ka]
                    ; pshufb xmm1, [=>kb]
                    ; por xmm0, xmm1
                );
            }
        }
        x!(self.ops; movdqu [rbx + d(dst)], xmm0);
    }
}

/// The three `i8x16` shifts.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Shift8 {
    Shl,
    ShrS,
    ShrU,
}
