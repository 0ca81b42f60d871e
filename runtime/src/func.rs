//! [`Func`], [`TypedFunc`], host functions ([`Func::wrap`], [`Func::new`]) and the [`Caller`]
//! they receive.

use alloc::format;
use alloc::sync::Arc;
use alloc::vec;
use alloc::vec::Vec;
use core::marker::PhantomData;

use strata_decoder::{FuncType, ValType};
use strata_vm::{FuncAddr, InstanceAddr, StoreInner, UntypedVal, Val};

use crate::error::Error;
use crate::instance::Extern;
use crate::store::{AsContext, AsContextMut, Hosts, StoreContext, StoreContextMut, StoreId};

/// A host function as the store keeps it: it reads its parameters from the slot window and
/// writes its results there (no boxing per call).
pub(crate) type HostFunc<T> =
    Arc<dyn Fn(Caller<'_, T>, &mut [UntypedVal]) -> Result<(), Error> + Send + Sync>;

/// What a host function gets first: access to the store's data and to the calling instance's
/// exports (its memory, typically).
///
/// ```
/// # fn wat(s: &str) -> Vec<u8> { let b = wast::parser::ParseBuffer::new(s).unwrap(); let mut m: wast::Wat = wast::parser::parse(&b).unwrap(); m.encode().unwrap() }
/// use strata_runtime::{Caller, Engine, Linker, Module, Store};
/// let engine = Engine::default();
/// let module = Module::new(&engine, &wat(r#"(module
///     (import "env" "say" (func $say (param i32 i32)))
///     (memory (export "memory") 1)
///     (data (i32.const 8) "hi there")
///     (func (export "main") (call $say (i32.const 8) (i32.const 8))))"#))?;
/// let mut store = Store::new(&engine, String::new());
/// let mut linker = Linker::new(&engine);
/// linker.func_wrap("env", "say", |mut caller: Caller<'_, String>, ptr: i32, len: i32| {
///     let memory = caller.get_export("memory").unwrap().into_memory().unwrap();
///     let text = memory.data(&caller)[ptr as usize..][..len as usize].to_vec();
///     caller.data_mut().push_str(std::str::from_utf8(&text).unwrap());
/// })?;
/// let instance = linker.instantiate(&mut store, &module)?;
/// instance.get_typed_func::<(), ()>(&store, "main")?.call(&mut store, ())?;
/// assert_eq!(store.data(), "hi there");
/// # Ok::<(), strata_runtime::Error>(())
/// ```
pub struct Caller<'a, T> {
    pub(crate) cx: StoreContextMut<'a, T>,
    pub(crate) instance: Option<InstanceAddr>,
}

impl<T> Caller<'_, T> {
    /// The store's data.
    pub fn data(&self) -> &T {
        self.cx.data
    }

    /// The store's data, writable.
    pub fn data_mut(&mut self) -> &mut T {
        self.cx.data
    }

    /// The fuel left (an error if the engine does not meter fuel), as
    /// [`Store::get_fuel`](crate::Store::get_fuel): a host function can see what its guest
    /// has spent.
    pub fn get_fuel(&self) -> Result<u64, Error> {
        crate::store::fuel_enabled(self.cx.hosts.consume_fuel)?;
        Ok(self.cx.inner.fuel)
    }

    /// Sets the fuel left (an error if the engine does not meter fuel), as
    /// [`Store::set_fuel`](crate::Store::set_fuel): a host function can charge its guest for
    /// the work it does, or top it up.
    pub fn set_fuel(&mut self, fuel: u64) -> Result<(), Error> {
        crate::store::fuel_enabled(self.cx.hosts.consume_fuel)?;
        self.cx.inner.fuel = fuel;
        Ok(())
    }

    /// The calling instance's export `name` (e.g. its `"memory"`), if wasm called.
    pub fn get_export(&self, name: &str) -> Option<Extern> {
        let instance = self.instance?;
        let val = self.cx.inner.instance(instance).export(name)?;
        Some(Extern::from_vm(val, self.cx.id))
    }
}

impl<T> AsContext for Caller<'_, T> {
    type Data = T;
    fn as_context(&self) -> StoreContext<'_, T> {
        self.cx.as_context()
    }
}

impl<T> AsContextMut for Caller<'_, T> {
    fn as_context_mut(&mut self) -> StoreContextMut<'_, T> {
        self.cx.reborrow()
    }
}

