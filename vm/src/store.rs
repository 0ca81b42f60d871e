//! The store: every runtime entity of every instance, addressed by index.
//!
//! [`StoreInner`] is deliberately not generic: the interpreter and the JITs work on it directly,
//! while the embedding API (`strata-runtime`) wraps it together with the embedder's data and its
//! host functions. Entities are only ever appended, so an address stays valid for the store's
//! whole life, and the [`IrFunc`] behind a [`FuncAddr`] never moves.

use alloc::boxed::Box;
use alloc::collections::BTreeMap;
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::hash::{Hash, Hasher};
use core::ops::Range;
use core::sync::atomic::{AtomicBool, Ordering};

use strata_decoder::{FuncType, SubType};
use strata_ir::IrFunc;

use crate::global::Global;
use crate::instance::InstanceData;
use crate::memory::{LinearMemory, MemoryConfig};
use crate::module_info::RecGroup;
use crate::reference::{ExnAddr, FuncAddr};
use crate::segment::{DataSegment, ElementSegment};
use crate::table::Table;
use crate::value::UntypedVal;

macro_rules! addr_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[repr(transparent)]
        pub struct $name(pub u32);

        impl $name {
            /// The index into the store's vector of these entities.
            #[inline]
            pub fn index(self) -> usize {
                self.0 as usize
            }
        }
    };
}

addr_type!(
    /// The store-wide address of a table.
    TableAddr
);
addr_type!(
    /// The store-wide address of a linear memory.
    MemoryAddr
);
addr_type!(
    /// The store-wide address of a global.
    GlobalAddr
);
addr_type!(
    /// The store-wide address of an instance's data segment.
    DataAddr
);
addr_type!(
    /// The store-wide address of an instance's element segment.
    ElemAddr
);
addr_type!(
    /// The store-wide address of a module instance.
    InstanceAddr
);
addr_type!(
    /// The store-wide address of an exception tag.
    TagAddr
);
addr_type!(
    /// A store-wide interned defined type: two types have the same `SigId` exactly when they
    /// are equivalent (the spec's iso-recursive type equivalence, across modules), so
    /// `call_indirect`'s check and import matching are one compare.
    SigId
);

/// An exportable, importable entity (the spec's *externval*).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ExternVal {
    /// A function.
    Func(FuncAddr),
    /// A table.
    Table(TableAddr),
    /// A memory.
    Memory(MemoryAddr),
    /// A global.
    Global(GlobalAddr),
    /// An exception tag.
    Tag(TagAddr),
}

/// An exception tag in the store: a fresh identity with a function type (its payload is the
/// type's parameters).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TagEntity {
    /// The tag's interned type.
    pub sig: SigId,
}

/// An exception object: the tag it was thrown with and its payload, one slot per 8 bytes of
/// the tag's parameters (as frame slots hold them). It lives as long as the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExnEntity {
    /// The tag the exception was thrown with.
    pub tag: TagAddr,
    /// The payload, as slots.
    pub payload: Box<[UntypedVal]>,
}

/// Marks, in a canonical recursion group, a reference to the `n`th type of the group itself.
const IN_GROUP: u32 = 1 << 31;

/// A recursion group in canonical form: its types with every reference inside the group made
/// relative to it ([`IN_GROUP`]) and every reference to an earlier group replaced by that
/// type's [`SigId`], plus the hash the registry buckets it by. Equal keys are exactly
/// equivalent groups, whichever module declared them.
///
/// A group that refers to no type outside itself (every plain function type, alone in its
/// group, is one) has the same key in every store, so a module computes it once
/// ([`CanonicalGroup::closed`], kept in its [`RecGroup`](crate::module_info::RecGroup)) and a
/// store interns it with a lookup and a reference count, without copying a type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CanonicalGroup {
    key: Arc<[SubType]>,
    hash: u64,
}

impl CanonicalGroup {
    /// The canonical form of `types[range]` if no type of the group refers to a type outside
    /// it (`None` otherwise, or if `range` is not inside `types`).
    pub fn closed(types: &[SubType], range: Range<u32>) -> Option<Self> {
        Self::build(types, range, |_| None)
    }

