/**
 * One attempt's upstream request: where it goes, with which headers, and the body — passed
 * through with only the model rewritten when the provider speaks the client's dialect natively,
 * translated through the canonical form otherwise.
 */
import { invalidRequest } from '../canonical/errors.js';
import type { CanonicalRequest, Dialect } from '../canonical/types.js';
import type { InlineMedia } from '../dialects/gemini/media.js';
import { dialectModule } from '../dialects/registry.js';
import { kindSpec } from '../providers/registry.js';
import type { Provider, ProviderKey } from '../providers/types.js';
import { rawTextOf } from '../security/json-limits.js';
import type { Candidate } from './catalog.js';
import { headerValue } from './header-value.js';

export interface InferencePayload {
  kind: 'inference' | 'embeddings';
  clientDialect: Dialect;
  stream: boolean;
  /** the client's body as parsed (never mutated) */
  body: Record<string, unknown>;
  /** the canonical form, decoded on first use (only translation needs it) */
  canonical(): CanonicalRequest;
  /** client headers that are meant for the upstream (e.g. anthropic-beta) */
  forwardHeaders: Record<string, string>;
  /** Gemini clients only: the stream framing they asked for (a JSON-array stream is never passed through) */
  framing?: 'sse' | 'json-array';
  /** remote images fetched for upstreams that need the bytes (Gemini), by URL */
  inlineMedia?: InlineMedia;
}

export interface AttemptPlan {
  mode: 'passthrough' | 'translate';
  /** the dialect the upstream speaks in this attempt */
  upstreamDialect: Dialect;
  url: string;
  /** `url` split for the connection pool (computed once per provider, model and dialect) */
  origin: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  /** parameters the target could not express */
  dropped: string[];
}

/** Which dialect to speak to a provider for a client dialect: the same one if served, else the provider's first. */
export function upstreamDialectFor(p: Provider, clientDialect: Dialect): Dialect {
  return p.dialects.includes(clientDialect) ? clientDialect : p.dialects[0]!;
}

/** The body as the upstream gets it on the passthrough path: `payload.body` itself when nothing changes. */
function passthroughBody(payload: InferencePayload, model: string, dialect: Dialect): Record<string, unknown> {
  const body = payload.body;
  const kind = payload.kind === 'embeddings' ? 'embeddings' : dialect;
  if (kind === 'gemini') return body;
  const sameModel = body.model === model;
  if (!payload.stream) return sameModel ? body : { ...body, model };
  if (kind === 'openai-chat') {
    const so = body.stream_options;
    const streamOptions = so && typeof so === 'object' && !Array.isArray(so) ? (so as Record<string, unknown>) : {};
    if (sameModel && body.stream === true && streamOptions.include_usage === true) return body;
    return { ...body, model, stream: true, stream_options: { ...streamOptions, include_usage: true } };
  }
  return sameModel && body.stream === true ? body : { ...body, model, stream: true };
}

const INCLUDE_USAGE = '{"stream_options":{"include_usage":true},';

/**
 * The text sent upstream on the passthrough path: the client's own bytes when passthroughBody
 * leaves the body as it is, so a long conversation is not serialized again (and a chat stream
 * whose only change is the usage request gets it written in front of the client's first key);
 * otherwise passthroughBody's result as JSON. Raw text is kept only for bodies whose top-level
 * keys are all different (src/security/json-limits.ts), so the upstream reads the same values
 * the gateway did.
 */
function passthroughText(payload: InferencePayload, model: string, dialect: Dialect): string {
  const body = payload.body;
  const out = passthroughBody(payload, model, dialect);
  const raw = rawTextOf(body);
  if (raw !== undefined) {
    if (out === body) return raw;
    const onlyUsageAdded =
      dialect === 'openai-chat' && payload.kind !== 'embeddings' && payload.stream && body.model === model && body.stream === true && body.stream_options === undefined;
    const open = raw.indexOf('{');
    // a non-empty object (it has a model): the usage request goes in front of its first key
    if (onlyUsageAdded && open >= 0) return INCLUDE_USAGE + raw.slice(open + 1);
  }
  return JSON.stringify(out);
}

interface Target {
  url: string;
  origin: string;
  path: string;
}

/** Upstream URLs per provider object (a catalog reload makes new objects: the cache goes with the old ones). */
const targets = new WeakMap<Provider, Map<string, Target>>();

function targetFor(p: Provider, key: string, make: () => string): Target {
  let m = targets.get(p);
  if (!m) {
    m = new Map();
    targets.set(p, m);
  }
  let t = m.get(key);
  if (!t) {
    const url = make();
    const u = new URL(url);
    t = { url, origin: u.origin, path: u.pathname + u.search };
    if (m.size < 1000) m.set(key, t);
  }
  return t;
}

/** The headers every attempt with this key sends (per stream flag), built once. */
const keyHeaders = new WeakMap<ProviderKey, [Record<string, string> | undefined, Record<string, string> | undefined]>();