/// Calls host functions for the interpreter, with the store's data and host table at hand.
pub(crate) struct Dispatch<'a, T> {
    pub(crate) data: &'a mut T,
    pub(crate) hosts: &'a mut Hosts<T>,
    pub(crate) id: StoreId,
}

impl<T> strata_interp::Host for Dispatch<'_, T> {
    type Error = Error;

    fn call_host(
        &mut self,
        store: &mut StoreInner,
        index: u32,
        caller: Option<InstanceAddr>,
        slots: &mut [UntypedVal],
    ) -> Result<(), Error> {
        let f = self.hosts.funcs[index as usize].clone();
        let caller = Caller {
            cx: StoreContextMut {
                inner: store,
                data: self.data,
                hosts: self.hosts,
                id: self.id,
            },
            instance: caller,
        };
        f(caller, slots)
    }

    fn limiter(&mut self) -> Option<&mut dyn strata_vm::ResourceLimiter> {
        Some(self.hosts.limiter(self.data))
    }
}

/// How much native stack host functions that call back into wasm may use, counted from where
/// the outermost call into wasm began: past it, the nested call traps with `call stack
/// exhausted` instead of overflowing the thread's stack. Wasm-to-wasm calls are bounded by
/// `Config::max_call_depth` (the interpreter keeps its frames on the heap; the x64 JIT's use
/// 32 bytes of native stack each), so with the defaults a call into wasm needs about 1.2 MiB of
/// native stack at most: less than a spawned thread's default 2 MiB.
pub(crate) const MAX_REENTRY_STACK: usize = 512 * 1024;

/// An address in the current native stack frame (stacks grow down on every target strata
/// supports, so a deeper frame has a smaller address).
#[inline(never)]
fn native_stack_position() -> usize {
    let marker = 0u8;
    core::hint::black_box(&marker) as *const u8 as usize
}

/// Runs `func` with `slots` (parameters in, results out) on the configured backend.
pub(crate) fn invoke_raw<T>(
    cx: StoreContextMut<'_, T>,
    func: FuncAddr,
    slots: &mut [UntypedVal],
) -> Result<(), Error> {
    let here = native_stack_position();
    let outermost = match cx.hosts.native_stack_base {
        None => {
            cx.hosts.native_stack_base = Some(here);
            true
        }
        Some(base) if base.saturating_sub(here) > MAX_REENTRY_STACK => {
            return Err(Error::Trap(strata_vm::Trap::new(
                strata_vm::TrapCode::StackOverflow,
            )));
        }
        Some(_) => false,
    };
    let mut dispatch = Dispatch {
        data: cx.data,
        hosts: cx.hosts,
        id: cx.id,
    };
    let result = run_backend(cx.inner, &mut dispatch, func, slots);
    if outermost {
        dispatch.hosts.native_stack_base = None;
    }
    result
}

/// [`invoke_raw`]'s call into the store's backend.
fn run_backend<T>(
    inner: &mut StoreInner,
    dispatch: &mut Dispatch<'_, T>,
    func: FuncAddr,
    slots: &mut [UntypedVal],
) -> Result<(), Error> {
    #[cfg(all(feature = "jit-x64", target_arch = "x86_64", unix))]
    if strata_jit_x64::is_enabled(inner) {
        return strata_jit_x64::invoke(inner, dispatch, func, slots).map_err(Error::from);
    }
    strata_interp::invoke(inner, dispatch, func, slots).map_err(Error::from)
}

/// A function: defined by a wasm instance or by the host. A handle into its [`Store`].
///
/// [`Store`]: crate::Store
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Func {
    pub(crate) addr: FuncAddr,
    pub(crate) store: StoreId,
}

impl Func {
    pub(crate) fn from_addr(addr: FuncAddr, store: StoreId) -> Self {
        Func { addr, store }
    }

    /// The store-wide address (what a `funcref` [`Val`] holds).
    pub fn addr(&self) -> FuncAddr {
        self.addr
    }

    /// The function referenced by `val` (a non-null `funcref` of `store`).
    pub fn from_val(store: impl AsContext, val: &Val) -> Option<Func> {
        match val {
            Val::FuncRef(Some(addr)) => {
                let cx = store.as_context();
                (addr.index() < cx.inner.funcs.len() as u32)
                    .then_some(Func::from_addr(*addr, cx.id))
            }
            _ => None,
        }
    }

