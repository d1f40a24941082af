import { describe, expect, it } from 'vitest';
import { auditSnapshot } from './audit';
import { formatReport } from './format';
import { cleanBooks, order, RULES } from './testing/books';

const rules = RULES;

describe('auditSnapshot', () => {
  it('passes clean books and counts what it checked', () => {
    const report = auditSnapshot(cleanBooks(), rules);
    expect(report.violations).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.regions).toEqual(['us-east', 'eu-west']);
    expect(report.invariants.map((i) => [i.name, i.checked])).toEqual([
      ['orders-settled', 4],
      ['single-capture', 3],
      ['money-conserved', 4],
      ['stock-conserved', 7],
      ['shipments-match', 3],
    ]);
    expect(formatReport(report)).toContain('OK: every invariant holds');
  });

  it('collects the violations of every invariant and names them in the text report', () => {
    const books = cleanBooks();
    books.regions[0].orders.push(order('ord_us-east_9', 'pending', 500, 120_000));
    books.regions[1].stock[1].available = 4;
    const report = auditSnapshot(books, rules);
    expect(report.ok).toBe(false);
    expect(report.violations.map((v) => [v.invariant, v.subject])).toEqual([
      ['orders-settled', 'ord_us-east_9'],
      ['stock-conserved', 'eu-west/p-002'],
    ]);
    const text = formatReport(report);
    expect(text).toContain('FAILED: 2 violation(s)');
    expect(text).toContain('[orders-settled] order ord_us-east_9 (us-east) is still pending after 120 s');
  });
});
