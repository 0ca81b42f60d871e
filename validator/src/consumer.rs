//! The consumer interface: how a body's validated operators reach the IR translator in the same
//! pass, and what the validator tells it about each one.

use strata_decoder::{BlockType, FuncType, Operator, ValType};

use crate::resources::ModuleTypes;

/// Receives a function body's operators as they are validated (the IR translator implements it).
///
/// Each operator is reported after its typing rule succeeded, so a consumer never sees an
/// ill-typed operator; if validation fails later the consumer's output must be discarded.
pub trait FuncConsumer {
    /// Whether [`OperatorContext::popped`]/[`OperatorContext::pushed`] are filled in. Consumers
    /// that don't need them set this to `false` and the validator skips recording them.
    const RECORD_TYPES: bool = true;

    /// Called once before a body's first operator, with the function's signature and its
    /// declared locals (not including parameters), one entry per local.
    fn begin_function(&mut self, func_index: u32, ty: &FuncType, locals: &[ValType]);

    /// Called after `op` (found at byte `offset`) type-checked; `ctx` shows what it popped and
    /// pushed and the control stack after the operator.
    fn operator(&mut self, op: &Operator<'_>, offset: usize, ctx: &OperatorContext<'_>);

    /// Called after the body's final `end`.
    fn end_function(&mut self);
}

impl<C: FuncConsumer + ?Sized> FuncConsumer for &mut C {
    const RECORD_TYPES: bool = C::RECORD_TYPES;

    #[inline]
    fn begin_function(&mut self, func_index: u32, ty: &FuncType, locals: &[ValType]) {
        (**self).begin_function(func_index, ty, locals)
    }

    #[inline]
    fn operator(&mut self, op: &Operator<'_>, offset: usize, ctx: &OperatorContext<'_>) {
        (**self).operator(op, offset, ctx)
    }

    #[inline]
    fn end_function(&mut self) {
        (**self).end_function()
    }
}

/// A consumer that does nothing: validation alone.
#[derive(Debug, Clone, Copy, Default)]
pub struct NopConsumer;

impl FuncConsumer for NopConsumer {
    const RECORD_TYPES: bool = false;

    #[inline(always)]
    fn begin_function(&mut self, _: u32, _: &FuncType, _: &[ValType]) {}

    #[inline(always)]
    fn operator(&mut self, _: &Operator<'_>, _: usize, _: &OperatorContext<'_>) {}

    #[inline(always)]
    fn end_function(&mut self) {}
}

/// What kind of construct opened a control frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FrameKind {
    /// The function body itself (the outermost frame).
    Function,
    /// `block`
    Block,
    /// `loop` (branches go to its start and carry its parameters).
    Loop,
    /// `if`, before any `else`.
    If,
    /// The `else` arm of an `if`.
    Else,
    /// `try_table`
    TryTable,
}

/// One entry of the control stack.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Frame {
    pub(crate) kind: FrameKind,
    pub(crate) ty: BlockType,
    pub(crate) height: usize,
    pub(crate) unreachable: bool,
    /// Length of the validator's initialized-locals log when the frame was entered.
    pub(crate) init_height: usize,
}

impl Frame {
    pub(crate) fn params<'a>(&'a self, types: &'a ModuleTypes) -> &'a [ValType] {
        block_params(types, &self.ty)
    }

    pub(crate) fn results<'a>(&'a self, types: &'a ModuleTypes) -> &'a [ValType] {
        block_results(types, &self.ty)
    }

    /// The types a branch to this frame carries.
    pub(crate) fn label_types<'a>(&'a self, types: &'a ModuleTypes) -> &'a [ValType] {
        if self.kind == FrameKind::Loop {
            self.params(types)
        } else {
            self.results(types)
        }
    }

    fn info<'a>(&'a self, types: &'a ModuleTypes) -> FrameInfo<'a> {
        FrameInfo {
            kind: self.kind,
            block_type: self.ty,
            params: self.params(types),
            results: self.results(types),
            height: self.height,
            unreachable: self.unreachable,
        }
    }
}

