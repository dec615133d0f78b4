/**
 * A writer of the embedded store as its own process, for test/faults/killJournal.test.ts (so that it can be
 * SIGKILLed in the middle of an append): the built lowdb stores opened as the bot opens them (holding the store
 * lock, so every write goes through the journals), PARTICIPANTS interviews answered as fast as the store
 * acknowledges. Prints "ready", then "ack <code> <rev>" after each acknowledged save of an interview and its key
 * entry. Needs `npm run build`. Environment: DATA_DIR, KEY_DIR, PARTICIPANTS, ROUND_ID.
 */
import { openLowdbStores } from '../../dist/src/storage/lowdb/index.js';

const env = process.env;
const stores = openLowdbStores(env.DATA_DIR, env.KEY_DIR, { lockAs: 'the journal writer' });
const round = env.ROUND_ID;
const pseudonym = (n) => n.toString(16).padStart(64, '0');

/** The participant's interview as stored, or a new one (a restart goes on from what survived). */
async function interviewOf(n) {
  const entry = await stores.keys.lookup(pseudonym(n), round);
  const stored = entry && (await stores.answers.getInterview(round, entry.code));
  if (stored) return stored;
  const record = await stores.answers.createInterview(round, (code) => ({
    roundId: round,
    code,
    guide: { id: 'g', version: '1' },
    deckId: 'd',
    rev: 1,
    consent: { participate: true, quote: false, at: new Date().toISOString() },
    answers: {},
    selection: [],
    placement: {},
    followUps: {},
    nudges: { noLowest: false, topHeavy: false },
    position: { step: 'start', index: 0 },
    stepTimes: {},
    startedAt: new Date().toISOString(),
    completedAt: null,
    lastSubmit: null,
  }));
  await stores.keys.update(pseudonym(n), round, () => ({ code: record.code }));
  return record;
}

async function participant(n) {
  let record = await interviewOf(n);
  for (;;) {
    const next = {
      ...record,
      rev: record.rev + 1,
      answers: { ...record.answers, [`q${record.rev}`]: { why: 'x'.repeat(300) } },
    };
    await stores.answers.saveInterview(next, record.rev);
    await stores.keys.update(pseudonym(n), round, (entry) => ({ ...entry, cards: [`card-${next.rev}`] }));
    record = next;
    process.stdout.write(`ack ${record.code} ${record.rev}\n`);
  }
}

process.stdout.write('ready\n');
await Promise.all(Array.from({ length: Number(env.PARTICIPANTS) }, (_, n) => participant(n + 1)));
