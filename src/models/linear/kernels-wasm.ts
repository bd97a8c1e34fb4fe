// The linear family's WebAssembly kernels, emitted with the engine's encoders: the two passes of a linear model's
// gradient (margins, then the weighted sum of rows). Each adds exactly what its JavaScript twin adds, in the same order.

import { compileModule, encode, sharedMemoryModuleBytes, type WasmModule } from '../engine/wasm.ts';

const {
  I32,
  F64,
  get,
  set,
  tee,
  i32,
  loadF64,
  storeF64,
  ADD,
  SHL,
  GE_S,
  GE_U,
  F64_ADD,
  F64_MUL,
  CONTINUE_END,
  bump,
  loopWhileBelow,
  index8,
  rowStart,
} = encode;

// margins(X, theta, n, p, out): out[i] = theta[p] + sum_j theta[j] * X[i, j], j ascending (byte addresses)
function marginsBody(): number[] {
  const [X, THETA, N, P_, OUT] = [0, 1, 2, 3, 4];
  const [I, XP, TP, TE, S] = [5, 6, 7, 8, 9];
  return [
    ...i32(0),
    ...set(I),
    ...loopWhileBelow(I, N, GE_S),
    // s = theta[p]; tp = theta; te = theta + 8p; xp = X + 8 i p
    ...index8(THETA, P_),
    ...tee(TE),
    ...loadF64(0),
    ...set(S),
    ...get(THETA),
    ...set(TP),
    ...rowStart(X, I, P_),
    ...set(XP),
    ...loopWhileBelow(TP, TE, GE_U),
    ...get(S),
    ...get(TP),
    ...loadF64(0),
    ...get(XP),
    ...loadF64(0),
    F64_MUL,
    F64_ADD,
    ...set(S),
    ...bump(TP, 8),
    ...bump(XP, 8),
    ...CONTINUE_END,
    // out[i] = s
    ...index8(OUT, I),
    ...get(S),
    ...storeF64(0),
    ...bump(I, 1),
    ...CONTINUE_END,
    0x0b,
  ];
}

// gradAccum(X, r, n, p, grad): for each row i in order, grad[j] += r[i] * X[i, j] (byte addresses)
function gradAccumBody(): number[] {
  const [X, R_, N, P_, GRAD] = [0, 1, 2, 3, 4];
  const [I, XP, GP, GE, RI] = [5, 6, 7, 8, 9];
  return [
    ...i32(0),
    ...set(I),
    ...loopWhileBelow(I, N, GE_S),
    ...index8(R_, I),
    ...loadF64(0),
    ...set(RI),
    ...rowStart(X, I, P_),
    ...set(XP),
    ...get(GRAD),
    ...tee(GP),
    ...get(P_),
    ...i32(3),
    SHL,
    ADD,
    ...set(GE),
    ...loopWhileBelow(GP, GE, GE_U),
    ...get(GP),
    ...get(GP),
    ...loadF64(0),
    ...get(RI),
    ...get(XP),
    ...loadF64(0),
    F64_MUL,
    F64_ADD,
    ...storeF64(0),
    ...bump(GP, 8),
    ...bump(XP, 8),
    ...CONTINUE_END,
    ...bump(I, 1),
    ...CONTINUE_END,
    0x0b,
  ];
}

let cached: WasmModule | null | undefined;

/** The compiled passes (margins, gradAccum), or null where WebAssembly with shared memory is unavailable. */
export function linearPassesModule(): WasmModule | null {
  if (cached !== undefined) return cached;
  cached = compileModule(
    sharedMemoryModuleBytes([
      {
        name: 'margins',
        params: 5,
        locals: [
          [4, I32],
          [1, F64],
        ],
        body: marginsBody(),
      },
      {
        name: 'gradAccum',
        params: 5,
        locals: [
          [4, I32],
          [1, F64],
        ],
        body: gradAccumBody(),
      },
    ]),
  );
  return cached;
}

/** (X, theta or r, n, p, out or grad): byte addresses and counts */
export type WasmLinearPass = (x: number, v: number, n: number, p: number, out: number) => void;
