import { Controller, Get, Module } from '@nestjs/common';
import { ServesFeature } from '../http/serves-feature';

/**
 * Requests parked in `/hold` until the test lets them go: in-flight work it controls. The routes
 * below serve the load-shedding tests (never deployed): one per tier, `/hold`, and `/burn`.
 */
export const held: (() => void)[] = [];

@Controller()
class LoadController {
  @Get('hold')
  @ServesFeature('checkout')
  hold(): Promise<{ held: true }> {
    return new Promise((resolve) => held.push(() => resolve({ held: true })));
  }

  @Get('trending')
  @ServesFeature('trending')
  trending() {
    return { tier: 3 };
  }

  @Get('recommendations')
  @ServesFeature('recommendations')
  recommendations() {
    return { tier: 2 };
  }

  @Get('checkout')
  @ServesFeature('checkout')
  checkout() {
    return { tier: 1 };
  }

  @Get('untagged')
  untagged() {
    return { tier: 'default' };
  }

  /** Blocks the event loop for `ms`, every 10 ms, for a second: a CPU-bound overload. */
  @Get('burn')
  @ServesFeature('checkout')
  burn() {
    const until = performance.now() + 1_000;
    const spin = () => {
      const stop = performance.now() + 250;
      while (performance.now() < stop) {
        // busy
      }
      if (performance.now() < until) setTimeout(spin, 10);
    };
    setTimeout(spin, 0);
    return { burning: true };
  }
}

@Module({ controllers: [LoadController] })
export class LoadModule {}
