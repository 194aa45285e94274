/**
 * A time chart drawn as inline SVG: lines, areas, or stacked bars, with gridlines, axis labels,
 * a legend that hides and shows series, and a crosshair with a tooltip that follows the pointer
 * or the arrow keys (the chart is focusable). A visually hidden table carries the same figures
 * for screen readers.
 */
import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent, type PointerEvent, type ReactNode, type RefObject } from 'react';
import { labelIndices, monotonePath, niceTicks, segments } from './scale.js';

export interface ChartSeries {
  key: string;
  label: string;
  values: Array<number | null>;
  /** a CSS color; default: the palette by position */
  color?: string;
  dashed?: boolean;
}

export type ChartKind = 'line' | 'area' | 'stacked';

export interface TimeChartProps {
  x: Date[];
  series: ChartSeries[];
  kind?: ChartKind;
  height?: number;
  /** accessible name */
  label: string;
  yFormat(n: number): string;
  xFormat(d: Date): string;
  /** the tooltip's title for a point */
  xTitle?(d: Date): string;
  /** shown over the plot when there is nothing to draw */
  empty?: ReactNode;
  /** default: when there is more than one series */
  legend?: boolean;
  /** counts: ticks on whole numbers */
  integer?: boolean;
}

export const PALETTE = ['var(--chart-1)', 'var(--chart-2)', 'var(--chart-3)', 'var(--chart-4)', 'var(--chart-5)', 'var(--chart-6)', 'var(--chart-7)', 'var(--chart-8)'];

export function colorOf(s: ChartSeries, i: number): string {
  return s.color ?? PALETTE[i % PALETTE.length]!;
}

function useWidth(): [RefObject<HTMLDivElement | null>, number] {
  const ref = useRef<HTMLDivElement>(null);
  const [w, setW] = useState(640);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => {
      const width = el.getBoundingClientRect().width;
      if (width > 0) setW(Math.round(width));
    };
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  return [ref, w];
}

const PAD = { top: 12, right: 12, bottom: 26, left: 52 };

