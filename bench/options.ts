/** Command-line options of `npm run bench -- …`. */
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT } from './processes.js';
import { SCENARIO_IDS, type ScenarioId } from './scenarios.js';

export const USAGE = `usage: npm run bench -- [options]
  --duration S       measured seconds per target and scenario (default 10)
  --warmup S         warm-up seconds before the first measurement of each target and scenario,
                     discarded, repeated (up to 5 times) until 8000 requests were served so V8
                     has finished optimising (default 5; later rounds warm up for at most 2 s)
  --connections N    concurrent keep-alive connections (default 32)
  --rounds N         repeat every measurement N times, rotating which target goes first,
                     and report the medians (default 3; 1 for a quick look)
  --scenario LIST    nonstream,stream,translated or all (default all)
  --target LIST      bare,gateway,baseline,fastify or all (default bare,gateway and baseline when
                     given; fastify: a minimal Fastify proxy, the framework's floor)
  --gateway FROM     the gateway under test: build (default: the working tree compiled with tsc
                     into node_modules/.cache/apiproxy-bench/worktree, run with node as
                     \`npm start\` runs dist/), src (node --import tsx src/cli.ts, the working
                     tree, no compile step), dist (node dist/cli.js; run
                     \`npm run build\` first), the path of a built cli.js, or a git revision
                     (built into node_modules/.cache/apiproxy-bench/<commit>)
  --baseline FROM    a second gateway measured side by side, same forms as --gateway
                     (e.g. --baseline HEAD to compare uncommitted changes with the last commit)
  --gateway-env K=V  extra environment for the gateway, repeatable (e.g. LOG_LEVEL=warn to see
                     what request logging costs); the default is the realistic setting
  --cpu-prof DIR     write a V8 CPU profile of each gateway into DIR/<target>/ when it stops
                     (summarise with: npx tsx bench/profile-summary.ts <file>.cpuprofile)
  --perf DIR         record each gateway with \`perf\` (CPU time only) during each measurement into
                     DIR/<target>-<scenario>-r<round>.perf.data (summarise with: npx tsx
                     bench/perf-summary.ts <file>); perf itself costs CPU, so read the profiles,
                     not the figures, of such a run
  --out FILE         JSON results (default bench/results/latest.json)
  -h, --help`;

export type TargetId = 'bare' | 'gateway' | 'baseline' | 'fastify';

export interface Options {
  duration: number;
  warmup: number;
  connections: number;
  rounds: number;
  scenarios: ScenarioId[];
  targets: TargetId[];
  /** 'src', 'dist', a built cli.js or a git revision (see gateway-build.ts) */
  gatewayFrom: string;
  baselineFrom: string | undefined;
  gatewayEnv: Record<string, string>;
  cpuProfDir: string | undefined;
  perfDir: string | undefined;
  out: string;
}

class UsageError extends Error {}

function num(name: string, value: string | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min) throw new UsageError(`--${name} must be a number >= ${min}`);
  return n;
}

function list<T extends string>(name: string, value: string | undefined, all: readonly T[]): T[] {
  if (value === undefined || value === 'all') return [...all];
  const picked = value.split(',').map((s) => s.trim()).filter((s) => s !== '');
  for (const p of picked) if (!(all as readonly string[]).includes(p)) throw new UsageError(`--${name}: unknown "${p}" (one of ${all.join(', ')}, all)`);
  return all.filter((a) => picked.includes(a));
}

export function parseOptions(argv: string[]): Options | 'help' {
  try {
    const { values } = parseArgs({
      args: argv,
      options: {
        duration: { type: 'string' },
        warmup: { type: 'string' },
        connections: { type: 'string' },
        rounds: { type: 'string' },
        scenario: { type: 'string' },
        target: { type: 'string' },
        gateway: { type: 'string' },
        baseline: { type: 'string' },
        'gateway-env': { type: 'string', multiple: true },
        'cpu-prof': { type: 'string' },
        perf: { type: 'string' },
        out: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help) return 'help';
    const targets = list('target', values.target ?? 'bare,gateway,baseline', ['bare', 'gateway', 'baseline', 'fastify'] as const).filter(
      (t) => t !== 'baseline' || values.baseline,
    );
    if (targets.length === 0) throw new UsageError('--target: nothing to measure (baseline needs --baseline)');
    return {
      duration: num('duration', values.duration, 10, 1),
      warmup: num('warmup', values.warmup, 5, 0),
      connections: Math.round(num('connections', values.connections, 32, 1)),
      rounds: Math.round(num('rounds', values.rounds, 3, 1)),
      scenarios: list('scenario', values.scenario, SCENARIO_IDS),
      targets,
      gatewayFrom: values.gateway ?? 'build',
      baselineFrom: values.baseline,
      gatewayEnv: Object.fromEntries(
        (values['gateway-env'] ?? []).map((kv) => {
          const eq = kv.indexOf('=');
          if (eq <= 0) throw new UsageError(`--gateway-env ${kv}: expected NAME=value`);
          return [kv.slice(0, eq), kv.slice(eq + 1)];
        }),
      ),
      cpuProfDir: values['cpu-prof'] ? resolve(values['cpu-prof']) : undefined,
      perfDir: values.perf ? resolve(values.perf) : undefined,
      out: resolve(values.out ?? join(REPO_ROOT, 'bench/results/latest.json')),
    };
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n${USAGE}\n`);
    process.exit(2);
  }
}
