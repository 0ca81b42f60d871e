//! What the guest's descriptors 0, 1 and 2 are connected to, and the sockets a host hands in.

use std::fs::File;
use std::io::{self, Cursor, Read, Write};
use std::os::fd::{AsFd, BorrowedFd, OwnedFd, RawFd};
use std::sync::{Arc, Mutex};

/// The host's standard descriptor `fd` (0, 1 or 2).
fn host(fd: RawFd) -> BorrowedFd<'static> {
    // SAFETY: the host's standard descriptors stay open for the life of the process.
    unsafe { BorrowedFd::borrow_raw(fd) }
}

/// An in-memory sink for the guest's output, shared with the embedder, which reads it with
/// [`OutputBuffer::contents`].
#[derive(Clone, Debug, Default)]
pub struct OutputBuffer(Arc<Mutex<Vec<u8>>>);

impl OutputBuffer {
    /// An empty buffer.
    pub fn new() -> OutputBuffer {
        OutputBuffer::default()
    }

    /// Everything written so far.
    pub fn contents(&self) -> Vec<u8> {
        self.lock().clone()
    }

    /// Everything written so far, as text (invalid UTF-8 replaced).
    pub fn to_string_lossy(&self) -> String {
        String::from_utf8_lossy(&self.lock()).into_owned()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<u8>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// What one of the guest's standard streams is connected to (see
/// [`WasiCtxBuilder::stdin`](crate::WasiCtxBuilder::stdin)).
#[derive(Debug, Default)]
pub enum Stdio {
    /// Nothing: reads see end of file, writes are discarded. The default.
    #[default]
    Null,
    /// The host process's own stream.
    Inherit,
    /// A file or a pipe (any descriptor the host owns).
    File(File),
    /// Input from memory (for stdin).
    Input(Vec<u8>),
    /// Output to memory (for stdout and stderr).
    Output(OutputBuffer),
}

impl From<OwnedFd> for Stdio {
    fn from(fd: OwnedFd) -> Stdio {
        Stdio::File(fd.into())
    }
}

/// A standard stream as the descriptor table holds it.
#[derive(Debug)]
pub(crate) enum Stream {
    Null,
    /// The host's descriptor 0, 1 or 2.
    Host(RawFd),
    File(File),
    Input(Cursor<Vec<u8>>),
    Output(OutputBuffer),
}

impl Stream {
    pub fn new(stdio: Stdio, host: RawFd) -> Stream {
        match stdio {
            Stdio::Null => Stream::Null,
            Stdio::Inherit => Stream::Host(host),
            Stdio::File(f) => Stream::File(f),
            Stdio::Input(v) => Stream::Input(Cursor::new(v)),
            Stdio::Output(b) => Stream::Output(b),
        }
    }

    /// The host descriptor behind the stream, if any (for `poll`, `fstat`, `fcntl`).
    pub fn host_fd(&self) -> Option<BorrowedFd<'_>> {
        match self {
            Stream::Host(fd) => Some(host(*fd)),
            Stream::File(f) => Some(f.as_fd()),
            _ => None,
        }
    }

    pub fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Stream::Null | Stream::Output(_) => Ok(0),
            // Unbuffered (not through `io::stdin()`): bytes a buffer had taken from the pipe
            // would be invisible to `poll_oneoff`, and a guest polling before it reads again
            // would wait for them forever.
            Stream::Host(0) => crate::sys::read(host(0), buf),
            Stream::Host(_) => Err(io::Error::from_raw_os_error(libc::EBADF)),
            Stream::File(f) => f.read(buf),
            Stream::Input(c) => c.read(buf),
        }
    }

    pub fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Stream::Null => Ok(buf.len()),
            // Unbuffered, after whatever the host itself printed: a guest that made the stream
            // non-blocking sees each short or refused write as it happened.
            Stream::Host(fd @ (1 | 2)) => {
                if *fd == 1 {
                    io::stdout().lock().flush()?;
                }
                crate::sys::write(host(*fd), buf)
            }
            Stream::Host(_) | Stream::Input(_) => Err(io::Error::from_raw_os_error(libc::EBADF)),
            Stream::File(f) => f.write(buf),
            Stream::Output(b) => {
                b.lock().extend_from_slice(buf);
                Ok(buf.len())
            }
        }
    }

    /// Bytes ready to read without blocking, for streams with no host descriptor.
    pub fn ready_bytes(&self) -> u64 {
        match self {
            Stream::Input(c) => (c.get_ref().len() as u64).saturating_sub(c.position()),
            _ => 0,
        }
    }
}

/// A socket handed to the guest by the host (the guest cannot create sockets in preview1).
#[derive(Debug)]
pub enum HostSocket {
    /// A listening TCP socket: the guest calls `sock_accept` on it.
    TcpListener(std::net::TcpListener),
    /// A connected TCP stream.
    TcpStream(std::net::TcpStream),
    /// A listening Unix-domain stream socket.
    UnixListener(std::os::unix::net::UnixListener),
    /// A connected Unix-domain stream socket.
    UnixStream(std::os::unix::net::UnixStream),
}

impl HostSocket {
    pub(crate) fn into_parts(self) -> (OwnedFd, bool) {
        match self {
            HostSocket::TcpListener(s) => (s.into(), true),
            HostSocket::TcpStream(s) => (s.into(), false),
            HostSocket::UnixListener(s) => (s.into(), true),
            HostSocket::UnixStream(s) => (s.into(), false),
        }
    }
}

macro_rules! socket_from {
    ($($variant:ident: $ty:ty),*) => {$(
        impl From<$ty> for HostSocket {
            fn from(s: $ty) -> HostSocket {
                HostSocket::$variant(s)
            }
        }
    )*};
}
socket_from!(
    TcpListener: std::net::TcpListener,
    TcpStream: std::net::TcpStream,
    UnixListener: std::os::unix::net::UnixListener,
    UnixStream: std::os::unix::net::UnixStream
);
