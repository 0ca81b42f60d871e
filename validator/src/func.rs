//! [`FuncValidator`]: the per-function type checker's state (operand and control stacks, locals)
//! and the driver loop that walks a body once, checking each operator and reporting it to a
//! [`FuncConsumer`]. The per-operator typing rules live in `operators.rs`.

use alloc::vec::Vec;
use core::marker::PhantomData;

use strata_decoder::{BlockType, DecodeError, DecodeErrorKind, FuncType, FunctionBody, ValType};

use crate::consumer::{Frame, FrameKind, FuncConsumer, OperatorContext};
use crate::error::{bail, Error, Fail};
use crate::resources::ModuleTypes;

/// The most locals (parameters included) a function may have. Bounds the memory a body can make
/// the validator allocate; the same limit browsers apply.
pub const MAX_LOCALS: u32 = 50_000;

/// Validates (and reports to a consumer) one function body at a time against a module's
/// [`ModuleTypes`]. Keep one around and reuse it: its buffers are recycled between functions.
#[derive(Debug, Default)]
pub struct FuncValidator {
    pub(crate) operands: Vec<Option<ValType>>,
    pub(crate) controls: Vec<Frame>,
    pub(crate) locals: Vec<ValType>,
    pub(crate) popped: Vec<Option<ValType>>,
    pub(crate) pushed: Vec<Option<ValType>>,
    pub(crate) scratch: Vec<Option<ValType>>,
    pub(crate) ended: Option<Frame>,
    /// Per local: whether it is initialized (only tracked when some local is non-defaultable).
    pub(crate) local_init: Vec<bool>,
    /// Non-defaultable locals set so far, innermost frame last (reset at the frame's end).
    pub(crate) init_log: Vec<u32>,
    /// True if some local needs initialization tracking (typed function references).
    pub(crate) track_init: bool,
}

impl FuncValidator {
    /// A validator with empty buffers.
    pub fn new() -> Self {
        Self::default()
    }

    /// Validates the body of function `func_index` (an index in the whole function index space,
    /// so imported functions come first), reporting each operator to `consumer`.
    pub fn validate<C: FuncConsumer>(
        &mut self,
        types: &ModuleTypes,
        func_index: u32,
        body: &FunctionBody<'_>,
        consumer: &mut C,
    ) -> Result<(), Error> {
        self.run(types, func_index, body, consumer)
            .map_err(|e| match *e.0 {
                Error::Invalid(v) => Error::Invalid(v.in_func(func_index)),
                e => e,
            })
    }

    fn run<C: FuncConsumer>(
        &mut self,
        types: &ModuleTypes,
        func_index: u32,
        body: &FunctionBody<'_>,
        consumer: &mut C,
    ) -> Result<(), Fail> {
        let Some(type_index) = types.func_type_index(func_index) else {
            bail!(body.offset, "unknown function {func_index}");
        };
        let Some(ty) = types.func_type(type_index) else {
            bail!(body.offset, "unknown type {type_index}");
        };
        self.operands.clear();
        self.controls.clear();
        self.popped.clear();
        self.pushed.clear();
        self.ended = None;
        self.init_locals(types, ty, body)?;
        self.controls.push(Frame {
            kind: FrameKind::Function,
            ty: BlockType::FuncType(type_index),
            height: 0,
            unreachable: false,
            init_height: 0,
        });
        consumer.begin_function(func_index, ty, &self.locals[ty.params().len()..]);

        let mut reader = body.operators();
        let mut checker = Checker::<C> {
            s: self,
            m: types,
            offset: body.code_offset(),
            _consumer: PhantomData,
        };
        while !checker.s.controls.is_empty() {
            let (op, offset) = reader.read_with_offset()?;
            checker.offset = offset;
            let reachable = !checker.frame().unreachable;
            if C::RECORD_TYPES {
                checker.s.popped.clear();
                checker.s.pushed.clear();
            }
            checker.s.ended = None;
            checker.op(&op)?;
            let s = &mut *checker.s;
            if C::RECORD_TYPES {
                s.popped.reverse();
            }
            let ctx = OperatorContext {
                popped: &s.popped,
                pushed: &s.pushed,
                reachable,
                controls: &s.controls,
                ended: s.ended.as_ref(),
                operand_height: s.operands.len(),
                types,
                locals: &s.locals,
            };
            consumer.operator(&op, offset, &ctx);
        }
        if !reader.eof() {
            return Err(Fail::from(DecodeError::new(
                DecodeErrorKind::EndOpcodeExpected,
                reader.offset(),
            )));
        }
        consumer.end_function();
        Ok(())
    }

    fn init_locals(
        &mut self,
        types: &ModuleTypes,
        ty: &FuncType,
        body: &FunctionBody<'_>,
    ) -> Result<(), Fail> {
        self.locals.clear();
        self.locals.extend_from_slice(ty.params());
        let total = u64::from(body.num_locals) + ty.params().len() as u64;
        if total > u64::from(MAX_LOCALS) {
            bail!(body.offset, "too many locals");
        }
        for &(n, t) in body.locals.iter() {
            types.check_val_type(t, body.offset)?;
            self.locals.extend(core::iter::repeat_n(t, n as usize));
        }
        self.init_log.clear();
        self.local_init.clear();
        self.track_init = self.locals.iter().any(|t| !t.is_defaultable());
        if self.track_init {
            // Parameters are always initialized; declared locals only if they have a default.
            let n = ty.params().len();
            self.local_init.extend(
                self.locals
                    .iter()
                    .enumerate()
                    .map(|(i, t)| i < n || t.is_defaultable()),
            );
        }
        Ok(())
    }
}

