/**
 * A stand-in service for the supervisor's tests: answers the health routes every keel service
 * serves, on PORT, and can misbehave on request:
 *   FIXTURE_EXIT_ON_START=<code>  print an error and exit before listening (a service that cannot start)
 *   FIXTURE_READY_DELAY_MS=<ms>   /health/ready answers 503 until then
 *   FIXTURE_IGNORE_SIGTERM=1      ignore SIGTERM (a service that hangs on shutdown: needs SIGKILL)
 *   FIXTURE_STOP_DELAY_MS=<ms>    take that long to exit after SIGTERM (a service draining its work)
 *   FIXTURE_CHILD=1               run a `sleep` child and leave it behind on exit, as a wrapper
 *                                 process (the Kafka broker's) would if nobody signalled its group
 * Deliberately plain node:http, so a test instance starts in well under a second.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';

const env = process.env;
const port = Number(env.PORT);
const startedAt = Date.now();
const readyDelay = Number(env.FIXTURE_READY_DELAY_MS ?? 0);
const child = env.FIXTURE_CHILD === '1' ? spawn('sleep', ['600'], { stdio: 'ignore' }) : undefined;

if (env.FIXTURE_EXIT_ON_START !== undefined) {
  console.error(`fixture ${env.KEEL_REGION}/${env.KEEL_INSTANCE}: cannot start (FIXTURE_EXIT_ON_START)`);
  setTimeout(() => process.exit(Number(env.FIXTURE_EXIT_ON_START) || 1), 50);
} else {
  const server = createServer((req, res) => {
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const ready = Date.now() - startedAt >= readyDelay;
    switch (req.url) {
      case '/health/live':
      case '/health/startup':
        return json(200, { status: 'up' });
      case '/health/ready':
        return json(ready ? 200 : 503, { status: ready ? 'up' : 'starting' });
      case '/whoami':
        return json(200, {
          region: env.KEEL_REGION,
          instance: env.KEEL_INSTANCE,
          version: env.KEEL_VERSION,
          pid: process.pid,
          token: env.KEEL_TOKEN ?? null,
          extra: env.FIXTURE_EXTRA ?? null,
          childPid: child?.pid ?? null,
        });
      default:
        return json(404, { title: 'Not found' });
    }
  });
  server.listen(port, env.KEEL_HOST ?? '127.0.0.1', () => console.log(`fixture ${env.KEEL_REGION}/${env.KEEL_INSTANCE} listening on ${port}`));
  process.on('SIGTERM', () => {
    if (env.FIXTURE_IGNORE_SIGTERM === '1') {
      console.log('fixture: ignoring SIGTERM');
      return;
    }
    setTimeout(() => {
      server.close(() => process.exit(0));
      server.closeAllConnections();
    }, Number(env.FIXTURE_STOP_DELAY_MS ?? 0));
  });
}
