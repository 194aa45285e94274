/**
 * The provider emulator: OpenAI, Azure OpenAI, Anthropic and Gemini wire formats on one node:http
 * server, with scripted replies, fault injection and a record of every request. See README.md.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleControl } from './control.js';
import type { EmulatorState } from './exchange.js';
import { handleProvider, recordUnknown, sendJson } from './exchange.js';
import type { KnownModels } from './operations.js';
import { Recorder } from './recorder.js';
import { providerForPath, resolveRoute } from './routes.js';
import { RuleBook } from './rules.js';
import { errorBody } from './errors.js';
import { seededRandom } from './text.js';
import type { Emulator, EmulatorOptions, FaultRule, RuleHandle, ScriptRule } from './types.js';

export type * from './types.js';
export type { KnownModels } from './operations.js';
export { embeddingVector, embeddingBase64 } from './render/embeddings.js';
export { echoText } from './reply.js';
export { splitWords } from './text.js';

/** Models each provider knows unless `models` says otherwise. */
export const DEFAULT_MODELS: Readonly<KnownModels> = {
  openai: [
    'gpt-4o',
    'gpt-4o-mini',
    'gpt-4.1',
    'gpt-4.1-mini',
    'gpt-5',
    'gpt-5-mini',
    'gpt-5-nano',
    'o4-mini',
    'text-embedding-3-small',
    'text-embedding-3-large',
    'text-embedding-ada-002',
  ],
  azure: ['gpt-4o', 'gpt-4o-mini', 'gpt-5-nano', 'text-embedding-3-small'],
  anthropic: ['claude-sonnet-4-6', 'claude-opus-4-8', 'claude-haiku-4-5', 'claude-sonnet-4-5', 'claude-opus-4-1'],
  gemini: ['gemini-2.5-flash', 'gemini-2.5-pro', 'gemini-2.5-flash-lite', 'gemini-2.0-flash', 'text-embedding-004'],
};

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(chunks.length === 1 ? (chunks[0]?.toString('utf8') ?? '') : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseQuery(qs: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(qs)) out[k] = v;
  return out;
}

export async function startEmulator(opts: EmulatorOptions = {}): Promise<Emulator> {
  const closing = new AbortController();
  const recorder = new Recorder(opts.recordLimit ?? 10_000);
  const state: EmulatorState = {
    keys: new Set(opts.keys ?? ['test-key']),
    models: {
      openai: opts.models?.openai ?? DEFAULT_MODELS.openai,
      azure: opts.models?.azure ?? DEFAULT_MODELS.azure,
      anthropic: opts.models?.anthropic ?? DEFAULT_MODELS.anthropic,
      gemini: opts.models?.gemini ?? DEFAULT_MODELS.gemini,
    },
    rules: new RuleBook(seededRandom(opts.seed ?? Math.floor(Math.random() * 2 ** 32))),
    recorder,
    closing: closing.signal,
  };
  const actions = {
    reset: (): void => {
      state.rules.clear();
      recorder.clear(true);
    },
    clearReceived: (): void => recorder.clear(false),
  };

  const onRequest = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const query = q < 0 ? {} : parseQuery(url.slice(q + 1));
    const method = req.method ?? 'GET';
    const raw = method === 'GET' || method === 'HEAD' ? '' : await readBody(req);
    if (path.startsWith('/__emulator/')) return handleControl(state, actions, method, path, query, raw, res);
    const route = resolveRoute(method, path, req.headers);
    if (route === null) {
      recordUnknown(state, req, path, query, raw);
      const provider = providerForPath(path);
      return sendJson(res, 404, errorBody(provider, 404, { message: `Unknown route: ${method} ${path}` }));
    }
    return handleProvider(state, req, res, route, path, query, raw);
  };

  const server = createServer((req, res) => {
    onRequest(req, res).catch((e: unknown) => {
      if (res.headersSent) res.destroy();
      else sendJson(res, 500, { error: { message: `emulator failure: ${String(e)}`, type: 'server_error' } });
    });
  });
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.requestTimeout = 0;

  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host;

  return {
    url: `http://${shownHost}:${port}`,
    port,
    get received() {
      return recorder.list;
    },
    get totalReceived() {
      return recorder.total;
    },
    clearReceived: actions.clearReceived,
    script: (rule: ScriptRule): RuleHandle => state.rules.addScript(rule),
    fault: (rule: FaultRule): RuleHandle => state.rules.addFault(rule),
    reset: actions.reset,
    close: () =>
      new Promise<void>((resolve, reject) => {
        closing.abort();
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
