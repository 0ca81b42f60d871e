//! [`Global`]: a global's type and a 16-byte value cell.

use crate::value::{UntypedVal, Val};
use core::fmt;
use strata_decoder::{GlobalType, ValType};

/// A global's value: two frame slots, 16-byte aligned, so a `v128` fits. Scalars live in
/// `slots[0]` (on little-endian hosts, at offset 0), laid out as in a frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[repr(C, align(16))]
pub struct GlobalCell {
    /// The value's slots: `[value, 0]`, or `[low, high]` for a `v128`.
    pub slots: [UntypedVal; 2],
}

/// Why a global could not be created or written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GlobalError {
    /// `set` on an immutable global.
    Immutable,
    /// The value does not have the global's type.
    TypeMismatch {
        /// The global's value type.
        expected: ValType,
        /// The value's type.
        found: ValType,
    },
}

impl fmt::Display for GlobalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GlobalError::Immutable => f.write_str("global is immutable"),
            GlobalError::TypeMismatch { expected, found } => {
                write!(f, "type mismatch: global is {expected}, value is {found}")
            }
        }
    }
}

impl core::error::Error for GlobalError {}

/// A global: its type and current value.
#[derive(Debug, Clone)]
pub struct Global {
    ty: GlobalType,
    cell: GlobalCell,
}

impl Global {
    /// A global of type `ty` holding `init`.
    pub fn new(ty: GlobalType, init: Val) -> Result<Self, GlobalError> {
        check(ty.content, &init)?;
        Ok(Global {
            ty,
            cell: GlobalCell {
                slots: init.to_slots(),
            },
        })
    }

    /// A global of type `ty` holding `slots` as they are, unchecked (for backends and for types
    /// [`Val`] cannot express yet).
    pub fn from_slots(ty: GlobalType, slots: [UntypedVal; 2]) -> Self {
        Global {
            ty,
            cell: GlobalCell { slots },
        }
    }

    /// The global's type.
    pub fn ty(&self) -> GlobalType {
        self.ty
    }

    /// The current value; `None` only for reference types [`Val`] cannot express yet (GC).
    pub fn get(&self) -> Option<Val> {
        Val::from_slots(self.ty.content, self.cell.slots)
    }

    /// Writes `value`, checking mutability and type (the embedding API's `global.set`).
    pub fn set(&mut self, value: Val) -> Result<(), GlobalError> {
        if !self.ty.mutable {
            return Err(GlobalError::Immutable);
        }
        check(self.ty.content, &value)?;
        self.cell.slots = value.to_slots();
        Ok(())
    }

    /// The first slot, unchecked (`global.get` of a scalar or reference).
    #[inline]
    pub fn get_untyped(&self) -> UntypedVal {
        self.cell.slots[0]
    }

    /// Writes the first slot, unchecked (`global.set` of a scalar or reference; validation
    /// already checked mutability and type).
    #[inline]
    pub fn set_untyped(&mut self, value: UntypedVal) {
        self.cell.slots[0] = value;
    }

    /// The whole cell (both slots; a `v128` needs the second).
    #[inline]
    pub fn cell(&self) -> &GlobalCell {
        &self.cell
    }

    /// The whole cell, writable, unchecked.
    #[inline]
    pub fn cell_mut(&mut self) -> &mut GlobalCell {
        &mut self.cell
    }
}

fn check(expected: ValType, value: &Val) -> Result<(), GlobalError> {
    if value.matches(expected) {
        Ok(())
    } else {
        Err(GlobalError::TypeMismatch {
            expected,
            found: value.ty(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reference::FuncAddr;
    use strata_decoder::Ieee64;

    fn ty(content: ValType, mutable: bool) -> GlobalType {
        GlobalType { content, mutable }
    }

    #[test]
    fn cell_is_sixteen_bytes_aligned() {
        assert_eq!(core::mem::size_of::<GlobalCell>(), 16);
        assert_eq!(core::mem::align_of::<GlobalCell>(), 16);
    }

    #[test]
    fn typed_get_set() {
        let mut g = Global::new(ty(ValType::I64, true), Val::I64(-5)).unwrap();
        assert_eq!(g.get(), Some(Val::I64(-5)));
        g.set(Val::I64(7)).unwrap();
        assert_eq!(g.get(), Some(Val::I64(7)));
        assert_eq!(g.get_untyped().to_i64(), 7);
        g.set_untyped(UntypedVal::from_i64(9));
        assert_eq!(g.get(), Some(Val::I64(9)));
        assert_eq!(
            g.set(Val::I32(1)),
            Err(GlobalError::TypeMismatch {
                expected: ValType::I64,
                found: ValType::I32
            })
        );
    }

    #[test]
    fn immutable_rejects_set() {
        let mut g = Global::new(ty(ValType::F64, false), Val::F64(Ieee64(1))).unwrap();
        assert_eq!(g.set(Val::F64(Ieee64(2))), Err(GlobalError::Immutable));
        assert_eq!(g.get(), Some(Val::F64(Ieee64(1))));
    }

    #[test]
    fn v128_uses_both_slots() {
        let x = u128::MAX - 1;
        let mut g = Global::new(ty(ValType::V128, true), Val::V128(x)).unwrap();
        assert_eq!(g.get(), Some(Val::V128(x)));
        assert_eq!(UntypedVal::to_v128(g.cell().slots), x);
        g.cell_mut().slots = UntypedVal::from_v128(3);
        assert_eq!(g.get(), Some(Val::V128(3)));
    }

    #[test]
    fn references() {
        let f = FuncAddr::new(2);
        let mut g = Global::new(ty(ValType::FUNCREF, true), Val::FuncRef(None)).unwrap();
        g.set(Val::FuncRef(f)).unwrap();
        assert_eq!(g.get(), Some(Val::FuncRef(f)));
        assert_eq!(g.get_untyped().to_raw_ref().to_func(), f);
        assert!(g.set(Val::ExternRef(None)).is_err());
        assert!(Global::new(ty(ValType::EXTERNREF, false), Val::FuncRef(None)).is_err());
    }
}
