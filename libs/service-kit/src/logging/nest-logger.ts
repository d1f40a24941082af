import type { LoggerService } from '@nestjs/common';
import type { ServiceLogger } from './service-logger';

type Level = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

/**
 * Nest's `Logger` (what apps and libraries call) written through the service's pino logger.
 * The last extra argument is Nest's context (the class name) and becomes the `context` field; an
 * object message becomes fields of the line, an Error its `err`.
 */
export class NestPinoLogger implements LoggerService {
  constructor(readonly pino: ServiceLogger) {}

  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('trace', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }
  log(message: unknown, ...rest: unknown[]): void {
    this.write('info', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.write('fatal', message, rest);
  }

  private write(level: Level, message: unknown, rest: unknown[]): void {
    // Checked first: a line below the level must cost nothing but this comparison.
    if (!this.pino.isLevelEnabled(level)) return;
    const fields: Record<string, unknown> = {};
    const params = rest.slice(0, -1);
    if (rest.length > 0) fields.context = rest[rest.length - 1];
    if (message instanceof Error) {
      fields.err = message;
      this.pino[level](fields, ...(params as []));
    } else if (typeof message === 'object' && message !== null) {
      this.pino[level](Object.assign(fields, message), ...(params as []));
    } else if (level === 'error' && params.length === 1 && typeof params[0] === 'string' && /\n\s+at /.test(params[0])) {
      // Nest's own exception handlers call error(message, stack, context): keep the stack as `err`.
      const err = new Error(String(message));
      err.stack = params[0];
      this.pino.error(Object.assign(fields, { err }));
    } else {
      this.pino[level](fields, String(message), ...(params as []));
    }
  }
}