    /// The canonical form of `types[range]`, with `outside(x)` the id to put for a reference
    /// to type `x` outside the group; `None` if `outside` gives none or `range` is not inside
    /// `types`.
    fn build(
        types: &[SubType],
        range: Range<u32>,
        mut outside: impl FnMut(u32) -> Option<u32>,
    ) -> Option<Self> {
        let group = types.get(range.start as usize..range.end as usize)?;
        let mut complete = true;
        let key: Arc<[SubType]> = group
            .iter()
            .map(|t| {
                t.map_type_indices(&mut |x| {
                    if range.contains(&x) {
                        IN_GROUP | (x - range.start)
                    } else {
                        outside(x).unwrap_or_else(|| {
                            complete = false;
                            u32::MAX
                        })
                    }
                })
            })
            .collect();
        complete.then(|| Self::from_key(key))
    }

    fn from_key(key: Arc<[SubType]>) -> Self {
        let mut h = Fnv(0xcbf2_9ce4_8422_2325);
        key.hash(&mut h);
        CanonicalGroup {
            key,
            hash: h.finish(),
        }
    }
}

/// Interns defined types store-wide (see [`SigId`]), one recursion group at a time, by their
/// [`CanonicalGroup`]s.
#[derive(Debug)]
pub struct SigRegistry {
    /// Each id's canonical group and its position in it.
    types: Vec<(Arc<[SubType]>, u32)>,
    /// Each id's declared supertype, for import matching.
    supers: Vec<Option<SigId>>,
    /// The id of the first type of each canonical group, by the group's hash.
    groups: BTreeMap<u64, Bucket>,
    /// What [`get`](Self::get) gives for struct and array types, which no function has.
    empty: FuncType,
}

impl Default for SigRegistry {
    fn default() -> Self {
        SigRegistry {
            types: Vec::new(),
            supers: Vec::new(),
            groups: BTreeMap::new(),
            empty: FuncType::new(&[], &[]),
        }
    }
}

/// The groups with one hash: the first one's first id, and any others' (a hash collision).
#[derive(Debug)]
struct Bucket {
    first: u32,
    more: Vec<u32>,
}

/// FNV-1a, enough to bucket signatures without `std`'s hasher.
struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x100_0000_01b3);
        }
    }
}

impl SigRegistry {
    /// The id of `ty` as a host function's type: a final function type in a group of its own
    /// (what a module's `(type (func ...))` declares, so the two match).
    pub fn intern(&mut self, ty: &FuncType) -> SigId {
        let key: Arc<[SubType]> = Arc::new([SubType::final_func(ty.clone())]);
        SigId(self.intern_group(&CanonicalGroup::from_key(key)))
    }

    /// Interns a module's types (`types` by module type index, `groups` its recursion groups
    /// in order, covering the types) and returns each type's id. A type the groups do not
    /// cover (never, for a validated module) gets `SigId(u32::MAX)`, which matches nothing.
    pub fn intern_module(&mut self, types: &[SubType], groups: &[RecGroup]) -> Box<[SigId]> {
        let mut ids: Vec<SigId> = Vec::with_capacity(types.len());
        self.types.reserve(types.len());
        self.supers.reserve(types.len());
        for g in groups {
            let (start, end) = (g.types.start, g.types.end);
            if start as usize != ids.len() || end < start {
                break;
            }
            let first = match &g.canonical {
                Some(c) => self.intern_group(c),
                None => {
                    let Some(c) = CanonicalGroup::build(types, g.types.clone(), |x| {
                        Some(ids.get(x as usize).map_or(u32::MAX, |id| id.0))
                    }) else {
                        break;
                    };
                    self.intern_group(&c)
                }
            };
            ids.extend((0..end - start).map(|i| SigId(first + i)));
        }
        ids.resize(types.len(), SigId(u32::MAX));
        ids.into_boxed_slice()
    }

