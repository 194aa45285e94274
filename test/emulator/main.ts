/**
 * Runs the provider emulator by hand: `npm run emulator -- --port 8787 --keys a,b`.
 * Prints its URL on the first line of stdout; stops on SIGINT / SIGTERM.
 */
import { parseArgs } from 'node:util';
import { startEmulator } from './index.js';

const USAGE = `usage: npm run emulator -- [--port N] [--host H] [--keys k1,k2] [--record-limit N] [--seed N]
  --port          port to listen on (default 0: a free port)
  --host          address to bind (default 127.0.0.1)
  --keys          comma-separated provider keys accepted (default test-key)
  --record-limit  recorded requests kept (default 10000)
  --seed          seed for probability faults`;

function int(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) {
    process.stderr.write(`--${name} must be a non-negative integer\n${USAGE}\n`);
    process.exit(2);
  }
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      keys: { type: 'string' },
      'record-limit': { type: 'string' },
      seed: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const keys = values.keys
    ?.split(',')
    .map((k) => k.trim())
    .filter((k) => k !== '');
  const emulator = await startEmulator({
    port: int('port', values.port),
    host: values.host,
    keys: keys && keys.length > 0 ? keys : undefined,
    recordLimit: int('record-limit', values['record-limit']),
    seed: int('seed', values.seed),
  });
  process.stdout.write(`${emulator.url}\n`);
  process.stderr.write(
    `provider emulator listening at ${emulator.url} (OpenAI /v1, Azure /openai, Anthropic /v1/messages, Gemini /v1beta; control /__emulator)\n`,
  );
  const stop = (): void => {
    emulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((e: unknown) => {
  process.stderr.write(`emulator failed to start: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
