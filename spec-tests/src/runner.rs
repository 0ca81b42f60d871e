//! Judges every directive of one `.wast` file and records the outcome in a [`FileReport`].

use std::collections::HashMap;
use std::panic::{self, AssertUnwindSafe};

use strata_decoder::Features;
use strata_validator::Error;
use wast::core::ModuleKind;
use wast::lexer::Lexer;
use wast::parser::{self, ParseBuffer};
use wast::token::{Id, Span};
use wast::{QuoteWat, Wast, WastDirective, WastExecute, WastInvoke, Wat};

use crate::encode::{encode_module, encode_quote, Encoded};
use crate::engine::{Engine, EngineKind, ExecError, InstanceId, Value};
use crate::report::FileReport;
use crate::suite::{Suite, WastFile};

use crate::value::{arg_value, ret_matches};

/// Skip category: the directive needs an engine to run code and none was selected.
pub const NEEDS_ENGINE: &str = "needs-engine";
/// Skip category: the directive tests the text format, which strata does not parse.
pub const TEXT_FORMAT: &str = "text-format";
/// Skip category: the directive concerns a component, not a core module.
pub const COMPONENT_MODEL: &str = "component-model";
/// Skip category: the directive checks custom-section contents, which strata ignores.
pub const CUSTOM_SECTION: &str = "custom-section";
/// Skip category: threads (`thread`, `wait`), which no engine runs yet.
pub const THREADS: &str = "threads";
/// Skip category: stack switching (`assert_suspension`), which no engine runs yet.
pub const STACK_SWITCHING: &str = "stack-switching";

/// Runs every directive of `file` as part of `suite`, executing code with `engine`.
///
/// A fresh engine (store) is created for the file. If the engine cannot be created, the
/// file gets a single failure saying why.
pub fn run_file(suite: &Suite, file: &WastFile, engine: EngineKind) -> FileReport {
    match engine.create() {
        Ok(engine) => run_file_with(suite.name(), file, engine),
        Err(e) => {
            let mut report = FileReport::new(suite.name(), &file.name);
            report.fail(1, "engine", e);
            report
        }
    }
}

/// Runs every directive of `file` (reported under `suite`) with an already created engine,
/// or none.
pub fn run_file_with(suite: &str, file: &WastFile, engine: Option<Box<dyn Engine>>) -> FileReport {
    let mut run = FileRun {
        lines: LineIndex::new(file.text),
        features: file.features,
        report: FileReport::new(suite, &file.name),
        engine,
        current: None,
        instances: HashMap::new(),
        definitions: HashMap::new(),
    };

    let mut lexer = Lexer::new(file.text);
    lexer.allow_confusing_unicode(true);
    let parsed = ParseBuffer::new_with_lexer(lexer)
        .and_then(|buf| parser::parse::<Wast<'_>>(&buf).map(|wast| run.directives(wast)));
    if let Err(mut e) = parsed {
        e.set_text(file.text);
        let line = run.lines.line(e.span());
        let message = e.message();
        run.report
            .fail(line, "wast", format!("cannot parse: {message}"));
    }
    run.report
}

/// Maps byte offsets to 1-based line numbers.
struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    fn new(text: &str) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        LineIndex { starts }
    }

    fn line(&self, span: Span) -> usize {
        self.starts.partition_point(|&start| start <= span.offset())
    }
}

/// The state of one file's run: the report so far and, with an engine, the live instances.
struct FileRun {
    lines: LineIndex,
    features: Features,
    report: FileReport,
    engine: Option<Box<dyn Engine>>,
    /// The most recently instantiated module, the default target of `invoke` & co.
    current: Option<InstanceId>,
    /// Instances by `$id`.
    instances: HashMap<String, InstanceId>,
    /// Module definitions (`module definition $id`) by `$id`, for `module instance`.
    definitions: HashMap<String, Vec<u8>>,
}

impl FileRun {
    fn directives(&mut self, wast: Wast<'_>) {
        for directive in wast.directives {
            self.directive(directive);
        }
    }

