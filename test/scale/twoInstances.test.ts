/**
 * Multi-instance: two bot processes (`node dist/src/main.js`) on two ports against one pair of PostgreSQL
 * databases, behind a small round-robin proxy, as Azure Bot Service would spread a participant's activities over
 * the instances. A scripted Teams client (the card autopilot, speaking the Bot Framework protocol to the proxy,
 * with a mock Bot Connector as serviceUrl) plays one whole Dutch interview; its turns alternate between the two
 * instances; halfway through one instance is killed (SIGKILL) and the proxy sends everything to the survivor.
 *
 * Afterwards: exactly one interview is stored, complete, holding every answer the participant gave; and a dump of
 * both databases (every row of every table) is scanned: the answers database holds no identity (Teams user id,
 * name, tenant, conversation id, service URL, pseudonym), the key database holds no answer text.
 *
 * Needs `npm run build` (it runs dist/src/main.js) and PostgreSQL (test/support/postgres.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import {
  CardAutopilot,
  runParticipant,
  type ParticipantIdentity,
  type Posted,
} from '../../scripts/support/cardAutopilot.js';
import { BOT_MAIN, withoutProductionSettings } from '../../scripts/support/botProcess.js';
import { freePort } from '../../scripts/support/freePort.js';
import { MockConnector } from '../../scripts/support/mockConnector.js';
import { postActivity } from '../../scripts/support/postActivity.js';
import { pseudonymOf } from '../../src/storage/pseudonym.js';
import { createDatabasePair, dumpDatabase, type DatabasePair } from '../support/postgres.js';
import { at, only } from '../support/defined.js';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Every child this file started: killed on exit, whatever happened. */
const children = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of children)
    try {
      child.kill('SIGKILL');
    } catch {
      /* gone */
    }
});

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

interface Instance {
  name: string;
  port: number;
  child: ChildProcess;
  log: string;
  alive: boolean;
}

async function startInstance(name: string, root: string, env: Record<string, string>): Promise<Instance> {
  const port = await freePort();
  const log = path.join(root, `${name}.log`);
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env, PORT: String(port), WIJZER_LOCAL: '1' };
  withoutProductionSettings(childEnv);
  const fd = openSync(log, 'a');
  const child = spawn(process.execPath, [BOT_MAIN], { cwd: REPO_ROOT, env: childEnv, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  children.add(child);
  child.once('exit', () => children.delete(child));
  const instance: Instance = { name, port, child, log, alive: true };
  child.once('exit', () => {
    instance.alive = false;
  });
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (!instance.alive) throw new Error(`${name} exited during start-up: ${readFileSync(log, 'utf8').slice(-2000)}`);
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(2000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) return instance;
    if (Date.now() > deadline)
      throw new Error(`${name} not ready after 20 s: ${readFileSync(log, 'utf8').slice(-2000)}`);
    await sleep(100);
  }
}

async function stopInstance(instance: Instance | undefined, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (!instance) return;
  const { child } = instance;
  if (child.exitCode === null && child.signalCode === null) {
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited(child);
    clearTimeout(timer);
  }
  instance.alive = false;
}

interface ProxyRecord {
  n: number;
  instance: string;
  status: number;
  type?: string;
}

/** Round-robin over the instances the test says are up; what a load balancer in front of the bots does. */
class RoundRobinProxy {
  readonly records: ProxyRecord[] = [];
  private server?: http.Server;
  private next = 0;
  port = 0;

  constructor(private readonly instances: Instance[]) {}

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    this.server.keepAliveTimeout = 1000;
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const up = this.instances.filter((i) => i.alive);
    const record: ProxyRecord = { n: this.records.length, instance: '-', status: 502 };
    this.records.push(record);
    try {
      record.type = (JSON.parse(body.toString('utf8')) as { type?: string }).type;
    } catch {
      /* not JSON */
    }
    if (!up.length) {
      res.writeHead(502).end();
      return;
    }
    const target = at(up, this.next++ % up.length, 'live instance');
    record.instance = target.name;
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers))
      if (typeof v === 'string' && !['host', 'content-length', 'connection'].includes(k)) headers[k] = v;
    try {
      const upstream = await fetch(`http://127.0.0.1:${target.port}${req.url ?? '/'}`, {
        method: req.method,
        headers,
        body: req.method === 'GET' ? undefined : body,
      });
      const payload = Buffer.from(await upstream.arrayBuffer());
      record.status = upstream.status;
      res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' });
      res.end(payload);
    } catch {
      res.writeHead(502).end();
    }
  }

  async close(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }
}

