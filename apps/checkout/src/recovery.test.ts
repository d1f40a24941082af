import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Order } from '@keel/contracts';
// eslint-disable-next-line @nx/enforce-module-boundaries -- the real provider's test launcher (test code only)
import { freePort, TEST_ADMIN_TOKEN } from '../../payment-provider/src/testing/start-provider';
import { eventually, postOrder, startCheckoutStack, TEST_CHECKOUT_ENV, type CheckoutStack } from './testing/checkout-stack';

const WORKSPACE_ROOT = resolve(__dirname, '../../..');

let stack: CheckoutStack;
let child: ChildProcess | undefined;

beforeAll(async () => {
  stack = await startCheckoutStack();
});

afterAll(async () => {
  child?.kill('SIGKILL');
  await stack?.stop();
});

/** Checkout as a real OS process on the stack's data directory, so it can be killed with SIGKILL. */
async function spawnCheckout(env: Record<string, string>): Promise<{ url: string; adminUrl: string; process: ChildProcess; stderr: () => string }> {
  const [port, adminPort] = [await freePort(), await freePort()];
  let stderr = '';
  const proc = spawn(process.execPath, ['-r', '@swc-node/register', 'apps/checkout/src/main.ts'], {
    cwd: WORKSPACE_ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: {
      PATH: process.env.PATH,
      KEEL_SERVICE: 'checkout',
      KEEL_REGION: 'us-east',
      PORT: String(port),
      KEEL_ADMIN_PORT: String(adminPort),
      KEEL_TOKEN: TEST_ADMIN_TOKEN,
      KEEL_DATA_DIR: stack.dataDir,
      KEEL_LOG_LEVEL: 'silent',
      ...stack.dependencyEnv,
      ...env,
    },
  });
  proc.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  await eventually(async () => {
    if (proc.exitCode !== null) throw new Error(`checkout exited ${proc.exitCode}: ${stderr}`);
    return (await fetch(`${url}/health/ready`).catch(() => undefined))?.ok || undefined;
  }, 30_000, 200);
  return { url, adminUrl: `http://127.0.0.1:${adminPort}`, process: proc, stderr: () => stderr };
}

describe('crash recovery', () => {
  it('finishes an order whose process was killed in the middle of charging, with exactly one charge', async () => {
    // The charge hangs at provider-a long enough to kill checkout while it waits for the answer.
    await stack.setFaults(stack.providerA, { mode: 'slow', delayMs: 2_000 });
    const doomed = await spawnCheckout({ ...TEST_CHECKOUT_ENV, KEEL_CHECKOUT_PAYMENT_TIMEOUT_MS: '5000', KEEL_CHECKOUT_RECOVER_AFTER_MS: '6000' });
    child = doomed.process;
    const stockBefore = await stack.stock('p-001');
    const key = `crash-${randomUUID()}`;
    const cart = { items: [{ productId: 'p-001', quantity: 2 }], customer: { email: 'crash@example.com' } };
    void postOrder(doomed.url, cart, key).catch(() => undefined);

    const inFlight = await eventually(async () => {
      const response = await fetch(`${doomed.adminUrl}/admin/orders?status=pending`, { headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } });
      const { items } = (await response.json()) as { items: (Order & { nextStep: string })[] };
      return items.find((o) => o.nextStep === 'charge-payment');
    }, 5_000, 25);
    doomed.process.kill('SIGKILL');
    await new Promise((done) => doomed.process.once('exit', done));
    child = undefined;
    await stack.setFaults(stack.providerA, { mode: 'none' });

    // The stock is held and the order is stuck mid-flow, as the dead process left it.
    expect(await stack.stock('p-001')).toBe(stockBefore - 2);
    const restarted = await stack.startCheckout();
    expect(((await (await fetch(`${restarted.url}/orders/${inFlight.id}`)).json()) as Order).status).toBe('pending');

    const confirmed = await eventually(async () => {
      const order = (await (await fetch(`${restarted.url}/orders/${inFlight.id}`)).json()) as Order;
      return order.status === 'confirmed' ? order : undefined;
    }, 15_000, 200);
    expect(confirmed.payment?.provider).toBe('provider-a');
    const charges = await stack.chargesAt(stack.providerA, inFlight.id);
    expect(charges.map((c) => c.id)).toEqual([confirmed.payment?.chargeId]);
    expect(await stack.chargesAt(stack.providerB, inFlight.id)).toHaveLength(0);
    expect(await stack.stock('p-001')).toBe(stockBefore - 2);

    // The client's retry, against the new process, finds the same order and causes no new work.
    const retry = await postOrder(restarted.url, cart, key);
    expect(retry.status).toBe(200);
    expect(retry.body.id).toBe(inFlight.id);
    expect(await stack.chargesAt(stack.providerA, inFlight.id)).toHaveLength(1);
  });
});
