import { readFileSync } from 'node:fs';
import http from 'node:http';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import type { ParticipantIdentity, Posted } from '../support/cardAutopilot.js';
import { REQUEST_TIMEOUT_MS, TENANT, TIMELINE_MS } from './constants.js';
import { summarise, summariseByKind, type Latencies } from './latency.js';
import type { Measurable, ServerReport } from './serverProcess.js';
import { defined } from '../../src/defined.js';

/** The load generator's transport and one measured run of it. */

export type Send = (activity: Record<string, unknown>) => Promise<Posted>;

let resent = 0;

/** Requests sent again because the server had just closed the idle keep-alive connection they went out on. */
export function resentRequests(): number {
  return resent;
}

/**
 * POSTs activities to a bot over keep-alive connections; resolves with the status and body once the bot answered.
 * A request that meets a reset on a reused connection is sent once more (Node's documented keep-alive race:
 * the server closed the idle connection as the request went out, so the bot never saw it).
 */
export function poster(baseUrl: string, agent: http.Agent): Send {
  const target = new URL('/api/messages', baseUrl);
  const attempt = (body: Buffer, retries: number): Promise<Posted> =>
    new Promise<Posted>((done, fail) => {
      const headers = { 'content-type': 'application/json', 'content-length': body.length };
      const { hostname: host, port, pathname: path } = target;
      const req = http.request({ host, port, path, method: 'POST', agent, headers }, (res) => {
        // An invoke's answer (the card that replaces the pressed one) is in the body.
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', fail);
      });
      req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS} ms`)));
      req.on('error', (err: NodeJS.ErrnoException) => {
        if (retries > 0 && req.reusedSocket && err.code === 'ECONNRESET') {
          resent++;
          attempt(body, retries - 1).then(done, fail);
        } else {
          fail(err);
        }
      });
      req.end(body);
    });
  return (activity) => attempt(Buffer.from(JSON.stringify(activity)), 5);
}

/**
 * Opens `count` keep-alive connections to the server (GET /healthz) before a measured run, as the Bot Connector
 * service keeps its connections: the run then measures turns, not a storm of TCP handshakes.
 */
export async function preconnect(baseUrl: string, agent: http.Agent, count: number): Promise<void> {
  const target = new URL('/healthz', baseUrl);
  const one = () =>
    new Promise<void>((done, fail) => {
      const req = http.get({ host: target.hostname, port: target.port, path: target.pathname, agent }, (res) => {
        res.resume();
        const status = res.statusCode;
        res.on('end', () => (status === 200 ? done() : fail(new Error(`GET /healthz: HTTP ${status}`))));
      });
      req.on('error', fail);
    });
  await Promise.all(Array.from({ length: count }, one));
}

export function identities(prefix: string, count: number, serviceUrl: string): ParticipantIdentity[] {
  return Array.from({ length: count }, (_, i) => ({
    userId: `29:${prefix}-${String(i + 1).padStart(4, '0')}`,
    userName: `Deelnemer ${prefix} ${i + 1}`,
    conversationId: `a:${prefix}-conversation-${String(i + 1).padStart(4, '0')}`,
    tenantId: TENANT,
    serviceUrl,
  }));
}

export interface LoadResult {
  latencies: Latencies;
  turns: number;
  wallMs: number;
  turnsPerSec: number;
  /**
   * The plateau: from the moment the last participant started to the moment the first one finished, when all
   * were mid-interview. Its turns/s is the load a paced run really applied (null when there was no such time).
   */
  plateauMs: number | null;
  plateauTurnsPerSec: number | null;
  /** The server's CPU over the run, in % of one core. */
  serverCpuPct: number;
  /** Turns/s and p99 latency per 5 s of the run (by when the turn was sent). */
  timeline: { turnsPerSec: number; p99: number }[];
  turnsPerParticipant: number[];
  /** Latencies per card kind the turn answered ('start' opens the chat, 'consent' creates the interview). */
  byKind: Record<string, Latencies>;
  server: ServerReport;
  clientCpuMs: number;
  /** The bench process's event-loop delay (load generator and mock connector): it adds to the measured latencies. */
  clientLoopDelayP99Ms: number;
  clientLoopDelayMaxMs: number;
  /** CPU the rest of the machine used meanwhile (other processes, the kernel's network work): noise when large. */
  otherCpuMs: number | null;
}

export interface Sample {
  kind: string;
  /** When the turn was sent (performance.now()). */
  at: number;
  ms: number;
  /** The Bot Connector calls the turn cost (Wijzer's turns). */
  calls?: number;
}

/** Busy CPU time of the whole machine so far, in ms (Linux /proc/stat; null elsewhere). */
function machineBusyMs(): number | null {
  try {
    const [total = ''] = readFileSync('/proc/stat', 'utf8').split('\n');
    const fields = total.trim().split(/\s+/).slice(1).map(Number);
    // A field an older kernel does not have is time it does not count.
    const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields;
    // USER_HZ is 100 on Linux: a jiffy is 10 ms.
    return (user + nice + system + irq + softirq + steal) * 10;
  } catch {
    return null;
  }
}

/** Runs `run` (every participant's samples) and measures it: latencies, rates, CPU of server, bench and machine. */
export async function measure(server: Measurable, run: () => Promise<Sample[][]>): Promise<LoadResult> {
  server.mark();
  const busyBefore = machineBusyMs();
  const clientCpu = process.cpuUsage();
  const clientLoop = monitorEventLoopDelay({ resolution: 5 });
  clientLoop.enable();
  const started = performance.now();
  const perParticipant = await run();
  const wallMs = performance.now() - started;
  // The server's CPU counts the checkpoint of what the run wrote; the turns' wall time does not wait for it.
  await server.settle();
  clientLoop.disable();
  const clientUsed = process.cpuUsage(clientCpu);
  const busyAfter = machineBusyMs();
  const serverReport = await server.report();
  const clientCpuMs = (clientUsed.user + clientUsed.system) / 1000;
  const ours = serverReport.cpuUserMs + serverReport.cpuSystemMs + clientCpuMs;
  const all = perParticipant.flat();
  const plateau = plateauOf(perParticipant);
  return {
    latencies: summarise(all.map((s) => s.ms)),
    byKind: summariseByKind(all),
    turns: all.length,
    wallMs,
    turnsPerSec: all.length / (wallMs / 1000),
    plateauMs: plateau?.ms ?? null,
    plateauTurnsPerSec: plateau ? turnsWithin(all, plateau.from, plateau.to) / (plateau.ms / 1000) : null,
    timeline: timelineOf(all, started, wallMs),
    serverCpuPct: ((serverReport.cpuUserMs + serverReport.cpuSystemMs) / wallMs) * 100,
    turnsPerParticipant: perParticipant.map((p) => p.length),
    server: serverReport,
    clientCpuMs,
    clientLoopDelayP99Ms: clientLoop.percentile(99) / 1e6,
    clientLoopDelayMaxMs: clientLoop.max / 1e6,
    otherCpuMs: busyBefore === null || busyAfter === null ? null : Math.max(0, busyAfter - busyBefore - ours),
  };
}

const SAMPLE = 'sample of an active participant';

/** When all participants were mid-interview: the last one's start to the first one's end; null if never. */
function plateauOf(perParticipant: Sample[][]): { from: number; to: number; ms: number } | null {
  const active = perParticipant.filter((p) => p.length > 0);
  const from = Math.max(...active.map((p) => defined(p[0], SAMPLE).at));
  const to = Math.min(...active.map((p) => defined(p.at(-1), SAMPLE)).map((last) => last.at + last.ms));
  return active.length && to > from ? { from, to, ms: to - from } : null;
}

/** The turns sent in [from, to). */
function turnsWithin(all: Sample[], from: number, to: number): number {
  return all.filter((s) => s.at >= from && s.at < to).length;
}

function timelineOf(all: Sample[], started: number, wallMs: number): LoadResult['timeline'] {
  return Array.from({ length: Math.ceil(wallMs / TIMELINE_MS) }, (_, i) => {
    const inside = all.filter((s) => s.at >= started + i * TIMELINE_MS && s.at < started + (i + 1) * TIMELINE_MS);
    return { turnsPerSec: inside.length / (TIMELINE_MS / 1000), p99: summarise(inside.map((s) => s.ms)).p99 };
  });
}
