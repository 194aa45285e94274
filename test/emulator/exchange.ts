/**
 * One provider request, start to end: record it, check the key, validate, apply a fault if one
 * matches, then answer with the scripted or default reply (JSON or stream).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { presentedKey } from './auth.js';
import type { JsonObject } from './conversation.js';
import { isObject } from './conversation.js';
import { authErrorBody, azureErrorBody, badJsonBody, errorBody } from './errors.js';
import type { KnownModels, Prepared } from './operations.js';
import { prepare } from './operations.js';
import type { Recorder } from './recorder.js';
import { buildReply } from './reply.js';
import type { Route } from './routes.js';
import type { RuleBook } from './rules.js';
import { cutConnection, writeStream } from './stream-writer.js';
import type { FaultSpec, ProviderName, RecordedRequest } from './types.js';

export interface EmulatorState {
  keys: ReadonlySet<string>;
  models: KnownModels;
  rules: RuleBook;
  recorder: Recorder;
  /** Aborted when the emulator closes: pending delays stop. */
  closing: AbortSignal;
}

/** Sends a JSON body (an object, or text already serialized). */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers?: Record<string, string>): void {
  const data = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(data)),
    ...headers,
  });
  res.end(data);
}

function requestIdHeaders(provider: ProviderName, seq: number): Record<string, string> {
  const id = `req_emu${seq}`;
  if (provider === 'anthropic') return { 'request-id': id };
  if (provider === 'azure') return { 'x-request-id': id, 'apim-request-id': id };
  if (provider === 'openai') return { 'x-request-id': id };
  return {};
}

/** Names of the fields a fault has, for the record. */
function firedFields(f: FaultSpec): string[] {
  return Object.keys(f).filter((k) => (f as Record<string, unknown>)[k] !== undefined);
}

function faultHeaders(f: FaultSpec, base: Record<string, string>): Record<string, string> {
  const h: Record<string, string> = { ...base, ...f.headers };
  if (f.retryAfter !== undefined) h['retry-after'] = String(f.retryAfter);
  if (f.retryAfterMs !== undefined) h['retry-after-ms'] = String(f.retryAfterMs);
  return h;
}

/** Records a request to a path no provider serves (answered 404 by the caller). */
export function recordUnknown(state: EmulatorState, req: IncomingMessage, path: string, query: Record<string, string>, raw: string): void {
  let body: unknown = raw === '' ? null : raw;
  try {
    if (raw !== '') body = JSON.parse(raw);
  } catch {
    // keep the raw text
  }
  state.recorder.add({
    seq: 0,
    time: Date.now(),
    method: req.method ?? 'GET',
    path,
    query,
    headers: req.headers,
    body,
    bodyText: raw,
    provider: null,
    operation: null,
    model: null,
    stream: false,
    key: null,
    keySource: null,
    status: 404,
  });
}

export async function handleProvider(
  state: EmulatorState,
  req: IncomingMessage,
  res: ServerResponse,
  route: Route,
  path: string,
  query: Record<string, string>,
  raw: string,
): Promise<void> {
  const { provider } = route;
  const presented = presentedKey(provider, req.headers, query);
  const rec: RecordedRequest = {
    seq: 0,
    time: Date.now(),
    method: req.method ?? 'GET',
    path,
    query,
    headers: req.headers,
    body: raw === '' ? null : raw,
    bodyText: raw,
    provider,
    operation: route.name,
    model: route.urlModel,
    stream: route.op === 'stream',
    key: presented?.key ?? null,
    keySource: presented?.source ?? null,
  };
  state.recorder.add(rec);
  let ownClose = false;
  res.once('close', () => {
    if (!res.writableFinished && !ownClose) rec.clientAborted = true;
  });
  const reply = (status: number, body: unknown, headers?: Record<string, string>): void => {
    rec.status = status;
    sendJson(res, status, body, headers);
  };

  if (presented === null || !state.keys.has(presented.key)) return reply(401, authErrorBody(provider, presented?.key ?? null));
  if (route.needsApiVersion && !query['api-version']) return reply(404, azureErrorBody(404));

  let body: JsonObject = {};
  if (raw !== '') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch (e) {
      return reply(400, badJsonBody(provider, e instanceof Error ? e.message : 'invalid JSON'));
    }
    rec.body = parsed;
    if (!isObject(parsed)) return reply(400, badJsonBody(provider, 'the body must be a JSON object'));
    body = parsed;
  }
  if (provider === 'anthropic' && req.headers['anthropic-version'] === undefined) {
    return reply(400, errorBody('anthropic', 400, { message: 'anthropic-version: header is required' }));
  }

  const prepared: Prepared = prepare({ route, body, query, headers: req.headers, models: state.models });
  rec.model = prepared.model;
  if (prepared.kind === 'generate') rec.stream = prepared.stream;
  const base = requestIdHeaders(provider, rec.seq);
  if (prepared.kind === 'error') return reply(prepared.status, prepared.body, base);

  const fault = state.rules.empty
    ? undefined
    : state.rules.faults.take({ provider, model: rec.model, path, key: rec.key, stream: rec.stream });
  let headers = base;
  if (fault) {
    rec.fault = firedFields(fault);
    headers = faultHeaders(fault, base);
    if (fault.latencyMs !== undefined && fault.latencyMs > 0) {
      try {
        await sleep(fault.latencyMs, undefined, { signal: state.closing });
      } catch {
        return;
      }
      if (res.destroyed) return;
    }
    if (fault.hang) return;
    if (fault.dropConnection) {
      ownClose = true;
      req.socket.destroy();
      return;
    }
    if (fault.status !== undefined) {
      const o = { message: fault.message, type: fault.errorType, code: fault.errorCode };
      return reply(fault.status, errorBody(provider, fault.status, o), headers);
    }
  }

  if (prepared.kind === 'json') return reply(200, prepared.respond(), headers);

  const script = state.rules.empty
    ? undefined
    : state.rules.scripts.take({ provider, model: prepared.model, path, key: rec.key, stream: prepared.stream });
  const replyData = buildReply(rec.seq, prepared.conv, script);
  const ctx = { reply: replyData, model: prepared.model, created: Math.floor(rec.time / 1000), body };
  rec.status = 200;

  if (!prepared.stream) {
    const data = JSON.stringify(prepared.render(ctx));
    if (fault && (fault.cutAfterChunks !== undefined || fault.hangAfterChunks !== undefined)) {
      // a non-stream reply breaks off halfway through its body
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(data)), ...headers });
      res.write(data.slice(0, Math.floor(data.length / 2)));
      if (fault.cutAfterChunks !== undefined) {
        ownClose = true;
        cutConnection(res);
      }
      return;
    }
    return reply(200, data, headers);
  }

  const plan = prepared.renderStream(ctx);
  const end = await writeStream(
    res,
    headers,
    plan,
    {
      delayMs: replyData.chunkDelayMs + (fault?.chunkDelayMs ?? 0),
      inBandError: fault?.inBandError,
      cutAfterChunks: fault?.cutAfterChunks,
      hangAfterChunks: fault?.hangAfterChunks,
    },
    state.closing,
  );
  if (end === 'cut') ownClose = true;
}
