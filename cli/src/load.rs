//! Reading a module from a file: binary as is, text through the `wat` parser.

use std::fmt;
use std::path::Path;

use strata_decoder::Features;

/// A module's bytes and where they came from.
pub struct Loaded {
    /// The binary module.
    pub bytes: Vec<u8>,
    /// The file it was read from.
    pub path: String,
}

/// Why the CLI could not do what was asked: always a one-line message.
#[derive(Debug)]
pub struct CliError(String);

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl CliError {
    /// An error with this message.
    pub fn new(msg: impl Into<String>) -> Self {
        CliError(msg.into())
    }
}

/// The proposals the CLI accepts: the runtime's default set.
pub const FEATURES: Features = strata_runtime::Config::DEFAULT_FEATURES;

/// Reads `path`; text (`.wat`, or anything not starting with the binary magic) is assembled.
pub fn load(path: &Path) -> Result<Loaded, CliError> {
    let raw = std::fs::read(path)
        .map_err(|e| CliError::new(format!("cannot read {}: {e}", path.display())))?;
    let bytes = if raw.starts_with(b"\0asm") {
        raw
    } else {
        wat::parse_bytes(&raw)
            .map_err(|e| {
                let msg = e.to_string().replace('\n', " ");
                CliError::new(format!("{}: invalid text module: {msg}", path.display()))
            })?
            .into_owned()
    };
    Ok(Loaded {
        bytes,
        path: path.display().to_string(),
    })
}

/// Decodes and validates the module.
pub fn validate(m: &Loaded) -> Result<(), CliError> {
    strata_validator::validate_bytes(&m.bytes, FEATURES)
        .map_err(|e| CliError::new(format!("{}: {e}", m.path)))
}
