import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { MockConnector } from '../support/mockConnector.js';
import { SETTLE_MS } from './constants.js';
import { summarise, type Latencies } from './latency.js';
import { identities, measure, poster, preconnect, type LoadResult } from './load.js';
import type { Options } from './options.js';
import { echoes, expectNoUnexpected } from './participants.js';
import { ServerProcess } from './serverProcess.js';

/**
 * Phase b: a bare botbuilder echo bot (ActivityHandler, CloudAdapter, restify, the same mock connector) in a
 * child process: the same participants, the same number of turns each, the same two runs as phase a.
 */

export interface EchoResult {
  load: LoadResult;
  paced: LoadResult | null;
  solo: Latencies;
}

export async function phaseEcho(options: Options, connector: MockConnector, turnsEach: number[]): Promise<EchoResult> {
  const server = await ServerProcess.start('echo', {}, options.profileDir);
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.participants + 16 });
  const pacedAgent = new http.Agent({ keepAlive: true, maxSockets: options.participants + 16 });
  try {
    const send = poster(server.url, agent);
    connector.reset();
    const typical = turnsEach[0] ?? 18;
    const warm = identities('echo-warmup', options.warmup, connector.url);
    await echoes(
      warm,
      warm.map(() => typical),
      send,
      connector,
    );
    const soloPeople = identities('echo-solo', 3, connector.url);
    const solo: number[] = [];
    for (const person of soloPeople) {
      solo.push(...(await echoes([person], [typical], send, connector)).flat().map((s) => s.ms));
    }
    const people = identities('echo', turnsEach.length, connector.url);
    await preconnect(server.url, agent, people.length);
    connector.reset();
    const load = await measure(server, () => echoes(people, turnsEach, send, connector));
    expectNoUnexpected(connector);
    agent.destroy();
    let paced: LoadResult | null = null;
    if (options.thinkMs) {
      await sleep(SETTLE_MS);
      const pacedPeople = identities('echo-paced', turnsEach.length, connector.url);
      connector.reset();
      const pacedSend = poster(server.url, pacedAgent);
      paced = await measure(server, () => echoes(pacedPeople, turnsEach, pacedSend, connector, options));
      expectNoUnexpected(connector);
    }
    return { load, paced, solo: summarise(solo) };
  } finally {
    agent.destroy();
    pacedAgent.destroy();
    await server.close();
  }
}
