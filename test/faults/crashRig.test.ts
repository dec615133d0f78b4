import { afterEach, expect, test } from '@jest/globals';
import type { ParticipantIdentity } from '../../scripts/support/cardAutopilot.js';
import type { InterviewRecord } from '../../src/interview/types.js';
import type { AnswerStore } from '../../src/ports/stores.js';
import { openLowdbStores } from '../../src/storage/lowdb/index.js';
import { startLocalServer, type LocalServer } from '../support/localServer.js';
import { crashParticipant, promisesBroken } from './crashRig.js';

/**
 * The crash rig's own check: one participant of the rig through the real bot in this process, on an answer store
 * that acknowledges a save it did not keep. The rig must report the broken promise; on an honest store, none.
 */

type Save = AnswerStore['saveInterview'];
/** Makes the store's save lossy: `lossy` gets the real save and decides what reaches it. */
type Lossy = (save: Save) => Save;

let local: LocalServer | undefined;
afterEach(() => local?.close());

async function interviewOn(lossy: Lossy): Promise<string[]> {
  let answers: AnswerStore | undefined;
  local = await startLocalServer('rig', {
    env: { SCHEDULER_INTERVAL_SEC: '3600' },
    stores: (dataDir, keyDir) => {
      const stores = openLowdbStores(dataDir, keyDir);
      stores.answers.saveInterview = lossy(stores.answers.saveInterview.bind(stores.answers));
      answers = stores.answers;
      return stores;
    },
  });
  const { server, connector } = local;
  const identity: ParticipantIdentity = {
    userId: '29:rig-participant',
    userName: 'Deelnemer',
    conversationId: 'a:rig-chat',
    tenantId: 'rig-tenant',
    serviceUrl: connector.url,
    locale: 'nl-NL',
  };
  const run = await crashParticipant(identity, connector, () => Promise.resolve(server.url), 7);
  expect(run.acknowledged.length).toBeGreaterThan(10);
  // The one participant's interview is the round's only one.
  const stored = async () => {
    for await (const record of answers!.listInterviews('default')) return record;
    return null;
  };
  return promisesBroken([run], stored);
}

/** Changes the first save that `matches` (null: drops it, acknowledged all the same); the others go through. */
const lossyOnce =
  (matches: (record: InterviewRecord) => boolean, change: (record: InterviewRecord) => InterviewRecord | null) =>
  (save: Save): Save => {
    let done = false;
    return (record, expectedRev) => {
      if (done || !matches(record)) return save(record, expectedRev);
      done = true;
      const kept = change(record);
      return kept ? save(kept, expectedRev) : Promise.resolve();
    };
  };

/** The answers of one step taken out of a record, or only the named questions of it. */
const without =
  (step: string, questions?: string[]) =>
  (record: InterviewRecord): InterviewRecord => {
    const { [step]: answered, ...others } = record.answers;
    const kept = questions
      ? Object.fromEntries(Object.entries(answered ?? {}).filter(([q]) => !questions.includes(q)))
      : null;
    return { ...record, answers: kept ? { ...others, [step]: kept } : others };
  };

test('on an honest store every acknowledged answer is found', async () => {
  expect(await interviewOn((save) => save)).toEqual([]);
});

test('a pick acknowledged but not kept is reported: the next card is "outdated" and the interview went back', async () => {
  const problems = await interviewOn(
    lossyOnce(
      (record) => record.selection.length > 0,
      () => null,
    ),
  );
  expect(problems).toEqual([
    expect.stringMatching(
      /^Deelnemer: after a turn without acknowledgement the interview went back .* to rev \d+ \(pick\)$/,
    ),
  ]);
});

test('a step whose answers were not kept is reported per question, though its sentences stand elsewhere', async () => {
  const problems = await interviewOn(lossyOnce((record) => 'named' in record.answers, without('named')));
  expect(problems).toEqual([expect.stringMatching(/^Deelnemer: 2 acknowledged answers not stored: .*"named"/)]);
});

test('choices acknowledged but not kept are reported, not only typed texts', async () => {
  const choices = ['ageBand', 'experienceBand', 'workArea'];
  const problems = await interviewOn(
    lossyOnce((record) => 'background' in record.answers, without('background', choices)),
  );
  expect(problems).toEqual([expect.stringMatching(/^Deelnemer: 3 acknowledged answers not stored: .*"ageBand"/)]);
});
