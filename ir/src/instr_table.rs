//! The one list of every IR instruction: shape, name, operand fields and text name.
//! The `Instr` enum and its `Display` are generated from it; the interpreter and the JITs match
//! on the generated enum.
//!
//! Each entry reads `shape Name { field: Type, ... } "text";`. The shape tells consumers how the
//! operands are used:
//! - `unary`: `dst = op(src)`; `binary`: `dst = op(lhs, rhs)`; `binary_imm`: `dst = op(lhs, imm)`
//!   with `imm` sign-extended to the operand width;
//! - `load`: `dst = mem[ptr + offset]`; `store`: `mem[ptr + offset] = value`;
//! - `branch_cmp`: jump to `target` if `op(lhs, rhs)`;
//! - `other`: special semantics documented on the variant.

/// Calls `$mac!` with the whole IR instruction table.
#[macro_export]
macro_rules! for_each_instr {
    ($mac:ident) => {
        $mac! {
            // ---- control ----
            other Unreachable {} "unreachable";
            other Br { target: Target } "br";
            other BrIfNez { cond: Slot, target: Target } "br_if_nez";
            other BrIfEqz { cond: Slot, target: Target } "br_if_eqz";
            other BrTable { index: Slot, len: u32 } "br_table";
            other Return {} "return";
            other Call { base: Slot, func: u32 } "call";
            other CallIndirect { base: Slot, index: Slot, table: u32, type_index: u32 } "call_indirect";
            branch_cmp BrI32Eq { lhs: Slot, rhs: Slot, target: Target } "br_i32.eq";
            branch_cmp BrI32Ne { lhs: Slot, rhs: Slot, target: Target } "br_i32.ne";
            branch_cmp BrI32LtS { lhs: Slot, rhs: Slot, target: Target } "br_i32.lt_s";
            branch_cmp BrI32LtU { lhs: Slot, rhs: Slot, target: Target } "br_i32.lt_u";
            branch_cmp BrI32GtS { lhs: Slot, rhs: Slot, target: Target } "br_i32.gt_s";
            branch_cmp BrI32GtU { lhs: Slot, rhs: Slot, target: Target } "br_i32.gt_u";
            branch_cmp BrI32LeS { lhs: Slot, rhs: Slot, target: Target } "br_i32.le_s";
            branch_cmp BrI32LeU { lhs: Slot, rhs: Slot, target: Target } "br_i32.le_u";
            branch_cmp BrI32GeS { lhs: Slot, rhs: Slot, target: Target } "br_i32.ge_s";
            branch_cmp BrI32GeU { lhs: Slot, rhs: Slot, target: Target } "br_i32.ge_u";
            branch_cmp BrI64Eq { lhs: Slot, rhs: Slot, target: Target } "br_i64.eq";
            branch_cmp BrI64Ne { lhs: Slot, rhs: Slot, target: Target } "br_i64.ne";
            branch_cmp BrI64LtS { lhs: Slot, rhs: Slot, target: Target } "br_i64.lt_s";
            branch_cmp BrI64LtU { lhs: Slot, rhs: Slot, target: Target } "br_i64.lt_u";
            branch_cmp BrI64GtS { lhs: Slot, rhs: Slot, target: Target } "br_i64.gt_s";
            branch_cmp BrI64GtU { lhs: Slot, rhs: Slot, target: Target } "br_i64.gt_u";
            branch_cmp BrI64LeS { lhs: Slot, rhs: Slot, target: Target } "br_i64.le_s";
            branch_cmp BrI64LeU { lhs: Slot, rhs: Slot, target: Target } "br_i64.le_u";
            branch_cmp BrI64GeS { lhs: Slot, rhs: Slot, target: Target } "br_i64.ge_s";
            branch_cmp BrI64GeU { lhs: Slot, rhs: Slot, target: Target } "br_i64.ge_u";

            // ---- values ----
            other Copy { dst: Slot, src: Slot } "copy";
            other Copy128 { dst: Slot, src: Slot } "copy128";
            other CopyMany { dst: Slot, src: Slot, len: u16 } "copy_many";
            other ConstI32 { dst: Slot, value: i32 } "const.i32";
            other ConstI64 { dst: Slot, value: i64 } "const.i64";
            other ConstF32 { dst: Slot, bits: u32 } "const.f32";
            other ConstF64 { dst: Slot, bits: u64 } "const.f64";
            other ConstV128 { dst: Slot, index: u32 } "const.v128";
            other Select { dst: Slot, cond: Slot, if_true: Slot, if_false: Slot } "select";
            other Select128 { dst: Slot, cond: Slot, if_true: Slot, if_false: Slot } "select128";
            other GlobalGet { dst: Slot, global: u32 } "global.get";
            other GlobalGet128 { dst: Slot, global: u32 } "global.get128";
            other GlobalSet { src: Slot, global: u32 } "global.set";
            other GlobalSet128 { src: Slot, global: u32 } "global.set128";

            // ---- references and tables ----
            other RefNull { dst: Slot } "ref.null";
            other RefIsNull { dst: Slot, src: Slot } "ref.is_null";
            other RefFunc { dst: Slot, func: u32 } "ref.func";
            other TableGet { dst: Slot, index: Slot, table: u32 } "table.get";
            other TableSet { index: Slot, value: Slot, table: u32 } "table.set";
            other TableSize { dst: Slot, table: u32 } "table.size";
            other TableGrow { dst: Slot, init: Slot, delta: Slot, table: u32 } "table.grow";
            other TableFill { index: Slot, value: Slot, len: Slot, table: u32 } "table.fill";
            other TableCopy { dst: Slot, src: Slot, len: Slot, dst_table: u32, src_table: u32 } "table.copy";
            other TableInit { dst: Slot, src: Slot, len: Slot, table: u32, elem: u32 } "table.init";
            other ElemDrop { elem: u32 } "elem.drop";

            // ---- memory ----
            other MemorySize { dst: Slot, memory: u32 } "memory.size";
            other MemoryGrow { dst: Slot, delta: Slot, memory: u32 } "memory.grow";
            other MemoryFill { dst: Slot, value: Slot, len: Slot, memory: u32 } "memory.fill";
            other MemoryCopy { dst: Slot, src: Slot, len: Slot, dst_memory: u16, src_memory: u16 } "memory.copy";
            other MemoryInit { dst: Slot, src: Slot, len: Slot, memory: u16, data: u32 } "memory.init";
            other DataDrop { data: u32 } "data.drop";
            load I32Load { dst: Slot, ptr: Slot, memory: u16, offset: u32 } "i32.load";
            load I64Load { dst: Slot, ptr: Slot, memory: u16, offset: u32 } "i64.load";
            load F32Load { dst: Slot, ptr: Slot, memory: u16, offset: u32 } "f32.load";
            load F64Load { dst: Slot, ptr: Slot, memory: u16, offset: u32 } "f64.load";
            load I32Load8S { dst: Slot, ptr: Slot, memory: u16, offset: u32 } "i32.load8_s";
            load I32Load8U { dst: Slot, ptr: Slot, memory: u16, offset: u32 } "i32.load8_u";
            load I32Load16S { dst: Slot, ptr: Slot, memory: u16, offset: u32 } "i32.load16_s";
            load I32Load16U { dst: Slot, ptr: Slot, memory: u16, offset: u32 } "i32.load16_u";
            load I64Load8S { dst: Slot, ptr: Slot, memory: u16, offset: u32 } "i64.load8_s";
            load I64Load8U { dst: Slot, ptr: Slot, memory: u16, offset: u32 } "i64.load8_u";
            load I64Load16S { dst: Slot, ptr: Slot, memory: u16, offset: u32 } "i64.load16_s";
            load I64Load16U { dst: Slot, ptr: Slot, memory: u16, offset: u32 } "i64.load16_u";
            load I64Load32S { dst: Slot, ptr: Slot, memory: u16, offset: u32 } "i64.load32_s";
            load I64Load32U { dst: Slot, ptr: Slot, memory: u16, offset: u32 } "i64.load32_u";
            store I32Store { ptr: Slot, value: Slot, memory: u16, offset: u32 } "i32.store";
            store I64Store { ptr: Slot, value: Slot, memory: u16, offset: u32 } "i64.store";
            store F32Store { ptr: Slot, value: Slot, memory: u16, offset: u32 } "f32.store";
            store F64Store { ptr: Slot, value: Slot, memory: u16, offset: u32 } "f64.store";
            store I32Store8 { ptr: Slot, value: Slot, memory: u16, offset: u32 } "i32.store8";
            store I32Store16 { ptr: Slot, value: Slot, memory: u16, offset: u32 } "i32.store16";
            store I64Store8 { ptr: Slot, value: Slot, memory: u16, offset: u32 } "i64.store8";
            store I64Store16 { ptr: Slot, value: Slot, memory: u16, offset: u32 } "i64.store16";
            store I64Store32 { ptr: Slot, value: Slot, memory: u16, offset: u32 } "i64.store32";

            // ---- i32 ----
            unary I32Eqz { dst: Slot, src: Slot } "i32.eqz";
            binary I32Eq { dst: Slot, lhs: Slot, rhs: Slot } "i32.eq";
            binary I32Ne { dst: Slot, lhs: Slot, rhs: Slot } "i32.ne";
            binary I32LtS { dst: Slot, lhs: Slot, rhs: Slot } "i32.lt_s";
            binary I32LtU { dst: Slot, lhs: Slot, rhs: Slot } "i32.lt_u";
            binary I32GtS { dst: Slot, lhs: Slot, rhs: Slot } "i32.gt_s";
            binary I32GtU { dst: Slot, lhs: Slot, rhs: Slot } "i32.gt_u";
            binary I32LeS { dst: Slot, lhs: Slot, rhs: Slot } "i32.le_s";
            binary I32LeU { dst: Slot, lhs: Slot, rhs: Slot } "i32.le_u";
            binary I32GeS { dst: Slot, lhs: Slot, rhs: Slot } "i32.ge_s";
            binary I32GeU { dst: Slot, lhs: Slot, rhs: Slot } "i32.ge_u";
            unary I32Clz { dst: Slot, src: Slot } "i32.clz";
            unary I32Ctz { dst: Slot, src: Slot } "i32.ctz";
            unary I32Popcnt { dst: Slot, src: Slot } "i32.popcnt";
            binary I32Add { dst: Slot, lhs: Slot, rhs: Slot } "i32.add";
            binary I32Sub { dst: Slot, lhs: Slot, rhs: Slot } "i32.sub";
            binary I32Mul { dst: Slot, lhs: Slot, rhs: Slot } "i32.mul";
            binary I32DivS { dst: Slot, lhs: Slot, rhs: Slot } "i32.div_s";
            binary I32DivU { dst: Slot, lhs: Slot, rhs: Slot } "i32.div_u";
            binary I32RemS { dst: Slot, lhs: Slot, rhs: Slot } "i32.rem_s";
            binary I32RemU { dst: Slot, lhs: Slot, rhs: Slot } "i32.rem_u";
            binary I32And { dst: Slot, lhs: Slot, rhs: Slot } "i32.and";
            binary I32Or { dst: Slot, lhs: Slot, rhs: Slot } "i32.or";
            binary I32Xor { dst: Slot, lhs: Slot, rhs: Slot } "i32.xor";
            binary I32Shl { dst: Slot, lhs: Slot, rhs: Slot } "i32.shl";
            binary I32ShrS { dst: Slot, lhs: Slot, rhs: Slot } "i32.shr_s";
            binary I32ShrU { dst: Slot, lhs: Slot, rhs: Slot } "i32.shr_u";
            binary I32Rotl { dst: Slot, lhs: Slot, rhs: Slot } "i32.rotl";
            binary I32Rotr { dst: Slot, lhs: Slot, rhs: Slot } "i32.rotr";
            binary_imm I32EqImm { dst: Slot, lhs: Slot, imm: i32 } "i32.eq_imm";
            binary_imm I32NeImm { dst: Slot, lhs: Slot, imm: i32 } "i32.ne_imm";
            binary_imm I32LtSImm { dst: Slot, lhs: Slot, imm: i32 } "i32.lt_s_imm";
            binary_imm I32LtUImm { dst: Slot, lhs: Slot, imm: i32 } "i32.lt_u_imm";
            binary_imm I32GtSImm { dst: Slot, lhs: Slot, imm: i32 } "i32.gt_s_imm";
            binary_imm I32GtUImm { dst: Slot, lhs: Slot, imm: i32 } "i32.gt_u_imm";
            binary_imm I32LeSImm { dst: Slot, lhs: Slot, imm: i32 } "i32.le_s_imm";
            binary_imm I32LeUImm { dst: Slot, lhs: Slot, imm: i32 } "i32.le_u_imm";
            binary_imm I32GeSImm { dst: Slot, lhs: Slot, imm: i32 } "i32.ge_s_imm";
            binary_imm I32GeUImm { dst: Slot, lhs: Slot, imm: i32 } "i32.ge_u_imm";
            binary_imm I32AddImm { dst: Slot, lhs: Slot, imm: i32 } "i32.add_imm";
            binary_imm I32MulImm { dst: Slot, lhs: Slot, imm: i32 } "i32.mul_imm";
            binary_imm I32AndImm { dst: Slot, lhs: Slot, imm: i32 } "i32.and_imm";
            binary_imm I32OrImm { dst: Slot, lhs: Slot, imm: i32 } "i32.or_imm";
            binary_imm I32XorImm { dst: Slot, lhs: Slot, imm: i32 } "i32.xor_imm";
            binary_imm I32ShlImm { dst: Slot, lhs: Slot, imm: i32 } "i32.shl_imm";
            binary_imm I32ShrSImm { dst: Slot, lhs: Slot, imm: i32 } "i32.shr_s_imm";
            binary_imm I32ShrUImm { dst: Slot, lhs: Slot, imm: i32 } "i32.shr_u_imm";
            binary_imm I32RotlImm { dst: Slot, lhs: Slot, imm: i32 } "i32.rotl_imm";
            binary_imm I32RotrImm { dst: Slot, lhs: Slot, imm: i32 } "i32.rotr_imm";

            // ---- i64 ----
            unary I64Eqz { dst: Slot, src: Slot } "i64.eqz";
            binary I64Eq { dst: Slot, lhs: Slot, rhs: Slot } "i64.eq";
            binary I64Ne { dst: Slot, lhs: Slot, rhs: Slot } "i64.ne";
            binary I64LtS { dst: Slot, lhs: Slot, rhs: Slot } "i64.lt_s";
            binary I64LtU { dst: Slot, lhs: Slot, rhs: Slot } "i64.lt_u";
            binary I64GtS { dst: Slot, lhs: Slot, rhs: Slot } "i64.gt_s";
            binary I64GtU { dst: Slot, lhs: Slot, rhs: Slot } "i64.gt_u";
            binary I64LeS { dst: Slot, lhs: Slot, rhs: Slot } "i64.le_s";
            binary I64LeU { dst: Slot, lhs: Slot, rhs: Slot } "i64.le_u";
            binary I64GeS { dst: Slot, lhs: Slot, rhs: Slot } "i64.ge_s";
            binary I64GeU { dst: Slot, lhs: Slot, rhs: Slot } "i64.ge_u";
            unary I64Clz { dst: Slot, src: Slot } "i64.clz";
            unary I64Ctz { dst: Slot, src: Slot } "i64.ctz";
            unary I64Popcnt { dst: Slot, src: Slot } "i64.popcnt";
            binary I64Add { dst: Slot, lhs: Slot, rhs: Slot } "i64.add";
            binary I64Sub { dst: Slot, lhs: Slot, rhs: Slot } "i64.sub";
            binary I64Mul { dst: Slot, lhs: Slot, rhs: Slot } "i64.mul";
            binary I64DivS { dst: Slot, lhs: Slot, rhs: Slot } "i64.div_s";
            binary I64DivU { dst: Slot, lhs: Slot, rhs: Slot } "i64.div_u";
            binary I64RemS { dst: Slot, lhs: Slot, rhs: Slot } "i64.rem_s";
            binary I64RemU { dst: Slot, lhs: Slot, rhs: Slot } "i64.rem_u";
            binary I64And { dst: Slot, lhs: Slot, rhs: Slot } "i64.and";
            binary I64Or { dst: Slot, lhs: Slot, rhs: Slot } "i64.or";
            binary I64Xor { dst: Slot, lhs: Slot, rhs: Slot } "i64.xor";
            binary I64Shl { dst: Slot, lhs: Slot, rhs: Slot } "i64.shl";
            binary I64ShrS { dst: Slot, lhs: Slot, rhs: Slot } "i64.shr_s";
            binary I64ShrU { dst: Slot, lhs: Slot, rhs: Slot } "i64.shr_u";
            binary I64Rotl { dst: Slot, lhs: Slot, rhs: Slot } "i64.rotl";
            binary I64Rotr { dst: Slot, lhs: Slot, rhs: Slot } "i64.rotr";
            binary_imm I64EqImm { dst: Slot, lhs: Slot, imm: i32 } "i64.eq_imm";
            binary_imm I64NeImm { dst: Slot, lhs: Slot, imm: i32 } "i64.ne_imm";
            binary_imm I64LtSImm { dst: Slot, lhs: Slot, imm: i32 } "i64.lt_s_imm";
            binary_imm I64LtUImm { dst: Slot, lhs: Slot, imm: i32 } "i64.lt_u_imm";
            binary_imm I64GtSImm { dst: Slot, lhs: Slot, imm: i32 } "i64.gt_s_imm";
            binary_imm I64GtUImm { dst: Slot, lhs: Slot, imm: i32 } "i64.gt_u_imm";
            binary_imm I64LeSImm { dst: Slot, lhs: Slot, imm: i32 } "i64.le_s_imm";
            binary_imm I64LeUImm { dst: Slot, lhs: Slot, imm: i32 } "i64.le_u_imm";
            binary_imm I64GeSImm { dst: Slot, lhs: Slot, imm: i32 } "i64.ge_s_imm";
            binary_imm I64GeUImm { dst: Slot, lhs: Slot, imm: i32 } "i64.ge_u_imm";
            binary_imm I64AddImm { dst: Slot, lhs: Slot, imm: i32 } "i64.add_imm";
            binary_imm I64MulImm { dst: Slot, lhs: Slot, imm: i32 } "i64.mul_imm";
            binary_imm I64AndImm { dst: Slot, lhs: Slot, imm: i32 } "i64.and_imm";
            binary_imm I64OrImm { dst: Slot, lhs: Slot, imm: i32 } "i64.or_imm";
            binary_imm I64XorImm { dst: Slot, lhs: Slot, imm: i32 } "i64.xor_imm";
            binary_imm I64ShlImm { dst: Slot, lhs: Slot, imm: i32 } "i64.shl_imm";
            binary_imm I64ShrSImm { dst: Slot, lhs: Slot, imm: i32 } "i64.shr_s_imm";
            binary_imm I64ShrUImm { dst: Slot, lhs: Slot, imm: i32 } "i64.shr_u_imm";
            binary_imm I64RotlImm { dst: Slot, lhs: Slot, imm: i32 } "i64.rotl_imm";
            binary_imm I64RotrImm { dst: Slot, lhs: Slot, imm: i32 } "i64.rotr_imm";

            // ---- f32 ----
            binary F32Eq { dst: Slot, lhs: Slot, rhs: Slot } "f32.eq";
            binary F32Ne { dst: Slot, lhs: Slot, rhs: Slot } "f32.ne";
            binary F32Lt { dst: Slot, lhs: Slot, rhs: Slot } "f32.lt";
            binary F32Gt { dst: Slot, lhs: Slot, rhs: Slot } "f32.gt";
            binary F32Le { dst: Slot, lhs: Slot, rhs: Slot } "f32.le";
            binary F32Ge { dst: Slot, lhs: Slot, rhs: Slot } "f32.ge";
            unary F32Abs { dst: Slot, src: Slot } "f32.abs";
            unary F32Neg { dst: Slot, src: Slot } "f32.neg";
            unary F32Ceil { dst: Slot, src: Slot } "f32.ceil";
            unary F32Floor { dst: Slot, src: Slot } "f32.floor";
            unary F32Trunc { dst: Slot, src: Slot } "f32.trunc";
            unary F32Nearest { dst: Slot, src: Slot } "f32.nearest";
            unary F32Sqrt { dst: Slot, src: Slot } "f32.sqrt";
            binary F32Add { dst: Slot, lhs: Slot, rhs: Slot } "f32.add";
            binary F32Sub { dst: Slot, lhs: Slot, rhs: Slot } "f32.sub";
            binary F32Mul { dst: Slot, lhs: Slot, rhs: Slot } "f32.mul";
            binary F32Div { dst: Slot, lhs: Slot, rhs: Slot } "f32.div";
            binary F32Min { dst: Slot, lhs: Slot, rhs: Slot } "f32.min";
            binary F32Max { dst: Slot, lhs: Slot, rhs: Slot } "f32.max";
            binary F32Copysign { dst: Slot, lhs: Slot, rhs: Slot } "f32.copysign";

            // ---- f64 ----
            binary F64Eq { dst: Slot, lhs: Slot, rhs: Slot } "f64.eq";
            binary F64Ne { dst: Slot, lhs: Slot, rhs: Slot } "f64.ne";
            binary F64Lt { dst: Slot, lhs: Slot, rhs: Slot } "f64.lt";
            binary F64Gt { dst: Slot, lhs: Slot, rhs: Slot } "f64.gt";
            binary F64Le { dst: Slot, lhs: Slot, rhs: Slot } "f64.le";
            binary F64Ge { dst: Slot, lhs: Slot, rhs: Slot } "f64.ge";
            unary F64Abs { dst: Slot, src: Slot } "f64.abs";
            unary F64Neg { dst: Slot, src: Slot } "f64.neg";
            unary F64Ceil { dst: Slot, src: Slot } "f64.ceil";
            unary F64Floor { dst: Slot, src: Slot } "f64.floor";
            unary F64Trunc { dst: Slot, src: Slot } "f64.trunc";
            unary F64Nearest { dst: Slot, src: Slot } "f64.nearest";
            unary F64Sqrt { dst: Slot, src: Slot } "f64.sqrt";
            binary F64Add { dst: Slot, lhs: Slot, rhs: Slot } "f64.add";
            binary F64Sub { dst: Slot, lhs: Slot, rhs: Slot } "f64.sub";
            binary F64Mul { dst: Slot, lhs: Slot, rhs: Slot } "f64.mul";
            binary F64Div { dst: Slot, lhs: Slot, rhs: Slot } "f64.div";
            binary F64Min { dst: Slot, lhs: Slot, rhs: Slot } "f64.min";
            binary F64Max { dst: Slot, lhs: Slot, rhs: Slot } "f64.max";
            binary F64Copysign { dst: Slot, lhs: Slot, rhs: Slot } "f64.copysign";

            // ---- conversions ----
            unary I32WrapI64 { dst: Slot, src: Slot } "i32.wrap_i64";
            unary I32TruncF32S { dst: Slot, src: Slot } "i32.trunc_f32_s";
            unary I32TruncF32U { dst: Slot, src: Slot } "i32.trunc_f32_u";
            unary I32TruncF64S { dst: Slot, src: Slot } "i32.trunc_f64_s";
            unary I32TruncF64U { dst: Slot, src: Slot } "i32.trunc_f64_u";
            unary I64ExtendI32S { dst: Slot, src: Slot } "i64.extend_i32_s";
            unary I64ExtendI32U { dst: Slot, src: Slot } "i64.extend_i32_u";
            unary I64TruncF32S { dst: Slot, src: Slot } "i64.trunc_f32_s";
            unary I64TruncF32U { dst: Slot, src: Slot } "i64.trunc_f32_u";
            unary I64TruncF64S { dst: Slot, src: Slot } "i64.trunc_f64_s";
            unary I64TruncF64U { dst: Slot, src: Slot } "i64.trunc_f64_u";
            unary F32ConvertI32S { dst: Slot, src: Slot } "f32.convert_i32_s";
            unary F32ConvertI32U { dst: Slot, src: Slot } "f32.convert_i32_u";
            unary F32ConvertI64S { dst: Slot, src: Slot } "f32.convert_i64_s";
            unary F32ConvertI64U { dst: Slot, src: Slot } "f32.convert_i64_u";
            unary F32DemoteF64 { dst: Slot, src: Slot } "f32.demote_f64";
            unary F64ConvertI32S { dst: Slot, src: Slot } "f64.convert_i32_s";
            unary F64ConvertI32U { dst: Slot, src: Slot } "f64.convert_i32_u";
            unary F64ConvertI64S { dst: Slot, src: Slot } "f64.convert_i64_s";
            unary F64ConvertI64U { dst: Slot, src: Slot } "f64.convert_i64_u";
            unary F64PromoteF32 { dst: Slot, src: Slot } "f64.promote_f32";
            unary I32Extend8S { dst: Slot, src: Slot } "i32.extend8_s";
            unary I32Extend16S { dst: Slot, src: Slot } "i32.extend16_s";
            unary I64Extend8S { dst: Slot, src: Slot } "i64.extend8_s";
            unary I64Extend16S { dst: Slot, src: Slot } "i64.extend16_s";
            unary I64Extend32S { dst: Slot, src: Slot } "i64.extend32_s";
            unary I32TruncSatF32S { dst: Slot, src: Slot } "i32.trunc_sat_f32_s";
            unary I32TruncSatF32U { dst: Slot, src: Slot } "i32.trunc_sat_f32_u";
            unary I32TruncSatF64S { dst: Slot, src: Slot } "i32.trunc_sat_f64_s";
            unary I32TruncSatF64U { dst: Slot, src: Slot } "i32.trunc_sat_f64_u";
            unary I64TruncSatF32S { dst: Slot, src: Slot } "i64.trunc_sat_f32_s";
            unary I64TruncSatF32U { dst: Slot, src: Slot } "i64.trunc_sat_f32_u";
            unary I64TruncSatF64S { dst: Slot, src: Slot } "i64.trunc_sat_f64_s";
            unary I64TruncSatF64U { dst: Slot, src: Slot } "i64.trunc_sat_f64_u";
        }
    };
}
