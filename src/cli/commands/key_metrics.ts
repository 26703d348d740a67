import type { CliIO } from '../cli_io';
import { pyFloatRepr } from '../../core/python/repr';
import { isPyDict, PyFloat, type PyValue } from '../../core/python/value';

/** NeMo Gym's `Key metrics for <agent>:` lines (`json.dumps(key_metrics, indent=4)`), one block per agent. */
export function printKeyMetrics(entries: readonly unknown[] | null, io: CliIO): void {
  for (const entry of entries ?? []) {
    if (!isPyDict(entry as PyValue)) continue;
    const map = entry as Map<string, PyValue>;
    const ref = map.get('agent_ref');
    const name = ref !== undefined && isPyDict(ref) ? ref.get('name') : undefined;
    const keyMetrics = map.get('key_metrics');
    if (keyMetrics === undefined || !isPyDict(keyMetrics)) continue;
    const lines = [...keyMetrics].map(([key, value]) => `    ${JSON.stringify(key)}: ${scalar(value)}`);
    io.stdout(`\nKey metrics for ${String(name)}:\n${lines.length ? `{\n${lines.join(',\n')}\n}` : '{}'}\n`);
  }
}

function scalar(value: PyValue): string {
  if (value instanceof PyFloat) return Number.isFinite(value.value) ? pyFloatRepr(value.value) : Number.isNaN(value.value) ? 'NaN' : value.value > 0 ? 'Infinity' : '-Infinity';
  return JSON.stringify(value as unknown);
}
