import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { filesBelow } from '../support/files.js';
import { actionData, cardOf, createHarness, IDENTITY, inputIds, type Harness } from '../support/dialogHarness.js';
import { at } from '../support/defined.js';

/**
 * The attacker holds a copy of DATA_DIR (a backup, a curious administrator) and a list of candidates: the
 * colleagues' names and phone numbers. Whatever the scrubber removed must not be confirmable by hashing a guess.
 */
let h: Harness;
afterEach(() => h?.dispose());

/** The fingerprints an attacker would try: SHA-256 of the submission as the bot serialises it, in every usual encoding. */
function unkeyedPrints(data: Record<string, unknown>): string[] {
  const sorted = Object.fromEntries(
    Object.entries(data)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => [
        k,
        v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v,
      ]),
  );
  return [JSON.stringify(sorted), JSON.stringify(data)].flatMap((json) => {
    const digest = createHash('sha256').update(json).digest();
    return [digest.toString('base64url'), digest.toString('base64'), digest.toString('hex')];
  });
}

test('a copy of DATA_DIR and a candidate list cannot confirm what a participant typed', async () => {
  h = await createHarness();
  let replies = await h.send({
    type: 'conversationUpdate',
    membersAdded: [{ id: IDENTITY.userId, name: IDENTITY.name }],
    recipient: { id: 'bot', name: 'Wijzer' },
  });
  replies = await h.send({ value: actionData(cardOf(replies), 'next') });
  replies = await h.send({ value: { ...actionData(cardOf(replies), 'consentYes'), quote: 'true' } });
  // Walk to the first card with a free-text question and answer it with things the scrubber removes.
  let submitted: Record<string, unknown> | undefined;
  for (let turn = 0; turn < 10 && !submitted; turn++) {
    const card = cardOf(replies);
    const ids = inputIds(card);
    const free = ids.filter(
      (id) => id.startsWith('q_') && !['q_teamAttention', 'q_ageBand', 'q_experienceBand', 'q_workArea'].includes(id),
    );
    const inputs: Record<string, string> = {};
    for (const id of ids) {
      if (id === 'q_teamAttention') inputs[id] = '6';
      else if (id === 'q_ageBand') inputs[id] = 'age-30-34';
      else if (id === 'q_experienceBand') inputs[id] = 'exp-10-14';
      else if (id === 'q_workArea') inputs[id] = 'zuid';
      else if (free.includes(id)) inputs[id] = 'Bel me op 06-12345678 of mail fenna.zwartkruis@example.nl';
    }
    const data = { ...actionData(card, 'next'), ...inputs };
    replies = await h.send({ value: data });
    if (free.length) submitted = data;
  }
  expect(submitted).toBeDefined();
  const prints = unkeyedPrints(submitted!);
  const hits = filesBelow(h.dataDir).flatMap((file) => {
    const text = readFileSync(file, 'utf8');
    return prints.filter((p) => text.includes(p)).map((p) => `${file}: ${p}`);
  });
  expect(hits).toEqual([]);
  // The fingerprint is still there (a second click on the same card stays silent), only keyed.
  const stored = filesBelow(h.dataDir)
    .filter((f) => f.includes('interviews'))
    .map((f) => JSON.parse(readFileSync(f, 'utf8')) as { lastSubmit: string | null });
  expect(at(stored, 0, 'stored interview').lastSubmit).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect(await h.send({ value: submitted })).toEqual([]);
});

test('a withdrawal blanks the summaries the bot left in the chat, which showed the answers', async () => {
  h = await createHarness();
  let replies = await h.send({
    type: 'conversationUpdate',
    membersAdded: [{ id: IDENTITY.userId, name: IDENTITY.name }],
    recipient: { id: 'bot', name: 'Wijzer' },
  });
  replies = await h.send({ value: actionData(cardOf(replies), 'next'), replyToId: 'card-welcome' });
  replies = await h.send({
    value: { ...actionData(cardOf(replies), 'consentYes'), quote: 'true' },
    replyToId: 'card-consent',
  });
  await h.send({ value: actionData(cardOf(replies), 'next'), replyToId: 'card-info' });
  const summaries = h.updates.map((u) => u.id);
  expect(summaries).toEqual(['card-welcome', 'card-consent', 'card-info']);
  h.updates.length = 0;
  const confirm = cardOf(await h.send({ text: 'stoppen' }));
  await h.send({ value: actionData(confirm, 'withdrawYes'), replyToId: 'card-confirm' });
  const blanked = h.updates.filter((u) => JSON.stringify(u.attachments).includes('Gewist'));
  // The welcome came before consent and holds nothing of theirs; every summary after it is blanked.
  expect(blanked.map((u) => u.id).sort()).toEqual(['card-consent', 'card-info']);
  expect(filesBelow(join(h.keyDir, 'participants'))).toEqual([]);
});
