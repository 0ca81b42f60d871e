fn main() { let _ = (wasmi::Engine::default(), wasmtime::Engine::default(), strata_runtime::Engine::default()); }
