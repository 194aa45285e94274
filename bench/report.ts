/**
 * What a run prints and writes: one row per target and scenario, the gateway's ratios to the
 * bare proxy against the goal (>= 60% of its throughput), and the JSON kept in bench/results/.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Summary } from './aggregate.js';
import type { LoadResult } from './load.js';
import type { ScenarioId } from './scenarios.js';

/** The gateway must keep at least this share of the bare proxy's throughput (issue goal). */
export const THROUGHPUT_GOAL = 0.6;

export interface Ratio {
  scenario: ScenarioId;
  /** `target` measured against `reference` (gateway / bare, baseline / bare, gateway / baseline) */
  target: string;
  reference: string;
  throughput: number;
  p50: number;
  p99: number;
  cpuMsPerRequest: number;
  /**
   * The throughput ratio a CPU-saturated machine would show: the CPU per request of the whole
   * chain (target + emulator + load generator) of the bare proxy over the gateway's. It does not
   * move with other work on the machine the way measured throughput does.
   */
  cpuBoundThroughput: number;
  /** against the bare proxy: throughput >= THROUGHPUT_GOAL; null against a baseline */
  meetsGoal: boolean | null;
}

export interface Translation {
  target: string;
  streamCpuMsPerRequest: number;
  translatedCpuMsPerRequest: number;
  ratio: number;
}

export interface Report {
  meta: Record<string, unknown>;
  /** one per target and scenario: the median over the rounds */
  results: Summary[];
  /** every single measurement, round by round */
  runs: LoadResult[];
  ratios: Ratio[];
  /** the translated stream's CPU per request beside the passthrough stream's, per gateway */
  translation: Translation[];
  problems: string[];
  warnings: string[];
}

function find(results: Summary[], target: string, scenario: ScenarioId): Summary | undefined {
  return results.find((r) => r.target === target && r.scenario === scenario);
}

function chainCpu(r: Summary): number {
  return r.cpuMsPerRequest + r.upstreamCpuMsPerRequest + r.loadGenCpuMsPerRequest;
}

export function buildReport(meta: Record<string, unknown>, results: Summary[], runs: LoadResult[]): Report {
  const ratios: Ratio[] = [];
  const pairs: Array<[string, string]> = [
    ['gateway', 'bare'],
    ['baseline', 'bare'],
    ['fastify', 'bare'],
    ['gateway', 'baseline'],
    ['gateway', 'fastify'],
  ];
  for (const [target, reference] of pairs) {
    for (const scenario of ['nonstream', 'stream', 'translated'] as const) {
      const ref = find(results, reference, scenario);
      const gw = find(results, target, scenario);
      if (!ref || !gw || ref.requestsPerSec === 0) continue;
      const throughput = gw.requestsPerSec / ref.requestsPerSec;
      ratios.push({
        scenario,
        target,
        reference,
        throughput,
        p50: gw.latencyMs.p50 / ref.latencyMs.p50,
        p99: gw.latencyMs.p99 / ref.latencyMs.p99,
        cpuMsPerRequest: gw.cpuMsPerRequest / ref.cpuMsPerRequest,
        cpuBoundThroughput: chainCpu(ref) / chainCpu(gw),
        meetsGoal: reference === 'bare' && target !== 'fastify' ? throughput >= THROUGHPUT_GOAL : null,
      });
    }
  }
  const translation: Translation[] = [];
  for (const target of ['gateway', 'baseline']) {
    const s = find(results, target, 'stream');
    const t = find(results, target, 'translated');
    if (s && t) {
      translation.push({ target, streamCpuMsPerRequest: s.cpuMsPerRequest, translatedCpuMsPerRequest: t.cpuMsPerRequest, ratio: t.cpuMsPerRequest / s.cpuMsPerRequest });
    }
  }
  const problems = results.flatMap((r) => r.problems.map((p) => `${r.target} / ${r.scenario}: ${p}`));
  const warnings = results.flatMap((r) => r.warnings.map((w) => `${r.target} / ${r.scenario}: ${w}`));
  return { meta, results, runs, ratios, translation, problems, warnings };
}

const f = (n: number, digits = 2): string => (Number.isFinite(n) ? n.toFixed(digits) : '-');

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')).join('\n');
}