/// The parameters of a block type (empty for an invalid type index).
pub(crate) fn block_params<'a>(types: &'a ModuleTypes, ty: &'a BlockType) -> &'a [ValType] {
    match ty {
        BlockType::FuncType(i) => types.func_type(*i).map_or(&[], |f| f.params()),
        _ => &[],
    }
}

/// The results of a block type (empty for an invalid type index).
pub(crate) fn block_results<'a>(types: &'a ModuleTypes, ty: &'a BlockType) -> &'a [ValType] {
    match ty {
        BlockType::Empty => &[],
        BlockType::Value(t) => core::slice::from_ref(t),
        BlockType::FuncType(i) => types.func_type(*i).map_or(&[], |f| f.results()),
    }
}

/// A control frame as the consumer sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FrameInfo<'a> {
    /// What opened it.
    pub kind: FrameKind,
    /// Its block type (for the function frame: `FuncType` of the function's type index).
    pub block_type: BlockType,
    /// Parameter types.
    pub params: &'a [ValType],
    /// Result types.
    pub results: &'a [ValType],
    /// Operand stack height when the frame was entered (below its parameters).
    pub height: usize,
    /// True once the rest of the frame is unreachable (after `br`, `return`, `unreachable`...).
    pub unreachable: bool,
}

impl<'a> FrameInfo<'a> {
    /// The types a branch to this frame carries (parameters for a loop, else results).
    pub fn label_types(&self) -> &'a [ValType] {
        if self.kind == FrameKind::Loop {
            self.params
        } else {
            self.results
        }
    }
}

/// What the validator knows about one operator, handed to [`FuncConsumer::operator`].
///
/// Types are `Option<ValType>`: `None` is the spec's bottom/unknown type, which only occurs in
/// unreachable code.
#[derive(Debug, Clone, Copy)]
pub struct OperatorContext<'a> {
    pub(crate) popped: &'a [Option<ValType>],
    pub(crate) pushed: &'a [Option<ValType>],
    pub(crate) reachable: bool,
    pub(crate) controls: &'a [Frame],
    pub(crate) ended: Option<&'a Frame>,
    pub(crate) operand_height: usize,
    pub(crate) types: &'a ModuleTypes,
    pub(crate) locals: &'a [ValType],
}

impl<'a> OperatorContext<'a> {
    /// Operand types the operator popped, bottom to top (empty unless the consumer's
    /// [`FuncConsumer::RECORD_TYPES`] is true).
    pub fn popped(&self) -> &'a [Option<ValType>] {
        self.popped
    }

    /// Types the operator pushed, bottom to top (empty unless
    /// [`FuncConsumer::RECORD_TYPES`] is true).
    pub fn pushed(&self) -> &'a [Option<ValType>] {
        self.pushed
    }

    /// Whether the operator was in reachable code.
    pub fn was_reachable(&self) -> bool {
        self.reachable
    }

    /// Number of open control frames after the operator (the function frame counts; 0 after
    /// the final `end`).
    pub fn control_depth(&self) -> usize {
        self.controls.len()
    }

    /// The frame `depth` levels out (0 = innermost), as a branch label `depth` would name it.
    pub fn frame(&self, depth: u32) -> Option<FrameInfo<'a>> {
        let i = self.controls.len().checked_sub(depth as usize + 1)?;
        Some(self.controls[i].info(self.types))
    }

    /// For `end`, the frame it closed (for `else`, the `if` frame it replaced).
    pub fn ended_frame(&self) -> Option<FrameInfo<'a>> {
        self.ended.map(|f| f.info(self.types))
    }

    /// Operand stack height after the operator.
    pub fn operand_height(&self) -> usize {
        self.operand_height
    }

    /// The module-level context.
    pub fn types(&self) -> &'a ModuleTypes {
        self.types
    }

    /// The function type at `type_index`.
    pub fn func_type(&self, type_index: u32) -> Option<&'a FuncType> {
        self.types.func_type(type_index)
    }

    /// Every local's type: parameters first, then declared locals.
    pub fn locals(&self) -> &'a [ValType] {
        self.locals
    }
}
