//! Validates arbitrary bytes with WebAssembly 3.0 and 2.0 features. The validator may reject
//! anything, but must not panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use strata_decoder::Features;

fuzz_target!(|data: &[u8]| {
    let _ = strata_validator::validate_bytes(data, Features::WASM3);
    let _ = strata_validator::validate_bytes(data, Features::WASM2);
});
