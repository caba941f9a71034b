// The scan kernel: a small WebAssembly SIMD module, emitted for one needle plan, that makes one pass
// over a region of bytes and both counts its newlines and finds the first needle in it.
//
// Why wasm: JavaScript has no SIMD; Buffer.indexOf per needle plus a newline-counting loop made
// 3–4 passes (~1.2 s/GiB measured). The kernel does it in one pass of ~0.1 s/GiB (2 needle groups,
// 3 probes, on 1 GiB of realistic zap/pino lines), so reading the file becomes the larger cost.
// Why emitted per plan rather than one fixed binary: probe offsets become load immediates and the
// groups are unrolled, so everything stays in registers; the module is ~1 KB and compiles in well
// under a millisecond. kernel.wat next to this file is the readable text of the module for a
// 32-hex trace id; the emitters below produce exactly that shape.
//
// How the candidate test works (needle-plan.ts picks the probes): for 16 positions at once, load
// the bytes at each probe offset, compare with each group's probe byte, AND across probes, OR
// across groups. A set lane is a candidate; `firstIn` verifies candidates against the exact
// needles 16 bytes at a time. Newlines are counted in the same pass into byte counters that are
// summed every 63 steps.
//
// Exports (memory is imported as env.mem; the caller owns the bytes):
//   find(start, end) -> i32   first position q in [start, end) where a needle starts and ends
//                             by `end`, or -1. Global `nl` := newlines in [start, q) (or in
//                             [start, end) when -1).
//   count(start, end) -> i32  newlines in [start, end) (scalar; for short stretches).
//   firstIn, verify           helpers of find (exported for reading the module, not used).
// Reads may run up to `paddingFor(plan)` bytes past `end`: the caller keeps that much memory
// after every region (its content does not matter).

import type { NeedlePlan } from './needle-plan.js';
import { JsKernel } from './js-kernel.js';
import { Body, moduleBytes, type FuncDef } from './wasm-writer.js';

const NL = 0x0a;
/** 16-byte blocks per main-loop step (the loop is unrolled that far). */
const BLOCKS = 4;
const STEP = 16 * BLOCKS;
/** 16-byte blocks whose candidates are tested together (one branch). */
const PER_BRANCH = 2;
/** Steps between flushes: a byte lane of the newline accumulator counts to at most BLOCKS·MAX_STEPS ≤ 255. */
const MAX_STEPS = Math.floor(255 / BLOCKS);

/** Bytes past a region's end the kernel may read. */
export function paddingFor(plan: NeedlePlan): number {
  return 128 + Math.ceil(plan.maxLength / 16) * 16;
}

const splat = (b: number): number[] => new Array<number>(16).fill(b);
const IOTA = Array.from({ length: 16 }, (_, i) => i);

/** Function indices in the module (the order of `funcs` in kernelModule). */
const F = { verify: 0, firstIn: 1, count: 2, find: 3 } as const;

export function kernelModule(plan: NeedlePlan): Uint8Array {
  const funcs: FuncDef[] = [
    { name: 'verify', params: ['i32', 'i32'], results: ['i32'], body: verifyBody(plan) },
    { name: 'firstIn', params: ['i32', 'i32', 'i32'], results: ['i32'], body: firstInBody(plan) },
    { name: 'count', params: ['i32', 'i32'], results: ['i32'], body: countBody() },
    { name: 'find', params: ['i32', 'i32'], results: ['i32'], body: findBody(plan) },
  ];
  return moduleBytes(funcs, ['nl']);
}

/** verify(q, end): 1 when one of the exact needles starts at q and ends by `end`. */
function verifyBody(plan: NeedlePlan): Body {
  const f = new Body(2);
  const [q, end] = [0, 1];
  for (const needle of plan.needles) {
    f.block();
    f.get(q).i32(needle.length).op('i32_add').get(end).op('i32_gt_u').brIf(0);
    for (let j = 0; j * 16 < needle.length; j++) {
      const want = new Array<number>(16).fill(0);
      const care = new Array<number>(16).fill(0);
      for (let k = 0; k < 16 && j * 16 + k < needle.length; k++) {
        want[k] = needle[j * 16 + k]!;
        care[k] = 0xff;
      }
      // ((bytes ^ want) & care) has a set bit where a needle byte differs.
      f.get(q).load(j * 16).v128(want).simd('v128_xor').v128(care).simd('v128_and').simd('v128_any_true').brIf(0);
    }
    f.i32(1).op('return');
    f.end();
  }
  f.i32(0);
  return f;
}

