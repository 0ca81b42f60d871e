//! The IR instruction set, generated from the table in `instr_table.rs`.

use core::fmt;

/// A frame slot: an 8-byte cell of the function's frame. Parameters come first, then declared
/// locals, then temporaries. A `v128` value occupies two adjacent slots and is named by the
/// first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Slot(pub u16);

impl Slot {
    /// The slot's index in the frame.
    #[inline]
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

impl fmt::Display for Slot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "s{}", self.0)
    }
}

/// A branch target: the index of an instruction in the same function.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Target(pub u32);

impl Target {
    /// The instruction index.
    #[inline]
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "@{}", self.0)
    }
}

macro_rules! define_instrs {
    ($( $shape:ident $name:ident { $($field:ident : $ty:ty),* } $text:literal ;)*) => {
        /// One IR instruction. See `instr_table.rs` for the shapes and semantics.
        ///
        /// Conventions every backend follows:
        /// - an `i32` result is written zero-extended to the whole slot; `f32` is written as its
        ///   bits zero-extended; readers of 32-bit values read the low 32 bits. Backends must
        ///   keep this: `i64.extend_i32_u` translates to no instruction, so an `i64` operand may
        ///   be the slot an `i32` was written to;
        /// - references are `RawRef`s (0 = null, otherwise store address + 1) zero-extended;
        /// - `Call`/`CallIndirect`: the arguments sit in slots `base..`; the callee's frame
        ///   starts at the caller's `base`, so its parameters are its first slots; its results
        ///   come back in the same slots `base..`;
        /// - `ReturnCall`/`ReturnCallIndirect` (tail calls): the `params` argument slots at
        ///   `base..` move to slots `0..`, this function's frame ends, and the callee runs in its
        ///   place (its frame starts where this one did, so its results reach this function's
        ///   caller); they never fall through, and wasm→wasm tail calls take no extra depth;
        /// - `CallRef`/`ReturnCallRef`: like `Call`/`ReturnCall` with the callee the funcref in
        ///   slot `callee` (which may be inside the argument window: read it first); a null
        ///   reference traps with "null function reference". Validation guarantees its type;
        /// - `RefAsNonNull { src }` traps with "null reference" if `src` is null (the value stays);
        /// - `CheckAddr64 { addr, offset }` precedes every access to a 64-bit memory: it traps
        ///   with "out of bounds memory access" unless the 64-bit address in `addr` is below
        ///   2^32 and `offset` (the high 32 bits of the access's offset) is 0; the access itself
        ///   then reads `addr` as 32 bits, as for a 32-bit memory (memories are at most 4 GiB);
        /// - `CheckIndex64 { index }` precedes `call_indirect`/`return_call_indirect` through a
        ///   64-bit table: it traps with "undefined element" unless `index` is below 2^32
        ///   (tables hold at most `u32::MAX` elements), so the call reads it as 32 bits; the
        ///   other table instructions read their operands with the table's index type;
        /// - `MemorySize`/`MemoryGrow` on a 64-bit memory read and write 64-bit values
        ///   (`memory.grow` gives -1 as 64 bits on failure); `MemoryFill`/`MemoryCopy`/
        ///   `MemoryInit` read 64-bit addresses and lengths where the memory's index type is
        ///   64-bit (a copy's length only if both memories are);
        /// - `BrTable { index, len }` is followed by `len + 1` `Br` instructions (the last is the
        ///   default); execution continues at entry `min(index, len)`;
        /// - `Return`: the results are already in slots `0..`;
        /// - `ConsumeFuel { amount }` (emitted only when fuel metering is on) starts each basic
        ///   block: if the store's remaining fuel is below `amount` it traps with "all fuel
        ///   consumed by WebAssembly" and leaves the fuel unchanged, else it subtracts `amount`;
        /// - `CheckInterrupt` (emitted only when interruption is on) sits at function entry and
        ///   at every loop header: it traps with "interrupted" if an interrupt was requested or
        ///   the store's deadline passed;
        /// - an instruction reads all its inputs before it writes its output: `dst` may be (or,
        ///   for `v128`, overlap) an input slot;
        /// - `v_*` shapes are SIMD: `v128` operands take two slots, the low 64 bits first;
        ///   `I8x16Shuffle`'s `mask` indexes the `v128` constant pool (16 lane indices, lane 0 in
        ///   the low byte).
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        #[allow(missing_docs)]
        pub enum Instr {
            $( $name { $($field: $ty),* }, )*
        }

        impl Instr {
            /// The instruction's name as printed.
            pub fn name(&self) -> &'static str {
                match self {
                    $( Instr::$name { .. } => $text, )*
                }
            }
        }

        impl fmt::Display for Instr {
            #[allow(unused_variables, unused_mut, unused_assignments)]
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                match self {
                    $( Instr::$name { $($field),* } => {
                        f.write_str($text)?;
                        let mut first = true;
                        $(
                            f.write_str(if first { " " } else { ", " })?;
                            first = false;
                            write!(f, "{}={}", stringify!($field), $field)?;
                        )*
                        Ok(())
                    } )*
                }
            }
        }
    };
}

