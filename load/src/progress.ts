import type { Tick } from './engine';

export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

/**
 * The line shown while a run goes: stage, elapsed/total, req/s in the last second, errors and
 * degraded answers so far. Redrawn in place on a terminal; one plain line per tick otherwise
 * (a CI log or a pipe keeps every line).
 */
export class ProgressLine {
  private drawn = false;

  constructor(private readonly stream: ProgressStream) {}

  update(text: string): void {
    if (this.stream.isTTY) {
      this.stream.write(`\r\x1b[2K${text}`);
      this.drawn = true;
    } else {
      this.stream.write(`${text}\n`);
    }
  }

  /** Ends a redrawn line so what follows starts on a line of its own. */
  done(): void {
    if (this.drawn) this.stream.write('\n');
    this.drawn = false;
  }
}

/** `[2/5 ramp-50] 34/100 s  49 req/s  errors 0  degraded 3` */
export function progressText(stage: { index: number; count: number; name: string }, elapsedS: number, totalS: number, tick: Pick<Tick, 'perSecond' | 'errors' | 'degraded'>): string {
  return `[${stage.index}/${stage.count} ${stage.name}] ${elapsedS}/${totalS} s  ${tick.perSecond} req/s  errors ${tick.errors}  degraded ${tick.degraded}`;
}
