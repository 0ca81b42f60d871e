//! [`BackendData`]: opaque per-store state a backend attaches to the store (the JIT's run-time
//! tables of code pointers, memory and table descriptors; the interpreter's lowered code, in
//! its own field `StoreInner::interp`).

use alloc::boxed::Box;
use core::any::Any;
use core::fmt;

/// State a backend keeps in a [`StoreInner`](crate::StoreInner) between calls: created by the
/// backend on first use, dropped with the store. Backends downcast it to their own type.
#[derive(Default)]
pub struct BackendData(pub Option<Box<dyn Any + Send + Sync>>);

impl fmt::Debug for BackendData {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.0.is_some() {
            "BackendData(Some(..))"
        } else {
            "BackendData(None)"
        })
    }
}
