//! Values: [`UntypedVal`], one 8-byte frame slot, and [`Val`], the typed value of the embedding
//! API.
//!
//! A slot does not know its type; the code that reads it does. Narrow values are written
//! zero-extended, and readers ignore the bits above their width. Floats are kept as raw bits so
//! NaN payloads survive. A `v128` takes two adjacent slots, low 64 bits first.

use crate::reference::{ExnAddr, ExternAddr, FuncAddr, RawRef};
use core::fmt;
use strata_decoder::{HeapType, Ieee32, Ieee64, RefType, ValType};

/// One untyped 8-byte slot of an interpreter frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[repr(transparent)]
pub struct UntypedVal(u64);

impl UntypedVal {
    /// All bits zero: the default of every number type and the null reference.
    pub const ZERO: UntypedVal = UntypedVal(0);

    /// The slot holding exactly these bits.
    pub const fn from_bits(bits: u64) -> Self {
        UntypedVal(bits)
    }

    /// The slot's bits.
    pub const fn to_bits(self) -> u64 {
        self.0
    }

    /// The slot as an address, index, length or grow delta of a memory or table whose index
    /// type is `i64` (`wide`) or `i32` (zero-extended).
    pub const fn to_index(self, wide: bool) -> u64 {
        if wide {
            self.0
        } else {
            self.0 as u32 as u64
        }
    }

    /// `memory.grow`'s or `table.grow`'s result for an index type `i64` (`wide`) or `i32`: the
    /// old size, or -1 if `grown` is `None`.
    pub const fn grow_result(grown: Option<u64>, wide: bool) -> Self {
        match (grown, wide) {
            (Some(old), _) => UntypedVal(old),
            (None, true) => UntypedVal(u64::MAX),
            (None, false) => UntypedVal(u32::MAX as u64),
        }
    }

    /// An `i32`, zero-extended.
    pub const fn from_i32(v: i32) -> Self {
        UntypedVal(v as u32 as u64)
    }

    /// The low 32 bits as `i32`.
    pub const fn to_i32(self) -> i32 {
        self.0 as i32
    }

    /// A `u32`, zero-extended.
    pub const fn from_u32(v: u32) -> Self {
        UntypedVal(v as u64)
    }

    /// The low 32 bits as `u32`.
    pub const fn to_u32(self) -> u32 {
        self.0 as u32
    }

    /// An `i64`.
    pub const fn from_i64(v: i64) -> Self {
        UntypedVal(v as u64)
    }

    /// The bits as `i64`.
    pub const fn to_i64(self) -> i64 {
        self.0 as i64
    }

    /// A `u64`.
    pub const fn from_u64(v: u64) -> Self {
        UntypedVal(v)
    }

    /// The bits as `u64`.
    pub const fn to_u64(self) -> u64 {
        self.0
    }

    /// An `f32`'s bits, zero-extended.
    pub fn from_f32(v: f32) -> Self {
        UntypedVal(v.to_bits() as u64)
    }

    /// The low 32 bits as an `f32` (bit for bit).
    pub fn to_f32(self) -> f32 {
        f32::from_bits(self.0 as u32)
    }

    /// An `f64`'s bits.
    pub fn from_f64(v: f64) -> Self {
        UntypedVal(v.to_bits())
    }

    /// The bits as an `f64` (bit for bit).
    pub fn to_f64(self) -> f64 {
        f64::from_bits(self.0)
    }

    /// A reference, zero-extended.
    pub const fn from_raw_ref(r: RawRef) -> Self {
        UntypedVal(r.to_bits() as u64)
    }

    /// The low 32 bits as a reference.
    pub const fn to_raw_ref(self) -> RawRef {
        RawRef::from_bits(self.0 as u32)
    }

    /// A `v128` split into its two slots, low half first.
    pub const fn from_v128(v: u128) -> [UntypedVal; 2] {
        [UntypedVal(v as u64), UntypedVal((v >> 64) as u64)]
    }

    /// The `v128` held by two slots, low half first.
    pub const fn to_v128(slots: [UntypedVal; 2]) -> u128 {
        (slots[0].0 as u128) | ((slots[1].0 as u128) << 64)
    }
}