    fn directive(&mut self, directive: WastDirective<'_>) {
        let line = self.lines.line(directive.span());
        match directive {
            WastDirective::Module(module) => self.module(line, "module", module, true),
            WastDirective::ModuleDefinition(module) => {
                self.module(line, "module definition", module, false)
            }
            WastDirective::ModuleInstance {
                instance, module, ..
            } => self.module_instance(line, instance, module),
            WastDirective::AssertMalformed {
                module, message, ..
            } => self.assert_malformed(line, module, message),
            WastDirective::AssertInvalid {
                module, message, ..
            } => self.assert_invalid(line, module, message),
            WastDirective::AssertMalformedCustom { .. }
            | WastDirective::AssertInvalidCustom { .. } => self.report.skip(CUSTOM_SECTION),
            WastDirective::Register { name, module, .. } => self.register(line, name, module),
            WastDirective::Invoke(invoke) => {
                if let Some(result) = self.execute(line, "invoke", WastExecute::Invoke(invoke)) {
                    match result {
                        Ok(_) => self.report.pass(),
                        Err(e) => self.report.fail(line, "invoke", e.to_string()),
                    }
                }
            }
            WastDirective::AssertReturn { exec, results, .. } => {
                self.assert_return(line, exec, &results)
            }
            WastDirective::AssertTrap { exec, message, .. } => self.expect_error(
                line,
                "assert_trap",
                exec,
                message,
                |e, expected| matches!(e, ExecError::Trap(m) if same_message(m, expected)),
            ),
            WastDirective::AssertExhaustion { call, message, .. } => self.expect_error(
                line,
                "assert_exhaustion",
                WastExecute::Invoke(call),
                message,
                |e, expected| matches!(e, ExecError::Exhaustion(m) if same_message(m, expected)),
            ),
            WastDirective::AssertUnlinkable {
                module, message, ..
            } => self.expect_error(
                line,
                "assert_unlinkable",
                WastExecute::Wat(module),
                message,
                |e, _| matches!(e, ExecError::Link(_)),
            ),
            WastDirective::AssertException { exec, .. } => {
                self.expect_error(line, "assert_exception", exec, "exception", |e, _| {
                    matches!(e, ExecError::Exception)
                })
            }
            WastDirective::AssertSuspension { .. } => self.skip_execution(STACK_SWITCHING),
            WastDirective::Thread(_) | WastDirective::Wait { .. } => self.skip_execution(THREADS),
        }
    }

    /// Skips a directive no engine supports yet: `needs-engine` without one, else `category`.
    fn skip_execution(&mut self, category: &'static str) {
        let category = if self.engine.is_some() {
            category
        } else {
            NEEDS_ENGINE
        };
        self.report.skip(category);
    }

    /// Decodes and validates `bytes`, turning a panic into an error message.
    fn judge(&self, bytes: &[u8]) -> Result<Result<(), Error>, String> {
        let features = self.features;
        panic::catch_unwind(AssertUnwindSafe(|| {
            strata_validator::validate_bytes(bytes, features)
        }))
        .map_err(|payload| {
            let message = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown payload".to_string());
            format!("decoder/validator panicked: {message}")
        })
    }

    /// `module`, `module definition`: must validate; with an engine, `module` also instantiates.
    fn module(
        &mut self,
        line: usize,
        directive: &'static str,
        mut module: QuoteWat<'_>,
        instantiate: bool,
    ) {
        let name = module.name().map(|id| id.name().to_string());
        let bytes = match encode_quote(&mut module, self.features) {
            Encoded::Bytes(bytes) => bytes,
            Encoded::Component => return self.report.skip(COMPONENT_MODEL),
            Encoded::TextError(e) => {
                return self
                    .report
                    .fail(line, directive, format!("cannot encode the module: {e}"))
            }
        };
        match self.judge(&bytes) {
            Err(panic) => return self.report.fail(line, directive, panic),
            Ok(Err(e)) => {
                return self
                    .report
                    .fail(line, directive, format!("module rejected: {e}"))
            }
            Ok(Ok(())) => {}
        }
        if !instantiate {
            if let Some(name) = name {
                self.definitions.insert(name, bytes);
            }
            return self.report.pass();
        }
        let Some(engine) = self.engine.as_mut() else {
            return self.report.pass();
        };
        match engine.instantiate(&bytes, self.features) {
            Ok(instance) => {
                self.current = Some(instance);
                if let Some(name) = name {
                    self.instances.insert(name, instance);
                }
                self.report.pass();
            }
            Err(e) => self
                .report
                .fail(line, directive, format!("cannot instantiate: {e}")),
        }
    }