    /// This function as a `funcref` value.
    pub fn to_val(&self) -> Val {
        Val::FuncRef(Some(self.addr))
    }

    /// A host function from a typed Rust closure. Its parameters and results are
    /// [`WasmTy`] types; it may take a [`Caller`] first and may return `Result<_, Error>`.
    ///
    /// ```
    /// use strata_runtime::{Engine, Func, Store};
    /// let mut store = Store::new(&Engine::default(), ());
    /// let add = Func::wrap(&mut store, |a: i32, b: i32| a.wrapping_add(b));
    /// let typed = add.typed::<(i32, i32), i32>(&store)?;
    /// assert_eq!(typed.call(&mut store, (2, 3))?, 5);
    /// # Ok::<(), strata_runtime::Error>(())
    /// ```
    pub fn wrap<T: 'static, Params, Results>(
        mut store: impl AsContextMut<Data = T>,
        f: impl IntoFunc<T, Params, Results>,
    ) -> Func {
        let (ty, host) = f.into_func();
        let cx = store.as_context_mut();
        Func::alloc_host(cx, &ty, host)
    }

    /// A host function of type `ty` working on dynamic values.
    ///
    /// ```
    /// use strata_runtime::{Engine, Func, FuncType, Store, Val, ValType};
    /// let mut store = Store::new(&Engine::default(), ());
    /// let ty = FuncType::new(&[ValType::I64], &[ValType::I64]);
    /// let neg = Func::new(&mut store, ty, |_caller, params, results| {
    ///     let Val::I64(x) = params[0] else { unreachable!() };
    ///     results[0] = Val::I64(-x);
    ///     Ok(())
    /// });
    /// let mut out = [Val::I64(0)];
    /// neg.call(&mut store, &[Val::I64(7)], &mut out)?;
    /// assert_eq!(out[0], Val::I64(-7));
    /// # Ok::<(), strata_runtime::Error>(())
    /// ```
    pub fn new<T: 'static>(
        mut store: impl AsContextMut<Data = T>,
        ty: FuncType,
        f: impl Fn(Caller<'_, T>, &[Val], &mut [Val]) -> Result<(), Error> + Send + Sync + 'static,
    ) -> Func {
        let host = dynamic_host(ty.clone(), f);
        Func::alloc_host(store.as_context_mut(), &ty, host)
    }

    pub(crate) fn alloc_host<T>(
        cx: StoreContextMut<'_, T>,
        ty: &FuncType,
        host: HostFunc<T>,
    ) -> Func {
        let index = cx.hosts.funcs.len() as u32;
        cx.hosts.funcs.push(host);
        let addr = cx.inner.push_host_func(ty, index);
        Func::from_addr(addr, cx.id)
    }

    /// The function's type.
    pub fn ty(&self, store: impl AsContext) -> FuncType {
        let cx = store.as_context();
        self.store.check(cx.id);
        cx.inner.func_type(self.addr).clone()
    }

    /// Calls the function with dynamically typed `params`, writing its results to `results`
    /// (which must have exactly as many entries as the function has results).
    pub fn call(
        &self,
        mut store: impl AsContextMut,
        params: &[Val],
        results: &mut [Val],
    ) -> Result<(), Error> {
        let cx = store.as_context_mut();
        self.store.check(cx.id);
        let ty = cx.inner.func_type(self.addr).clone();
        if params.len() != ty.params().len() {
            return Err(Error::usage(format!(
                "expected {} arguments, got {}",
                ty.params().len(),
                params.len()
            )));
        }
        if results.len() != ty.results().len() {
            return Err(Error::usage(format!(
                "expected {} results, got room for {}",
                ty.results().len(),
                results.len()
            )));
        }
        let entity = cx.inner.func(self.addr);
        let n = usize::from(entity.param_slots.max(entity.result_slots));
        let mut slots = vec![UntypedVal::ZERO; n];
        let mut at = 0;
        for (p, &t) in params.iter().zip(ty.params()) {
            if !p.matches(t) {
                return Err(Error::usage(format!(
                    "argument of type {} where {t} is expected",
                    p.ty()
                )));
            }
            let s = p.to_slots();
            slots[at] = s[0];
            if t == ValType::V128 {
                slots[at + 1] = s[1];
                at += 1;
            }
            at += 1;
        }
        invoke_raw(cx, self.addr, &mut slots)?;
        read_vals(ty.results(), &slots, results);
        Ok(())
    }

    /// This function with a static signature, checked now, for fast calls.
    pub fn typed<Params: WasmParams, Results: WasmResults>(
        &self,
        store: impl AsContext,
    ) -> Result<TypedFunc<Params, Results>, Error> {
        let ty = self.ty(store);
        if !Params::matches(ty.params()) || !Results::matches(ty.results()) {
            return Err(Error::usage(format!(
                "type mismatch: the function's type is {ty}"
            )));
        }
        Ok(TypedFunc {
            func: *self,
            _marker: PhantomData,
        })
    }
}

