/**
 * The web console in a real headless Chromium (Debian's /usr/bin/chromium driven by
 * playwright-core) against a real gateway and the provider emulator. It walks the path of a new
 * operator: open the gateway's address, sign in with the administrator password the first start
 * printed, add two providers with keys, create a logical model over both and an API key, chat in
 * the playground (streaming), find the request in the log and in the overview chart, revoke the
 * key, switch to Chinese. Screenshots of each main screen go to test-artifacts/console/.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { REPO, ensureConsoleBuilt } from './console-build.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = join(REPO, 'test-artifacts', 'console');
const OPENAI_KEY = 'sk-emu-openai-0123456789abcd';
const ANTHROPIC_KEY = 'sk-ant-emu-9876543210wxyz';
const WAIT = 20_000;

/** Starts the gateway and returns it with what it printed on stderr (the first admin's password). */
async function startCapturingStderr(): Promise<{ gateway: TestGateway; printed: string }> {
  const chunks: string[] = [];
  const original = process.stderr.write;
  process.stderr.write = ((chunk: string | Uint8Array) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  }) as unknown as typeof process.stderr.write;
  try {
    const gateway = await startGateway({ env: { ALLOW_PRIVATE_UPSTREAMS: 'true', LOG_LEVEL: 'warn' } });
    return { gateway, printed: chunks.join('') };
  } finally {
    process.stderr.write = original;
  }
}

