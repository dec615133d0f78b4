/**
 * The privacy promise end to end, through Microsoft's Agents Playground (HTTP + WebSocket, no browser), on the
 * embedded store and on PostgreSQL.
 *
 * The researcher registers the General channel for the open default round's digests and invites the team. Team
 * members answer the free-text questions with identifiers of every class the scrubber must remove (e-mail, phone,
 * IBAN, BSN, date of birth, address, their own name). Three complete; one completes and then withdraws ("stoppen");
 * one stops midway, gets a reminder, has more reminders queued (one pending, one uncertain) and withdraws. Then a
 * digest and the exports are asked for, and everything the bot wrote is scanned: every store file or database
 * dump, the bot's log, the exports and the digests. No Teams identity outside the key store, no identifier
 * anywhere, no trace of the two who withdrew (not even in the key store), and no outbox job for them.
 *
 * Needs `npm run build` first (it runs dist/src/main.js).
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect } from '@jest/globals';
import { composeIBAN } from 'ibantools';
import { passesElfproef } from '../../src/interview/scrub.js';
import { participantText } from '../../src/interview/messages.js';
import type { OutboxJob } from '../../src/ports/outbox.js';
import { openLowdbStores } from '../../src/storage/lowdb/index.js';
import type { Stores } from '../../src/ports/stores.js';
import { openPostgresStores } from '../../src/storage/postgres/index.js';
import { pseudonymOf } from '../../src/storage/pseudonym.js';
import { pseudonymSecret } from '../../src/storage/secret.js';
import { createDatabasePair, dumpDatabase, type DatabasePair } from '../support/postgres.js';
import { Journey } from './journey.js';
import { PlaygroundRig, type BotMessage, type PlaygroundUser } from './playgroundRig.js';
import { until } from '../support/until.js';
import { filesBelow, readListed } from '../support/files.js';
import { buttonData, TeamChats } from './teamChats.js';
import { at } from '../support/defined.js';

const ROUND = 'default';
type IdentifierClass =
  | 'email'
  | 'phone'
  | 'landline'
  | 'iban'
  | 'bsn'
  | 'bsnGrouped'
  | 'birthDate'
  | 'birthDateNumeric'
  | 'address'
  | 'ownName';

/** A nine-digit number that passes the BSN 11-test, different for each n. */
function bsn(n: number): string {
  for (let x = 123456000 + n * 1000; ; x++) if (passesElfproef(String(x))) return String(x);
}

interface Person {
  user: PlaygroundUser;
  /** A word only this person writes: what is left of them after they withdrew. */
  marker: string;
  sentences: string[];
  /** Per class, the strings that must be found nowhere. */
  needles: Record<IdentifierClass, string[]>;
}

function person(user: PlaygroundUser, n: number): Person {
  const marker = at(['Akkerwinde', 'Boterbloem', 'Cichorei', 'Dovenetel', 'Egelantier', 'Fluitenkruid'], n, 'marker');
  const email = `${user.givenName}.${user.surname}@wij-groningen.nl`.toLowerCase();
  const mobile = `06-1234 56${n}${n}`;
  const landline = `(050) 123 45 ${60 + n}`;
  const account = `04171643${String(n).padStart(2, '0')}`;
  const ibanCompact = composeIBAN({ countryCode: 'NL', bban: `ABNA${account}` })!;
  const ibanGrouped = ibanCompact.replace(/(.{4})/g, '$1 ').trim();
  const plainBsn = bsn(n);
  const groupedBsn = bsn(n + 10).replace(/(\d{3})(\d{3})(\d{3})/, '$1-$2-$3');
  const day = 10 + n;
  const sentences = [
    `${marker}: mail me gerust op ${email} of bel ${mobile}.`,
    `${marker}: op kantoor ben ik bereikbaar via ${landline}.`,
    `${marker}: mijn declaraties gaan naar ${ibanGrouped}, mijn BSN is ${plainBsn}.`,
    `${marker}: voor de zekerheid nog eens mijn BSN ${groupedBsn}.`,
    `${marker}: ik ben geboren op ${day} maart 198${n}, dus ${day}-03-198${n}.`,
    `${marker}: ik woon aan de Kerkstraat ${20 + n} en fiets naar het werk.`,
    `${marker}: groet, ${user.givenName} ${user.surname}.`,
  ];
  return {
    user,
    marker,
    sentences,
    needles: {
      email: [email],
      phone: [mobile, mobile.replace(/\D/g, '')],
      landline: [landline, landline.replace(/\D/g, '')],
      iban: [ibanCompact, ibanGrouped, ibanGrouped.slice(0, 9), account],
      bsn: [plainBsn],
      bsnGrouped: [groupedBsn, groupedBsn.replace(/\D/g, '')],
      birthDate: [`${day} maart 198${n}`],
      birthDateNumeric: [`${day}-03-198${n}`],
      address: [`Kerkstraat ${20 + n}`],
      ownName: [user.givenName, user.surname],
    },
  };
}

