//! The binding layer: the 46 functions of `wasi_snapshot_preview1` on strata-runtime's `Linker`.
//!
//! Each host function finds the caller's exported `"memory"`, hands it to the [`WasiCtx`] method
//! of the same name as `&mut [u8]` with the raw arguments, and returns the errno as `i32`.
//! `proc_exit` (and a fatal `proc_raise`) end the guest with an [`Error`] that [`exit_status`]
//! recognises.

use strata_runtime::{Caller, Error, Extern, FuncType, Linker, Val, ValType};

use crate::{ProcExit, WasiCtx, MODULE};

/// The error that carries a guest's exit status out of the call.
fn exit_error(e: ProcExit) -> Error {
    Error::Exit(e.code)
}

/// The status the guest exited with, if `err` is how `proc_exit` (or a fatal `proc_raise`)
/// ended it; any other error is a real failure (a trap, a host error...).
pub fn exit_status(err: &Error) -> Option<u32> {
    match err {
        Error::Exit(code) => Some(*code),
        _ => None,
    }
}

/// Runs `f` with the context and the caller's memory at once. The context is moved out of the
/// store data for the call (three `Vec`s: no allocation), since the runtime lends the memory and
/// the data through the same `&mut Caller`.
fn with_mem<T, R>(
    caller: &mut Caller<'_, T>,
    get: impl Fn(&mut T) -> &mut WasiCtx,
    f: impl FnOnce(&mut WasiCtx, &mut [u8]) -> R,
) -> Result<R, Error> {
    let memory = caller
        .get_export("memory")
        .and_then(Extern::into_memory)
        .ok_or_else(|| Error::host("wasi: the calling module exports no `memory`"))?;
    let mut ctx = std::mem::take(get(caller.data_mut()));
    let r = f(&mut ctx, memory.data_mut(caller));
    *get(caller.data_mut()) = ctx;
    Ok(r)
}

