//! Data and element segments as instances keep them: their contents until `data.drop` /
//! `elem.drop` (or instantiation, for active and declarative segments) empties them.
//!
//! A dropped segment behaves as an empty one: `memory.init`/`table.init` from it succeed only for
//! length 0 at source offset 0. The operations themselves are [`LinearMemory::init`] and
//! [`Table::init`], which take the segment's current contents.
//!
//! [`LinearMemory::init`]: crate::LinearMemory::init
//! [`Table::init`]: crate::Table::init

use crate::reference::RawRef;
use alloc::boxed::Box;
use alloc::sync::Arc;
use strata_decoder::RefType;

/// A data segment's bytes, shared with the module (cheap to instantiate) until dropped.
#[derive(Debug, Clone)]
pub struct DataSegment {
    bytes: Option<Arc<[u8]>>,
}

impl DataSegment {
    /// A segment holding `bytes`.
    pub fn new(bytes: impl Into<Arc<[u8]>>) -> Self {
        DataSegment {
            bytes: Some(bytes.into()),
        }
    }

    /// The current bytes (empty once dropped).
    pub fn bytes(&self) -> &[u8] {
        self.bytes.as_deref().unwrap_or(&[])
    }

    /// The current length in bytes (0 once dropped).
    pub fn len(&self) -> usize {
        self.bytes().len()
    }

    /// True if the segment has no bytes (including once dropped).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// True once dropped.
    pub fn is_dropped(&self) -> bool {
        self.bytes.is_none()
    }

    /// `data.drop`: empties the segment, releasing this instance's share of the bytes.
    /// Dropping twice is fine.
    pub fn data_drop(&mut self) {
        self.bytes = None;
    }
}

/// An element segment's references, already evaluated, until dropped.
#[derive(Debug, Clone)]
pub struct ElementSegment {
    ty: RefType,
    elements: Box<[RawRef]>,
}

impl ElementSegment {
    /// A segment of type `ty` holding `elements`.
    pub fn new(ty: RefType, elements: impl Into<Box<[RawRef]>>) -> Self {
        ElementSegment {
            ty,
            elements: elements.into(),
        }
    }

    /// The segment's element type.
    pub fn ty(&self) -> RefType {
        self.ty
    }

    /// The current references (empty once dropped).
    pub fn elements(&self) -> &[RawRef] {
        &self.elements
    }

    /// The current length (0 once dropped).
    pub fn len(&self) -> usize {
        self.elements.len()
    }

    /// True if the segment has no elements (including once dropped).
    pub fn is_empty(&self) -> bool {
        self.elements.is_empty()
    }

    /// `elem.drop`: empties the segment and frees its storage. Dropping twice is fine.
    pub fn elem_drop(&mut self) {
        self.elements = Box::default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::memory::{LinearMemory, MemoryConfig};
    use crate::reference::FuncAddr;
    use crate::table::Table;
    use crate::trap::TrapCode;
    use alloc::vec;
    use strata_decoder::{Limits, MemoryType, TableType};

    #[test]
    fn data_drop_empties() {
        let mut seg = DataSegment::new(vec![1u8, 2, 3]);
        assert_eq!(seg.bytes(), &[1, 2, 3]);
        assert_eq!(seg.len(), 3);
        assert!(!seg.is_dropped());
        seg.data_drop();
        assert!(seg.is_dropped() && seg.is_empty());
        assert_eq!(seg.bytes(), &[] as &[u8]);
        seg.data_drop();
        assert_eq!(seg.len(), 0);
    }

    #[test]
    fn memory_init_after_drop() {
        let ty = MemoryType {
            limits: Limits { min: 1, max: None },
            memory64: false,
            shared: false,
            page_size_log2: None,
        };
        let mut mem = LinearMemory::new(ty, &MemoryConfig::heap(), None).unwrap();
        let mut seg = DataSegment::new(&b"hello"[..]);
        mem.init(10, seg.bytes(), 1, 4).unwrap();
        assert_eq!(&mem.data()[10..14], b"ello");
        seg.data_drop();
        assert_eq!(mem.init(0, seg.bytes(), 0, 0), Ok(()));
        assert_eq!(mem.init(65536, seg.bytes(), 0, 0), Ok(()));
        assert_eq!(
            mem.init(0, seg.bytes(), 0, 1),
            Err(TrapCode::MemoryOutOfBounds)
        );
        assert_eq!(
            mem.init(0, seg.bytes(), 1, 0),
            Err(TrapCode::MemoryOutOfBounds)
        );
    }

    #[test]
    fn elem_drop_empties() {
        let f = RawRef::from(FuncAddr::new(0).unwrap());
        let mut seg = ElementSegment::new(RefType::FUNCREF, vec![f, RawRef::NULL]);
        assert_eq!(seg.ty(), RefType::FUNCREF);
        assert_eq!(seg.elements(), &[f, RawRef::NULL]);
        let ty = TableType {
            element: RefType::FUNCREF,
            limits: Limits { min: 2, max: None },
            table64: false,
        };
        let mut table = Table::new(ty, RawRef::NULL, None).unwrap();
        table.init(0, seg.elements(), 0, 2).unwrap();
        assert_eq!(table.get(0), Ok(f));
        seg.elem_drop();
        assert!(seg.is_empty());
        seg.elem_drop();
        assert_eq!(seg.len(), 0);
        assert_eq!(table.init(2, seg.elements(), 0, 0), Ok(()));
        assert_eq!(
            table.init(0, seg.elements(), 0, 1),
            Err(TrapCode::TableOutOfBounds)
        );
    }
}
