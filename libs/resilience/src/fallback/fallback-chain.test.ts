import { ROOT_CONTEXT, context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withDeadline } from '../deadline/context';
import { ExpiringDeadline } from '../deadline/deadline';
import { degradedFeatures } from './degraded';
import { fallbackChain } from './fallback-chain';
import { FeatureSwitches } from './feature-switches';
import { LastGoodCache } from './last-good-cache';
import { fallbackTier } from './tiers';

const down = (what: string) => () => Promise.reject(Object.assign(new Error(`${what} down`), { status: 503 }));
const contextManager = new AsyncLocalStorageContextManager();
beforeAll(() => void context.setGlobalContextManager(contextManager.enable()));
afterAll(() => context.disable());

function recommendationsChain(local: (id: string) => Promise<string[]>, peer?: (id: string) => Promise<string[]>, cache = new LastGoodCache<string, string[]>()) {
  return fallbackChain('recommendations', [
    fallbackTier.local(local),
    fallbackTier.peerRegion(peer),
    fallbackTier.lastGood(cache),
    fallbackTier.staticDefault(['trending-1'], 'trending'),
    fallbackTier.omit([] as string[]),
  ]);
}

describe('fallbackChain', () => {
  it('answers from the local tier when it can, not degraded', async () => {
    const result = await recommendationsChain(async (id) => [`${id}-a`]).run('p-1');
    expect(result).toMatchObject({ feature: 'recommendations', value: ['p-1-a'], tier: 'local', degraded: false, stale: false, failures: [] });
  });

  it('falls to the peer region, then the last good answer (stale), then the default, then omits', async () => {
    const cache = new LastGoodCache<string, string[]>();
    let peerUp = true;
    const chain = recommendationsChain(down('local'), async () => (peerUp ? ['from-peer'] : down('peer')()), cache);
    const peer = await chain.run('p-1');
    expect(peer).toMatchObject({ tier: 'peer-region', kind: 'peer', degraded: true, stale: false, value: ['from-peer'] });
    expect(peer.failures.map((f) => f.tier)).toEqual(['local']);
    peerUp = false;
    const stale = await chain.run('p-1');
    expect(stale).toMatchObject({ tier: 'last-good', stale: true, degraded: true, value: ['from-peer'] });
    expect(stale.ageMs).toBeGreaterThanOrEqual(0);
    expect(await chain.run('p-2')).toMatchObject({ tier: 'trending', kind: 'default', value: ['trending-1'] });
    const omitted = await fallbackChain('recommendations', [fallbackTier.local(down('local')), fallbackTier.omit([] as string[])]).run('p-3');
    expect(omitted).toMatchObject({ tier: 'omit', kind: 'omitted', value: [], degraded: true });
    expect(degradedFeatures([peer, omitted, { feature: 'trending', degraded: false }])).toEqual(['recommendations']);
  });

  it('skips a peer region that is not configured', async () => {
    const result = await recommendationsChain(down('local')).run('p-1');
    expect(result.tier).toBe('trending');
    expect(result.failures.map((f) => f.tier)).toEqual(['local']);
  });

  it('rethrows an answer such as 404 at once: another region would say the same', async () => {
    let peerCalls = 0;
    const notFound = Object.assign(new Error('no such product'), { status: 404 });
    const chain = recommendationsChain(() => Promise.reject(notFound), async () => (peerCalls++, ['x']));
    await expect(chain.run('p-404')).rejects.toBe(notFound);
    expect(peerCalls).toBe(0);
  });

  it('throws the first tier error when a Tier 1 chain runs out of tiers', async () => {
    const chain = fallbackChain('product-detail', [fallbackTier.local(down('catalog')), fallbackTier.peerRegion(down('peer catalog'))]);
    await expect(chain.run('p-1')).rejects.toThrow('catalog down');
  });

  it('refuses, when built, tiers the criticality matrix does not allow', () => {
    expect(() => fallbackChain('checkout', [fallbackTier.local(async () => 1), fallbackTier.omit(0)])).toThrow(/checkout is Tier 1.*'omit'/);
    expect(() => fallbackChain('product-detail', [fallbackTier.local(async () => 1), fallbackTier.staticDefault(0)])).toThrow(/Tier 1/);
    expect(() => fallbackChain('trending', [])).toThrow(/no tiers/);
  });

  it('does not call remote tiers once the deadline has passed', async () => {
    let calls = 0;
    const chain = recommendationsChain(async () => (calls++, ['live']), async () => (calls++, ['peer']));
    const expired = withDeadline(ROOT_CONTEXT, ExpiringDeadline.after(0));
    const result = await context.with(expired, () => chain.run('p-1'));
    expect(calls).toBe(0);
    expect(result.tier).toBe('trending');
    expect(result.failures.map((f) => (f.error as Error).name)).toEqual(['DeadlineExceededError', 'DeadlineExceededError']);
  });

  it('omits a switched-off Tier 3 feature without calling it, and will not switch off Tier 1 or 2', async () => {
    const switches = new FeatureSwitches();
    let calls = 0;
    const chain = fallbackChain('trending', [fallbackTier.local(async () => (calls++, ['t'])), fallbackTier.omit([] as string[])], { switches });
    switches.switchOff('trending');
    expect(await chain.run('all')).toMatchObject({ tier: 'omit', switchedOff: true, degraded: true });
    expect(calls).toBe(0);
    switches.switchOn('trending');
    expect((await chain.run('all')).tier).toBe('local');
    expect(() => switches.switchOff('recommendations')).toThrow(/Tier 2/);
    expect(() => switches.switchOff('checkout')).toThrow(/Tier 1/);
  });
});
