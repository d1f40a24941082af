import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, resolve } from 'node:path';

/** The machine a figure was measured on, recorded beside it. */
export interface Machine {
  cpu: string;
  cores: number;
  ramGiB: number;
  node: string;
  date: string;
  /** 1-minute load average when the run began: other work on a shared machine shows up here. */
  loadAverage: number;
}

export function machine(): Machine {
  let model = cpus()[0]?.model ?? 'unknown';
  try {
    model = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? model;
  } catch {
    // not Linux: os.cpus() said enough
  }
  return { cpu: model, cores: cpus().length, ramGiB: Math.round(totalmem() / 2 ** 30), node: process.version, date: new Date().toISOString(), loadAverage: loadavg()[0] };
}

export function describeMachine(m: Machine): string {
  return `node ${m.node}, ${m.cpu} ×${m.cores}, ${m.ramGiB} GiB, load ${m.loadAverage.toFixed(2)}`;
}

/** Pads cells into a fixed-width text table (first column left, the rest right-aligned). */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((cell, i) => Math.max(cell.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** Writes `reports/bench/<suite>.json` under the working directory and returns its path. */
export function writeReport(suite: string, report: unknown): string {
  const out = resolve(process.cwd(), `reports/bench/${suite}.json`);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify(report, null, 2) + '\n');
  return out;
}

export const fixed = (value: number | undefined, digits = 0): string => (value === undefined || !Number.isFinite(value) ? '–' : value.toFixed(digits));
export const percent = (value: number | undefined, digits = 0): string => (value === undefined || !Number.isFinite(value) ? '–' : `${(value * 100).toFixed(digits)}%`);

export function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}

/** A value the benchmark put there itself; its absence is a bug in the benchmark, said as such. */
export function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`bench bug: no ${what}`);
  return value;
}
