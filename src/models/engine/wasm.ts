// The WebAssembly emitter every family's kernels are written with: LEB128 and section encoders, the instructions
// and loop shapes the kernels use, module builders (one importing a shared memory, one for compiled trees), and the
// runtime's Module / Memory / Instance. Each family emits its own kernels with these (boosting/kernels-wasm.ts,
// linear/kernels-wasm.ts, boosting's compiled trees); each kernel does exactly what its JavaScript twin does.

import { KeelError } from '../../core/index.ts';
import { EstimatorErrors } from '../../estimator/index.ts';

const I32 = 0x7f;
const F64 = 0x7c;

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

const name = (s: string) => [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];
const section = (id: number, body: number[]) => [id, ...uleb(body.length), ...body];
const vec = (items: number[][]) => [...uleb(items.length), ...items.flat()];

// instructions used by the kernel
const get = (l: number) => [0x20, l];
const set = (l: number) => [0x21, l];
const tee = (l: number) => [0x22, l];
const i32 = (v: number) => [0x41, ...sleb(v)];
const f64One = [0x44, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f];
const loadI32 = (offset: number) => [0x28, 2, ...uleb(offset)];
const loadU8 = (offset: number) => [0x2d, 0, ...uleb(offset)];
const loadF64 = (offset: number) => [0x2b, 3, ...uleb(offset)];
const storeF64 = (offset: number) => [0x39, 3, ...uleb(offset)];
const [ADD, SUB, MUL, AND, SHL, LT_S, GE_S, GE_U, F64_ADD, F64_MUL, SELECT, DROP] = [
  0x6a, 0x6b, 0x6c, 0x71, 0x74, 0x48, 0x4e, 0x4f, 0xa0, 0xa2, 0x1b, 0x1a,
];
const BLOCK_LOOP = [0x02, 0x40, 0x03, 0x40];
const BREAK_IF = [0x0d, 1];
const CONTINUE_END = [0x0c, 0, 0x0b, 0x0b];
/** local += by */
const bump = (l: number, by: number) => [...get(l), ...i32(by), ADD, ...set(l)];
/** opens a loop that runs while local a is below local b (cmp: GE_S or GE_U); close it with CONTINUE_END */
const loopWhileBelow = (a: number, b: number, cmp: number) => [
  ...BLOCK_LOOP,
  ...get(a),
  ...get(b),
  cmp,
  ...BREAK_IF,
];
/** address of the 4-byte element at index (local) from base (local) */
const index4 = (base: number, index: number) => [...get(base), ...get(index), ...i32(2), SHL, ADD];
/** address of the 8-byte element at index (local) from base (local) */
const index8 = (base: number, index: number) => [...get(base), ...get(index), ...i32(3), SHL, ADD];
/** address of row i of a rows × p matrix of doubles at x */
const rowStart = (x: number, i: number, p: number) => [
  ...get(x),
  ...get(i),
  ...get(p),
  MUL,
  ...i32(3),
  SHL,
  ADD,
];
const EQZ = 0x45;
const V128 = 0x7b;
const v128Load = (offset: number) => [0xfd, 0x00, 3, ...uleb(offset)];
const v128Store = (offset: number) => [0xfd, 0x0b, 3, ...uleb(offset)];
const F64X2_ADD = [0xfd, 0xf0, 0x01];
const MEMORY_COPY = [0xfc, 0x0a, 0x00, 0x00];

function code(locals: number[][], body: number[]): number[] {
  const fn = [...vec(locals), ...body];
  return [...uleb(fn.length), ...fn];
}

/** A function of a module: its export name, its i32 params, whether it returns an i32, its locals and code. */
export interface KernelFunction {
  name: string;
  params: number;
  returnsI32?: boolean;
  locals: number[][];
  body: number[];
}