/** Which needles occur (case-insensitively) in the text. */
function found(text: string, needles: string[]): string[] {
  const lower = text.toLowerCase();
  return needles.filter((n) => n.trim() !== '' && lower.includes(n.toLowerCase()));
}

type Json = Record<string, unknown>;

describe('two bot instances on one PostgreSQL, behind a round-robin proxy', () => {
  let pair: DatabasePair | undefined;
  let connector: MockConnector | undefined;
  let proxy: RoundRobinProxy | undefined;
  let root = '';
  const instances: Instance[] = [];
  let failed = true;
  const secret = randomBytes(32).toString('hex');
  const timings: Record<string, number> = {};

  beforeAll(async () => {
    if (!existsSync(BOT_MAIN)) throw new Error(`${BOT_MAIN} is missing: run "npm run build" first.`);
    let t = performance.now();
    root = await mkdtemp(path.join(os.tmpdir(), 'wijzer-scale-'));
    pair = await createDatabasePair();
    timings.databasesMs = performance.now() - t;
    connector = await MockConnector.start();
    const env = {
      DATABASE_URL: pair.databaseUrl,
      KEY_DATABASE_URL: pair.keyDatabaseUrl,
      PSEUDONYM_SECRET: secret,
      CONTENT_DIR: REPO_ROOT,
      // Nothing may be kept on the local disk in this mode: these folders must stay empty.
      DATA_DIR: path.join(root, 'data'),
      KEY_DIR: path.join(root, 'keys'),
      SCHEDULER_INTERVAL_SEC: '3600',
      WIJZER_QUIET: '1',
    };
    t = performance.now();
    instances.push(...(await Promise.all([startInstance('A', root, env), startInstance('B', root, env)])));
    timings.startMs = performance.now() - t;
    proxy = new RoundRobinProxy(instances);
    await proxy.start();
  }, 60_000);

  afterAll(async () => {
    await Promise.all(instances.map((i) => stopInstance(i)));
    await proxy?.close();
    await connector?.close();
    await pair?.drop();
    if (failed) console.log(`twoInstances failed: bot logs kept in ${root}`);
    else if (root) await rm(root, { recursive: true, force: true });
    console.log(
      `twoInstances timings: ${JSON.stringify(Object.fromEntries(Object.entries(timings).map(([k, v]) => [k, Math.round(v)])))}`,
    );
  }, 30_000);

  it('carries one participant through the whole interview while one instance is killed, and keeps answers and identity apart', async () => {
    const identity: ParticipantIdentity = {
      userId: `29:scale-user-${randomBytes(6).toString('hex')}`,
      userName: 'Femke Schaaltest-Vermeulen',
      conversationId: `a:scale-chat-${randomBytes(6).toString('hex')}`,
      tenantId: `scale-tenant-${randomBytes(6).toString('hex')}`,
      serviceUrl: connector!.url,
      locale: 'nl-NL',
    };
    const KILL_BEFORE_TURN = 10;
    const submitted: Json[] = [];
    let turn = 0;
    let killedAt = -1;
    const send = async (activity: Json): Promise<Posted> => {
      if (turn === KILL_BEFORE_TURN) {
        // A crash between two turns: no chance to flush or close; from now on the proxy sees only B.
        const a = at(instances, 0, 'instance');
        a.child.kill('SIGKILL');
        await exited(a.child);
        a.alive = false;
        killedAt = proxy!.records.length;
      }
      turn++;
      // A button press: an invoke carries the card's inputs in its action's data, a message in its value.
      const pressed =
        activity.type === 'invoke' ? (activity.value as { action: { data: Json } }).action.data : activity.value;
      if (pressed && typeof pressed === 'object') submitted.push(pressed as Json);
      return postActivity(proxy!.url, activity);
    };

    const started = performance.now();
    const result = await runParticipant({
      identity,
      send,
      reader: connector!,
      autopilot: new CardAutopilot({ seed: 6, choices: 'random' }),
      maxTurns: 80,
    });
    timings.interviewMs = performance.now() - started;
    timings.turns = result.turns.length;
    expect(result.completed).toBe(true);
    expect(killedAt).toBeGreaterThan(0);
    expect(at(instances, 0, 'instance').alive).toBe(false);
    expect(at(instances, 1, 'instance').alive).toBe(true);

    // The turns alternated between the two instances until A was killed, and went to B after.
    const records = proxy!.records;
    const before = records.slice(0, killedAt);
    const after = records.slice(killedAt);
    expect(before.map((r) => r.instance)).toEqual(before.map((_, i) => (i % 2 === 0 ? 'A' : 'B')));
    expect(after.length).toBeGreaterThan(3);
    expect(after.every((r) => r.instance === 'B')).toBe(true);
    expect(records.every((r) => r.status === 200)).toBe(true);
    // Halfway: at least a third of the turns on each side of the kill.
    expect(before.length).toBeGreaterThanOrEqual(records.length / 3);
    expect(after.length).toBeGreaterThanOrEqual(records.length / 3);

    // Exactly one interview, complete, with every answer the participant gave.
    const client = new pg.Client({ connectionString: pair!.databaseUrl });
    await client.connect();
    let rows: { round_id: string; code: string; rev: number; data: Json }[];
    try {
      rows = (
        await client.query<{ round_id: string; code: string; rev: number; data: Json }>(
          'SELECT round_id, code, rev, data FROM interviews',
        )
      ).rows;
    } finally {
      await client.end();
    }
    expect(rows).toHaveLength(1);
    const row = only(rows, 'interview row');
    const record = row.data as {
      completedAt: string | null;
      answers: Record<string, Record<string, unknown>>;
      selection: string[];
      placement: Record<string, number>;
      followUps: Record<string, { column: number; answers: Record<string, unknown> }>;
      consent: { participate: boolean };
      rev: number;
    };
    expect(record.completedAt).toEqual(expect.any(String));
    expect(record.consent.participate).toBe(true);
    expect(record.rev).toBe(row.rev);
    const guide = JSON.parse(
      readFileSync(path.join(REPO_ROOT, 'dialogs', 'guides', 'wij-jeugdgeneralist.json'), 'utf8'),
    ) as { steps: { id: string; kind: string; questions?: { id: string }[] }[] };
    const unanswered: string[] = [];
    for (const step of guide.steps.filter((s) => s.kind === 'questions')) {
      for (const q of step.questions ?? []) {
        const v = record.answers[step.id]?.[q.id];
        if (v === undefined || v === null || v === '') unanswered.push(`${step.id}.${q.id}`);
      }
    }
    expect(unanswered).toEqual([]);
    expect(record.selection).toHaveLength(12);
    expect(Object.keys(record.placement).sort()).toEqual([...record.selection].sort());
    expect(Object.keys(record.followUps).length).toBeGreaterThan(0);
    for (const [card, f] of Object.entries(record.followUps)) {
      const empty = Object.entries(f.answers)
        .filter(([, v]) => v === null || v === '')
        .map(([k]) => k);
      expect({ card, empty }).toEqual({ card, empty: [] });
    }
    // Every sentence the participant typed is in the stored interview.
    const typed = [
      ...new Set(
        submitted.flatMap((v) =>
          Object.entries(v)
            .filter(([k, x]) => k.startsWith('q_') && typeof x === 'string' && x.length > 20)
            .map(([, x]) => x as string),
        ),
      ),
    ];
    expect(typed.length).toBeGreaterThan(5);
    const stored = JSON.stringify(record);
    expect(typed.filter((t) => !stored.includes(t))).toEqual([]);

    // Dumps of both databases, every row of every table.
    const answersDump = await dumpDatabase(pair!.databaseUrl);
    const keysDump = await dumpDatabase(pair!.keyDatabaseUrl);
    const pseudonym = pseudonymOf(Buffer.from(secret, 'hex'), identity.tenantId, identity.userId);
    const connectorHost = new URL(identity.serviceUrl).host;
    const identityNeedles = [
      identity.userId,
      identity.userName,
      'Femke',
      'Vermeulen',
      identity.tenantId,
      identity.conversationId,
      identity.serviceUrl,
      connectorHost,
      pseudonym,
    ];
    // Self-check of the scan: the key database does know the participant (their pseudonym and chat target).
    expect(found(keysDump, [pseudonym])).toEqual([pseudonym]);
    expect(found(answersDump, [row.code])).toEqual([row.code]);
    expect(found(answersDump, identityNeedles)).toEqual([]);
    expect(found(keysDump, typed)).toEqual([]);

    // Nothing went to the local disk in PostgreSQL mode.
    const local = ['data', 'keys'].flatMap((d) =>
      existsSync(path.join(root, d)) ? readdirSync(path.join(root, d)).map((f) => `${d}/${f}`) : [],
    );
    expect(local).toEqual([]);
    timings.beforeKill = before.length;
    timings.afterKill = after.length;
    failed = false;
  }, 60_000);
});
