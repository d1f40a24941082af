import { BadRequestException, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';

/**
 * A path parameter checked against one pattern: `@Param('id', matching(PRODUCT_ID, 'id must be …'))`.
 * A bad value is the same 400 validation problem the DTO pipe gives (`errors: [rule]`), and a route
 * hit on every page view does not pay class-validator's per-call metadata scan and instance
 * building for one regular expression (~5% of a gateway request, docs/performance.md).
 */
export function matching(pattern: RegExp, rule: string): PipeTransform<unknown, string> {
  return {
    transform(value: unknown, _metadata: ArgumentMetadata): string {
      if (typeof value === 'string' && pattern.test(value)) return value;
      throw new BadRequestException([rule]);
    },
  };
}