interface Backend {
  name: string;
  env(): Promise<Record<string, string>>;
  /** The bot's stores, opened by the test on the same data (to queue reminders as the scheduler would). */
  open(rig: PlaygroundRig): Promise<Stores>;
  /** Everything stored, as text: each file, or a dump of every table of a database. */
  answersDump(rig: PlaygroundRig): Promise<string[]>;
  keysDump(rig: PlaygroundRig): Promise<string[]>;
  secret(rig: PlaygroundRig): Buffer;
  close(): Promise<void>;
}

/** Every file below a folder as `-- name` and its text, read as one pass beside the running bot (see readListed). */
const dumpBelow = async (dir: string) =>
  (await readListed(() => filesBelow(dir))).map(({ file, text }) => `-- ${file}\n${text}`);

function embedded(): Backend {
  return {
    name: 'embedded store',
    env: async () => ({}),
    open: async (rig) => openLowdbStores(rig.dataDir, rig.keyDir),
    answersDump: async (rig) => dumpBelow(rig.dataDir),
    keysDump: async (rig) => dumpBelow(rig.keyDir),
    secret: (rig) => pseudonymSecret(undefined, rig.keyDir),
    close: async () => {},
  };
}

function postgres(): Backend {
  let pair: DatabasePair | undefined;
  const secret = randomBytes(32).toString('hex');
  return {
    name: 'PostgreSQL',
    env: async () => {
      pair = await createDatabasePair();
      return { DATABASE_URL: pair.databaseUrl, KEY_DATABASE_URL: pair.keyDatabaseUrl, PSEUDONYM_SECRET: secret };
    },
    open: async () =>
      openPostgresStores({ databaseUrl: pair!.databaseUrl, keyDatabaseUrl: pair!.keyDatabaseUrl, poolMax: 2 }),
    answersDump: async () => [await dumpDatabase(pair!.databaseUrl)],
    keysDump: async () => [await dumpDatabase(pair!.keyDatabaseUrl)],
    secret: () => Buffer.from(secret, 'hex'),
    close: async () => {
      await pair?.drop();
    },
  };
}