    /// `module instance $i $m`: instantiates a definition (needs an engine).
    fn module_instance(&mut self, line: usize, instance: Option<Id<'_>>, module: Option<Id<'_>>) {
        let Some(engine) = self.engine.as_mut() else {
            return self.report.skip(NEEDS_ENGINE);
        };
        let Some(bytes) = module.and_then(|m| self.definitions.get(m.name())) else {
            return self
                .report
                .fail(line, "module instance", "no such module definition");
        };
        match engine.instantiate(bytes, self.features) {
            Ok(id) => {
                self.current = Some(id);
                if let Some(name) = instance {
                    self.instances.insert(name.name().to_string(), id);
                }
                self.report.pass();
            }
            Err(e) => self
                .report
                .fail(line, "module instance", format!("cannot instantiate: {e}")),
        }
    }

    /// `assert_malformed`: a binary module must fail to decode; text ones are `text-format`.
    fn assert_malformed(&mut self, line: usize, mut module: QuoteWat<'_>, message: &str) {
        const DIRECTIVE: &str = "assert_malformed";
        let bytes = match &mut module {
            QuoteWat::QuoteModule(..) => return self.report.skip(TEXT_FORMAT),
            QuoteWat::QuoteComponent(..) | QuoteWat::Wat(Wat::Component(_)) => {
                return self.report.skip(COMPONENT_MODEL)
            }
            QuoteWat::Wat(Wat::Module(m)) => {
                let binary = matches!(m.kind, ModuleKind::Binary(_));
                match encode_module(m, self.features) {
                    Ok(bytes) => bytes,
                    // A text module the `wast` crate rejects is malformed text, not binary.
                    Err(_) if !binary => return self.report.skip(TEXT_FORMAT),
                    Err(e) => {
                        return self.report.fail(
                            line,
                            DIRECTIVE,
                            format!("cannot encode the binary module: {e}"),
                        )
                    }
                }
            }
        };
        match self.judge(&bytes) {
            Err(panic) => self.report.fail(line, DIRECTIVE, panic),
            Ok(Err(Error::Malformed(_))) => self.report.pass(),
            Ok(Err(Error::Invalid(e))) => self.report.fail(
                line,
                DIRECTIVE,
                format!("module invalid ({e}), expected malformed {message:?}"),
            ),
            Ok(Ok(())) => self.report.fail(
                line,
                DIRECTIVE,
                format!("module validated, expected malformed {message:?}"),
            ),
        }
    }

    /// `assert_invalid`: the module must decode and then fail validation.
    fn assert_invalid(&mut self, line: usize, mut module: QuoteWat<'_>, message: &str) {
        const DIRECTIVE: &str = "assert_invalid";
        let bytes = match encode_quote(&mut module, self.features) {
            Encoded::Bytes(bytes) => bytes,
            Encoded::Component => return self.report.skip(COMPONENT_MODEL),
            // The text itself is bad (e.g. an unknown type name): a text-format matter.
            Encoded::TextError(_) => return self.report.skip(TEXT_FORMAT),
        };
        match self.judge(&bytes) {
            Err(panic) => self.report.fail(line, DIRECTIVE, panic),
            Ok(Err(Error::Invalid(_))) => self.report.pass(),
            Ok(Err(Error::Malformed(e))) => self.report.fail(
                line,
                DIRECTIVE,
                format!("module malformed ({e}), expected invalid {message:?}"),
            ),
            Ok(Ok(())) => self.report.fail(
                line,
                DIRECTIVE,
                format!("module validated, expected {message:?}"),
            ),
        }
    }

    /// `register "name" $m?`: makes an instance importable (needs an engine).
    fn register(&mut self, line: usize, name: &str, module: Option<Id<'_>>) {
        if self.engine.is_none() {
            return self.report.skip(NEEDS_ENGINE);
        }
        let instance = match self.instance(module) {
            Ok(instance) => instance,
            Err(e) => return self.report.fail(line, "register", e),
        };
        let engine = self.engine.as_mut().expect("checked above");
        match engine.register(name, instance) {
            Ok(()) => self.report.pass(),
            Err(e) => self.report.fail(line, "register", e.to_string()),
        }
    }

