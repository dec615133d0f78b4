/**
 * What the embedded store's durable writes cost the process (`node dist/scripts/writeCost.js`): the two writes of
 * a card turn (the answer in the interview file, then the pressed card's id in the participant's key file) for
 * every participant at once, turn after turn, in a fresh folder, either holding the store lock as the bot does
 * (through the journals) or without it (each write its own temporary file, fsync, rename and folder fsync). The
 * process CPU per turn is process.cpuUsage (user and system, every thread, libuv's included), the store's closing
 * checkpoint counted.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadContent } from '../../src/content/load.js';
import { createRecord } from '../../src/interview/engine.js';
import type { InterviewContext } from '../../src/interview/types.js';
import { openLowdbStores } from '../../src/storage/lowdb/index.js';
import { pseudonymOf } from '../../src/storage/pseudonym.js';

export type WriteMode = 'journal' | 'files';

export interface WriteCost {
  mode: WriteMode;
  turns: number;
  userMs: number;
  systemMs: number;
  wallMs: number;
}

/** The default round's interview as a consent starts it. */
function interviewContext(): InterviewContext {
  const content = loadContent();
  const round = content.rounds.get('default');
  const guide = round && content.guides.get(round.guide);
  const deck = round && content.decks.get(round.deck);
  if (!round || !guide || !deck) throw new Error('the default round, its guide and deck are needed');
  return { guide, deck, round, locale: 'nl', now: new Date(), submitKey: Buffer.alloc(32, 9) };
}

/** One run: every participant's interview and key entry made first (not counted), then the turns. */
export async function measureWrites(mode: WriteMode, participants: number, turns: number): Promise<WriteCost> {
  const dir = mkdtempSync(join(tmpdir(), 'wijzer-write-cost-'));
  try {
    const options = mode === 'journal' ? { lockAs: 'the write-cost measure' } : {};
    const stores = openLowdbStores(join(dir, 'data'), join(dir, 'keys'), options);
    const ctx = interviewContext();
    const people = await Promise.all(
      Array.from({ length: participants }, async (_, n) => {
        const pseudonym = pseudonymOf(Buffer.alloc(32, 7), 'tenant', `participant-${n}`);
        const record = await stores.answers.createInterview('default', (code) => createRecord(ctx, code, false, null));
        await stores.keys.update(pseudonym, 'default', () => ({ code: record.code }));
        return { pseudonym, record };
      }),
    );
    const cpu = process.cpuUsage();
    const started = performance.now();
    await Promise.all(
      people.map(async (person) => {
        for (let turn = 0; turn < turns; turn++) {
          const answers = { ...person.record.answers, [`q${turn}`]: { why: `answer ${turn} of ${person.pseudonym}` } };
          const next = { ...person.record, rev: person.record.rev + 1, answers };
          await stores.answers.saveInterview(next, person.record.rev);
          person.record = next;
          await stores.keys.update(person.pseudonym, 'default', (entry) =>
            entry ? { ...entry, cards: [...(entry.cards ?? []), `card-${turn}`] } : entry,
          );
        }
      }),
    );
    await stores.close();
    const used = process.cpuUsage(cpu);
    const count = participants * turns;
    return {
      mode,
      turns: count,
      userMs: used.user / 1000 / count,
      systemMs: used.system / 1000 / count,
      wallMs: (performance.now() - started) / count,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