/** Locals holding the splatted constants the candidate test compares against (hoisted out of loops). */
interface ProbeConsts {
  fold: number;
  /** Per group, per probe: the local holding the probe byte splatted. */
  groups: number[][];
  /** Per probe: a scratch local for the loaded (folded) bytes. */
  data: number[];
  /** Scratch locals for compare results, one per group and probe. */
  scratch: number[];
}

/** Locals for the splatted constants the candidate test compares against (set once, outside loops). */
function probeConsts(f: Body, plan: NeedlePlan): ProbeConsts {
  const fold = f.local('v128');
  f.v128(splat(0x20)).set(fold);
  const groups = plan.groups.map((g) =>
    g.bytes.map((byte) => {
      const local = f.local('v128');
      f.v128(splat(byte)).set(local);
      return local;
    }),
  );
  const data = plan.offsets.map(() => f.local('v128'));
  const scratch = plan.groups.flatMap(() => plan.offsets.map(() => f.local('v128')));
  return { fold, groups, data, scratch };
}

/**
 * Pushes the candidate mask for the 16 positions at `addr + base`: per group, all probe bytes
 * equal. `first` (optional) holds the already-loaded block at offset 0, reused by a probe there.
 */
function emitCandidates(f: Body, plan: NeedlePlan, k: ProbeConsts, addr: number, base: number, first?: number): void {
  if (plan.groups.length === 0) {
    f.v128(splat(0));
    return;
  }
  plan.offsets.forEach((o, i) => {
    if (o === 0 && first !== undefined) f.get(first);
    else f.get(addr).load(base + o);
    if (plan.fold[i]) f.get(k.fold).simd('v128_or');
    f.set(k.data[i]!);
  });
  // Groups often share a probe byte (a hex id and its decimal form both hold digits): compare
  // each distinct (offset, byte) once.
  const seen = new Map<string, number>();
  let free = 0;
  plan.groups.forEach((g, gi) => {
    g.bytes.forEach((byte, i) => {
      const key = `${i}:${byte}`;
      let local = seen.get(key);
      if (local === undefined) {
        local = k.scratch[free++]!;
        f.get(k.data[i]!).get(k.groups[gi]![i]!).simd('i8x16_eq').set(local);
        seen.set(key, local);
      }
      f.get(local);
      if (i > 0) f.simd('v128_and');
    });
    if (gi > 0) f.simd('v128_or');
  });
}

/** firstIn(block, blocks, end): first verified match among candidates of `blocks` 16-byte blocks, or -1. */
function firstInBody(plan: NeedlePlan): Body {
  const f = new Body(3);
  const [block, blocks, end] = [0, 1, 2];
  const limit = f.local('i32');
  const m = f.local('i32');
  const q = f.local('i32');
  const k = probeConsts(f, plan);
  f.get(block).get(blocks).i32(4).op('i32_shl').op('i32_add').set(limit); // block + 16·blocks
  f.loop();
  {
    emitCandidates(f, plan, k, block, 0);
    f.simd('i8x16_bitmask').set(m);
    f.block();
    f.loop();
    {
      f.get(m).op('i32_eqz').brIf(1);
      f.get(block).get(m).op('i32_ctz').op('i32_add').tee(q);
      // Candidates come in position order: past the end, none can match.
      f.get(end).op('i32_ge_u').if().i32(-1).op('return').end();
      f.get(q).get(end).call(F.verify).if().get(q).op('return').end();
      f.get(m).get(m).i32(1).op('i32_sub').op('i32_and').set(m);
      f.br(0);
    }
    f.end();
    f.end();
    f.get(block).i32(16).op('i32_add').tee(block).get(limit).op('i32_lt_u').brIf(0);
  }
  f.end();
  f.i32(-1);
  return f;
}

/** count(from, to): newlines in [from, to), one byte at a time. */
function countBody(): Body {
  const f = new Body(2);
  const [from, to] = [0, 1];
  const n = f.local('i32');
  f.block();
  f.loop();
  f.get(from).get(to).op('i32_ge_u').brIf(1);
  f.get(n).get(from).load8(0).i32(NL).op('i32_eq').op('i32_add').set(n);
  f.get(from).i32(1).op('i32_add').set(from);
  f.br(0);
  f.end();
  f.end();
  f.get(n);
  return f;
}

