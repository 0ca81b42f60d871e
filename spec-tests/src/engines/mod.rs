//! The engines the harness can drive, one file each.

pub mod interp;
