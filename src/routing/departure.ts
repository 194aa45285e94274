/**
 * The client's departure, watched without EventTarget machinery: the request path asks "is the
 * client gone?" and registers what to do when it leaves (abort the upstream call). Cheaper than
 * an AbortController per request; an AbortSignal is made only for APIs that need one.
 */
export class Departure {
  private goneFlag = false;
  private listeners: Array<() => void> | null = null;
  private ac: AbortController | null = null;

  get gone(): boolean {
    return this.goneFlag;
  }

  /** The client went away: run every registered action once. */
  leave(): void {
    if (this.goneFlag) return;
    this.goneFlag = true;
    const ls = this.listeners;
    this.listeners = null;
    if (ls) for (const l of ls) l();
    this.ac?.abort();
  }

  /** Run `fn` when the client leaves (at once if it has). Returns a function that cancels it. */
  onLeave(fn: () => void): () => void {
    if (this.goneFlag) {
      fn();
      return noop;
    }
    (this.listeners ??= []).push(fn);
    return () => {
      const ls = this.listeners;
      if (!ls) return;
      const i = ls.indexOf(fn);
      if (i >= 0) ls.splice(i, 1);
    };
  }

  /** An AbortSignal that aborts when the client leaves. */
  signal(): AbortSignal {
    if (!this.ac) {
      this.ac = new AbortController();
      if (this.goneFlag) this.ac.abort();
    }
    return this.ac.signal;
  }
}

function noop(): void {}
