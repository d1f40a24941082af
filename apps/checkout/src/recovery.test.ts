import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Order } from '@keel/contracts';
import { startServiceProcess, type ServiceProcess } from '@keel/testing';
import { eventually, postOrder, startCheckoutStack, TEST_CHECKOUT_ENV, type CheckoutStack } from './testing/checkout-stack';

let stack: CheckoutStack;
let child: ServiceProcess | undefined;

beforeAll(async () => {
  stack = await startCheckoutStack();
});

afterAll(async () => {
  await child?.kill();
  await stack?.stop();
});

/** Checkout as a real OS process on the stack's data directory, so it can be killed with SIGKILL. */
function spawnCheckout(env: Record<string, string>): Promise<ServiceProcess> {
  return startServiceProcess('checkout', { dataDir: stack.dataDir, env: { KEEL_REGION: 'us-east', KEEL_LOG_LEVEL: 'silent', ...stack.dependencyEnv, ...env } });
}

describe('crash recovery', () => {
  it('finishes an order whose process was killed in the middle of charging, with exactly one charge', async () => {
    // The charge hangs at provider-a long enough to kill checkout while it waits for the answer.
    await stack.setFaults(stack.providerA, { mode: 'slow', delayMs: 2_000 });
    const doomed = await spawnCheckout({ ...TEST_CHECKOUT_ENV, KEEL_CHECKOUT_PAYMENT_TIMEOUT_MS: '5000', KEEL_CHECKOUT_RECOVER_AFTER_MS: '6000' });
    child = doomed;
    const stockBefore = await stack.stock('p-001');
    const key = `crash-${randomUUID()}`;
    const cart = { items: [{ productId: 'p-001', quantity: 2 }], customer: { email: 'crash@example.com' } };
    void postOrder(doomed.url, cart, key).catch(() => undefined);

    const inFlight = await eventually(async () => {
      const response = await doomed.admin('GET', '/admin/orders?status=pending');
      const { items } = (await response.json()) as { items: (Order & { nextStep: string })[] };
      return items.find((o) => o.nextStep === 'charge-payment');
    }, 5_000, 25);
    await doomed.kill();
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