crate::for_each_instr!(define_instrs);

impl Instr {
    /// The branch target of a branching instruction (one with a `target` field), if any.
    #[allow(unreachable_code, unused_variables)]
    pub fn target(&self) -> Option<Target> {
        macro_rules! target_of {
            ($( $shape:ident $name:ident { $($field:ident : $ty:ty),* } $text:literal ;)*) => {
                match *self {
                    $( Instr::$name { $($field),* } => { $( target_of!(@pick $field = $field); )* } )*
                }
            };
            (@pick target = $f:ident) => { return Some($f) };
            (@pick $other:ident = $f:ident) => { let _ = $f; };
        }
        crate::for_each_instr!(target_of);
        None
    }

    /// A mutable reference to the branch target, for patching forward branches.
    #[allow(unreachable_code, unused_variables)]
    pub fn target_mut(&mut self) -> Option<&mut Target> {
        macro_rules! target_mut_of {
            ($( $shape:ident $name:ident { $($field:ident : $ty:ty),* } $text:literal ;)*) => {
                match self {
                    $( Instr::$name { $($field),* } => { $( target_mut_of!(@pick $field = $field); )* } )*
                }
            };
            (@pick target = $f:ident) => { return Some($f) };
            (@pick $other:ident = $f:ident) => { let _ = $f; };
        }
        crate::for_each_instr!(target_mut_of);
        None
    }

    /// The slot this instruction writes its single result to, if it has one.
    #[allow(unreachable_code, unused_variables)]
    pub fn result_slot_mut(&mut self) -> Option<&mut Slot> {
        macro_rules! dst_of {
            ($( $shape:ident $name:ident { $($field:ident : $ty:ty),* } $text:literal ;)*) => {
                match self {
                    $( Instr::$name { $($field),* } => { $( dst_of!(@pick $field = $field); )* } )*
                }
            };
            (@pick dst = $f:ident) => { return Some($f) };
            (@pick $other:ident = $f:ident) => { let _ = $f; };
        }
        crate::for_each_instr!(dst_of);
        None
    }
}

/// A field of the instruction table, visited by [`Instr::slots_mut`].
trait VisitSlot {
    fn visit(&mut self, f: &mut dyn FnMut(&mut Slot));
}

impl VisitSlot for Slot {
    #[inline]
    fn visit(&mut self, f: &mut dyn FnMut(&mut Slot)) {
        f(self)
    }
}

macro_rules! no_slot {
    ($($t:ty),*) => {$(
        impl VisitSlot for $t {
            #[inline]
            fn visit(&mut self, _: &mut dyn FnMut(&mut Slot)) {}
        }
    )*};
}
no_slot!(u8, u16, u32, u64, i32, i64, Target);

impl Instr {
    /// Calls `f` on every slot field (operands, results and call windows), for renumbering.
    pub fn slots_mut(&mut self, mut f: impl FnMut(&mut Slot)) {
        macro_rules! visit_all {
            ($( $shape:ident $name:ident { $($field:ident : $ty:ty),* } $text:literal ;)*) => {
                match self {
                    $( Instr::$name { $($field),* } => { $( VisitSlot::visit($field, &mut f); )* } )*
                }
            };
        }
        crate::for_each_instr!(visit_all);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    #[test]
    fn instr_is_16_bytes() {
        assert_eq!(core::mem::size_of::<Instr>(), 16);
    }

    #[test]
    fn display() {
        let i = Instr::I32AddImm {
            dst: Slot(3),
            lhs: Slot(0),
            imm: -1,
        };
        assert_eq!(i.to_string(), "i32.add_imm dst=s3, lhs=s0, imm=-1");
    }
}
