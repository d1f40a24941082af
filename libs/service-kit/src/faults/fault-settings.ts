import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable } from '@nestjs/common';
import { z } from 'zod';
import { problem } from '../problem';
import { FAULT_PROBLEMS, type FaultProblems } from './fault-problems';

/** Longest injected delay: long enough to outlast any caller's timeout, short enough to end a test. */
const MAX_DELAY_MS = 120_000;

export const FAULT_MODES = ['none', 'fail', 'slow', 'refuse', 'decline'] as const;
export type FaultMode = (typeof FAULT_MODES)[number];

const faultsSchema = z
  .strictObject({
    mode: z.enum(FAULT_MODES),
    rate: z.number().min(0).max(1).default(1),
    delayMs: z.number().int().min(0).max(MAX_DELAY_MS).optional(),
  })
  .refine((f) => f.mode !== 'slow' || f.delayMs !== undefined, { message: 'delayMs is required for mode slow', path: ['delayMs'] });

/** Fault settings as parsed: `rate` (the share of requests hit, 0..1) is always present. */
export type Faults = z.infer<typeof faultsSchema>;

/** Parses a `PUT /admin/faults` body, or throws a 400 problem naming what is wrong. */
export function parseFaults(body: unknown): Faults {
  const result = faultsSchema.safeParse(body);
  if (!result.success) {
    const errors = result.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`);
    throw problem(400, 'validation', 'Fault settings are not valid', errors.join('; '), { errors });
  }
  return result.data;
}

/**
 * The faults this service is told to show (chaos experiments and tests set them on the admin
 * port). Kept in memory on purpose: a restart is a recovery, and comes back healthy.
 */
@Injectable()
export class FaultSettings {
  private faults: Faults = { mode: 'none', rate: 1 };

  constructor(@Inject(FAULT_PROBLEMS) private readonly problems: FaultProblems) {}

  get current(): Faults {
    return { ...this.faults };
  }

  set(body: unknown): Faults {
    this.faults = parseFaults(body);
    return this.current;
  }

  /**
   * Runs before a public write touches anything: throws the problem a misbehaving third party
   * would answer, or (slow) waits and then lets the request through. `rate` is the share of
   * requests hit; modes in `exempt` do not apply to this route (a carrier always lets you cancel).
   */
  async inject(exempt: readonly FaultMode[] = [], random: () => number = Math.random): Promise<void> {
    const { mode, rate, delayMs = 0 } = this.faults;
    if (mode === 'none' || exempt.includes(mode) || random() >= rate) return;
    if (mode === 'fail') throw this.problems.fail();
    if (mode === 'refuse') throw this.problems.refuse();
    if (mode === 'decline') throw this.problems.decline();
    await sleep(delayMs);
  }
}
