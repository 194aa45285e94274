/**
 * Fastify gives every request a child logger bound to its request id. A pino child serialises its
 * bindings when it is made, and almost no request ever logs through it (the gateway's own lines
 * carry `reqId` themselves), so the child is made on the first line written instead.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { Bindings, ChildLoggerOptions } from 'pino';

type Forward = (...args: unknown[]) => void;

export class LazyRequestLogger implements FastifyBaseLogger {
  private made: FastifyBaseLogger | null = null;

  constructor(
    private readonly parent: FastifyBaseLogger,
    private readonly bindings: Bindings,
    private readonly options: ChildLoggerOptions,
  ) {}

  /** The pino child, made now if it was not yet. */
  real(): FastifyBaseLogger {
    return (this.made ??= this.parent.child(this.bindings, this.options));
  }

  get level(): string {
    return this.made ? this.made.level : this.parent.level;
  }

  set level(value: string) {
    this.real().level = value;
  }

  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.real().child(bindings, options);
  }

  info(...args: unknown[]): void {
    (this.real().info as Forward)(...args);
  }

  error(...args: unknown[]): void {
    (this.real().error as Forward)(...args);
  }

  warn(...args: unknown[]): void {
    (this.real().warn as Forward)(...args);
  }

  debug(...args: unknown[]): void {
    (this.real().debug as Forward)(...args);
  }

  trace(...args: unknown[]): void {
    (this.real().trace as Forward)(...args);
  }

  fatal(...args: unknown[]): void {
    (this.real().fatal as Forward)(...args);
  }

  silent(...args: unknown[]): void {
    (this.real().silent as Forward)(...args);
  }
}

export function lazyChildLoggerFactory(logger: FastifyBaseLogger, bindings: Bindings, options: ChildLoggerOptions): FastifyBaseLogger {
  return new LazyRequestLogger(logger, bindings, options);
}