macro_rules! untyped_from {
    ($($ty:ty => $from:ident, $to:ident;)*) => {$(
        impl From<$ty> for UntypedVal {
            fn from(v: $ty) -> Self {
                UntypedVal::$from(v)
            }
        }
        impl From<UntypedVal> for $ty {
            fn from(v: UntypedVal) -> Self {
                v.$to()
            }
        }
    )*};
}

untyped_from! {
    i32 => from_i32, to_i32;
    u32 => from_u32, to_u32;
    i64 => from_i64, to_i64;
    u64 => from_u64, to_u64;
    f32 => from_f32, to_f32;
    f64 => from_f64, to_f64;
    RawRef => from_raw_ref, to_raw_ref;
}

impl From<Ieee32> for UntypedVal {
    fn from(v: Ieee32) -> Self {
        UntypedVal::from_u32(v.0)
    }
}

impl From<UntypedVal> for Ieee32 {
    fn from(v: UntypedVal) -> Self {
        Ieee32(v.to_u32())
    }
}

impl From<Ieee64> for UntypedVal {
    fn from(v: Ieee64) -> Self {
        UntypedVal::from_u64(v.0)
    }
}

impl From<UntypedVal> for Ieee64 {
    fn from(v: UntypedVal) -> Self {
        Ieee64(v.to_u64())
    }
}

/// How many frame slots a value of this type takes: 2 for `v128`, 1 for everything else.
pub const fn slot_count(ty: ValType) -> usize {
    match ty {
        ValType::V128 => 2,
        _ => 1,
    }
}

/// A typed value, as the embedding API passes it.
///
/// Floats are bit patterns ([`Ieee32`], [`Ieee64`]) so NaN payloads survive the round trip.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Val {
    /// An `i32`.
    I32(i32),
    /// An `i64`.
    I64(i64),
    /// An `f32`, as its bits.
    F32(Ieee32),
    /// An `f64`, as its bits.
    F64(Ieee64),
    /// A `v128` (lane 0 in the low bits).
    V128(u128),
    /// A `funcref` (`None` is null).
    FuncRef(Option<FuncAddr>),
    /// An `externref` (`None` is null).
    ExternRef(Option<ExternAddr>),
    /// An `exnref`, a caught exception (`None` is null). The address is only meaningful in the
    /// store whose code produced it.
    ExnRef(Option<ExnAddr>),
}

impl Val {
    /// The value's type. References report the nullable top type of their hierarchy
    /// (`funcref`, `externref`, `exnref`).
    pub fn ty(&self) -> ValType {
        match self {
            Val::I32(_) => ValType::I32,
            Val::I64(_) => ValType::I64,
            Val::F32(_) => ValType::F32,
            Val::F64(_) => ValType::F64,
            Val::V128(_) => ValType::V128,
            Val::FuncRef(_) => ValType::FUNCREF,
            Val::ExternRef(_) => ValType::EXTERNREF,
            Val::ExnRef(_) => ValType::Ref(RefType {
                nullable: true,
                heap: HeapType::Exn,
            }),
        }
    }

    /// The default value of `ty` (zero, or null), or `None` if `ty` has no default
    /// (non-nullable references) or is a reference this enum cannot hold yet (GC types).
    pub fn default_for(ty: ValType) -> Option<Val> {
        match ty {
            ValType::Ref(r) if !r.nullable => None,
            _ => Val::from_slots(ty, [UntypedVal::ZERO; 2]),
        }
    }

    /// Whether this value can be stored where `ty` is expected.
    ///
    /// Checks everything but concrete type indices: a non-null function reference matches
    /// `(ref $t)` for any `$t` here, and the runtime, which knows the function's type, checks the
    /// rest.
    pub fn matches(&self, ty: ValType) -> bool {
        match (self, ty) {
            (Val::I32(_), ValType::I32)
            | (Val::I64(_), ValType::I64)
            | (Val::F32(_), ValType::F32)
            | (Val::F64(_), ValType::F64)
            | (Val::V128(_), ValType::V128) => true,
            (Val::FuncRef(f), ValType::Ref(r)) => match f {
                None => r.nullable && func_family(r.heap),
                Some(_) => matches!(r.heap, HeapType::Func | HeapType::Concrete(_)),
            },
            (Val::ExternRef(e), ValType::Ref(r)) => match e {
                None => r.nullable && matches!(r.heap, HeapType::Extern | HeapType::NoExtern),
                Some(_) => r.heap == HeapType::Extern,
            },
            (Val::ExnRef(e), ValType::Ref(r)) => match e {
                None => r.nullable && exn_family(r.heap),
                Some(_) => r.heap == HeapType::Exn,
            },
            _ => false,
        }
    }

