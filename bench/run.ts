/**
 * `npm run bench`: the gateway against the floor a Node proxy can reach, same machine, same run.
 * Starts the provider emulator, a bare undici proxy and the gateway as child processes, checks
 * one request of every scenario on every target, then loads each target in turn with autocannon
 * and prints throughput, latency, CPU per request and peak memory, and the gateway's ratios to the
 * bare proxy. See bench/README.md.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { availableParallelism, cpus, loadavg, release } from 'node:os';
import { summarize, type Summary } from './aggregate.js';
import { runLoad, type LoadResult, type LoadTarget } from './load.js';
import { gatewayLabel, resolveGateway, type GatewayEntry } from './gateway-build.js';
import { parseOptions, USAGE, type TargetId } from './options.js';
import { checkPerf, PERF_NODE_FLAGS } from './perf-record.js';
import { REPO_ROOT } from './processes.js';
import { buildReport, printReport, printResult, writeReport } from './report.js';
import { SCENARIOS, verifyOnce } from './scenarios.js';
import { CLIENT_KEY, emulatorTotal, startBareProxy, startEmulatorProcess, startFastifyFloor, startGatewayProcess, type Running, type RunningGateway } from './targets.js';

/** the checked-out commit, `+dirty` when src/ has uncommitted changes (read-only git calls) */
function gitCommit(): string | null {
  const git = (args: string[]): string => execFileSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  try {
    const head = git(['rev-parse', '--short', 'HEAD']);
    return git(['status', '--porcelain', '--', 'src']) === '' ? head : `${head}+dirty`;
  } catch {
    return null;
  }
}

type GatewayTarget = 'gateway' | 'baseline';
/** targets with no translation: they sit out the translated scenario */
const PASSTHROUGH_ONLY: ReadonlySet<TargetId> = new Set(['bare', 'fastify']);

/** the first warm-up of each target and scenario goes on until this many requests were served */
const WARMUP_REQUESTS = 8000;

