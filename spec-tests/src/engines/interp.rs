//! The interpreter engine: the spec suite run through `strata-runtime`'s public embedding API
//! (`Linker`, `Store`, `Module`, `Instance`, `Func`), exactly as an embedder would use it.

use strata_decoder::Features;
use strata_runtime::{
    Config, Engine as RtEngine, Error, ExternAddr, Func, FuncType, Global, GlobalType, Instance,
    Limits, Linker, Memory, MemoryType, Module, RefType, Store, Table, TableType, TrapCode, Val,
    ValType,
};

use crate::engine::{Engine, ExecError, InstanceId, Ref, Value};

/// Runs the suite on `strata-interp`.
pub struct InterpEngine {
    store: Store<()>,
    linker: Linker<()>,
    instances: Vec<Instance>,
    backend: strata_runtime::Backend,
}

impl InterpEngine {
    /// A fresh store with the `spectest` module defined.
    pub fn new() -> Result<Self, String> {
        Self::with_backend(strata_runtime::Backend::Interp)
    }

    /// The same adapter on another backend (the x64 JIT: `EngineKind::X64`).
    pub fn with_backend(backend: strata_runtime::Backend) -> Result<Self, String> {
        let mut config = Config::new();
        config.backend(backend);
        let engine = RtEngine::new(&config);
        let mut store = Store::new(&engine, ());
        let mut linker = Linker::new(&engine);
        linker.allow_shadowing(true);
        spectest(&mut store, &mut linker).map_err(|e| e.to_string())?;
        Ok(InterpEngine {
            store,
            linker,
            instances: Vec::new(),
            backend,
        })
    }

    fn instance(&self, id: InstanceId) -> Result<Instance, ExecError> {
        self.instances
            .get(id.0 as usize)
            .copied()
            .ok_or_else(|| ExecError::Other(format!("no instance {}", id.0)))
    }
}

/// Defines the spec suite's `spectest` host module.
fn spectest(store: &mut Store<()>, linker: &mut Linker<()>) -> Result<(), Error> {
    let m = "spectest";
    linker.func_wrap(m, "print", || {})?;
    linker.func_wrap(m, "print_i32", |_: i32| {})?;
    linker.func_wrap(m, "print_i64", |_: i64| {})?;
    linker.func_wrap(m, "print_f32", |_: f32| {})?;
    linker.func_wrap(m, "print_f64", |_: f64| {})?;
    linker.func_wrap(m, "print_i32_f32", |_: i32, _: f32| {})?;
    linker.func_wrap(m, "print_f64_f64", |_: f64, _: f64| {})?;
    let global = |store: &mut Store<()>, content, val| {
        Global::new(
            store,
            GlobalType {
                content,
                mutable: false,
            },
            val,
        )
    };
    let g = global(store, ValType::I32, Val::I32(666))?;
    linker.define(&*store, m, "global_i32", g)?;
    let g = global(store, ValType::I64, Val::I64(666))?;
    linker.define(&*store, m, "global_i64", g)?;
    let g = global(store, ValType::F32, Val::from(666.6f32))?;
    linker.define(&*store, m, "global_f32", g)?;
    let g = global(store, ValType::F64, Val::from(666.6f64))?;
    linker.define(&*store, m, "global_f64", g)?;
    let table = Table::new(
        &mut *store,
        TableType {
            element: RefType::FUNCREF,
            limits: Limits {
                min: 10,
                max: Some(20),
            },
            table64: false,
        },
        Val::FuncRef(None),
    )?;
    linker.define(&*store, m, "table", table)?;
    let memory = Memory::new(
        &mut *store,
        MemoryType {
            limits: Limits {
                min: 1,
                max: Some(2),
            },
            memory64: false,
            shared: false,
            page_size_log2: None,
        },
    )?;
    linker.define(&*store, m, "memory", memory)?;
    Ok(())
}

/// Sorts a runtime error into the harness's categories.
fn exec_error(e: Error) -> ExecError {
    match e {
        Error::Trap(t) if t.code() == TrapCode::StackOverflow => {
            ExecError::Exhaustion(t.code().message().into())
        }
        Error::Trap(t) if t.code() == TrapCode::UncaughtException => ExecError::Exception,
        Error::Trap(t) => ExecError::Trap(t.code().message().into()),
        Error::Link(m) => ExecError::Link(m),
        Error::Unsupported(m) => ExecError::Unsupported(m),
        other => ExecError::Other(other.to_string()),
    }
}

