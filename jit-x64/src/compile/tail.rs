//! Tail calls (`return_call`, `return_call_indirect`, `return_call_ref`) and calls through
//! function references (`call_ref`).
//!
//! The arguments move down to the frame's slot 0 (where this function's own parameters were),
//! the frame is torn down as by `return`, and the code jumps to the callee, which then runs as
//! if this function's caller had called it: its prologue checks the native stack again, and its
//! results land in slot 0, where the caller expects this function's. The native stack and the
//! call depth do not grow.
//!
//! A host callee (the host stub) is called instead, with its argument window at slot 0 and this
//! frame kept (the stub finds the calling instance in it); its results land in slot 0 and this
//! function returns. Only wasm callees run in constant space.
//!
//! A callee in another instance returns with `r13` holding that instance, where the caller
//! expects its own; so in a module that can tail-call across instances (any
//! `return_call_indirect`, or a `return_call` to an import), direct calls reload `r13` from the
//! frame after returning, as calls to imports always do.

use dynasmrt::{dynasm, DynasmApi, DynasmLabelApi};
use strata_ir::{Instr, IrFunc, Slot};
use strata_vm::TrapCode;

use super::{d, FuncCompiler};
use crate::context::off::*;

/// Whether the code of `funcs` (a module with `num_imported` imported functions) can tail-call a
/// function of another instance.
pub(super) fn may_tail_call_across_instances(
    funcs: &[alloc::sync::Arc<IrFunc>],
    num_imported: u32,
) -> bool {
    funcs.iter().any(|f| {
        f.instrs.iter().any(|i| match *i {
            Instr::ReturnCallIndirect { .. } | Instr::ReturnCallRef { .. } => true,
            Instr::ReturnCall { func, .. } => func < num_imported,
            _ => false,
        })
    })
}

impl FuncCompiler<'_> {
    /// `return_call func`.
    pub(super) fn return_call(&mut self, base: Slot, params: u16, func: u32) {
        self.copy_slots(Slot(0), base, params);
        if func >= self.num_imported {
            let l = self.func_labels[(func - self.num_imported) as usize];
            x!(self.ops
                ; mov rsp, rbp
                ; pop rbp
                ; jmp =>l
            );
        } else {
            x!(self.ops
                ; mov rax, [r13 + INST_FUNCS]
                ; add rax, FUNC_SIZE * func as i32
            );
            self.jump_to_vm_func();
        }
    }

    /// Tail-calls the [`VmFunc`](crate::context::VmFunc) at `rax` (arguments already at slot 0):
    /// jumps to a wasm function, calls a host function.
    fn jump_to_vm_func(&mut self) {
        let host = self.ops.new_dynamic_label();
        x!(self.ops
            ; mov rcx, [rax + FUNC_CODE]
            ; mov r13, [rax + FUNC_DATA]
            ; cmp rcx, [r12 + CTX_HOST_STUB]
            ; je =>host
            ; mov rsp, rbp
            ; pop rbp
            ; jmp rcx
            ; =>host
            ; call rcx
            ; mov r13, [rbp - 8]
            ; mov rsp, rbp
            ; pop rbp
            ; ret
        );
    }

    /// `return_call_indirect`: the checks of `call_indirect`, then a tail call.
    pub(super) fn return_call_indirect(
        &mut self,
        base: Slot,
        index: Slot,
        params: u16,
        table: u32,
        type_index: u32,
    ) {
        self.indirect_callee(index, table, type_index);
        self.copy_slots(Slot(0), base, params);
        self.jump_to_vm_func();
    }

    /// Leaves in `rax` the [`VmFunc`](crate::context::VmFunc) of the funcref in slot
    /// `callee`; traps on null.
    fn func_of_ref(&mut self, callee: Slot) {
        let null = self.trap(TrapCode::NullFunctionReference);
        x!(self.ops
            ; mov eax, [rbx + d(callee)]
            ; test eax, eax
            ; jz =>null
            ; dec eax
            ; imul rax, rax, FUNC_SIZE
            ; add rax, [r12 + CTX_FUNCS]
        );
    }

    /// `call_ref`: validation guarantees the callee's type, so there is no signature check.
    pub(super) fn call_ref(&mut self, base: Slot, callee: Slot) {
        self.func_of_ref(callee);
        self.call_vm_func(base);
    }

    /// `return_call_ref`.
    pub(super) fn return_call_ref(&mut self, base: Slot, callee: Slot, params: u16) {
        self.func_of_ref(callee);
        self.copy_slots(Slot(0), base, params);
        self.jump_to_vm_func();
    }

    /// `ref.as_non_null`.
    pub(super) fn ref_as_non_null(&mut self, src: Slot) {
        let null = self.trap(TrapCode::NullReference);
        x!(self.ops
            ; cmp DWORD [rbx + d(src)], 0
            ; je =>null
        );
    }
}
