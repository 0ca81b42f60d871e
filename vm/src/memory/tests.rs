//! Tests of [`LinearMemory`] on every strategy this build has.

use super::*;
use crate::trap::TrapCode;
use alloc::vec;
use alloc::vec::Vec;
use proptest::prelude::*;
use strata_decoder::Limits;

const PAGE: u64 = WASM_PAGE_SIZE;

pub(crate) fn mem_ty(min: u64, max: Option<u64>) -> MemoryType {
    MemoryType {
        limits: Limits { min, max },
        memory64: false,
        shared: false,
        page_size_log2: None,
    }
}

fn reserved_available() -> bool {
    cfg!(all(
        feature = "std",
        unix,
        any(target_arch = "x86_64", target_arch = "aarch64")
    ))
}

/// Every strategy this build can run: heap always, reserved where available.
fn configs() -> Vec<MemoryConfig> {
    let mut c = vec![MemoryConfig::heap()];
    if reserved_available() {
        c.push(MemoryConfig::reserved());
    }
    c
}

fn new(ty: MemoryType, config: &MemoryConfig) -> LinearMemory {
    let mem = LinearMemory::new(ty, config, None).unwrap();
    assert_eq!(
        mem.is_reserved(),
        config.strategy == MemoryStrategy::Reserved
    );
    mem
}

/// Records what it was asked and refuses growth beyond `limit` bytes.
struct Limiter {
    limit: u64,
    asked: Vec<(u64, u64, Option<u64>)>,
}

impl ResourceLimiter for Limiter {
    fn memory_growing(&mut self, current: u64, desired: u64, max: Option<u64>) -> bool {
        self.asked.push((current, desired, max));
        desired <= self.limit
    }
    fn table_growing(&mut self, _: u64, _: u64, _: Option<u64>) -> bool {
        unreachable!()
    }
}

#[test]
fn new_memory_is_zeroed_with_min_pages() {
    for config in configs() {
        let mem = new(mem_ty(2, Some(5)), &config);
        assert_eq!(mem.size_pages(), 2);
        assert_eq!(mem.len() as u64, 2 * PAGE);
        assert_eq!(mem.max_pages(), 5);
        assert_eq!(mem.page_size(), PAGE);
        assert!(mem.data().iter().all(|&b| b == 0));
        let empty = new(mem_ty(0, None), &config);
        assert!(empty.is_empty());
        assert_eq!(empty.max_pages(), MAX_PAGES_32);
    }
}

#[test]
fn invalid_limits_are_rejected() {
    for config in configs() {
        let err = |ty| LinearMemory::new(ty, &config, None).unwrap_err();
        assert_eq!(err(mem_ty(3, Some(2))), MemoryError::InvalidLimits);
        assert_eq!(
            err(mem_ty(0, Some(MAX_PAGES_32 + 1))),
            MemoryError::InvalidLimits
        );
        assert_eq!(
            err(mem_ty(MAX_PAGES_32 + 1, None)),
            MemoryError::InvalidLimits
        );
        let mut odd = mem_ty(0, None);
        odd.page_size_log2 = Some(12);
        assert_eq!(err(odd), MemoryError::UnsupportedPageSize(12));
    }
}

#[test]
fn grow_to_max_and_beyond() {
    for config in configs() {
        let mut mem = new(mem_ty(0, Some(10)), &config);
        assert_eq!(mem.grow(0, None), Some(0));
        assert_eq!(mem.grow(1, None), Some(0));
        assert_eq!(mem.grow(1, None), Some(1));
        assert_eq!(mem.grow(2, None), Some(2));
        assert_eq!(mem.grow(6, None), Some(4));
        assert_eq!(mem.grow(0, None), Some(10));
        assert_eq!(mem.grow(1, None), None);
        assert_eq!(mem.grow(0x10000, None), None);
        assert_eq!(mem.grow(u64::MAX, None), None);
        assert_eq!(mem.size_pages(), 10);
        assert_eq!(mem.len() as u64, 10 * PAGE);
        assert!(mem.data().iter().all(|&b| b == 0));
    }
}

#[test]
fn grow_without_max_stops_at_the_index_limit() {
    for config in configs() {
        let mut mem = new(mem_ty(0, None), &config);
        assert_eq!(mem.grow(3, None), Some(0));
        assert_eq!(mem.grow(800, None), Some(3));
        assert_eq!(mem.grow(0x10000, None), None);
        assert_eq!(mem.grow(64736, None), None);
        assert_eq!(mem.grow(1, None), Some(803));
    }
}