/** find(start, end): see the header. */
function findBody(plan: NeedlePlan): Body {
  const f = new Body(2);
  const [start, end] = [0, 1];
  const p = f.local('i32');
  const lim = f.local('i32');
  const tot = f.local('i32');
  const r = f.local('i32');
  const rest = f.local('i32');
  const counted = f.local('i32');
  const acc = f.local('v128');
  const sum = f.local('v128');
  const nlv = f.local('v128');
  const mask = f.local('v128');
  const c = f.local('v128');
  const b = Array.from({ length: BLOCKS }, () => f.local('v128'));

  // tot += horizontal sum of the byte counters in acc; acc = 0.
  const flush = (): void => {
    f.get(acc).simd('i16x8_extadd_pairwise_i8x16_u').simd('i32x4_extadd_pairwise_i16x8_u').set(sum);
    f.get(tot);
    for (let lane = 0; lane < 4; lane++) f.get(sum).extractLane(lane).op('i32_add');
    f.set(tot);
    f.v128(splat(0)).set(acc);
  };
  // On a verified match at r (>= 0), tot counting the newlines up to blockEnd:
  // nl = tot - newlines in [r, blockEnd); return r.
  const returnIfMatch = (blockEnd: () => void): void => {
    f.get(r).i32(0).op('i32_ge_s').if();
    f.get(tot).get(r);
    blockEnd();
    f.call(F.count).op('i32_sub').globalSet(0);
    f.get(r).op('return');
    f.end();
  };

  const k = probeConsts(f, plan);
  f.v128(splat(NL)).set(nlv);
  f.v128(splat(0)).set(acc);
  f.get(start).set(p);

  // Main loop: STEP bytes a step. The inner loop only loads, compares and counts; it leaves for
  // the outer one on a candidate (with the bytes counted so far as the block's result) or every
  // MAX_STEPS steps to flush the byte counters. Two things TurboFan needs to make it fast
  // (measured by instruction counts under valgrind, and wall time): no call inside the inner loop
  // (the loaded blocks were spilled around it on every step), and a branch after every 16-byte
  // block (in one straight-line step it hoisted all loads to the top and spilled them).
  f.block();
  f.loop();
  {
    f.get(p).i32(STEP).op('i32_add').get(end).op('i32_gt_u').brIf(1);
    // lim = min(p + STEP·(MAX_STEPS-1), end - STEP): the last p of this run of steps.
    f.get(p).i32(STEP * (MAX_STEPS - 1)).op('i32_add');
    f.get(end).i32(STEP).op('i32_sub');
    f.get(p).i32(STEP * (MAX_STEPS - 1)).op('i32_add').get(end).i32(STEP).op('i32_sub').op('i32_lt_u');
    f.op('select').set(lim);
    f.block('i32');
    f.loop();
    {
      for (let s = 0; s < BLOCKS; s++) {
        // acc -= (block == '\n'): a match lane is -1, so this adds 1 per newline.
        f.get(acc).get(p).load(16 * s).tee(b[s]!).get(nlv).simd('i8x16_eq').simd('i8x16_sub').set(acc);
        const first = s % PER_BRANCH === 0;
        const last = s % PER_BRANCH === PER_BRANCH - 1;
        if (first) f.i32(16 * (s + PER_BRANCH));
        emitCandidates(f, plan, k, p, 16 * s, b[s]);
        if (!first) f.get(c).simd('v128_or');
        if (last) f.simd('v128_any_true').brIf(1).op('drop');
        else f.set(c);
      }
      f.get(p).i32(STEP).op('i32_add').tee(p).get(lim).op('i32_le_u').brIf(0);
    }
    f.end();
    flush();
    f.br(1);
    f.end();
    // A candidate in the 16·PER_BRANCH bytes before p + counted; acc counts the newlines up to there.
    f.set(counted);
    flush();
    f.get(p).get(counted).op('i32_add').i32(16 * PER_BRANCH).op('i32_sub').i32(PER_BRANCH).get(end).call(F.firstIn).set(r);
    returnIfMatch(() => f.get(p).get(counted).op('i32_add'));
    f.get(p).get(counted).op('i32_add').set(p);
    f.br(0);
  }
  f.end();
  f.end();

  // Tail: 16 bytes a step, lanes at or past `end` masked off.
  f.block();
  f.loop();
  {
    f.get(p).get(end).op('i32_ge_u').brIf(1);
    f.get(end).get(p).op('i32_sub').set(rest);
    f.i32(16).get(rest).get(rest).i32(16).op('i32_gt_u').op('select').set(rest); // min(rest, 16)
    f.v128(IOTA).get(rest).simd('i8x16_splat').simd('i8x16_lt_u').set(mask);
    f.get(p).load(0).set(b[0]!);
    f.get(tot).get(b[0]!).get(nlv).simd('i8x16_eq').get(mask).simd('v128_and').simd('i8x16_bitmask').op('i32_popcnt').op('i32_add').set(tot);
    emitCandidates(f, plan, k, p, 0, b[0]);
    f.get(mask).simd('v128_and').simd('v128_any_true').if();
    {
      f.get(p).i32(1).get(end).call(F.firstIn).set(r);
      returnIfMatch(() => f.get(p).get(rest).op('i32_add'));
    }
    f.end();
    f.get(p).i32(16).op('i32_add').set(p);
    f.br(0);
  }
  f.end();
  f.end();
  f.get(tot).globalSet(0);
  f.i32(-1);
  return f;
}

