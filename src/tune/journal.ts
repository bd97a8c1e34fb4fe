// A study is stored as an ordered journal of events; replaying it rebuilds every trial. Backends only append and
// read back: in memory, a JSON-lines file (each line written whole and fsynced at trial boundaries), or the tracking
// store (see flow/tune-store.ts).

import fs from 'node:fs';
import { KeelError } from '../core/index.ts';
import type { Distribution, ParamValue } from './distributions.ts';
import { TuneErrors } from './errors.ts';
import type { Direction, FrozenTrial, TrialState } from './types.ts';

export type StudyEvent =
  | { op: 'study'; name: string; directions: Direction[]; objectives: string[] }
  | { op: 'trial'; n: number; at: string; attrs?: Record<string, unknown> }
  | { op: 'param'; n: number; name: string; dist: Distribution; internal: number; value: ParamValue }
  | { op: 'report'; n: number; step: number; values: number[] }
  | { op: 'attr'; n: number; key: string; value: unknown }
  | {
      op: 'finish';
      n: number;
      state: Exclude<TrialState, 'running'>;
      values: number[] | null;
      at: string;
      ms: number;
      cpu: number;
      error?: string;
    };

export interface StudyJournal {
  /** every event so far, in order */
  load(): Promise<StudyEvent[]>;
  append(event: StudyEvent): Promise<void>;
  close?(): Promise<void>;
}

export class MemoryJournal implements StudyJournal {
  readonly events: StudyEvent[] = [];
  async load(): Promise<StudyEvent[]> {
    return [...this.events];
  }
  async append(event: StudyEvent): Promise<void> {
    this.events.push(structuredClone(event));
  }
}

/**
 * JSON lines in one file. A line cut short by a crash (the only place one can be: the end) is ignored on load;
 * anything else unreadable is a coded error. Trial starts and ends are fsynced.
 */
export class FileJournal implements StudyJournal {
  private fd: number | null = null;
  constructor(readonly path: string) {}

  async load(): Promise<StudyEvent[]> {
    if (!fs.existsSync(this.path)) return [];
    const text = fs.readFileSync(this.path, 'utf8');
    const lines = text.split('\n');
    const events: StudyEvent[] = [];
    for (let i = 0; i < lines.length; i++) {
      if (lines[i] === '') continue;
      try {
        events.push(JSON.parse(lines[i]) as StudyEvent);
      } catch {
        const last = i === lines.length - 1;
        if (last) break; // a torn final line: the write it belonged to never completed
        throw new KeelError(TuneErrors.STORAGE_CORRUPT, `${this.path}: line ${i + 1} is not JSON`);
      }
    }
    if (text.length > 0 && !text.endsWith('\n')) {
      // drop the torn tail so the next append starts on a fresh line
      fs.truncateSync(this.path, text.lastIndexOf('\n') + 1);
    }
    return events;
  }

  async append(event: StudyEvent): Promise<void> {
    if (this.fd === null) this.fd = fs.openSync(this.path, 'a');
    fs.writeSync(this.fd, `${JSON.stringify(event)}\n`);
    if (event.op === 'trial' || event.op === 'finish' || event.op === 'study') fs.fsyncSync(this.fd);
  }

  async close(): Promise<void> {
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
  }
}

/** A trial that has just started: no params, no values yet. */
export function newTrial(n: number, startedAt: string, attrs: Record<string, unknown> = {}): FrozenTrial {
  return {
    number: n,
    state: 'running',
    params: {},
    internal: {},
    distributions: {},
    values: null,
    intermediate: new Map(),
    attrs: { ...attrs },
    startedAt,
    endedAt: null,
    durationMs: null,
    cpuSeconds: null,
    error: null,
  };
}

/** Rebuilds the study header and its trials from a journal. */
export function replay(events: readonly StudyEvent[]): {
  header: Extract<StudyEvent, { op: 'study' }> | null;
  trials: FrozenTrial[];
} {
  let header: Extract<StudyEvent, { op: 'study' }> | null = null;
  const trials: FrozenTrial[] = [];
  const get = (n: number): FrozenTrial => {
    const t = trials[n];
    if (!t) throw new KeelError(TuneErrors.STORAGE_CORRUPT, `journal names trial ${n} before creating it`);
    return t;
  };
  for (const e of events) {
    switch (e.op) {
      case 'study':
        header = e;
        break;
      case 'trial':
        trials[e.n] = newTrial(e.n, e.at, e.attrs);
        break;
      case 'param': {
        const t = get(e.n);
        t.params[e.name] = e.value;
        t.internal[e.name] = e.internal;
        t.distributions[e.name] = e.dist;
        break;
      }
      case 'report':
        get(e.n).intermediate.set(e.step, e.values);
        break;
      case 'attr':
        get(e.n).attrs[e.key] = e.value;
        break;
      case 'finish': {
        const t = get(e.n);
        t.state = e.state;
        t.values = e.values;
        t.endedAt = e.at;
        t.durationMs = e.ms;
        t.cpuSeconds = e.cpu;
        t.error = e.error ?? null;
        break;
      }
    }
  }
  return { header, trials };
}
