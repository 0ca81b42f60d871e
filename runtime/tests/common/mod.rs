//! Helpers the integration tests share: modules from text, and running a test on every backend
//! this build has.
#![allow(dead_code)]

use strata_runtime::{Backend, Config, Engine, Instance, Linker, Module, Store};

/// The binary of the module written in `src` (text format).
pub fn wat(src: &str) -> Vec<u8> {
    let buf = wast::parser::ParseBuffer::new(src).unwrap();
    let mut module: wast::Wat = wast::parser::parse(&buf).unwrap();
    module.encode().unwrap()
}

/// The backends this build can run.
pub fn backends() -> Vec<Backend> {
    let mut b = vec![Backend::Interp];
    if Backend::X64_AVAILABLE {
        b.push(Backend::X64);
    }
    b
}

/// Runs `test` on every backend and checks they all return the same value.
pub fn on_all<R: PartialEq + std::fmt::Debug>(test: impl Fn(Backend) -> R) -> R {
    let mut results = backends().into_iter().map(|b| (b, test(b)));
    let (_, first) = results.next().unwrap();
    for (b, r) in results {
        assert_eq!(r, first, "{b:?} differs from the interpreter");
    }
    first
}

/// A store of `backend`'s default engine with the module written in `src` instantiated (no
/// imports).
pub fn instantiate(backend: Backend, src: &str) -> (Store<()>, Instance) {
    let mut config = Config::new();
    config.backend(backend);
    let engine = Engine::new(&config);
    let module = Module::new(&engine, &wat(src)).unwrap();
    let mut store = Store::new(&engine, ());
    let instance = Linker::new(&engine)
        .instantiate(&mut store, &module)
        .unwrap();
    (store, instance)
}

/// A small deterministic generator (xorshift64*) for the generated-program tests, so a failure
/// reproduces from its seed alone. The seed must not be 0.
pub struct Rng(pub u64);

impl Rng {
    /// The next 64 random bits.
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A number below `n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}
