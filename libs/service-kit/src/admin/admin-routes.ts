import { Injectable, type OnApplicationShutdown } from '@nestjs/common';

export interface AdminRequest {
  params: Record<string, string>;
  query: Record<string, string>;
  body: unknown;
}

export interface AdminRoute {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  handler: (request: AdminRequest) => unknown;
}

/**
 * Control and fault endpoints an app exposes to the stack (and later to chaos and canary tools).
 * They are served on a separate listener (see admin-server.ts), never on the public port, so edge
 * and gateways cannot route to them.
 */
@Injectable()
export class AdminRoutes implements OnApplicationShutdown {
  private readonly routes: AdminRoute[] = [];
  /** The running admin listener, closed with the app. */
  server?: { close(): Promise<unknown> };

  add(method: AdminRoute['method'], path: string, handler: AdminRoute['handler']): void {
    this.routes.push({ method, path, handler });
  }

  all(): readonly AdminRoute[] {
    return this.routes;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.server?.close();
  }
}
