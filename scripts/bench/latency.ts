import { percentile } from '../support/percentile.js';
import { CONNECTOR_TIMEOUT_MS } from './constants.js';

export interface Latencies {
  count: number;
  /** Turns slower than the Bot Connector's 15 s. */
  overConnectorTimeout: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export function summarise(samples: number[]): Latencies {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    count: sorted.length,
    overConnectorTimeout: sorted.filter((ms) => ms > CONNECTOR_TIMEOUT_MS).length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? NaN,
  };
}

/** Latencies per kind of turn. */
export function summariseByKind(samples: { kind: string; ms: number }[]): Record<string, Latencies> {
  const kinds = [...new Set(samples.map((s) => s.kind))];
  return Object.fromEntries(kinds.map((k) => [k, summarise(samples.filter((s) => s.kind === k).map((s) => s.ms))]));
}
