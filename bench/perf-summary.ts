/**
 * Summarises a `perf record -g` file of a node process (from `npm run bench -- --perf DIR`):
 * CPU time by thread kind, by group (kernel, V8 GC / compiler / builtins, libuv, packages, src/
 * folders), hottest functions, and inclusive time of the project's own functions. JavaScript
 * frames are named through /tmp/perf-<pid>.map (node --perf-basic-prof) and built dist/*.js
 * positions are mapped back to src/*.ts. TurboFan inlines small functions into their callers,
 * so inclusive figures are the solid ones; a function missing from the self list may be inlined.
 *
 *   npx tsx bench/perf-summary.ts <file.perf.data> [--top 30] [--callers 10] [--main-only] [--focus TEXT]
 * --focus keeps only what runs inside the frames whose name contains TEXT (e.g. newCall).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { locate } from './source-location.js';
import { StackTally, type Frame } from './stack-tally.js';

const JS_SYMBOL = /^(?:JS|Eval|Function|LazyCompile|Script):[~^*+]?(.*?) ?(\S+):(\d+):(\d+)$/;
const FRAME_LINE = /^\s*([0-9a-f]+)\s+(.*?)(?:\+0x[0-9a-f]+)?\s+\((.*)\)$/;

/**
 * JIT symbols from /tmp/perf-<pid>.map with the newest entry winning where ranges overlap: V8
 * frees start-up code and reuses its addresses, and perf itself resolves such addresses to the
 * stale first entry (module bodies that ran once at start-up appear hot).
 */
class JitMap {
  private readonly starts: bigint[] = [];
  private readonly ends: bigint[] = [];
  private readonly names: string[] = [];
  /** entry indices sorted by start */
  private readonly order: number[];
  private readonly maxSize: bigint;
  private readonly cache = new Map<string, string | null>();

  constructor(file: string) {
    let maxSize = 0n;
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      const a = line.indexOf(' ');
      const b = line.indexOf(' ', a + 1);
      if (a < 0 || b < 0) continue;
      const start = BigInt(`0x${line.slice(0, a)}`);
      const size = BigInt(`0x${line.slice(a + 1, b)}`);
      if (size > maxSize) maxSize = size;
      this.starts.push(start);
      this.ends.push(start + size);
      this.names.push(line.slice(b + 1));
    }
    this.maxSize = maxSize;
    this.order = this.starts.map((_, i) => i).sort((x, y) => (this.starts[x]! < this.starts[y]! ? -1 : this.starts[x]! > this.starts[y]! ? 1 : x - y));
  }

  lookup(ipHex: string): string | null {
    const hit = this.cache.get(ipHex);
    if (hit !== undefined) return hit;
    const ip = BigInt(`0x${ipHex}`);
    // last entry (in start order) with start <= ip
    let lo = 0;
    let hi = this.order.length - 1;
    let pos = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.starts[this.order[mid]!]! <= ip) {
        pos = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    let best = -1;
    for (let k = pos; k >= 0; k--) {
      const i = this.order[k]!;
      if (this.starts[i]! + this.maxSize < ip) break;
      if (ip < this.ends[i]! && i > best) best = i;
    }
    const name = best >= 0 ? (this.names[best] ?? null) : null;
    this.cache.set(ipHex, name);
    return name;
  }
}

const jitMaps = new Map<string, JitMap | null>();
/** `snapshot`: the map as it stood when the recording stopped (`<file>.jitmap`), when there is one */
function jitSymbol(dso: string, ip: string, snapshot: string | null): string | null {
  if (!jitMaps.has(dso)) {
    const file = snapshot ?? (existsSync(dso) ? dso : null);
    jitMaps.set(dso, file ? new JitMap(file) : null);
  }
  return jitMaps.get(dso)?.lookup(ip) ?? null;
}
const HEADER = /^(.+?)\s+(\d+)\s+(\d+)\s*$/;

function nativeGroup(sym: string, dso: string): string {
  if (dso.includes('kernel')) return 'kernel';
  if (dso.includes('better_sqlite3')) return 'better-sqlite3 (native)';
  if (dso.includes('libc.so') || dso.includes('libstdc++') || dso.includes('libm.so')) return 'libc / libstdc++';
  if (dso.startsWith('/tmp/perf-')) return sym.includes('wasm') ? 'wasm (undici llhttp)' : 'JIT stubs';
  if (/Heap|Scaveng|MarkCompact|Mark(ing|er)|Sweep|Evacuat|Remembered|GCTracer|Minor(MC|GC)|\bGC\b/.test(sym)) return 'V8 GC';
  if (sym.includes('v8::internal::compiler::') || sym.includes('Maglev') || sym.includes('Turbofan') || sym.includes('OptimizingCompile'))
    return 'V8 optimizing compiler';
  if (sym.startsWith('Builtins_') || sym.startsWith('Builtin:')) return 'V8 builtins (ICs, runtime stubs)';
  if (sym.startsWith('uv_') || sym.startsWith('uv__')) return 'libuv';
  if (sym.startsWith('llhttp') || sym.includes('http_parser')) return 'llhttp (node http parser)';
  if (sym.startsWith('node::')) return 'node C++';
  if (sym.includes('v8::')) return 'V8 runtime';
  return 'node binary (other)';
}

