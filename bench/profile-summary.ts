/**
 * Reads a V8 CPU profile (`node --cpu-prof`, or `npm run bench -- --cpu-prof DIR`) and prints
 * where the time went. Positions in built files (dist/*.js) are mapped back to src/*.ts.
 *
 *   npx tsx bench/profile-summary.ts <file.cpuprofile> [--top 25] [--skip-ms 0] [--callers 10]
 *
 * Caveat: V8's sampler runs on wall-clock time. On a machine with more runnable processes than
 * cores, the time a process spends preempted lands on whatever it was doing (very often the
 * socket write that woke the load generator), so `writev` and friends look far hotter than they
 * are. For CPU time only, use `--perf` and bench/perf-summary.ts.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { locate } from './source-location.js';
import { StackTally, type Frame } from './stack-tally.js';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function frameOf(cf: CallFrame): Frame {
  const name = cf.functionName || '(anonymous)';
  if (cf.url === '') return { key: name, group: name.startsWith('(') ? name : '(native)', project: false };
  const loc = locate(cf.url, cf.lineNumber, cf.columnNumber);
  return { key: `${name}  ${loc.where}`, group: loc.group, project: loc.project };
}

function main(): void {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      top: { type: 'string', default: '25' },
      'skip-ms': { type: 'string', default: '0' },
      callers: { type: 'string', default: '10' },
    },
  });
  const file = positionals[0];
  if (!file) {
    process.stderr.write('usage: npx tsx bench/profile-summary.ts <file.cpuprofile> [--top N] [--skip-ms MS] [--callers N]\n');
    process.exit(2);
  }
  const skipUs = Number(values['skip-ms']) * 1000;
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;

  const parent = new Map<number, number>();
  const frames = new Map<number, Frame>();
  for (const n of profile.nodes) {
    frames.set(n.id, frameOf(n.callFrame));
    for (const c of n.children ?? []) parent.set(c, n.id);
  }
  const tally = new StackTally();
  let t = 0;
  let sampled = 0;
  let idle = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = profile.timeDeltas[i] ?? 0;
    t += dt;
    const id = profile.samples[i];
    if (t < skipUs || id === undefined) continue;
    sampled += dt;
    const stack: Frame[] = [];
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const f = frames.get(cur);
      if (f && f.key !== '(root)') stack.push(f);
    }
    if (stack[0]?.key === '(idle)') {
      idle += dt;
      continue;
    }
    tally.add(stack, dt);
  }
  const ms = (us: number): string => `${(us / 1000).toFixed(0).padStart(7)} ms`;
  const out = [
    `${file}: ${(sampled / 1e6).toFixed(1)} s sampled, ${((sampled - idle) / 1e6).toFixed(1)} s not idle (percentages are of that; wall-clock samples, see the caveat in this file)`,
    '',
    ...tally.render({ top: Number(values.top), callers: Number(values.callers), unit: ms }),
  ];
  process.stdout.write(`${out.join('\n')}\n`);
}

main();
