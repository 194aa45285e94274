/**
 * One measured load: a warm-up (discarded), then `duration` seconds of autocannon with a fixed
 * number of keep-alive connections, while the CPU time and peak RSS of the process under test
 * are read from /proc. Latency percentiles come from every response's own time (autocannon's
 * histogram keeps whole milliseconds only, too coarse for a loopback proxy).
 */
import autocannon from 'autocannon';
import { startPerf } from './perf-record.js';
import { cpuMs, cpuTimes, machineBusyMs, PeakRss, type Child } from './processes.js';
import { requestHeaders, type Scenario } from './scenarios.js';

export interface LoadOptions {
  duration: number;
  warmup: number;
  /**
   * keep warming up (in further `warmup`-second runs, at most 4 more) until this many requests
   * were served: on a busy machine a few seconds are not enough for V8 to finish optimising
   */
  warmupRequests?: number;
  connections: number;
}

export interface LoadResult {
  target: string;
  scenario: string;
  durationS: number;
  connections: number;
  requests: number;
  requestsPerSec: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  /** CPU time (user + system) of the process under test per completed request */
  cpuMsPerRequest: number;
  /** of which in the kernel (system time: socket reads and writes, mostly) */
  cpuSysMsPerRequest: number;
  /** its CPU use over the window, in cores (1.0 = one core busy all the time) */
  cpuCores: number;
  peakRssMb: number;
  /** the upstream's CPU per request, for context (same emulator for every target) */
  upstreamCpuMsPerRequest: number;
  /** CPU per request of the load generator itself (autocannon, in the bench process) */
  loadGenCpuMsPerRequest: number;
  upstreamRequests: number;
  bytesPerResponse: number;
  non2xx: number;
  statusCodes: Record<string, number>;
  errors: number;
  timeouts: number;
  /**
   * CPU the rest of the machine used meanwhile, in cores: everything busy minus the target, the
   * emulator and the load generator. Above ~0.25 on a 2-core box the figures are disturbed.
   */
  otherCpuCores: number;
  /** 1-based round this measurement belongs to */
  round: number;
  /** why this run cannot be trusted; empty when every request succeeded */
  problems: string[];
  /** conditions that make the figures noisy but not wrong */
  warnings: string[];
}

/** other work on the machine above this many cores gets a warning on the result */
export const OTHER_CPU_WARNING = 0.25;

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] ?? 0;
}

function cannon(url: string, scenario: Scenario, clientKey: string, connections: number, duration: number, onResponse?: (status: number, ms: number) => void): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: `${url}${scenario.path}`,
        method: 'POST',
        headers: requestHeaders(clientKey),
        body: scenario.body,
        connections,
        duration,
        pipelining: 1,
        timeout: 10,
      },
      (err: unknown, result: autocannon.Result) => {
        if (err) reject(err instanceof Error ? err : new Error(String(err)));
        else resolve(result);
      },
    );
    if (onResponse) instance.on('response', (_client, status, _bytes, ms) => onResponse(status, ms));
  });
}

export interface LoadTarget {
  name: string;
  url: string;
  child: Child;
}

export async function runLoad(
  target: LoadTarget,
  scenario: Scenario,
  opts: LoadOptions,
  clientKey: string,
  upstream: { pid: number; total: () => Promise<number> },
  round = 1,
  /** record the target with `perf` over the measured window into this file */
  perfFile?: string,
): Promise<LoadResult> {
  if (opts.warmup > 0) {
    let served = 0;
    for (let i = 0; i < 5 && (i === 0 || served < (opts.warmupRequests ?? 0)); i++) {
      served += (await cannon(target.url, scenario, clientKey, opts.connections, opts.warmup)).requests.total;
    }
  }
  const stopPerf = perfFile ? await startPerf(target.child.pid, perfFile) : null;

  const times: number[] = [];
  const peak = new PeakRss(target.child.pid);
  peak.start();
  const upstreamBefore = await upstream.total();
  const t0 = cpuTimes(target.child.pid);
  const cpu0 = t0.user + t0.system;
  const up0 = cpuMs(upstream.pid);
  const self0 = process.cpuUsage();
  const machine0 = machineBusyMs();
  const started = process.hrtime.bigint();
  const result = await cannon(target.url, scenario, clientKey, opts.connections, opts.duration, (status, ms) => {
    if (status >= 200 && status < 300) times.push(ms);
  });
  const elapsedS = Number(process.hrtime.bigint() - started) / 1e9;
  const t1 = cpuTimes(target.child.pid);
  const cpu1 = t1.user + t1.system;
  const up1 = cpuMs(upstream.pid);
  const self1 = process.cpuUsage(self0);
  const machine1 = machineBusyMs();
  const peakRssMb = peak.stop();
  if (stopPerf) await stopPerf();
  const upstreamRequests = (await upstream.total()) - upstreamBefore;

  const requests = result.requests.total;
  const sorted = Float64Array.from(times).sort();
  const mean = times.length ? times.reduce((a, b) => a + b, 0) / times.length : 0;
  const statusCodes: Record<string, number> = {};
  for (const [code, stat] of Object.entries(result.statusCodeStats ?? {})) statusCodes[code] = stat.count ?? 0;

  const problems: string[] = [];
  if (result.non2xx > 0) problems.push(`${result.non2xx} responses were not 2xx (${JSON.stringify(statusCodes)})`);
  if (result.errors > 0) problems.push(`${result.errors} request errors`);
  if (result.timeouts > 0) problems.push(`${result.timeouts} timeouts`);
  if (requests === 0) problems.push('no request completed');
  // every completed request must have reached the upstream (requests still in flight when the
  // window closed reached it too, hence >=)
  if (upstreamRequests < requests) problems.push(`only ${upstreamRequests} requests reached the emulator for ${requests} answered`);
  if (target.child.proc.exitCode !== null || target.child.proc.signalCode !== null) problems.push(`${target.name} exited during the run`);

  const selfMs = (self1.user + self1.system) / 1000;
  const otherCpuCores = Math.max(0, (machine1 - machine0 - (cpu1 - cpu0) - (up1 - up0) - selfMs) / 1000 / elapsedS);
  const warnings: string[] = [];
  if (otherCpuCores > OTHER_CPU_WARNING) warnings.push(`other processes used ${otherCpuCores.toFixed(2)} cores meanwhile`);

  const div = (a: number): number => (requests > 0 ? a / requests : 0);
  return {
    target: target.name,
    scenario: scenario.id,
    durationS: elapsedS,
    connections: opts.connections,
    requests,
    requestsPerSec: requests / elapsedS,
    latencyMs: {
      p50: percentile(sorted, 50),
      p90: percentile(sorted, 90),
      p99: percentile(sorted, 99),
      max: sorted.length ? (sorted[sorted.length - 1] ?? 0) : 0,
      mean,
    },
    cpuMsPerRequest: div(cpu1 - cpu0),
    cpuSysMsPerRequest: div(t1.system - t0.system),
    cpuCores: (cpu1 - cpu0) / 1000 / elapsedS,
    peakRssMb,
    upstreamCpuMsPerRequest: div(up1 - up0),
    loadGenCpuMsPerRequest: div(selfMs),
    upstreamRequests,
    bytesPerResponse: div(result.throughput.total),
    non2xx: result.non2xx,
    statusCodes,
    errors: result.errors,
    timeouts: result.timeouts,
    otherCpuCores,
    round,
    problems,
    warnings,
  };
}
