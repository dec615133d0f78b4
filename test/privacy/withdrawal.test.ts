import { CardAutopilot } from '../../scripts/support/cardAutopilot.js';
import type { Round } from '../../src/content/schema.js';
import { InterviewSession, type TurnResponse } from '../../src/interview/session.js';
import type { Input } from '../../src/interview/types.js';
import type { OutboxJob } from '../../src/ports/outbox.js';
import { keyHousekeeping } from '../../src/research/retention.js';
import { seedRounds } from '../../src/research/seedRounds.js';
import type { ConversationTarget, Stores } from '../../src/ports/stores.js';
import { CardTemplates } from '../../src/teams/cardTemplates.js';
import { content } from '../support/context.js';
import { STORE_KINDS } from './storeKinds.js';
import { at } from '../support/defined.js';

/**
 * Withdrawal tried as a participant would: after finishing an invite-only round while another round is open,
 * after a round closed, midway with reminders queued, and interrupted by a failing store. On both stores.
 */
const P = 'b'.repeat(64);
const now = new Date('2026-11-25T10:00:00Z');
const cards = new CardTemplates();
const TARGET: ConversationTarget = {
  channelId: 'msteams',
  serviceUrl: 'https://smba.example/emea/',
  tenantId: 'tenant-x',
  userId: '29:participant',
  conversationId: 'a:chat-participant',
  conversationType: 'personal',
};

type Json = Record<string, unknown>;
const texts = (r: TurnResponse) => r.replies.filter((x) => x.kind === 'text').map((x) => (x as { text: string }).text);
const lastCard = (r: TurnResponse): Json | undefined => {
  const views = r.replies.filter((x) => x.kind === 'card');
  const view = views[views.length - 1] as { card: Parameters<CardTemplates['render']>[0] } | undefined;
  return view ? cards.render(view.card).content : undefined;
};
const buttons = (card: Json | undefined) => (card?.actions ?? []) as { title: string; data: Json }[];

