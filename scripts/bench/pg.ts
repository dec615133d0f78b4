import http from 'node:http';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { InterviewRecord } from '../../src/interview/types.js';
import type { MockConnector } from '../support/mockConnector.js';
import type { BenchDatabases } from '../support/pgDatabases.js';
import { ROOT, SETTLE_MS } from './constants.js';
import { identities, measure, poster, preconnect, type LoadResult, type Send } from './load.js';
import type { Options } from './options.js';
import { expectNoUnexpected, interviews } from './participants.js';
import { serverGroup, ServerProcess } from './serverProcess.js';
import { verifyPgStore } from './verify.js';
import { defined } from '../../src/defined.js';

/** One keep-alive agent per server, made beside it. */
const AGENT = 'agent of a server';

/**
 * Phases pg and pg2, Wijzer on PostgreSQL: `instances` server processes (DATABASE_URL, KEY_DATABASE_URL, one
 * PSEUDONYM_SECRET) on the same two databases; the load generator sends each turn to the next instance in turn
 * (round robin per request, so one participant's interview moves between the instances). A warm-up, then the
 * closed loop and the paced run, as in phase a; every interview must end complete in the database.
 */

export interface PgRunResult {
  instances: number;
  participants: number;
  load: LoadResult;
  paced: LoadResult | null;
  record: InterviewRecord;
}

export async function phasePg(
  options: Options,
  tmp: string,
  connector: MockConnector,
  databases: BenchDatabases,
  secretHex: string,
  instances: number,
): Promise<PgRunResult> {
  const tag = `pg${instances}`;
  const env = {
    DATA_DIR: join(tmp, `${tag}-data`),
    KEY_DIR: join(tmp, `${tag}-keys`),
    CONTENT_DIR: ROOT,
    DATABASE_URL: databases.databaseUrl,
    KEY_DATABASE_URL: databases.keyDatabaseUrl,
    PSEUDONYM_SECRET: secretHex,
  };
  const servers: ServerProcess[] = [];
  const n = options.pgParticipants;
  const agents: http.Agent[] = [];
  const newAgents = () =>
    servers.map(() => {
      const agent = new http.Agent({ keepAlive: true, maxSockets: n + 16 });
      agents.push(agent);
      return agent;
    });
  const roundRobin = (forAgents: http.Agent[]): Send => {
    const posts = servers.map((s, i) => poster(s.url, defined(forAgents[i], AGENT)));
    let next = 0;
    return (activity) => defined(posts[next++ % posts.length], 'poster of a server')(activity);
  };
  try {
    for (let i = 0; i < instances; i++) servers.push(await ServerProcess.start('wijzer', env, options.profileDir));
    const group = serverGroup(servers);
    const loadAgents = newAgents();
    const send = roundRobin(loadAgents);
    connector.reset();
    const warm = identities(`${tag}-warmup`, options.warmup, connector.url);
    if (warm.length) await interviews(warm, send, connector, 30_000);
    const people = identities(`${tag}-participant`, n, connector.url);
    await Promise.all(
      servers.map((s, i) => preconnect(s.url, defined(loadAgents[i], AGENT), Math.ceil(n / instances) + 4)),
    );
    connector.reset();
    const load = await measure(group, () => interviews(people, send, connector, 1));
    expectNoUnexpected(connector);
    for (const a of loadAgents) a.destroy();
    let paced: LoadResult | null = null;
    const pacedPeople = options.thinkMs ? identities(`${tag}-paced`, n, connector.url) : [];
    if (pacedPeople.length) {
      await sleep(SETTLE_MS);
      connector.reset();
      paced = await measure(group, () => interviews(pacedPeople, roundRobin(newAgents()), connector, 1, options));
      expectNoUnexpected(connector);
    }
    for (const a of agents) a.destroy();
    for (const s of servers) await s.close();
    const record = await verifyPgStore(databases, secretHex, [...people, ...pacedPeople]);
    return { instances, participants: n, load, paced, record };
  } finally {
    for (const a of agents) a.destroy();
    for (const s of servers) await s.close();
  }
}