#[test]
fn grown_pages_are_zero_and_old_bytes_kept() {
    for config in configs() {
        let mut mem = new(mem_ty(1, None), &config);
        mem.fill(0, 0xaa, PAGE).unwrap();
        assert_eq!(mem.grow(2, None), Some(1));
        assert!(mem.data()[..PAGE as usize].iter().all(|&b| b == 0xaa));
        assert!(mem.data()[PAGE as usize..].iter().all(|&b| b == 0));
    }
}

#[test]
fn grow_refused_by_limiter() {
    for config in configs() {
        let mut limiter = Limiter {
            limit: 3 * PAGE,
            asked: Vec::new(),
        };
        let mut mem = LinearMemory::new(mem_ty(1, Some(8)), &config, Some(&mut limiter)).unwrap();
        assert_eq!(mem.grow(2, Some(&mut limiter)), Some(1));
        assert_eq!(mem.grow(1, Some(&mut limiter)), None);
        assert_eq!(mem.grow(0, Some(&mut limiter)), Some(3));
        assert_eq!(mem.size_pages(), 3);
        assert_eq!(
            limiter.asked,
            [
                (0, PAGE, Some(8 * PAGE)),
                (PAGE, 3 * PAGE, Some(8 * PAGE)),
                (3 * PAGE, 4 * PAGE, Some(8 * PAGE)),
            ]
        );
        let mut stingy = Limiter {
            limit: 0,
            asked: Vec::new(),
        };
        assert_eq!(
            LinearMemory::new(mem_ty(1, None), &config, Some(&mut stingy)).unwrap_err(),
            MemoryError::LimiterRefused
        );
    }
}

#[test]
fn loads_and_stores_at_the_last_byte() {
    for config in configs() {
        let mut mem = new(mem_ty(1, None), &config);
        let end = PAGE;
        mem.store::<u8>(end - 1, 0, 0xab).unwrap();
        assert_eq!(mem.load::<u8>(end - 1, 0), Ok(0xab));
        assert_eq!(mem.load::<i8>(0, end - 1), Ok(-0x55));
        assert_eq!(mem.load::<u8>(end, 0), Err(TrapCode::MemoryOutOfBounds));
        assert_eq!(
            mem.load::<u16>(end - 1, 0),
            Err(TrapCode::MemoryOutOfBounds)
        );
        assert_eq!(mem.load::<u16>(end - 2, 0), Ok(0xab00));
        assert_eq!(mem.load::<u32>(end - 4, 0), Ok(0xab00_0000));
        assert_eq!(
            mem.load::<u32>(end - 3, 0),
            Err(TrapCode::MemoryOutOfBounds)
        );
        assert_eq!(mem.load::<u64>(end - 8, 0), Ok(0xab00_0000_0000_0000));
        assert_eq!(
            mem.load::<f64>(end - 7, 0),
            Err(TrapCode::MemoryOutOfBounds)
        );
        assert_eq!(mem.load::<u128>(end - 16, 0), Ok(0xab << 120));
        assert_eq!(
            mem.load::<u128>(end - 15, 0),
            Err(TrapCode::MemoryOutOfBounds)
        );
        // A trapping store writes nothing, not even its in-bounds bytes.
        assert_eq!(
            mem.store::<u32>(end - 2, 0, 0xffff_ffff),
            Err(TrapCode::MemoryOutOfBounds)
        );
        assert_eq!(
            mem.store::<u128>(end - 8, 0, u128::MAX),
            Err(TrapCode::MemoryOutOfBounds)
        );
        assert_eq!(mem.load::<u64>(end - 8, 0), Ok(0xab00_0000_0000_0000));
    }
}

#[test]
fn little_endian_and_nan_bits() {
    for config in configs() {
        let mut mem = new(mem_ty(1, None), &config);
        mem.store::<u32>(8, 0, 0x1122_3344).unwrap();
        assert_eq!(&mem.data()[8..12], &[0x44, 0x33, 0x22, 0x11]);
        assert_eq!(mem.load::<i16>(6, 4), Ok(0x1122));
        let snan = f32::from_bits(0x7f80_0001);
        mem.store(100, 0, snan).unwrap();
        assert_eq!(mem.load::<f32>(100, 0).unwrap().to_bits(), 0x7f80_0001);
        mem.store(200, 0, f64::from_bits(0xfff0_0000_0000_0002))
            .unwrap();
        assert_eq!(mem.load::<u64>(200, 0), Ok(0xfff0_0000_0000_0002));
    }
}