/// Reads values of `types` from consecutive `slots` into `out`.
pub(crate) fn read_vals(types: &[ValType], slots: &[UntypedVal], out: &mut [Val]) {
    let mut at = 0;
    for (r, &t) in out.iter_mut().zip(types) {
        let hi = if t == ValType::V128 {
            slots[at + 1]
        } else {
            UntypedVal::ZERO
        };
        *r = Val::from_slots(t, [slots[at], hi]).unwrap_or(Val::FuncRef(None));
        at += strata_vm::value::slot_count(t);
    }
}

/// Writes `vals` into consecutive slots.
pub(crate) fn write_vals(vals: &[Val], slots: &mut [UntypedVal]) {
    let mut at = 0;
    for v in vals {
        let s = v.to_slots();
        slots[at] = s[0];
        if let Val::V128(_) = v {
            slots[at + 1] = s[1];
            at += 1;
        }
        at += 1;
    }
}

pub(crate) fn dynamic_host<T>(
    ty: FuncType,
    f: impl Fn(Caller<'_, T>, &[Val], &mut [Val]) -> Result<(), Error> + Send + Sync + 'static,
) -> HostFunc<T> {
    Arc::new(move |caller, slots| {
        let mut params = vec![Val::I32(0); ty.params().len()];
        read_vals(ty.params(), slots, &mut params);
        let mut results: Vec<Val> = ty
            .results()
            .iter()
            .map(|&t| Val::default_for(t).unwrap_or(Val::FuncRef(None)))
            .collect();
        f(caller, &params, &mut results)?;
        for (r, &t) in results.iter().zip(ty.results()) {
            if !r.matches(t) {
                return Err(Error::usage(format!(
                    "host function returned {} where {t} is expected",
                    r.ty()
                )));
            }
        }
        write_vals(&results, slots);
        Ok(())
    })
}

/// A Rust type that is a WebAssembly value type: `i32`, `u32`, `i64`, `u64`, `f32`, `f64`.
pub trait WasmTy: Copy + Send + Sync + 'static {
    /// Its WebAssembly type.
    fn valtype() -> ValType;
    /// Reads it from a slot.
    fn from_slot(slot: UntypedVal) -> Self;
    /// Writes it to a slot.
    fn into_slot(self) -> UntypedVal;
}

macro_rules! wasm_ty {
    ($($t:ty => $vt:ident, $from:ident, $to:ident;)*) => {$(
        impl WasmTy for $t {
            #[inline]
            fn valtype() -> ValType {
                ValType::$vt
            }
            #[inline]
            fn from_slot(slot: UntypedVal) -> Self {
                slot.$to()
            }
            #[inline]
            fn into_slot(self) -> UntypedVal {
                UntypedVal::$from(self)
            }
        }
    )*};
}

wasm_ty! {
    i32 => I32, from_i32, to_i32;
    u32 => I32, from_u32, to_u32;
    i64 => I64, from_i64, to_i64;
    u64 => I64, from_u64, to_u64;
    f32 => F32, from_f32, to_f32;
    f64 => F64, from_f64, to_f64;
}

/// The parameters of a [`TypedFunc`]: `()`, one [`WasmTy`], or a tuple of them.
pub trait WasmParams: Send + Sync + 'static {
    /// How many values.
    const LEN: usize;
    /// Whether the types are exactly `types`.
    fn matches(types: &[ValType]) -> bool;
    /// The types, in order.
    fn types() -> Vec<ValType>;
    /// Writes the values to consecutive slots.
    fn store(self, slots: &mut [UntypedVal]);
}

/// The results of a [`TypedFunc`] or a typed host function: `()`, one [`WasmTy`], or a tuple.
pub trait WasmResults: Sized + Send + Sync + 'static {
    /// How many values.
    const LEN: usize;
    /// Whether the types are exactly `types`.
    fn matches(types: &[ValType]) -> bool;
    /// The types, in order.
    fn types() -> Vec<ValType>;
    /// Reads the values from consecutive slots.
    fn load(slots: &[UntypedVal]) -> Self;
    /// Writes the values to consecutive slots.
    fn store(self, slots: &mut [UntypedVal]);
}

