//! [`JitStore`]: the JIT's view of a store (code pointers, per-instance tables, memory and
//! table descriptors), kept in [`StoreInner::backend`] and brought up to date ([`JitStore::sync`])
//! whenever the store may have changed behind the JIT's back: at every entry from the host and
//! after every host call.
//!
//! Compiled modules are found through a process-wide registry keyed by the address of each
//! function's `Arc<IrFunc>` (the same `Arc` the store's `FuncKind::Wasm` holds). An entry is
//! valid while its `ModuleInfo` lives (which keeps the `IrFunc` and so the key alive); dead
//! entries are dropped at the next registration. Stores keep the code they use alive
//! themselves.

use alloc::boxed::Box;
use alloc::collections::BTreeMap;
use alloc::sync::{Arc, Weak};

use alloc::vec::Vec;
use std::sync::Mutex;

use strata_ir::IrFunc;
use strata_vm::store::InterruptFlag;
use strata_vm::{FuncKind, GlobalCell, ModuleInfo, StoreInner};

use strata_decoder::ImportType;
use strata_vm::InstanceAddr;

use crate::compile::{guard_suffices, Bounds, CompiledModule};
use crate::context::{VmFunc, VmInstance, VmMemory, VmTable};
use crate::stubs::Stubs;

/// Registry entries: `IrFunc` address → (its module, the compiled code, its index in it).
type Registry = BTreeMap<usize, (Weak<ModuleInfo>, Arc<CompiledModule>, u32)>;

fn registry() -> std::sync::MutexGuard<'static, Registry> {
    static REGISTRY: Mutex<Registry> = Mutex::new(BTreeMap::new());
    REGISTRY.lock().unwrap_or_else(|e| e.into_inner())
}

/// Compiles `info` (unless it already is) and registers the code under its functions' `IrFunc`
/// addresses. Entries of modules that no longer exist are dropped on the way.
pub(crate) fn compile_and_register(
    info: &Arc<ModuleInfo>,
) -> Result<Arc<CompiledModule>, crate::CompileError> {
    if let Some(first) = info.code.first() {
        if let Some((m, _)) = lookup(first) {
            return Ok(m);
        }
    }
    let m = Arc::new(crate::compile::compile_with(
        &info.code,
        info.num_imported_funcs,
        bounds_for(info),
    )?);
    let mut r = registry();
    r.retain(|_, (w, _, _)| w.strong_count() > 0);
    for (i, f) in info.code.iter().enumerate() {
        r.insert(
            Arc::as_ptr(f) as usize,
            (Arc::downgrade(info), m.clone(), i as u32),
        );
    }
    Ok(m)
}

/// The bounds strategy for `info`'s code ([`Bounds::for_memory0`] of its memory 0, imported or
/// defined); instances whose memory 0 turns out not to suit guarded code get the checked
/// variant ([`memory0_guarded`]).
fn bounds_for(info: &ModuleInfo) -> Bounds {
    let imported = info.imports.iter().find_map(|i| match i.ty {
        ImportType::Memory(ty) => Some(ty),
        _ => None,
    });
    Bounds::for_memory0(imported.or_else(|| info.memories.first().copied()))
}

/// Whether the code of instance `inst` may rely on guard pages: its memory 0 exists and
/// [`guard_suffices`]. False for an instance not in the store (yet), which is always safe.
fn memory0_guarded(store: &StoreInner, inst: InstanceAddr) -> bool {
    store
        .instances
        .get(inst.index())
        .and_then(|i| i.memories.first())
        .and_then(|m| store.memories.get(m.index()))
        .is_some_and(guard_suffices)
}

pub(crate) fn lookup(f: &Arc<IrFunc>) -> Option<(Arc<CompiledModule>, u32)> {
    let r = registry();
    let (w, m, i) = r.get(&(Arc::as_ptr(f) as usize))?;
    (w.strong_count() > 0).then(|| (m.clone(), *i))
}

