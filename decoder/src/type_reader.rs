//! Reading value, reference and heap types from the binary format.

use crate::error::{DecodeError, DecodeErrorKind};
use crate::features::Features;
use crate::reader::Reader;
use crate::types::{HeapType, RefType, ValType};

/// The abstract heap type a one-byte shorthand stands for, and the proposal that introduced it.
pub(crate) fn abstract_heap_type(byte: u8) -> Option<(HeapType, Features)> {
    Some(match byte {
        0x70 => (HeapType::Func, Features::empty()),
        0x6f => (HeapType::Extern, Features::REFERENCE_TYPES),
        0x6e => (HeapType::Any, Features::GC),
        0x6d => (HeapType::Eq, Features::GC),
        0x6c => (HeapType::I31, Features::GC),
        0x6b => (HeapType::Struct, Features::GC),
        0x6a => (HeapType::Array, Features::GC),
        0x71 => (HeapType::None, Features::GC),
        0x72 => (HeapType::NoExtern, Features::GC),
        0x73 => (HeapType::NoFunc, Features::GC),
        0x69 => (HeapType::Exn, Features::EXCEPTIONS),
        0x74 => (HeapType::NoExn, Features::EXCEPTIONS),
        _ => return None,
    })
}

/// True if `byte` can start a value type (used to tell block types from type indices).
pub(crate) fn starts_val_type(byte: u8) -> bool {
    matches!(byte, 0x7b..=0x7f | 0x63 | 0x64) || abstract_heap_type(byte).is_some()
}

impl<'a> Reader<'a> {
    /// Reads a heap type (abstract shorthand byte or non-negative s33 type index).
    pub fn read_heap_type(&mut self) -> Result<HeapType, DecodeError> {
        let at = self.offset();
        let b = self.peek_u8()?;
        if let Some((ht, needs)) = abstract_heap_type(b) {
            if !self.features().contains(needs) {
                return Err(DecodeError::new(DecodeErrorKind::MalformedHeapType, at));
            }
            self.read_u8()?;
            return Ok(ht);
        }
        let idx = self.read_var_s33()?;
        if idx < 0 || idx > i64::from(u32::MAX) {
            return Err(DecodeError::new(DecodeErrorKind::MalformedHeapType, at));
        }
        if !self.features().contains(Features::FUNCTION_REFERENCES) {
            return Err(DecodeError::new(DecodeErrorKind::MalformedHeapType, at));
        }
        Ok(HeapType::Concrete(idx as u32))
    }

    /// Reads a reference type (shorthand byte, or `0x64`/`0x63` followed by a heap type).
    pub fn read_ref_type(&mut self) -> Result<RefType, DecodeError> {
        let at = self.offset();
        let b = self.read_u8()?;
        match b {
            0x63 | 0x64 if self.features().contains(Features::FUNCTION_REFERENCES) => {
                let heap = self.read_heap_type()?;
                Ok(RefType {
                    nullable: b == 0x63,
                    heap,
                })
            }
            _ => match abstract_heap_type(b) {
                Some((heap, needs)) if self.features().contains(needs) => Ok(RefType {
                    nullable: true,
                    heap,
                }),
                _ => Err(DecodeError::new(
                    DecodeErrorKind::MalformedReferenceType,
                    at,
                )),
            },
        }
    }

    /// Reads a value type.
    pub fn read_val_type(&mut self) -> Result<ValType, DecodeError> {
        let at = self.offset();
        let b = self.peek_u8()?;
        let t = match b {
            0x7f => ValType::I32,
            0x7e => ValType::I64,
            0x7d => ValType::F32,
            0x7c => ValType::F64,
            0x7b if self.features().contains(Features::SIMD) => ValType::V128,
            _ if starts_val_type(b) && self.features().contains(Features::REFERENCE_TYPES) => {
                // A reference type byte of a proposal that is not enabled is no value type at
                // all ("malformed value type"), not a malformed reference type.
                return self.read_ref_type().map(ValType::Ref).map_err(|e| {
                    if e.offset() == at && e.kind() == DecodeErrorKind::MalformedReferenceType {
                        DecodeError::new(DecodeErrorKind::MalformedValueType, at)
                    } else {
                        e
                    }
                });
            }
            _ => return Err(DecodeError::new(DecodeErrorKind::MalformedValueType, at)),
        };
        self.read_u8()?;
        Ok(t)
    }
}
