// A tiny WebAssembly binary writer: just enough to emit the scan kernel (kernel.ts) without a
// toolchain or a new dependency. Opcode numbers are from the core spec and the SIMD proposal's
// BinarySIMD.md (final opcodes); every SIMD opcode is `0xfd` + LEB128(simdop).

export type ValType = 'i32' | 'v128';

const VALTYPE: Record<ValType, number> = { i32: 0x7f, v128: 0x7b };

/** Unsigned LEB128. */
export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

/** Signed LEB128 (i32 immediates). */
export function sleb(n: number): number[] {
  const out: number[] = [];
  n |= 0;
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    const done = (n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

/** Plain opcodes (one byte, no immediates). */
const OP = {
  return: 0x0f,
  i32_load8_u: 0x2d,
  i32_eqz: 0x45,
  i32_eq: 0x46,
  i32_ne: 0x47,
  i32_lt_s: 0x48,
  i32_lt_u: 0x49,
  i32_gt_u: 0x4b,
  i32_le_u: 0x4d,
  i32_ge_s: 0x4e,
  i32_ge_u: 0x4f,
  i32_ctz: 0x68,
  i32_popcnt: 0x69,
  i32_add: 0x6a,
  i32_sub: 0x6b,
  i32_mul: 0x6c,
  i32_and: 0x71,
  i32_or: 0x72,
  i32_shl: 0x74,
  select: 0x1b,
  drop: 0x1a,
} as const;

/** SIMD opcodes (after the 0xfd prefix). */
const SIMD = {
  v128_load: 0x00,
  v128_const: 0x0c,
  i8x16_splat: 0x0f,
  i32x4_extract_lane: 0x1b,
  i8x16_eq: 0x23,
  i8x16_lt_u: 0x26,
  v128_not: 0x4d,
  v128_and: 0x4e,
  v128_or: 0x50,
  v128_xor: 0x51,
  v128_any_true: 0x53,
  i8x16_bitmask: 0x64,
  i8x16_sub: 0x71,
  i16x8_extadd_pairwise_i8x16_u: 0x7d,
  i32x4_extadd_pairwise_i16x8_u: 0x7f,
  i32x4_add: 0xae,
} as const;

export type PlainOp = keyof typeof OP;
export type SimdOp = Exclude<keyof typeof SIMD, 'v128_load' | 'v128_const' | 'i32x4_extract_lane'>;

/** One function body under construction; methods append instructions and return `this`. */
export class Body {
  readonly bytes: number[] = [];
  private readonly localTypes: ValType[] = [];

  constructor(readonly paramCount: number) {}

  /** Declares a new local; returns its index (params come first). */
  local(type: ValType): number {
    this.localTypes.push(type);
    return this.paramCount + this.localTypes.length - 1;
  }

  op(name: PlainOp): this {
    this.bytes.push(OP[name]);
    return this;
  }
  simd(name: SimdOp): this {
    this.bytes.push(0xfd, ...uleb(SIMD[name]));
    return this;
  }
  get(i: number): this {
    this.bytes.push(0x20, ...uleb(i));
    return this;
  }
  set(i: number): this {
    this.bytes.push(0x21, ...uleb(i));
    return this;
  }
  tee(i: number): this {
    this.bytes.push(0x22, ...uleb(i));
    return this;
  }
  globalGet(i: number): this {
    this.bytes.push(0x23, ...uleb(i));
    return this;
  }
  globalSet(i: number): this {
    this.bytes.push(0x24, ...uleb(i));
    return this;
  }
  i32(n: number): this {
    this.bytes.push(0x41, ...sleb(n));
    return this;
  }
  /** v128.load with a constant byte offset added to the address on the stack (align hint 1 byte). */
  load(offset: number): this {
    this.bytes.push(0xfd, ...uleb(SIMD.v128_load), 0, ...uleb(offset));
    return this;
  }
  /** i32.load8_u with a constant offset. */
  load8(offset: number): this {
    this.bytes.push(OP.i32_load8_u, 0, ...uleb(offset));
    return this;
  }
  v128(bytes: ArrayLike<number>): this {
    if (bytes.length !== 16) throw new Error('v128.const needs 16 bytes');
    this.bytes.push(0xfd, ...uleb(SIMD.v128_const), ...Array.from(bytes, (b) => b & 0xff));
    return this;
  }
  extractLane(lane: number): this {
    this.bytes.push(0xfd, ...uleb(SIMD.i32x4_extract_lane), lane);
    return this;
  }
  /** block / loop / if (no result unless given); close with end(). */
  block(result?: ValType): this {
    this.bytes.push(0x02, result ? VALTYPE[result] : 0x40);
    return this;
  }
  loop(): this {
    this.bytes.push(0x03, 0x40);
    return this;
  }
  if(): this {
    this.bytes.push(0x04, 0x40);
    return this;
  }
  end(): this {
    this.bytes.push(0x0b);
    return this;
  }
  br(depth: number): this {
    this.bytes.push(0x0c, ...uleb(depth));
    return this;
  }
  brIf(depth: number): this {
    this.bytes.push(0x0d, ...uleb(depth));
    return this;
  }
  call(funcIndex: number): this {
    this.bytes.push(0x10, ...uleb(funcIndex));
    return this;
  }

  /** The code-section entry: size, local declarations, instructions, final `end`. */
  encode(): number[] {
    const decls: number[][] = [];
    for (const t of this.localTypes) decls.push([1, VALTYPE[t]]);
    const inner = [...uleb(decls.length), ...decls.flat(), ...this.bytes, 0x0b];
    return [...uleb(inner.length), ...inner];
  }
}

export interface FuncDef {
  name: string;
  params: ValType[];
  results: ValType[];
  body: Body;
}

/**
 * A module that imports its memory as `env.mem` and has one mutable i32 global per name in
 * `globals` (exported under that name), and the given functions (all exported, in order, so a
 * function's index is its position in `funcs`).
 */
export function moduleBytes(funcs: readonly FuncDef[], globals: readonly string[]): Uint8Array {
  const section = (id: number, content: number[]): number[] => [id, ...uleb(content.length), ...content];
  const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
  const name = (s: string): number[] => [...uleb(s.length), ...Array.from(Buffer.from(s, 'utf8'))];

  const types = vec(funcs.map((f) => [0x60, ...vec(f.params.map((t) => [VALTYPE[t]])), ...vec(f.results.map((t) => [VALTYPE[t]]))]));
  const imports = vec([[...name('env'), ...name('mem'), 0x02, 0x00, ...uleb(1)]]);
  const functions = vec(funcs.map((_, i) => uleb(i)));
  const globalDefs = vec(globals.map(() => [0x7f, 0x01, 0x41, 0x00, 0x0b]));
  const exports = vec([
    ...funcs.map((f, i) => [...name(f.name), 0x00, ...uleb(i)]),
    ...globals.map((g, i) => [...name(g), 0x03, ...uleb(i)]),
  ]);
  const code = vec(funcs.map((f) => f.body.encode()));
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, types),
    ...section(2, imports),
    ...section(3, functions),
    ...section(6, globalDefs),
    ...section(7, exports),
    ...section(10, code),
  ]);
}