/// One instance's tables; `vm` is what `r13` points to.
struct InstanceTables {
    vm: VmInstance,
    funcs: Box<[VmFunc]>,
    globals: Box<[*mut GlobalCell]>,
    tables: Box<[*const VmTable]>,
    sigs: Box<[u32]>,
}

/// The JIT's state for one store.
///
/// Descriptors and instance tables are boxed one by one on purpose: JIT code and other tables
/// hold their addresses, which must not move when the vectors grow.
#[allow(clippy::vec_box)]
pub(crate) struct JitStore {
    /// Every function of the store, by `FuncAddr`.
    pub funcs: Vec<VmFunc>,
    memories: Vec<Box<VmMemory>>,
    tables: Vec<Box<VmTable>>,
    instances: Vec<Box<InstanceTables>>,
    /// How many of `instances` have their tables filled in.
    filled: usize,
    /// `store.globals`' buffer and length when the globals pointers were computed.
    globals_at: (usize, usize),
    /// Compiled modules whose code the tables point into.
    modules: BTreeMap<usize, Arc<CompiledModule>>,
    empty_memory: Box<VmMemory>,
}

// SAFETY: the raw pointers point into heap data owned by the same store (its globals' cells,
// its memories' and tables' buffers) or by this `JitStore` (boxed descriptors), or into
// compiled code kept alive by `modules`; they are only dereferenced by code running on the
// thread that holds the store exclusively (`&mut StoreInner`).
unsafe impl Send for JitStore {}
// SAFETY: see `Send`; shared references to a `JitStore` are never used to read through them.
unsafe impl Sync for JitStore {}

impl JitStore {
    fn new() -> Self {
        JitStore {
            funcs: Vec::new(),
            memories: Vec::new(),
            tables: Vec::new(),
            instances: Vec::new(),
            filled: 0,
            globals_at: (0, 0),
            modules: BTreeMap::new(),
            empty_memory: Box::new(VmMemory {
                base: core::ptr::NonNull::dangling().as_ptr(),
                len: 0,
            }),
        }
    }

    /// The store's `JitStore`, created on first use and brought up to date. The pointer stays
    /// valid for the store's life (the state is boxed and never replaced).
    pub(crate) fn sync(store: &mut StoreInner) -> *mut JitStore {
        let mut state = store
            .backend
            .0
            .take()
            .unwrap_or_else(|| Box::new(JitStore::new()));
        let jit = state
            .downcast_mut::<JitStore>()
            .expect("the store's backend data belongs to the x64 JIT");
        jit.update(store);
        let ptr: *mut JitStore = jit;
        store.backend.0 = Some(state);
        ptr
    }

    /// The compiled module (one the store's functions run) whose code holds `addr`.
    pub(crate) fn module_at(&self, addr: usize) -> Option<&Arc<CompiledModule>> {
        self.modules.values().find(|m| m.contains(addr))
    }

    /// Refreshes memory and table descriptors (after a grow).
    pub(crate) fn refresh_descriptors(&mut self, store: &mut StoreInner) {
        while self.memories.len() < store.memories.len() {
            self.memories.push(Box::new(VmMemory {
                base: core::ptr::null_mut(),
                len: 0,
            }));
        }
        for (d, m) in self.memories.iter_mut().zip(store.memories.iter_mut()) {
            d.len = m.len() as u64;
            d.base = m.base_ptr();
        }
        while self.tables.len() < store.tables.len() {
            self.tables.push(Box::new(VmTable {
                base: core::ptr::null_mut(),
                len: 0,
            }));
        }
        for (d, t) in self.tables.iter_mut().zip(store.tables.iter_mut()) {
            d.len = t.size();
            d.base = t.base_ptr().cast::<u32>();
        }
    }

