/**
 * The one log line every request gets ("request"), written through the pino logger's own
 * destination with pino's own level, time and bindings, but put together field by field: its
 * fields are always the same, so the generic object walk of `logger.info(obj)` (a third of the
 * gateway's logging cost per request) is not needed. The line is what `logger.info(fields,
 * 'request')` would write. A logger this cannot write to directly (a destination that wants
 * pino's metadata) gets `logger.info`.
 */
import pino, { type Logger } from 'pino';

export interface AccessFields {
  reqId: string;
  route: string;
  key: string | null;
  model: string;
  provider: string | null;
  upstreamModel: string | null;
  status: number;
  ms: number;
  ttfbMs: number | null;
  stream: boolean;
  attempts: number;
  /** present only when the call used tokens */
  tokens?: { in: number; out: number } | undefined;
  partial?: true | undefined;
  estimated?: true | undefined;
  costUsd?: number | undefined;
  error?: string | undefined;
}

const { streamSym, timeSym, chindingsSym, lsCacheSym, needsMetadataGsym } = pino.symbols;

type MetadataStream = pino.DestinationStream & Record<symbol, unknown>;

/** pino's own parts of a logger, read through its exported symbols */
function part<T>(logger: Logger, sym: symbol): T {
  return (logger as unknown as Record<symbol, unknown>)[sym] as T;
}

/** JSON.stringify of a string, without the call for the short plain ones (ids, names, routes). */
function str(s: string): string {
  if (s.length > 64) return JSON.stringify(s);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // what JSON escapes: control characters, quote, backslash, and (unpaired) surrogates
    if (c < 32 || c === 34 || c === 92 || (c >= 0xd800 && c <= 0xdfff)) return JSON.stringify(s);
  }
  return '"' + s + '"';
}
const num = (n: number): string => (Number.isFinite(n) ? String(n) : 'null');
const strOrNull = (s: string | null): string => (s === null ? 'null' : str(s));
const numOrNull = (n: number | null): string => (n === null ? 'null' : num(n));

/** Write the access line at level info (nothing when the level is above info). */
export function writeAccessLine(logger: Logger, f: AccessFields): void {
  if (!logger.isLevelEnabled('info')) return;
  const stream = part<MetadataStream>(logger, streamSym);
  if (stream[needsMetadataGsym] === true) {
    logger.info(f, 'request');
    return;
  }
  let line =
    part<Record<number, string>>(logger, lsCacheSym)[30]! +
    part<() => string>(logger, timeSym).call(logger) +
    part<string>(logger, chindingsSym) +
    ',"reqId":' +
    str(f.reqId) +
    ',"route":' +
    str(f.route) +
    ',"key":' +
    strOrNull(f.key) +
    ',"model":' +
    str(f.model) +
    ',"provider":' +
    strOrNull(f.provider) +
    ',"upstreamModel":' +
    strOrNull(f.upstreamModel) +
    ',"status":' +
    num(f.status) +
    ',"ms":' +
    num(f.ms) +
    ',"ttfbMs":' +
    numOrNull(f.ttfbMs) +
    ',"stream":' +
    (f.stream ? 'true' : 'false') +
    ',"attempts":' +
    num(f.attempts);
  if (f.tokens !== undefined) line += ',"tokens":{"in":' + num(f.tokens.in) + ',"out":' + num(f.tokens.out) + '}';
  if (f.partial !== undefined) line += ',"partial":true';
  if (f.estimated !== undefined) line += ',"estimated":true';
  if (f.costUsd !== undefined) line += ',"costUsd":' + num(f.costUsd);
  if (f.error !== undefined) line += ',"error":' + str(f.error);
  stream.write(line + ',"msg":"request"}\n');
}
