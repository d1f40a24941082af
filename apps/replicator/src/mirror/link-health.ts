/** The two clusters a replicator links: it reads from `source` (the peer region) and writes to `target` (its own). */
export type Link = 'source' | 'target';

interface LinkState {
  up: boolean;
  /** Why not, when down; kept short enough for a readiness body. */
  reason: string;
}

const MAX_REASON_CHARS = 300;

/**
 * What the replicator last learned about each cluster, for `/health/ready`. Updated by the work
 * itself (a joined consumer group, an acknowledged or failed send, the periodic probe), so a
 * readiness probe costs no broker round trip and says why the replicator is not ready.
 */
export class LinkHealth {
  private readonly links: Record<Link, LinkState> = {
    source: { up: false, reason: 'not connected yet' },
    target: { up: false, reason: 'not connected yet' },
  };

  constructor(private readonly describe: Record<Link, string>) {}

  up(link: Link): void {
    this.links[link] = { up: true, reason: '' };
  }

  down(link: Link, reason: unknown): void {
    const text = reason instanceof Error ? reason.message : String(reason);
    this.links[link] = { up: false, reason: text.slice(0, MAX_REASON_CHARS) };
  }

  isUp(link: Link): boolean {
    return this.links[link].up;
  }

  /** A readiness check: throws `<cluster>: <why>` while `link` is down. */
  check(link: Link): () => void {
    return () => {
      const state = this.links[link];
      if (!state.up) throw new Error(`${this.describe[link]}: ${state.reason}`);
    };
  }
}
