// @vitest-environment happy-dom
/** The hash router's parsing and matching. */
import { describe, expect, it } from 'vitest';
import { href, matchPath, parseHash } from '../src/app/router.js';

describe('hash router', () => {
  it('reads the path and the query of the hash', () => {
    const l = parseHash('#/providers/openai?tab=keys');
    expect(l.path).toBe('/providers/openai');
    expect(l.query.get('tab')).toBe('keys');
    expect(parseHash('').path).toBe('/');
  });

  it('matches parameters, decoding ids that contain "/"', () => {
    expect(matchPath('/models/:id', '/models/team%2Fchat')).toEqual({ id: 'team/chat' });
    expect(matchPath('/models/:id', '/models')).toBeNull();
    expect(matchPath('/logs', '/logs')).toEqual({});
  });

  it('builds links without empty query values', () => {
    expect(href('/logs', { model: 'chat', status: '', key_id: null })).toBe('#/logs?model=chat');
  });
});
