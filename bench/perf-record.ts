/**
 * `perf record` of one process over a measurement window (`npm run bench -- --perf DIR`).
 * Unlike V8's --cpu-prof, perf samples CPU time only, so a process waiting for the CPU on a busy
 * machine does not show up as hot. The gateway runs with --perf-basic-prof so JavaScript frames
 * get names (/tmp/perf-<pid>.map). Summarise with bench/perf-summary.ts.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync } from 'node:fs';
import { spawnNode } from './processes.js';

/** the node flags a process needs for readable perf stacks */
export const PERF_NODE_FLAGS = ['--perf-basic-prof', '--interpreted-frames-native-stack'];

/** throws with a plain message when `perf` cannot be run here */
export function checkPerf(): void {
  try {
    execFileSync('perf', ['--version'], { stdio: 'ignore' });
  } catch {
    throw new Error('--perf needs the `perf` tool (linux-perf / linux-tools) on the PATH');
  }
}

/**
 * Starts sampling `pid` (999 Hz, call graphs) into `file`; resolves to a function that stops it
 * and copies the process's JIT symbol map as it stands then to `<file>.jitmap` (code addresses
 * are reused later, so a map read after further load names the wrong functions).
 */
export async function startPerf(pid: number, file: string): Promise<() => Promise<void>> {
  const child = spawnNode({
    name: 'perf record',
    command: 'perf',
    args: ['record', '-F', '999', '-g', '-p', String(pid), '-o', file],
  });
  // give perf a moment to attach before the window starts
  await new Promise((r) => setTimeout(r, 300));
  if (child.proc.exitCode !== null) throw new Error(`perf record failed: ${child.stderrTail()}`);
  return async () => {
    const map = `/tmp/perf-${pid}.map`;
    if (existsSync(map)) copyFileSync(map, `${file}.jitmap`);
    await child.stop(10_000, 'SIGINT');
  };
}