#[test]
fn effective_address_does_not_wrap() {
    for config in configs() {
        let mut mem = new(mem_ty(1, None), &config);
        let max32 = u64::from(u32::MAX);
        // In 32-bit arithmetic 0xffff_ffff + 1 would wrap to 0, which is in bounds.
        assert_eq!(mem.load::<u8>(max32, 1), Err(TrapCode::MemoryOutOfBounds));
        assert_eq!(mem.load::<u8>(1, max32), Err(TrapCode::MemoryOutOfBounds));
        assert_eq!(
            mem.load::<u64>(max32, max32),
            Err(TrapCode::MemoryOutOfBounds)
        );
        assert_eq!(
            mem.store::<u8>(max32, 1, 1),
            Err(TrapCode::MemoryOutOfBounds)
        );
        // Even 64-bit sums past u64::MAX trap instead of wrapping.
        assert_eq!(
            mem.load::<u8>(u64::MAX, 1),
            Err(TrapCode::MemoryOutOfBounds)
        );
        assert_eq!(
            mem.load::<u32>(u64::MAX - 1, 0),
            Err(TrapCode::MemoryOutOfBounds)
        );
        assert_eq!(mem.check_access(0, PAGE - 4, 4), Ok(PAGE as usize - 4));
        assert!(mem.data().iter().all(|&b| b == 0));
    }
}

#[test]
fn memory64_uses_heap_by_default_and_checks_bounds() {
    let mut ty = mem_ty(1, None);
    ty.memory64 = true;
    let mut mem = LinearMemory::new(ty, &MemoryConfig::default(), None).unwrap();
    assert!(!mem.is_reserved());
    assert!(!mem.guard_covers(0, 1));
    // Capped at 4 GiB until backends address more (the spec's index limit is 2^48 pages).
    assert_eq!(mem.max_pages(), MAX_PAGES_32);
    assert_eq!(mem.load::<u8>(1 << 40, 0), Err(TrapCode::MemoryOutOfBounds));
    assert_eq!(mem.store::<u8>(PAGE - 1, 0, 1), Ok(()));
    assert_eq!(mem.grow(MAX_PAGES_64, None), None);
    assert_eq!(mem.grow(MAX_PAGES_32, None), None);
    assert_eq!(mem.grow(1, None), Some(1));
}

#[test]
fn operands_and_grow_results_follow_the_index_type() {
    let all_ones = UntypedVal::from_u64(u64::MAX);
    let mut ty = mem_ty(1, None);
    let mem32 = LinearMemory::new(ty, &MemoryConfig::default(), None).unwrap();
    ty.memory64 = true;
    let mem64 = LinearMemory::new(ty, &MemoryConfig::default(), None).unwrap();
    assert!(!mem32.is_64() && mem64.is_64());
    assert_eq!(mem32.index_operand(all_ones), u64::from(u32::MAX));
    assert_eq!(mem64.index_operand(all_ones), u64::MAX);
    assert_eq!(mem32.grow_result(None).to_u64(), u64::from(u32::MAX));
    assert_eq!(mem64.grow_result(None), all_ones);
    assert_eq!(mem64.grow_result(Some(3)).to_u64(), 3);
}

#[test]
fn custom_page_size_one_byte() {
    let mut ty = mem_ty(3, Some(5));
    ty.page_size_log2 = Some(0);
    let mut mem = LinearMemory::new(ty, &MemoryConfig::default(), None).unwrap();
    assert!(!mem.is_reserved());
    assert_eq!(mem.page_size(), 1);
    assert_eq!(mem.len(), 3);
    assert_eq!(mem.grow(2, None), Some(3));
    assert_eq!(mem.grow(1, None), None);
    assert_eq!(mem.load::<u32>(1, 0), Ok(0));
    assert_eq!(mem.load::<u32>(2, 0), Err(TrapCode::MemoryOutOfBounds));
    if reserved_available() {
        assert_eq!(
            LinearMemory::new(ty, &MemoryConfig::reserved(), None).unwrap_err(),
            MemoryError::ReservedUnavailable
        );
    }
}

