import { describe, expect, it } from 'vitest';
import { parseRegionList } from './region-list';

describe('parseRegionList', () => {
  it('reads name=url pairs in order', () => {
    expect(parseRegionList('us-east=http://127.0.0.1:8101, eu-west=http://127.0.0.1:8201/')).toEqual([
      { name: 'us-east', url: 'http://127.0.0.1:8101' },
      { name: 'eu-west', url: 'http://127.0.0.1:8201' },
    ]);
  });

  it.each([
    ['', /no regions/],
    ['us-east', /name=url/],
    ['=http://127.0.0.1:1', /name=url/],
    ['US East=http://127.0.0.1:1', /name=url/],
    ['a=http://127.0.0.1:1,a=http://127.0.0.1:2', /twice/],
    ['a=not a url', /not a URL/],
    ['a=ftp://127.0.0.1:1', /http/],
    ['a=http://127.0.0.1:1/gateway', /origin/],
  ])('refuses %j', (text, message) => {
    expect(() => parseRegionList(text)).toThrow(message);
  });
});
