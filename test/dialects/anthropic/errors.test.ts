import { describe, expect, it } from 'vitest';
import type { CanonicalError, ErrorType } from '../../../src/canonical/types.js';
import { anthropicDialect, anthropicHttpStatus } from '../../../src/dialects/anthropic/index.js';

describe('anthropic decodeError', () => {
  it.each<[number, string, ErrorType]>([
    [400, 'invalid_request_error', 'invalid_request'],
    [401, 'authentication_error', 'authentication'],
    [403, 'permission_error', 'permission'],
    [404, 'not_found_error', 'not_found'],
    [413, 'request_too_large', 'invalid_request'],
    [429, 'rate_limit_error', 'rate_limit'],
    [500, 'api_error', 'upstream'],
    [529, 'overloaded_error', 'overloaded'],
  ])('%i %s -> %s', (status, wireType, type) => {
    const body = { type: 'error', error: { type: wireType, message: `msg for ${wireType}` }, request_id: 'req_011CSHoEeqs5C35K2UUqR7Fy' };
    expect(anthropicDialect.decodeError(status, body)).toEqual({ status, type, message: `msg for ${wireType}` });
  });

  it('classifies by status when the body is not an Anthropic error', () => {
    expect(anthropicDialect.decodeError(502, '<html>Bad gateway</html>')).toEqual({
      status: 502,
      type: 'upstream',
      message: 'Anthropic returned HTTP 502',
    });
    expect(anthropicDialect.decodeError(429, undefined).type).toBe('rate_limit');
    expect(anthropicDialect.decodeError(529, {}).type).toBe('overloaded');
  });

  it('keeps an unknown error type as the code', () => {
    expect(anthropicDialect.decodeError(409, { type: 'error', error: { type: 'conflict_error', message: 'busy' } })).toEqual({
      status: 409,
      type: 'invalid_request',
      message: 'busy',
      code: 'conflict_error',
    });
  });
});

describe('anthropic encodeError', () => {
  it.each<[CanonicalError, string, number]>([
    [{ status: 400, type: 'invalid_request', message: 'm' }, 'invalid_request_error', 400],
    [{ status: 413, type: 'invalid_request', message: 'm' }, 'request_too_large', 413],
    [{ status: 401, type: 'authentication', message: 'm' }, 'authentication_error', 401],
    [{ status: 403, type: 'permission', message: 'm' }, 'permission_error', 403],
    [{ status: 404, type: 'not_found', message: 'm' }, 'not_found_error', 404],
    [{ status: 429, type: 'rate_limit', message: 'm' }, 'rate_limit_error', 429],
    [{ status: 503, type: 'overloaded', message: 'm' }, 'overloaded_error', 529],
    [{ status: 504, type: 'timeout', message: 'm' }, 'api_error', 504],
    [{ status: 502, type: 'upstream', message: 'm' }, 'api_error', 502],
    [{ status: 500, type: 'internal', message: 'm' }, 'api_error', 500],
  ])('%o -> %s (HTTP %i)', (err, wireType, status) => {
    expect(anthropicDialect.encodeError(err)).toEqual({ type: 'error', error: { type: wireType, message: 'm' } });
    expect(anthropicHttpStatus(err)).toBe(status);
  });
});
