/**
 * Writes a rendered stream to the socket with the stream faults applied: delays between frames,
 * an in-band error, a cut or a stall after N content frames. Without delays or faults the whole
 * stream goes out in one write.
 */
import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { InBandError } from './types.js';

export interface Frame {
  data: string;
  /** Carries model output (text, reasoning, tool name or arguments); counted by `afterChunks`. */
  content: boolean;
}

export interface StreamPlan {
  contentType: string;
  frames: Frame[];
  /** The bytes of an in-band error sent after `written` frames (ends the stream). */
  errorFrame(written: number, error: InBandError): string;
}

export interface StreamFaults {
  delayMs: number;
  inBandError?: InBandError;
  cutAfterChunks?: number;
  hangAfterChunks?: number;
}

export type StreamEnd = 'complete' | 'error' | 'cut' | 'hang' | 'closed';

type ActionKind = 'error' | 'cut' | 'hang';

/** Index of the frame before which to act after `n` content frames went out. */
export function actionIndex(frames: Frame[], n: number): number {
  let seen = 0;
  let lastContent = -1;
  for (let i = 0; i < frames.length; i++) {
    if (!frames[i]?.content) continue;
    if (seen === n) return i;
    seen += 1;
    lastContent = i;
  }
  return lastContent >= 0 ? lastContent + 1 : Math.max(0, frames.length - 1);
}

function firstAction(frames: Frame[], f: StreamFaults): { at: number; kind: ActionKind } | null {
  let best: { at: number; kind: ActionKind } | null = null;
  const consider = (n: number | undefined, kind: ActionKind): void => {
    if (n === undefined) return;
    const at = actionIndex(frames, Math.max(0, n));
    if (best === null || at < best.at) best = { at, kind };
  };
  consider(f.inBandError ? (f.inBandError.afterChunks ?? 0) : undefined, 'error');
  consider(f.cutAfterChunks, 'cut');
  consider(f.hangAfterChunks, 'hang');
  return best;
}

/**
 * Destroys the socket once what was written has left (the client sees the connection drop).
 * node:http corks the socket until the next tick, so the check waits for setImmediate; data still
 * queued then is flushed by an empty write whose callback runs after everything before it.
 */
export function cutConnection(res: ServerResponse): void {
  const socket = res.socket;
  if (!socket) return;
  if (!res.headersSent) res.flushHeaders();
  const destroy = (): void => {
    socket.destroy();
  };
  setImmediate(() => {
    if (socket.writableLength === 0) destroy();
    else socket.write('', destroy);
  });
}

export async function writeStream(
  res: ServerResponse,
  headers: Record<string, string>,
  plan: StreamPlan,
  faults: StreamFaults,
  signal: AbortSignal,
): Promise<StreamEnd> {
  const frames = plan.frames;
  res.writeHead(200, { 'content-type': plan.contentType, 'cache-control': 'no-cache', ...headers });
  const action = firstAction(frames, faults);
  if (action === null && faults.delayMs <= 0) {
    let body = '';
    for (const f of frames) body += f.data;
    res.end(body);
    return 'complete';
  }
  for (let i = 0; i <= frames.length; i++) {
    if (action !== null && i === action.at) {
      if (action.kind === 'error' && faults.inBandError) {
        res.end(plan.errorFrame(i, faults.inBandError));
        return 'error';
      }
      if (action.kind === 'cut') {
        cutConnection(res);
        return 'cut';
      }
      if (!res.headersSent) res.flushHeaders();
      return 'hang';
    }
    const frame = frames[i];
    if (frame === undefined) break;
    if (i > 0 && faults.delayMs > 0) {
      try {
        await sleep(faults.delayMs, undefined, { signal });
      } catch {
        return 'closed';
      }
      if (res.destroyed) return 'closed';
    }
    res.write(frame.data);
  }
  res.end();
  return 'complete';
}
