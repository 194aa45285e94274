import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import type { CanonicalError, ErrorType } from '../../../src/canonical/types.js';
import { openAiChatDialect } from '../../../src/dialects/openai-chat/index.js';
import { loadCassette } from './cassettes.js';

const { decodeError, encodeError } = openAiChatDialect;

describe('openai-chat decodeError', () => {
  it('chat-unknown-model (404): not_found, code model_not_found', () => {
    const c = loadCassette('chat-unknown-model');
    expect(decodeError(c.status, c.responseText)).toEqual({
      status: 404,
      type: 'not_found',
      message: 'The model `gpt-4.1-nano-wrong` does not exist or you do not have access to it.',
      code: 'model_not_found',
    });
  });

  it('chat-bad-request (400): invalid_request with param and code', () => {
    const c = loadCassette('chat-bad-request');
    expect(decodeError(c.status, JSON.parse(c.responseText))).toEqual({
      status: 400,
      type: 'invalid_request',
      message: "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
      param: 'max_tokens',
      code: 'unsupported_parameter',
    });
  });

  it('chat-no-messages (400)', () => {
    const c = loadCassette('chat-no-messages');
    expect(decodeError(c.status, c.responseText)).toMatchObject({ status: 400, type: 'invalid_request', param: 'messages', code: 'empty_array' });
  });

  const byStatus: Array<[number, unknown, ErrorType]> = [
    [401, { error: { message: 'Incorrect API key provided: sk-proj-****abcd.', type: 'invalid_request_error', param: null, code: 'invalid_api_key' } }, 'authentication'],
    [403, { error: { message: 'Country, region, or territory not supported', type: 'request_forbidden', param: null, code: 'unsupported_country_region_territory' } }, 'permission'],
    [429, { error: { message: 'You exceeded your current quota', type: 'insufficient_quota', param: null, code: 'insufficient_quota' } }, 'rate_limit'],
    [429, { error: { message: 'Rate limit reached for requests', type: 'requests', param: null, code: 'rate_limit_exceeded' } }, 'rate_limit'],
    [500, { error: { message: 'The server had an error while processing your request.', type: 'server_error', param: null, code: null } }, 'upstream'],
    [503, { error: { message: 'The engine is currently overloaded, please try again later', type: 'server_error', param: null, code: null } }, 'overloaded'],
    [504, 'upstream request timeout', 'timeout'],
    [502, '<html><body>Bad gateway</body></html>', 'upstream'],
    [422, { detail: 'field required' }, 'invalid_request'],
    [400, { error: 'plain string error' }, 'invalid_request'],
  ];
  it.each(byStatus)('HTTP %s -> %s', (status, body, type) => {
    const e = decodeError(status, body);
    expect(e.type).toBe(type);
    expect(e.status).toBe(status);
    expect(e.message.length).toBeGreaterThan(0);
  });

  it('never passes on anything that looks like a key', () => {
    const e = decodeError(401, { error: { message: 'Incorrect API key provided: sk-proj-abc123****wxyz. You can find your API key at https://platform.openai.com/account/api-keys.', type: 'invalid_request_error', code: 'invalid_api_key' } });
    expect(e.message).not.toContain('sk-proj');
    expect(e.message).not.toContain('abc123');
  });

  it('in-band errors (no HTTP status) are classified by type or numeric code', () => {
    expect(decodeError(0, { error: { message: 'x', type: 'invalid_request_error' } })).toMatchObject({ status: 400, type: 'invalid_request' });
    expect(decodeError(0, { error: { message: 'x', code: 429 } })).toMatchObject({ status: 429, type: 'rate_limit', code: '429' });
    expect(decodeError(0, { error: { message: 'x', code: '503' } })).toMatchObject({ status: 503, type: 'overloaded' });
    expect(decodeError(0, { error: { message: 'x', type: 'server_error' } })).toMatchObject({ status: 502, type: 'upstream' });
  });
});

describe('openai-chat encodeError', () => {
  const cases: Array<[CanonicalError, Record<string, unknown>]> = [
    [{ status: 400, type: 'invalid_request', message: 'bad', param: 'messages[0].content' }, { message: 'bad', type: 'invalid_request_error', param: 'messages[0].content', code: null }],
    [{ status: 401, type: 'authentication', message: 'no key' }, { message: 'no key', type: 'authentication_error', param: null, code: 'invalid_api_key' }],
    [{ status: 403, type: 'permission', message: 'nope' }, { message: 'nope', type: 'permission_error', param: null, code: null }],
    [{ status: 404, type: 'not_found', message: 'The model `x` does not exist', code: 'model_not_found' }, { message: 'The model `x` does not exist', type: 'invalid_request_error', param: null, code: 'model_not_found' }],
    [{ status: 429, type: 'rate_limit', message: 'slow', code: 'insufficient_quota' }, { message: 'slow', type: 'insufficient_quota', param: null, code: 'insufficient_quota' }],
    [{ status: 429, type: 'rate_limit', message: 'slow' }, { message: 'slow', type: 'rate_limit_error', param: null, code: null }],
    [{ status: 503, type: 'overloaded', message: 'busy' }, { message: 'busy', type: 'service_unavailable_error', param: null, code: null }],
    [{ status: 504, type: 'timeout', message: 'late' }, { message: 'late', type: 'timeout_error', param: null, code: null }],
    [{ status: 502, type: 'upstream', message: 'up' }, { message: 'up', type: 'server_error', param: null, code: null }],
    [{ status: 500, type: 'internal', message: 'oops' }, { message: 'oops', type: 'server_error', param: null, code: null }],
  ];
  it.each(cases)('%o', (err, expected) => {
    expect(encodeError(err)).toEqual({ error: expected });
  });

  it('matches what OpenAI sent for an unknown model, byte for byte in meaning', () => {
    const c = loadCassette('chat-unknown-model');
    expect(encodeError(decodeError(c.status, c.responseText))).toEqual(JSON.parse(c.responseText));
  });

  it('the openai SDK reads our error body: class from the status, fields from the body', async () => {
    const { createServer } = await import('node:http');
    const body = encodeError({ status: 404, type: 'not_found', message: 'The model `nope` does not exist', code: 'model_not_found' });
    const server = createServer((req, res) => {
      req.resume();
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const addr = server.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      const client = new OpenAI({ baseURL: `http://127.0.0.1:${port}/v1`, apiKey: 'k', maxRetries: 0 });
      const err = await client.chat.completions.create({ model: 'nope', messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(OpenAI.NotFoundError);
      expect(err).toMatchObject({ status: 404, code: 'model_not_found', type: 'invalid_request_error' });
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
