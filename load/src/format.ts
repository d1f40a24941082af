import type { LoadReport, StageReport } from './report';
import type { RouteStats } from './route-stats';
import { type Check, formatRatio } from './thresholds';

/** A plain aligned table; no colours, so it reads the same in a terminal, a log and CI. */
export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}

const counts = (byStatus: Record<string, number>) =>
  Object.entries(byStatus)
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([status, n]) => `${status}×${n}`)
    .join(' ');

const ms = (value: number | undefined) => (value === undefined ? '-' : String(Math.round(value)));

function errorsCell({ errors }: RouteStats): string {
  if (errors.total === 0) return '0';
  const parts = [counts(errors.byStatus), errors.connection ? `conn×${errors.connection}` : '', errors.timeouts ? `timeout×${errors.timeouts}` : ''];
  return `${errors.total} (${parts.filter(Boolean).join(' ')})`;
}

/** One row per route: requests, rate, latency percentiles, errors by kind, degraded answers, statuses. */
export function routeTable(routes: RouteStats[]): string {
  return table(
    ['ROUTE', 'TIER', 'REQS', 'RATE/S', 'PLAN/S', 'P50', 'P90', 'P99', 'MAX', 'ERRORS', 'ERR%', 'DEGRADED', 'STATUSES'],
    routes.map((r) => [
      r.route + (r.bailedOut ? ' (gave up)' : ''),
      String(r.tier),
      String(r.requests),
      String(r.rate),
      String(r.plannedRate),
      ms(r.latencyMs?.p50),
      ms(r.latencyMs?.p90),
      ms(r.latencyMs?.p99),
      ms(r.latencyMs?.max),
      errorsCell(r),
      formatRatio(r.errorRate),
      String(r.degraded),
      counts(r.statuses),
    ]),
  );
}

function stageLine(stage: StageReport): string {
  const rate = Math.round(stage.routes.reduce((sum, r) => sum + r.rate, 0));
  const errors = stage.routes.reduce((sum, r) => sum + r.errors.total, 0);
  const attempts = stage.routes.reduce((sum, r) => sum + r.requests + r.errors.connection + r.errors.timeouts, 0);
  const p99 = Math.max(0, ...stage.routes.filter((r) => r.tier === 1).map((r) => r.latencyMs?.p99 ?? 0));
  const slo = stage.metSlo === undefined ? '' : stage.metSlo ? '  SLO met' : '  SLO missed';
  return `  ${stage.name}: planned ${stage.rate} req/s for ${stage.plannedS} s, got ${rate} req/s; Tier-1 p99 ${Math.round(p99)} ms; errors ${attempts ? formatRatio(errors / attempts) : '-'}${slo}`;
}

function checkLine(check: Check): string {
  const value =
    check.value === null ? 'no answers' : check.threshold?.metric === 'errorRate' ? formatRatio(check.value) : check.threshold ? `${Math.round(check.value)} ms` : String(check.value);
  const where = check.route ? `, slowest: ${check.route}` : '';
  return `  ${check.pass ? 'PASS' : 'FAIL'}  ${check.name}  (${value}${where})`;
}

/** The human summary printed when a run ends. */
export function formatReport(report: LoadReport): string {
  const lines = [
    `${report.scenario}: ${report.verdict}${report.interrupted ? ' (interrupted)' : ''} after ${report.durationS} s against ${report.target}`,
    '',
    routeTable(report.routes),
  ];
  if (report.stages.length > 1) lines.push('', 'stages:', ...report.stages.map(stageLine));
  lines.push('', 'thresholds:', ...report.checks.map(checkLine));
  if (report.knee !== undefined) lines.push('', report.knee ? `knee: ${report.knee.stage} (${report.knee.rate} req/s), the last stage that met the SLO` : 'knee: none, the first stage already missed the SLO');
  return lines.join('\n');
}
