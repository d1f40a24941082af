/**
 * What a keel service sends its parent over an IPC channel, if it was spawned with one, once it
 * is listening. The addresses are the ones actually bound: a service started with `PORT=0` and
 * `KEEL_ADMIN_PORT=0` gets its ports from the OS, so no other process can take them between
 * being chosen and being listened on. The pid lets the parent know the answer is its own child's.
 */
export interface ListeningReport {
  type: typeof LISTENING_REPORT;
  pid: number;
  /** `http://<host>:<port>` of the service's own listener. */
  url: string;
  /** `http://127.0.0.1:<port>` of the admin listener, when the service has one. */
  adminUrl?: string;
}

export const LISTENING_REPORT = 'keel:listening';

export function isListeningReport(message: unknown): message is ListeningReport {
  const report = message as Partial<ListeningReport> | null;
  return typeof report === 'object' && report !== null && report.type === LISTENING_REPORT && typeof report.pid === 'number' && typeof report.url === 'string';
}
