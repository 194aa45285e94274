/**
 * Request-log writes on a thread of their own (SQLite files): the sink hands each batch to the
 * writer thread (src/usage/log-writer-worker.ts) and waits for its answer, so a failed batch is
 * kept and retried exactly as with the in-thread writer. Runs the worker's compiled JavaScript
 * in a build, and its TypeScript source through tsx when the gateway itself runs from source.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { NewRequestLogRow } from '../store/db/schema.js';
import type { RequestLogWriter } from './request-log-sink.js';
import { packRows } from './log-row-wire.js';

interface Answer {
  id: number;
  ok: boolean;
  error?: string;
}

/** The worker: its compiled file, or (running from source) a bootstrap that loads the TypeScript through tsx. */
function startWorker(databaseUrl: string): Worker {
  const self = import.meta.url;
  if (!self.endsWith('.ts')) return new Worker(new URL('./log-writer-worker.js', self), { workerData: { databaseUrl } });
  // running from source (tests, `npm run dev`): register tsx in the thread, then load the worker
  const api = pathToFileURL(createRequire(self).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  const entry = new URL('./log-writer-worker.ts', self).href;
  const boot = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(boot, { eval: true, workerData: { databaseUrl } });
}

export class ThreadedLogWriter implements RequestLogWriter {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private failure: Error | null = null;

  constructor(databaseUrl: string) {
    this.worker = startWorker(databaseUrl);
    this.worker.unref();
    this.worker.on('message', (a: Answer) => {
      const p = this.pending.get(a.id);
      if (!p) return;
      this.pending.delete(a.id);
      if (this.pending.size === 0) this.worker.unref();
      if (a.ok) p.resolve();
      else p.reject(new Error(a.error ?? 'request log write failed'));
    });
    const fail = (err: Error): void => {
      this.failure = err;
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => {
      if (code !== 0) fail(new Error(`request log writer thread stopped (exit ${code})`));
    });
  }

  insertMany(rows: NewRequestLogRow[]): Promise<void> {
    if (rows.length === 0) return Promise.resolve();
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise<void>((resolve, reject) => {
      // an idle thread does not keep the process alive; one with a batch in hand does, so the
      // last flush on shutdown is written before the process can run out of work and exit
      if (this.pending.size === 0) this.worker.ref();
      this.pending.set(id, { resolve, reject });
      // the rows' values only, in one flat array (src/usage/log-row-wire.ts)
      this.worker.postMessage({ id, values: packRows(rows) });
    });
  }

  /** Stop the thread after its current batch (call after the sink's last flush). */
  async close(): Promise<void> {
    if (this.failure) {
      await this.worker.terminate();
      return;
    }
    const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    this.worker.ref();
    this.worker.postMessage('close');
    await Promise.race([exited, new Promise<void>((r) => setTimeout(r, 5000).unref())]);
    await this.worker.terminate();
  }
}