impl<A: WasmTy> WasmParams for A {
    const LEN: usize = 1;
    fn matches(types: &[ValType]) -> bool {
        types == [A::valtype()]
    }
    fn types() -> Vec<ValType> {
        vec![A::valtype()]
    }
    fn store(self, slots: &mut [UntypedVal]) {
        slots[0] = self.into_slot();
    }
}

impl<A: WasmTy> WasmResults for A {
    const LEN: usize = 1;
    fn matches(types: &[ValType]) -> bool {
        types == [A::valtype()]
    }
    fn types() -> Vec<ValType> {
        vec![A::valtype()]
    }
    fn load(slots: &[UntypedVal]) -> Self {
        A::from_slot(slots[0])
    }
    fn store(self, slots: &mut [UntypedVal]) {
        slots[0] = self.into_slot();
    }
}

macro_rules! tuples {
    ($( ($($t:ident $i:tt),*) ;)*) => {$(
        impl<$($t: WasmTy),*> WasmParams for ($($t,)*) {
            const LEN: usize = 0 $(+ { let _ = $i; 1 })*;
            fn matches(types: &[ValType]) -> bool {
                types == [$($t::valtype()),*]
            }
            fn types() -> Vec<ValType> {
                vec![$($t::valtype()),*]
            }
            #[allow(unused_variables)]
            fn store(self, slots: &mut [UntypedVal]) {
                $( slots[$i] = self.$i.into_slot(); )*
            }
        }

        impl<$($t: WasmTy),*> WasmResults for ($($t,)*) {
            const LEN: usize = 0 $(+ { let _ = $i; 1 })*;
            fn matches(types: &[ValType]) -> bool {
                types == [$($t::valtype()),*]
            }
            fn types() -> Vec<ValType> {
                vec![$($t::valtype()),*]
            }
            #[allow(unused_variables, clippy::unused_unit)]
            fn load(slots: &[UntypedVal]) -> Self {
                ($($t::from_slot(slots[$i]),)*)
            }
            #[allow(unused_variables)]
            fn store(self, slots: &mut [UntypedVal]) {
                $( slots[$i] = self.$i.into_slot(); )*
            }
        }
    )*};
}

tuples! {
    ();
    (A1 0);
    (A1 0, A2 1);
    (A1 0, A2 1, A3 2);
    (A1 0, A2 1, A3 2, A4 3);
    (A1 0, A2 1, A3 2, A4 3, A5 4);
    (A1 0, A2 1, A3 2, A4 3, A5 4, A6 5);
    (A1 0, A2 1, A3 2, A4 3, A5 4, A6 5, A7 6);
    (A1 0, A2 1, A3 2, A4 3, A5 4, A6 5, A7 6, A8 7);
}

/// What a typed host closure may return: its results, or `Result<results, Error>`.
pub trait HostResult: Send + Sync + 'static {
    /// The results' types.
    type Results: WasmResults;
    /// The results, or the host function's error.
    fn into_result(self) -> Result<Self::Results, Error>;
}

impl<R: WasmResults> HostResult for R {
    type Results = R;
    fn into_result(self) -> Result<R, Error> {
        Ok(self)
    }
}

impl<R: WasmResults> HostResult for Result<R, Error> {
    type Results = R;
    fn into_result(self) -> Result<R, Error> {
        self
    }
}

/// A Rust closure usable as a host function (see [`Func::wrap`] and
/// [`Linker::func_wrap`](crate::Linker::func_wrap)). `Params` is the tuple of its parameter
/// types (with a leading [`Caller`] if it takes one), `Results` its return type.
pub trait IntoFunc<T, Params, Results>: Send + Sync + 'static {
    /// The function's type and its slot-level implementation.
    #[doc(hidden)]
    fn into_func(self) -> (FuncType, HostFunc<T>);
}

