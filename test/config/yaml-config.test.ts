import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfigText } from '../../src/config/yaml-config.js';

const ISSUE_EXAMPLE = `
providers:
  - id: oa                       # slug, unique
    kind: openai                 # openai | openai-compatible | azure-openai | anthropic | gemini
    base_url: https://api.openai.com
    api_keys:
      - {key: "\${OPENAI_API_KEY}", weight: 1, max_qps: 50}
    weight: 1
    retryable_status_codes: [429, 500, 502, 503, 504]
    models: [gpt-4o-mini]        # optional static list; otherwise discovered from the provider
    headers: {}                  # extra upstream headers
    api_version: "2024-10-21"    # azure-openai only
logical_models:
  - id: fast-model
    upstreams:
      - {provider: oa, model: gpt-4o-mini, weight: 1}
api_keys:
  - {name: ci, key: "\${CLIENT_KEY}"}
`;

function errorOf(text: string, env: NodeJS.ProcessEnv = {}): string {
  try {
    parseConfigText(text, 'apiproxy.yaml', env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected the config to be refused');
}

describe('YAML config', () => {
  it('accepts the documented example and interpolates ${ENV}', () => {
    const cfg = parseConfigText(ISSUE_EXAMPLE, 'apiproxy.yaml', { OPENAI_API_KEY: 'sk-test-1234567890', CLIENT_KEY: 'client-key-0123456789' });
    expect(cfg.providers[0]).toMatchObject({
      id: 'oa',
      kind: 'openai',
      api_keys: [{ key: 'sk-test-1234567890', weight: 1, max_qps: 50 }],
      retryable_status_codes: [429, 500, 502, 503, 504],
      models: ['gpt-4o-mini'],
    });
    expect(cfg.logical_models[0]?.upstreams[0]).toEqual({ provider: 'oa', model: 'gpt-4o-mini', weight: 1, priority: 0 });
    expect(cfg.api_keys[0]).toMatchObject({ name: 'ci', key: 'client-key-0123456789' });
  });

  it('names the field whose environment variable is missing', () => {
    expect(errorOf(ISSUE_EXAMPLE, { CLIENT_KEY: 'client-key-0123456789' })).toContain(
      'providers[0].api_keys[0].key: environment variable OPENAI_API_KEY is not set',
    );
  });

  it('supports ${VAR:-default}', () => {
    const cfg = parseConfigText('providers:\n  - {id: x, kind: openai, api_keys: ["${K:-sk-default-key}"]}\n', 'f', {});
    expect(cfg.providers[0]?.api_keys).toEqual(['sk-default-key']);
  });

  it.each([
    ['providers:\n  - {id: x, kind: openia}\n', 'providers[0].kind'],
    ['providers:\n  - {id: X Y, kind: openai}\n', 'providers[0].id'],
    ['providers:\n  - {id: x, kind: openai, weigth: 2}\n', 'providers[0]'],
    ['providers:\n  - {id: x, kind: openai, base_url: ftp://h}\n', 'providers[0].base_url'],
    ['providers:\n  - {id: az, kind: azure-openai, base_url: "https://h"}\n', 'providers[0].api_version'],
    ['providers:\n  - {id: c, kind: openai-compatible}\n', 'providers[0].base_url'],
    ['providers:\n  - {id: x, kind: openai}\n  - {id: x, kind: gemini}\n', 'providers[1].id'],
    ['logical_models:\n  - {id: m, upstreams: [{provider: nope, model: m}]}\n', 'logical_models[0].upstreams[0].provider'],
    ['logical_models:\n  - {id: m, upstreams: []}\n', 'logical_models[0].upstreams'],
    ['api_keys:\n  - {name: ci, key: short}\n', 'api_keys[0].key'],
    ['providers:\n  - {id: x, kind: openai, retryable_status_codes: [200]}\n', 'providers[0].retryable_status_codes[0]'],
  ])('refuses an invalid file, naming the offending field (%#)', (text, path) => {
    expect(errorOf(text)).toContain(`${path}:`);
  });

  it('refuses text that is not YAML', () => {
    expect(errorOf('providers: [\n')).toMatch(/not valid YAML/);
  });
});
