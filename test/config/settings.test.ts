import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSettings, readDotEnv, SettingsError } from '../../src/config/settings.js';

const cwd = mkdtempSync(join(tmpdir(), 'apiproxy-settings-'));

describe('settings', () => {
  it('has working defaults: 0.0.0.0:8000, SQLite under ./data, in-process state', () => {
    const s = loadSettings({}, cwd);
    expect(s.host).toBe('0.0.0.0');
    expect(s.port).toBe(8000);
    expect(s.dataDir).toBe(join(cwd, 'data'));
    expect(s.databaseUrl).toBe(`sqlite:${join(cwd, 'data', 'apiproxy.db')}`);
    expect(s.redisUrl).toBeUndefined();
    expect(s.modelsCacheTtlSeconds).toBe(300);
    expect(s.autoApplyMigrations).toBe(true);
    expect(s.mask.enabled).toBe(false);
    expect(s.configFile).toBeUndefined();
  });

  it.each([
    ['PORT', 'eighty', /PORT: expected a whole number/],
    ['PORT', '70000', /PORT: expected a number from 0 to 65535/],
    ['REDIS_URL', 'localhost:6379', /REDIS_URL: expected a URL/],
    ['DATABASE_URL', 'mysql://x', /DATABASE_URL: expected postgres/],
    ['LOG_LEVEL', 'loud', /LOG_LEVEL/],
    ['MASK_AS_BROWSER', 'maybe', /MASK_AS_BROWSER: expected true or false/],
    ['AUTO_APPLY_DB_MIGRATIONS', 'perhaps', /AUTO_APPLY_DB_MIGRATIONS/],
    ['LOG_TIMEZONE', 'Mars/Olympus', /LOG_TIMEZONE: expected an IANA time zone/],
    ['SECRET_KEY', 'short', /SECRET_KEY: must be at least 16 characters/],
    ['MODELS_CACHE_TTL', '-1', /MODELS_CACHE_TTL/],
  ])('refuses %s=%s with a message naming the variable', (name, value, message) => {
    expect(() => loadSettings({ [name]: value }, cwd)).toThrow(SettingsError);
    expect(() => loadSettings({ [name]: value }, cwd)).toThrow(message);
  });

  it('selects PostgreSQL for a postgres:// DATABASE_URL and a file for sqlite:', () => {
    expect(loadSettings({ DATABASE_URL: 'postgres://u:p@h:5432/db' }, cwd).databaseUrl).toBe('postgres://u:p@h:5432/db');
    expect(loadSettings({ DATABASE_URL: 'sqlite:./x/y.db' }, cwd).databaseUrl).toBe(`sqlite:${join(cwd, 'x', 'y.db')}`);
  });

  it('treats empty values as unset', () => {
    expect(loadSettings({ REDIS_URL: '', PORT: '' }, cwd).port).toBe(8000);
  });

  it('requires the three UPSTREAM_* variables together (quick mode)', () => {
    expect(() => loadSettings({ UPSTREAM_KIND: 'openai' }, cwd)).toThrow(/UPSTREAM_BASE_URL, UPSTREAM_API_KEY: required/);
    const s = loadSettings(
      { UPSTREAM_KIND: 'openai-compatible', UPSTREAM_BASE_URL: 'http://127.0.0.1:11434/v1', UPSTREAM_API_KEY: 'k', UPSTREAM_MODEL: 'llama3' },
      cwd,
    );
    expect(s.quickUpstream).toEqual({ kind: 'openai-compatible', baseUrl: 'http://127.0.0.1:11434/v1', apiKey: 'k', model: 'llama3' });
    expect(() =>
      loadSettings({ UPSTREAM_KIND: 'azure-openai', UPSTREAM_BASE_URL: 'https://x.openai.azure.com', UPSTREAM_API_KEY: 'k' }, cwd),
    ).toThrow(/UPSTREAM_API_VERSION/);
  });

  it('reads .env without overriding the real environment, and finds ./apiproxy.yaml', () => {
    const dir = mkdtempSync(join(tmpdir(), 'apiproxy-dotenv-'));
    writeFileSync(join(dir, '.env'), 'PORT=9001\nLOG_LEVEL=debug\n# comment\nMODELS_CACHE_TTL=60\n');
    writeFileSync(join(dir, 'apiproxy.yaml'), 'providers: []\n');
    const env = readDotEnv(dir, { LOG_LEVEL: 'warn' });
    const s = loadSettings(env, dir);
    expect(s.port).toBe(9001);
    expect(s.logLevel).toBe('warn');
    expect(s.modelsCacheTtlSeconds).toBe(60);
    expect(s.configFile).toBe(join(dir, 'apiproxy.yaml'));
    expect(s.configFileExplicit).toBe(false);
  });
});
