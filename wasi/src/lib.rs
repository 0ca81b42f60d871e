//! # strata-wasi
//!
//! `wasi_snapshot_preview1` for strata, with a capability sandbox: a guest reaches only what was
//! preopened.
//!
//! Two layers:
//!
//! - **The core** (always built, independent of any runtime): [`WasiCtx`], built with
//!   [`WasiCtxBuilder`] (args, env, preopened directories with [`DirPerms`], standard streams as
//!   [`Stdio`], sockets as [`HostSocket`]), a descriptor table, and one method per WASI function.
//!   Each method takes the guest's linear memory as `&mut [u8]` and the function's raw
//!   `i32`/`i64` arguments, and returns the [`Errno`] the guest sees. Every pointer is bounds
//!   checked (`EFAULT`, never a panic). [`WasiCtx::proc_exit`] returns a [`ProcExit`] instead:
//!   the embedder ends the guest with that status. Host errors map to WASI's numbering
//!   ([`Errno::from_os`], `From<io::Error>`).
//! - **The binding** (feature `runtime`, on by default): `add_to_linker` registers the 46
//!   functions under `wasi_snapshot_preview1` on strata-runtime's `Linker`; `exit_status` tells a
//!   guest's exit from other errors. Without the feature, the core builds alone.
//!
//! ## The sandbox
//!
//! Guest paths are resolved component by component relative to directory descriptors (see the
//! `sys` module): `..` past the preopen, absolute paths, and symbolic links leading outside are
//! `ENOTCAPABLE`; the kernel never follows a link we did not check, and each step is taken from a
//! descriptor held open, so a path swapped between check and use cannot redirect the walk. Symlinks
//! with absolute targets cannot be created (`EPERM`); hard links and renames stay within one
//! preopen (`EXDEV` across two, as across file systems). Rights (`$rights`) are enforced on every
//! call, and a read-only preopen hands out no right that changes anything.
//!
//! ## Why `libc`
//!
//! The resolution needs handle-relative calls that std does not expose: `openat` (with `O_PATH`,
//! `O_NOFOLLOW`, `O_DIRECTORY`), `fstatat`, `readlinkat`, `mkdirat`, `unlinkat`, `renameat`,
//! `linkat`, `symlinkat`, `utimensat`/`futimens`, plus `posix_fadvise`, `posix_fallocate`,
//! `ppoll`, `accept4`, `recv`/`send`, `getrandom` and `clock_gettime` for the rest. `cap-std`
//! does the resolution part well, but brings several crates, maps escapes to a generic
//! `PermissionDenied` (we want `ENOTCAPABLE`) and still leaves the other calls to `libc`; the
//! resolver here is ~150 lines, and tested.
//!
//! **Depends on:** `libc`; `strata-runtime` with feature `runtime`.
//! **Must not depend on:** `cli`.
//!
//! Linux only.

mod ctx;
mod errno;
mod fd;
mod mem;
mod misc;
mod path;
mod poll;
mod sock;
mod stdio;
mod sys;
pub mod types;

#[cfg(feature = "runtime")]
mod linker;

pub use ctx::{DirPerms, WasiCtx, WasiCtxBuilder};
pub use errno::Errno;
pub use misc::ProcExit;
pub use stdio::{HostSocket, OutputBuffer, Stdio};

#[cfg(feature = "runtime")]
pub use linker::{add_to_linker, exit_status};

/// The module name the functions are imported from.
pub const MODULE: &str = "wasi_snapshot_preview1";