    /// The id of the first type of the canonical group `group`, interning it on first sight.
    fn intern_group(&mut self, group: &CanonicalGroup) -> u32 {
        let key = &group.key;
        let same = |first: u32| {
            let stored = &self.types[first as usize].0;
            Arc::ptr_eq(stored, key) || **stored == **key
        };
        let bucket = self.groups.get(&group.hash);
        if let Some(b) = bucket {
            if let Some(first) = core::iter::once(b.first)
                .chain(b.more.iter().copied())
                .find(|&f| same(f))
            {
                return first;
            }
        }
        let first = self.types.len() as u32;
        for (i, t) in key.iter().enumerate() {
            self.types.push((key.clone(), i as u32));
            self.supers.push(t.supertypes.first().map(|&x| {
                if x & IN_GROUP != 0 {
                    SigId(first + (x & !IN_GROUP))
                } else {
                    SigId(x)
                }
            }));
        }
        match self.groups.get_mut(&group.hash) {
            Some(b) => b.more.push(first),
            None => {
                self.groups.insert(
                    group.hash,
                    Bucket {
                        first,
                        more: Vec::new(),
                    },
                );
            }
        }
        first
    }

    /// The signature with this id (an empty one for a struct or array type).
    #[inline]
    pub fn get(&self, id: SigId) -> &FuncType {
        let (group, i) = &self.types[id.index()];
        group[*i as usize].as_func().unwrap_or(&self.empty)
    }

    /// Whether the type `a` is `b` or declares it as a (transitive) supertype.
    pub fn is_subtype(&self, a: SigId, b: SigId) -> bool {
        let mut cur = Some(a);
        // Supertypes are earlier types, so a chain is at most as long as the registry.
        for _ in 0..=self.supers.len() {
            match cur {
                Some(c) if c == b => return true,
                Some(c) => cur = self.supers.get(c.index()).copied().flatten(),
                None => return false,
            }
        }
        false
    }
}

/// What a function is.
#[derive(Debug, Clone)]
pub enum FuncKind {
    /// A function defined by a module: its instance and its translated code.
    Wasm {
        /// The instance that defined it (its globals, memories, tables...).
        instance: InstanceAddr,
        /// The translated body.
        code: Arc<IrFunc>,
    },
    /// A host function: an index the embedder's host-call handler understands.
    Host {
        /// The embedder's index of the function.
        index: u32,
    },
}

/// A function in the store.
#[derive(Debug, Clone)]
pub struct FuncEntity {
    /// Its interned signature.
    pub sig: SigId,
    /// Slots its parameters take.
    pub param_slots: u16,
    /// Slots its results take.
    pub result_slots: u16,
    /// Wasm or host.
    pub kind: FuncKind,
}

/// Execution limits and memory creation settings of a store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoreConfig {
    /// How linear memories are created.
    pub memory: MemoryConfig,
    /// The deepest wasm call nesting allowed before trapping with `call stack exhausted`.
    pub max_call_depth: u32,
    /// The most value-stack slots (8 bytes each) a call may use before trapping with
    /// `call stack exhausted`.
    pub max_stack_slots: u32,
}

impl Default for StoreConfig {
    fn default() -> Self {
        StoreConfig {
            memory: MemoryConfig::default(),
            max_call_depth: 20_000,
            max_stack_slots: 1 << 20,
        }
    }
}

