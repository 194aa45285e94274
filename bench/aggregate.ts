/**
 * Several rounds of the same target and scenario folded into one figure: the median of each
 * rate, latency and CPU figure (one disturbed round does not move it), the largest peak RSS, and
 * the sums of the request and failure counts.
 */
import type { LoadResult } from './load.js';

export interface Summary extends LoadResult {
  /** how many rounds were folded in */
  rounds: number;
  /** lowest and highest requests/s over the rounds */
  requestsPerSecRange: [number, number];
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  if (s.length === 0) return 0;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

export function summarize(runs: LoadResult[]): Summary {
  const first = runs[0];
  if (!first) throw new Error('summarize: no runs');
  const m = (pick: (r: LoadResult) => number): number => median(runs.map(pick));
  const statusCodes: Record<string, number> = {};
  for (const r of runs) for (const [code, n] of Object.entries(r.statusCodes)) statusCodes[code] = (statusCodes[code] ?? 0) + n;
  const tag = (r: LoadResult, text: string): string => (runs.length > 1 ? `round ${r.round}: ${text}` : text);
  const rps = runs.map((r) => r.requestsPerSec);
  return {
    target: first.target,
    scenario: first.scenario,
    durationS: sum(runs.map((r) => r.durationS)),
    connections: first.connections,
    requests: sum(runs.map((r) => r.requests)),
    requestsPerSec: median(rps),
    latencyMs: {
      p50: m((r) => r.latencyMs.p50),
      p90: m((r) => r.latencyMs.p90),
      p99: m((r) => r.latencyMs.p99),
      max: Math.max(...runs.map((r) => r.latencyMs.max)),
      mean: m((r) => r.latencyMs.mean),
    },
    cpuMsPerRequest: m((r) => r.cpuMsPerRequest),
    cpuSysMsPerRequest: m((r) => r.cpuSysMsPerRequest),
    cpuCores: m((r) => r.cpuCores),
    peakRssMb: Math.max(...runs.map((r) => r.peakRssMb)),
    upstreamCpuMsPerRequest: m((r) => r.upstreamCpuMsPerRequest),
    loadGenCpuMsPerRequest: m((r) => r.loadGenCpuMsPerRequest),
    upstreamRequests: sum(runs.map((r) => r.upstreamRequests)),
    bytesPerResponse: m((r) => r.bytesPerResponse),
    non2xx: sum(runs.map((r) => r.non2xx)),
    statusCodes,
    errors: sum(runs.map((r) => r.errors)),
    timeouts: sum(runs.map((r) => r.timeouts)),
    otherCpuCores: m((r) => r.otherCpuCores),
    round: 0,
    problems: runs.flatMap((r) => r.problems.map((p) => tag(r, p))),
    warnings: runs.flatMap((r) => r.warnings.map((w) => tag(r, w))),
    rounds: runs.length,
    requestsPerSecRange: [Math.min(...rps), Math.max(...rps)],
  };
}
