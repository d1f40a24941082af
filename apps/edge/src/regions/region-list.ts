/** One region edge can send traffic to: its name and its gateway's base URL. */
export interface RegionSpec {
  name: string;
  url: string;
}

const REGION_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;

/**
 * Parses `KEEL_EDGE_REGIONS` (`us-east=http://127.0.0.1:8101,eu-west=http://127.0.0.1:8201`).
 * Order matters: when a client's region is down, edge fails over to the first routable one listed.
 * Throws a message naming what is wrong, for the start-up error.
 */
export function parseRegionList(text: string): RegionSpec[] {
  const regions: RegionSpec[] = [];
  for (const entry of text.split(',').map((e) => e.trim()).filter(Boolean)) {
    const separator = entry.indexOf('=');
    const name = entry.slice(0, separator).trim();
    const url = entry.slice(separator + 1).trim();
    if (separator < 1 || !REGION_NAME.test(name)) throw new Error(`"${entry}" is not name=url with a lowercase region name`);
    if (regions.some((r) => r.name === name)) throw new Error(`region ${name} is listed twice`);
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new Error(`region ${name}: "${url}" is not a URL`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error(`region ${name}: ${url} is not http(s)`);
    if (parsed.pathname !== '/' || parsed.search) throw new Error(`region ${name}: ${url} must be an origin, without a path`);
    regions.push({ name, url: parsed.origin });
  }
  if (!regions.length) throw new Error('no regions listed');
  return regions;
}
