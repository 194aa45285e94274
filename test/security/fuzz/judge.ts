/**
 * What a fuzz answer must look like: a status below 500 (or a 502/503/504 for an upstream
 * failure the gateway names, not an upstream's 4xx), an error body in the route's own shape, a 200 in the route's shape, a stream that
 * ends properly in its dialect or with an error event.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { KINDS, type Case, type RouteSpec, type Shape, type StreamEnd } from './requests.js';

type Obj = Record<string, unknown>;

export interface Answer {
  status: number;
  contentType: string;
  text: string;
  headers: IncomingHttpHeaders;
}

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The route's own error shape, or why not. */
export function errorShapeProblem(shape: Shape, json: unknown): string | null {
  if (!isObj(json)) return 'error body is not a JSON object';
  const e = json.error;
  if (!isObj(e)) return 'no error object';
  switch (shape) {
    case 'openai':
      return typeof e.message === 'string' && typeof e.type === 'string' ? null : 'not {error:{message,type}}';
    case 'anthropic':
      return json.type === 'error' && typeof e.type === 'string' && typeof e.message === 'string' ? null : "not {type:'error',error:{type,message}}";
    case 'gemini':
      return typeof e.code === 'number' && typeof e.message === 'string' && typeof e.status === 'string' ? null : 'not {error:{code,message,status}}';
  }
}

function errorMessage(json: unknown): string {
  return isObj(json) && isObj(json.error) && typeof json.error.message === 'string' ? json.error.message : '';
}

export interface SseEvent {
  event: string | null;
  data: string;
}

export function sseEvents(text: string): SseEvent[] {
  const out: SseEvent[] = [];
  for (const block of text.split(/\r?\n\r?\n/)) {
    let event: string | null = null;
    const data: string[] = [];
    for (const line of block.split(/\r?\n/)) {
      if (line.startsWith('event:')) event = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
    }
    if (data.length > 0 || event !== null) out.push({ event, data: data.join('\n') });
  }
  return out;
}

export function parse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function geminiChunkEnds(chunk: unknown): boolean {
  if (!isObj(chunk)) return false;
  if (isObj(chunk.error)) return true;
  const c = chunk.candidates;
  return Array.isArray(c) && c.some((x) => isObj(x) && typeof x.finishReason === 'string');
}

/** Does a 200 stream end properly in its dialect (or with an error event)? */
export function streamEndProblem(kind: Exclude<StreamEnd, null>, a: Answer): string | null {
  if (kind === 'gemini-array') {
    const arr = parse(a.text);
    if (!Array.isArray(arr) || arr.length === 0) return 'JSON-array stream is not a non-empty JSON array';
    return geminiChunkEnds(arr[arr.length - 1]) ? null : 'JSON-array stream does not end with a finishReason or an error';
  }
  if (!a.contentType.includes('text/event-stream')) return `stream answered as ${a.contentType}`;
  const events = sseEvents(a.text);
  const last = events[events.length - 1];
  if (!last) return 'empty stream';
  for (const e of events) if (e.data !== '[DONE]' && parse(e.data) === undefined) return `an event is not JSON: ${e.data.slice(0, 200)}`;
  const data = parse(last.data);
  switch (kind) {
    case 'chat':
      if (last.data === '[DONE]') return null;
      return isObj(data) && isObj(data.error) ? null : 'chat stream ends without [DONE] or an error';
    case 'responses': {
      const t = isObj(data) ? data.type : undefined;
      return t === 'response.completed' || t === 'response.incomplete' || t === 'response.failed' || t === 'error' ? null : `responses stream ends with ${String(t)}`;
    }
    case 'anthropic': {
      const t = isObj(data) ? data.type : undefined;
      return t === 'message_stop' || t === 'error' ? null : `anthropic stream ends with ${String(t)}`;
    }
    case 'gemini-sse':
      return geminiChunkEnds(data) ? null : 'gemini stream does not end with a finishReason or an error';
  }
}

/** A 200 JSON answer in the route's own shape. */
function okShapeProblem(route: RouteSpec, json: unknown): string | null {
  if (!isObj(json)) return '200 body is not a JSON object';
  switch (route.name) {
    case 'POST /v1/chat/completions':
      return Array.isArray(json.choices) ? null : '200 without choices';
    case 'POST /v1/responses':
      return json.object === 'response' ? null : '200 without object: response';
    case 'POST /v1/messages':
      return json.type === 'message' ? null : '200 without type: message';
    case 'POST /v1/messages/count_tokens':
      return typeof json.input_tokens === 'number' ? null : '200 without input_tokens';
    case 'POST /v1/embeddings':
      return Array.isArray(json.data) ? null : '200 without data';
    default:
      return Array.isArray(json.candidates) ? null : '200 without candidates';
  }
}

/** What is wrong with this answer, or null. */
export function judge(route: RouteSpec, c: Case, a: Answer): string | null {
  const json = parse(a.text);
  if (a.status >= 500) {
    if (![502, 503, 504].includes(a.status)) return `status ${a.status}`;
    const shape = errorShapeProblem(route.shape, json);
    if (shape) return `status ${a.status}, ${shape}`;
    const message = errorMessage(json);
    if (!/upstream/i.test(message)) return `status ${a.status} without an upstream failure`;
    // the upstream refused what the gateway sent (a translation fault), or refused a provider
    // key (taken out of use: every later request would fail)
    if (/HTTP 4\d\d/.test(message)) return `status ${a.status} for an upstream 4xx`;
    if (/usable key/.test(message)) return `status ${a.status}: no usable provider key left`;
    return null;
  }
  if (c.index < KINDS.length && route.serves(c.kind) && a.status !== 200) return `the unmutated request answered ${a.status}`;
  if (a.status !== 200) return a.status >= 400 ? errorShapeProblem(route.shape, json) : `status ${a.status}`;
  if (c.stream) return streamEndProblem(c.stream, a);
  return okShapeProblem(route, json);
}