function frameOf(sym: string, dso: string, cache: Map<string, Frame>): Frame {
  const id = `${sym}\u0000${dso}`;
  const hit = cache.get(id);
  if (hit) return hit;
  let frame: Frame;
  const js = dso.startsWith('/tmp/perf-') ? JS_SYMBOL.exec(sym) : null;
  if (js) {
    const [, name, url, line, col] = js;
    const loc = locate(url ?? '', Number(line) - 1, Number(col) - 1);
    frame = { key: `${name || '(anonymous)'}  ${loc.where}`, group: loc.group, project: loc.project };
  } else {
    const short = sym === '[unknown]' ? `[unknown] (${dso.split('/').pop() ?? dso})` : sym.replace(/\(.*\)$/, '').slice(0, 140);
    frame = { key: short, group: nativeGroup(sym, dso), project: false };
  }
  cache.set(id, frame);
  return frame;
}

function threadKind(comm: string, tid: number, pid: number): string {
  if (tid === pid) return 'main thread (event loop)';
  if (/libuv-worker|threadpool/i.test(comm)) return 'libuv thread pool';
  return `other threads (${comm}: V8 compiler, GC helpers, …)`;
}

function main(): void {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      top: { type: 'string', default: '30' },
      callers: { type: 'string', default: '10' },
      'main-only': { type: 'boolean', default: false },
      focus: { type: 'string' },
    },
  });
  const file = positionals[0];
  if (!file) {
    process.stderr.write('usage: npx tsx bench/perf-summary.ts <file.perf.data> [--top N] [--callers N] [--main-only] [--focus TEXT]\n');
    process.exit(2);
  }
  const text = execFileSync('perf', ['script', '-i', file, '-F', 'comm,tid,period,ip,sym,dso'], {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const snapshot = existsSync(`${file}.jitmap`) ? `${file}.jitmap` : null;
  if (!snapshot) process.stderr.write(`note: no ${file}.jitmap; JavaScript frames are named from the live /tmp/perf-<pid>.map, which may name later code\n`);
  const cache = new Map<string, Frame>();
  const samples: Array<{ comm: string; tid: number; weight: number; frames: Frame[] }> = [];
  let cur: { comm: string; tid: number; weight: number; frames: Frame[] } | null = null;
  for (const line of text.split('\n')) {
    if (line.trim() === '') {
      if (cur) samples.push(cur);
      cur = null;
      continue;
    }
    if (!line.startsWith('\t') && !line.startsWith(' ')) {
      if (cur) samples.push(cur);
      const h = HEADER.exec(line);
      cur = h ? { comm: (h[1] ?? '').trim(), tid: Number(h[2]), weight: Number(h[3]), frames: [] } : null;
      continue;
    }
    const m = FRAME_LINE.exec(line);
    if (!cur || !m) continue;
    const dso = m[3] ?? '';
    const sym = dso.startsWith('/tmp/perf-') ? (jitSymbol(dso, m[1] ?? '', snapshot) ?? m[2] ?? '') : (m[2] ?? '');
    cur.frames.push(frameOf(sym, dso, cache));
  }
  if (cur) samples.push(cur);
  if (samples.length === 0) {
    process.stderr.write(`${file}: no samples (is this a perf.data file of a running process?)\n`);
    process.exit(1);
  }
  const pid = Math.min(...samples.map((s) => s.tid));
  const threads = new Map<string, number>();
  let total = 0;
  const tally = new StackTally();
  for (const s of samples) {
    const kind = threadKind(s.comm, s.tid, pid);
    threads.set(kind, (threads.get(kind) ?? 0) + s.weight);
    total += s.weight;
    if (values['main-only'] && s.tid !== pid) continue;
    if (values.focus) {
      // only the part of the stack at and below the first frame that matches
      const at = s.frames.findIndex((f) => f.key.includes(values.focus ?? ''));
      if (at < 0) continue;
      tally.add(s.frames.slice(0, at + 1), s.weight);
      continue;
    }
    tally.add(s.frames, s.weight);
  }
  const ms = (ns: number): string => `${(ns / 1e6).toFixed(0).padStart(7)} ms`;
  const out = [
    `${file}: ${(total / 1e9).toFixed(2)} s of CPU in ${samples.length} samples`,
    '',
    'CPU by thread:',
    ...[...threads.entries()].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${ms(v)} ${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`),
    '',
    ...(values['main-only'] ? ['(main thread only below)', ''] : []),
    ...(values.focus ? [`(only what runs inside frames matching "${values.focus}" below; percentages of that)`, ''] : []),
    ...tally.render({ top: Number(values.top), callers: Number(values.callers), unit: ms }),
  ];
  process.stdout.write(`${out.join('\n')}\n`);
}

main();
