/**
 * The stack CLI: `npm start` (= `up`) and `npm run stack -- <command>`. Both run this file with
 * the command line after it, so parsing only ever sees `<command> [options]`.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { Action } from './api-types';
import * as commands from './cli/commands';
import { type Io, UsageError } from './cli/commands';
import { COMMAND_HELP, MAIN_HELP } from './cli/help';
import { StackError } from './problem';

type Options = NonNullable<ParseArgsConfig['options']>;
type Values = Record<string, string | boolean | string[] | undefined>;

interface Command {
  options: Options;
  /** Names of the required positional arguments, in order. */
  args: string[];
  run(values: Values, args: string[], io: Io): Promise<number>;
}

const help: Options = { help: { type: 'boolean', short: 'h' } };
const controlCommand = (action: Action): Command => ({
  options: action === 'kill' ? { ...help, hold: { type: 'boolean' } } : help,
  args: ['target'],
  run: (values, [target], io) => commands.control(action, target, values.hold === true, io),
});

const COMMANDS: Record<string, Command> = {
  up: {
    options: { ...help, detach: { type: 'boolean', short: 'd' }, traffic: { type: 'boolean' } },
    args: [],
    run: (v, _, io) => commands.up({ detach: v.detach === true, traffic: v.traffic === true }, io),
  },
  status: { options: { ...help, json: { type: 'boolean' } }, args: [], run: (v, _, io) => commands.status(v.json === true, io) },
  down: { options: help, args: [], run: (_, __, io) => commands.down(io) },
  stop: controlCommand('stop'),
  start: controlCommand('start'),
  kill: controlCommand('kill'),
  pause: controlCommand('pause'),
  resume: controlCommand('resume'),
  'start-extra': {
    options: {
      ...help,
      region: { type: 'string' },
      version: { type: 'string' },
      label: { type: 'string' },
      env: { type: 'string', multiple: true },
      json: { type: 'boolean' },
    },
    args: ['service'],
    run: (v, [service], io) => commands.startExtra(service, v as Parameters<typeof commands.startExtra>[1], io),
  },
  remove: { options: help, args: ['id'], run: (_, [id], io) => commands.remove(id, io) },
  traffic: { options: help, args: ['on|off'], run: (_, [to], io) => commands.traffic(to, io) },
  // Hidden: what `up --detach` runs in the background.
  supervise: {
    options: { ...help, 'spec-file': { type: 'string' } },
    args: [],
    run: (v, _, io) => commands.supervise(v['spec-file'] as string | undefined, io),
  },
};

/** Runs one command line; returns the exit code (0 done, 1 failed, 2 usage). Never throws. */
export async function main(argv: string[], io: Io = { out: (l) => console.log(l), err: (l) => console.error(l) }): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.err : io.out)(MAIN_HELP);
    return name === undefined ? 2 : 0;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  try {
    if (!command) throw new UsageError(name.startsWith('-') ? `unknown option '${name}' (a command comes first)` : `unknown command '${name}'`);
    const { values, positionals } = parse(command, rest);
    if (values.help) {
      io.out(COMMAND_HELP[name] ?? MAIN_HELP);
      return 0;
    }
    if (positionals.length < command.args.length) throw new UsageError(`${name}: missing <${command.args[positionals.length]}>`);
    if (positionals.length > command.args.length) throw new UsageError(`${name}: unexpected argument '${positionals[command.args.length]}'`);
    return await command.run(values, positionals, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`${error.message}\nRun 'npm run stack -- ${command ? `${name} ` : ''}--help' for usage.`);
      return 2;
    }
    io.err(`error: ${error instanceof StackError || error instanceof Error ? error.message : String(error)}`);
    if (process.env.KEEL_DEBUG && error instanceof Error) io.err(error.stack ?? '');
    return 1;
  }
}

function parse(command: Command, args: string[]): { values: Values; positionals: string[] } {
  try {
    return parseArgs({ args, options: command.options, allowPositionals: true, strict: true }) as { values: Values; positionals: string[] };
  } catch (error) {
    // node:util parse errors (unknown option, missing value) are usage errors, not crashes.
    if ((error as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')) throw new UsageError((error as Error).message);
    throw error;
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => process.exit(code));
}
