import http from 'node:http';
import type { MockConnector } from '../support/mockConnector.js';
import { summarise, type Latencies } from './latency.js';
import { identities, measure, poster, preconnect, type LoadResult, type Send } from './load.js';
import type { Options } from './options.js';
import { echoes, expectNoUnexpected } from './participants.js';
import { ServerProcess } from './serverProcess.js';
import { warmedUp } from './warmedUp.js';

/**
 * Phase b: a bare botbuilder echo bot (ActivityHandler, CloudAdapter, restify, the same mock connector) in a
 * child process: as many participants as phase a, as many turns each, the same closed-loop and paced runs. The
 * durable echo bot is the same bot with one durable write of the embedded store a turn (scripts/bench/serverChild.ts).
 */

export interface EchoResult {
  loads: LoadResult[];
  pacedRuns: LoadResult[];
  solo: Latencies;
}

/** What a participant of the echo bot sends when there is no Wijzer run to copy: about an interview's turns. */
const TYPICAL_TURNS = 18;

/** The echo bot under test: warmed up and measured alone at the start, then run by run. */
export class EchoBench {
  private readonly loads: LoadResult[] = [];
  private readonly pacedRuns: LoadResult[] = [];
  private solo: number[] = [];

  private constructor(
    private readonly options: Options,
    private readonly server: ServerProcess,
    private readonly connector: MockConnector,
    private readonly name: string,
  ) {}

  /** durableDir: the durable echo bot's store folder; without it, the plain echo bot. */
  static async start(options: Options, connector: MockConnector, durableDir?: string): Promise<EchoBench> {
    const [role, env] = durableDir ? (['durable-echo', { DATA_DIR: durableDir }] as const) : (['echo', {}] as const);
    const server = await ServerProcess.start(role, env, options.profileDir);
    return warmedUp(new EchoBench(options, server, connector, role), (bench) => bench.warmUp());
  }

  private async warmUp(): Promise<void> {
    const agent = new http.Agent({ keepAlive: true });
    try {
      const send = poster(this.server.url, agent);
      this.connector.reset();
      const warm = identities(`${this.name}-warmup`, this.options.warmup, this.connector.url);
      await echoes(
        warm,
        warm.map(() => TYPICAL_TURNS),
        send,
        this.connector,
      );
      for (const person of identities(`${this.name}-solo`, 3, this.connector.url)) {
        const turns = await echoes([person], [TYPICAL_TURNS], send, this.connector);
        this.solo.push(...turns.flat().map((s) => s.ms));
      }
    } finally {
      agent.destroy();
    }
  }

  /** turnsEach: the turns of each participant (those of Wijzer's last run). */
  async closedLoop(round: number, turnsEach = this.typical()): Promise<LoadResult> {
    const people = identities(`${this.name}-${round + 1}`, turnsEach.length, this.connector.url);
    const load = await this.run(async (send, agent) => {
      await preconnect(this.server.url, agent, people.length);
      this.connector.reset();
      return measure(this.server, () => echoes(people, turnsEach, send, this.connector));
    });
    this.loads.push(load);
    return load;
  }

  async paced(round: number, turnsEach = this.typical()): Promise<LoadResult> {
    const people = identities(`${this.name}-paced-${round + 1}`, turnsEach.length, this.connector.url);
    const load = await this.run((send) => {
      this.connector.reset();
      return measure(this.server, () => echoes(people, turnsEach, send, this.connector, this.options));
    });
    this.pacedRuns.push(load);
    return load;
  }

  private typical(): number[] {
    return Array.from({ length: this.options.participants }, () => TYPICAL_TURNS);
  }

  private async run(go: (send: Send, agent: http.Agent) => Promise<LoadResult>): Promise<LoadResult> {
    const agent = new http.Agent({ keepAlive: true, maxSockets: this.options.participants + 16 });
    try {
      const load = await go(poster(this.server.url, agent), agent);
      expectNoUnexpected(this.connector);
      return load;
    } finally {
      agent.destroy();
    }
  }

  async finish(): Promise<EchoResult> {
    await this.server.close();
    return { loads: this.loads, pacedRuns: this.pacedRuns, solo: summarise(this.solo) };
  }

  close(): Promise<void> {
    return this.server.close();
  }
}
