import type { StatusRow } from '../api-types';

/** A plain aligned table; no colours, so it reads the same in a terminal, a log and CI. */
export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}

const yesNo = (value: boolean) => (value ? 'yes' : 'no');

export function statusTable(rows: StatusRow[]): string {
  return table(
    ['REGION', 'INSTANCE', 'SERVICE', 'VERSION', 'PID', 'PORT', 'URL', 'STATE', 'LIVE', 'READY', 'RESTARTS'],
    rows.map((r) => [
      r.region,
      r.id.slice(r.id.indexOf('/') + 1),
      r.service,
      r.version,
      r.pid === null ? '-' : String(r.pid),
      String(r.port),
      r.url,
      r.state,
      yesNo(r.live),
      yesNo(r.ready),
      String(r.restarts),
    ]),
  );
}
