//! [`WasiCtx`], its builder, and the descriptor table.

use std::fs::File;
use std::io;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd, RawFd};
use std::path::Path;

use crate::errno::{Errno, Result};
use crate::stdio::{HostSocket, Stdio, Stream};
use crate::sys;
use crate::types::{filetype, rights};

/// What a preopened directory lets the guest do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DirPerms {
    /// Open, read, list and stat; no change of any kind.
    ReadOnly,
    /// Everything, within the directory.
    ReadWrite,
}

/// The state of one WASI guest: its arguments, environment and descriptor table.
///
/// Each method named after a WASI function takes the guest's memory and the function's raw
/// arguments, and returns the [`Errno`] the guest sees (except [`WasiCtx::proc_exit`]).
///
/// `Default` is an empty context: no args, env or descriptors at all.
#[derive(Debug, Default)]
pub struct WasiCtx {
    pub(crate) args: Vec<Vec<u8>>,
    pub(crate) env: Vec<Vec<u8>>,
    pub(crate) table: Table,
    /// The host's standard descriptors whose status flags the guest changed (Go guests make
    /// them non-blocking), with the flags they had: restored on drop, so the host's terminal
    /// or pipe is left as it was found.
    pub(crate) host_stdio_flags: Vec<(RawFd, i32)>,
}

impl Drop for WasiCtx {
    fn drop(&mut self) {
        for &(fd, flags) in &self.host_stdio_flags {
            // SAFETY: the host's standard descriptors stay open for the life of the process.
            let fd = unsafe { BorrowedFd::borrow_raw(fd) };
            // Nothing useful can be done about a failure while dropping.
            let _ = crate::sys::set_status_flags(fd, flags);
        }
    }
}

impl WasiCtx {
    /// A builder, with no args, no env, no preopens and null stdio.
    pub fn builder() -> WasiCtxBuilder {
        WasiCtxBuilder::new()
    }
}

/// Builds a [`WasiCtx`]: arguments, environment, standard streams, preopened directories and
/// sockets.
#[derive(Debug, Default)]
pub struct WasiCtxBuilder {
    args: Vec<Vec<u8>>,
    env: Vec<Vec<u8>>,
    stdio: [Stdio; 3],
    preopens: Vec<(OwnedFd, Vec<u8>, DirPerms)>,
    sockets: Vec<HostSocket>,
}

impl WasiCtxBuilder {
    /// An empty builder.
    pub fn new() -> WasiCtxBuilder {
        WasiCtxBuilder::default()
    }

    /// Appends one argument (the first is the program's name, by convention).
    pub fn arg(&mut self, arg: impl AsRef<[u8]>) -> &mut Self {
        self.args.push(arg.as_ref().to_vec());
        self
    }

    /// Appends arguments.
    pub fn args<I: IntoIterator<Item = A>, A: AsRef<[u8]>>(&mut self, args: I) -> &mut Self {
        for a in args {
            self.arg(a);
        }
        self
    }

    /// Sets one environment variable.
    pub fn env(&mut self, name: impl AsRef<[u8]>, value: impl AsRef<[u8]>) -> &mut Self {
        let mut kv = name.as_ref().to_vec();
        kv.push(b'=');
        kv.extend_from_slice(value.as_ref());
        self.env.push(kv);
        self
    }

    /// Passes the host's whole environment.
    pub fn inherit_env(&mut self) -> &mut Self {
        use std::os::unix::ffi::OsStrExt;
        for (k, v) in std::env::vars_os() {
            self.env(k.as_bytes(), v.as_bytes());
        }
        self
    }

    /// Connects the guest's stdin.
    pub fn stdin(&mut self, s: Stdio) -> &mut Self {
        self.stdio[0] = s;
        self
    }

    /// Connects the guest's stdout.
    pub fn stdout(&mut self, s: Stdio) -> &mut Self {
        self.stdio[1] = s;
        self
    }

    /// Connects the guest's stderr.
    pub fn stderr(&mut self, s: Stdio) -> &mut Self {
        self.stdio[2] = s;
        self
    }