describe.each(STORE_KINDS)('withdrawal on the $name store', (kind) => {
  let opened: Awaited<ReturnType<typeof kind.open>>;
  let stores: Stores;
  let session: InterviewSession;
  const run = (input: Input, roundId?: string): Promise<TurnResponse> =>
    session.run({ pseudonym: P, locale: 'nl', input, roundId, target: TARGET });

  beforeEach(async () => {
    opened = await kind.open();
    stores = opened.stores;
    await seedRounds(content, stores.answers, new Date('2026-01-01T00:00:00Z'));
    session = new InterviewSession(content, stores, Buffer.alloc(32, 5), () => now);
  });
  afterEach(() => opened.dispose());

  /** Plays the interview from the card given to its end (or for `steps` presses). */
  async function play(first: TurnResponse, steps = 200): Promise<TurnResponse> {
    const pilot = new CardAutopilot({ seed: 3 });
    let response = first;
    for (let i = 0; i < steps; i++) {
      const move = lastCard(response) && pilot.respond(lastCard(response));
      if (!move) break;
      response = await run({ kind: 'submit', data: move.value });
    }
    return response;
  }

  async function inviteRound(): Promise<Round> {
    const base = (await stores.answers.getRound('default'))!;
    const round: Round = {
      ...base,
      id: 'uitnodiging',
      name: { nl: 'Uitnodigingsronde', en: 'Invitation round' },
      audience: 'invite',
      openedAt: '2026-11-01T00:00:00.000Z',
    };
    await stores.answers.saveRound(round);
    await stores.keys.update(P, round.id, () => ({ invitedAt: now.toISOString() }));
    return round;
  }

  const interviews = async (roundId: string) => {
    const out = [];
    for await (const r of stores.answers.listInterviews(roundId)) out.push(r);
    return out;
  };

  test('opening the chat leaves no chat target behind; consent keeps one', async () => {
    const welcome = await run({ kind: 'start' });
    expect(await stores.keys.target(P)).toBeNull();
    expect(await stores.keys.entries(P)).toEqual({});
    await play(welcome, 2);
    expect(await stores.keys.lookup(P, 'default')).toMatchObject({ code: 'A' });
    expect(await stores.keys.target(P)).toEqual(TARGET);
  });

  test('a finished invite-only round while another is open: "stoppen" names both, and "all" deletes both', async () => {
    await inviteRound();
    await play(await run({ kind: 'invitation' }, 'uitnodiging'));
    expect((await interviews('uitnodiging'))[0]?.completedAt).toBeTruthy();
    await play(await run({ kind: 'text', text: 'hoi' }, 'default'), 5); // Midway in the open round too.
    expect(await interviews('default')).toHaveLength(1);

    const confirm = lastCard(await run({ kind: 'text', text: 'stoppen' }));
    expect(JSON.stringify(confirm)).toMatch(/Uitnodigingsronde/);
    expect(JSON.stringify(confirm)).toMatch(/Open pilotronde/);
    const all = buttons(confirm).find((b) => /Wis alles/.test(b.title))!;
    const done = await run({ kind: 'submit', data: all.data });
    expect(texts(done).join(' ')).toMatch(/Uitnodigingsronde.*ingetrokken|ingetrokken.*Uitnodigingsronde/);
    expect(await interviews('uitnodiging')).toEqual([]);
    expect(await interviews('default')).toEqual([]);
    expect(await stores.keys.entries(P)).toEqual({});
    expect(await stores.keys.target(P)).toBeNull();
    expect((await stores.answers.counters('uitnodiging')).withdrawn).toBe(1);
    expect(texts(await run({ kind: 'text', text: 'stoppen' }))[0]).toMatch(/niets/);
  });

  test('one of two rounds: only that one goes, and the answer says which and what stays', async () => {
    await inviteRound();
    await play(await run({ kind: 'invitation' }, 'uitnodiging'));
    await play(await run({ kind: 'text', text: 'hoi' }, 'default'), 5);
    const confirm = lastCard(await run({ kind: 'text', text: 'stoppen' }));
    const one = buttons(confirm).find((b) => b.title === 'Wis Uitnodigingsronde')!;
    const done = texts(await run({ kind: 'submit', data: one.data }));
    expect(done[0]).toMatch(/Uitnodigingsronde/);
    expect(done[1]).toMatch(/Open pilotronde blijft bewaard/);
    expect(await interviews('uitnodiging')).toEqual([]);
    expect(await interviews('default')).toHaveLength(1);
    expect(await stores.keys.target(P)).toEqual(TARGET);
  });

  test('after the round closed, and while it is paused, a finished interview can still be withdrawn', async () => {
    await play(await run({ kind: 'text', text: 'hoi' }));
    expect((await interviews('default'))[0]?.completedAt).toBeTruthy();
    for (const status of ['paused', 'closed'] as const) {
      await stores.answers.saveRound({
        ...(await stores.answers.getRound('default'))!,
        status,
        closedAt: status === 'closed' ? now.toISOString() : null,
      });
      const confirm = lastCard(await run({ kind: 'text', text: 'stoppen' }));
      expect(JSON.stringify(confirm)).toMatch(/Open pilotronde/);
      if (status === 'paused') {
        expect(
          texts(await run({ kind: 'submit', data: buttons(confirm).find((b) => /Nee/.test(b.title))!.data }))[0],
        ).toMatch(/niets gewist/);
        continue;
      }
      expect(texts(await run({ kind: 'submit', data: at(buttons(confirm), 0, 'button').data }))[0]).toMatch(
        /ingetrokken/,
      );
    }
    expect(await interviews('default')).toEqual([]);
    expect(await stores.keys.entries(P)).toEqual({});
  });

  test('midway with reminders queued and uncertain: every job of theirs goes, and nothing is left to send', async () => {
    await play(await run({ kind: 'text', text: 'hoi' }), 6);
    const job = (id: string, status: OutboxJob['status']): OutboxJob => ({
      id,
      kind: 'remind',
      roundId: 'default',
      pseudonym: P,
      target: TARGET,
      status,
      attempts: 0,
      notBefore: now.toISOString(),
      createdAt: now.toISOString(),
    });
    const other = { ...job('remind:default:other:1', 'pending'), pseudonym: 'c'.repeat(64) };
    await stores.outbox.enqueue([
      job(`remind:default:${P}:1`, 'pending'),
      job(`remind:default:${P}:2`, 'uncertain'),
      { ...job(`invite:later:${P}`, 'pending'), kind: 'invite', roundId: 'later' },
      other,
    ]);
    const confirm = lastCard(await run({ kind: 'text', text: 'stoppen' }));
    await run({ kind: 'submit', data: at(buttons(confirm), 0, 'button').data });
    expect((await stores.outbox.list('default')).map((j) => j.id)).toEqual([other.id]);
    expect(await stores.outbox.list('later')).toEqual([]);
    expect(await stores.outbox.due(new Date('2027-01-01T00:00:00Z'), 10)).toEqual([other]);
    expect(await opened.dump()).not.toContain(P);
  });

  test('a withdrawal interrupted by a failing store completes when "stoppen" is typed again', async () => {
    await play(await run({ kind: 'text', text: 'hoi' }));
    const confirm = lastCard(await run({ kind: 'text', text: 'stoppen' }));
    const unlink = stores.keys.unlink.bind(stores.keys);
    stores.keys.unlink = async () => {
      throw new Error('connection reset');
    };
    await expect(run({ kind: 'submit', data: at(buttons(confirm), 0, 'button').data })).rejects.toThrow(
      'connection reset',
    );
    stores.keys.unlink = unlink;
    expect(await interviews('default')).toEqual([]);
    const again = texts(await run({ kind: 'text', text: 'stoppen' }));
    expect(again[0]).toMatch(/ingetrokken/);
    expect(again.join(' ')).not.toMatch(/niets/);
    expect(await stores.keys.entries(P)).toEqual({});
    expect(await stores.keys.target(P)).toBeNull();
    expect((await stores.answers.counters('default')).withdrawn).toBe(1);
  });

  test('an interrupted withdrawal completes at start-up, without the participant coming back', async () => {
    await play(await run({ kind: 'text', text: 'hoi' }), 8);
    const confirm = lastCard(await run({ kind: 'text', text: 'stoppen' }));
    const remove = stores.answers.deleteInterview.bind(stores.answers);
    stores.answers.deleteInterview = async () => {
      throw new Error('EIO');
    };
    await expect(run({ kind: 'submit', data: at(buttons(confirm), 0, 'button').data })).rejects.toThrow('EIO');
    stores.answers.deleteInterview = remove;
    expect(await interviews('default')).toHaveLength(1);
    await keyHousekeeping(stores, now);
    expect(await interviews('default')).toEqual([]);
    expect(await stores.keys.entries(P)).toEqual({});
    expect(await opened.dump()).not.toContain(P);
  });

  test('"stoppen" from someone invited who never consented ends the invitations and reminders of that round', async () => {
    await inviteRound();
    const job = (id: string): OutboxJob => ({
      id,
      kind: 'remind',
      roundId: 'uitnodiging',
      pseudonym: P,
      target: TARGET,
      status: 'pending',
      attempts: 0,
      notBefore: '2027-01-01T00:00:00.000Z',
      createdAt: now.toISOString(),
    });
    await stores.outbox.enqueue([job(`remind:uitnodiging:${P}:1`)]);
    expect(texts(await run({ kind: 'text', text: 'stoppen' }))[0]).toMatch(
      /Uitnodigingsronde: ik stuur je daarover geen uitnodigingen/,
    );
    expect(await stores.outbox.list('uitnodiging')).toEqual([]);
    expect(await stores.keys.lookup(P, 'uitnodiging')).toMatchObject({ declined: true });
    expect((await stores.answers.counters('uitnodiging')).declined).toBe(1);
    expect(texts(await run({ kind: 'text', text: 'stoppen' }))[0]).toMatch(/niets/);
  });

  test('a target left by an older version for someone who never consented is purged at start-up', async () => {
    await stores.keys.saveTarget(P, TARGET);
    await keyHousekeeping(stores, now);
    expect(await stores.keys.target(P)).toBeNull();
  });
});
