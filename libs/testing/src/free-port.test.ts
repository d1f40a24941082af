import { createServer } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { claimPort, freePort } from './free-port';

afterEach(() => vi.useRealTimers());

describe('freePort', () => {
  it('hands out a port that can be listened on, on the given host', async () => {
    const port = await freePort('127.0.0.1');
    expect(port).toBeGreaterThan(0);
    const server = createServer();
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', resolve));
    await new Promise((resolve) => server.close(resolve));
  });

  it('fails on a host it cannot bind', async () => {
    await expect(freePort('192.0.2.1')).rejects.toThrow(/EADDRNOTAVAIL/);
  });

  it('has claimed the port it hands out, so it is not handed out again', async () => {
    const port = await freePort();
    expect(claimPort(port)).toBe(false);
  });
});

describe('claimPort', () => {
  it('refuses a port claimed in this window or the last, and gives it again after that', () => {
    // A clock in 1970 keeps these claims away from those of test processes running now, and
    // port 1 is outside the range the OS hands out; the next real claim forgets these windows.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(5_000);
    expect(claimPort(1)).toBe(true);
    expect(claimPort(1)).toBe(false);
    vi.setSystemTime(65_000);
    expect(claimPort(1)).toBe(false);
    vi.setSystemTime(125_000);
    expect(claimPort(1)).toBe(true);
  });
});
