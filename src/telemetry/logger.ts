/**
 * The process logger (pino, JSON lines on stdout). Credentials are redacted wherever a request
 * or its headers are serialised: Authorization, api-key, x-api-key, x-goog-api-key, cookies, and
 * `key=` in query strings. Times can be shown in LOG_TIMEZONE.
 */
import pino, { type Logger, type LoggerOptions } from 'pino';

export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers["api-key"]',
  'req.headers["x-api-key"]',
  'req.headers["x-goog-api-key"]',
  'req.headers.cookie',
  'headers.authorization',
  'headers["api-key"]',
  'headers["x-api-key"]',
  'headers["x-goog-api-key"]',
];

/** `?key=…` and `&key=…` (and api_key / access_token) replaced by [redacted]. */
export function redactUrl(url: string): string {
  return url.replace(/([?&](?:key|api_key|api-key|access_token)=)[^&#]*/gi, '$1[redacted]');
}

function timestampIn(tz: string): (ms: number) => string {
  const fmt = new Intl.DateTimeFormat('sv-SE', {
    timeZone: tz,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    fractionalSecondDigits: 3,
    hour12: false,
    timeZoneName: 'longOffset',
  });
  // "2026-11-22 00:04:38,945 GMT−05:00" -> "2026-11-22T00:04:38.945-05:00" (ISO 8601: a decimal
  // point and an ASCII minus, which the locale's format does not use)
  return (ms) => {
    const s = fmt.format(new Date(ms)).replace(' ', 'T').replace(',', '.').replace('\u2212', '-');
    const at = s.indexOf(' GMT');
    return `,"time":"${at < 0 ? s : s.slice(0, at) + (s.length > at + 4 ? s.slice(at + 4) : '+00:00')}"`;
  };
}

export interface LoggerSettings {
  level: string;
  timezone?: string | undefined;
  /** a destination stream; default stdout (asynchronous, flushed on exit) */
  destination?: pino.DestinationStream;
}

/** The time field of a line, worked out once per millisecond (many lines share one). */
function perMillisecond(time: (ms: number) => string): () => string {
  let lastMs = -1;
  let last = '';
  return () => {
    const ms = Date.now();
    if (ms !== lastMs) {
      lastMs = ms;
      last = time(ms);
    }
    return last;
  };
}

const isoTime = (ms: number): string => `,"time":"${new Date(ms).toISOString()}"`;

/** Bytes gathered before they are handed to stdout in one write. */
const BATCH_CHARS = 4096;

/**
 * Lines gathered into batches before they reach stdout: sonic-boom measures the bytes of what it
 * holds on every write, which costs more than the line itself when lines arrive one by one, so it
 * is handed whole batches (one write call each, and one syscall) instead.
 */
class BatchedStdout implements pino.DestinationStream {
  private batch = '';
  private readonly out = pino.destination({ dest: 1, sync: false, minLength: BATCH_CHARS });

  write(line: string): void {
    this.batch += line;
    if (this.batch.length >= BATCH_CHARS) this.push();
  }

  private push(): void {
    if (this.batch === '') return;
    const b = this.batch;
    this.batch = '';
    this.out.write(b);
  }

  /** Hand over what is gathered; `cb` once stdout has taken everything. */
  flush(cb?: (err?: Error | null) => void): void {
    this.push();
    try {
      this.out.flush(cb);
    } catch {
      // a write in progress: it takes the rest with it
      cb?.();
    }
  }

  flushSync(): void {
    this.push();
    this.out.flushSync();
  }
}

export function createLogger(s: LoggerSettings): Logger {
  const options: LoggerOptions = {
    level: s.level,
    base: { service: 'apiproxy' },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    serializers: {
      req(req: { method?: string; url?: string; id?: string }) {
        return { id: req.id, method: req.method, url: req.url ? redactUrl(req.url) : req.url };
      },
      err: pino.stdSerializers.err,
    },
    timestamp: perMillisecond(s.timezone ? timestampIn(s.timezone) : isoTime),
  };
  if (s.destination) return pino(options, s.destination);
  // lines are gathered into 4 KiB writes (one syscall per line cost more than the line itself)
  // and flushed at least every 200 ms, so a quiet gateway's last lines still appear promptly
  const dest = new BatchedStdout();
  const timer = setInterval(() => dest.flush(), 200);
  timer.unref();
  return pino(options, dest);
}

/**
 * Flush an asynchronous destination (on shutdown). `done` runs once everything buffered has been
 * written, or after `timeoutMs` at the latest, so a stuck stdout cannot hold the process open.
 */
export function flushLogger(logger: Logger, done?: () => void, timeoutMs = 1000): void {
  let called = false;
  const finish = (): void => {
    if (called) return;
    called = true;
    done?.();
  };
  if (done) setTimeout(finish, timeoutMs).unref();
  try {
    logger.flush(() => finish());
  } catch {
    // a synchronous or test destination has nothing to flush
    finish();
  }
}
