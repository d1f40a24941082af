import type { InstanceSpec } from './topology';
import type { InstanceInfo, StackPhase } from './state';

/** What `POST /targets/:target/:action` can do to an instance, a region or `all`. */
export const ACTIONS = ['stop', 'start', 'kill', 'pause', 'resume'] as const;
export type Action = (typeof ACTIONS)[number];

export const isAction = (value: string): value is Action => (ACTIONS as readonly string[]).includes(value);

export interface ActionOptions {
  /** `kill` only: keep it down (no restart) until `start`. */
  hold?: boolean;
}

/** An extra instance of a service, e.g. a canary: `<region>/<service>~<label>`. */
export interface ExtraRequest {
  service: string;
  region: string;
  version: string;
  /** Defaults to the version. Letters, digits, `.`, `_`, `-`. */
  label?: string;
  env?: Record<string, string>;
}

export type ExtraSpec = InstanceSpec & { url: string };

/** `POST /addons/:id/on|off`: switches an add-on (the traffic generator) on or off. */
export const ADDON_SWITCHES = ['on', 'off'] as const;
export type AddonSwitch = (typeof ADDON_SWITCHES)[number];

export interface AddonResponse {
  id: string;
  on: boolean;
  /** The running instance when switched on; null when off. */
  instance: InstanceInfo | null;
}

export interface InstancesResponse {
  supervisorPid: number;
  phase: StackPhase;
  instances: InstanceInfo[];
}

export interface ActionResponse {
  target: string;
  action: Action;
  instances: InstanceInfo[];
}

/** One row of `status`: exactly these keys, in this order (the `--json` contract). */
export interface StatusRow {
  id: string;
  region: string;
  service: string;
  version: string;
  pid: number | null;
  port: number;
  url: string;
  state: string;
  live: boolean;
  ready: boolean;
  restarts: number;
}
