//! Store-wide addresses of functions and extern objects, and the raw reference encoding kept in
//! tables and frame slots.

use core::fmt;

/// The store-wide address of a function (the spec's *funcaddr*).
///
/// Every index but `u32::MAX` is valid, so that `index + 1` always fits a [`RawRef`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(transparent)]
pub struct FuncAddr(u32);

/// The store-wide address of an extern (host) object (the spec's *externaddr*).
///
/// Every index but `u32::MAX` is valid, so that `index + 1` always fits a [`RawRef`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(transparent)]
pub struct ExternAddr(u32);

/// The store-wide address of an exception object (the spec's *exnaddr*): what an `exnref`
/// points to.
///
/// Every index but `u32::MAX` is valid, so that `index + 1` always fits a [`RawRef`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(transparent)]
pub struct ExnAddr(u32);

macro_rules! addr_impl {
    ($name:ident, $what:literal) => {
        impl $name {
            /// The largest index an address can have.
            pub const MAX_INDEX: u32 = u32::MAX - 1;

            #[doc = concat!("The address of the store's ", $what, " number `index`; `None` if `index` is `u32::MAX`.")]
            pub const fn new(index: u32) -> Option<Self> {
                if index <= Self::MAX_INDEX {
                    Some(Self(index))
                } else {
                    None
                }
            }

            #[doc = concat!("The index of the ", $what, " in the store.")]
            pub const fn index(self) -> u32 {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}", self.0)
            }
        }
    };
}

addr_impl!(FuncAddr, "function");
addr_impl!(ExternAddr, "extern object");
addr_impl!(ExnAddr, "exception");

/// A reference as tables and frame slots hold it: 0 is null, anything else is an address plus one.
///
/// A `RawRef` does not say what it points to; the static type (a table's element type, an
/// operand's type) does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[repr(transparent)]
pub struct RawRef(u32);

impl RawRef {
    /// The null reference.
    pub const NULL: RawRef = RawRef(0);

    /// The reference with this encoding (0 is null).
    pub const fn from_bits(bits: u32) -> Self {
        RawRef(bits)
    }

    /// The encoding: 0 for null, otherwise the address plus one.
    pub const fn to_bits(self) -> u32 {
        self.0
    }

    /// True for the null reference.
    pub const fn is_null(self) -> bool {
        self.0 == 0
    }

    /// A function reference (`None` is null).
    pub const fn from_func(addr: Option<FuncAddr>) -> Self {
        match addr {
            // `FuncAddr` excludes `u32::MAX`, so this cannot overflow.
            Some(a) => RawRef(a.0 + 1),
            None => RawRef::NULL,
        }
    }

    /// This reference read as a function reference (`None` for null).
    pub const fn to_func(self) -> Option<FuncAddr> {
        match self.0 {
            0 => None,
            n => Some(FuncAddr(n - 1)),
        }
    }

    /// An extern reference (`None` is null).
    pub const fn from_extern(addr: Option<ExternAddr>) -> Self {
        match addr {
            // `ExternAddr` excludes `u32::MAX`, so this cannot overflow.
            Some(a) => RawRef(a.0 + 1),
            None => RawRef::NULL,
        }
    }

    /// This reference read as an extern reference (`None` for null).
    pub const fn to_extern(self) -> Option<ExternAddr> {
        match self.0 {
            0 => None,
            n => Some(ExternAddr(n - 1)),
        }
    }

    /// An exception reference (`None` is null).
    pub const fn from_exn(addr: Option<ExnAddr>) -> Self {
        match addr {
            // `ExnAddr` excludes `u32::MAX`, so this cannot overflow.
            Some(a) => RawRef(a.0 + 1),
            None => RawRef::NULL,
        }
    }

    /// This reference read as an exception reference (`None` for null).
    pub const fn to_exn(self) -> Option<ExnAddr> {
        match self.0 {
            0 => None,
            n => Some(ExnAddr(n - 1)),
        }
    }
}

impl From<Option<FuncAddr>> for RawRef {
    fn from(addr: Option<FuncAddr>) -> Self {
        RawRef::from_func(addr)
    }
}

impl From<FuncAddr> for RawRef {
    fn from(addr: FuncAddr) -> Self {
        RawRef::from_func(Some(addr))
    }
}

impl From<Option<ExternAddr>> for RawRef {
    fn from(addr: Option<ExternAddr>) -> Self {
        RawRef::from_extern(addr)
    }
}

impl From<ExternAddr> for RawRef {
    fn from(addr: ExternAddr) -> Self {
        RawRef::from_extern(Some(addr))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn null_is_zero() {
        assert_eq!(RawRef::NULL.to_bits(), 0);
        assert!(RawRef::default().is_null());
        assert_eq!(RawRef::from_func(None), RawRef::NULL);
        assert_eq!(RawRef::from_extern(None), RawRef::NULL);
        assert_eq!(RawRef::NULL.to_func(), None);
        assert_eq!(RawRef::NULL.to_extern(), None);
    }

    #[test]
    fn round_trips_at_the_edges() {
        for i in [0, 1, 77, FuncAddr::MAX_INDEX] {
            let f = FuncAddr::new(i).unwrap();
            let r = RawRef::from(f);
            assert_eq!(r.to_bits(), i + 1);
            assert!(!r.is_null());
            assert_eq!(r.to_func(), Some(f));
            let e = ExternAddr::new(i).unwrap();
            assert_eq!(RawRef::from(e).to_extern(), Some(e));
            assert_eq!(RawRef::from(Some(e)).to_extern(), Some(e));
        }
        assert_eq!(FuncAddr::new(u32::MAX), None);
        assert_eq!(ExternAddr::new(u32::MAX), None);
    }

    #[test]
    fn addresses_are_four_bytes() {
        assert_eq!(core::mem::size_of::<RawRef>(), 4);
        assert_eq!(core::mem::size_of::<FuncAddr>(), 4);
        assert_eq!(core::mem::size_of::<ExternAddr>(), 4);
    }
}