describe.each([embedded(), postgres()])('privacy end to end on the $name (Agents Playground)', (backend) => {
  let rig: PlaygroundRig;
  let chats: TeamChats;
  let botEnv: Record<string, string>;
  const journey = new Journey(30_000);
  const step = journey.step.bind(journey);
  let channelId: string;
  let people: Person[];
  let completers: Person[];
  let leaver: Person;
  let quitter: Person;
  const exports: { name: string; body: string }[] = [];
  let digestCards: BotMessage[] = [];

  beforeAll(
    () =>
      journey.setUp(async () => {
        const env = { SCHEDULER_INTERVAL_SEC: '1', OUTBOX_RATE_PER_SEC: '20', ...(await backend.env()) };
        rig = await PlaygroundRig.startForResearcher(env);
        botEnv = { ...env, RESEARCHER_IDS: rig.config.currentUser.aadObjectId };
        const team = rig.team;
        channelId = team.channelId;
        chats = new TeamChats(rig, team.researcher, channelId);
        people = team.members.map((user, n) => person(user, n));
        [leaver, quitter] = [at(people, -2, 'member'), at(people, -1, 'member')];
        completers = people.slice(0, -2);
      }),
    60_000,
  );

  afterAll(async () => {
    if (journey.failed) console.log(`Privacy e2e failed: bot log and data kept in ${rig?.root}`);
    await rig?.close({ keepFiles: journey.failed });
    await backend.close();
  }, 30_000);

  /** The bot's stores, opened afresh by the test (what the bot wrote, not what an earlier opening read). */
  const withStores = async (fn: (stores: Stores) => Promise<void>) => {
    const stores = await backend.open(rig);
    try {
      await fn(stores);
    } finally {
      await stores.close();
    }
  };
  const pseudonym = (p: Person) => pseudonymOf(backend.secret(rig), rig.config.tenantId, p.user.aadObjectId);
  const typed = (p: Person) => (_id: string, n: number) => at(p.sentences, n % p.sentences.length, 'sentence');

  step('the researcher registers the channel for digests and invites the team', async () => {
    await chats.research(`digest here ${ROUND}`);
    const queued = at(await chats.research(`invite ${ROUND} team`), 0, 'reply');
    expect(queued.text).toMatch(/\d+ nieuw/);
    await until(
      "an invitation in every member's chat",
      () =>
        people.every(
          (p) =>
            rig.createdChats.some((c) => c.memberId === p.user.id) &&
            (() => {
              try {
                return Boolean(chats.invitationOf(p.user, ROUND));
              } catch {
                return false;
              }
            })(),
        ),
      15_000,
    );
    expect(people.length).toBeGreaterThanOrEqual(5);
  });

  step(
    'members complete the interview, typing identifiers of every class; one of them then withdraws',
    async () => {
      await Promise.all([...completers, leaver].map((p) => chats.interview(p.user, ROUND, typed(p))));
      const before = rig.mark();
      const withCards = (await chats.write(leaver.user, 'stoppen')).filter((m) => m.card);
      const confirm = at(withCards, 0, 'withdrawal card');
      expect(JSON.stringify(confirm.card)).toContain('Open pilotronde');
      const done = await chats.press(leaver.user, confirm, buttonData(confirm, 'withdrawYes'));
      expect(done.map((m) => m.text).join(' ')).toMatch(/ingetrokken/);
      // The summaries that showed the leaver's answers are edited to a neutral text.
      await until(
        'the summaries blanked',
        () =>
          rig.sent.filter(
            (m) =>
              m.seq > before &&
              m.kind === 'update' &&
              m.conversationId === chats.chatOf(leaver.user) &&
              JSON.stringify(m.card).includes(participantText('nl', 'withdrawnCard')),
          ).length >= 5,
        5_000,
      );
    },
    90_000,
  );

  step(
    'one stops midway, is reminded, has reminders queued across a restart, and withdraws: nothing reaches them afterwards',
    async () => {
      await chats.interview(quitter.user, ROUND, typed(quitter), 3);
      const mark = rig.mark();
      await chats.research(`remind ${ROUND}`);
      await until(
        'the reminder to the one midway',
        () => rig.created(chats.chatOf(quitter.user), mark).some((m) => m.card),
        10_000,
      );
      const who = pseudonym(quitter);
      // The bot stops with two more reminders in its outbox: one due shortly, one uncertain (a send cut off by a crash).
      await rig.stopBot();
      // Due well after the restart (which takes seconds on a busy machine): it is still queued at the withdrawal.
      const due = Date.now() + 25_000;
      await withStores(async (stores) => {
        expect(await stores.keys.lookup(who, ROUND)).toMatchObject({ code: expect.any(String) });
        const target = (await stores.keys.target(who))!;
        const job = (id: string, status: OutboxJob['status']): OutboxJob => ({
          id,
          kind: 'remind',
          roundId: ROUND,
          pseudonym: who,
          target,
          status,
          attempts: 0,
          notBefore: new Date(due).toISOString(),
          createdAt: new Date().toISOString(),
        });
        expect(
          await stores.outbox.enqueue([
            job(`remind:${ROUND}:${who}:queued`, 'pending'),
            job(`remind:${ROUND}:${who}:uncertain`, 'uncertain'),
          ]),
        ).toBe(2);
      });
      await rig.startBot(botEnv);

      const confirm = (await chats.write(quitter.user, 'stoppen')).find((m) =>
        JSON.stringify(m.card ?? {}).includes('"withdrawYes"'),
      )!;
      const done = await chats.press(quitter.user, confirm, buttonData(confirm, 'withdrawYes'));
      expect(done.map((m) => m.text).join(' ')).toMatch(/ingetrokken/);
      const after = rig.mark();
      // Past the queued reminder's time, and a few scheduler ticks more.
      await until("the queued reminder's time", () => Date.now() > due + 2_500, 40_000);
      expect(rig.created(chats.chatOf(quitter.user), after)).toEqual([]);
      await rig.stopBot(); // The embedded store is read by one process at a time.
      await withStores(async (stores) => {
        expect((await stores.outbox.list(ROUND)).filter((j) => j.pseudonym === who)).toEqual([]);
        expect(await stores.keys.entries(who)).toEqual({});
        expect(await stores.keys.target(who)).toBeNull();
      });
      await rig.startBot(botEnv);
    },
    90_000,
  );

  step('a digest goes to the channel; the CSV, JSON and PQMethod exports are fetched', async () => {
    const mark = rig.mark();
    await chats.research(`digest ${ROUND}`);
    await until(
      'the digest in the channel',
      () => rig.created(channelId, mark).some((m) => JSON.stringify(m.card ?? {}).includes('Wijzer-samenvatting')),
      15_000,
    );
    // The digest's other cards follow through the outbox.
    await until('the outbox idle', () => rig.outboxIdle(), 10_000);
    digestCards = rig.created(channelId, mark).filter((m) => m.card);
    for (const format of ['csv', 'json', 'pqmethod']) {
      const from = rig.mark();
      await chats.research(`export ${ROUND} ${format}`);
      // In the channel today; in the researcher's 1:1 chat once links are delivered privately.
      const links = await until(
        `the ${format} export links`,
        () => {
          const found = rig.sent
            .filter((m) => m.seq > from && m.text)
            .flatMap((m) => [...m.text!.matchAll(/\[([^\]]+)\]\((http[^)\s]+)\)/g)]);
          return found.length ? found : undefined;
        },
        10_000,
      );
      for (const link of links) {
        const [name, url] = [at(link, 1, 'link name'), at(link, 2, 'link address')];
        const res = await fetch(url);
        expect(res.status).toBe(200);
        exports.push({ name, body: await res.text() });
      }
    }
    const sorts = exports
      .find((e) => e.name.endsWith('sorts.csv'))!
      .body.trim()
      .split('\n');
    expect(sorts).toHaveLength(1 + completers.length);
  });

  step('nothing written anywhere holds an identity, an identifier, or a trace of those who withdrew', async () => {
    const answers = await backend.answersDump(rig);
    const keys = await backend.keysDump(rig);
    const log = [await readFile(rig.botLog, 'utf8')];
    // What the channel shows: the cards (the rest of the activity is the Bot Connector envelope: chat and tenant ids).
    const digests = digestCards.map((m) => JSON.stringify(m.activity.attachments));
    const exported = exports.map((e) => e.body);
    expect(answers.join('').length).toBeGreaterThan(1000);
    expect(digests.length).toBeGreaterThan(0);
    const find = (texts: string[], needles: string[]) =>
      needles.filter((n) => n && texts.some((x) => x.toLowerCase().includes(n.toLowerCase())));

    // Teams identity: only in the key store, for those still taking part or invited.
    const everyone = [rig.config.currentUser, ...rig.config.users];
    const identity = [
      ...everyone.flatMap((u) => [u.id, u.name, u.userPrincipleName, u.email, u.aadObjectId]),
      rig.config.tenantId,
      rig.config.personalChat.id,
      ...rig.createdChats.map((c) => c.conversationId),
      ...chats.postIds,
      `localhost:${rig.playgroundPort}`,
    ];
    expect(find([...answers, ...log, ...digests, ...exported], identity)).toEqual([]);

    // Identifiers, per class, anywhere (the key store included).
    const leaking = new Map<IdentifierClass, string[]>();
    for (const p of people) {
      for (const [cls, needles] of Object.entries(p.needles) as [IdentifierClass, string[]][]) {
        const hits = find([...answers, ...keys, ...log, ...digests, ...exported], needles);
        if (hits.length) leaking.set(cls, [...(leaking.get(cls) ?? []), ...hits]);
      }
    }
    expect(Object.fromEntries(leaking)).toEqual({});

    // The two who withdrew: no word they wrote, no pseudonym, no chat, no id, anywhere; no job for them.
    for (const p of [leaver, quitter]) {
      const traces = [p.marker, pseudonym(p), p.user.id, p.user.aadObjectId, chats.chatOf(p.user)];
      expect(find([...answers, ...keys, ...log, ...digests, ...exported], traces)).toEqual([]);
    }
    // Those who completed are still there, under their letter codes, with their answers scrubbed.
    for (const p of completers) expect(find(answers, [p.marker])).toEqual([p.marker]);
  });
});