/// Every entity of every instance in a store, plus the execution state backends share.
///
/// Fields are public so backends can borrow disjoint parts at once (a table mutably and the
/// element segments immutably for `table.init`, say).
#[derive(Debug, Default)]
pub struct StoreInner {
    /// Limits and settings.
    pub config: StoreConfig,
    /// Interned signatures.
    pub sigs: SigRegistry,
    /// Functions, by [`FuncAddr`].
    pub funcs: Vec<FuncEntity>,
    /// Tables, by [`TableAddr`].
    pub tables: Vec<Table>,
    /// Memories, by [`MemoryAddr`].
    pub memories: Vec<LinearMemory>,
    /// Globals, by [`GlobalAddr`].
    pub globals: Vec<Global>,
    /// Exception tags, by [`TagAddr`].
    pub tags: Vec<TagEntity>,
    /// Exception objects, by [`ExnAddr`] (never freed before the store: strata has no
    /// collector yet, so every `throw` costs its payload until the store is dropped).
    pub exns: Vec<ExnEntity>,
    /// Data segments, by [`DataAddr`].
    pub datas: Vec<DataSegment>,
    /// Element segments, by [`ElemAddr`].
    pub elems: Vec<ElementSegment>,
    /// Instances, by [`InstanceAddr`].
    pub instances: Vec<InstanceData>,
    /// Value-stack buffers kept between calls, so a call does not allocate.
    pub stack_pool: Vec<Vec<UntypedVal>>,
    /// The interpreter's per-store state: its code for the store's functions, verified and
    /// lowered once and kept across calls (so a host→wasm call does not redo it). Only
    /// `strata-interp` knows its type.
    pub interp: crate::backend::BackendData,
    /// Wasm frames live in outer activations (a host function that called back into wasm),
    /// counted against [`StoreConfig::max_call_depth`].
    pub outer_call_depth: u32,
    /// Fuel left for code translated with fuel metering: each `ConsumeFuel { amount }`
    /// subtracts `amount`, or traps with `all fuel consumed by WebAssembly` (leaving this
    /// unchanged) when less than `amount` is left.
    pub fuel: u64,
    /// The interruption request shared with the embedder's interrupt handles and deadline
    /// timer; `CheckInterrupt` reads it (one relaxed load) and traps with `interrupted` when it
    /// is set, clearing it (see [`InterruptFlag`]).
    pub interrupt: Arc<InterruptFlag>,
    /// Per-store state of a compiling backend (the x64 JIT's run-time tables); see
    /// [`BackendData`](crate::backend::BackendData).
    pub backend: crate::backend::BackendData,
}

/// An interruption request: set from any thread, read by running code at function entries and
/// loop headers. A request is consumed by the trap it causes, so the store can run again.
#[derive(Debug, Default)]
pub struct InterruptFlag(AtomicBool);

impl InterruptFlag {
    /// Asks running (or the next) WebAssembly code of the store to trap with `interrupted`.
    #[inline]
    pub fn request(&self) {
        self.0.store(true, Ordering::Relaxed);
    }

    /// Whether an interruption was requested (one relaxed load: the hot-path check).
    #[inline(always)]
    pub fn is_requested(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }

    /// Takes the request: `true` (and clears it) if one was pending.
    #[inline]
    pub fn take(&self) -> bool {
        self.0.swap(false, Ordering::Relaxed)
    }
}

impl StoreInner {
    /// An empty store with these settings.
    pub fn new(config: StoreConfig) -> Self {
        StoreInner {
            config,
            ..StoreInner::default()
        }
    }

    /// Adds a function, returning its address.
    pub fn push_func(&mut self, func: FuncEntity) -> FuncAddr {
        let addr = FuncAddr::new(self.funcs.len() as u32).expect("too many functions");
        self.funcs.push(func);
        addr
    }

    /// Adds a host function of type `ty` known to the embedder as `index`.
    pub fn push_host_func(&mut self, ty: &FuncType, index: u32) -> FuncAddr {
        let sig = self.sigs.intern(ty);
        let (param_slots, result_slots) = slot_counts(ty);
        self.push_func(FuncEntity {
            sig,
            param_slots,
            result_slots,
            kind: FuncKind::Host { index },
        })
    }

    /// The function at `addr`.
    #[inline]
    pub fn func(&self, addr: FuncAddr) -> &FuncEntity {
        &self.funcs[addr.index() as usize]
    }

    /// The signature of the function at `addr`.
    pub fn func_type(&self, addr: FuncAddr) -> &FuncType {
        self.sigs.get(self.func(addr).sig)
    }

    /// Adds a table.
    pub fn push_table(&mut self, table: Table) -> TableAddr {
        self.tables.push(table);
        TableAddr(self.tables.len() as u32 - 1)
    }

    /// Adds a memory.
    pub fn push_memory(&mut self, memory: LinearMemory) -> MemoryAddr {
        self.memories.push(memory);
        MemoryAddr(self.memories.len() as u32 - 1)
    }

