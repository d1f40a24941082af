/**
 * Region fail-over under load (a benchmark, not a test): the real local stack, steady GET traffic
 * through edge (:8080), then every us-east process SIGKILLed at once. Reports how long until at
 * least 99% of requests succeed again and how many failed in between, for GETs (edge retries
 * those elsewhere) and for keyed checkouts (which edge may only retry when the first region
 * certainly did nothing). Writes reports/bench/failover.json.
 *
 *   node -r @swc-node/register bench/failover.bench.ts [--quick]
 *
 * Needs the stack's ports free: it starts its own stack on a temporary data dir and stops it.
 */
import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import { describeMachine, machine, table, writeReport } from './support/report';
import { upStack } from './stack/local-stack';

const quick = process.argv.includes('--quick');
const EDGE = 'http://127.0.0.1:8080';
const GET_RATE = quick ? 60 : 100;
const CHECKOUT_RATE = 2;
const KILL_AFTER_S = quick ? 6 : 10;
const RUN_S = quick ? 20 : 30;
/** Outcomes are bucketed this finely to find when the success ratio recovered. */
const BUCKET_MS = 100;

interface Outcome {
  at: number;
  ok: boolean;
  /** The HTTP status, or 0 for no answer (connection error, timeout). */
  status: number;
}

/** One open-loop autocannon run that records when each answer (or error) came and whether it was a success. */
function traffic(rate: number, seconds: number, request: autocannon.Request, isOk: (status: number) => boolean) {
  const outcomes: Outcome[] = [];
  let instance!: autocannon.Instance;
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    instance = autocannon({ url: EDGE, connections: 16, overallRate: rate, duration: seconds, timeout: 5, requests: [request] }, (error, result) => (error ? reject(error) : resolve(result)));
  });
  instance.on('response', (_client: unknown, status: number) => outcomes.push({ at: Date.now(), ok: isOk(status), status }));
  instance.on('reqError', () => outcomes.push({ at: Date.now(), ok: false, status: 0 }));
  return { outcomes, done };
}

/** From the kill: when the last 100 ms bucket under 99% success ended (0 when none was), and how many failed. */
function recovery(outcomes: Outcome[], killAt: number) {
  const after = outcomes.filter((o) => o.at >= killAt);
  const buckets = new Map<number, { ok: number; all: number }>();
  for (const o of after) {
    const b = Math.floor((o.at - killAt) / BUCKET_MS);
    const bucket = buckets.get(b) ?? { ok: 0, all: 0 };
    bucket.all++;
    if (o.ok) bucket.ok++;
    buckets.set(b, bucket);
  }
  const bad = [...buckets.entries()].filter(([, b]) => b.ok / b.all < 0.99).map(([b]) => b);
  const failures: Record<string, number> = {};
  for (const o of outcomes.filter((x) => !x.ok)) {
    const key = `${o.at < killAt ? 'before' : 'after'} ${o.status || 'no answer'}`;
    failures[key] = (failures[key] ?? 0) + 1;
  }
  return {
    failures,
    recoveredAfterMs: bad.length ? (Math.max(...bad) + 1) * BUCKET_MS : 0,
    failed: after.filter((o) => !o.ok).length,
    total: after.length,
    failedBefore: outcomes.filter((o) => o.at < killAt && !o.ok).length,
  };
}

async function main(): Promise<void> {
  const where = machine();
  console.log(`failover bench: ${describeMachine(where)}${quick ? ' (quick)' : ''}`);
  console.log('starting the stack (about a minute)…');
  const stack = await upStack();
  try {
    const products = Array.from({ length: 54 }, (_, i) => `p-${String(i + 1).padStart(3, '0')}`);
    let n = 0;
    const get = { method: 'GET' as const, setupRequest: (r: autocannon.Request) => ({ ...r, path: n++ % 3 === 0 ? '/api/products?limit=20' : `/api/products/${products[n % products.length]}` }) };
    const post = {
      method: 'POST' as const,
      setupRequest: (r: autocannon.Request) => ({
        ...r,
        path: '/api/checkout',
        headers: { 'content-type': 'application/json', 'idempotency-key': `failover-${randomUUID()}` },
        body: JSON.stringify({ items: [{ productId: products[n++ % products.length], quantity: 1 }], customer: { email: 'failover@example.com' } }),
      }),
    };
    console.log(`warm-up 5 s, then ${RUN_S} s at ${GET_RATE} GET/s + ${CHECKOUT_RATE} checkouts/s; us-east is killed at ${KILL_AFTER_S} s`);
    await traffic(GET_RATE, 5, get, (s) => s < 400).done;
    const gets = traffic(GET_RATE, RUN_S, get, (s) => s >= 200 && s < 300);
    // A 409 (sold out) or 202 (accepted, finishing) is an answer, not a failure.
    const checkouts = traffic(CHECKOUT_RATE, RUN_S, post, (s) => s >= 200 && s < 300 || s === 409);
    await new Promise((r) => setTimeout(r, KILL_AFTER_S * 1000));
    const killAt = Date.now();
    const killed = await stack.client.kill('us-east', { hold: true });
    console.log(`killed ${killed.map((i) => i.id).join(', ')}`);
    await Promise.all([gets.done, checkouts.done]);
    const get$ = recovery(gets.outcomes, killAt);
    const post$ = recovery(checkouts.outcomes, killAt);
    console.log(
      `\n${table(
        ['traffic', 'after the kill', 'failed', 'recovered (≥99% ok) after', 'failed before the kill'],
        [
          ['GET (browse, product page)', String(get$.total), String(get$.failed), `${get$.recoveredAfterMs} ms`, String(get$.failedBefore)],
          ['POST /api/checkout (keyed)', String(post$.total), String(post$.failed), `${post$.recoveredAfterMs} ms`, String(post$.failedBefore)],
        ],
      )}\n\nfailures by status: GET ${JSON.stringify(get$.failures)}, checkout ${JSON.stringify(post$.failures)}\ntarget: under 2 s and no failed GETs -> ${get$.recoveredAfterMs < 2_000 && get$.failed === 0 ? 'met' : 'NOT met'}`,
    );
    console.log(`report: ${writeReport('failover', { machine: where, quick, getRate: GET_RATE, checkoutRate: CHECKOUT_RATE, get: get$, checkout: post$ })}`);
  } finally {
    stack.down();
    stack.remove();
  }
}

main().catch((error: unknown) => {
  console.error(`failover bench: ${(error as Error).message}`);
  process.exitCode = 1;
});