/// Defines every function of `wasi_snapshot_preview1` in `linker`; `get_ctx` finds the
/// [`WasiCtx`] in the store's data.
pub fn add_to_linker<T: 'static>(
    linker: &mut Linker<T>,
    get_ctx: impl Fn(&mut T) -> &mut WasiCtx + Copy + Send + Sync + 'static,
) -> Result<(), Error> {
    let g = get_ctx;
    // Functions that take memory: `name(args...)` calls `ctx.name(mem, args...)`.
    macro_rules! with_memory {
        ($($name:ident($($a:ident: $t:ty),*);)*) => {$(
            linker.func_wrap(
                MODULE,
                stringify!($name),
                move |mut caller: Caller<'_, T>, $($a: $t),*| -> Result<i32, Error> {
                    with_mem(&mut caller, g, |ctx, mem| ctx.$name(mem, $($a),*).raw())
                },
            )?;
        )*};
    }
    // Functions that don't.
    macro_rules! without_memory {
        ($($name:ident($($a:ident: $t:ty),*);)*) => {$(
            linker.func_wrap(
                MODULE,
                stringify!($name),
                move |mut caller: Caller<'_, T>, $($a: $t),*| -> i32 {
                    g(caller.data_mut()).$name($($a),*).raw()
                },
            )?;
        )*};
    }
    with_memory! {
        args_get(argv: i32, buf: i32);
        args_sizes_get(argc: i32, size: i32);
        environ_get(environ: i32, buf: i32);
        environ_sizes_get(count: i32, size: i32);
        clock_res_get(id: i32, res: i32);
        clock_time_get(id: i32, precision: i64, time: i32);
        fd_fdstat_get(fd: i32, buf: i32);
        fd_filestat_get(fd: i32, buf: i32);
        fd_pread(fd: i32, iovs: i32, iovs_len: i32, offset: i64, nread: i32);
        fd_prestat_get(fd: i32, buf: i32);
        fd_prestat_dir_name(fd: i32, path: i32, len: i32);
        fd_pwrite(fd: i32, iovs: i32, iovs_len: i32, offset: i64, nwritten: i32);
        fd_read(fd: i32, iovs: i32, iovs_len: i32, nread: i32);
        fd_readdir(fd: i32, buf: i32, len: i32, cookie: i64, used: i32);
        fd_seek(fd: i32, offset: i64, whence: i32, newoffset: i32);
        fd_tell(fd: i32, offset: i32);
        fd_write(fd: i32, iovs: i32, iovs_len: i32, nwritten: i32);
        path_create_directory(fd: i32, path: i32, len: i32);
        path_filestat_get(fd: i32, flags: i32, path: i32, len: i32, buf: i32);
        path_filestat_set_times(fd: i32, flags: i32, path: i32, len: i32, atim: i64, mtim: i64, fst: i32);
        path_link(old_fd: i32, old_flags: i32, old: i32, old_len: i32, new_fd: i32, new: i32, new_len: i32);
        path_readlink(fd: i32, path: i32, len: i32, buf: i32, buf_len: i32, used: i32);
        path_remove_directory(fd: i32, path: i32, len: i32);
        path_rename(fd: i32, old: i32, old_len: i32, new_fd: i32, new: i32, new_len: i32);
        path_symlink(old: i32, old_len: i32, fd: i32, new: i32, new_len: i32);
        path_unlink_file(fd: i32, path: i32, len: i32);
        poll_oneoff(input: i32, out: i32, nsubs: i32, nevents: i32);
        random_get(buf: i32, len: i32);
        sock_accept(fd: i32, flags: i32, out: i32);
        sock_recv(fd: i32, iovs: i32, iovs_len: i32, flags: i32, datalen: i32, oflags: i32);
        sock_send(fd: i32, iovs: i32, iovs_len: i32, flags: i32, datalen: i32);
    }
    without_memory! {
        fd_advise(fd: i32, offset: i64, len: i64, advice: i32);
        fd_allocate(fd: i32, offset: i64, len: i64);
        fd_close(fd: i32);
        fd_datasync(fd: i32);
        fd_fdstat_set_flags(fd: i32, flags: i32);
        fd_fdstat_set_rights(fd: i32, base: i64, inheriting: i64);
        fd_filestat_set_size(fd: i32, size: i64);
        fd_filestat_set_times(fd: i32, atim: i64, mtim: i64, fst: i32);
        fd_renumber(fd: i32, to: i32);
        fd_sync(fd: i32);
        sched_yield();
        sock_shutdown(fd: i32, how: i32);
    }
    linker.func_wrap(
        MODULE,
        "proc_exit",
        move |mut caller: Caller<'_, T>, code: i32| -> Result<(), Error> {
            Err(exit_error(g(caller.data_mut()).proc_exit(code)))
        },
    )?;
    linker.func_wrap(
        MODULE,
        "proc_raise",
        move |mut caller: Caller<'_, T>, sig: i32| -> Result<i32, Error> {
            g(caller.data_mut())
                .proc_raise(sig)
                .map(|e| e.raw())
                .map_err(exit_error)
        },
    )?;
    // path_open has nine parameters, more than `func_wrap` takes: defined on dynamic values.
    use ValType::{I32, I64};
    let ty = FuncType::new(&[I32, I32, I32, I32, I32, I64, I64, I32, I32], &[I32]);
    linker.func_new(MODULE, "path_open", ty, move |mut caller, args, results| {
        let i = |k: usize| match args[k] {
            Val::I32(v) => v,
            _ => 0,
        };
        let l = |k: usize| match args[k] {
            Val::I64(v) => v,
            _ => 0,
        };
        let e = with_mem(&mut caller, g, |ctx, mem| {
            ctx.path_open(mem, i(0), i(1), i(2), i(3), i(4), l(5), l(6), i(7), i(8))
        })?;
        results[0] = Val::I32(e.raw());
        Ok(())
    })?;
    Ok(())
}
