/**
 * The playground's inference call: POST /v1/chat/completions with a client API key, streamed
 * (server-sent events), read chunk by chunk. Reports the text as it arrives, and at the end which
 * provider answered (x-apiproxy-provider), the usage and the timings.
 */
import { ApiError } from './client.js';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface ChatUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  cached_tokens?: number;
  reasoning_tokens?: number;
}

export interface ChatResult {
  text: string;
  provider: string | null;
  upstreamModel: string | null;
  attempts: number | null;
  requestId: string | null;
  finishReason: string | null;
  usage: ChatUsage | null;
  /** ms from sending to the first text */
  ttftMs: number | null;
  totalMs: number;
  /** the stream ended with an error event after some text */
  error: string | null;
}

export interface ChatRequest {
  baseUrl?: string;
  apiKey: string;
  model: string;
  messages: ChatMessage[];
  temperature?: number;
  maxTokens?: number;
  signal?: AbortSignal;
  onText?: (delta: string, soFar: string) => void;
  /** headers arrived: the provider is known before the first text */
  onStart?: (info: { provider: string | null; upstreamModel: string | null; requestId: string | null }) => void;
  fetch?: typeof fetch;
}

interface ChunkJson {
  choices?: Array<{ delta?: { content?: string | null; reasoning_content?: string | null }; finish_reason?: string | null }>;
  usage?: {
    prompt_tokens?: number;
    completion_tokens?: number;
    total_tokens?: number;
    prompt_tokens_details?: { cached_tokens?: number };
    completion_tokens_details?: { reasoning_tokens?: number };
  } | null;
  error?: { message?: string };
}

/** Split an SSE byte stream (as text) into `data:` payloads; returns the unfinished rest. */
export function takeSseData(buffer: string, out: string[]): string {
  const normalized = buffer.replace(/\r\n/g, '\n');
  let start = 0;
  for (;;) {
    const end = normalized.indexOf('\n\n', start);
    if (end < 0) break;
    const frame = normalized.slice(start, end);
    start = end + 2;
    const data = frame
      .split('\n')
      .filter((l) => l.startsWith('data:'))
      .map((l) => l.slice(5).replace(/^ /, ''))
      .join('\n');
    if (data) out.push(data);
  }
  return normalized.slice(start);
}

export async function streamChat(req: ChatRequest): Promise<ChatResult> {
  const doFetch = req.fetch ?? ((i, init) => fetch(i, init));
  const started = Date.now();
  const body: Record<string, unknown> = {
    model: req.model,
    messages: req.messages,
    stream: true,
    stream_options: { include_usage: true },
  };
  if (req.temperature !== undefined) body.temperature = req.temperature;
  if (req.maxTokens !== undefined) body.max_tokens = req.maxTokens;
  let res: Response;
  try {
    res = await doFetch(`${(req.baseUrl ?? '').replace(/\/+$/, '')}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${req.apiKey}`, 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify(body),
      ...(req.signal ? { signal: req.signal } : {}),
    });
  } catch (err) {
    if (err instanceof Error && err.name === 'AbortError') throw err;
    throw new ApiError(0, 'The gateway did not answer. Check that it is running and reachable.');
  }
  const provider = res.headers.get('x-apiproxy-provider');
  const upstreamModel = res.headers.get('x-apiproxy-upstream-model');
  const attemptsHeader = res.headers.get('x-apiproxy-attempts');
  const requestId = res.headers.get('x-request-id');
  if (!res.ok) {
    let message = `HTTP ${res.status}`;
    let code: string | null = null;
    let type: string | null = null;
    try {
      const j = (await res.json()) as { error?: { message?: string; code?: string | null; type?: string } };
      if (j.error?.message) message = j.error.message;
      code = j.error?.code ?? null;
      type = j.error?.type ?? null;
    } catch {
      /* not JSON */
    }
    throw new ApiError(res.status, message, { requestId, code, type });
  }
  req.onStart?.({ provider, upstreamModel, requestId });
  const result: ChatResult = {
    text: '',
    provider,
    upstreamModel,
    attempts: attemptsHeader !== null ? Number(attemptsHeader) : null,
    requestId,
    finishReason: null,
    usage: null,
    ttftMs: null,
    totalMs: 0,
    error: null,
  };
  const reader = res.body?.getReader();
  if (!reader) throw new ApiError(502, 'The gateway answered without a body.');
  const decoder = new TextDecoder();
  let buffer = '';
  let done = false;
  const handle = (data: string): void => {
    if (data === '[DONE]') {
      done = true;
      return;
    }
    let chunk: ChunkJson;
    try {
      chunk = JSON.parse(data) as ChunkJson;
    } catch {
      return;
    }
    if (chunk.error) {
      result.error = chunk.error.message ?? 'The stream ended with an error.';
      return;
    }
    for (const c of chunk.choices ?? []) {
      const delta = c.delta?.content;
      if (typeof delta === 'string' && delta.length > 0) {
        if (result.ttftMs === null) result.ttftMs = Date.now() - started;
        result.text += delta;
        req.onText?.(delta, result.text);
      }
      if (c.finish_reason) result.finishReason = c.finish_reason;
    }
    if (chunk.usage) {
      const u = chunk.usage;
      result.usage = {
        prompt_tokens: u.prompt_tokens ?? 0,
        completion_tokens: u.completion_tokens ?? 0,
        total_tokens: u.total_tokens ?? (u.prompt_tokens ?? 0) + (u.completion_tokens ?? 0),
        ...(u.prompt_tokens_details?.cached_tokens !== undefined ? { cached_tokens: u.prompt_tokens_details.cached_tokens } : {}),
        ...(u.completion_tokens_details?.reasoning_tokens !== undefined ? { reasoning_tokens: u.completion_tokens_details.reasoning_tokens } : {}),
      };
    }
  };
  while (!done) {
    const { value, done: end } = await reader.read();
    if (end) break;
    buffer += decoder.decode(value, { stream: true });
    const payloads: string[] = [];
    buffer = takeSseData(buffer, payloads);
    for (const p of payloads) handle(p);
  }
  buffer += decoder.decode();
  if (buffer.trim()) {
    const payloads: string[] = [];
    takeSseData(`${buffer}\n\n`, payloads);
    for (const p of payloads) handle(p);
  }
  if (done) await reader.cancel().catch(() => undefined);
  result.totalMs = Date.now() - started;
  return result;
}

/** GET /v1/models with a client key: the model names the key may use. */
export async function listClientModels(apiKey: string, baseUrl = '', signal?: AbortSignal, doFetch: typeof fetch = (i, init) => fetch(i, init)): Promise<string[]> {
  let res: Response;
  try {
    res = await doFetch(`${baseUrl.replace(/\/+$/, '')}/v1/models`, {
      headers: { authorization: `Bearer ${apiKey}`, accept: 'application/json' },
      ...(signal ? { signal } : {}),
    });
  } catch (err) {
    if (err instanceof Error && err.name === 'AbortError') throw err;
    throw new ApiError(0, 'The gateway did not answer. Check that it is running and reachable.');
  }
  if (!res.ok) {
    let message = `HTTP ${res.status}`;
    try {
      const j = (await res.json()) as { error?: { message?: string } };
      if (j.error?.message) message = j.error.message;
    } catch {
      /* not JSON */
    }
    throw new ApiError(res.status, message);
  }
  const j = (await res.json()) as { data?: Array<{ id?: string }> };
  return (j.data ?? []).map((m) => m.id ?? '').filter((id) => id !== '');
}
