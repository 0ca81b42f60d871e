//! `Module::deserialize` on arbitrary bytes never panics and never accepts an inconsistent
//! module; what it accepts instantiates and runs (under fuel) without panicking.
//!
//! The first byte picks the mode: even, the rest is an artefact as is (header checks, the
//! checksum); odd, the rest is XORed into the payload of a real artefact (one of the bench
//! programs, compiled here) at a chosen offset and the checksum is recomputed, so the payload
//! decoder and the IR verifier are what must hold.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use strata_runtime::{Config, Engine, Linker, Module, Store, Val};

const SEEDS: &[&[u8]] = &[
    include_bytes!("../../bench/programs/dispatch.wasm"),
    include_bytes!("../../bench/programs/sort.wasm"),
    include_bytes!("../../bench/programs/bulkmem.wasm"),
    include_bytes!("../../bench/programs/checksum_simd.wasm"),
];

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let mut config = Config::new();
        config.consume_fuel(true).interruptible(true);
        Engine::new(&config)
    })
}

fn artefacts() -> &'static [Vec<u8>] {
    static ARTEFACTS: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    ARTEFACTS.get_or_init(|| {
        SEEDS
            .iter()
            .filter_map(|w| Module::new(engine(), w).ok())
            .map(|m| m.serialize())
            .collect()
    })
}

/// Where the checksum and the payload start: magic 8, format 4, version (4 + n), backend 1,
/// flags 1, features 4, arch (4 + n), cpu 8, length 8, then the checksum (8).
fn layout(a: &[u8]) -> (usize, usize) {
    let len = |at: usize| u32::from_le_bytes(a[at..at + 4].try_into().unwrap()) as usize;
    let mut at = 12;
    at += 4 + len(at) + 1 + 1 + 4;
    at += 4 + len(at) + 8 + 8;
    (at, at + 8)
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let bytes = if mode & 1 == 0 {
        rest.to_vec()
    } else {
        let seeds = artefacts();
        let mut a = seeds[(mode as usize >> 1) % seeds.len()].clone();
        if rest.len() < 3 {
            return;
        }
        let (sum_at, payload_at) = layout(&a);
        let span = a.len() - payload_at;
        let pos = payload_at + usize::from(u16::from_le_bytes([rest[0], rest[1]])) * 4 % span;
        for (i, &b) in rest[2..].iter().enumerate() {
            if let Some(x) = a.get_mut(pos + i) {
                *x ^= b;
            }
        }
        let sum = strata_runtime::__checksum(&a[payload_at..]);
        a[sum_at..sum_at + 8].copy_from_slice(&sum.to_le_bytes());
        a
    };
    let Ok(module) = Module::deserialize(engine(), &bytes) else {
        return;
    };
    let mut store = Store::new(engine(), ());
    store.set_fuel(20_000).unwrap();
    let Ok(instance) = Linker::new(engine()).instantiate(&mut store, &module) else {
        return;
    };
    for (_, export) in instance.exports(&store) {
        let Some(func) = export.into_func() else {
            continue;
        };
        let ty = func.ty(&store);
        let params: Vec<Val> = ty
            .params()
            .iter()
            .filter_map(|&t| Val::default_for(t))
            .collect();
        let mut results: Vec<Val> = ty
            .results()
            .iter()
            .filter_map(|&t| Val::default_for(t))
            .collect();
        if params.len() == ty.params().len() && results.len() == ty.results().len() {
            let _ = func.call(&mut store, &params, &mut results);
        }
        store.set_fuel(20_000).unwrap();
    }
});