    /// Adds a global.
    pub fn push_global(&mut self, global: Global) -> GlobalAddr {
        self.globals.push(global);
        GlobalAddr(self.globals.len() as u32 - 1)
    }

    /// Adds a new tag (a fresh identity) of type `sig`.
    pub fn push_tag(&mut self, sig: SigId) -> TagAddr {
        self.tags.push(TagEntity { sig });
        TagAddr(self.tags.len() as u32 - 1)
    }

    /// Adds an exception object; `None` once the store holds `ExnAddr::MAX_INDEX + 1` of them.
    pub fn push_exn(&mut self, exn: ExnEntity) -> Option<ExnAddr> {
        let addr = ExnAddr::new(u32::try_from(self.exns.len()).ok()?)?;
        self.exns.push(exn);
        Some(addr)
    }

    /// Frees exception `exn` if it is the newest one: for a backend whose `throw` made it and
    /// whose unwinding ended with no `exnref` to it (a catch clause without `_ref`, or no
    /// catch at all), so code that throws and catches in a loop does not grow the store.
    pub fn release_exn(&mut self, exn: ExnAddr) {
        if self.exns.len() == exn.index() as usize + 1 {
            self.exns.pop();
        }
    }

    /// The instance at `addr`.
    #[inline]
    pub fn instance(&self, addr: InstanceAddr) -> &InstanceData {
        &self.instances[addr.index()]
    }

    /// A value-stack buffer from the pool (or a new one).
    pub fn take_stack(&mut self) -> Vec<UntypedVal> {
        self.stack_pool.pop().unwrap_or_default()
    }

    /// Returns a value-stack buffer to the pool.
    pub fn return_stack(&mut self, stack: Vec<UntypedVal>) {
        if self.stack_pool.len() < 4 {
            self.stack_pool.push(stack);
        }
    }
}

/// The slots a function of type `ty` takes for its parameters and for its results.
pub fn slot_counts(ty: &FuncType) -> (u16, u16) {
    let count = |tys: &[strata_decoder::ValType]| {
        tys.iter()
            .map(|&t| crate::value::slot_count(t) as u16)
            .sum::<u16>()
    };
    (count(ty.params()), count(ty.results()))
}

