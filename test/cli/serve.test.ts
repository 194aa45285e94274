/**
 * The command line as a user runs it: `apiproxy --help`, start-up errors that name the problem,
 * quick mode, migrations by hand, and a graceful SIGTERM that lets a stream finish.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../emulator/index.js';

const ROOT = resolve(import.meta.dirname, '../..');
const CLI = join(ROOT, 'src/cli.ts');
const TSX_LOADER = pathToFileURL(createRequire(join(ROOT, 'package.json')).resolve('tsx')).href;

interface Run {
  child: ChildProcess;
  stdout: string;
  stderr: string;
  exited: Promise<number | null>;
}

function run(args: string[], env: Record<string, string>, cwd: string): Run {
  // one process (node with the tsx loader) starts faster than the tsx wrapper
  const child = spawn(process.execPath, ['--import', TSX_LOADER, CLI, ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const r: Run = {
    child,
    stdout: '',
    stderr: '',
    exited: new Promise((res) => child.on('exit', (code) => res(code))),
  };
  child.stdout!.on('data', (d: Buffer) => (r.stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (r.stderr += d.toString()));
  return r;
}

async function waitFor(check: () => boolean, what: string, ms = 60_000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function listeningPort(r: Run): number | null {
  const m = /listening on [^:]+:(\d+)/i.exec(r.stdout);
  return m ? Number(m[1]) : null;
}

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ keys: ['up-key'], models: { openai: ['*'] } });
});
afterAll(async () => {
  await emu?.close();
});

describe('apiproxy command line', () => {
  it('prints help', async () => {
    const r = run(['--help'], {}, tmpdir());
    expect(await r.exited).toBe(0);
    expect(r.stdout).toContain('Usage: apiproxy');
    expect(r.stdout).toContain('migrate');
  });

  it('refuses a bad setting, naming the variable', async () => {
    const r = run(['serve'], { PORT: 'eighty' }, mkdtempSync(join(tmpdir(), 'apx-cli-')));
    expect(await r.exited).toBe(1);
    expect(r.stderr).toContain('PORT: expected a whole number');
  });

  it('refuses an invalid config file, naming the field', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'apx-cli-'));
    writeFileSync(join(dir, 'apiproxy.yaml'), 'providers:\n  - {id: x, kind: openia}\n');
    const r = run(['serve'], { PORT: '0', HOST: '127.0.0.1' }, dir);
    expect(await r.exited).toBe(1);
    expect(r.stderr).toContain('providers[0].kind');
  });

  it('needs `apiproxy migrate` when automatic migrations are off', { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'apx-cli-'));
    const env = { PORT: '0', HOST: '127.0.0.1', AUTO_APPLY_DB_MIGRATIONS: 'false' };
    const refused = run(['serve'], env, dir);
    expect(await refused.exited).toBe(1);
    expect(refused.stderr).toContain('apiproxy migrate');
    const m = run(['migrate'], env, dir);
    expect(await m.exited).toBe(0);
    expect(m.stdout).toContain('0001_initial');
    const ok = run(['serve'], env, dir);
    await waitFor(() => listeningPort(ok) !== null, 'the gateway to listen');
    ok.child.kill('SIGTERM');
    expect(await ok.exited).toBe(0);
  });

  it('runs quick mode: prints a client key once, forces the model, and drains a stream on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'apx-cli-'));
    const g = run(
      ['serve'],
      {
        PORT: '0',
        HOST: '127.0.0.1',
        UPSTREAM_KIND: 'openai-compatible',
        UPSTREAM_BASE_URL: `${emu.url}/v1`,
        UPSTREAM_API_KEY: 'up-key',
        UPSTREAM_MODEL: 'forced-model',
        REQUEST_LOG_FLUSH_MS: '60000',
      },
      dir,
    );
    await waitFor(() => listeningPort(g) !== null, 'the gateway to listen');
    const key = /(sk-apx-[A-Za-z0-9_-]+)/.exec(g.stderr)?.[1];
    expect(key).toBeDefined();
    const client = new OpenAI({ baseURL: `http://127.0.0.1:${listeningPort(g)}/v1`, apiKey: key!, maxRetries: 0 });

    const res = await client.chat.completions.create({ model: 'whatever-the-client-says', messages: [{ role: 'user', content: 'hi' }] });
    expect(res.choices[0]?.message.content).toBe('Echo: hi');
    expect((emu.received.at(-1)!.body as { model: string }).model).toBe('forced-model');

    emu.script({ model: 'forced-model', text: 'slow words arriving one by one to the end', chunkDelayMs: 100, times: 1 });
    const stream = client.chat.completions.stream({ model: 'x', messages: [{ role: 'user', content: 'go' }] });
    let first = false;
    stream.on('content', () => (first = true));
    await waitFor(() => first, 'the first streamed content');
    g.child.kill('SIGTERM');
    const final = await stream.finalChatCompletion();
    expect(final.choices[0]?.message.content).toBe('slow words arriving one by one to the end');
    expect(await g.exited).toBe(0);
    expect(g.stdout).toContain('"stopped"');
    // stdout is JSON lines, whole ones, with one access line per request, written before the exit
    const lines = g.stdout.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as { msg?: string; status?: number; time?: string; reqId?: string });
    const access = lines.filter((l) => l.msg === 'request');
    expect(access).toHaveLength(2);
    for (const a of access) {
      expect(a.status).toBe(200);
      expect(a.reqId).toMatch(/^req_[0-9a-f]{32}$/);
      expect(Number.isNaN(Date.parse(a.time ?? ''))).toBe(false);
    }
    // the request log was flushed on the way out (the flush interval was a minute)
    const again = run(['serve'], { PORT: '0', HOST: '127.0.0.1', UPSTREAM_KIND: 'openai-compatible', UPSTREAM_BASE_URL: `${emu.url}/v1`, UPSTREAM_API_KEY: 'up-key' }, dir);
    await waitFor(() => listeningPort(again) !== null, 'the restarted gateway');
    expect(again.stderr).not.toContain('sk-apx-');
    again.child.kill('SIGTERM');
    expect(await again.exited).toBe(0);
  }, 120_000);
});
