/**
 * Names a code position for the profile summaries: a repo-relative `path:line` (built dist/*.js
 * mapped back to src/*.ts through its source map) and the group it belongs to (a package under
 * node_modules, a src/ folder, node internals).
 */
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
const BUILD_MARK = 'node_modules/.cache/apiproxy-bench/';
const maps = new Map<string, SourceMap | null>();

function sourceMapFor(file: string): SourceMap | null {
  if (maps.has(file)) return maps.get(file) ?? null;
  let map: SourceMap | null = null;
  const mapFile = `${file}.map`;
  if (file.endsWith('.js') && existsSync(mapFile)) {
    try {
      map = new SourceMap(JSON.parse(readFileSync(mapFile, 'utf8')) as ConstructorParameters<typeof SourceMap>[0]);
    } catch {
      map = null;
    }
  }
  maps.set(file, map);
  return map;
}

export interface Located {
  /** `path:line` (1-based line) */
  where: string;
  /** `src/<folder>`, a package name, or `node internals` */
  group: string;
  /** the project's own code (src/) */
  project: boolean;
}

/** `url` as V8 reports it (file URL, absolute path or `node:…`); line and column 0-based. */
export function locate(url: string, line0: number, col0: number): Located {
  if (url.startsWith('node:')) return { where: `${url}:${line0 + 1}`, group: 'node internals', project: false };
  let file = url.startsWith('file://') ? fileURLToPath(url) : url;
  let line = line0 + 1;
  const map = sourceMapFor(file);
  if (map) {
    const entry = map.findEntry(line0, col0) as { originalSource?: string; originalLine?: number };
    if (entry.originalSource && entry.originalLine !== undefined) {
      file = entry.originalSource.startsWith('file://') ? fileURLToPath(entry.originalSource) : resolve(dirname(file), entry.originalSource);
      line = entry.originalLine + 1;
    }
  }
  let rel = relative(REPO_ROOT, file);
  // a bench build of another revision (node_modules/.cache/apiproxy-bench/<rev>/src/…) is the project's code
  const build = rel.indexOf(BUILD_MARK);
  if (build >= 0) {
    const at = rel.indexOf('/src/', build + BUILD_MARK.length);
    if (at >= 0) rel = rel.slice(at + 1);
  }
  const nm = rel.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const parts = rel.slice(nm + 'node_modules/'.length).split('/');
    const group = parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1] ?? ''}` : (parts[0] ?? 'node_modules');
    return { where: `${rel.slice(nm)}:${line}`, group, project: false };
  }
  // a build of another checkout (e.g. .scratch/x/dist -> .scratch/x/src) reads as the project's src/
  const srcAt = rel.lastIndexOf('src/');
  if (srcAt > 0 && rel[srcAt - 1] === '/') rel = rel.slice(srcAt);
  if (rel.startsWith('src/')) return { where: `${rel}:${line}`, group: rel.split('/').slice(0, 2).join('/'), project: true };
  return { where: `${rel}:${line}`, group: rel.startsWith('..') ? 'other' : rel.split('/')[0] ?? 'other', project: false };
}
