/** Number, time and money formatting for the console, by locale ("en" or "zh-CN"). */

export interface Formatters {
  int(n: number | null | undefined): string;
  /** 1.2K, 3.4M */
  compact(n: number | null | undefined): string;
  /** 0.125 -> "12.5%" */
  percent(ratio: number | null | undefined, digits?: number): string;
  usd(n: number | null | undefined): string;
  ms(n: number | null | undefined): string;
  dateTime(iso: string | number | null | undefined): string;
  time(iso: string | number | Date): string;
  shortDate(iso: string | number | Date): string;
  /** "3 minutes ago" */
  relative(iso: string | null | undefined): string;
}

const DASH = '—';

export function formatters(locale: string): Formatters {
  const int = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const compact = new Intl.NumberFormat(locale, { notation: 'compact', maximumFractionDigits: 1 });
  const dt = new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });
  const time = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const short = new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric' });
  const rel = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  const toDate = (v: string | number | Date) => (v instanceof Date ? v : new Date(v));
  return {
    int: (n) => (n === null || n === undefined || !Number.isFinite(n) ? DASH : int.format(n)),
    compact: (n) => (n === null || n === undefined || !Number.isFinite(n) ? DASH : Math.abs(n) < 1000 ? int.format(n) : compact.format(n)),
    percent: (r, digits = 1) =>
      r === null || r === undefined || !Number.isFinite(r) ? DASH : `${(r * 100).toFixed(r === 0 ? 0 : digits)}%`,
    usd: (n) => {
      if (n === null || n === undefined || !Number.isFinite(n)) return DASH;
      if (n === 0) return '$0';
      const digits = Math.abs(n) >= 100 ? 2 : Math.abs(n) >= 1 ? 3 : Math.abs(n) >= 0.01 ? 4 : 6;
      return `$${n.toFixed(digits).replace(/(\.\d*?[1-9])0+$|\.0+$/, '$1')}`;
    },
    ms: (n) => {
      if (n === null || n === undefined || !Number.isFinite(n)) return DASH;
      if (n < 1000) return `${Math.round(n)} ms`;
      if (n < 60_000) return `${(n / 1000).toFixed(n < 10_000 ? 2 : 1)} s`;
      return `${(n / 60_000).toFixed(1)} min`;
    },
    dateTime: (v) => (v === null || v === undefined ? DASH : dt.format(toDate(v))),
    time: (v) => time.format(toDate(v)),
    shortDate: (v) => short.format(toDate(v)),
    relative: (v) => {
      if (!v) return DASH;
      const s = Math.round((new Date(v).getTime() - Date.now()) / 1000);
      const a = Math.abs(s);
      if (a < 45) return rel.format(s, 'second');
      if (a < 2700) return rel.format(Math.round(s / 60), 'minute');
      if (a < 79_200) return rel.format(Math.round(s / 3600), 'hour');
      if (a < 2_592_000) return rel.format(Math.round(s / 86_400), 'day');
      if (a < 31_536_000) return rel.format(Math.round(s / 2_592_000), 'month');
      return rel.format(Math.round(s / 31_536_000), 'year');
    },
  };
}
