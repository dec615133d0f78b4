/**
 * The researchers' workflow through Microsoft's Agents Playground, without a browser: the built bot, the
 * Playground as Teams client and Bot Connector (HTTP + WebSocket), and a relay that makes the activities Dutch.
 *
 * In the team's General channel the researcher (the Playground's current user, listed in RESEARCHER_IDS)
 * @mentions the bot: creates a round with the form card, starts it and invites the team; another member's command
 * is refused. Team members answer their invitation card in their own 1:1 chats (the bot opened them with
 * createConversation): one completes the interview (card autopilot), one says "Niet nu", one "Nee, bedankt", one
 * stops midway. Then remind, status (counts only), export (signed links served by the bot) and close; and no
 * Teams identity may be in the bot's data.
 *
 * Needs `npm run build` first (it runs dist/src/main.js). See playgroundRig.ts for how the chats are read.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import { CardAutopilot, inputsOf } from '../../scripts/support/cardAutopilot.js';
import { participantText } from '../../src/interview/messages.js';
import { researcherText, statusName } from '../../src/research/messages.js';
import { identityOf } from './harness.js';
import { Journey } from './journey.js';
import { buttonData, describeMessages, lastCard, TeamChats } from './teamChats.js';
import { PlaygroundRig, type BotMessage, type PlaygroundUser, type ResearchTeam } from './playgroundRig.js';
import { until } from '../support/until.js';
import { at, cell, defined, only } from '../support/defined.js';
import { filesBelow, readListed, scanFiles } from '../support/files.js';

const ROUND = 'pilot-west';
type Json = Record<string, unknown>;

/** YYYY-MM-DD in Amsterdam, `days` from now. */
function amsterdamDate(days = 0): string {
  return new Intl.DateTimeFormat('sv-SE', {
    timeZone: 'Europe/Amsterdam',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date(Date.now() + days * 86_400_000));
}

/** The Wijzer stamps of a card's Action.Submit buttons. */
function stampsOf(card: Json | undefined): { s: string; i: number; r: number; a: string; rd: string }[] {
  const actions = (card?.actions ?? []) as {
    data?: { wz?: { s: string; i: number; r: number; a: string; rd: string } };
  }[];
  return actions.map((a) => a.data?.wz).filter((w): w is NonNullable<typeof w> => Boolean(w));
}

/** The facts of a card's FactSets, title → value. */
function factsOf(card: Json | undefined): Record<string, string> {
  const facts: Record<string, string> = {};
  const walk = (elements: unknown): void => {
    for (const e of Array.isArray(elements) ? (elements as Json[]) : []) {
      if (e.type === 'FactSet')
        for (const f of (e.facts ?? []) as { title: string; value: string }[]) facts[f.title] = f.value;
      walk(e.items);
    }
  };
  walk(card?.body);
  return facts;
}

describe('researchers run a round from a Teams channel (Agents Playground, HTTP + WebSocket)', () => {
  let rig: PlaygroundRig;
  let chats: TeamChats;
  const journey = new Journey(20_000);
  const step = journey.step.bind(journey);
  let team: ResearchTeam;
  /** Bot bugs the flow had to work around; the last test fails while there are any. */
  const bugs: string[] = [];
  const startedAt = Date.now();

  beforeAll(
    () =>
      journey.setUp(async () => {
        rig = await PlaygroundRig.startForResearcher({
          SCHEDULER_INTERVAL_SEC: '1',
          OUTBOX_RATE_PER_SEC: '5',
          EXPORT_LINK_MINUTES: '5',
        });
        team = rig.team;
        chats = new TeamChats(rig, team.researcher, team.channelId);
      }),
    45_000,
  );

  afterAll(async () => {
    if (journey.failed) console.log(`Research e2e failed: bot log, data and Playground log kept in ${rig?.root}`);
    await rig?.close({ keepFiles: journey.failed || process.env.WIJZER_KEEP_FILES === '1' });
    console.log(`research e2e: ${((Date.now() - startedAt) / 1000).toFixed(1)} s in all`);
  }, 20_000);

  // ---- The researcher in the General channel: what the Teams client shows (the conversation stream).

  const mention = () => `<at>${team.bot.name}</at>`;

  const research = (command: string) => chats.research(command);
  const chatOf = (user: PlaygroundUser) => chats.chatOf(user);
  const press = (user: PlaygroundUser, card: BotMessage, value: Json) => chats.press(user, card, value);

  const write = (user: PlaygroundUser, conversationId: string, text: string, extra: Json = {}) =>
    chats.send(user, conversationId, text, extra);

  const invitationOf = (user: PlaygroundUser): BotMessage => {
    const found = rig
      .created(chatOf(user))
      .find((m) => stampsOf(m.card).some((s) => s.s === 'invitation' && s.rd === ROUND));
    if (!found)
      throw new Error(`no invitation card in ${user.id}'s chat (got ${describeMessages(rig.created(chatOf(user)))})`);
    return found;
  };

  // The cast of the team (users of the Playground's default team).
  let completer: PlaygroundUser;
  let snoozer: PlaygroundUser;
  let decliner: PlaygroundUser;
  let quitter: PlaygroundUser;
  let quitterLast: BotMessage;
  let invitedCount = 0;

  step('the researcher creates a round with the form card in the General channel', async () => {
    const form = at(await research('round new'), 0, 'reply');
    expect(form.card).toBeDefined();
    const inputs = Object.fromEntries(inputsOf(form.card).map((i) => [i.id, i.value]));
    expect(Object.keys(inputs)).toEqual(
      expect.arrayContaining([
        'id',
        'nameNl',
        'guide',
        'deck',
        'audience',
        'opensAt',
        'closesAt',
        'workAreas',
        'retentionMonths',
      ]),
    );
    const submit = ((form.card!.actions ?? []) as { type: string; data: Json }[]).find(
      (a) => a.type === 'Action.Submit',
    )!;
    // What the Playground's web client (the Adaptive Cards JS renderer, as in Teams web and desktop) posts: the
    // button's data merged with the inputs that hold a value; an empty text input (minCards here) is left out.
    const filled = Object.fromEntries(Object.entries(inputs).filter(([, v]) => v !== ''));
    const value: Json = {
      ...submit.data,
      ...filled,
      id: ROUND,
      nameNl: 'Pilot West',
      nameEn: 'Pilot West',
      audience: 'invite',
      opensAt: amsterdamDate(),
      closesAt: amsterdamDate(30),
      reminderDays: '3,7',
      contactEmail: 'onderzoek@wij.example.nl',
    };
    expect(value).not.toHaveProperty('minCards');

    const turn0 = rig.relay.turns.length;
    await rig.post('/_conversation/v1/submit', {
      conversation: { id: form.postConversationId },
      from: { id: team.researcher.id },
      replyToId: form.messageId,
      value,
    });
    await rig.turnDone(
      'the bot handled the form',
      turn0,
      (turn) => (turn.activity.value as Json | undefined)?.wzr === 'saveRound',
    );
    const saved = await until(
      'the answer to the form',
      () => rig.client.find((m) => m.conversationId === form.postConversationId && m.text),
      5_000,
      () =>
        `channel thread: ${describeMessages(rig.client.filter((m) => m.conversationId === form.postConversationId))}`,
    );
    expect(saved.text).toBe(researcherText('nl', 'roundSaved', { id: ROUND }));

    const listed = at(await research('rondes'), 0, 'reply');
    expect(listed.text).toContain(`**${ROUND}** (concept, alleen uitgenodigden): Pilot West`);
  });

  step("the researcher starts the round; another member's command is refused and changes nothing", async () => {
    const started = at(await research(`round start ${ROUND}`), 0, 'reply');
    expect(started.text).toBe(researcherText('nl', 'transitioned', { id: ROUND, status: statusName('nl', 'open') }));

    // Isaiah (not a researcher) @mentions the bot in the same channel with a command of his own.
    const intruder = at(team.members, 2, 'team member');
    const turn0 = rig.relay.turns.length;
    const { id, mark } = await write(intruder, team.channelId, `${mention()} round close ${ROUND}`, {
      entities: [{ type: 'mention', mentioned: { id: team.bot.id, name: team.bot.name }, text: mention() }],
      channelData: { tenant: { id: team.tenantId }, team: { id: team.channelId }, channel: { id: team.channelId } },
    });
    await rig.turnDone('the bot handled the intruder', turn0, (turn) => turn.activity.id === id);
    const refusal = await until('the refusal', () => rig.created(team.channelId, mark)[0], 5_000);
    expect(refusal.text).toBe(researcherText('nl', 'notResearcherChannel'));

    const listed = at(await research('rounds'), 0, 'reply');
    expect(listed.text).toContain(`**${ROUND}** (open, alleen uitgenodigden)`);
  });

  step('"invite <round> team" sends every team member an invitation card in a 1:1 chat', async () => {
    const queued = at(await research(`invite ${ROUND} team`), 0, 'reply');
    const count = /(\d+) nieuw/.exec(queued.text ?? '');
    expect(count).not.toBeNull();
    invitedCount = Number(count![1]);
    expect(queued.text).toBe(researcherText('nl', 'invited', { queued: invitedCount, known: 0, id: ROUND }));
    // The roster came from the team's pagedmembers; all five configured members at least.
    expect(invitedCount).toBeGreaterThanOrEqual(team.members.length);

    await until(
      'an invitation card in every invited chat',
      () =>
        rig.createdChats.length >= invitedCount &&
        rig.createdChats.every((c) => rig.created(c.conversationId).some((m) => m.card)),
      15_000,
      () => `chats: ${JSON.stringify(rig.createdChats)}; sent: ${describeMessages(rig.sent)}`,
    );
    expect(rig.createdChats.every((c) => c.statusCode === 201)).toBe(true);
    for (const user of team.members) {
      const invitation = invitationOf(user);
      expect(stampsOf(invitation.card).map((s) => s.a)).toEqual(['start', 'notNow', 'noThanks']);
      expect(JSON.stringify(invitation.card)).toContain('Pilot West');
    }
    // Each member has a chat of their own.
    expect(new Set(team.members.map(chatOf)).size).toBe(team.members.length);
    const member = (i: number) => at(team.members, i, 'team member');
    [completer, snoozer, decliner, quitter] = [member(0), member(1), member(2), member(3)];
    // The Playground's roster of the team holds its current user too, the researcher, who is not invited to their
    // own round.
    expect(rig.createdChats.map((c) => c.memberId).sort()).toEqual(team.members.map((u) => u.id).sort());
    expect(invitedCount).toBe(team.members.length);
    expect(rig.otherRequests.filter((r) => r.name === 'getConversationPagedMembers').map((r) => r.statusCode)).toEqual([
      200,
    ]);
  });

  step(
    'one member presses Start and completes the whole interview (card autopilot)',
    async () => {
      const autopilot = new CardAutopilot({ seed: 3 });
      let replies = await press(completer, invitationOf(completer), buttonData(invitationOf(completer), 'start'));
      const kinds: string[] = [];
      for (let turns = 0; turns < 60; turns++) {
        const current = lastCard(replies);
        if (!current) throw new Error(`no card after ${kinds.join(' > ')}: ${describeMessages(replies)}`);
        const move = autopilot.respond(current.card);
        if (!move) break;
        kinds.push(move.kind);
        replies = await press(completer, current, move.value);
      }
      expect(kinds.slice(0, 2)).toEqual(['info', 'consent']);
      for (const kind of ['questions', 'pick', 'place', 'review']) expect(kinds).toContain(kind);
      expect(autopilot.respond(lastCard(replies)!.card)).toBeNull();
    },
    40_000,
  );

  step('one says "Niet nu", one "Nee, bedankt", one starts and stops midway', async () => {
    const snoozed = await press(snoozer, invitationOf(snoozer), buttonData(invitationOf(snoozer), 'notNow'));
    expect(snoozed.map((m) => m.text)).toEqual([participantText('nl', 'snoozed', { round: 'Pilot West' })]);
    const declined = await press(decliner, invitationOf(decliner), buttonData(invitationOf(decliner), 'noThanks'));
    expect(declined.map((m) => m.text)).toEqual([participantText('nl', 'noThanks', { round: 'Pilot West' })]);
    // A pressed invitation is replaced (PUT) by a read-only summary: no second press.
    for (const user of [snoozer, decliner]) {
      const replaced = rig.sent.filter((m) => m.kind === 'update' && m.messageId === invitationOf(user).messageId);
      expect(replaced).toHaveLength(1);
      expect(only(replaced, 'card update').statusCode).toBe(200);
      expect(stampsOf(only(replaced, 'card update').card)).toEqual([]);
    }

    // Start, the welcome card, consent, then the first questions card: and no further.
    const autopilot = new CardAutopilot({ seed: 9 });
    let replies = await press(quitter, invitationOf(quitter), buttonData(invitationOf(quitter), 'start'));
    for (let n = 0; n < 2; n++) {
      const current = lastCard(replies)!;
      replies = await press(quitter, current, autopilot.respond(current.card)!.value);
    }
    quitterLast = lastCard(replies)!;
    expect(stampsOf(quitterLast.card).some((s) => s.a === 'next' && s.r >= 1)).toBe(true);
  });

  step(
    '"remind": the one midway sees the card where they stopped; the completer and the decliner get nothing',
    async () => {
      const mark = rig.mark();
      const queued = at(await research(`remind ${ROUND}`), 0, 'reply');
      // Unfinished: everyone invited except the one who completed, the one who declined, and the one who asked for
      // "not now" a moment ago.
      expect(queued.text).toContain(researcherText('nl', 'reminded', { count: invitedCount - 3 }));
      // The snoozer and the decliner are skipped, and said so as counts.
      expect(queued.text).toContain(researcherText('nl', 'skippedSnoozed', { n: 1 }));
      expect(queued.text).toContain(researcherText('nl', 'skippedDeclined', { n: 1 }));

      const reminded = await until(
        'the reminder to the one midway',
        () => {
          const got = rig.created(chatOf(quitter), mark);
          return got.some((m) => m.card) ? got : undefined;
        },
        10_000,
      );
      expect(reminded.map((m) => m.text ?? 'card')).toEqual([
        participantText('nl', 'reminderActive', { round: 'Pilot West' }),
        'card',
      ]);
      expect(lastCard(reminded)!.card).toEqual(quitterLast.card);

      // Wait until all reminders are out and the outbox has nothing left to send, before concluding that nothing
      // else came.
      await until(
        'every reminder sent',
        () =>
          rig.createdChats.filter((c) => rig.created(c.conversationId, mark).some((m) => m.card)).length >=
          invitedCount - 3,
        10_000,
      );
      await until('the outbox idle', () => rig.outboxIdle(), 10_000);
      expect(rig.created(chatOf(completer), mark)).toEqual([]);
      expect(rig.created(chatOf(decliner), mark)).toEqual([]);
      expect(rig.created(chatOf(snoozer), mark)).toEqual([]);
      const remindedUsers = team.members
        .filter((u) => rig.created(chatOf(u), mark).length > 0)
        .map((u) => u.id)
        .sort();
      expect(remindedUsers).toEqual([quitter, at(team.members, 4, 'team member')].map((u) => u.id).sort());
    },
  );

  step('"status" shows counts only, and no one\'s name or id', async () => {
    const status = at(await research(`status ${ROUND}`), 0, 'reply');
    const facts = factsOf(status.card);
    expect(facts).toMatchObject({
      Uitgenodigd: String(invitedCount),
      Bereikt: String(invitedCount),
      'Onbereikbaar (app niet geïnstalleerd of geblokkeerd)': '0',
      'Mislukt of onzeker': '0',
      'Toestemming gegeven': '2',
      Bezig: '1',
      Afgerond: '1',
      Afgezien: '1',
      Ingetrokken: '0',
    });
    const shown = JSON.stringify(status.card).toLowerCase();
    const people = [team.researcher, ...rig.config.users];
    const identities = people.flatMap(identityOf);
    for (const needle of [...identities, team.tenantId, ...rig.createdChats.map((c) => c.conversationId)])
      expect(shown).not.toContain(needle.toLowerCase());
  });

  step(
    '"export <round> csv" in the channel: the links, which the bot serves, arrive in the researcher\'s 1:1 chat',
    async () => {
      const mark = rig.mark();
      const reply = at(await research(`export ${ROUND} csv`), 0, 'reply');
      expect(reply.text).toBe(researcherText('nl', 'linksSentPrivately'));
      const privateChat = chatOf(team.researcher);
      await until("the links in the researcher's 1:1 chat", () => rig.created(privateChat, mark).length > 0, 5_000);
      const links = [
        ...rig
          .created(privateChat, mark)
          .map((m) => m.text ?? '')
          .join('\n')
          .matchAll(/\[([^\]]+)\]\(([^)\s]+)\)/g),
      ].map((m) => ({ name: at(m, 1, 'link name'), url: at(m, 2, 'link address') }));
      expect(links.map((l) => l.name).sort()).toEqual([
        `${ROUND}-answers.csv`,
        `${ROUND}-background.csv`,
        `${ROUND}-codebook.csv`,
        `${ROUND}-sorts.csv`,
      ]);
      const files: Record<string, string> = {};
      /** The token with another signature: its first character changed (the last one holds 2 padding bits). */
      const forge = (token: string) => token.replace(/\.(.)/, (_m, c: string) => `.${c === 'A' ? 'B' : 'A'}`);
      for (const link of links) {
        expect(link.url.startsWith(`http://localhost:${rig.botPort}/exports/`)).toBe(true);
        const res = await fetch(link.url);
        const body = await res.text();
        const token = link.url.slice(link.url.lastIndexOf('/') + 1);
        expect(res.status).toBe(200);
        expect(res.headers.get('content-disposition')).toMatch(new RegExp(`^attachment; filename="${link.name}"`));
        expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
        files[link.name] = body;
        // A link works once.
        expect((await fetch(link.url)).status).toBe(404);
        // A link with a changed signature is refused.
        expect((await fetch(link.url.replace(token, forge(token)))).status).toBe(404);
      }
      // A Dutch researcher gets ";" (Dutch Excel) and Dutch column names.
      const sorts = parse(defined(files[`${ROUND}-sorts.csv`], 'sorts'), { bom: true, delimiter: ';' }) as string[][];
      expect(sorts).toHaveLength(2);
      const background = parse(defined(files[`${ROUND}-background.csv`], 'the background file'), {
        bom: true,
        delimiter: ';',
      }) as string[][];
      expect(background).toHaveLength(2);
      expect(cell(background, 0, 0)).toBe('Lettercode');
      expect(cell(background, 1, 0)).toBe('A');
    },
  );

  step('"round close": the one midway gets a short "closed" message when they write again', async () => {
    const closed = at(await research(`round close ${ROUND}`), 0, 'reply');
    expect(closed.text).toBe(researcherText('nl', 'transitioned', { id: ROUND, status: statusName('nl', 'closed') }));
    const chatId = chatOf(quitter);
    const turn0 = rig.relay.turns.length;
    const { id, mark } = await write(quitter, chatId, 'verder');
    const replies = await chats.repliesIn(chatId, mark, turn0, (a) => a.id === id, 'the one midway wrote "verder"');
    expect(replies.map((m) => m.text)).toEqual([participantText('nl', 'roundClosed', { round: 'Pilot West' })]);
  });

  step("the bot's data holds no Teams identity (ids, names, UPN, tenant, conversation ids)", async () => {
    const people = [team.researcher, ...rig.config.users];
    const identity = [
      ...people.flatMap(identityOf),
      team.tenantId,
      rig.config.personalChat.id,
      ...rig.createdChats.map((c) => c.conversationId),
      ...chats.postIds,
      `localhost:${rig.playgroundPort}`,
    ];
    // The scan reads the answers themselves: on the files, or in the journal until its checkpoint.
    const stored = (await readListed(() => filesBelow(rig.dataDir))).map(({ text }) => text).join('\n');
    expect(stored).toContain('"code":"A"');
    expect(await scanFiles(() => [...filesBelow(rig.dataDir), rig.botLog], identity)).toEqual([]);
  });

  it('needed no workaround for a bot bug on the way', () => {
    expect(bugs).toEqual([]);
  });
});