/// The checker for one body: the validator's state, the module context and the current offset.
/// Generic over the consumer only so that type recording compiles away for [`NopConsumer`].
///
/// [`NopConsumer`]: crate::NopConsumer
pub(crate) struct Checker<'a, C> {
    pub(crate) s: &'a mut FuncValidator,
    pub(crate) m: &'a ModuleTypes,
    pub(crate) offset: usize,
    _consumer: PhantomData<fn(&mut C)>,
}

impl<C: FuncConsumer> Checker<'_, C> {
    /// The innermost control frame.
    #[inline]
    pub(crate) fn frame(&self) -> &Frame {
        // The driver never checks an operator with an empty control stack.
        &self.s.controls[self.s.controls.len() - 1]
    }

    /// Pushes a known type.
    #[inline]
    pub(crate) fn push(&mut self, t: ValType) {
        self.push_maybe(Some(t));
    }

    /// Pushes a type that may be unknown (bottom).
    #[inline]
    pub(crate) fn push_maybe(&mut self, t: Option<ValType>) {
        self.s.operands.push(t);
        if C::RECORD_TYPES {
            self.s.pushed.push(t);
        }
    }

    /// Pushes each of `ts`, first to last.
    #[inline]
    pub(crate) fn push_types(&mut self, ts: &[ValType]) {
        for &t in ts {
            self.push(t);
        }
    }

    /// Pops any operand; `None` when popping from the polymorphic stack of unreachable code.
    #[inline]
    pub(crate) fn pop(&mut self) -> Result<Option<ValType>, Fail> {
        let frame = self.frame();
        let (height, unreachable) = (frame.height, frame.unreachable);
        let v = if self.s.operands.len() == height {
            if !unreachable {
                return Err(self.empty_stack(None));
            }
            None
        } else {
            self.s.operands.pop().flatten()
        };
        if C::RECORD_TYPES {
            self.s.popped.push(v);
        }
        Ok(v)
    }

    /// Pops an operand that must match `expected`.
    #[inline]
    pub(crate) fn pop_expect(&mut self, expected: ValType) -> Result<Option<ValType>, Fail> {
        let height = self.frame().height;
        if self.s.operands.len() > height {
            if let Some(Some(top)) = self.s.operands.last() {
                if *top == expected {
                    self.s.operands.pop();
                    if C::RECORD_TYPES {
                        self.s.popped.push(Some(expected));
                    }
                    return Ok(Some(expected));
                }
            }
        } else if !self.frame().unreachable {
            return Err(self.empty_stack(Some(expected)));
        }
        let v = self.pop()?;
        if let Some(actual) = v {
            if !self.m.matches(actual, expected) {
                bail!(
                    self.offset,
                    "type mismatch: expected {expected}, found {actual}"
                );
            }
        }
        Ok(v)
    }

    /// Pops operands matching `ts` (last type first).
    #[inline]
    pub(crate) fn pop_types(&mut self, ts: &[ValType]) -> Result<(), Fail> {
        for &t in ts.iter().rev() {
            self.pop_expect(t)?;
        }
        Ok(())
    }

    /// Pops a reference of any type; `Err` if the top is not a reference.
    pub(crate) fn pop_ref(&mut self) -> Result<Option<strata_decoder::RefType>, Fail> {
        match self.pop()? {
            None => Ok(None),
            Some(ValType::Ref(r)) => Ok(Some(r)),
            Some(t) => bail!(
                self.offset,
                "type mismatch: expected a reference, found {t}"
            ),
        }
    }

    #[cold]
    #[inline(never)]
    fn empty_stack(&self, expected: Option<ValType>) -> Fail {
        match expected {
            Some(t) => crate::error::invalid(
                self.offset,
                format_args!("type mismatch: expected {t} but nothing on stack"),
            )
            .into(),
            None => crate::error::invalid(
                self.offset,
                format_args!("type mismatch: expected a value but nothing on stack"),
            )
            .into(),
        }
    }

    /// Enters a control frame of `kind` whose parameters are already on the stack.
    pub(crate) fn push_ctrl(&mut self, kind: FrameKind, ty: BlockType) -> Result<(), Fail> {
        let m = self.m;
        let params = crate::consumer::block_params(m, &ty);
        let params_owned = ty;
        self.pop_types(params)?;
        let height = self.s.operands.len();
        self.s.controls.push(Frame {
            kind,
            ty: params_owned,
            height,
            unreachable: false,
            init_height: self.s.init_log.len(),
        });
        self.push_types(params);
        Ok(())
    }

    /// Leaves the innermost frame: its results must be exactly what is left above its height.
    pub(crate) fn pop_ctrl(&mut self) -> Result<Frame, Fail> {
        let frame = *self.frame();
        let m = self.m;
        self.pop_types(frame.results(m))?;
        if self.s.operands.len() != frame.height {
            bail!(
                self.offset,
                "type mismatch: values remaining on stack at end of block"
            );
        }
        self.s.controls.pop();
        if self.s.track_init {
            for i in self.s.init_log.drain(frame.init_height..) {
                self.s.local_init[i as usize] = false;
            }
        }
        Ok(frame)
    }

    /// Marks the rest of the innermost frame unreachable (the stack becomes polymorphic).
    #[inline]
    pub(crate) fn set_unreachable(&mut self) {
        let last = self.s.controls.len() - 1;
        let frame = &mut self.s.controls[last];
        self.s.operands.truncate(frame.height);
        frame.unreachable = true;
    }

    /// The frame a branch to `depth` targets.
    #[inline]
    pub(crate) fn label(&self, depth: u32) -> Result<Frame, Fail> {
        let n = self.s.controls.len();
        match n.checked_sub(depth as usize + 1) {
            Some(i) => Ok(self.s.controls[i]),
            None => bail!(self.offset, "unknown label {depth}"),
        }
    }
}
