import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { seededRandom } from '../../src/analysis/random.js';
import { BotProcess } from '../support/botProcess.js';
import { CardAutopilot, runParticipant, teamsActivity, type ParticipantIdentity } from '../support/cardAutopilot.js';
import { freePort } from '../support/freePort.js';
import { MockConnector } from '../support/mockConnector.js';
import { p99 } from '../support/percentile.js';
import { postActivity } from '../support/postActivity.js';
import { defined } from '../../src/defined.js';

/**
 * The flood phase: paced participants do whole interviews twice, once alone (baseline) and once while one other
 * participant sends 50 messages a second. The flooder is slowed down by the per-participant limiter; the others'
 * p99 turn latency under the flood should stay within 1.2x of the baseline.
 */

export interface FloodOptions {
  /** Participants per run, each doing one whole interview. */
  participants: number;
  /** Their mean think time before a turn (uniform ±50%). */
  thinkMs: number;
  /** The flooder's messages per second. */
  floodPerSec: number;
  /** Pairs of runs (without, with the flood). */
  rounds: number;
  /** The flooder's pause between floods: longer than its bucket takes to fill up. */
  quietMs: number;
  contentDir: string;
}

export interface FloodReport {
  participants: number;
  rounds: number;
  baselineTurns: number;
  floodTurns: number;
  baselineP99Ms: number;
  floodP99Ms: number;
  ratio: number;
  /** The flooder's messages: sent, and how the bot answered them. */
  floodSent: number;
  floodStatuses: Record<string, number>;
  /** How often the flooder was told to slow down: once per flood, so `rounds` times. */
  floodWarnings: number;
}

function people(prefix: string, count: number, serviceUrl: string): ParticipantIdentity[] {
  return Array.from({ length: count }, (_, i) => ({
    userId: `29:${prefix}-${i}`,
    userName: `Deelnemer ${prefix} ${i}`,
    conversationId: `a:${prefix}-${i}`,
    tenantId: 'bench-tenant',
    serviceUrl,
  }));
}

/** Whole paced interviews, started over one think time; the latencies of all their turns. */
async function pacedInterviews(
  url: string,
  who: ParticipantIdentity[],
  connector: MockConnector,
  thinkMs: number,
  seed: number,
): Promise<number[]> {
  const latencies: number[] = [];
  await Promise.all(
    who.map(async (identity, i) => {
      await sleep((i * thinkMs) / who.length);
      const random = seededRandom(seed + i);
      const result = await runParticipant({
        identity,
        reader: connector,
        send: (a) => postActivity(url, a),
        autopilot: new CardAutopilot({ seed: seed + i, choices: 'random' }),
        pause: () => sleep(thinkMs * (0.5 + random())),
        onTurn: (turn) => latencies.push(turn.ms),
      });
      if (!result.completed) throw new Error(`flood phase: ${identity.userId} did not complete`);
    }),
  );
  return latencies;
}

export async function runFloodPhase(options: FloodOptions): Promise<FloodReport> {
  const dir = mkdtempSync(join(tmpdir(), 'wijzer-flood-'));
  // A connector of its own that keeps the flooder's whole conversation, to count the warnings.
  const connector = await MockConnector.start({ keepPerConversation: 2000 });
  const bot = await BotProcess.start(
    {
      WIJZER_LOCAL: '1',
      DATA_DIR: join(dir, 'data'),
      KEY_DIR: join(dir, 'keys'),
      CONTENT_DIR: options.contentDir,
      WIJZER_QUIET: '1',
      SCHEDULER_INTERVAL_SEC: '3600',
    },
    await freePort(),
  );
  try {
    // Warm-up: JIT and the store's folders.
    await pacedInterviews(bot.url, people('flood-warm', 3, connector.url), connector, 0, 1);
    const flooder = defined(people('flooder', 1, connector.url)[0], 'the one flooder');
    const statuses: Record<string, number> = {};
    const seq = connector.lastSeq();
    let sent = 0;
    /** Runs `work` while the flooder sends floodPerSec messages, open loop (a script or a stuck client does not wait). */
    const flooding = async <T>(work: () => Promise<T>): Promise<T> => {
      const pending: Promise<void>[] = [];
      let on = true;
      const loop = (async () => {
        const interval = 1000 / options.floodPerSec;
        const start = performance.now();
        for (let n = 0; on; n++) {
          const id = sent++;
          pending.push(
            postActivity(bot.url, teamsActivity(flooder, `flood-${id}`, { type: 'message', text: `spam ${id}` })).then(
              ({ status }) => {
                statuses[status] = (statuses[status] ?? 0) + 1;
              },
              () => {
                statuses.error = (statuses.error ?? 0) + 1;
              },
            ),
          );
          await sleep(Math.max(0, start + (n + 1) * interval - performance.now()));
        }
      })();
      try {
        return await work();
      } finally {
        on = false;
        await loop;
        await Promise.all(pending);
      }
    };
    // Alternating runs (without, with, without, with), so that a drift of the machine's load hits both alike.
    const baseline: number[] = [];
    const underFlood: number[] = [];
    for (let round = 0; round < options.rounds; round++) {
      baseline.push(
        ...(await pacedInterviews(
          bot.url,
          people(`flood-base-${round}`, options.participants, connector.url),
          connector,
          options.thinkMs,
          100 + round,
        )),
      );
      underFlood.push(
        ...(await flooding(() =>
          pacedInterviews(
            bot.url,
            people(`flood-others-${round}`, options.participants, connector.url),
            connector,
            options.thinkMs,
            200 + round,
          ),
        )),
      );
      // The flooder is quiet between its floods for longer than its bucket takes to refill: each flood is a new one.
      await sleep(options.quietMs);
    }
    const warnings = connector
      .sentSince(flooder.conversationId, seq)
      .filter((s) =>
        (typeof s.activity.text === 'string' ? s.activity.text : '').startsWith('Je stuurt veel berichten'),
      ).length;
    const baselineP99Ms = p99(baseline);
    const floodP99Ms = p99(underFlood);
    return {
      participants: options.participants,
      rounds: options.rounds,
      baselineTurns: baseline.length,
      floodTurns: underFlood.length,
      baselineP99Ms,
      floodP99Ms,
      ratio: floodP99Ms / baselineP99Ms,
      floodSent: sent,
      floodStatuses: statuses,
      floodWarnings: warnings,
    };
  } finally {
    await bot.kill('SIGTERM');
    await connector.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
