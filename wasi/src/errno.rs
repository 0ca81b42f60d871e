//! `errno` of wasi_snapshot_preview1, and its mapping from host errors.

use std::fmt;
use std::io;

macro_rules! errnos {
    ($($(#[$doc:meta])* $name:ident = $value:literal, $text:literal;)*) => {
        /// An error code of wasi_snapshot_preview1 (`$errno`), with the spec's numbering.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[repr(u16)]
        pub enum Errno {
            $($(#[$doc])* #[doc = $text] $name = $value,)*
        }

        impl Errno {
            /// The spec's name of this code, e.g. `"notcapable"`.
            pub fn name(self) -> &'static str {
                match self { $(Errno::$name => $text,)* }
            }

            /// The code with this number, if there is one.
            pub fn from_raw(raw: u16) -> Option<Errno> {
                match raw { $($value => Some(Errno::$name),)* _ => None }
            }
        }
    };
}

errnos! {
    Success = 0, "success";
    TooBig = 1, "2big";
    Acces = 2, "acces";
    Addrinuse = 3, "addrinuse";
    Addrnotavail = 4, "addrnotavail";
    Afnosupport = 5, "afnosupport";
    Again = 6, "again";
    Already = 7, "already";
    Badf = 8, "badf";
    Badmsg = 9, "badmsg";
    Busy = 10, "busy";
    Canceled = 11, "canceled";
    Child = 12, "child";
    Connaborted = 13, "connaborted";
    Connrefused = 14, "connrefused";
    Connreset = 15, "connreset";
    Deadlk = 16, "deadlk";
    Destaddrreq = 17, "destaddrreq";
    Dom = 18, "dom";
    Dquot = 19, "dquot";
    Exist = 20, "exist";
    Fault = 21, "fault";
    Fbig = 22, "fbig";
    Hostunreach = 23, "hostunreach";
    Idrm = 24, "idrm";
    Ilseq = 25, "ilseq";
    Inprogress = 26, "inprogress";
    Intr = 27, "intr";
    Inval = 28, "inval";
    Io = 29, "io";
    Isconn = 30, "isconn";
    Isdir = 31, "isdir";
    Loop = 32, "loop";
    Mfile = 33, "mfile";
    Mlink = 34, "mlink";
    Msgsize = 35, "msgsize";
    Multihop = 36, "multihop";
    Nametoolong = 37, "nametoolong";
    Netdown = 38, "netdown";
    Netreset = 39, "netreset";
    Netunreach = 40, "netunreach";
    Nfile = 41, "nfile";
    Nobufs = 42, "nobufs";
    Nodev = 43, "nodev";
    Noent = 44, "noent";
    Noexec = 45, "noexec";
    Nolck = 46, "nolck";
    Nolink = 47, "nolink";
    Nomem = 48, "nomem";
    Nomsg = 49, "nomsg";
    Noprotoopt = 50, "noprotoopt";
    Nospc = 51, "nospc";
    Nosys = 52, "nosys";
    Notconn = 53, "notconn";
    Notdir = 54, "notdir";
    Notempty = 55, "notempty";
    Notrecoverable = 56, "notrecoverable";
    Notsock = 57, "notsock";
    Notsup = 58, "notsup";
    Notty = 59, "notty";
    Nxio = 60, "nxio";
    Overflow = 61, "overflow";
    Ownerdead = 62, "ownerdead";
    Perm = 63, "perm";
    Pipe = 64, "pipe";
    Proto = 65, "proto";
    Protonosupport = 66, "protonosupport";
    Prototype = 67, "prototype";
    Range = 68, "range";
    Rofs = 69, "rofs";
    Spipe = 70, "spipe";
    Srch = 71, "srch";
    Stale = 72, "stale";
    Timedout = 73, "timedout";
    Txtbsy = 74, "txtbsy";
    Xdev = 75, "xdev";
    /// The descriptor lacks the right, or the path leaves the sandbox.
    Notcapable = 76, "notcapable";
}

impl Errno {
    /// The code as the guest sees it (the function's `i32` result).
    pub fn raw(self) -> i32 {
        self as u16 as i32
    }

    /// Maps a host (Linux) `errno` value.
    pub fn from_os(code: i32) -> Errno {
        use libc::*;
        match code {
            0 => Errno::Success,
            E2BIG => Errno::TooBig,
            EACCES => Errno::Acces,
            EADDRINUSE => Errno::Addrinuse,
            EADDRNOTAVAIL => Errno::Addrnotavail,
            EAFNOSUPPORT => Errno::Afnosupport,
            EAGAIN => Errno::Again,
            EALREADY => Errno::Already,
            EBADF => Errno::Badf,
            EBADMSG => Errno::Badmsg,
            EBUSY => Errno::Busy,
            ECANCELED => Errno::Canceled,
            ECHILD => Errno::Child,
            ECONNABORTED => Errno::Connaborted,
            ECONNREFUSED => Errno::Connrefused,
            ECONNRESET => Errno::Connreset,
            EDEADLK => Errno::Deadlk,
            EDESTADDRREQ => Errno::Destaddrreq,
            EDOM => Errno::Dom,
            EDQUOT => Errno::Dquot,
            EEXIST => Errno::Exist,
            EFAULT => Errno::Fault,
            EFBIG => Errno::Fbig,
            EHOSTUNREACH => Errno::Hostunreach,
            EIDRM => Errno::Idrm,
            EILSEQ => Errno::Ilseq,
            EINPROGRESS => Errno::Inprogress,
            EINTR => Errno::Intr,
            EINVAL => Errno::Inval,
            EIO => Errno::Io,
            EISCONN => Errno::Isconn,
            EISDIR => Errno::Isdir,
            ELOOP => Errno::Loop,
            EMFILE => Errno::Mfile,
            EMLINK => Errno::Mlink,
            EMSGSIZE => Errno::Msgsize,
            EMULTIHOP => Errno::Multihop,
            ENAMETOOLONG => Errno::Nametoolong,
            ENETDOWN => Errno::Netdown,
            ENETRESET => Errno::Netreset,
            ENETUNREACH => Errno::Netunreach,
            ENFILE => Errno::Nfile,
            ENOBUFS => Errno::Nobufs,
            ENODEV => Errno::Nodev,
            ENOENT => Errno::Noent,
            ENOEXEC => Errno::Noexec,
            ENOLCK => Errno::Nolck,
            ENOLINK => Errno::Nolink,
            ENOMEM => Errno::Nomem,
            ENOMSG => Errno::Nomsg,
            ENOPROTOOPT => Errno::Noprotoopt,
            ENOSPC => Errno::Nospc,
            ENOSYS => Errno::Nosys,
            ENOTCONN => Errno::Notconn,
            ENOTDIR => Errno::Notdir,
            ENOTEMPTY => Errno::Notempty,
            ENOTRECOVERABLE => Errno::Notrecoverable,
            ENOTSOCK => Errno::Notsock,
            // EOPNOTSUPP is ENOTSUP on Linux.
            ENOTSUP => Errno::Notsup,
            ENOTTY => Errno::Notty,
            ENXIO => Errno::Nxio,
            EOVERFLOW => Errno::Overflow,
            EOWNERDEAD => Errno::Ownerdead,
            EPERM => Errno::Perm,
            EPIPE => Errno::Pipe,
            EPROTO => Errno::Proto,
            EPROTONOSUPPORT => Errno::Protonosupport,
            EPROTOTYPE => Errno::Prototype,
            ERANGE => Errno::Range,
            EROFS => Errno::Rofs,
            ESPIPE => Errno::Spipe,
            ESRCH => Errno::Srch,
            ESTALE => Errno::Stale,
            ETIMEDOUT => Errno::Timedout,
            ETXTBSY => Errno::Txtbsy,
            EXDEV => Errno::Xdev,
            _ => Errno::Io,
        }
    }

    /// The host's last `errno` (after a failed libc call).
    pub(crate) fn last() -> Errno {
        Errno::from_os(io::Error::last_os_error().raw_os_error().unwrap_or(0))
    }
}

impl From<io::Error> for Errno {
    fn from(e: io::Error) -> Errno {
        if let Some(code) = e.raw_os_error() {
            return Errno::from_os(code);
        }
        use io::ErrorKind as K;
        match e.kind() {
            K::NotFound => Errno::Noent,
            K::PermissionDenied => Errno::Perm,
            K::ConnectionRefused => Errno::Connrefused,
            K::ConnectionReset => Errno::Connreset,
            K::ConnectionAborted => Errno::Connaborted,
            K::NotConnected => Errno::Notconn,
            K::AddrInUse => Errno::Addrinuse,
            K::AddrNotAvailable => Errno::Addrnotavail,
            K::BrokenPipe => Errno::Pipe,
            K::AlreadyExists => Errno::Exist,
            K::WouldBlock => Errno::Again,
            K::InvalidInput => Errno::Inval,
            K::InvalidData => Errno::Ilseq,
            K::TimedOut => Errno::Timedout,
            K::Interrupted => Errno::Intr,
            K::Unsupported => Errno::Notsup,
            K::OutOfMemory => Errno::Nomem,
            K::UnexpectedEof => Errno::Io,
            _ => Errno::Io,
        }
    }
}

impl fmt::Display for Errno {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "errno {} ({})", *self as u16, self.name())
    }
}

impl std::error::Error for Errno {}

/// What the WASI functions' bodies return: `Ok` is `errno::success`.
pub type Result<T, E = Errno> = std::result::Result<T, E>;
