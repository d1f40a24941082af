import { describe, expect, it } from 'vitest';
import { LinkHealth } from './link-health';

describe('LinkHealth', () => {
  it('is not ready until a link is up, and says which cluster and why when it goes down', () => {
    const links = new LinkHealth({ source: 'source eu-west (k:9292)', target: 'target us-east (k:9192)' });
    expect(links.check('source')).toThrow('source eu-west (k:9292): not connected yet');
    links.up('source');
    expect(links.check('source')).not.toThrow();
    expect(links.check('target')).toThrow(/^target us-east/);
    links.down('source', new Error('Connection error: connect ECONNREFUSED'));
    expect(links.check('source')).toThrow('source eu-west (k:9292): Connection error: connect ECONNREFUSED');
    links.down('target', 'x'.repeat(1_000));
    expect(() => links.check('target')()).toThrow(/^target us-east \(k:9192\): x{300}$/);
  });
});