describe.skipIf(!existsSync(CHROMIUM))('the web console in a browser', () => {
  let em: Emulator;
  let gw: TestGateway;
  let password: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let token = '';
  const problems: string[] = [];

  const shot = async (name: string, p: Page = page, fullPage = true): Promise<void> => {
    await p.waitForTimeout(350); // let charts measure their width and transitions end
    await p.screenshot({ path: join(SHOTS, `${name}.png`), fullPage });
  };
  const nav = async (label: RegExp): Promise<void> => {
    await page.getByRole('navigation', { name: /Main navigation|主导航/ }).getByRole('link', { name: label }).click();
  };
  const heading = (name: string | RegExp) => page.getByRole('heading', { level: 1, name });

  beforeAll(async () => {
    await ensureConsoleBuilt();
    mkdirSync(SHOTS, { recursive: true });
    em = await startEmulator({ keys: [OPENAI_KEY, ANTHROPIC_KEY], models: { openai: ['*'], anthropic: ['*'], gemini: ['*'], azure: ['*'] } });
    // words arrive one by one, so the test can see the answer grow
    em.script({ model: 'gpt-4o', chunkDelayMs: 120 });
    const started = await startCapturingStderr();
    gw = started.gateway;
    const m = /password:\s+(\S+)/.exec(started.printed);
    if (!m) throw new Error(`the first start printed no administrator password:\n${started.printed}`);
    password = m[1]!;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US', colorScheme: 'light' });
    page = await context.newPage();
    page.setDefaultTimeout(WAIT);
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (msg) => {
      if (msg.type() === 'error' && !/Failed to load resource/.test(msg.text())) problems.push(`console: ${msg.text()}`);
    });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await gw?.close();
    await em?.close();
  });

  it('sends a browser at the root address to the console, which asks to sign in', async () => {
    await page.goto(`${gw.url}/`);
    expect(new URL(page.url()).pathname).toBe('/ui/');
    await heading('Sign in').waitFor();
    await shot('01-sign-in');
  });

  it('signs in with the administrator password printed at the first start', async () => {
    await page.getByLabel('User name or e-mail').fill('admin');
    await page.getByLabel('Password', { exact: true }).fill('not the password');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    // a wrong password is said next to the form, in words
    await page.getByRole('alert').filter({ hasText: /password|credentials/i }).waitFor();
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await heading('Overview').waitFor();
    await page.getByText('Set up your gateway').waitFor();
  });

  it('adds an OpenAI-compatible provider and an Anthropic provider, each with a key, and checks them', async () => {
    await nav(/Providers/);
    await heading('Providers').waitFor();
    await page.getByText('No provider yet').waitFor();
    for (const p of [
      { kind: 'OpenAI-compatible', name: 'Emulated OpenAI', url: `${em.url}/v1`, key: OPENAI_KEY, id: 'emulated-openai' },
      { kind: 'Anthropic', name: 'Emulated Anthropic', url: em.url, key: ANTHROPIC_KEY, id: 'emulated-anthropic' },
    ]) {
      await page.getByRole('button', { name: 'Add provider' }).first().click();
      const dialog = page.getByRole('dialog', { name: 'Add a provider' });
      await dialog.getByText(p.kind, { exact: true }).click();
      await dialog.getByLabel('Name').fill(p.name);
      expect(await dialog.getByLabel('ID').inputValue()).toBe(p.id);
      await dialog.getByLabel(/^Base URL/).fill(p.url);
      await dialog.getByLabel(/^API key/).fill(p.key);
      if (p.id === 'emulated-openai') await shot('02-add-provider');
      await dialog.getByRole('button', { name: 'Add provider' }).click();
      const done = page.getByRole('dialog', { name: `${p.name} is added` });
      await done.getByText('Connection works.').waitFor();
      await done.getByRole('button', { name: 'Done' }).click();
      await page.getByRole('link', { name: p.name }).waitFor();
    }
    await page.getByRole('row', { name: /Emulated Anthropic/ }).waitFor();
    await shot('03-providers');
  });

  it("shows a provider's keys masked and runs a health probe", async () => {
    await page.getByRole('link', { name: 'Emulated OpenAI' }).click();
    await heading('Emulated OpenAI').waitFor();
    await page.getByRole('button', { name: 'Run health check' }).first().click();
    await page.getByRole('status').getByText('Connection works.').waitFor();
    await page.getByRole('tab', { name: /Keys/ }).click();
    await page.getByText('sk-…abcd').waitFor();
    expect(await page.content()).not.toContain(OPENAI_KEY);
    await shot('04-provider-keys');
    await page.getByRole('tab', { name: 'Overview' }).click();
  });

  it('creates a logical model over both providers and shows where the next request would go', async () => {
    await nav(/Logical models/);
    await heading('Logical models').waitFor();
    await page.getByRole('button', { name: 'New logical model' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'New logical model' });
    await dialog.getByLabel('Name').fill('chat');
    const first = dialog.getByRole('group', { name: 'Upstream 1' });
    const second = dialog.getByRole('group', { name: 'Upstream 2' });
    await first.getByLabel('Provider').selectOption('emulated-openai');
    await first.getByLabel('Model').fill('gpt-4o');
    await second.getByLabel('Provider').selectOption('emulated-anthropic');
    await second.getByLabel('Model').fill('claude-sonnet-4-6');
    expect(await second.getByLabel('Priority').inputValue()).toBe('1');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await heading('chat').waitFor();
    const decision = page.locator('.decision');
    await decision.getByText('emulated-openai').waitFor();
    await page.getByRole('row', { name: /emulated-anthropic/ }).waitFor();
    await shot('05-logical-model');
  });

  it('creates an API key and shows the token once, with a copy button', async () => {
    await nav(/API keys/);
    await heading('API keys').waitFor();
    await page.getByRole('button', { name: 'Create API key' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Create an API key' });
    await dialog.getByLabel('Name').fill('e2e app');
    await dialog.getByRole('button', { name: 'Create key' }).click();
    const reveal = page.getByRole('dialog', { name: 'Your new key "e2e app"' });
    token = (await reveal.getByTestId('new-token').textContent())?.trim() ?? '';
    expect(token).toMatch(/^sk-apx-/);
    await reveal.getByRole('button', { name: 'Copy' }).waitFor();
    await shot('06-api-key-created');
    await reveal.getByRole('button', { name: "I've saved it" }).click();
    await page.getByRole('row', { name: /e2e app/ }).waitFor();
    expect(await page.content()).not.toContain(token);
    await shot('07-api-keys');
  });

  it('chats in the playground: the answer streams in and names the provider that answered', async () => {
    await nav(/Playground/);
    await heading('Playground').waitFor();
    const keySelect = page.getByLabel('API key', { exact: true });
    expect(await keySelect.locator('option:checked').textContent()).toContain('e2e app');
    // the key's models load first (a model is proposed when the field is empty)
    await page.getByText(/available with this key/).waitFor();
    const model = page.getByLabel('Model', { exact: true });
    await model.fill('chat');
    await page.getByLabel('Message', { exact: true }).fill('hello there from the console');
    await page.getByLabel('Message', { exact: true }).press('Enter');
    // the reply grows word by word: record what it shows while it streams
    // (a script string: it runs in the page, where the DOM is)
    const seen = (await page.evaluate(`new Promise((resolve) => {
      const texts = [];
      const tick = () => {
        const text = document.querySelector('[data-testid="reply"]')?.textContent ?? '';
        if (text && texts[texts.length - 1] !== text) texts.push(text);
        if (document.querySelector('[data-testid="turn-meta"]')) resolve(texts);
        else setTimeout(tick, 15);
      };
      tick();
    })`)) as string[];
    expect(seen[seen.length - 1]).toBe('Echo: hello there from the console');
    expect(seen.length).toBeGreaterThan(2);
    expect(seen.slice(0, -1).every((s) => 'Echo: hello there from the console'.startsWith(s))).toBe(true);
    await page.getByTestId('answered-by').getByText('emulated-openai').waitFor();
    await page.getByTestId('turn-meta').getByText(/\d+ in · \d+ out/).waitFor();
    await shot('08-playground');
  });

  it('finds the request in the log, with its attempts', async () => {
    await page.getByRole('link', { name: 'Open in request log' }).click();
    const detail = page.getByRole('dialog', { name: 'Request' });
    await detail.getByText('Attempt 1').waitFor();
    await detail.getByRole('link', { name: 'emulated-openai' }).waitFor();
    await shot('09-request-detail');
    await detail.getByRole('button', { name: 'Close' }).click();
    const row = page.getByRole('row', { name: /chat/ }).first();
    await row.getByText('200', { exact: true }).waitFor();
    await row.getByRole('cell', { name: /^emulated-openai/ }).waitFor();
    await shot('10-request-log');
  });

  it('shows the request in the overview charts', async () => {
    await nav(/Overview/);
    await page.getByRole('radio', { name: 'Last hour' }).click();
    const requests = page.locator('.stat').filter({ hasText: 'Requests' }).locator('.stat-value');
    await page.waitForFunction((el) => el?.textContent === '1', await requests.elementHandle());
    const chart = page.getByRole('group', { name: 'Requests over time' });
    expect(await chart.locator('rect').count()).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'emulated-openai' }).first().waitFor(); // the legend names the provider
    await shot('11-overview');
  });

  it('revokes the key, and the gateway refuses it from then on', async () => {
    await nav(/API keys/);
    await page.getByRole('button', { name: 'Revoke e2e app' }).click();
    const confirm = page.getByRole('dialog', { name: 'Revoke e2e app?' });
    await confirm.getByRole('button', { name: 'Revoke' }).click();
    await page.getByText('Revoked e2e app').waitFor();
    await page.getByLabel('Show revoked keys').check();
    await page.getByRole('row', { name: /e2e app/ }).getByText('Revoked').waitFor();
    const res = await fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'chat', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(res.status).toBe(401);
  });

  it('switches to Chinese, and keeps the choice after a reload', async () => {
    await page.getByRole('button', { name: 'Switch language to 简体中文' }).click();
    await page.getByRole('link', { name: '概览' }).waitFor();
    expect(await page.evaluate('document.documentElement.lang')).toBe('zh-CN');
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'API 密钥' }).waitFor();
    await nav(/概览/);
    await page.getByRole('heading', { level: 1, name: '概览' }).waitFor();
    await shot('12-overview-zh');
    await nav(/服务商/);
    await page.getByRole('row', { name: /Emulated OpenAI/ }).waitFor();
    await shot('13-providers-zh');
  });

  it('has a dark theme', async () => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await nav(/概览/);
    await page.getByRole('heading', { level: 1, name: '概览' }).waitFor();
    await shot('14-overview-zh-dark');
    await page.getByRole('button', { name: /English/ }).click();
    // the playground can make its own key: a temporary one, labelled as such
    await nav(/Playground/);
    await heading('Playground').waitFor();
    await page.getByRole('button', { name: 'Create a temporary key' }).click();
    await page.getByText('Created a temporary playground key').waitFor();
    expect(await page.getByLabel('API key', { exact: true }).locator('option:checked').textContent()).toContain('Playground (temporary)');
    await page.getByText(/available with this key/).waitFor();
    await page.getByLabel('Model', { exact: true }).fill('chat');
    await page.getByLabel('Message', { exact: true }).fill('Which provider answers in the dark?');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByTestId('reply').getByText('Echo: Which provider answers in the dark?').waitFor();
    await page.getByTestId('turn-meta').waitFor();
    await shot('15-playground-dark');
    await nav(/Logical models/);
    await page.getByRole('link', { name: /chat/ }).first().click();
    await heading('chat').waitFor();
    await shot('16-logical-model-dark');
    await nav(/Users/);
    await page.getByRole('row', { name: /admin/ }).waitFor();
    await shot('17-users-dark');
  });

  it('works on a phone-sized screen', async () => {
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'en-US', colorScheme: 'light', isMobile: true, hasTouch: true });
    const p = await phone.newPage();
    p.setDefaultTimeout(WAIT);
    await p.goto(`${gw.url}/ui/`);
    await p.getByLabel('User name or e-mail').fill('admin');
    await p.getByLabel('Password', { exact: true }).fill(password);
    await p.getByRole('button', { name: 'Sign in', exact: true }).click();
    await p.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    await shot('18-phone-overview', p, false);
    await p.getByRole('button', { name: 'Menu' }).click();
    await p.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: /Request log/ }).click();
    await p.getByRole('heading', { level: 1, name: 'Request log' }).waitFor();
    await p.getByRole('row', { name: /chat/ }).first().waitFor();
    await shot('19-phone-request-log', p, false);
    await p.goto(`${gw.url}/ui/#/playground`);
    await p.getByRole('heading', { level: 1, name: 'Playground' }).waitFor();
    // a second temporary key replaces the first (one per user)
    await p.getByRole('button', { name: 'Create a temporary key' }).click();
    await p.getByText('Replaced the temporary playground key').waitFor();
    await p.getByText(/available with this key/).waitFor();
    await p.getByLabel('Model', { exact: true }).fill('chat');
    await p.getByLabel('Message', { exact: true }).fill('Hi from a phone');
    await p.getByRole('button', { name: 'Send' }).click();
    await p.getByTestId('turn-meta').waitFor().catch(async (e: unknown) => {
      await p.screenshot({ path: join(SHOTS, 'failure-phone-playground.png'), fullPage: true });
      throw e;
    });
    await shot('20-phone-playground', p, false);
    await phone.close();
  });

  it('ran without script errors or refused content (CSP)', () => {
    expect(problems).toEqual([]);
  });
});