fn to_val(v: &Value, ty: ValType) -> Result<Val, ExecError> {
    Ok(match *v {
        Value::I32(x) => Val::I32(x),
        Value::I64(x) => Val::I64(x),
        Value::F32(x) => Val::F32(strata_decoder::Ieee32(x)),
        Value::F64(x) => Val::F64(strata_decoder::Ieee64(x)),
        Value::V128(x) => Val::V128(x),
        Value::Ref(Ref::Null) => match ty {
            ValType::Ref(r)
                if matches!(
                    r.heap,
                    strata_decoder::HeapType::Extern | strata_decoder::HeapType::NoExtern
                ) =>
            {
                Val::ExternRef(None)
            }
            ValType::Ref(r)
                if matches!(
                    r.heap,
                    strata_decoder::HeapType::Exn | strata_decoder::HeapType::NoExn
                ) =>
            {
                Val::ExnRef(None)
            }
            _ => Val::FuncRef(None),
        },
        Value::Ref(Ref::Extern(n)) => Val::ExternRef(ExternAddr::new(n)),
        Value::Ref(r) => return Err(ExecError::Unsupported(format!("argument {r:?}"))),
    })
}

fn from_val(v: Val) -> Value {
    match v {
        Val::I32(x) => Value::I32(x),
        Val::I64(x) => Value::I64(x),
        Val::F32(x) => Value::F32(x.0),
        Val::F64(x) => Value::F64(x.0),
        Val::V128(x) => Value::V128(x),
        Val::FuncRef(None) | Val::ExternRef(None) | Val::ExnRef(None) => Value::Ref(Ref::Null),
        Val::ExnRef(Some(_)) => Value::Ref(Ref::Exn),
        Val::FuncRef(Some(_)) => Value::Ref(Ref::Func),
        Val::ExternRef(Some(a)) => Value::Ref(Ref::Extern(a.index())),
    }
}

impl Engine for InterpEngine {
    fn instantiate(&mut self, bytes: &[u8], features: Features) -> Result<InstanceId, ExecError> {
        let mut config = Config::new();
        config.features(features).backend(self.backend);
        let engine = RtEngine::new(&config);
        let module =
            Module::new(&engine, bytes).map_err(|e| ExecError::Other(format!("compile: {e}")))?;
        let instance = self
            .linker
            .instantiate(&mut self.store, &module)
            .map_err(exec_error)?;
        self.instances.push(instance);
        Ok(InstanceId(self.instances.len() as u32 - 1))
    }

    fn register(&mut self, name: &str, instance: InstanceId) -> Result<(), ExecError> {
        let instance = self.instance(instance)?;
        self.linker
            .instance(&self.store, name, instance)
            .map_err(exec_error)?;
        Ok(())
    }

    fn invoke(
        &mut self,
        instance: InstanceId,
        export: &str,
        args: &[Value],
    ) -> Result<Vec<Value>, ExecError> {
        let instance = self.instance(instance)?;
        let func: Func = instance
            .get_func(&self.store, export)
            .ok_or_else(|| ExecError::Other(format!("no exported function `{export}`")))?;
        let ty: FuncType = func.ty(&self.store);
        if args.len() != ty.params().len() {
            return Err(ExecError::Other(format!(
                "`{export}` takes {} arguments, got {}",
                ty.params().len(),
                args.len()
            )));
        }
        let params = args
            .iter()
            .zip(ty.params())
            .map(|(a, &t)| to_val(a, t))
            .collect::<Result<Vec<_>, _>>()?;
        let mut results = vec![Val::I32(0); ty.results().len()];
        func.call(&mut self.store, &params, &mut results)
            .map_err(exec_error)?;
        Ok(results.into_iter().map(from_val).collect())
    }

    fn global(&mut self, instance: InstanceId, export: &str) -> Result<Value, ExecError> {
        let instance = self.instance(instance)?;
        let global = instance
            .get_global(&self.store, export)
            .ok_or_else(|| ExecError::Other(format!("no exported global `{export}`")))?;
        Ok(from_val(global.get(&self.store)))
    }
}