#[test]
fn fill_copy_init_bounds() {
    for config in configs() {
        let mut mem = new(mem_ty(1, None), &config);
        let oob = Err(TrapCode::MemoryOutOfBounds);
        assert_eq!(mem.fill(PAGE - 2, 7, 2), Ok(()));
        assert_eq!(mem.fill(PAGE - 2, 9, 3), oob);
        assert_eq!(mem.fill(PAGE, 9, 0), Ok(()));
        assert_eq!(mem.fill(PAGE + 1, 9, 0), oob);
        assert_eq!(mem.fill(1, 9, u64::MAX), oob);
        assert_eq!(&mem.data()[PAGE as usize - 3..], &[0, 7, 7]);

        assert_eq!(mem.copy_within(0, PAGE - 2, 2), Ok(()));
        assert_eq!(&mem.data()[..3], &[7, 7, 0]);
        assert_eq!(mem.copy_within(PAGE - 1, 0, 2), oob);
        assert_eq!(mem.copy_within(0, PAGE - 1, 2), oob);
        assert_eq!(mem.copy_within(PAGE, PAGE, 0), Ok(()));
        assert_eq!(mem.copy_within(PAGE + 1, 0, 0), oob);
        assert_eq!(mem.copy_within(0, PAGE + 1, 0), oob);
        assert_eq!(mem.data()[PAGE as usize - 1], 7);

        let seg = [1u8, 2, 3, 4];
        assert_eq!(mem.init(PAGE - 3, &seg, 1, 3), Ok(()));
        assert_eq!(&mem.data()[PAGE as usize - 3..], &[2, 3, 4]);
        assert_eq!(mem.init(PAGE - 2, &seg, 0, 3), oob);
        assert_eq!(mem.init(0, &seg, 2, 3), oob);
        assert_eq!(mem.init(PAGE, &seg, 4, 0), Ok(()));
        assert_eq!(mem.init(0, &seg, 5, 0), oob);
        assert_eq!(&mem.data()[..3], &[7, 7, 0]);

        let mut buf = [0u8; 3];
        assert_eq!(mem.read(PAGE - 3, &mut buf), Ok(()));
        assert_eq!(buf, [2, 3, 4]);
        assert_eq!(mem.read(PAGE - 2, &mut buf), oob);
        assert_eq!(mem.write(PAGE - 2, &buf), oob);
        assert_eq!(mem.write(10, &buf), Ok(()));
        assert_eq!(&mem.data()[10..13], &[2, 3, 4]);
    }
}

#[test]
fn copy_overlap_both_directions() {
    for config in configs() {
        let mut mem = new(mem_ty(1, None), &config);
        mem.write(0, &[1, 2, 3, 4, 5, 6]).unwrap();
        mem.copy_within(2, 0, 4).unwrap();
        assert_eq!(&mem.data()[..6], &[1, 2, 1, 2, 3, 4]);
        mem.write(0, &[1, 2, 3, 4, 5, 6]).unwrap();
        mem.copy_within(0, 2, 4).unwrap();
        assert_eq!(&mem.data()[..6], &[3, 4, 5, 6, 5, 6]);
    }
}

#[test]
fn copy_between_memories() {
    for config in configs() {
        let mut dst = new(mem_ty(1, None), &config);
        let mut src = new(mem_ty(1, None), &MemoryConfig::heap());
        src.write(PAGE - 2, &[8, 9]).unwrap();
        assert_eq!(dst.copy_from(0, &src, PAGE - 2, 2), Ok(()));
        assert_eq!(&dst.data()[..2], &[8, 9]);
        assert_eq!(
            dst.copy_from(0, &src, PAGE - 1, 2),
            Err(TrapCode::MemoryOutOfBounds)
        );
        assert_eq!(
            dst.copy_from(PAGE - 1, &src, 0, 2),
            Err(TrapCode::MemoryOutOfBounds)
        );
        assert_eq!(dst.copy_from(PAGE, &src, PAGE, 0), Ok(()));
    }
}

#[cfg(all(
    feature = "std",
    unix,
    any(target_arch = "x86_64", target_arch = "aarch64")
))]
mod reserved_only {
    use super::*;

    #[test]
    fn auto_picks_reserved_for_32_bit_memories() {
        let mem = LinearMemory::new(mem_ty(1, None), &MemoryConfig::default(), None).unwrap();
        assert!(mem.is_reserved());
    }