    fn instance_box(&mut self, index: usize) -> *const VmInstance {
        while self.instances.len() <= index {
            self.instances.push(Box::new(InstanceTables {
                vm: VmInstance {
                    mem0: &*self.empty_memory,
                    funcs: core::ptr::null(),
                    globals: core::ptr::null(),
                    tables: core::ptr::null(),
                    sigs: core::ptr::null(),
                    addr: self.instances.len() as u32,
                },
                funcs: Box::new([]),
                globals: Box::new([]),
                tables: Box::new([]),
                sigs: Box::new([]),
            }));
        }
        &self.instances[index].vm
    }

    fn update(&mut self, store: &mut StoreInner) {
        let stubs = Stubs::get();
        self.refresh_descriptors(store);
        // New functions.
        for a in self.funcs.len()..store.funcs.len() {
            let e = &store.funcs[a];
            let vf = match &e.kind {
                FuncKind::Host { .. } => VmFunc {
                    code: stubs.host(),
                    data: a,
                    sig: e.sig.0,
                    addr: a as u32,
                },
                FuncKind::Wasm { instance, code } => {
                    let found = lookup(code).or_else(|| {
                        // Not compiled yet (a deserialized module, say): compile it now.
                        let info = &store.instances.get(instance.index())?.module;
                        compile_and_register(info).ok()?;
                        lookup(code)
                    });
                    // Guarded code only with a memory 0 whose guard region catches its
                    // unchecked accesses; the checked variant otherwise.
                    let found = found.and_then(|(m, local)| {
                        if m.is_guarded() && !memory0_guarded(store, *instance) {
                            Some((m.checked()?, local))
                        } else {
                            Some((m, local))
                        }
                    });
                    let code_addr = match found {
                        Some((m, local)) => {
                            let addr = m.entry(local as usize);
                            self.modules.entry(Arc::as_ptr(&m) as usize).or_insert(m);
                            addr
                        }
                        None => stubs.unsupported(),
                    };
                    let data = self.instance_box(instance.index()) as usize;
                    VmFunc {
                        code: code_addr,
                        data,
                        sig: e.sig.0,
                        addr: a as u32,
                    }
                }
            };
            self.funcs.push(vf);
        }
        // New instances.
        let first_new = self.filled;
        for i in self.filled..store.instances.len() {
            self.instance_box(i);
            let inst = &store.instances[i];
            let t = &mut *self.instances[i];
            t.funcs = inst
                .funcs
                .iter()
                .map(|f| self.funcs[f.index() as usize])
                .collect();
            t.tables = inst
                .tables
                .iter()
                .map(|a| &*self.tables[a.index()] as *const VmTable)
                .collect();
            t.sigs = inst.sigs.iter().map(|s| s.0).collect();
            t.vm.funcs = t.funcs.as_ptr();
            t.vm.tables = t.tables.as_ptr();
            t.vm.sigs = t.sigs.as_ptr();
            t.vm.mem0 = match inst.memories.first() {
                Some(m) => &*self.memories[m.index()],
                None => &*self.empty_memory,
            };
        }
        self.filled = store.instances.len();
        // Globals' cells move when the store's vector of globals reallocates.
        let at = (store.globals.as_ptr() as usize, store.globals.len());
        let from = if at == self.globals_at { first_new } else { 0 };
        self.globals_at = at;
        for i in from..self.filled {
            let inst = &store.instances[i];
            let t = &mut *self.instances[i];
            t.globals = inst
                .globals
                .iter()
                .map(|g| store.globals[g.index()].cell_mut() as *mut GlobalCell)
                .collect();
            t.vm.globals = t.globals.as_ptr();
        }
    }
}

/// The interrupt flag's byte, for JIT code's one-byte check.
pub(crate) fn interrupt_byte(flag: &Arc<InterruptFlag>) -> *const u8 {
    // `InterruptFlag` wraps one `AtomicBool`; a one-byte struct has its field at offset 0.
    const _: () = assert!(core::mem::size_of::<InterruptFlag>() == 1);
    Arc::as_ptr(flag).cast::<u8>()
}
