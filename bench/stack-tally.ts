/**
 * Tallies sampled call stacks (leaf first) into the tables both profile summaries print: time by
 * group, hottest functions by self time, the project's functions and all functions by inclusive
 * time, and who calls the hottest functions.
 */

export interface Frame {
  /** `name  path:line`, unique per function */
  key: string;
  group: string;
  project: boolean;
}

export class StackTally {
  private total = 0;
  private readonly self = new Map<string, number>();
  private readonly groups = new Map<string, number>();
  private readonly inclusive = new Map<string, number>();
  private readonly inclusiveAll = new Map<string, number>();
  private readonly callers = new Map<string, Map<string, number>>();

  /** one sample: its frames leaf first, and its weight (time) */
  add(frames: Frame[], weight: number): void {
    const leaf = frames[0];
    if (!leaf) return;
    this.total += weight;
    bump(this.self, leaf.key, weight);
    bump(this.groups, leaf.group, weight);
    const path: string[] = [];
    for (let i = 1; i < frames.length && path.length < 8; i++) {
      const f = frames[i]!;
      path.push(f.key);
      if (f.project) break;
    }
    let byPath = this.callers.get(leaf.key);
    if (!byPath) this.callers.set(leaf.key, (byPath = new Map()));
    bump(byPath, path.join('\n          < '), weight);
    const seen = new Set<string>();
    for (const f of frames) {
      if (seen.has(f.key)) continue;
      seen.add(f.key);
      bump(this.inclusiveAll, f.key, weight);
      if (f.project) bump(this.inclusive, f.key, weight);
    }
  }

  /** the report; `unit` formats a weight (e.g. as ms), percentages are of everything added */
  render(opts: { top: number; callers: number; unit: (w: number) => string }): string[] {
    const pct = (w: number): string => `${((100 * w) / (this.total || 1)).toFixed(1).padStart(5)}%`;
    const list = (m: Map<string, number>, n: number): string[] =>
      sorted(m)
        .slice(0, n)
        .map(([k, v]) => `${opts.unit(v)} ${pct(v)}  ${k}`);
    const out = [
      'self time by group (package, src/ folder, runtime):',
      ...list(this.groups, 25),
      '',
      `top ${opts.top} functions by self time:`,
      ...list(this.self, opts.top),
      '',
      `top ${opts.top} project functions (src/) by inclusive time:`,
      ...list(this.inclusive, opts.top),
      '',
      `top ${opts.top} functions anywhere by inclusive time:`,
      ...list(this.inclusiveAll, opts.top),
      '',
      `who calls the ${opts.callers} hottest functions (up to the first src/ frame; top 3 paths each):`,
    ];
    for (const [key] of sorted(this.self).slice(0, opts.callers)) {
      out.push(`  ${key}`);
      for (const [p, v] of sorted(this.callers.get(key) ?? new Map<string, number>()).slice(0, 3)) {
        out.push(`    ${opts.unit(v)} < ${p || '(top level)'}`);
      }
    }
    return out;
  }
}

function bump(m: Map<string, number>, key: string, w: number): void {
  m.set(key, (m.get(key) ?? 0) + w);
}

function sorted(m: Map<string, number>): Array<[string, number]> {
  return [...m.entries()].sort((a, b) => b[1] - a[1]);
}
