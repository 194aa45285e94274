/** A provider's state at a glance, from its record and its live figures (/providers/{id}/metrics). */
import type { Provider, ProviderMetrics } from '../api/types.js';
import type { Tone } from '../components/ui.js';
import type { MessageKey } from '../i18n/index.js';

export interface HealthSummary {
  tone: Tone;
  label: MessageKey;
  /** open breakers / upstreams watched */
  openBreakers: number;
  upstreams: number;
  samples: number;
  errors: number;
  /** request-weighted EWMA latency of its upstreams (ms) */
  latencyMs: number | null;
  ttfbMs: number | null;
}

export function summarize(p: Provider, m: ProviderMetrics | undefined): HealthSummary {
  const ups = m?.upstreams ?? [];
  const open = ups.filter((u) => u.breaker.state === 'open').length;
  const samples = ups.reduce((a, u) => a + u.samples, 0);
  const errors = ups.reduce((a, u) => a + u.errors, 0);
  const weighted = (pick: (u: (typeof ups)[number]) => number | null): number | null => {
    let w = 0;
    let s = 0;
    for (const u of ups) {
      const v = pick(u);
      if (v === null) continue;
      const n = Math.max(1, u.samples);
      w += n;
      s += v * n;
    }
    return w > 0 ? Math.round(s / w) : null;
  };
  const base = { openBreakers: open, upstreams: ups.length, samples, errors, latencyMs: weighted((u) => u.latency_ms), ttfbMs: weighted((u) => u.ttfb_ms) };
  if (!p.enabled) return { ...base, tone: 'neutral', label: 'health.disabled' };
  if (p.active_key_count === 0 && p.kind !== 'openai-compatible') return { ...base, tone: 'warning', label: 'health.noKey' };
  if (m?.last_probe && !m.last_probe.ok && samples === 0) return { ...base, tone: 'danger', label: 'health.down' };
  if (ups.length > 0 && open === ups.length) return { ...base, tone: 'danger', label: 'health.down' };
  if (open > 0 || ups.some((u) => u.samples >= 3 && u.health < 0.7)) return { ...base, tone: 'warning', label: 'health.degraded' };
  if (samples > 0 || m?.last_probe?.ok) return { ...base, tone: 'success', label: 'health.healthy' };
  return { ...base, tone: 'info', label: 'health.idle' };
}

export const BREAKER_TONE: Record<string, Tone> = { closed: 'success', open: 'danger', 'half-open': 'warning', half_open: 'warning' };
