import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { seededRandom } from '../../src/analysis/random.js';
import { CardAutopilot, runParticipant, teamsActivity } from '../support/cardAutopilot.js';
import type { ParticipantIdentity } from '../support/cardAutopilot.js';
import type { MockConnector } from '../support/mockConnector.js';
import type { Sample, Send } from './load.js';
import { defined } from '../../src/defined.js';

/** The simulated participants of a run: whole interviews for Wijzer, as many plain messages for the echo bot. */

/** How participants pace themselves: none (closed loop, all at once) or a ramp and a think time. */
export interface Pacing {
  rampMs: number;
  thinkMs: number;
}

const CLOSED: Pacing = { rampMs: 0, thinkMs: 0 };

/**
 * A participant's think time before a turn: uniformly between half and one and a half times the mean, seeded.
 * Every second one mirrors the one before (u, 1 - u), so that all interviews last about equally long: the run
 * ends with its slowest participant, and independent draws would stretch it by several think times.
 */
function thinker(pacing: Pacing, seed: number): (() => Promise<void>) | undefined {
  if (!pacing.thinkMs) return undefined;
  const random = seededRandom(seed);
  let mirror: number | null = null;
  return () => {
    const u = mirror ?? random();
    mirror = mirror === null ? 1 - u : null;
    return sleep(pacing.thinkMs * (0.5 + u));
  };
}

/** Runs whole interviews, paced or all at once; fails with the participants' errors if any failed. */
export async function interviews(
  people: ParticipantIdentity[],
  send: Send,
  connector: MockConnector,
  seed: number,
  pacing: Pacing = CLOSED,
): Promise<Sample[][]> {
  const outcomes = await Promise.allSettled(
    people.map(async (identity, i) => {
      if (pacing.rampMs) await sleep((i * pacing.rampMs) / people.length);
      const autopilot = new CardAutopilot({ seed: seed + i, choices: 'random' });
      const pause = thinker(pacing, 7919 * (seed + i));
      const result = await runParticipant({ identity, send, reader: connector, autopilot, pause });
      if (!result.completed) throw new Error(`${identity.userId} did not complete`);
      return result.turns.map((t) => ({ kind: t.kind, at: t.at, ms: t.ms, calls: t.connectorCalls }));
    }),
  );
  const failed = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
  if (failed.length) {
    const reasons = failed.slice(0, 5).map((f) => (f.reason instanceof Error ? f.reason.message : String(f.reason)));
    const shown = reasons.map((r) => `  - ${r}`).join('\n');
    throw new Error(`${failed.length} of ${people.length} participants failed:\n${shown}`);
  }
  return outcomes.map((o) => (o as PromiseFulfilledResult<Sample[]>).value);
}

/** Echo participants: the same number of message turns each, paced alike; every turn must get its echo. */
export async function echoes(
  people: ParticipantIdentity[],
  turnsEach: number[],
  send: Send,
  connector: MockConnector,
  pacing: Pacing = CLOSED,
  seed = 1,
): Promise<Sample[][]> {
  return Promise.all(
    people.map(async (identity, p) => {
      if (pacing.rampMs) await sleep((p * pacing.rampMs) / people.length);
      const pause = thinker(pacing, 7919 * (seed + p));
      const samples: Sample[] = [];
      for (let n = 0; n < defined(turnsEach[p], 'turns of a participant'); n++) {
        if (n > 0 && pause) await pause();
        const seq = connector.lastSeq();
        const text = `hallo ${n}`;
        const started = performance.now();
        const activity = teamsActivity(identity, `${identity.conversationId}-in-${n}`, { type: 'message', text });
        const { status } = await send(activity);
        samples.push({ kind: n === 0 ? 'first' : 'message', at: started, ms: performance.now() - started });
        if (status !== 200) throw new Error(`echo ${identity.userId}: HTTP ${status}`);
        if (!connector.sentSince(identity.conversationId, seq).some((s) => s.activity.text === `Echo: ${text}`)) {
          throw new Error(`echo ${identity.userId}: no echo for turn ${n}`);
        }
      }
      return samples;
    }),
  );
}

/** Fails the run when the mock connector got requests it does not implement. */
export function expectNoUnexpected(connector: MockConnector): void {
  if (connector.stats.unexpected.length) {
    const shown = JSON.stringify(connector.stats.unexpected.slice(0, 5));
    throw new Error(`the mock connector got unexpected requests: ${shown}`);
  }
}