    /// Reservations are pooled and reused on Linux: whatever a dropped memory wrote and
    /// however far it grew, the next one with the same reservation starts zeroed, at its own
    /// minimum, and grows to the same limit.
    #[test]
    fn reused_reservations_start_zeroed_at_their_minimum() {
        // Sizes no other test uses, so this test's reservations are the only ones it reuses.
        let config = MemoryConfig {
            strategy: MemoryStrategy::Reserved,
            reservation_bytes: 7 * PAGE,
            guard_bytes: 3 * PAGE,
        };
        for min in [3, 1, 5, 0, 2, 7, 4] {
            let mut mem = new(mem_ty(min, None), &config);
            assert_eq!(mem.size_pages(), min);
            assert_eq!(mem.len() as u64, min * PAGE);
            assert!(mem.data().iter().all(|&b| b == 0), "min {min}: not zeroed");
            mem.data_mut().fill(0xab);
            assert_eq!(mem.grow(7 - min, None), Some(min));
            assert!(mem.data()[(min * PAGE) as usize..].iter().all(|&b| b == 0));
            assert_eq!(mem.grow(1, None), None);
            mem.data_mut().fill(0xcd);
        }
    }

    #[test]
    fn base_never_moves() {
        let mut mem = new(mem_ty(1, None), &MemoryConfig::reserved());
        let base = mem.base_ptr();
        for _ in 0..20 {
            mem.grow(7, None).unwrap();
            assert_eq!(mem.base_ptr(), base);
        }
    }

    #[test]
    fn grow_to_four_gib() {
        let mut mem = new(mem_ty(0, None), &MemoryConfig::reserved());
        assert_eq!(mem.grow(MAX_PAGES_32, None), Some(0));
        assert_eq!(mem.len() as u64, 1 << 32);
        let last = (1u64 << 32) - 1;
        mem.store::<u8>(last, 0, 5).unwrap();
        assert_eq!(mem.load::<u8>(0, last), Ok(5));
        assert_eq!(mem.load::<u16>(last, 0), Err(TrapCode::MemoryOutOfBounds));
        assert_eq!(mem.grow(1, None), None);
        assert_eq!(mem.grow(0, None), Some(MAX_PAGES_32));
    }

    #[test]
    fn growth_stops_at_the_reservation() {
        let config = MemoryConfig {
            strategy: MemoryStrategy::Reserved,
            reservation_bytes: 2 * PAGE,
            guard_bytes: PAGE,
        };
        let mut mem = new(mem_ty(1, None), &config);
        assert_eq!(mem.grow(1, None), Some(1));
        assert_eq!(mem.grow(1, None), None);
        assert_eq!(mem.size_pages(), 2);
        assert_eq!(
            LinearMemory::new(mem_ty(3, None), &config, None).unwrap_err(),
            MemoryError::OutOfMemory
        );
        // Auto falls back to the heap when the reservation cannot hold the minimum.
        let auto = MemoryConfig {
            strategy: MemoryStrategy::Auto,
            ..config
        };
        let mem = LinearMemory::new(mem_ty(3, None), &auto, None).unwrap();
        assert!(!mem.is_reserved());
    }

    #[test]
    fn guard_covers_32_bit_offsets() {
        let mem = new(mem_ty(1, None), &MemoryConfig::reserved());
        assert!(mem.guard_covers(0, 16));
        assert!(mem.guard_covers(u64::from(u32::MAX) - 15, 16));
        assert!(mem.guard_covers(1 << 32, 1));
        assert!(!mem.guard_covers(1 << 32, 2));
        assert!(!mem.guard_covers(u64::MAX, 1));
        let heap = new(mem_ty(1, None), &MemoryConfig::heap());
        assert!(!heap.guard_covers(0, 1));
    }
}

// ---- properties: bulk operations against a `Vec<u8>` model, on every strategy ----

#[derive(Debug, Clone)]
enum Op {
    Fill { dst: u64, val: u8, len: u64 },
    Copy { dst: u64, src: u64, len: u64 },
    Init { dst: u64, src: u64, len: u64 },
    Store { addr: u64, offset: u64, val: u64 },
}

const SEG_LEN: usize = 300;

fn addr() -> impl Strategy<Value = u64> {
    prop_oneof![
        0..PAGE,
        PAGE - 300..PAGE + 2,
        0..SEG_LEN as u64 + 2,
        Just(u64::from(u32::MAX)),
        any::<u64>(),
    ]
}

fn len() -> impl Strategy<Value = u64> {
    prop_oneof![4 => 0..400u64, 1 => Just(u64::MAX), 1 => any::<u64>()]
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (addr(), any::<u8>(), len()).prop_map(|(dst, val, len)| Op::Fill { dst, val, len }),
        (addr(), addr(), len()).prop_map(|(dst, src, len)| Op::Copy { dst, src, len }),
        (addr(), addr(), len()).prop_map(|(dst, src, len)| Op::Init { dst, src, len }),
        (addr(), 0..16u64, any::<u64>()).prop_map(|(addr, offset, val)| Op::Store {
            addr,
            offset,
            val
        }),
    ]
}

