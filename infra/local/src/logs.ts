import { closeSync, fstatSync, mkdirSync, openSync, readSync, writeSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { WORKSPACE_ROOT } from './topology';

/**
 * Opens a log for appending and writes a marker line, so a log that spans several restarts
 * shows where each run began. The caller hands the fd to the child and closes its own copy.
 */
export function openLog(file: string, marker: string): number {
  mkdirSync(dirname(file), { recursive: true });
  const fd = openSync(file, 'a');
  writeSync(fd, `--- [keel-stack] ${new Date().toISOString()} ${marker}\n`);
  return fd;
}

/** The last `lines` lines of a log (reading at most `maxBytes` from its end); '' if none. */
export function tailLog(file: string, lines = 20, maxBytes = 16_384): string {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const size = fstatSync(fd).size;
    const length = Math.min(size, maxBytes);
    const buffer = Buffer.alloc(length);
    readSync(fd, buffer, 0, length, size - length);
    return buffer.toString('utf8').split('\n').filter((line) => line.length > 0).slice(-lines).join('\n');
  } catch {
    return '';
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** A message that ends with the log's tail, indented, so an error explains itself. */
export function withLogTail(message: string, file: string, lines = 20): string {
  const tail = tailLog(file, lines);
  const where = relative(WORKSPACE_ROOT, file).startsWith('..') ? file : relative(WORKSPACE_ROOT, file);
  if (!tail) return `${message} (log ${where} is empty)`;
  return `${message}\n  last lines of ${where}:\n${tail.split('\n').map((line) => `    ${line}`).join('\n')}`;
}