    /// The value as frame slots: `[value, 0]`, or `[low, high]` for a `v128`.
    pub fn to_slots(&self) -> [UntypedVal; 2] {
        let one = |v| [v, UntypedVal::ZERO];
        match *self {
            Val::I32(v) => one(UntypedVal::from_i32(v)),
            Val::I64(v) => one(UntypedVal::from_i64(v)),
            Val::F32(v) => one(v.into()),
            Val::F64(v) => one(v.into()),
            Val::V128(v) => UntypedVal::from_v128(v),
            Val::FuncRef(f) => one(RawRef::from_func(f).into()),
            Val::ExternRef(e) => one(RawRef::from_extern(e).into()),
            Val::ExnRef(e) => one(RawRef::from_exn(e).into()),
        }
    }

    /// The value of type `ty` held in `slots` (only `slots[0]` is read unless `ty` is `v128`).
    ///
    /// Reference types map by heap type: the `func` hierarchy (including concrete type indices,
    /// which are function types until GC lands) to [`Val::FuncRef`], the `extern` hierarchy to
    /// [`Val::ExternRef`], the `exn` hierarchy to [`Val::ExnRef`]. Other heap types (GC's)
    /// return `None` for now.
    pub fn from_slots(ty: ValType, slots: [UntypedVal; 2]) -> Option<Val> {
        let s = slots[0];
        Some(match ty {
            ValType::I32 => Val::I32(s.to_i32()),
            ValType::I64 => Val::I64(s.to_i64()),
            ValType::F32 => Val::F32(s.into()),
            ValType::F64 => Val::F64(s.into()),
            ValType::V128 => Val::V128(UntypedVal::to_v128(slots)),
            ValType::Ref(r) if func_family(r.heap) => Val::FuncRef(s.to_raw_ref().to_func()),
            ValType::Ref(r) if matches!(r.heap, HeapType::Extern | HeapType::NoExtern) => {
                Val::ExternRef(s.to_raw_ref().to_extern())
            }
            ValType::Ref(r) if exn_family(r.heap) => Val::ExnRef(s.to_raw_ref().to_exn()),
            ValType::Ref(_) => return None,
        })
    }
}

fn exn_family(heap: HeapType) -> bool {
    matches!(heap, HeapType::Exn | HeapType::NoExn)
}

fn func_family(heap: HeapType) -> bool {
    matches!(
        heap,
        HeapType::Func | HeapType::NoFunc | HeapType::Concrete(_)
    )
}

impl From<i32> for Val {
    fn from(v: i32) -> Self {
        Val::I32(v)
    }
}

impl From<i64> for Val {
    fn from(v: i64) -> Self {
        Val::I64(v)
    }
}

impl From<f32> for Val {
    fn from(v: f32) -> Self {
        Val::F32(Ieee32(v.to_bits()))
    }
}

impl From<f64> for Val {
    fn from(v: f64) -> Self {
        Val::F64(Ieee64(v.to_bits()))
    }
}

impl From<u128> for Val {
    fn from(v: u128) -> Self {
        Val::V128(v)
    }
}

/// Writes a float in the text format's style: decimal when finite, `inf`, `nan` for the
/// canonical NaN and `nan:0x...` with the payload otherwise.
fn write_float(
    f: &mut fmt::Formatter<'_>,
    sign: bool,
    is_nan: bool,
    payload: u64,
    canonical_payload: u64,
    finite: impl fmt::Display,
) -> fmt::Result {
    if !is_nan {
        return write!(f, "{finite}");
    }
    if sign {
        f.write_str("-")?;
    }
    if payload == canonical_payload {
        f.write_str("nan")
    } else {
        write!(f, "nan:{payload:#x}")
    }
}

