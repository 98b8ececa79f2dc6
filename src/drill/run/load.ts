/**
 * The method's load: the load component's scenario against the lab's edge, its own
 * metrics over OTLP to the hub (as `cloudlab load` does in a lab), orders recorded for
 * the invariants, stopped through an AbortSignal.
 */
import { dirname } from 'node:path';
import { createLoadOtlpExporter, loadScenario, otlpMetricsUrl, runLoad } from '../../load/index.js';
import type { Interval, RunSummary } from '../../load/index.js';
import type { DrillLab } from '../lab-api.js';
import type { Drill, LoadSpec } from '../types.js';

export interface LoadRunOptions {
  drill: Drill;
  spec: LoadSpec;
  lab: Pick<DrillLab, 'edgeUrl' | 'otlpUrl'>;
  recordFile: string | null;
  signal: AbortSignal;
  onInterval: (interval: Interval) => void;
}

export type LoadRun = { ok: true; summary: RunSummary } | { ok: false; reason: string };

export async function runDrillLoad(options: LoadRunOptions): Promise<LoadRun> {
  const { spec, lab } = options;
  if (lab.edgeUrl === null) return { ok: false, reason: 'the lab has no edge to send load to' };
  const otlp = lab.otlpUrl === null ? null : otlpMetricsUrl(lab.otlpUrl);
  const exporter = otlp === null ? null : createLoadOtlpExporter({ endpoint: otlp });
  try {
    const scenario = await loadScenario(spec.scenario, {
      cwd: dirname(options.drill.file),
      overrides: { target: lab.edgeUrl, ...(spec.vus !== null ? { vus: spec.vus } : {}), ...(spec.rate !== null ? { rate: spec.rate } : {}), ...(spec.durationMs !== null ? { durationMs: spec.durationMs } : {}) },
    });
    const summary = await runLoad({
      scenario,
      signal: options.signal,
      recordFile: spec.record ? options.recordFile : null,
      onInterval: (interval) => {
        exporter?.record(interval);
        options.onInterval(interval);
      },
    });
    return { ok: true, summary };
  } catch (err) {
    return { ok: false, reason: `the load could not run: ${(err as Error).message}` };
  } finally {
    if (exporter) {
      exporter.setUsers(0);
      await exporter.close().catch(() => undefined);
    }
  }
}