macro_rules! into_func {
    ($( ($($t:ident $i:tt),*) ;)*) => {$(
        impl<T, F, $($t: WasmTy,)* R> IntoFunc<T, ($($t,)*), R> for F
        where
            F: Fn($($t),*) -> R + Send + Sync + 'static,
            R: HostResult,
        {
            fn into_func(self) -> (FuncType, HostFunc<T>) {
                let ty = FuncType::new(&[$($t::valtype()),*], &R::Results::types());
                let host: HostFunc<T> = Arc::new(move |_caller, slots| {
                    let r = (self)($($t::from_slot(slots[$i])),*).into_result()?;
                    r.store(slots);
                    Ok(())
                });
                (ty, host)
            }
        }

        impl<T, F, $($t: WasmTy,)* R> IntoFunc<T, (Caller<'static, T>, $($t,)*), R> for F
        where
            F: Fn(Caller<'_, T>, $($t),*) -> R + Send + Sync + 'static,
            R: HostResult,
        {
            fn into_func(self) -> (FuncType, HostFunc<T>) {
                let ty = FuncType::new(&[$($t::valtype()),*], &R::Results::types());
                let host: HostFunc<T> = Arc::new(move |caller, slots| {
                    let r = (self)(caller, $($t::from_slot(slots[$i])),*).into_result()?;
                    r.store(slots);
                    Ok(())
                });
                (ty, host)
            }
        }
    )*};
}

into_func! {
    ();
    (A1 0);
    (A1 0, A2 1);
    (A1 0, A2 1, A3 2);
    (A1 0, A2 1, A3 2, A4 3);
    (A1 0, A2 1, A3 2, A4 3, A5 4);
    (A1 0, A2 1, A3 2, A4 3, A5 4, A6 5);
    (A1 0, A2 1, A3 2, A4 3, A5 4, A6 5, A7 6);
    (A1 0, A2 1, A3 2, A4 3, A5 4, A6 5, A7 6, A8 7);
}

/// A function with a statically known signature: calls skip the dynamic type checks and the
/// [`Val`] conversions. Parameters are `()`, one [`WasmTy`] or a tuple; results likewise.
///
/// ```
/// # fn wat(s: &str) -> Vec<u8> { let b = wast::parser::ParseBuffer::new(s).unwrap(); let mut m: wast::Wat = wast::parser::parse(&b).unwrap(); m.encode().unwrap() }
/// use strata_runtime::{Engine, Linker, Module, Store};
/// let engine = Engine::default();
/// let module = Module::new(&engine, &wat(r#"(module
///     (func (export "divmod") (param i64 i64) (result i64 i64)
///       (i64.div_u (local.get 0) (local.get 1))
///       (i64.rem_u (local.get 0) (local.get 1))))"#))?;
/// let mut store = Store::new(&engine, ());
/// let instance = Linker::new(&engine).instantiate(&mut store, &module)?;
/// let divmod = instance.get_typed_func::<(u64, u64), (u64, u64)>(&store, "divmod")?;
/// assert_eq!(divmod.call(&mut store, (17, 5))?, (3, 2));
/// let trap = divmod.call(&mut store, (1, 0)).unwrap_err();
/// assert_eq!(trap.to_string().lines().next(), Some("integer divide by zero"));
/// # Ok::<(), strata_runtime::Error>(())
/// ```
pub struct TypedFunc<Params, Results> {
    func: Func,
    _marker: PhantomData<fn(Params) -> Results>,
}

impl<P, R> Clone for TypedFunc<P, R> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<P, R> Copy for TypedFunc<P, R> {}

impl<P, R> core::fmt::Debug for TypedFunc<P, R> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_tuple("TypedFunc").field(&self.func).finish()
    }
}

/// Slots for a typed call without allocating, up to this many.
const INLINE_SLOTS: usize = 16;

impl<Params: WasmParams, Results: WasmResults> TypedFunc<Params, Results> {
    /// The untyped function.
    pub fn func(&self) -> Func {
        self.func
    }

    /// Calls the function.
    pub fn call(&self, mut store: impl AsContextMut, params: Params) -> Result<Results, Error> {
        let cx = store.as_context_mut();
        self.func.store.check(cx.id);
        let n = Params::LEN.max(Results::LEN);
        if n <= INLINE_SLOTS {
            let mut slots = [UntypedVal::ZERO; INLINE_SLOTS];
            params.store(&mut slots);
            invoke_raw(cx, self.func.addr, &mut slots[..n])?;
            Ok(Results::load(&slots))
        } else {
            let mut slots = vec![UntypedVal::ZERO; n];
            params.store(&mut slots);
            invoke_raw(cx, self.func.addr, &mut slots)?;
            Ok(Results::load(&slots))
        }
    }
}