export function printResult(r: LoadResult): void {
  const flag = r.problems.length > 0 ? `  !! ${r.problems.join('; ')}` : r.warnings.length > 0 ? `  (noisy: ${r.warnings.join('; ')})` : '';
  process.stdout.write(
    `  ${r.target.padEnd(8)} ${f(r.requestsPerSec, 0).padStart(7)} req/s  p50 ${f(r.latencyMs.p50)} ms  p99 ${f(r.latencyMs.p99)} ms  ` +
      `cpu ${f(r.cpuMsPerRequest, 3)} ms/req (${f(r.cpuCores)} cores)  rss ${f(r.peakRssMb, 0)} MB  non2xx ${r.non2xx}  errors ${r.errors + r.timeouts}  other ${f(r.otherCpuCores)} cores${flag}\n`,
  );
}

export function printReport(report: Report): void {
  const out: string[] = [];
  const rounds = report.results[0]?.rounds ?? 1;
  out.push('', rounds > 1 ? `Results (median of ${rounds} rounds; req/s range in brackets)` : 'Results');
  const rows: string[][] = [
    ['scenario', 'target', 'req/s', 'p50 ms', 'p99 ms', 'cpu ms/req', 'of it sys', 'cpu cores', 'peak RSS MB', 'non2xx', 'errors', 'upstream cpu ms/req', 'loadgen cpu ms/req', 'other cpu cores'],
  ];
  for (const r of report.results) {
    const [lo, hi] = r.requestsPerSecRange;
    rows.push([
      r.scenario,
      r.target,
      r.rounds > 1 ? `${f(r.requestsPerSec, 0)} [${f(lo, 0)}-${f(hi, 0)}]` : f(r.requestsPerSec, 0),
      f(r.latencyMs.p50),
      f(r.latencyMs.p99),
      f(r.cpuMsPerRequest, 3),
      f(r.cpuSysMsPerRequest, 3),
      f(r.cpuCores),
      f(r.peakRssMb, 0),
      String(r.non2xx),
      String(r.errors + r.timeouts),
      f(r.upstreamCpuMsPerRequest, 3),
      f(r.loadGenCpuMsPerRequest, 3),
      f(r.otherCpuCores),
    ]);
  }
  out.push(table(rows));

  if (report.ratios.length > 0) {
    out.push(
      '',
      `Ratios (goal: the gateway keeps >= ${THROUGHPUT_GOAL * 100}% of the bare proxy's throughput, non-stream and stream; ` +
        'cpu-bound estimate: the throughput ratio from CPU per request of the whole chain, robust to other load)',
    );
    const ratioRows: string[][] = [['scenario', 'target / reference', 'verdict', 'throughput', 'p50', 'p99', 'cpu ms/req', 'cpu-bound estimate']];
    for (const r of report.ratios) {
      ratioRows.push([
        r.scenario,
        `${r.target} / ${r.reference}`,
        r.meetsGoal === null ? '' : r.meetsGoal ? 'meets goal' : 'BELOW GOAL',
        `${f(r.throughput * 100, 0)}%`,
        `${f(r.p50)}x`,
        `${f(r.p99)}x`,
        `${f(r.cpuMsPerRequest)}x`,
        `${f(r.cpuBoundThroughput * 100, 0)}%`,
      ]);
    }
    out.push(table(ratioRows));
  }
  for (const t of report.translation) {
    out.push(
      '',
      `Translation cost (${t.target}): passthrough stream ${f(t.streamCpuMsPerRequest, 3)} cpu ms/req, ` +
        `translated stream (chat -> Anthropic) ${f(t.translatedCpuMsPerRequest, 3)} cpu ms/req (${f(t.ratio)}x)`,
    );
  }
  if (report.warnings.length > 0) {
    out.push('', 'Warning: other work shared the machine during these measurements (figures are noisy; ratios hold better than absolutes):', ...report.warnings.map((w) => `  - ${w}`));
  }
  if (report.problems.length > 0) {
    out.push('', 'FAILED: these figures cannot be trusted:', ...report.problems.map((p) => `  - ${p}`));
  }
  process.stdout.write(`${out.join('\n')}\n`);
}

export function writeReport(file: string, report: Report): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
}
