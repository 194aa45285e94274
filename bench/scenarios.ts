/**
 * What the benchmark sends, and the one-request check that proves a target answers it right
 * before any load (a 401 or an empty stream must never pass for "fast").
 */

/** The emulator answers every request with this text (set through POST /__emulator/script). */
export const REPLY_TEXT = 'Hello from the benchmark emulator, a short fixed reply.';

export type ScenarioId = 'nonstream' | 'stream' | 'translated';
export const SCENARIO_IDS: readonly ScenarioId[] = ['nonstream', 'stream', 'translated'];

export interface Scenario {
  id: ScenarioId;
  title: string;
  path: string;
  body: string;
  stream: boolean;
  /** false: the bare proxy has no equivalent (it cannot translate) */
  bare: boolean;
}

function chatBody(model: string, stream: boolean): string {
  return JSON.stringify({
    model,
    messages: [
      { role: 'system', content: 'You are a terse assistant.' },
      { role: 'user', content: 'Say hello to the benchmark.' },
    ],
    max_tokens: 64,
    ...(stream ? { stream: true } : {}),
  });
}

/** model names the bench config serves: OpenAI-compatible and Anthropic providers at the emulator */
export const OPENAI_MODEL = 'gpt-4o-mini';
export const ANTHROPIC_MODEL = 'claude-haiku-4-5';

export const SCENARIOS: Record<ScenarioId, Scenario> = {
  nonstream: {
    id: 'nonstream',
    title: 'chat, non-stream (OpenAI client -> OpenAI-compatible upstream, passthrough)',
    path: '/v1/chat/completions',
    body: chatBody(OPENAI_MODEL, false),
    stream: false,
    bare: true,
  },
  stream: {
    id: 'stream',
    title: 'chat, stream (OpenAI client -> OpenAI-compatible upstream, passthrough)',
    path: '/v1/chat/completions',
    body: chatBody(OPENAI_MODEL, true),
    stream: true,
    bare: true,
  },
  translated: {
    id: 'translated',
    title: 'chat, stream, translated (OpenAI chat client -> Anthropic Messages upstream)',
    path: '/v1/chat/completions',
    body: chatBody(ANTHROPIC_MODEL, true),
    stream: true,
    bare: false,
  },
};

export function requestHeaders(clientKey: string): Record<string, string> {
  return { 'content-type': 'application/json', authorization: `Bearer ${clientKey}` };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Text of an OpenAI chat completion (`choices[0].message.content`), or null. */
function completionText(json: unknown): string | null {
  if (!isRecord(json) || !Array.isArray(json.choices)) return null;
  const first: unknown = json.choices[0];
  if (!isRecord(first) || !isRecord(first.message)) return null;
  return typeof first.message.content === 'string' ? first.message.content : null;
}

/** Joins the `choices[0].delta.content` of every OpenAI chat stream chunk; notes whether `[DONE]` came. */
function streamText(sse: string): { text: string; done: boolean; finish: string | null } {
  let text = '';
  let done = false;
  let finish: string | null = null;
  for (const line of sse.split('\n')) {
    if (!line.startsWith('data:')) continue;
    const data = line.slice(5).trim();
    if (data === '[DONE]') {
      done = true;
      continue;
    }
    const chunk: unknown = JSON.parse(data);
    if (!isRecord(chunk) || !Array.isArray(chunk.choices)) continue;
    const choice: unknown = chunk.choices[0];
    if (!isRecord(choice)) continue;
    if (isRecord(choice.delta) && typeof choice.delta.content === 'string') text += choice.delta.content;
    if (typeof choice.finish_reason === 'string') finish = choice.finish_reason;
  }
  return { text, done, finish };
}

/**
 * Sends the scenario's request once and throws, with what came back, unless it is a 200 whose
 * content is the scripted reply (streams: assembled from the deltas, with a finish reason and
 * `data: [DONE]`). Returns the response size in bytes.
 */
export async function verifyOnce(baseUrl: string, scenario: Scenario, clientKey: string, target: string): Promise<number> {
  const res = await fetch(`${baseUrl}${scenario.path}`, {
    method: 'POST',
    headers: requestHeaders(clientKey),
    body: scenario.body,
  });
  const text = await res.text();
  const fail = (why: string): never => {
    throw new Error(`${target} / ${scenario.id}: ${why}\n  status ${res.status}, body: ${text.slice(0, 600)}`);
  };
  if (res.status !== 200) fail('expected HTTP 200');
  const type = res.headers.get('content-type') ?? '';
  if (scenario.stream) {
    if (!type.startsWith('text/event-stream')) fail(`expected text/event-stream, got "${type}"`);
    let parsed: ReturnType<typeof streamText>;
    try {
      parsed = streamText(text);
    } catch (err) {
      return fail(`a stream chunk is not JSON (${err instanceof Error ? err.message : String(err)})`);
    }
    if (!parsed.done) fail('the stream has no "data: [DONE]"');
    if (parsed.finish === null) fail('the stream has no finish_reason');
    if (parsed.text !== REPLY_TEXT) fail(`streamed text is "${parsed.text}", expected the scripted "${REPLY_TEXT}"`);
  } else {
    if (!type.startsWith('application/json')) fail(`expected application/json, got "${type}"`);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return fail('the body is not JSON');
    }
    const content = completionText(json);
    if (content !== REPLY_TEXT) fail(`choices[0].message.content is ${JSON.stringify(content)}, expected the scripted "${REPLY_TEXT}"`);
  }
  return Buffer.byteLength(text);
}
