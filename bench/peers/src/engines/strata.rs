//! strata, through `strata-runtime`'s embedding API (`Engine`, `Module`, `Store`, `Linker`,
//! `Instance::get_typed_func`, `TypedFunc::call`).

use std::hint::black_box;
use std::time::{Duration, Instant};

use strata_runtime::{Backend, Config, Engine, Linker, Module, Store};

use super::{host_add, same_checksum};

/// strata with one backend.
pub struct Strata {
    engine: Engine,
}

impl Strata {
    /// strata running code with `backend`.
    pub fn new(backend: Backend) -> Self {
        let mut config = Config::new();
        config.backend(backend);
        Strata {
            engine: Engine::new(&config),
        }
    }

    fn module(&self, wasm: &[u8]) -> Result<Module, String> {
        Module::new(&self.engine, wasm).map_err(|e| format!("compile: {e}"))
    }

    fn linker(&self) -> Result<Linker<()>, String> {
        let mut linker = Linker::new(&self.engine);
        linker
            .func_wrap("env", "host_add", host_add)
            .map_err(|e| format!("link: {e}"))?;
        Ok(linker)
    }
}

impl super::Engine for Strata {
    fn compile(&self, wasm: &[u8]) -> Result<(), String> {
        self.module(wasm).map(drop)
    }

    fn run(
        &self,
        wasm: &[u8],
        n: i32,
        warmup: u32,
        runs: u32,
    ) -> Result<(i64, Vec<Duration>), String> {
        let module = self.module(wasm)?;
        let linker = self.linker()?;
        let mut checksum = None;
        let mut times = Vec::new();
        for i in 0..warmup + runs {
            let mut store = Store::new(&self.engine, ());
            let instance = linker
                .instantiate(&mut store, &module)
                .map_err(|e| format!("instantiate: {e}"))?;
            let run = instance
                .get_typed_func::<i32, i64>(&store, "run")
                .map_err(|e| format!("export `run`: {e}"))?;
            let start = Instant::now();
            let got = run.call(&mut store, n).map_err(|e| format!("run: {e}"))?;
            let elapsed = start.elapsed();
            same_checksum(&mut checksum, got)?;
            if i >= warmup {
                times.push(elapsed);
            }
        }
        Ok((checksum.unwrap_or_default(), times))
    }

    fn instantiate(&self, wasm: &[u8], iters: u32) -> Result<Duration, String> {
        let module = self.module(wasm)?;
        let linker = self.linker()?;
        let start = Instant::now();
        for _ in 0..iters {
            let mut store = Store::new(&self.engine, ());
            let instance = linker
                .instantiate(&mut store, &module)
                .map_err(|e| format!("instantiate: {e}"))?;
            black_box((&store, instance));
        }
        Ok(start.elapsed())
    }

    fn host_to_wasm(&self, wasm: &[u8], iters: u32) -> Result<Duration, String> {
        let module = self.module(wasm)?;
        let mut store = Store::new(&self.engine, ());
        let instance = self
            .linker()?
            .instantiate(&mut store, &module)
            .map_err(|e| format!("instantiate: {e}"))?;
        let add = instance
            .get_typed_func::<(i32, i32), i32>(&store, "add")
            .map_err(|e| format!("export `add`: {e}"))?;
        let start = Instant::now();
        let mut acc = 0i32;
        for i in 0..iters as i32 {
            acc = add
                .call(&mut store, (acc, black_box(i)))
                .map_err(|e| format!("add: {e}"))?;
        }
        let elapsed = start.elapsed();
        black_box(acc);
        Ok(elapsed)
    }

    fn wasm_to_host(&self, wasm: &[u8], iters: u32) -> Result<Duration, String> {
        let module = self.module(wasm)?;
        let mut store = Store::new(&self.engine, ());
        let instance = self
            .linker()?
            .instantiate(&mut store, &module)
            .map_err(|e| format!("instantiate: {e}"))?;
        let call_host = instance
            .get_typed_func::<i32, i64>(&store, "call_host")
            .map_err(|e| format!("export `call_host`: {e}"))?;
        let start = Instant::now();
        let got = call_host
            .call(&mut store, iters as i32)
            .map_err(|e| format!("call_host: {e}"))?;
        let elapsed = start.elapsed();
        black_box(got);
        Ok(elapsed)
    }
}