export function TimeChart({ x, series, kind = 'line', height = 220, label, yFormat, xFormat, xTitle, empty, legend, integer = false }: TimeChartProps) {
  const [wrapRef, width] = useWidth();
  const [hidden, setHidden] = useState<Set<string>>(new Set());
  const [hover, setHover] = useState<number | null>(null);
  const gid = useId().replace(/:/g, '');
  const visible = series.map((s, i) => ({ s, i })).filter(({ s }) => !hidden.has(s.key));
  const n = x.length;
  const plotW = Math.max(10, width - PAD.left - PAD.right);
  const plotH = Math.max(10, height - PAD.top - PAD.bottom);

  const { stacks, maxY } = useMemo(() => {
    if (kind === 'stacked') {
      const base = new Array<number>(n).fill(0);
      const st = visible.map(({ s }) =>
        s.values.map((v, j) => {
          const y0 = base[j]!;
          base[j] = y0 + (v ?? 0);
          return [y0, base[j]!] as const;
        }),
      );
      return { stacks: st, maxY: Math.max(0, ...base) };
    }
    let m = 0;
    for (const { s } of visible) for (const v of s.values) if (v !== null && Number.isFinite(v) && v > m) m = v;
    return { stacks: [], maxY: m };
  }, [visible, kind, n]);

  const blank = !(maxY > 0);
  const { ticks, top } = niceTicks(blank ? (integer ? 4 : 1) : maxY, height < 160 ? 2 : 4, 0, integer);
  const xAt = (i: number): number => {
    if (kind === 'stacked') return PAD.left + (plotW * (i + 0.5)) / Math.max(1, n);
    return PAD.left + (n <= 1 ? plotW / 2 : (plotW * i) / (n - 1));
  };
  const yAt = (v: number): number => PAD.top + plotH - (plotH * v) / top;
  const barW = kind === 'stacked' ? Math.max(2, Math.min(36, (plotW / Math.max(1, n)) * 0.62)) : 0;
  const labels = labelIndices(n, Math.max(2, Math.floor(plotW / 84)));

  const pick = (clientX: number, rect: DOMRect): number => {
    const px = clientX - rect.left;
    if (n <= 1) return 0;
    const i = kind === 'stacked' ? Math.floor(((px - PAD.left) / plotW) * n) : Math.round(((px - PAD.left) / plotW) * (n - 1));
    return Math.max(0, Math.min(n - 1, i));
  };

  const onMove = (e: PointerEvent<SVGSVGElement>) => setHover(pick(e.clientX, e.currentTarget.getBoundingClientRect()));
  const onKey = (e: KeyboardEvent<HTMLDivElement>) => {
    if (n === 0) return;
    if (e.key === 'ArrowRight') setHover((h) => Math.min(n - 1, (h ?? -1) + 1));
    else if (e.key === 'ArrowLeft') setHover((h) => Math.max(0, (h ?? n) - 1));
    else if (e.key === 'Home') setHover(0);
    else if (e.key === 'End') setHover(n - 1);
    else if (e.key === 'Escape') setHover(null);
    else return;
    e.preventDefault();
  };

  const tipLeft = hover !== null ? xAt(hover) : 0;
  const tipOnLeft = tipLeft > width * 0.6;

  return (
    <div className="chart">
      <div
        className="chart-plot"
        ref={wrapRef}
        tabIndex={0}
        role="group"
        aria-label={label}
        onKeyDown={onKey}
        onBlur={() => setHover(null)}
      >
        <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} onPointerMove={onMove} onPointerLeave={() => setHover(null)} aria-hidden="true">
          <defs>
            {visible.map(({ s, i }) => (
              <linearGradient key={s.key} id={`${gid}-g${i}`} x1="0" x2="0" y1="0" y2="1">
                <stop offset="0%" style={{ stopColor: colorOf(s, i), stopOpacity: 0.28 }} />
                <stop offset="100%" style={{ stopColor: colorOf(s, i), stopOpacity: 0.02 }} />
              </linearGradient>
            ))}
          </defs>
          {ticks.map((tv) => (
            <g key={tv}>
              <line className="chart-grid" x1={PAD.left} x2={PAD.left + plotW} y1={yAt(tv)} y2={yAt(tv)} />
              {blank && tv !== 0 ? null : (
                <text className="chart-axis" x={PAD.left - 8} y={yAt(tv)} dy="0.32em" textAnchor="end">
                  {yFormat(tv)}
                </text>
              )}
            </g>
          ))}
          {labels.map((i) => (
            <text key={i} className="chart-axis" x={xAt(i)} y={height - 6} textAnchor={i === 0 && kind !== 'stacked' ? 'start' : i === n - 1 && kind !== 'stacked' ? 'end' : 'middle'}>
              {xFormat(x[i]!)}
            </text>
          ))}
          {kind === 'stacked'
            ? visible.map(({ s, i }, vi) =>
                stacks[vi]!.map(([y0, y1], j) =>
                  y1 > y0 ? (
                    <rect
                      key={`${s.key}-${j}`}
                      x={xAt(j) - barW / 2}
                      y={yAt(y1)}
                      width={barW}
                      height={Math.max(1, yAt(y0) - yAt(y1))}
                      rx={vi === visible.length - 1 || stacks.slice(vi + 1).every((st) => st[j]![1] === st[j]![0]) ? Math.min(3, barW / 3) : 0}
                      style={{ fill: colorOf(s, i), opacity: hover === null || hover === j ? 1 : 0.55 }}
                    />
                  ) : null,
                ),
              )
            : visible.map(({ s, i }) =>
                segments(s.values).map((seg, k) => {
                  const pts = seg.map(({ i: j, v }) => ({ x: xAt(j), y: yAt(v) }));
                  const d = monotonePath(pts);
                  const area = kind === 'area' && pts.length > 1 ? `${d}L${pts[pts.length - 1]!.x},${yAt(0)}L${pts[0]!.x},${yAt(0)}Z` : null;
                  return (
                    <g key={`${s.key}-${k}`}>
                      {area ? <path d={area} style={{ fill: `url(#${gid}-g${i})` }} /> : null}
                      <path
                        d={d}
                        className="chart-line"
                        style={{ stroke: colorOf(s, i), strokeDasharray: s.dashed ? '5 4' : undefined }}
                      />
                      {pts.length === 1 ? <circle cx={pts[0]!.x} cy={pts[0]!.y} r={3} style={{ fill: colorOf(s, i) }} /> : null}
                    </g>
                  );
                }),
              )}
          {hover !== null && n > 0 ? (
            <g>
              <line className="chart-cursor" x1={xAt(hover)} x2={xAt(hover)} y1={PAD.top} y2={PAD.top + plotH} />
              {kind !== 'stacked'
                ? visible.map(({ s, i }) => {
                    const v = s.values[hover];
                    return v !== null && v !== undefined ? (
                      <circle key={s.key} cx={xAt(hover)} cy={yAt(v)} r={4} className="chart-dot" style={{ stroke: colorOf(s, i) }} />
                    ) : null;
                  })
                : null}
            </g>
          ) : null}
        </svg>
        {hover !== null && n > 0 ? (
          <div
            className="chart-tip"
            style={tipOnLeft ? { right: width - tipLeft + 10, top: PAD.top } : { left: tipLeft + 10, top: PAD.top }}
            aria-live="polite"
          >
            <div className="chart-tip-title">{(xTitle ?? xFormat)(x[hover]!)}</div>
            {visible
              .slice()
              .reverse()
              .map(({ s, i }) => (
                <div key={s.key} className="chart-tip-row">
                  <span className="swatch" style={{ background: colorOf(s, i) }} />
                  <span className="chart-tip-label">{s.label}</span>
                  <span className="chart-tip-value">{s.values[hover] === null || s.values[hover] === undefined ? '—' : yFormat(s.values[hover]!)}</span>
                </div>
              ))}
          </div>
        ) : null}
        {empty ? <div className="chart-empty">{empty}</div> : null}
      </div>
      {(legend ?? series.length > 1) && series.length > 0 ? (
        <div className="chart-legend">
          {series.map((s, i) => (
            <button
              key={s.key}
              type="button"
              className={`legend-item ${hidden.has(s.key) ? 'off' : ''}`}
              aria-pressed={!hidden.has(s.key)}
              onClick={() =>
                setHidden((h) => {
                  const nx = new Set(h);
                  if (nx.has(s.key)) nx.delete(s.key);
                  else if (series.length - nx.size > 1) nx.add(s.key);
                  return nx;
                })
              }
            >
              <span className={`swatch ${s.dashed ? 'dashed' : ''}`} style={{ background: colorOf(s, i) }} />
              {s.label}
            </button>
          ))}
        </div>
      ) : null}
      <table className="sr-only">
        <caption>{label}</caption>
        <thead>
          <tr>
            <th scope="col">—</th>
            {series.map((s) => (
              <th key={s.key} scope="col">
                {s.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {x.map((d, j) => (
            <tr key={j}>
              <th scope="row">{(xTitle ?? xFormat)(d)}</th>
              {series.map((s) => (
                <td key={s.key}>{s.values[j] === null || s.values[j] === undefined ? '—' : yFormat(s.values[j]!)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A small trend line for stat tiles. */
export function Sparkline({ values, color = 'var(--accent)', label }: { values: Array<number | null>; color?: string; label?: string }) {
  const w = 120;
  const h = 32;
  const gid = useId().replace(/:/g, '');
  const nums = values.map((v) => (v === null || !Number.isFinite(v) ? 0 : v));
  const max = Math.max(...nums, 0);
  if (nums.length < 2) return null;
  const pts = nums.map((v, i) => ({ x: (w * i) / (nums.length - 1), y: h - 2 - (max > 0 ? ((h - 4) * v) / max : 0) }));
  const d = monotonePath(pts);
  return (
    <svg className="sparkline" viewBox={`0 0 ${w} ${h}`} preserveAspectRatio="none" role={label ? 'img' : undefined} aria-label={label} aria-hidden={label ? undefined : true}>
      <defs>
        <linearGradient id={`${gid}-s`} x1="0" x2="0" y1="0" y2="1">
          <stop offset="0%" style={{ stopColor: color, stopOpacity: 0.25 }} />
          <stop offset="100%" style={{ stopColor: color, stopOpacity: 0 }} />
        </linearGradient>
      </defs>
      <path d={`${d}L${w},${h}L0,${h}Z`} style={{ fill: `url(#${gid}-s)` }} />
      <path d={d} style={{ stroke: color, fill: 'none', strokeWidth: 1.6, vectorEffect: 'non-scaling-stroke' }} />
    </svg>
  );
}

/** Horizontal bars for a ranking (top models, top keys). */
export function BarList({ items, format, label }: { items: Array<{ key: string; label: ReactNode; value: number; note?: ReactNode; color?: string }>; format(n: number): string; label: string }) {
  const max = Math.max(...items.map((x) => x.value), 0);
  return (
    <ul className="barlist" aria-label={label}>
      {items.map((it, i) => (
        <li key={it.key}>
          <div className="barlist-text">
            <span className="barlist-label">{it.label}</span>
            <span className="barlist-value">
              {format(it.value)}
              {it.note ? <span className="muted"> · {it.note}</span> : null}
            </span>
          </div>
          <div className="barlist-track" aria-hidden="true">
            <div className="barlist-fill" style={{ width: `${max > 0 ? Math.max(1.5, (100 * it.value) / max) : 0}%`, background: it.color ?? PALETTE[i % PALETTE.length] }} />
          </div>
        </li>
      ))}
    </ul>
  );
}