/// Two distinct elements of one slice, both writable.
pub fn two_mut<T>(v: &mut [T], a: usize, b: usize) -> (&mut T, &mut T) {
    assert_ne!(a, b);
    if a < b {
        let (l, r) = v.split_at_mut(b);
        (&mut l[a], &mut r[0])
    } else {
        let (l, r) = v.split_at_mut(a);
        (&mut r[0], &mut l[b])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;
    use strata_decoder::{CompositeType, HeapType, RefType, ValType};

    fn func(params: &[ValType], results: &[ValType]) -> SubType {
        SubType::final_func(FuncType::new(params, results))
    }

    fn ref_to(x: u32) -> ValType {
        ValType::Ref(RefType {
            nullable: true,
            heap: HeapType::Concrete(x),
        })
    }

    /// A module's types split into recursion groups of these sizes, canonical keys precomputed
    /// where the module can.
    fn groups(types: &[SubType], sizes: &[u32]) -> Vec<RecGroup> {
        let mut start = 0;
        sizes
            .iter()
            .map(|&n| {
                start += n;
                RecGroup::new(types, start - n..start)
            })
            .collect()
    }

    /// The same groups with every key left to the store (the path a group referring to an
    /// earlier one takes).
    fn uncached(groups: &[RecGroup]) -> Vec<RecGroup> {
        groups
            .iter()
            .map(|g| RecGroup {
                types: g.types.clone(),
                canonical: None,
            })
            .collect()
    }

    #[test]
    fn closed_groups_are_precomputed_and_agree_with_the_store_path() {
        let i32_ = ValType::I32;
        // 0: (func (param i32)); 1: (func (param (ref null 0))), which refers to group 0;
        // 2-3: (rec (func (param (ref null 3))) (sub (func (result (ref null 2))))).
        let types = vec![
            func(&[i32_], &[]),
            func(&[ref_to(0)], &[]),
            func(&[ref_to(3)], &[]),
            SubType {
                is_final: false,
                supertypes: Box::new([]),
                composite: CompositeType::Func(FuncType::new(&[], &[ref_to(2)])),
            },
        ];
        let gs = groups(&types, &[1, 1, 2]);
        assert!(gs[0].canonical.is_some());
        assert!(gs[1].canonical.is_none(), "refers to an earlier group");
        assert!(gs[2].canonical.is_some(), "refers only to itself");

        let mut fast = SigRegistry::default();
        let mut slow = SigRegistry::default();
        let a = fast.intern_module(&types, &gs);
        let b = slow.intern_module(&types, &uncached(&gs));
        assert_eq!(a, b);
        assert_eq!(a.len(), 4);
        // Interning again, in the same store, finds every group.
        assert_eq!(fast.intern_module(&types, &gs), a);
        assert_eq!(fast.intern_module(&types, &uncached(&gs)), a);
        assert_eq!(fast.types.len(), 4);
        assert_eq!(fast.get(a[1]).params(), &[ref_to(a[0].0)]);
    }

    #[test]
    fn equivalent_types_of_different_modules_are_one_id() {
        let i32_ = ValType::I32;
        let f = func(&[i32_], &[i32_]);
        let g = func(&[], &[]);
        let rec = |other: u32| [func(&[ref_to(other + 1)], &[]), func(&[], &[ref_to(other)])];
        // Module A: f, g, (rec ...) at 2-3, then a function taking a (ref null f).
        let mut a_types = vec![f.clone(), g.clone()];
        a_types.extend(rec(2));
        a_types.push(func(&[ref_to(0)], &[]));
        // Module B declares the same types in another order and with an extra one first.
        let mut b_types = vec![func(&[ValType::F64], &[]), g.clone()];
        b_types.extend(rec(2));
        b_types.push(f.clone());
        b_types.push(func(&[ref_to(4)], &[]));
        let a_groups = groups(&a_types, &[1, 1, 2, 1]);
        let b_groups = groups(&b_types, &[1, 1, 2, 1, 1]);

        let mut store = SigRegistry::default();
        let a = store.intern_module(&a_types, &a_groups);
        let b = store.intern_module(&b_types, &b_groups);
        assert_eq!(a[0], b[4], "f");
        assert_eq!(a[1], b[1], "g");
        assert_eq!(a[2..4], b[2..4], "the recursion group");
        assert_eq!(a[4], b[5], "a function of (ref null f), whatever f's index");
        assert_ne!(a[0], b[0]);
        // A host function's type is a module's plain function type.
        assert_eq!(store.intern(&FuncType::new(&[i32_], &[i32_])), a[0]);

        // In a store of its own, B's types get ids of their own, the same structure.
        let mut other = SigRegistry::default();
        let b2 = other.intern_module(&b_types, &b_groups);
        assert_eq!(b2.len(), 6);
        assert_eq!(other.get(b2[5]).params(), &[ref_to(b2[4].0)]);
        // The group's members are consecutive and distinct; swapped, it is another group.
        assert_ne!(b2[2], b2[3]);
        let swapped: Vec<SubType> = rec(0).into_iter().rev().collect();
        let s = other.intern_module(&swapped, &groups(&swapped, &[2]));
        assert_ne!(s[..], b2[2..4]);
    }

    #[test]
    fn declared_supertypes_are_kept() {
        let base = SubType {
            is_final: false,
            supertypes: Box::new([]),
            composite: CompositeType::Func(FuncType::new(&[], &[])),
        };
        let sub = SubType {
            is_final: true,
            supertypes: Box::new([0]),
            composite: CompositeType::Func(FuncType::new(&[], &[])),
        };
        let types = [base, sub];
        let mut store = SigRegistry::default();
        let ids = store.intern_module(&types, &groups(&types, &[1, 1]));
        assert!(store.is_subtype(ids[1], ids[0]));
        assert!(!store.is_subtype(ids[0], ids[1]));
        let ids2 = store.intern_module(&types, &groups(&types, &[2]));
        assert!(store.is_subtype(ids2[1], ids2[0]));
        assert_ne!(ids2[0], ids[0], "one group of two is not two groups of one");
    }
}