    /// `assert_return`: runs `exec` and compares every result.
    fn assert_return(
        &mut self,
        line: usize,
        exec: WastExecute<'_>,
        expected: &[wast::WastRet<'_>],
    ) {
        const DIRECTIVE: &str = "assert_return";
        let Some(result) = self.execute(line, DIRECTIVE, exec) else {
            return;
        };
        let actual = match result {
            Ok(values) => values,
            Err(e) => return self.report.fail(line, DIRECTIVE, e.to_string()),
        };
        if actual.len() != expected.len() {
            return self.report.fail(
                line,
                DIRECTIVE,
                format!("got {actual:?}, expected {} results", expected.len()),
            );
        }
        for (i, (e, a)) in expected.iter().zip(&actual).enumerate() {
            match ret_matches(e, a) {
                Ok(true) => {}
                Ok(false) => {
                    return self.report.fail(
                        line,
                        DIRECTIVE,
                        format!("result {i}: got {a:?}, expected {e:?}"),
                    )
                }
                Err(category) => return self.report.skip(category),
            }
        }
        self.report.pass();
    }

    /// `assert_trap`, `assert_exhaustion`, `assert_unlinkable`, `assert_exception`: running
    /// `exec` must fail with an error `is_expected` accepts.
    fn expect_error(
        &mut self,
        line: usize,
        directive: &'static str,
        exec: WastExecute<'_>,
        message: &str,
        is_expected: fn(&ExecError, &str) -> bool,
    ) {
        let Some(result) = self.execute(line, directive, exec) else {
            return;
        };
        match result {
            Err(e) if is_expected(&e, message) => self.report.pass(),
            Err(e) => self
                .report
                .fail(line, directive, format!("{e}, expected {message:?}")),
            Ok(values) => self.report.fail(
                line,
                directive,
                format!("returned {values:?}, expected {message:?}"),
            ),
        }
    }

    /// Runs an invoke, a global read or an instantiation.
    ///
    /// Returns `None` when the directive has already been counted (skipped or failed): with
    /// no engine it is `needs-engine`, after a module in it has been checked to validate.
    fn execute(
        &mut self,
        line: usize,
        directive: &'static str,
        exec: WastExecute<'_>,
    ) -> Option<Result<Vec<Value>, ExecError>> {
        match exec {
            WastExecute::Wat(Wat::Component(_)) => {
                self.report.skip(COMPONENT_MODEL);
                None
            }
            WastExecute::Wat(Wat::Module(mut module)) => {
                let bytes = match encode_module(&mut module, self.features) {
                    Ok(bytes) => bytes,
                    Err(e) => {
                        let message = format!("cannot encode the module: {e}");
                        self.report.fail(line, directive, message);
                        return None;
                    }
                };
                let verdict = match self.judge(&bytes) {
                    Ok(Ok(())) => None,
                    Ok(Err(e)) => Some(format!("module rejected: {e}")),
                    Err(panic) => Some(panic),
                };
                if let Some(message) = verdict {
                    self.report.fail(line, directive, message);
                    return None;
                }
                let features = self.features;
                let engine = self.engine_or_skip()?;
                Some(engine.instantiate(&bytes, features).map(|_| Vec::new()))
            }
            WastExecute::Invoke(invoke) => self.invoke(line, directive, invoke),
            WastExecute::Get { module, global, .. } => {
                self.engine_or_skip()?;
                let instance = self.instance_or_fail(line, directive, module)?;
                let engine = self.engine.as_mut()?;
                Some(engine.global(instance, global).map(|v| vec![v]))
            }
        }
    }

    fn invoke(
        &mut self,
        line: usize,
        directive: &'static str,
        invoke: WastInvoke<'_>,
    ) -> Option<Result<Vec<Value>, ExecError>> {
        self.engine_or_skip()?;
        let instance = self.instance_or_fail(line, directive, invoke.module)?;
        let mut args = Vec::with_capacity(invoke.args.len());
        for arg in &invoke.args {
            match arg_value(arg) {
                Ok(value) => args.push(value),
                Err(category) => {
                    self.report.skip(category);
                    return None;
                }
            }
        }
        let engine = self.engine.as_mut()?;
        Some(engine.invoke(instance, invoke.name, &args))
    }

    /// The engine, or `None` after counting the directive as `needs-engine`.
    fn engine_or_skip(&mut self) -> Option<&mut Box<dyn Engine>> {
        if self.engine.is_none() {
            self.report.skip(NEEDS_ENGINE);
        }
        self.engine.as_mut()
    }

    fn instance_or_fail(
        &mut self,
        line: usize,
        directive: &'static str,
        module: Option<Id<'_>>,
    ) -> Option<InstanceId> {
        match self.instance(module) {
            Ok(instance) => Some(instance),
            Err(e) => {
                self.report.fail(line, directive, e);
                None
            }
        }
    }

    /// The instance named `$id`, or the current one.
    fn instance(&self, module: Option<Id<'_>>) -> Result<InstanceId, String> {
        match module {
            Some(id) => self
                .instances
                .get(id.name())
                .copied()
                .ok_or_else(|| format!("no instance named ${}", id.name())),
            None => self
                .current
                .ok_or_else(|| "no module instantiated yet".to_string()),
        }
    }
}

/// Whether a trap message (its first line: a backtrace may follow) says what the script
/// expects. The suite sometimes appends detail ("uninitialized element 2"), so either may be a
/// prefix of the other.
fn same_message(actual: &str, expected: &str) -> bool {
    let actual = actual.lines().next().unwrap_or("");
    actual.starts_with(expected) || (!actual.is_empty() && expected.starts_with(actual))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Knows one instance whose `seven` returns 7, `trap` traps, `id` echoes, global `g` = 1.
    struct FakeEngine {
        instances: u32,
    }

    impl Engine for FakeEngine {
        fn instantiate(&mut self, _: &[u8], _: Features) -> Result<InstanceId, ExecError> {
            self.instances += 1;
            Ok(InstanceId(self.instances))
        }
        fn register(&mut self, _: &str, _: InstanceId) -> Result<(), ExecError> {
            Ok(())
        }
        fn invoke(
            &mut self,
            _: InstanceId,
            export: &str,
            args: &[Value],
        ) -> Result<Vec<Value>, ExecError> {
            match export {
                "seven" => Ok(vec![Value::I32(7)]),
                "trap" => Err(ExecError::Trap("unreachable".into())),
                "id" => Ok(args.to_vec()),
                _ => Err(ExecError::Other(format!("no export {export}"))),
            }
        }
        fn global(&mut self, _: InstanceId, _: &str) -> Result<Value, ExecError> {
            Ok(Value::I32(1))
        }
    }

    fn run(text: &'static str, engine: Option<Box<dyn Engine>>) -> FileReport {
        let file = WastFile {
            name: "t.wast".into(),
            text,
            features: Features::WASM2,
        };
        run_file_with("test", &file, engine)
    }

    const WAST: &str = r#"
        (module $m (func (export "seven") (result i32) i32.const 7))
        (register "m" $m)
        (assert_return (invoke "seven") (i32.const 7))
        (assert_return (invoke $m "id" (f32.const nan)) (f32.const nan:canonical))
        (assert_return (invoke "id" (ref.extern 3)) (ref.extern 3))
        (assert_trap (invoke "trap") "unreachable")
        (assert_return (get "g") (i32.const 1))
        (assert_return (invoke "seven") (i32.const 8))
        (assert_malformed (module quote "(func") "unexpected token")
    "#;

    #[test]
    fn runs_execution_directives_with_an_engine() {
        let report = run(WAST, Some(Box::new(FakeEngine { instances: 0 })));
        assert_eq!(report.passed, 7, "{report}");
        assert_eq!(report.failures.len(), 1, "{report}");
        assert_eq!(report.failures[0].line, 9);
        assert_eq!(report.skipped.get(TEXT_FORMAT), Some(&1));
    }

    #[test]
    fn skips_execution_directives_without_an_engine() {
        let report = run(WAST, None);
        assert_eq!(report.passed, 1, "{report}");
        assert!(report.is_pass(), "{report}");
        assert_eq!(report.skipped.get(NEEDS_ENGINE), Some(&7));
    }
}
