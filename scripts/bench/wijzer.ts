import http from 'node:http';
import { join } from 'node:path';
import type { InterviewRecord } from '../../src/interview/types.js';
import type { ParticipantIdentity } from '../support/cardAutopilot.js';
import type { MockConnector } from '../support/mockConnector.js';
import { ROOT } from './constants.js';
import { summarise, summariseByKind, type Latencies } from './latency.js';
import { identities, measure, poster, preconnect, type LoadResult, type Sample, type Send } from './load.js';
import type { Options } from './options.js';
import { expectNoUnexpected, interviews } from './participants.js';
import { ServerProcess } from './serverProcess.js';
import { verifyStore } from './verify.js';
import { warmedUp } from './warmedUp.js';

/**
 * Phase a: the real server (lowdb store in a temp dir) in a child process; simulated participants doing whole
 * interviews over keep-alive HTTP, in closed-loop runs (capacity) and paced runs (latency below capacity), each run
 * with new participants. Every interview of every run must be complete in the store.
 */

export interface WijzerResult {
  /** The closed-loop runs, in the order they ran: capacity. */
  loads: LoadResult[];
  /** The paced runs (none with --think 0): latency below capacity. */
  pacedRuns: LoadResult[];
  solo: Latencies;
  /** One participant alone, by kind of turn: roughly each kind's service time. */
  soloByKind: Record<string, Latencies>;
  record: InterviewRecord;
  /** The first closed-loop run's Bot Connector calls. */
  connectorRoutes: Record<string, number>;
  connectorConnections: number;
  /** Bot Connector calls per card turn (every turn but opening the chat), over the solo interviews. */
  connectorCallsPerCardTurn: number;
}

/** Wijzer's server under test: warmed up and measured alone at the start, then run by run. */
export class WijzerBench {
  private readonly loads: LoadResult[] = [];
  private readonly pacedRuns: LoadResult[] = [];
  private readonly measured: ParticipantIdentity[] = [];
  private stored = 0;
  private solo: Sample[] = [];
  private routes: { byRoute: Record<string, number>; connections: number } | null = null;

  private constructor(
    private readonly options: Options,
    private readonly server: ServerProcess,
    private readonly connector: MockConnector,
    private readonly dirs: { data: string; keys: string },
  ) {}

  static async start(options: Options, tmp: string, connector: MockConnector): Promise<WijzerBench> {
    const dirs = { data: join(tmp, 'wijzer-data'), keys: join(tmp, 'wijzer-keys') };
    const env = { DATA_DIR: dirs.data, KEY_DIR: dirs.keys, CONTENT_DIR: ROOT };
    const server = await ServerProcess.start('wijzer', env, options.profileDir);
    return warmedUp(new WijzerBench(options, server, connector, dirs), (bench) => bench.warmUp());
  }

  /** Warm-up (not measured: JIT, connection pools, the store's folders), then a few participants one by one. */
  private async warmUp(): Promise<void> {
    const agent = new http.Agent({ keepAlive: true });
    try {
      const send = poster(this.server.url, agent);
      this.connector.reset();
      const warm = identities('warmup', this.options.warmup, this.connector.url);
      if (warm.length) await interviews(warm, send, this.connector, 10_000);
      for (const [i, person] of identities('solo', 3, this.connector.url).entries()) {
        this.solo.push(...(await interviews([person], send, this.connector, 20_000 + i)).flat());
      }
      this.stored += warm.length + 3;
    } finally {
      agent.destroy();
    }
  }

  /** The turns each participant of the last run took: the echo bot's runs take as many. */
  get turnsEach(): number[] | null {
    return this.loads.at(-1)?.turnsPerParticipant ?? null;
  }

  /** Capacity: every participant at once, back to back, over connections opened beforehand. */
  async closedLoop(round: number): Promise<LoadResult> {
    const people = identities(`participant-${round + 1}`, this.options.participants, this.connector.url);
    const load = await this.run(people, async (send, agent) => {
      await preconnect(this.server.url, agent, people.length);
      this.connector.reset();
      return measure(this.server, () => interviews(people, send, this.connector, 1));
    });
    this.routes ??= { byRoute: { ...this.connector.stats.byRoute }, connections: this.connector.stats.connections };
    this.loads.push(load);
    return load;
  }

  /** Latency: other participants (new interviews), the same interviews, paced. */
  async paced(round: number): Promise<LoadResult> {
    const people = identities(`paced-${round + 1}`, this.options.participants, this.connector.url);
    const load = await this.run(people, (send) => {
      this.connector.reset();
      return measure(this.server, () => interviews(people, send, this.connector, 1, this.options));
    });
    this.pacedRuns.push(load);
    return load;
  }

  private async run(
    people: ParticipantIdentity[],
    go: (send: Send, agent: http.Agent) => Promise<LoadResult>,
  ): Promise<LoadResult> {
    const agent = new http.Agent({ keepAlive: true, maxSockets: people.length + 16 });
    try {
      const load = await go(poster(this.server.url, agent), agent);
      expectNoUnexpected(this.connector);
      this.measured.push(...people);
      this.stored += people.length;
      return load;
    } finally {
      agent.destroy();
    }
  }

  /** Stops the server and checks the store: every measured interview complete, code by code. */
  async finish(): Promise<WijzerResult> {
    await this.server.close();
    const record = await verifyStore(this.dirs.data, this.dirs.keys, this.measured, this.stored);
    const cardTurns = this.solo.filter((s) => s.kind !== 'start');
    return {
      loads: this.loads,
      pacedRuns: this.pacedRuns,
      solo: summarise(this.solo.map((s) => s.ms)),
      soloByKind: summariseByKind(this.solo),
      record,
      connectorRoutes: this.routes?.byRoute ?? {},
      connectorConnections: this.routes?.connections ?? 0,
      connectorCallsPerCardTurn: cardTurns.reduce((sum, s) => sum + (s.calls ?? 0), 0) / cardTurns.length,
    };
  }

  close(): Promise<void> {
    return this.server.close();
  }
}
