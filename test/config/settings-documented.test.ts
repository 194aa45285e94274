import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SETTING_NAMES, loadSettings } from '../../src/config/settings.js';

const root = new URL('../../', import.meta.url);
const read = (f: string): string => readFileSync(new URL(f, root), 'utf8');

/** `NAME=value` lines of .env.example (comments and blank lines skipped). */
function envExample(): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of read('.env.example').split('\n')) {
    const m = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (m) out.set(m[1]!, m[2]!);
  }
  return out;
}

describe('the documentation of the settings', () => {
  it('names every setting in README.md, README.zh-CN.md and .env.example', () => {
    expect(SETTING_NAMES.length).toBeGreaterThan(40);
    const readme = read('README.md');
    const zh = read('README.zh-CN.md');
    const example = envExample();
    expect(SETTING_NAMES.filter((n) => !readme.includes(`\`${n}\``) && !readme.includes(n))).toEqual([]);
    expect(SETTING_NAMES.filter((n) => !zh.includes(n))).toEqual([]);
    expect(SETTING_NAMES.filter((n) => !example.has(n))).toEqual([]);
    // and .env.example names nothing the gateway does not read
    expect([...example.keys()].filter((n) => !SETTING_NAMES.includes(n))).toEqual([]);
  });

  it('.env.example, copied as it is, starts the gateway on its defaults', () => {
    const env = Object.fromEntries(envExample());
    const fromExample = loadSettings(env, '/tmp/apx-doc-check');
    const fromNothing = loadSettings({}, '/tmp/apx-doc-check');
    expect(fromExample).toEqual(fromNothing);
  });
});
