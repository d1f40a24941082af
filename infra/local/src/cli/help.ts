/** Help texts: one for the CLI, one per command. Kept apart so the dispatcher stays readable. */

export const TARGETS = `targets: an instance id (us-east/catalog, global/edge, global/provider-a, us-east/catalog~canary),
         a region (us-east, eu-west, global; includes its extras) or all`;

export const MAIN_HELP = `keel stack: run the local two-region stack as separate processes, and break it on purpose

usage: npm start [-- --detach] [--traffic] (same as: stack up)
       npm run stack -- <command> [options]

commands:
  up [--detach] [--traffic]   start every instance in order, wait until all are ready, print their URLs
  status [--json]             every instance: region, service, version, pid, port, url, live, ready, restarts
  down                        stop everything and check that no process or port is left
  stop <target>               SIGTERM (SIGKILL after 10 s); stays down until 'start'
  start <target>              start stopped or held instances and wait until they are ready
  kill <target> [--hold]      SIGKILL; restarted with backoff, or kept down with --hold
  pause <target>              SIGSTOP: the process keeps its port but answers nothing
  resume <target>             SIGCONT
  start-extra <service> --region R --version V [--label L] [--env K=V ...]
                              an extra instance (a canary) on a free port: <region>/<service>~<label>
  remove <id>                 stop and forget an extra
  traffic on|off              start or stop gentle background traffic (global/traffic) through the edge

${TARGETS}

Run '<command> --help' for more. Data (state, token, logs) lives in .data/; KEEL_STACK_DATA_DIR
points every command at another data dir. Exit codes: 0 done, 1 failed, 2 usage error.`;

const control = (what: string, options = '') => `${what}

${options}${TARGETS}

Talks to the running stack's control API; fails if no stack is running.`;

export const COMMAND_HELP: Record<string, string> = {
  up: `usage: stack up [--detach] [--traffic]

Starts every instance (each region's Kafka broker, payment providers, carrier, each region's
replicator, catalog, recommendations, checkout, gateway, then edge), each group waited on until
/health/ready answers 200, and prints a table of
their URLs. Crashed instances are restarted with backoff. Logs: .data/logs/<region>-<name>.log.

  -d, --detach   run the supervisor in the background; exit 0 once everything is ready
  --traffic      also start global/traffic last: the load tool's shopper mix at a gentle rate
                 through the edge, so metrics and dashboards have something to show
                 (rate and port in stack.config.json 'traffic'; 'stack traffic off' stops it)
  -h, --help     this help

In the foreground, Ctrl-C (or SIGTERM) stops everything and exits 0.`,
  status: `usage: stack status [--json]

Every instance with region, service, version, pid, port, url, state, live and ready (probed now,
in parallel, with a short timeout) and restart count. When no stack runs it says so (--json: []).

  --json       print a JSON array instead of a table
  -h, --help   this help`,
  down: `usage: stack down

Stops everything (SIGTERM in reverse start order, SIGKILL after 10 s) through the supervisor, or
from the pids in .data/stack/state.json if the supervisor is gone; then checks that no process
of the stack is alive and no port is still listening, and exits 1 naming what is left if not.`,
  stop: `usage: stack stop <target>\n\n${control('SIGTERM, then SIGKILL after 10 s. Not restarted until start.')}`,
  start: `usage: stack start <target>\n\n${control('Starts stopped or held instances and waits until they are ready.')}`,
  kill: `usage: stack kill <target> [--hold]\n\n${control('SIGKILL. The supervisor restarts it with backoff (250 ms doubling to 10 s).', '  --hold   keep it down until start\n\n')}`,
  pause: `usage: stack pause <target>\n\n${control('SIGSTOP: the process keeps its port and connections but answers nothing, like a hung process.')}`,
  resume: `usage: stack resume <target>\n\n${control('SIGCONT: undoes pause.')}`,
  'start-extra': `usage: stack start-extra <service> --region <region> --version <version> [--label <label>] [--env K=V ...]

Starts an extra instance of <service> (e.g. catalog, or provider-a) in <region> with the same
dependencies as the regular one, on a port the OS picks, and waits until it is ready. Its id is
<region>/<service>~<label>; the label defaults to the version. Prints its id, URL and pid.

  --region R    region of the regular instance to copy (us-east, eu-west, global)
  --version V   version label it reports (KEEL_VERSION)
  --label L     id suffix (letters, digits, . _ -)
  --env K=V     extra environment, repeatable
  --json        print the instance spec as JSON`,
  remove: `usage: stack remove <id>\n\nStops an extra instance (made by start-extra) and forgets it.`,
  traffic: `usage: stack traffic on|off

Background traffic: global/traffic (load/src/traffic-main.ts) sends the shopper mix (browse 10 :
product page 5 : recommendations 3 : checkout 1) to the edge at the rate in stack.config.json
('traffic', default 5 req/s) until switched off. 'on' starts it and waits until it is ready (a
no-op when it runs); 'off' stops it and drops it from status. 'npm start -- --traffic' starts it
with the stack. For measured runs with thresholds use 'npm run load -- <scenario>'.

Talks to the running stack's control API; fails if no stack is running.`,
};
