import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import type { ProviderFaults } from '@keel/contracts';
import { problem } from '@keel/service-kit';
import { paymentDeclined, providerRefusing, providerUnavailable } from '../payment-provider.problems';

/** Longest injected delay: long enough to outlast any caller's timeout, short enough to end a test. */
const MAX_DELAY_MS = 120_000;

const faultsSchema = z
  .strictObject({
    mode: z.enum(['none', 'fail', 'slow', 'refuse', 'decline']),
    rate: z.number().min(0).max(1).default(1),
    delayMs: z.number().int().min(0).max(MAX_DELAY_MS).optional(),
  })
  .refine((f) => f.mode !== 'slow' || f.delayMs !== undefined, { message: 'delayMs is required for mode slow', path: ['delayMs'] });

/** Parses a `PUT /admin/faults` body, or throws a 400 problem naming what is wrong. */
export function parseFaults(body: unknown): Required<Pick<ProviderFaults, 'mode' | 'rate'>> & ProviderFaults {
  const result = faultsSchema.safeParse(body);
  if (!result.success) {
    const errors = result.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`);
    throw problem(400, 'validation', 'Fault settings are not valid', errors.join('; '), { errors });
  }
  return result.data;
}

/**
 * The faults this provider is told to show (chaos experiments and tests set them on the admin
 * port). Kept in memory on purpose: a restart is a recovery, and comes back healthy.
 */
@Injectable()
export class FaultSettings {
  private faults: ProviderFaults = { mode: 'none', rate: 1 };

  get current(): ProviderFaults {
    return { ...this.faults };
  }

  set(body: unknown): ProviderFaults {
    this.faults = parseFaults(body);
    return this.current;
  }

  /**
   * Runs before a public write touches anything: throws the problem a misbehaving provider would
   * answer, or (slow) waits and then lets the request through. `rate` is the share of requests hit.
   */
  async inject(random: () => number = Math.random): Promise<void> {
    const { mode, rate = 1, delayMs = 0 } = this.faults;
    if (mode === 'none' || random() >= rate) return;
    if (mode === 'fail') throw providerUnavailable();
    if (mode === 'refuse') throw providerRefusing();
    if (mode === 'decline') throw paymentDeclined();
    await sleep(delayMs);
  }
}