/** The bytes of a module of i32-parameter functions importing env.memory (shared, with the largest maximum). */
export function sharedMemoryModuleBytes(functions: readonly KernelFunction[]): Uint8Array {
  const signature = (f: KernelFunction) => [
    0x60,
    ...vec(Array.from({ length: f.params }, () => [I32])),
    ...(f.returnsI32 ? [1, I32] : [0]),
  ];
  return Uint8Array.from([
    0x00,
    0x61,
    0x73,
    0x6d,
    1,
    0,
    0,
    0,
    // one type per function, in order
    ...section(1, vec(functions.map(signature))),
    // imports env.memory: shared, with a maximum (flags 3), at least one page
    ...section(2, vec([[...name('env'), ...name('memory'), 0x02, 0x03, ...uleb(1), ...uleb(65536)]])),
    ...section(3, vec(functions.map((_, i) => uleb(i)))),
    ...section(7, vec(functions.map((f, i) => [...name(f.name), 0x00, ...uleb(i)]))),
    ...section(10, vec(functions.map((f) => code(f.locals, f.body)))),
  ]);
}

// the few WebAssembly types used here (the project's TypeScript lib has no DOM / WebAssembly declarations)
export interface WasmMemory {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
}
export type WasmModule = object;
interface WasmApi {
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (m: WasmModule, imports: object) => { exports: Record<string, unknown> };
  Memory: new (d: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
}
const wasm = Reflect.get(globalThis, 'WebAssembly') as WasmApi | undefined;

/** A shared memory of at least `bytes` bytes (whole 64 KiB pages), or null if it cannot be had. */
export function sharedMemory(bytes: number): WasmMemory | null {
  const pages = Math.ceil(bytes / 65536);
  if (!wasm || pages > 65536) return null;
  try {
    return new wasm.Memory({ initial: pages, maximum: pages, shared: true });
  } catch {
    return null;
  }
}

export function instantiate(module: WasmModule, memory: WasmMemory): Record<string, unknown> {
  if (!wasm) throw new KeelError(EstimatorErrors.UNSUPPORTED, 'WebAssembly is unavailable');
  return new wasm.Instance(module, { env: { memory } }).exports;
}

/** Byte-level helpers for the families' emitters: instructions, loop shapes and encoders. */
export const encode = {
  uleb,
  name,
  section,
  code,
  vec,
  I32,
  F64,
  get,
  set,
  tee,
  i32,
  loadI32,
  loadF64,
  storeF64,
  bump,
  loopWhileBelow,
  rowStart,
  BLOCK_LOOP,
  BREAK_IF,
  CONTINUE_END,
  V128,
  v128Load,
  v128Store,
  F64X2_ADD,
  sleb,
  f64One,
  loadU8,
  ADD,
  SUB,
  MUL,
  AND,
  SHL,
  LT_S,
  GE_S,
  GE_U,
  F64_ADD,
  F64_MUL,
  SELECT,
  DROP,
  index4,
  index8,
  EQZ,
  MEMORY_COPY,
};

/** Compiles module bytes, or null where WebAssembly is unavailable or rejects them. */
export function compileModule(bytes: Uint8Array): WasmModule | null {
  try {
    return wasm ? new wasm.Module(bytes) : null;
  } catch {
    return null;
  }
}

/**
 * Compiles a module of functions chunk0, chunk1, … (four i32 params: data, rows, cols, out; no result), each given as
 * its locals declaration followed by its code, importing env.memory: private with no maximum, or shared with the
 * largest. Null where WebAssembly is unavailable or rejects the bytes. (The tree scorers are built this way.)
 */
export function compileChunks(functions: number[][], shared: boolean): WasmModule | null {
  const bytes = Uint8Array.from([
    0x00,
    0x61,
    0x73,
    0x6d,
    1,
    0,
    0,
    0,
    ...section(1, vec([[0x60, ...vec([[I32], [I32], [I32], [I32]]), 0]])),
    ...section(
      2,
      vec([
        [
          ...name('env'),
          ...name('memory'),
          0x02,
          ...(shared ? [0x03, ...uleb(1), ...uleb(65536)] : [0x00, ...uleb(1)]),
        ],
      ]),
    ),
    ...section(3, vec(functions.map(() => [0]))),
    ...section(7, vec(functions.map((_, c) => [...name(`chunk${c}`), 0x00, ...uleb(c)]))),
    ...section(10, vec(functions.map((fn) => [...uleb(fn.length), ...fn]))),
  ]);
  return compileModule(bytes);
}

/** A private (unshared) memory of at least `bytes` bytes, or null. */
export function privateMemory(bytes: number): WasmMemory | null {
  const pages = Math.max(1, Math.ceil(bytes / 65536));
  if (!wasm || pages > 65536) return null;
  try {
    return new wasm.Memory({ initial: pages });
  } catch {
    return null;
  }
}