    /// Connects all three standard streams to the host's.
    pub fn inherit_stdio(&mut self) -> &mut Self {
        self.stdio = [Stdio::Inherit, Stdio::Inherit, Stdio::Inherit];
        self
    }

    /// Preopens the host directory `host` as `guest` (the name the guest's libc matches paths
    /// against, e.g. `"."` or `"/data"`). Fails if `host` cannot be opened as a directory.
    pub fn preopened_dir(
        &mut self,
        host: impl AsRef<Path>,
        guest: impl AsRef<str>,
        perms: DirPerms,
    ) -> io::Result<&mut Self> {
        let dir = File::open(host.as_ref())?;
        if !dir.metadata()?.is_dir() {
            return Err(io::Error::from_raw_os_error(libc::ENOTDIR));
        }
        self.preopens
            .push((dir.into(), guest.as_ref().as_bytes().to_vec(), perms));
        Ok(self)
    }

    /// Hands a socket to the guest; it gets the next descriptor after the preopened directories.
    pub fn preopened_socket(&mut self, socket: impl Into<HostSocket>) -> &mut Self {
        self.sockets.push(socket.into());
        self
    }

    /// The context; the builder is left empty.
    pub fn build(&mut self) -> WasiCtx {
        let mut table = Table::default();
        let b = std::mem::take(self);
        for (i, s) in b.stdio.into_iter().enumerate() {
            let stream = Stream::new(s, i as i32);
            let (ft, seekable) = stream_type(&stream);
            let mut base = rights::FD_READ
                | rights::FD_WRITE
                | rights::FD_FDSTAT_SET_FLAGS
                | rights::FD_FILESTAT_GET
                | rights::POLL_FD_READWRITE
                | rights::FD_SYNC
                | rights::FD_DATASYNC;
            if seekable {
                base |= rights::FD_SEEK | rights::FD_TELL;
            }
            table
                .insert(Desc::new(Kind::Stdio(stream), ft, base, 0))
                .expect("empty table");
        }
        for (domain, (fd, guest, perms)) in b.preopens.into_iter().enumerate() {
            let (base, inheriting) = match perms {
                DirPerms::ReadWrite => (rights::DIR, rights::DIR | rights::FILE),
                DirPerms::ReadOnly => (
                    rights::DIR & !rights::MUTATING,
                    (rights::DIR | rights::FILE) & !rights::MUTATING,
                ),
            };
            let mut d = Desc::new(Kind::Dir(fd), filetype::DIRECTORY, base, inheriting);
            d.preopen = Some(guest);
            d.domain = domain as u32;
            table.insert(d).expect("table has room");
        }
        for s in b.sockets {
            let (fd, listener) = s.into_parts();
            let mut base = rights::SOCKET;
            if listener {
                base = rights::SOCK_ACCEPT
                    | rights::POLL_FD_READWRITE
                    | rights::FD_FILESTAT_GET
                    | rights::FD_FDSTAT_SET_FLAGS;
            }
            let d = Desc::new(
                Kind::Socket { fd, listener },
                filetype::SOCKET_STREAM,
                base,
                0,
            );
            table.insert(d).expect("table has room");
        }
        WasiCtx {
            args: b.args,
            env: b.env,
            table,
            host_stdio_flags: Vec::new(),
        }
    }
}

/// The WASI file type of a stream, and whether it can seek (a regular file).
fn stream_type(s: &Stream) -> (u8, bool) {
    match s.host_fd().map(sys::fstat) {
        Some(Ok(st)) => {
            let ft = filetype_of(st.st_mode);
            (ft, ft == filetype::REGULAR_FILE)
        }
        _ => (filetype::UNKNOWN, false),
    }
}

/// The WASI file type of a `st_mode`.
pub(crate) fn filetype_of(mode: libc::mode_t) -> u8 {
    match mode & libc::S_IFMT {
        libc::S_IFREG => filetype::REGULAR_FILE,
        libc::S_IFDIR => filetype::DIRECTORY,
        libc::S_IFLNK => filetype::SYMBOLIC_LINK,
        libc::S_IFCHR => filetype::CHARACTER_DEVICE,
        libc::S_IFBLK => filetype::BLOCK_DEVICE,
        libc::S_IFSOCK => filetype::SOCKET_STREAM,
        _ => filetype::UNKNOWN,
    }
}

