import { parseArgs } from 'node:util';
import { AuditError } from './audit-error';
import { formatReport } from './format';
import { DEFAULT_IN_FLIGHT_MS, DEFAULT_PAYMENT_PENDING_MS } from './model';
import { runAudit } from './run-audit';

const USAGE = `usage: npm run audit -- [--json] [--in-flight-ms <ms>] [--payment-pending-ms <ms>] [--data-dir <dir>] [--timeout-ms <ms>]

Reconciles the running local stack: both regions' checkout and catalog, both payment providers, the carrier.
  1 orders-settled   every accepted order is confirmed or failed (compensations done), or still in flight;
                     needs-attention orders are named (docs/runbooks/dead-letter-queue.md)
  2 single-capture   at most one capture per idempotency key and per order, across both providers
  3 money-conserved  captures - refunds = value of confirmed orders, order by order
  4 stock-conserved  per product across regions: available + reserved + in transit = seeded
  5 shipments-match  one live shipment per confirmed order, none for any other order

  --json             print the report as JSON (for machines)
  --in-flight-ms     how young a pending (or compensating) order must be to count as in flight (default ${DEFAULT_IN_FLIGHT_MS})
  --payment-pending-ms  the same for a payment-pending order (default ${DEFAULT_PAYMENT_PENDING_MS})
  --data-dir         the stack's data dir (default KEEL_STACK_DATA_DIR, else the config's)
  --timeout-ms       per admin request (default 5000)

exit 0 every invariant holds, 1 violations (each named), 2 could not audit (a service unreachable, no stack)`;

function positive(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed <= 0) throw new AuditError(`--${name} must be a positive integer, got ${value}`);
  return parsed;
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      help: { type: 'boolean', short: 'h' },
      json: { type: 'boolean' },
      'in-flight-ms': { type: 'string' },
      'payment-pending-ms': { type: 'string' },
      'data-dir': { type: 'string' },
      'timeout-ms': { type: 'string' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const report = await runAudit({
    dataDir: values['data-dir'],
    inFlightMs: positive('in-flight-ms', values['in-flight-ms'], DEFAULT_IN_FLIGHT_MS),
    paymentPendingMs: positive('payment-pending-ms', values['payment-pending-ms'], DEFAULT_PAYMENT_PENDING_MS),
    timeoutMs: positive('timeout-ms', values['timeout-ms'], 5_000),
  });
  console.log(values.json ? JSON.stringify(report, null, 2) : formatReport(report));
  return report.ok ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    // Could not look: say which service and why, never a stack trace.
    if (error instanceof AuditError && error.lines.length > 1) {
      console.error(`audit: cannot read ${error.lines.length} services:\n${error.lines.map((line) => `  ${line}`).join('\n')}`);
    } else if (error instanceof AuditError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`audit: ${(error as Error).message}`);
    } else {
      console.error(`audit: unexpected error: ${String(error)}`);
    }
    process.exitCode = 2;
  },
);