function staticHeaders(p: Provider, key: ProviderKey, stream: boolean, baseHeaders: Record<string, string>): Record<string, string> {
  let pair = keyHeaders.get(key);
  if (!pair) {
    pair = [undefined, undefined];
    keyHeaders.set(key, pair);
  }
  const i = stream ? 1 : 0;
  let h = pair[i];
  if (!h) {
    h = {
      ...baseHeaders,
      'content-type': 'application/json',
      accept: stream ? 'text/event-stream' : 'application/json',
      ...kindSpec(p.kind).authHeaders(p, key.secret),
      ...p.headers,
    };
    pair[i] = h;
  }
  return h;
}

/**
 * `override`: send this canonical request instead of the client's (a stream continuation);
 * always translated, even to the client's own dialect.
 */
export function planAttempt(
  payload: InferencePayload,
  cand: Candidate,
  key: ProviderKey,
  baseHeaders: Record<string, string>,
  override?: CanonicalRequest,
): AttemptPlan {
  const p = cand.provider;
  const spec = kindSpec(p.kind);
  const fixed = staticHeaders(p, key, payload.stream, baseHeaders);
  // the client headers meant for the upstream (anthropic-beta) go only to a native upstream, and
  // never override the provider's own or the authentication headers
  const headersFor = (passthrough: boolean): Record<string, string> => {
    if (!passthrough) return fixed;
    let extra = false;
    for (const _ in payload.forwardHeaders) {
      extra = true;
      break;
    }
    return extra ? { ...payload.forwardHeaders, ...fixed } : fixed;
  };

  if (payload.kind === 'embeddings') {
    const embeddings = spec.embeddingsTarget(p, cand.model);
    if (!embeddings) throw invalidRequest(`The provider '${p.id}' (${p.kind}) has no OpenAI-style embeddings endpoint.`, 'model');
    const target = targetFor(p, `e|${cand.model}`, () => embeddings.url);
    return {
      mode: 'passthrough',
      upstreamDialect: 'openai-chat',
      url: target.url,
      origin: target.origin,
      path: target.path,
      headers: headersFor(true),
      body: passthroughText(payload, cand.model, 'openai-chat'),
      dropped: [],
    };
  }

  const upstreamDialect = upstreamDialectFor(p, payload.clientDialect);
  const target = targetFor(p, `${upstreamDialect}|${payload.stream ? 1 : 0}|${cand.model}`, () => spec.inferenceTarget(p, upstreamDialect, cand.model, payload.stream).url);
  if (!override && upstreamDialect === payload.clientDialect && !(payload.stream && payload.framing === 'json-array')) {
    return {
      mode: 'passthrough',
      upstreamDialect,
      url: target.url,
      origin: target.origin,
      path: target.path,
      headers: headersFor(true),
      body: passthroughText(payload, cand.model, upstreamDialect),
      dropped: [],
    };
  }
  const request = override ?? payload.canonical();
  refuseStatefulResponses(request, upstreamDialect);
  const encoded = dialectModule(upstreamDialect).encodeRequest(request, {
    upstreamModel: cand.model,
    ...(payload.inlineMedia ? { inlineMedia: payload.inlineMedia } : {}),
  });
  return {
    mode: 'translate',
    upstreamDialect,
    url: target.url,
    origin: target.origin,
    path: target.path,
    headers: headersFor(false),
    body: JSON.stringify(encoded.body),
    dropped: headerSafeNames(encoded.dropped),
  };
}

const MAX_DROPPED_NAMES = 32;
const MAX_DROPPED_NAME_CHARS = 100;

/**
 * The dropped parameter names as the `x-apiproxy-dropped-params` header (and the request log)
 * can carry them. Some come from the client's body (an unknown top-level field, a built-in
 * tool's type) and may hold any character or be huge: each is made header-safe as a list item
 * (src/routing/header-value.ts) and cut to 100 characters; empty and repeated names are left
 * out, and at most 32 names are kept.
 */
function headerSafeNames(names: string[]): string[] {
  if (names.length === 0) return names;
  const out = new Set<string>();
  for (const name of names) {
    if (out.size >= MAX_DROPPED_NAMES) break;
    const safe = headerValue(name, { listItem: true, maxChars: MAX_DROPPED_NAME_CHARS });
    if (safe !== '') out.add(safe);
  }
  return [...out];
}

/**
 * The gateway does not store Responses conversations: `previous_response_id` and `conversation`
 * only mean something to a provider that serves the Responses API itself. Translating them away
 * would silently drop the conversation, so such a request is refused for other providers.
 */
function refuseStatefulResponses(req: CanonicalRequest, upstream: Dialect): void {
  if (upstream === 'openai-responses' || req.sourceDialect !== 'openai-responses') return;
  for (const field of ['previous_response_id', 'conversation'] as const) {
    const v = req.unknownFields?.[field];
    if (v !== undefined && v !== null) {
      throw invalidRequest(
        `'${field}' needs a provider that serves the Responses API natively; this model's providers do not (the gateway does not store conversations). Send the whole conversation in 'input' instead.`,
        field,
        'stateful_responses_unsupported',
      );
    }
  }
}
