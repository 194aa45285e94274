/**
 * Child processes for the benchmark: spawn, wait until they answer, read their CPU time and
 * memory from /proc, and make sure none outlives the run (normal end, error, Ctrl-C).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

/** Clock ticks per second for /proc/<pid>/stat (`getconf CLK_TCK`, 100 when it cannot be asked). */
const CLK_TCK = ((): number => {
  try {
    const n = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    return Number.isFinite(n) && n > 0 ? n : 100;
  } catch {
    return 100;
  }
})();

/** `--import <tsx loader>` so a TypeScript entry runs in one node process (the `tsx` CLI forks a second). */
export const TSX_IMPORT = ['--import', import.meta.resolve('tsx')];

export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

const live = new Set<ChildProcess>();
const tempDirs = new Set<string>();
let hooksInstalled = false;

function killAllNow(): void {
  for (const child of live) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  live.clear();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
}

/** A temporary directory to delete when the run ends, however it ends; `forget` once removed. */
export function removeOnExit(dir: string): { forget(): void } {
  installHooks();
  tempDirs.add(dir);
  return { forget: () => void tempDirs.delete(dir) };
}

function installHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on('exit', killAllNow);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      process.stderr.write(`\nbench: ${signal}, stopping the child processes\n`);
      killAllNow();
      process.exit(130);
    });
  }
}

export interface Child {
  name: string;
  proc: ChildProcess;
  pid: number;
  /** the last few KB of its stderr, for error messages */
  stderrTail(): string;
  /** `signal` (default SIGTERM), wait up to `graceMs`, then SIGKILL */
  stop(graceMs?: number, signal?: NodeJS.Signals): Promise<void>;
}

export interface SpawnOptions {
  name: string;
  /** the program (default: this node binary) */
  command?: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** keep stdout readable (the emulator prints its URL); otherwise it goes to /dev/null */
  stdout?: 'pipe' | 'ignore';
}

export function spawnNode(opts: SpawnOptions): Child {
  installHooks();
  const proc = spawn(opts.command ?? process.execPath, opts.args, {
    cwd: opts.cwd ?? REPO_ROOT,
    env: opts.env ?? process.env,
    stdio: ['ignore', opts.stdout ?? 'ignore', 'pipe'],
  });
  if (proc.pid === undefined) throw new Error(`could not start ${opts.name}`);
  live.add(proc);
  let tail = '';
  proc.stderr?.setEncoding('utf8');
  proc.stderr?.on('data', (s: string) => {
    tail = (tail + s).slice(-4000);
  });
  proc.once('exit', () => live.delete(proc));
  const exited = new Promise<void>((resolve) => {
    if (proc.exitCode !== null || proc.signalCode !== null) resolve();
    else proc.once('exit', () => resolve());
  });
  return {
    name: opts.name,
    proc,
    pid: proc.pid,
    stderrTail: () => tail.trim(),
    async stop(graceMs = 5000, signal: NodeJS.Signals = 'SIGTERM') {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill(signal);
      const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** The first line a child writes to stdout (the emulator and the bare proxy print their URL). */
export function firstLine(child: Child, timeoutMs = 30_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const out = child.proc.stdout;
    if (!out) return reject(new Error(`${child.name}: stdout is not piped`));
    let buf = '';
    const timer = setTimeout(() => done(new Error(`${child.name} printed nothing within ${timeoutMs} ms\n${child.stderrTail()}`)), timeoutMs);
    const onData = (s: string): void => {
      buf += s;
      const nl = buf.indexOf('\n');
      if (nl >= 0) done(null, buf.slice(0, nl).trim());
    };
    const onExit = (): void => done(new Error(`${child.name} exited before it was ready\n${child.stderrTail()}`));
    function done(err: Error | null, line?: string): void {
      clearTimeout(timer);
      out?.off('data', onData);
      child.proc.off('exit', onExit);
      // keep draining stdout so the child never blocks on a full pipe
      out?.resume();
      if (err) reject(err);
      else resolve(line ?? '');
    }
    out.setEncoding('utf8');
    out.on('data', onData);
    child.proc.once('exit', onExit);
  });
}

/** Polls `url` until it answers 2xx, the child exits, or the time is up. */
export async function waitHttpOk(child: Child, url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.proc.exitCode !== null || child.proc.signalCode !== null) {
      throw new Error(`${child.name} exited (code ${child.proc.exitCode}, signal ${child.proc.signalCode})\n${child.stderrTail()}`);
    }
    try {
      const res = await fetch(url);
      await res.arrayBuffer();
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${child.name} did not answer ${url} within ${timeoutMs} ms\n${child.stderrTail()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A free TCP port on 127.0.0.1 (asked of the kernel, then released for the child to take). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** User and system CPU time of a process so far, in milliseconds (/proc/<pid>/stat utime, stime). */
export function cpuTimes(pid: number): { user: number; system: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // the command name (field 2) may hold spaces; fields after it start after the last ')'
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state); utime is field 14, stime field 15
  return { user: (Number(fields[11]) * 1000) / CLK_TCK, system: (Number(fields[12]) * 1000) / CLK_TCK };
}

/** User + system CPU time of a process so far, in milliseconds. */
export function cpuMs(pid: number): number {
  const t = cpuTimes(pid);
  return t.user + t.system;
}

function statusKb(pid: number, key: 'VmRSS' | 'VmHWM'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status);
  return m ? Number(m[1]) : 0;
}

/**
 * Peak resident memory of a process over a window. Resets the kernel's high-water mark
 * (`echo 5 > /proc/<pid>/clear_refs`) at the start when allowed and reads VmHWM at the end;
 * also samples VmRSS every 100 ms, so the figure holds where the reset is not permitted.
 */
export class PeakRss {
  private sampled = 0;
  private resetOk = false;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly pid: number) {}

  start(): void {
    try {
      writeFileSync(`/proc/${this.pid}/clear_refs`, '5');
      this.resetOk = true;
    } catch {
      this.resetOk = false;
    }
    this.sampled = statusKb(this.pid, 'VmRSS');
    this.timer = setInterval(() => {
      try {
        this.sampled = Math.max(this.sampled, statusKb(this.pid, 'VmRSS'));
      } catch {
        // process gone; the caller will notice
      }
    }, 100);
    this.timer.unref();
  }

  /** peak RSS in MB over the window */
  stop(): number {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    let kb = this.sampled;
    try {
      kb = Math.max(kb, statusKb(this.pid, 'VmRSS'));
      if (this.resetOk) kb = Math.max(kb, statusKb(this.pid, 'VmHWM'));
    } catch {
      // process gone
    }
    return kb / 1024;
  }
}

/**
 * CPU time the whole machine has spent busy so far (every core, /proc/stat: everything but idle
 * and iowait), in milliseconds. Minus the processes we account for, it shows how much other
 * work shared the machine during a measurement.
 */
export function machineBusyMs(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '';
  const n = line.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal (guest time is already inside user/nice)
  const busy = (n[0] ?? 0) + (n[1] ?? 0) + (n[2] ?? 0) + (n[5] ?? 0) + (n[6] ?? 0) + (n[7] ?? 0);
  return (busy * 1000) / CLK_TCK;
}
