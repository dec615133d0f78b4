import http from 'node:http';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { InterviewRecord } from '../../src/interview/types.js';
import type { MockConnector } from '../support/mockConnector.js';
import { ROOT, SETTLE_MS } from './constants.js';
import { summarise, summariseByKind, type Latencies } from './latency.js';
import { identities, measure, poster, preconnect, type LoadResult, type Sample } from './load.js';
import type { Options } from './options.js';
import { expectNoUnexpected, interviews } from './participants.js';
import { ServerProcess } from './serverProcess.js';
import { verifyStore } from './verify.js';

/**
 * Phase a: the real server (lowdb store in a temp dir) in a child process; simulated participants doing whole
 * interviews over keep-alive HTTP, a closed loop (capacity) then a paced run (latency below capacity). Every
 * interview of both runs must be complete in the store.
 */

export interface WijzerResult {
  /** The closed loop: capacity. */
  load: LoadResult;
  /** The paced run: latency below capacity (null with --think 0). */
  paced: LoadResult | null;
  solo: Latencies;
  /** One participant alone, by kind of turn: roughly each kind's service time. */
  soloByKind: Record<string, Latencies>;
  record: InterviewRecord;
  connectorRoutes: Record<string, number>;
  connectorConnections: number;
  /** Bot Connector calls per card turn (every turn but opening the chat), over the solo interviews. */
  connectorCallsPerCardTurn: number;
}

export async function phaseWijzer(options: Options, tmp: string, connector: MockConnector): Promise<WijzerResult> {
  const dataDir = join(tmp, 'wijzer-data');
  const keyDir = join(tmp, 'wijzer-keys');
  const env = { DATA_DIR: dataDir, KEY_DIR: keyDir, CONTENT_DIR: ROOT };
  const server = await ServerProcess.start('wijzer', env, options.profileDir);
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.participants + 16 });
  const pacedAgent = new http.Agent({ keepAlive: true, maxSockets: options.participants + 16 });
  try {
    const send = poster(server.url, agent);
    connector.reset();
    // Warm-up (not measured): JIT, connection pools, the store's folders.
    const warm = identities('warmup', options.warmup, connector.url);
    if (warm.length) await interviews(warm, send, connector, 10_000);
    // Unloaded latency: a few participants one after another.
    const soloPeople = identities('solo', 3, connector.url);
    const solo: Sample[] = [];
    for (const [i, person] of soloPeople.entries()) {
      solo.push(...(await interviews([person], send, connector, 20_000 + i)).flat());
    }
    // Capacity: every participant at once, back to back, over connections opened beforehand.
    const people = identities('participant', options.participants, connector.url);
    await preconnect(server.url, agent, options.participants);
    connector.reset();
    const load = await measure(server, () => interviews(people, send, connector, 1));
    expectNoUnexpected(connector);
    const connectorRoutes = { ...connector.stats.byRoute };
    const connectorConnections = connector.stats.connections;
    agent.destroy();
    // Latency: other participants (new interviews), the same interviews, paced.
    let paced: LoadResult | null = null;
    const pacedPeople = options.thinkMs ? identities('paced', options.participants, connector.url) : [];
    if (pacedPeople.length) {
      await sleep(SETTLE_MS);
      connector.reset();
      const pacedSend = poster(server.url, pacedAgent);
      paced = await measure(server, () => interviews(pacedPeople, pacedSend, connector, 1, options));
      expectNoUnexpected(connector);
    }
    pacedAgent.destroy();
    await server.close();
    const stored = warm.length + soloPeople.length + people.length + pacedPeople.length;
    const record = await verifyStore(dataDir, keyDir, [...people, ...pacedPeople], stored);
    const soloByKind = summariseByKind(solo);
    const soloLatencies = summarise(solo.map((s) => s.ms));
    const cardTurns = solo.filter((s) => s.kind !== 'start');
    const connectorCallsPerCardTurn = cardTurns.reduce((sum, s) => sum + (s.calls ?? 0), 0) / cardTurns.length;
    return {
      load,
      paced,
      solo: soloLatencies,
      soloByKind,
      record,
      connectorRoutes,
      connectorConnections,
      connectorCallsPerCardTurn,
    };
  } finally {
    agent.destroy();
    pacedAgent.destroy();
    await server.close();
  }
}
