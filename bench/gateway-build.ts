/**
 * Which gateway code a run loads: the working tree's src/ (through tsx, or compiled with tsc
 * into node_modules/.cache/apiproxy-bench/worktree/), dist/, a built cli.js, or a git revision built on the spot
 * into node_modules/.cache/apiproxy-bench/<commit>/ (read-only git: `git archive` of src/, then tsc). A revision makes "side by side with the baseline" one flag:
 * `npm run bench -- --baseline HEAD`.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { REPO_ROOT } from './processes.js';

/**
 * Builds live under node_modules/.cache: inside the repository so the built code finds its
 * packages, yet outside what git, tsc (-p tsconfig.json) and eslint look at.
 */
export const BUILDS = join(REPO_ROOT, 'node_modules/.cache/apiproxy-bench');

export type GatewayEntry = { kind: 'src' } | { kind: 'built'; cli: string; label: string };

function git(args: string[]): string {
  return execFileSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

/** tsc of `srcDir` (a copy or the working tree's src/) into `<dir>/dist`, source maps on */
function compile(dir: string, srcDir: string): string {
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      extends: join(REPO_ROOT, 'tsconfig.json'),
      compilerOptions: {
        rootDir: srcDir,
        outDir: join(dir, 'dist'),
        sourceMap: true,
        declaration: false,
        noEmitOnError: false,
        typeRoots: [join(REPO_ROOT, 'node_modules/@types')],
      },
      include: [srcDir],
    }),
  );
  try {
    execFileSync(process.execPath, [join(REPO_ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(dir, 'tsconfig.json')], { stdio: 'pipe' });
  } catch {
    // type errors still emit JavaScript; only a missing cli.js is fatal
  }
  const cli = join(dir, 'dist/cli.js');
  if (!existsSync(cli)) throw new Error(`compiling ${srcDir} produced no ${cli}`);
  return cli;
}

/** The working tree's src/ compiled afresh into node_modules/.cache/apiproxy-bench/worktree/ (dist/ is left alone). */
function buildWorktree(): GatewayEntry {
  const dir = join(BUILDS, 'worktree');
  process.stdout.write(`compiling the working tree's src/ into ${dir} …\n`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return { kind: 'built', cli: compile(dir, join(REPO_ROOT, 'src')), label: 'working tree (compiled)' };
}

function buildRevision(rev: string): GatewayEntry {
  let sha: string;
  try {
    sha = git(['rev-parse', '--verify', '--short=12', `${rev}^{commit}`]);
  } catch {
    throw new Error(`"${rev}" is neither src, dist, a built cli.js nor a git revision`);
  }
  const dir = join(BUILDS, sha);
  const cli = join(dir, 'dist/cli.js');
  if (existsSync(cli)) return { kind: 'built', cli, label: `${rev} (${sha})` };
  process.stdout.write(`building ${rev} (${sha}) into ${dir} …\n`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const tar = execFileSync('git', ['archive', '--format=tar', sha, 'src'], { cwd: REPO_ROOT, maxBuffer: 1 << 28 });
  execFileSync('tar', ['-x', '-C', dir], { input: tar });
  compile(dir, join(dir, 'src'));
  return { kind: 'built', cli, label: `${rev} (${sha})` };
}

/** `src`, `build`, `dist`, a path to a built cli.js, or a git revision (HEAD, a commit, a branch). */
export function resolveGateway(spec: string): GatewayEntry {
  if (spec === 'src') return { kind: 'src' };
  if (spec === 'build') return buildWorktree();
  if (spec === 'dist') {
    const cli = join(REPO_ROOT, 'dist/cli.js');
    if (!existsSync(cli)) throw new Error(`${cli} does not exist (run \`npm run build\`)`);
    return { kind: 'built', cli, label: 'dist' };
  }
  const path = resolve(spec);
  if (existsSync(path)) return { kind: 'built', cli: path, label: path };
  return buildRevision(spec);
}

export function gatewayLabel(e: GatewayEntry): string {
  return e.kind === 'src' ? 'src (working tree, tsx)' : e.label;
}
