import { formatCents, type AuditReport, type InvariantResult } from './model';

const MONEY = /Cents$/;

function figures(result: InvariantResult): string {
  return Object.entries(result.figures)
    .map(([name, value]) => (MONEY.test(name) ? `${name.replace(MONEY, '')} ${formatCents(value)}` : `${name} ${value}`))
    .join(', ');
}

/** The human report: one row per invariant, then every violation on its own line. */
export function formatReport(report: AuditReport): string {
  const rows = [['invariant', 'checked', 'violations', 'figures'], ...report.invariants.map((r) => [r.name, String(r.checked), String(r.violations.length), figures(r)])];
  const widths = [0, 1, 2].map((column) => Math.max(...rows.map((row) => row[column].length)));
  const line = (row: string[]) => [row[0].padEnd(widths[0]), row[1].padStart(widths[1]), row[2].padStart(widths[2]), row[3]].join('  ');
  const lines = [
    `audit of ${report.regions.join(' + ')} and ${report.providers.join(' + ')} at ${report.takenAt} (in flight: pending < ${report.inFlightMs} ms)`,
    '',
    ...rows.map(line),
    '',
  ];
  if (report.ok) return [...lines, 'OK: every invariant holds'].join('\n');
  return [...lines, `FAILED: ${report.violations.length} violation(s)`, ...report.violations.map((v) => `  [${v.invariant}] ${v.message}`)].join('\n');
}
