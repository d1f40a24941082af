/**
 * Summarises a V8 `.cpuprofile` (what `node --cpu-prof` writes): self time per function and per
 * package, so a benchmark can say where a process's CPU went. The file is JSON: `nodes` (a call
 * tree; each node a `callFrame` with functionName and url), `samples` (the node on top of the
 * stack at each tick) and `timeDeltas` (µs between ticks). A sample's duration is the gap to the
 * next one, as Chrome DevTools counts it.
 */

export interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }>;
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface SelfTime {
  name: string;
  group: string;
  /** `file:line` inside the package, or the VM's own label. */
  where: string;
  ms: number;
  /** Of the busy (non-idle) time in the window. */
  share: number;
}

export interface ProfileSummary {
  windowMs: number;
  busyMs: number;
  idleMs: number;
  groups: Array<{ group: string; ms: number; share: number }>;
  top: SelfTime[];
  /** Inclusive shares of busy time for the stages asked for (`SummaryOptions.stages`). */
  stages: Array<{ stage: string; share: number }>;
}

/** A stage of request handling: a frame that, when on the stack, means the time is spent in it. */
export interface Stage {
  stage: string;
  /** Matched against `functionName url` of each frame on the sample's stack. */
  frame: RegExp;
}

const GROUPS: Array<[RegExp, string]> = [
  [/node_modules\/@nestjs\/|node_modules\/(rxjs|reflect-metadata|path-to-regexp)\//, 'nestjs'],
  [/node_modules\/(fastify|@fastify\/[^/]+|find-my-way|avvio|light-my-request|fast-json-stringify|fast-querystring|fast-uri|safe-regex2|toad-cache|secure-json-parse|abstract-logging|process-warning|rfdc)\//, 'fastify'],
  [/node_modules\/@opentelemetry\/|node_modules\/(require-in-the-middle|import-in-the-middle|shimmer)\//, 'opentelemetry'],
  [/node_modules\/undici\/|node:internal\/deps\/undici/, 'undici'],
  [/node_modules\/(pino|pino-http|nestjs-pino|pino-std-serializers|sonic-boom|thread-stream|fast-redact|on-exit-leak-free|quick-format-unescaped|atomic-sleep|safe-stable-stringify)\//, 'logging (pino)'],
  [/node_modules\/(class-validator|class-transformer|validator|libphonenumber-js)\//, 'validation'],
  [/node_modules\/cockatiel\//, 'cockatiel'],
  [/node_modules\/zod\//, 'zod'],
  [/\/libs\/[^/]+\/src\//, 'keel libs'],
  [/\/apps\/[^/]+\/src\//, 'keel app'],
  [/^node:|^internal\/|^(events|net|http|_http_\w+|stream|buffer|timers|async_hooks|util)(\.js)?$/, 'node internals'],
];

const SOCKET_WRITES = new Set(['writeUtf8String', 'writeLatin1String', 'writeBuffer', 'writev', 'writeAsciiString', 'writeUcs2String']);

/** Which part of the stack a frame belongs to; VM frames ("(garbage collector)") keep their label. */
export function groupOf(url: string, functionName: string): string {
  // The native halves of socket writes: mostly the write(2) syscall itself, whoever called it.
  if (SOCKET_WRITES.has(functionName) && !url) return 'socket writes (syscalls)';
  if (!url) {
    if (functionName === '(garbage collector)') return 'gc';
    if (functionName === '(program)' || functionName === '(idle)' || functionName === '(root)') return functionName;
    return 'native (V8 builtins, JSON, regexps)';
  }
  for (const [pattern, group] of GROUPS) if (pattern.test(url)) return group;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1];
  return pkg ?? 'other';
}

function where(url: string, line: number): string {
  if (!url) return 'vm';
  const short = url.replace(/^file:\/\//, '').replace(/^.*node_modules\//, '').replace(/^.*?\/((?:libs|apps|bench)\/)/, '$1');
  return `${short}:${line + 1}`;
}

export interface SummaryOptions {
  /** Only samples in [fromUs, toUs] of the profile's own clock count (e.g. the loaded seconds). */
  fromUs?: number;
  toUs?: number;
  top?: number;
  stages?: Stage[];
}

export function summariseProfile(profile: CpuProfile, options: SummaryOptions = {}): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const from = options.fromUs ?? -Infinity;
  const to = options.toUs ?? Infinity;
  const selfUs = new Map<number, number>();
  let at = profile.startTime;
  const times = profile.timeDeltas.map((delta) => (at += delta));
  for (let i = 0; i < profile.samples.length; i++) {
    if (times[i] < from || times[i] > to) continue;
    const duration = (i + 1 < times.length ? times[i + 1] : profile.endTime) - times[i];
    selfUs.set(profile.samples[i], (selfUs.get(profile.samples[i]) ?? 0) + Math.max(0, duration));
  }
  const functions = new Map<string, Omit<SelfTime, 'share'>>();
  const groups = new Map<string, number>();
  let idleUs = 0;
  let totalUs = 0;
  for (const [id, us] of selfUs) {
    const { functionName, url, lineNumber } = byId.get(id)?.callFrame ?? { functionName: '?', url: '', lineNumber: 0 };
    totalUs += us;
    const group = groupOf(url, functionName);
    if (group === '(idle)') {
      idleUs += us;
      continue;
    }
    groups.set(group, (groups.get(group) ?? 0) + us);
    const key = `${functionName}|${url}|${lineNumber}`;
    const entry = functions.get(key) ?? { name: functionName || '(anonymous)', group, where: where(url, lineNumber), ms: 0 };
    entry.ms += us / 1_000;
    functions.set(key, entry);
  }
  const busyUs = totalUs - idleUs;
  const stages = (options.stages ?? []).map(({ stage, frame }) => ({ stage, share: busyUs > 0 ? stageUs(profile, selfUs, frame) / busyUs : 0 }));
  const share = (us: number) => (busyUs > 0 ? us / busyUs : 0);
  return {
    windowMs: totalUs / 1_000,
    busyMs: busyUs / 1_000,
    idleMs: idleUs / 1_000,
    groups: [...groups].map(([group, us]) => ({ group, ms: us / 1_000, share: share(us) })).sort((a, b) => b.ms - a.ms),
    top: [...functions.values()]
      .sort((a, b) => b.ms - a.ms)
      .slice(0, options.top ?? 15)
      .map((f) => ({ ...f, share: share(f.ms * 1_000) })),
    stages,
  };
}

/** Time of the samples whose stack holds a frame matching `frame`, each sample counted once. */
function stageUs(profile: CpuProfile, selfUs: Map<number, number>, frame: RegExp): number {
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const matches = new Map<number, boolean>();
  const inStage = (id: number): boolean => {
    const known = matches.get(id);
    if (known !== undefined) return known;
    const node = byId.get(id);
    const up = parent.get(id);
    const result = node !== undefined && (frame.test(`${node.callFrame.functionName} ${node.callFrame.url}`) || (up !== undefined && inStage(up)));
    matches.set(id, result);
    return result;
  };
  let us = 0;
  for (const [id, time] of selfUs) if (inStage(id)) us += time;
  return us;
}
