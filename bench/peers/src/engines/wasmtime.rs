//! wasmtime with Cranelift (its optimising compiler) or Winch (its single-pass baseline
//! compiler): the JIT anchors. Built without `parallel-compilation`, so compiling uses one
//! thread like the interpreters.

use std::hint::black_box;
use std::time::{Duration, Instant};

use wasmtime::{Config, Engine, Linker, Module, Store, Strategy};

use super::{host_add, same_checksum};

/// wasmtime with one compilation strategy.
pub struct Wasmtime {
    strategy: Strategy,
}

impl Wasmtime {
    /// wasmtime with Cranelift.
    pub fn cranelift() -> Self {
        Wasmtime {
            strategy: Strategy::Cranelift,
        }
    }

    /// wasmtime with Winch.
    pub fn winch() -> Self {
        Wasmtime {
            strategy: Strategy::Winch,
        }
    }

    fn engine(&self) -> Result<Engine, String> {
        let mut config = Config::new();
        config.strategy(self.strategy);
        Engine::new(&config).map_err(|e| format!("engine: {e}"))
    }

    fn module(engine: &Engine, wasm: &[u8]) -> Result<Module, String> {
        Module::new(engine, wasm).map_err(|e| format!("compile: {e:#}"))
    }

    fn linker(engine: &Engine) -> Result<Linker<()>, String> {
        let mut linker = Linker::new(engine);
        linker
            .func_wrap("env", "host_add", host_add)
            .map_err(|e| format!("link: {e}"))?;
        Ok(linker)
    }
}

impl super::Engine for Wasmtime {
    fn compile(&self, wasm: &[u8]) -> Result<(), String> {
        Self::module(&self.engine()?, wasm).map(drop)
    }

    fn run(
        &self,
        wasm: &[u8],
        n: i32,
        warmup: u32,
        runs: u32,
    ) -> Result<(i64, Vec<Duration>), String> {
        let engine = self.engine()?;
        let module = Self::module(&engine, wasm)?;
        let linker = Self::linker(&engine)?;
        let mut checksum = None;
        let mut times = Vec::new();
        for i in 0..warmup + runs {
            let mut store = Store::new(&engine, ());
            let instance = linker
                .instantiate(&mut store, &module)
                .map_err(|e| format!("instantiate: {e:#}"))?;
            let run = instance
                .get_typed_func::<i32, i64>(&mut store, "run")
                .map_err(|e| format!("export `run`: {e}"))?;
            let start = Instant::now();
            let got = run.call(&mut store, n).map_err(|e| format!("run: {e:#}"))?;
            let elapsed = start.elapsed();
            same_checksum(&mut checksum, got)?;
            if i >= warmup {
                times.push(elapsed);
            }
        }
        Ok((checksum.unwrap_or_default(), times))
    }

    fn instantiate(&self, wasm: &[u8], iters: u32) -> Result<Duration, String> {
        let engine = self.engine()?;
        let module = Self::module(&engine, wasm)?;
        let linker = Self::linker(&engine)?;
        let start = Instant::now();
        for _ in 0..iters {
            let mut store = Store::new(&engine, ());
            let instance = linker
                .instantiate(&mut store, &module)
                .map_err(|e| format!("instantiate: {e:#}"))?;
            black_box((&store, instance));
        }
        Ok(start.elapsed())
    }

    fn host_to_wasm(&self, wasm: &[u8], iters: u32) -> Result<Duration, String> {
        let engine = self.engine()?;
        let module = Self::module(&engine, wasm)?;
        let mut store = Store::new(&engine, ());
        let instance = Self::linker(&engine)?
            .instantiate(&mut store, &module)
            .map_err(|e| format!("instantiate: {e:#}"))?;
        let add = instance
            .get_typed_func::<(i32, i32), i32>(&mut store, "add")
            .map_err(|e| format!("export `add`: {e}"))?;
        let start = Instant::now();
        let mut acc = 0i32;
        for i in 0..iters as i32 {
            acc = add
                .call(&mut store, (acc, black_box(i)))
                .map_err(|e| format!("add: {e:#}"))?;
        }
        let elapsed = start.elapsed();
        black_box(acc);
        Ok(elapsed)
    }

    fn wasm_to_host(&self, wasm: &[u8], iters: u32) -> Result<Duration, String> {
        let engine = self.engine()?;
        let module = Self::module(&engine, wasm)?;
        let mut store = Store::new(&engine, ());
        let instance = Self::linker(&engine)?
            .instantiate(&mut store, &module)
            .map_err(|e| format!("instantiate: {e:#}"))?;
        let call_host = instance
            .get_typed_func::<i32, i64>(&mut store, "call_host")
            .map_err(|e| format!("export `call_host`: {e}"))?;
        let start = Instant::now();
        let got = call_host
            .call(&mut store, iters as i32)
            .map_err(|e| format!("call_host: {e:#}"))?;
        let elapsed = start.elapsed();
        black_box(got);
        Ok(elapsed)
    }
}
