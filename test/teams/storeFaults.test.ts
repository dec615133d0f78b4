/**
 * A full disk, a read-only DATA_DIR, an I/O error (injected in the embedded store's file layer) during a turn:
 * the participant is told, in their language, that the answer was not saved and to try again; nothing stored
 * changes; the log says why; and when the disk works again the same submission is saved, without a restart.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import type { LowdbStores } from '../../src/storage/lowdb/index.js';
import type { FileOp } from '../../src/storage/lowdb/storeFiles.js';
import { InterviewRecordSchema } from '../../src/storage/records.js';
import {
  actionData,
  cardOf,
  createHarness,
  IDENTITY,
  inputIds,
  texts,
  type Harness,
} from '../support/dialogHarness.js';
import { at } from '../support/defined.js';

let h: Harness;
afterEach(() => h?.dispose());

/** What a participant sends for a card: consent with quotes, or every question answered. */
function answer(card: Record<string, unknown>): Record<string, unknown> {
  const actions = (card.actions as { data: { wz: { a: string } } }[]).map((a) => a.data.wz.a);
  if (actions.includes('consentYes')) return { ...actionData(card, 'consentYes'), quote: 'true' };
  const values: Record<string, string> = {
    q_teamAttention: '6',
    q_ageBand: 'age-30-34',
    q_experienceBand: 'exp-10-14',
    q_workArea: 'zuid',
  };
  const inputs = Object.fromEntries(
    inputIds(card)
      .filter((id) => id.startsWith('q_'))
      .map((id) => [id, values[id] ?? 'Een antwoord dat bewaard moet worden']),
  );
  return { ...actionData(card, actions.includes('next') ? 'next' : at(actions, 0, 'card action')), ...inputs };
}

const NOT_SAVED = { nl: /niet opgeslagen.*Probeer het zo nog eens/s, en: /was not saved.*try again/s };

test.each([
  ['ENOSPC', 'nl-NL', 'nl'],
  ['EROFS', 'en-US', 'en'],
  ['EIO', 'nl-NL', 'nl'],
] as const)(
  '%s while saving an answer (%s): told it was not saved, nothing changed, saved when the disk works again',
  async (code, locale, lang) => {
    const logged: string[] = [];
    // The log is pino's JSON lines on stdout.
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => {
      logged.push(String(chunk));
      return true;
    });
    try {
      h = await createHarness(locale);
      const files = (h.stores as LowdbStores).dataFiles;
      let replies = await h.send({
        type: 'conversationUpdate',
        membersAdded: [{ id: IDENTITY.userId, name: IDENTITY.name }],
        recipient: { id: 'bot', name: 'Wijzer' },
      });
      const file = join(h.dataDir, 'rounds', 'default', 'interviews', 'A.json');
      // Up to and including consent, then one card of questions: that answer is the one the disk fails on.
      while (!existsSync(file)) replies = await h.send({ value: answer(cardOf(replies)) });
      const first = cardOf(replies);
      const submission = answer(first);
      const before = readFileSync(file, 'utf8');

      let broken = true;
      files.fault = (op: FileOp) =>
        broken && op === 'write' ? Object.assign(new Error(`${code}: simulated`), { code }) : undefined;
      replies = await h.send({ value: submission });
      expect(texts(replies)).toEqual([expect.stringMatching(NOT_SAVED[lang])]);
      expect(replies.filter((r) => r.attachments?.length)).toEqual([]);
      expect(readFileSync(file, 'utf8')).toBe(before);
      expect(logged.some((line) => line.includes(code) && line.includes('store.answers.write.failed'))).toBe(true);
      // The log says why, and names no one.
      expect(logged.filter((line) => line.includes(IDENTITY.name) || line.includes(IDENTITY.userId))).toEqual([]);

      // The disk works again: the same card, pressed again, is saved and the interview moves on.
      broken = false;
      replies = await h.send({ value: submission });
      expect(texts(replies).filter((t) => NOT_SAVED[lang].test(t))).toEqual([]);
      const stored = InterviewRecordSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
      expect(stored.rev).toBe(JSON.parse(before).rev + 1);
      expect(cardOf(replies)).not.toEqual(first);
    } finally {
      spy.mockRestore();
    }
  },
);