// The project's lib settings carry no WebAssembly typings (they come with the DOM lib): the few
// pieces used here, typed locally.
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmGlobal {
  value: unknown;
}
type WasmModule = object;
interface WasmApi {
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: object) => { exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number }) => WasmMemory;
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** What the region scanner needs of a kernel (the wasm one, or the JavaScript fallback). */
export interface ScanKernel {
  /** The memory regions are read into and scanned in; replaced when it grows. */
  readonly bytes: Buffer;
  /** Newlines counted by the last `find`. */
  readonly newlines: number;
  /** Usable bytes of `bytes` (the rest is padding for over-reads). */
  readonly capacity: number;
  ensureCapacity(min: number): void;
  /** First position in [start, end) where a needle starts and ends by `end`, or -1; `newlines` := newlines before it (or in all). */
  find(start: number, end: number): number;
  /** Newlines in [start, end). */
  count(start: number, end: number): number;
}

/** A compiled kernel bound to its own memory. */
class WasmKernel implements ScanKernel {
  /** Newlines counted by the last `find`. */
  newlines = 0;
  private readonly memory: WasmMemory;
  private readonly findFn: (start: number, end: number) => number;
  private readonly countFn: (start: number, end: number) => number;
  private readonly nl: WasmGlobal;
  /** A Buffer over the whole memory; replaced when the memory grows. */
  bytes: Buffer;

  constructor(
    module: WasmModule,
    private readonly padding: number,
    capacity: number,
  ) {
    this.memory = new wasm.Memory({ initial: pagesFor(capacity + padding) });
    const instance = new wasm.Instance(module, { env: { mem: this.memory } });
    const e = instance.exports as Record<string, unknown>;
    this.findFn = e['find'] as (start: number, end: number) => number;
    this.countFn = e['count'] as (start: number, end: number) => number;
    this.nl = e['nl'] as WasmGlobal;
    this.bytes = Buffer.from(this.memory.buffer);
  }

  /** Usable bytes (the padding past them is reserved for the kernel's over-reads). */
  get capacity(): number {
    return this.bytes.length - this.padding;
  }

  /** Grows the memory so that `capacity >= min`; `bytes` is a new Buffer afterwards. */
  ensureCapacity(min: number): void {
    if (this.capacity >= min) return;
    const want = Math.max(min, this.capacity * 2);
    this.memory.grow(pagesFor(want + this.padding) - this.memory.buffer.byteLength / 65536);
    this.bytes = Buffer.from(this.memory.buffer);
  }

  /** First needle position in [start, end) or -1; `newlines` := newlines before it (or in all). */
  find(start: number, end: number): number {
    const q = this.findFn(start, end);
    this.newlines = this.nl.value as number;
    return q;
  }

  count(start: number, end: number): number {
    return this.countFn(start, end);
  }
}

function pagesFor(bytes: number): number {
  return Math.ceil(bytes / 65536);
}

/** Compiled modules by needle set: `--wait` polls and multi-file reads reuse them. Kept small. */
const compiled = new Map<string, WasmModule>();
const MAX_COMPILED = 8;

let wasmUnavailable = false;

/**
 * A kernel for the plan with room for `capacity` bytes: the wasm SIMD one, or, where wasm SIMD
 * cannot compile (an x64 CPU without SSE4.1, a runtime without SIMD), the JavaScript fallback —
 * same results, ~10× slower. `useWasm: false` forces the fallback (tests).
 */
export function createKernel(plan: NeedlePlan, capacity: number, useWasm = true): ScanKernel {
  if (!useWasm || wasmUnavailable) return new JsKernel(plan, capacity);
  const key = plan.needles.map((n) => Buffer.from(n).toString('hex')).join(',');
  let module = compiled.get(key);
  if (!module) {
    try {
      module = new wasm.Module(kernelModule(plan));
    } catch {
      wasmUnavailable = true;
      return new JsKernel(plan, capacity);
    }
    if (compiled.size >= MAX_COMPILED) compiled.clear();
    compiled.set(key, module);
  }
  return new WasmKernel(module, paddingFor(plan), capacity);
}
