//! Which WebAssembly proposals the decoder (and validator) accept.

bitflags::bitflags! {
    /// A set of enabled WebAssembly proposals.
    ///
    /// [`Features::WASM2`] is the WebAssembly 2.0 standard (the default);
    /// [`Features::WASM3`] adds every proposal WebAssembly 3.0 merged.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub struct Features: u32 {
        /// Mutable globals may be imported and exported.
        const MUTABLE_GLOBAL = 1 << 0;
        /// Sign-extension operators (`i32.extend8_s`, ...).
        const SIGN_EXTENSION = 1 << 1;
        /// Saturating float-to-int conversions (`0xFC 0..=7`).
        const SATURATING_FLOAT_TO_INT = 1 << 2;
        /// Multi-value block types and function results.
        const MULTI_VALUE = 1 << 3;
        /// Bulk memory and table operations.
        const BULK_MEMORY = 1 << 4;
        /// Reference types, multiple tables, `funcref`/`externref`.
        const REFERENCE_TYPES = 1 << 5;
        /// Fixed-width 128-bit SIMD (`0xFD` prefix).
        const SIMD = 1 << 6;
        /// Relaxed SIMD (`0xFD 0x100..`).
        const RELAXED_SIMD = 1 << 7;
        /// Tail calls (`return_call*`).
        const TAIL_CALL = 1 << 8;
        /// Multiple memories.
        const MULTI_MEMORY = 1 << 9;
        /// 64-bit memories and tables.
        const MEMORY64 = 1 << 10;
        /// Exception handling with `exnref` and `try_table`.
        const EXCEPTIONS = 1 << 11;
        /// Typed function references.
        const FUNCTION_REFERENCES = 1 << 12;
        /// Garbage collection types and instructions.
        const GC = 1 << 13;
        /// Extended constant expressions.
        const EXTENDED_CONST = 1 << 14;

        /// WebAssembly 1.0 (the MVP, plus mutable globals which 1.0's final text includes).
        const WASM1 = Self::MUTABLE_GLOBAL.bits();
        /// WebAssembly 2.0.
        const WASM2 = Self::WASM1.bits()
            | Self::SIGN_EXTENSION.bits()
            | Self::SATURATING_FLOAT_TO_INT.bits()
            | Self::MULTI_VALUE.bits()
            | Self::BULK_MEMORY.bits()
            | Self::REFERENCE_TYPES.bits()
            | Self::SIMD.bits();
        /// WebAssembly 3.0.
        const WASM3 = Self::WASM2.bits()
            | Self::RELAXED_SIMD.bits()
            | Self::TAIL_CALL.bits()
            | Self::MULTI_MEMORY.bits()
            | Self::MEMORY64.bits()
            | Self::EXCEPTIONS.bits()
            | Self::FUNCTION_REFERENCES.bits()
            | Self::GC.bits()
            | Self::EXTENDED_CONST.bits();
    }
}

impl Default for Features {
    fn default() -> Self {
        Features::WASM2
    }
}
