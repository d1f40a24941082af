import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Order, ProviderFaults } from '@keel/contracts';
import { startServiceProcess, type ServiceProcess } from '@keel/testing';
import type { AuditedOrder } from './orders/orders-admin';
import { eventually, postOrder, startCheckoutStack, TEST_CHECKOUT_ENV, type CheckoutStack, type TestProvider } from './testing/checkout-stack';

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

interface Scenario {
  /** The saga step the process is killed in, while its call hangs at a slowed dependency. */
  step: string;
  faults: (s: CheckoutStack) => [TestProvider, ProviderFaults][];
  /** Where the saga must end after the restart. */
  ends: Order['status'];
}

const SLOW = { mode: 'slow', delayMs: 2_000 } as const;
const SCENARIOS: Scenario[] = [
  { step: 'charge-payment', faults: (s) => [[s.providerA, SLOW]], ends: 'confirmed' },
  { step: 'schedule-shipping', faults: (s) => [[s.carrier, SLOW]], ends: 'confirmed' },
  // The carrier refuses, so the saga compensates; provider-a is slow (within the 5 s timeout), so the refund can be caught.
  { step: 'refund-payment', faults: (s) => [[s.carrier, { mode: 'decline' }], [s.providerA, SLOW]], ends: 'failed' },
];

describe('crash recovery: SIGKILL in the middle of a saga step, restart, and the saga finishes', () => {
  for (const scenario of SCENARIOS) {
    it(`killed in ${scenario.step}: ends ${scenario.ends} with exactly one capture and at most one live shipment`, async () => {
      const doomed = await spawnCheckout({ ...TEST_CHECKOUT_ENV, KEEL_CHECKOUT_PAYMENT_TIMEOUT_MS: '5000', KEEL_CHECKOUT_CARRIER_TIMEOUT_MS: '5000', KEEL_CHECKOUT_RECOVER_AFTER_MS: '6000' });
      child = doomed;
      const stockBefore = await stack.stock('p-001');
      const key = `crash-${randomUUID()}`;
      const cart = { items: [{ productId: 'p-001', quantity: 2 }], customer: { email: 'crash@example.com' } };
      const faults = scenario.faults(stack);
      for (const [target, fault] of faults) await stack.setFaults(target, fault);
      void postOrder(doomed.url, cart, key).catch(() => undefined);

      const atStep = async (step: string) => {
        const { items } = (await (await doomed.admin('GET', '/admin/orders')).json()) as { items: AuditedOrder[] };
        return items.find((o) => o.idempotencyKey === key && o.nextStep === step);
      };
      const inFlight = await eventually(() => atStep(scenario.step), 8_000, 25);
      await doomed.kill();
      child = undefined;
      for (const [target] of faults) await stack.setFaults(target, { mode: 'none' });

      // The stock is held and the saga is stuck mid-step, as the dead process left it.
      expect(await stack.stock('p-001')).toBe(stockBefore - 2);
      const restarted = await stack.startCheckout();
      try {
        const finished = await eventually(async () => {
          const { items } = (await (await restarted.admin('/admin/orders')).json()) as { items: AuditedOrder[] };
          const order = items.find((o) => o.id === inFlight.id);
          return order?.status === scenario.ends && order.nextStep === null ? order : undefined;
        }, 20_000, 200);
        const charges = await stack.chargesAt(stack.providerA, inFlight.id);
        expect(charges).toHaveLength(1);
        expect(await stack.chargesAt(stack.providerB, inFlight.id)).toHaveLength(0);
        const live = (await stack.shipmentsFor(inFlight.id)).filter((s) => s.status === 'scheduled');
        if (scenario.ends === 'confirmed') {
          expect(charges[0]).toMatchObject({ id: finished.payment?.chargeId, status: 'captured' });
          expect(live.map((s) => s.id)).toEqual([finished.shipment?.shipmentId]);
          expect(await stack.stock('p-001')).toBe(stockBefore - 2);
        } else {
          expect(charges[0]).toMatchObject({ status: 'refunded', refundedCents: charges[0].amountCents });
          expect(live).toHaveLength(0);
          expect(await stack.stock('p-001')).toBe(stockBefore);
        }
        // The client's retry, against the new process, finds the same order and causes no new work.
        const retry = await postOrder(restarted.url, cart, key);
        expect(retry.body.id).toBe(inFlight.id);
        expect(await stack.chargesAt(stack.providerA, inFlight.id)).toHaveLength(1);
      } finally {
        await restarted.stop();
      }
    }, 60_000);
  }
});
