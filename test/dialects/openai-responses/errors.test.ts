import { BadRequestError, RateLimitError } from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { CanonicalError } from '../../../src/canonical/types.js';
import { openAiResponsesDialect as dialect } from '../../../src/dialects/openai-responses/index.js';
import { fixtureText, replayServer, type ReplayServer } from './helpers.js';

interface Cassette {
  interactions: Array<{ response: { body: string; code: number } }>;
}

function recorded(name: string): { status: number; body: unknown } {
  const cassette = parse(fixtureText(name)) as Cassette;
  const response = cassette.interactions[0]?.response;
  if (!response) throw new Error(`${name} has no response`);
  return { status: response.code, body: JSON.parse(response.body) as unknown };
}

describe('openai-responses decodeError (recorded OpenAI error bodies)', () => {
  it('unknown model: 404 not_found with code model_not_found (chat-unknown-model.yaml)', () => {
    const { status, body } = recorded('chat-unknown-model.yaml');
    expect(dialect.decodeError(status, body)).toEqual<CanonicalError>({
      status: 404,
      type: 'not_found',
      message: 'The model `gpt-4.1-nano-wrong` does not exist or you do not have access to it.',
      code: 'model_not_found',
    });
  });

  it('bad parameter: 400 invalid_request with param and code (chat-bad-request.yaml)', () => {
    const { status, body } = recorded('chat-bad-request.yaml');
    expect(dialect.decodeError(status, body)).toEqual<CanonicalError>({
      status: 400,
      type: 'invalid_request',
      message: "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
      param: 'max_tokens',
      code: 'unsupported_parameter',
    });
  });

  it.each([
    [401, 'authentication'],
    [403, 'permission'],
    [408, 'timeout'],
    [429, 'rate_limit'],
    [500, 'upstream'],
    [503, 'overloaded'],
    [504, 'timeout'],
  ] as const)('HTTP %i is %s, even without a JSON body', (status, type) => {
    const err = dialect.decodeError(status, 'upstream said no');
    expect(err).toEqual({ status, type, message: 'upstream said no' });
    expect(dialect.decodeError(status, undefined).message).toBe(`Upstream returned HTTP ${status}`);
  });
});

describe('openai-responses encodeError', () => {
  it('writes the OpenAI error shape', () => {
    expect(
      dialect.encodeError({ status: 400, type: 'invalid_request', message: 'temperature must be a number', param: 'temperature' }),
    ).toEqual({
      error: { message: 'temperature must be a number', type: 'invalid_request_error', param: 'temperature', code: null },
    });
  });

  describe('the openai@6 SDK raises it with status, message, param and code', () => {
    let server: ReplayServer | undefined;
    afterEach(async () => {
      await server?.close();
      server = undefined;
    });

    it('400', async () => {
      const body = dialect.encodeError({
        status: 400,
        type: 'invalid_request',
        message: 'input[0].role must be one of user, assistant, system, developer',
        param: 'input[0].role',
      });
      server = await replayServer({ status: 400, contentType: 'application/json', body: JSON.stringify(body) });
      const err = await server.client.responses.create({ model: 'm', input: 'x' }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(BadRequestError);
      expect((err as BadRequestError).message).toBe('400 input[0].role must be one of user, assistant, system, developer');
      expect((err as BadRequestError).param).toBe('input[0].role');
    });

    it('429', async () => {
      const body = dialect.encodeError({ status: 429, type: 'rate_limit', message: 'Slow down', code: 'rate_limit_exceeded' });
      server = await replayServer({ status: 429, contentType: 'application/json', body: JSON.stringify(body) });
      const err = await server.client.responses.create({ model: 'm', input: 'x' }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(RateLimitError);
      expect((err as RateLimitError).code).toBe('rate_limit_exceeded');
    });
  });
});