async function main(): Promise<number> {
  const opts = parseOptions(process.argv.slice(2));
  if (opts === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const cores = availableParallelism();
  const meta: Record<string, unknown> & { cpu: string; loadavgAtStart: number[] } = {
    date: new Date().toISOString(),
    commit: gitCommit(),
    node: process.version,
    kernel: release(),
    cores,
    cpu: cpus()[0]?.model ?? 'unknown',
    loadavgAtStart: loadavg(),
    gatewayEnv: opts.gatewayEnv,
    duration: opts.duration,
    warmup: opts.warmup,
    connections: opts.connections,
    rounds: opts.rounds,
    scenarios: opts.scenarios,
    targets: opts.targets,
  };
  process.stdout.write(
    `APIProxy benchmark: ${cores} cores (${meta.cpu}), node ${process.version}, ${opts.connections} connections, ` +
      `${opts.warmup}s warm-up + ${opts.duration}s per target and scenario, ${opts.rounds} round(s)\n` +
      `load average at start: ${meta.loadavgAtStart.map((l) => l.toFixed(2)).join(' ')}\n`,
  );
  if (cores <= 2) {
    process.stdout.write(
      `note: with ${cores} cores the load generator, the emulator and the target share the CPU; ` +
        'absolute figures are low, compare the ratios (targets run one at a time under the same conditions)\n',
    );
  }

  if (opts.perfDir) {
    checkPerf();
    mkdirSync(opts.perfDir, { recursive: true });
  }
  const gatewaySpecs = new Map<GatewayTarget, GatewayEntry>();
  if (opts.targets.includes('gateway')) gatewaySpecs.set('gateway', resolveGateway(opts.gatewayFrom));
  if (opts.baselineFrom && opts.targets.includes('baseline')) gatewaySpecs.set('baseline', resolveGateway(opts.baselineFrom));
  for (const [name, e] of gatewaySpecs) {
    meta[name] = gatewayLabel(e);
    process.stdout.write(`${name}: ${gatewayLabel(e)}\n`);
  }

  const emulator = await startEmulatorProcess();
  const targets = new Map<TargetId, Running>();
  const gateways = new Map<GatewayTarget, RunningGateway>();
  try {
    const anyPassthrough = opts.scenarios.some((s) => SCENARIOS[s].bare);
    if (anyPassthrough && opts.targets.includes('bare')) targets.set('bare', await startBareProxy(emulator.url));
    if (anyPassthrough && opts.targets.includes('fastify')) targets.set('fastify', await startFastifyFloor(emulator.url));
    for (const [name, from] of gatewaySpecs) {
      const gw = await startGatewayProcess(emulator.url, {
        from,
        name,
        env: opts.gatewayEnv,
        ...(opts.cpuProfDir ? { cpuProfDir: join(opts.cpuProfDir, name) } : {}),
        ...(opts.perfDir ? { nodeFlags: PERF_NODE_FLAGS } : {}),
      });
      gateways.set(name, gw);
      targets.set(name, gw);
    }
    process.stdout.write(
      `emulator ${emulator.url} (pid ${emulator.child.pid})` +
        [...targets].map(([name, t]) => `, ${name} ${t.url} (pid ${t.child.pid})`).join('') +
        '\n',
    );

    // one plain request per target and scenario: a wrong status, body or stream end stops the run
    for (const id of opts.scenarios) {
      for (const [name, t] of targets) {
        if (PASSTHROUGH_ONLY.has(name) && !SCENARIOS[id].bare) continue;
        await verifyOnce(t.url, SCENARIOS[id], CLIENT_KEY, name);
      }
    }
    process.stdout.write('pre-flight: every target answered every scenario correctly (200, scripted text, [DONE] on streams)\n');

    const runs: LoadResult[] = [];
    const upstream = { pid: emulator.child.pid, total: () => emulatorTotal(emulator.url) };
    const all = [...targets];
    for (let round = 1; round <= opts.rounds; round++) {
      // rotate which target goes first, so none always meets the machine in the same state
      const shift = (round - 1) % all.length;
      const order = [...all.slice(shift), ...all.slice(0, shift)];
      for (const id of opts.scenarios) {
        const scenario = SCENARIOS[id];
        process.stdout.write(`\n${opts.rounds > 1 ? `[round ${round}/${opts.rounds}] ` : ''}${scenario.title}\n`);
        for (const [name, t] of order) {
          if (PASSTHROUGH_ONLY.has(name) && !scenario.bare) continue;
          const target: LoadTarget = { name, url: t.url, child: t.child };
          const perfFile = opts.perfDir && !PASSTHROUGH_ONLY.has(name) ? join(opts.perfDir, `${name}-${id}-r${round}.perf.data`) : undefined;
          // the first round warms the JIT up fully; later ones only re-open connections
          const warmup = round === 1 ? { warmup: opts.warmup, warmupRequests: WARMUP_REQUESTS } : { warmup: Math.min(opts.warmup, 2) };
          const r = await runLoad(target, scenario, { ...opts, ...warmup }, CLIENT_KEY, upstream, round, perfFile);
          printResult(r);
          runs.push(r);
        }
      }
    }
    const results: Summary[] = [];
    for (const id of opts.scenarios) {
      for (const name of targets.keys()) {
        const mine = runs.filter((r) => r.target === name && r.scenario === id);
        if (mine.length > 0) results.push(summarize(mine));
      }
    }

    // stop the gateways before reading their profiles (V8 writes them at exit)
    for (const gw of gateways.values()) {
      await gw.cleanup();
      // perf's JIT map was copied beside each recording; the live one is no longer needed
      if (opts.perfDir) rmSync(`/tmp/perf-${gw.child.pid}.map`, { force: true });
    }
    gateways.clear();
    const report = buildReport(meta, results, runs);
    printReport(report);
    writeReport(opts.out, report);
    process.stdout.write(`\nwrote ${opts.out}\n`);
    if (opts.perfDir) {
      process.stdout.write(`perf recordings in ${opts.perfDir} (npx tsx bench/perf-summary.ts ${opts.perfDir}/gateway-<scenario>-r1.perf.data)\n`);
    }
    if (opts.cpuProfDir) {
      process.stdout.write(`CPU profiles in ${opts.cpuProfDir}/<target>/ (npx tsx bench/profile-summary.ts <file>.cpuprofile)\n`);
    }
    return report.problems.length > 0 ? 1 : 0;
  } finally {
    for (const gw of gateways.values()) await gw.cleanup();
    for (const name of PASSTHROUGH_ONLY) await targets.get(name)?.child.stop();
    await emulator.child.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`\nbench FAILED: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