/// The spec's semantics, written as plainly as possible.
fn model(mem: &mut [u8], seg: &[u8], op: &Op) -> Result<(), TrapCode> {
    let in_bounds =
        |start: u64, len: u64, bound: usize| u128::from(start) + u128::from(len) <= bound as u128;
    let oob = Err(TrapCode::MemoryOutOfBounds);
    match *op {
        Op::Fill { dst, val, len } => {
            if !in_bounds(dst, len, mem.len()) {
                return oob;
            }
            for i in 0..len {
                mem[(dst + i) as usize] = val;
            }
        }
        Op::Copy { dst, src, len } => {
            if !in_bounds(dst, len, mem.len()) || !in_bounds(src, len, mem.len()) {
                return oob;
            }
            let tmp: Vec<u8> = mem[src as usize..(src + len) as usize].to_vec();
            mem[dst as usize..(dst + len) as usize].copy_from_slice(&tmp);
        }
        Op::Init { dst, src, len } => {
            if !in_bounds(dst, len, mem.len()) || !in_bounds(src, len, seg.len()) {
                return oob;
            }
            for i in 0..len {
                mem[(dst + i) as usize] = seg[(src + i) as usize];
            }
        }
        Op::Store { addr, offset, val } => {
            let ea = u128::from(addr) + u128::from(offset);
            if ea + 8 > mem.len() as u128 {
                return oob;
            }
            let ea = ea as usize;
            mem[ea..ea + 8].copy_from_slice(&val.to_le_bytes());
        }
    }
    Ok(())
}

fn apply(mem: &mut LinearMemory, seg: &[u8], op: &Op) -> Result<(), TrapCode> {
    match *op {
        Op::Fill { dst, val, len } => mem.fill(dst, val, len),
        Op::Copy { dst, src, len } => mem.copy_within(dst, src, len),
        Op::Init { dst, src, len } => mem.init(dst, seg, src, len),
        Op::Store { addr, offset, val } => mem.store(addr, offset, val),
    }
}

proptest! {
    #[test]
    fn bulk_ops_match_the_model(
        ops in proptest::collection::vec(op(), 1..24),
        seed in any::<u8>(),
    ) {
        let seg: Vec<u8> = (0..SEG_LEN).map(|i| (i as u8).wrapping_mul(31) ^ seed).collect();
        for config in configs() {
            let mut mem = new(mem_ty(1, Some(1)), &config);
            let mut expected = vec![0u8; PAGE as usize];
            for op in &ops {
                let want = model(&mut expected, &seg, op);
                prop_assert_eq!(apply(&mut mem, &seg, op), want, "{:?}", op);
                prop_assert!(mem.data() == &expected[..], "memory differs after {:?}", op);
            }
        }
    }

    #[test]
    fn loads_match_the_model(
        bytes in proptest::collection::vec(any::<u8>(), 64),
        addr in prop_oneof![0..80u64, Just(u64::MAX - 3)],
        offset in prop_oneof![0..80u64, Just(u64::from(u32::MAX))],
    ) {
        let mut ty = mem_ty(64, Some(64));
        ty.page_size_log2 = Some(0);
        let mut mem = LinearMemory::new(ty, &MemoryConfig::heap(), None).unwrap();
        mem.write(0, &bytes).unwrap();
        let ea = u128::from(addr) + u128::from(offset);
        let want = |size: u128| -> Option<u128> {
            (ea + size <= 64).then(|| {
                let mut v = 0u128;
                for i in (0..size).rev() {
                    v = (v << 8) | u128::from(bytes[(ea + i) as usize]);
                }
                v
            })
        };
        prop_assert_eq!(mem.load::<u8>(addr, offset).ok().map(u128::from), want(1));
        prop_assert_eq!(mem.load::<u16>(addr, offset).ok().map(u128::from), want(2));
        prop_assert_eq!(mem.load::<u32>(addr, offset).ok().map(u128::from), want(4));
        prop_assert_eq!(mem.load::<u64>(addr, offset).ok().map(u128::from), want(8));
        prop_assert_eq!(mem.load::<u128>(addr, offset).ok(), want(16));
    }
}

#[test]
fn memories_are_send_and_sync() {
    fn check<T: Send + Sync>() {}
    check::<LinearMemory>();
}