/// What a descriptor refers to.
#[derive(Debug)]
pub(crate) enum Kind {
    /// A file (or device) opened with `path_open`.
    File(File),
    /// A directory: a preopen, or opened with `path_open`.
    Dir(OwnedFd),
    /// One of the standard streams.
    Stdio(Stream),
    /// A socket from the host, or accepted from one.
    Socket { fd: OwnedFd, listener: bool },
}

/// One entry of the descriptor table.
#[derive(Debug)]
pub(crate) struct Desc {
    pub kind: Kind,
    pub filetype: u8,
    pub base: u64,
    pub inheriting: u64,
    /// The guest name of a preopened directory.
    pub preopen: Option<Vec<u8>>,
    /// Which preopen a directory descends from: renames and links stay within one.
    pub domain: u32,
}

impl Desc {
    pub fn new(kind: Kind, filetype: u8, base: u64, inheriting: u64) -> Desc {
        Desc {
            kind,
            filetype,
            base,
            inheriting,
            preopen: None,
            domain: u32::MAX,
        }
    }

    /// The host descriptor, if the entry has one.
    pub fn host_fd(&self) -> Option<BorrowedFd<'_>> {
        match &self.kind {
            Kind::File(f) => Some(f.as_fd()),
            Kind::Dir(fd) | Kind::Socket { fd, .. } => Some(fd.as_fd()),
            Kind::Stdio(s) => s.host_fd(),
        }
    }

    /// The directory descriptor, or `ENOTDIR`.
    pub fn dir(&self) -> Result<BorrowedFd<'_>> {
        match &self.kind {
            Kind::Dir(fd) => Ok(fd.as_fd()),
            _ => Err(Errno::Notdir),
        }
    }
}

/// The most descriptors a guest may hold.
const MAX_FDS: usize = 1 << 16;

/// The guest's descriptors: new ones take the lowest free number, as POSIX does.
#[derive(Debug, Default)]
pub(crate) struct Table {
    slots: Vec<Option<Desc>>,
}

impl Table {
    pub fn insert(&mut self, d: Desc) -> Result<u32> {
        if let Some(i) = self.slots.iter().position(Option::is_none) {
            self.slots[i] = Some(d);
            return Ok(i as u32);
        }
        if self.slots.len() >= MAX_FDS {
            return Err(Errno::Mfile);
        }
        self.slots.push(Some(d));
        Ok(self.slots.len() as u32 - 1)
    }

    /// The entry `fd`, which must hold all of `need` (`EBADF`, `ENOTCAPABLE`).
    pub fn get(&mut self, fd: i32, need: u64) -> Result<&mut Desc> {
        let d = self
            .slots
            .get_mut(fd as u32 as usize)
            .and_then(Option::as_mut)
            .ok_or(Errno::Badf)?;
        if d.base & need != need {
            return Err(Errno::Notcapable);
        }
        Ok(d)
    }

    /// Like [`Table::get`], shared (to hold two directories at once).
    pub fn get_ref(&self, fd: i32, need: u64) -> Result<&Desc> {
        let d = self
            .slots
            .get(fd as u32 as usize)
            .and_then(Option::as_ref)
            .ok_or(Errno::Badf)?;
        if d.base & need != need {
            return Err(Errno::Notcapable);
        }
        Ok(d)
    }

    pub fn contains(&self, fd: i32) -> bool {
        matches!(self.slots.get(fd as u32 as usize), Some(Some(_)))
    }

    pub fn remove(&mut self, fd: i32) -> Result<Desc> {
        self.slots
            .get_mut(fd as u32 as usize)
            .and_then(Option::take)
            .ok_or(Errno::Badf)
    }

    pub fn put(&mut self, fd: i32, d: Desc) {
        self.slots[fd as u32 as usize] = Some(d);
    }
}