impl fmt::Display for Val {
    /// The value as a text-format constant: `(i32.const 7)`, `(f32.const nan:0x200000)`,
    /// `(v128.const i64x2 1 2)`, `(ref.func 3)`, `(ref.null func)`, `(ref.extern 0)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Val::I32(v) => write!(f, "(i32.const {v})"),
            Val::I64(v) => write!(f, "(i64.const {v})"),
            Val::F32(v) => {
                let bits = v.0;
                let x = f32::from_bits(bits);
                f.write_str("(f32.const ")?;
                let payload = (bits & 0x007f_ffff) as u64;
                write_float(f, bits >> 31 == 1, x.is_nan(), payload, 0x40_0000, x)?;
                f.write_str(")")
            }
            Val::F64(v) => {
                let bits = v.0;
                let x = f64::from_bits(bits);
                f.write_str("(f64.const ")?;
                let payload = bits & 0x000f_ffff_ffff_ffff;
                write_float(
                    f,
                    bits >> 63 == 1,
                    x.is_nan(),
                    payload,
                    0x8_0000_0000_0000,
                    x,
                )?;
                f.write_str(")")
            }
            Val::V128(v) => write!(
                f,
                "(v128.const i64x2 {:#x} {:#x})",
                v as u64,
                (v >> 64) as u64
            ),
            Val::FuncRef(Some(a)) => write!(f, "(ref.func {a})"),
            Val::FuncRef(None) => f.write_str("(ref.null func)"),
            Val::ExternRef(Some(a)) => write!(f, "(ref.extern {a})"),
            Val::ExternRef(None) => f.write_str("(ref.null extern)"),
            Val::ExnRef(Some(a)) => write!(f, "(ref.exn {a})"),
            Val::ExnRef(None) => f.write_str("(ref.null exn)"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    #[test]
    fn untyped_is_eight_bytes() {
        assert_eq!(core::mem::size_of::<UntypedVal>(), 8);
        assert!(core::mem::size_of::<Val>() <= 32);
    }

    #[test]
    fn integer_round_trips() {
        for v in [0, 1, -1, i32::MIN, i32::MAX] {
            assert_eq!(UntypedVal::from(v).to_i32(), v);
            assert_eq!(i32::from(UntypedVal::from(v)), v);
        }
        assert_eq!(UntypedVal::from_i32(-1).to_bits(), 0xffff_ffff);
        for v in [0, 1, -1, i64::MIN, i64::MAX] {
            assert_eq!(i64::from(UntypedVal::from(v)), v);
        }
        for v in [0, u32::MAX] {
            assert_eq!(u32::from(UntypedVal::from(v)), v);
        }
        for v in [0, u64::MAX] {
            assert_eq!(u64::from(UntypedVal::from(v)), v);
        }
    }

    #[test]
    fn nan_payloads_survive() {
        let snan32 = f32::from_bits(0x7f80_0001);
        assert_eq!(UntypedVal::from(snan32).to_f32().to_bits(), 0x7f80_0001);
        let snan64 = f64::from_bits(0xfff0_0000_0000_0001);
        assert_eq!(
            f64::from(UntypedVal::from(snan64)).to_bits(),
            0xfff0_0000_0000_0001
        );
        let v = Val::F32(Ieee32(0x7fa0_0000));
        assert_eq!(Val::from_slots(ValType::F32, v.to_slots()), Some(v));
    }

    #[test]
    fn v128_takes_two_slots() {
        let x = 0x0011_2233_4455_6677_8899_aabb_ccdd_eeffu128;
        let slots = UntypedVal::from_v128(x);
        assert_eq!(slots[0].to_bits(), 0x8899_aabb_ccdd_eeff);
        assert_eq!(slots[1].to_bits(), 0x0011_2233_4455_6677);
        assert_eq!(UntypedVal::to_v128(slots), x);
        assert_eq!(slot_count(ValType::V128), 2);
        assert_eq!(slot_count(ValType::I32), 1);
    }

    #[test]
    fn val_slot_round_trips() {
        let f = FuncAddr::new(5);
        let vals = [
            Val::I32(-7),
            Val::I64(i64::MIN),
            Val::from(1.5f32),
            Val::from(-0.0f64),
            Val::V128(u128::MAX - 3),
            Val::FuncRef(f),
            Val::FuncRef(None),
            Val::ExternRef(ExternAddr::new(0)),
            Val::ExternRef(None),
            Val::ExnRef(ExnAddr::new(3)),
            Val::ExnRef(None),
        ];
        for v in vals {
            assert_eq!(Val::from_slots(v.ty(), v.to_slots()), Some(v), "{v}");
            assert!(v.matches(v.ty()));
        }
    }

    #[test]
    fn references_match_by_hierarchy() {
        let concrete = ValType::Ref(RefType {
            nullable: false,
            heap: HeapType::Concrete(0),
        });
        let nullfunc = ValType::Ref(RefType {
            nullable: true,
            heap: HeapType::NoFunc,
        });
        assert!(Val::FuncRef(FuncAddr::new(1)).matches(concrete));
        assert!(!Val::FuncRef(None).matches(concrete));
        assert!(Val::FuncRef(None).matches(nullfunc));
        assert!(!Val::FuncRef(FuncAddr::new(1)).matches(nullfunc));
        assert!(!Val::FuncRef(None).matches(ValType::EXTERNREF));
        assert!(!Val::ExternRef(None).matches(ValType::FUNCREF));
        assert!(!Val::I32(0).matches(ValType::I64));
        let nullexn = ValType::Ref(RefType {
            nullable: true,
            heap: HeapType::NoExn,
        });
        assert!(Val::ExnRef(None).matches(nullexn));
        assert!(!Val::ExnRef(ExnAddr::new(0)).matches(nullexn));
        assert!(!Val::ExnRef(None).matches(ValType::FUNCREF));
        assert!(!Val::FuncRef(None).matches(nullexn));
        let anyref = ValType::Ref(RefType {
            nullable: true,
            heap: HeapType::Any,
        });
        assert_eq!(Val::from_slots(anyref, [UntypedVal::ZERO; 2]), None);
    }

    #[test]
    fn defaults() {
        assert_eq!(Val::default_for(ValType::I32), Some(Val::I32(0)));
        assert_eq!(Val::default_for(ValType::V128), Some(Val::V128(0)));
        assert_eq!(Val::default_for(ValType::FUNCREF), Some(Val::FuncRef(None)));
        let non_null = ValType::Ref(RefType {
            nullable: false,
            heap: HeapType::Func,
        });
        assert_eq!(Val::default_for(non_null), None);
    }

    #[test]
    fn display() {
        assert_eq!(Val::I32(-1).to_string(), "(i32.const -1)");
        assert_eq!(Val::I64(7).to_string(), "(i64.const 7)");
        assert_eq!(Val::from(1.5f32).to_string(), "(f32.const 1.5)");
        assert_eq!(Val::from(f64::NEG_INFINITY).to_string(), "(f64.const -inf)");
        assert_eq!(Val::F32(Ieee32(0x7fc0_0000)).to_string(), "(f32.const nan)");
        assert_eq!(
            Val::F32(Ieee32(0xffa0_0000)).to_string(),
            "(f32.const -nan:0x200000)"
        );
        assert_eq!(
            Val::F64(Ieee64(0x7ff8_0000_0000_0000)).to_string(),
            "(f64.const nan)"
        );
        assert_eq!(
            Val::V128(1 | (2 << 64)).to_string(),
            "(v128.const i64x2 0x1 0x2)"
        );
        assert_eq!(Val::FuncRef(FuncAddr::new(3)).to_string(), "(ref.func 3)");
        assert_eq!(Val::FuncRef(None).to_string(), "(ref.null func)");
        assert_eq!(Val::ExnRef(ExnAddr::new(2)).to_string(), "(ref.exn 2)");
        assert_eq!(Val::ExnRef(None).to_string(), "(ref.null exn)");
        assert_eq!(
            Val::ExternRef(ExternAddr::new(0)).to_string(),
            "(ref.extern 0)"
        );
        assert_eq!(Val::ExternRef(None).to_string(), "(ref.null extern)");
        assert_eq!(Val::I32(0).ty(), ValType::I32);
        assert_eq!(Val::ExternRef(None).ty(), ValType::EXTERNREF);
    }
}
