// A trial worker thread: loads the objective module once, then runs the trials the main thread hands it. The trial
// it passes to the objective is a real Trial whose suggestions, reports and pruning questions go to the study on the
// main thread and block (Atomics.wait) until answered, so objectives stay synchronous, as on the main thread.

import { parentPort, workerData } from 'node:worker_threads';
import { importUserModule, isKeelError } from '../core/index.ts';
import type { Distribution, ParamValue } from './distributions.ts';
import { TuneErrors } from './errors.ts';
import { Trial, type TrialHost } from './trial.ts';
import type { FrozenTrial } from './types.ts';

interface Init {
  module: string;
  exportName: string;
  data: unknown;
  ctrl: SharedArrayBuffer;
  bytes: SharedArrayBuffer;
}

const init = workerData as Init;
const ctrl = new Int32Array(init.ctrl);
const bytes = new Uint8Array(init.bytes);
const port = parentPort;
if (!port) throw new Error('tune-worker-main.ts runs only as a worker thread');

/** A synchronous call to the main thread: post the request, sleep until the answer is in the shared buffer. */
function call(req: Record<string, unknown>): unknown {
  Atomics.store(ctrl, 0, 0);
  port?.postMessage({ type: 'call', req });
  Atomics.wait(ctrl, 0, 0);
  const text = new TextDecoder().decode(bytes.slice(0, Atomics.load(ctrl, 1)));
  const answer = JSON.parse(text) as { ok: boolean; value?: unknown; error?: string; code?: string };
  if (!answer.ok) throw Object.assign(new Error(answer.error), { code: answer.code });
  return answer.value;
}

const host: TrialHost = {
  suggest: (t: FrozenTrial, name: string, dist: Distribution) => {
    const value = call({ op: 'suggest', n: t.number, name, dist }) as ParamValue;
    t.params[name] = value;
    t.distributions[name] = dist;
    return value;
  },
  report: (t, step, values) => {
    t.intermediate.set(step, values);
    call({ op: 'report', n: t.number, step, values });
  },
  shouldPrune: (t) => call({ op: 'shouldPrune', n: t.number }) as boolean,
  setAttr: (t, key, value) => {
    t.attrs[key] = value;
    call({ op: 'attr', n: t.number, key, value });
  },
  flush: async () => {},
};

const mod = await importUserModule(init.module);
const objective = mod[init.exportName] as (trial: Trial, context: unknown) => unknown;
if (typeof objective !== 'function') {
  port.postMessage({ type: 'fatal', error: `${init.module} exports no function "${init.exportName}"` });
} else {
  const setup = mod.setup as ((data: unknown) => unknown) | undefined;
  const context = setup ? await setup(init.data) : init.data;
  port.on('message', async (m: { type: 'run'; frozen: FrozenTrial }) => {
    const frozen: FrozenTrial = { ...m.frozen, intermediate: new Map() };
    try {
      const value = await objective(new Trial(host, frozen), context);
      port.postMessage({ type: 'done', n: frozen.number, value });
    } catch (err) {
      const pruned =
        isKeelError(err, TuneErrors.TRIAL_PRUNED) ||
        (err as { code?: string }).code === TuneErrors.TRIAL_PRUNED;
      port.postMessage({
        type: pruned ? 'pruned' : 'error',
        n: frozen.number,
        error: err instanceof Error ? err.message : String(err),
      });
    }
  });
  port.postMessage({ type: 'ready' });
}
