/**
 * The browser tests need the built console (dist/ui). CI runs `npm run build` before `npm test`;
 * locally the console is built here when dist/ui is missing or older than a file under ui/.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));
export const CONSOLE_DIST = join(REPO, 'dist', 'ui');

function newest(dir: string): number {
  let max = 0;
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const full = join(dir, name);
    const st = statSync(full);
    max = Math.max(max, st.isDirectory() ? newest(full) : st.mtimeMs);
  }
  return max;
}

export function consoleIsStale(): boolean {
  const index = join(CONSOLE_DIST, 'index.html');
  if (!existsSync(index)) return true;
  return newest(join(REPO, 'ui')) > statSync(index).mtimeMs;
}

export async function ensureConsoleBuilt(): Promise<void> {
  if (!consoleIsStale()) return;
  const { build } = await import('vite');
  await build({ configFile: join(REPO, 'ui', 'vite.config.ts'), logLevel: 'warn' });
}
