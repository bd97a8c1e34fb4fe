// An endpoint's arms from the registry: loading them (one input schema for all arms), starting each shadow arm's
// worker on the very version its arm serves, and swapping in versions whose alias moved (a shadow's worker restarted
// the same way, with the same fault setting).

import { KeelError } from '../core/index.ts';
import { type DeploymentSpec, type ModelRegistry, RegistryErrors } from '../registry/index.ts';
import type { CanaryEvent } from './canary.ts';
import { type ArmRuntime, Endpoint } from './endpoint.ts';
import { ServeErrors } from './errors.ts';
import type { ServeMetrics } from './metrics.ts';
import { type LoadedModel, loadModel } from './model.ts';
import { type ShadowFault, ShadowWorker } from './shadow.ts';

/** What loading and reloading arms needs from the server's options. */
export interface ArmLoader {
  registry: ModelRegistry;
  metrics: ServeMetrics;
  log?: (line: string) => void;
  shadowTimeoutMs?: number;
  shadowFaults?: Record<string, ShadowFault>;
}

export interface ReloadOutcome {
  ref: string;
  status: 'unchanged' | 'swapped' | 'kept';
  version?: number;
  from?: number;
  error?: string;
}

function sameInputs(a: LoadedModel, b: LoadedModel): boolean {
  const key = (m: LoadedModel) => JSON.stringify(m.schema.columns.map((c) => [c.name, c.type]));
  return key(a) === key(b);
}

/**
 * Starts (or restarts) a shadow arm's worker on the bytes of the version the arm holds — resolved by its exact
 * version, so an alias that moves meanwhile cannot put another model in the worker — and closes the old one.
 */
async function startShadow(l: ArmLoader, e: Endpoint, arm: ArmRuntime): Promise<void> {
  const exact = await l.registry.resolve(`${arm.model.name}@${arm.model.version}`);
  const old = arm.worker;
  arm.worker = new ShadowWorker(await l.registry.loadVerified(exact), {
    handler: e.shadowHandler(arm),
    timeoutMs: l.shadowTimeoutMs,
    fault: l.shadowFaults?.[arm.spec.name],
  });
  await old?.close();
}

/** Loads every arm of a deployment, checks they take the same inputs, and starts the shadow arms' workers. */
export async function loadEndpoint(
  l: ArmLoader,
  spec: DeploymentSpec,
  onCanaryEvent: (e: CanaryEvent) => void,
): Promise<Endpoint> {
  const models = await Promise.all(spec.arms.map((a) => loadModel(l.registry, a.ref)));
  const live0 = models[spec.arms.findIndex((a) => !a.shadow)];
  for (const [i, m] of models.entries()) {
    if (!sameInputs(m, live0))
      throw new KeelError(
        RegistryErrors.BAD_DEPLOYMENT,
        `arm ${spec.arms[i].name} of ${spec.name} takes different inputs than the others`,
      );
  }
  const e = new Endpoint(spec, models, l.metrics, onCanaryEvent);
  for (const arm of e.arms) if (arm.spec.shadow) await startShadow(l, e, arm);
  return e;
}

/** Re-resolves every arm's reference and swaps in versions that moved; one that fails to load is refused. */
export async function reloadEndpoints(l: ArmLoader, endpoints: Iterable<Endpoint>): Promise<ReloadOutcome[]> {
  const outcomes: ReloadOutcome[] = [];
  for (const e of endpoints) {
    for (const arm of e.arms) {
      const ref = arm.spec.ref;
      const current = arm.model;
      try {
        const mv = await l.registry.resolve(ref);
        if (mv.version === current.version) {
          outcomes.push({ ref, status: 'unchanged', version: mv.version });
          continue;
        }
        const next = await loadModel(l.registry, ref);
        if (!sameInputs(next, current))
          throw new KeelError(
            ServeErrors.BAD_ARTIFACT,
            `version ${next.version} takes different inputs; restart to serve it`,
          );
        e.swap(arm, next);
        if (arm.spec.shadow) await startShadow(l, e, arm);
        l.metrics.swaps.inc({ model: e.name, outcome: 'swapped' });
        l.log?.(`swapped ${ref}: version ${current.version} → ${next.version}`);
        outcomes.push({ ref, status: 'swapped', version: next.version, from: current.version });
      } catch (err) {
        l.metrics.swaps.inc({ model: e.name, outcome: 'kept' });
        l.log?.(`kept ${ref} at version ${current.version}: ${(err as Error).message}`);
        outcomes.push({ ref, status: 'kept', version: current.version, error: (err as Error).message });
      }
    }
  }
  return outcomes;
}
