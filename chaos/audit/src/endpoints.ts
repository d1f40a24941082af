import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AuditError } from './audit-error';

/** An admin port and the bearer token it wants. */
export interface AdminEndpoint {
  url: string;
  token: string;
}

/** Where the audit reads from: each region's checkout and catalog, each payment provider, the carrier. */
export interface AuditEndpoints {
  regions: { region: string; checkout: AdminEndpoint; catalog: AdminEndpoint }[];
  providers: { name: string; admin: AdminEndpoint }[];
  /** The shipping carrier(s): where goods leave for orders. */
  carriers: { name: string; admin: AdminEndpoint }[];
}

export const WORKSPACE_ROOT = resolve(__dirname, '../../..');
const CONFIG_FILE = join(WORKSPACE_ROOT, 'infra/local/stack.config.json');

/** The fields of `infra/local/stack.config.json` the audit needs. */
interface StackConfigView {
  host: string;
  dataDir: string;
  adminPortOffset: number;
  regions: Record<string, { catalog: number; checkout: number }>;
  providers: Record<string, number>;
  carrier: number;
}

/**
 * The running local stack's admin endpoints. Read from the stack's config file and token file
 * rather than through `@keel/stack`: a tool may depend on libs only (module boundaries), and the
 * three facts needed (ports, admin offset, token path) are stable parts of the stack's contract.
 * `dataDir` defaults to `KEEL_STACK_DATA_DIR`, else the config's, as every stack command does.
 */
export function stackEndpoints(dataDir?: string, configFile = CONFIG_FILE): AuditEndpoints {
  let config: StackConfigView;
  try {
    config = JSON.parse(readFileSync(configFile, 'utf8')) as StackConfigView;
  } catch (error) {
    throw new AuditError(`cannot read the stack config ${configFile}: ${(error as Error).message}`);
  }
  const root = resolve(WORKSPACE_ROOT, dataDir ?? process.env.KEEL_STACK_DATA_DIR ?? config.dataDir);
  const tokenFile = join(root, 'stack', 'token');
  let token: string;
  try {
    token = readFileSync(tokenFile, 'utf8').trim();
  } catch {
    token = '';
  }
  if (!token) throw new AuditError(`no stack token at ${tokenFile}: is the stack up? (npm run stack -- up --detach)`);
  const admin = (port: number): AdminEndpoint => ({ url: `http://${config.host}:${port + config.adminPortOffset}`, token });
  return {
    regions: Object.entries(config.regions).map(([region, ports]) => ({ region, checkout: admin(ports.checkout), catalog: admin(ports.catalog) })),
    providers: Object.entries(config.providers).map(([name, port]) => ({ name, admin: admin(port) })),
    carriers: [{ name: 'carrier', admin: admin(config.carrier) }],
  };
}
