// A study kept in the tracking store: the study is a parent run, each trial a child run with its params, its
// intermediate values as stepped metrics, its final value(s), duration and CPU-seconds. What the Study needs to
// rebuild itself after a crash (distributions, internal values, attrs, state) rides along as keel.* tags.

import { KeelError } from '../core/index.ts';
import type { RunRecord, RunStore } from '../track/index.ts';
import { TrackErrors } from '../track/index.ts';
import type { StudyEvent, StudyJournal } from '../tune/index.ts';

const TAG_STUDY = 'keel.study';
const TAG_KIND = 'keel.kind';
const TAG_TRIAL = 'keel.trial';
const TAG_STATE = 'keel.state';

export class RunStoreJournal implements StudyJournal {
  private studyRun: string | null = null;
  private objectives: string[] = ['value'];
  private readonly trialRuns = new Map<number, string>();

  constructor(
    private readonly store: RunStore,
    private readonly experiment: string,
    private readonly study: string,
    private readonly project?: string,
  ) {}

  private async runsOfStudy(): Promise<RunRecord[]> {
    const runs = await this.store.listRuns({ experiment: this.experiment });
    return runs.filter((r) => r.tags[TAG_STUDY] === this.study);
  }

  async load(): Promise<StudyEvent[]> {
    const runs = await this.runsOfStudy();
    const head = runs.find((r) => r.tags[TAG_KIND] === 'study');
    if (!head) return [];
    this.studyRun = head.id;
    const header = JSON.parse(head.tags['keel.header']) as Extract<StudyEvent, { op: 'study' }>;
    this.objectives = header.objectives;
    const events: StudyEvent[] = [header];
    const trials = runs
      .filter((r) => r.tags[TAG_KIND] === 'trial')
      .sort((a, b) => Number(a.tags[TAG_TRIAL]) - Number(b.tags[TAG_TRIAL]));
    for (const r of trials) {
      const n = Number(r.tags[TAG_TRIAL]);
      this.trialRuns.set(n, r.id);
      events.push({ op: 'trial', n, at: r.startedAt, attrs: JSON.parse(r.tags['keel.attrs'] ?? '{}') });
      for (const [key, value] of Object.entries(r.tags)) {
        if (!key.startsWith('keel.param.')) continue;
        const p = JSON.parse(value);
        events.push({
          op: 'param',
          n,
          name: key.slice('keel.param.'.length),
          dist: p.dist,
          internal: p.internal,
          value: p.value,
        });
      }
      const histories = await Promise.all(
        this.objectives.map((o) => this.store.metricHistory(r.id, `intermediate.${o}`)),
      );
      const steps = new Map<number, number[]>();
      histories.forEach((h, k) => {
        for (const point of h) {
          const v = steps.get(point.step) ?? [];
          v[k] = point.value;
          steps.set(point.step, v);
        }
      });
      for (const [step, values] of [...steps].sort((a, b) => a[0] - b[0]))
        events.push({ op: 'report', n, step, values });
      const state = r.tags[TAG_STATE];
      if (state && state !== 'running') {
        events.push({
          op: 'finish',
          n,
          state: state as 'complete' | 'pruned' | 'failed',
          values: JSON.parse(r.tags['keel.values'] ?? 'null'),
          at: r.endedAt ?? r.heartbeatAt,
          ms: Number(r.tags['keel.ms'] ?? 0),
          cpu: Number(r.tags['keel.cpu'] ?? 0),
          ...((r.tags['keel.error'] ?? r.error)
            ? { error: r.tags['keel.error'] ?? (r.error as string) }
            : {}),
        });
      }
    }
    return events;
  }

  async append(e: StudyEvent): Promise<void> {
    const s = this.store;
    switch (e.op) {
      case 'study': {
        this.objectives = e.objectives;
        this.studyRun = await s.startRun({
          experiment: this.experiment,
          project: this.project,
          name: `study ${this.study}`,
          params: { directions: e.directions.join(','), objectives: e.objectives.join(',') },
          tags: { [TAG_STUDY]: this.study, [TAG_KIND]: 'study', 'keel.header': JSON.stringify(e) },
        });
        return;
      }
      case 'trial': {
        const id = await s.startRun({
          experiment: this.experiment,
          project: this.project,
          name: `${this.study} #${e.n}`,
          parentId: this.studyRun ?? undefined,
          tags: {
            [TAG_STUDY]: this.study,
            [TAG_KIND]: 'trial',
            [TAG_TRIAL]: String(e.n),
            [TAG_STATE]: 'running',
            'keel.attrs': JSON.stringify(e.attrs ?? {}),
          },
        });
        this.trialRuns.set(e.n, id);
        return;
      }
      case 'param': {
        const id = this.run(e.n);
        await s.logParams(id, { [e.name]: e.value });
        await s.setTags(id, {
          [`keel.param.${e.name}`]: JSON.stringify({ dist: e.dist, internal: e.internal, value: e.value }),
        });
        return;
      }
      case 'report':
        await s.logMetricBatch(
          this.run(e.n),
          e.values.map((value, k) => ({ key: `intermediate.${this.objectives[k]}`, value, step: e.step })),
        );
        return;
      case 'attr': {
        const id = this.run(e.n);
        const run = await s.getRun(id);
        const attrs = { ...JSON.parse(run.tags['keel.attrs'] ?? '{}'), [e.key]: e.value };
        await s.setTags(id, { 'keel.attrs': JSON.stringify(attrs) });
        return;
      }
      case 'finish': {
        const id = this.run(e.n);
        const metrics: Record<string, number> = { duration_s: e.ms / 1000, cpu_seconds: e.cpu };
        e.values?.forEach((v, k) => {
          metrics[this.objectives[k]] = v;
        });
        // a run the store already reaped (its process died) takes tags only; they carry the trial's state
        const live = (await s.getRun(id)).status === 'running';
        if (live) await s.logMetrics(id, metrics);
        await s.setTags(id, {
          [TAG_STATE]: e.state,
          'keel.values': JSON.stringify(e.values),
          'keel.ms': String(e.ms),
          'keel.cpu': String(e.cpu),
          ...(e.error ? { 'keel.error': e.error } : {}),
        });
        if (live) await s.endRun(id, e.state === 'failed' ? 'failed' : 'finished', e.error);
        return;
      }
    }
  }

  private run(n: number): string {
    const id = this.trialRuns.get(n);
    if (!id) throw new KeelError(TrackErrors.NOT_FOUND, `trial ${n} has no run in study "${this.study}"`);
    return id;
  }

  /** Ends the study's parent run (call once the study is done). */
  async endStudy(status: 'finished' | 'failed' | 'killed', error?: string): Promise<void> {
    if (!this.studyRun) return;
    const run = await this.store.getRun(this.studyRun);
    if (run.status === 'running') await this.store.endRun(this.studyRun, status, error);
  }
}
