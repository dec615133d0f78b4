import { TestAdapter, type Activity } from 'botbuilder';
import { InterviewSession } from '../../src/interview/session.js';
import { participantText } from '../../src/interview/messages.js';
import { researcherText } from '../../src/research/messages.js';
import type { Stores } from '../../src/ports/stores.js';
import { WijzerBot } from '../../src/teams/bot.js';
import { admissionOf } from '../../src/teams/admission.js';
import { CardTemplates } from '../../src/teams/cardTemplates.js';
import { InterviewDialog } from '../../src/teams/interviewDialog.js';
import { ResearchHandler } from '../../src/teams/researchHandler.js';
import { completeInterviews } from '../support/completedRound.js';
import { content } from '../support/context.js';
import { openResearchRig, type ResearchRig } from '../support/researchRig.js';
import { at, defined } from '../support/defined.js';

const SECRET = Buffer.alloc(32, 5);
const RESEARCHER = '11111111-2222-3333-4444-555555555555';
const PARTICIPANT = '99999999-2222-3333-4444-555555555555';
const now = new Date('2026-11-25T10:00:00Z');

let stores: Stores;
let adapter: TestAdapter;
let rig: ResearchRig;

beforeEach(async () => {
  rig = await openResearchRig({ secret: SECRET, researchers: [RESEARCHER], now: () => now, linkMinutes: 15 });
  ({ stores } = rig);
  const cards = new CardTemplates();
  const bot = new WijzerBot(
    new InterviewDialog(new InterviewSession(content, stores, Buffer.alloc(32, 4)), cards, SECRET),
    admissionOf({ localMode: true, ALLOWED_TENANT_IDS: [] }),
    new ResearchHandler(rig.service, cards),
  );
  adapter = new TestAdapter((context) => bot.run(context));
});
afterEach(() => rig.close());

type Where = 'personal' | 'channel';
async function say(
  text: string | undefined,
  options: { who?: string; where?: Where; value?: unknown; locale?: string } = {},
): Promise<Partial<Activity>[]> {
  const where = options.where ?? 'personal';
  const activity: Partial<Activity> = {
    type: 'message',
    text,
    value: options.value,
    locale: options.locale ?? 'nl-NL',
    from: { id: `29:${options.who ?? RESEARCHER}`, name: 'Onderzoeker', aadObjectId: options.who ?? RESEARCHER },
    conversation:
      where === 'personal'
        ? { id: 'a:1personal', tenantId: 't1', conversationType: 'personal', isGroup: false, name: '' }
        : {
            id: '19:academie@thread.tacv2;messageid=1',
            tenantId: 't1',
            conversationType: 'channel',
            isGroup: true,
            name: '',
          },
  };
  await adapter.receiveActivity(activity);
  return adapter.activeQueue.splice(0);
}
const texts = (replies: Partial<Activity>[]) => replies.map((r) => r.text ?? '');
const cardOf = (replies: Partial<Activity>[]) =>
  replies.find((r) => r.attachments?.length)?.attachments?.[0]?.content as
    { body: Record<string, unknown>[] } | undefined;

test('"help" in a 1:1 chat: a researcher gets the researcher commands as well as the participant\'s help', async () => {
  const replies = await say('help');
  expect(texts(replies)).toContain(researcherText('nl', 'help'));
  expect(texts(replies).join('\n')).toContain(participantText('nl', 'help'));
  const participant = await say('help', { who: PARTICIPANT });
  expect(texts(participant)).not.toContain(researcherText('nl', 'help'));
  expect(texts(participant).join('\n')).toContain(participantText('nl', 'help'));
});

test('a non-researcher is told what fits where they are: in a 1:1 chat to ask the research team, in a channel to open a 1:1 chat', async () => {
  expect(texts(await say('status', { who: PARTICIPANT }))).toEqual([researcherText('nl', 'notResearcherPersonal')]);
  expect(researcherText('nl', 'notResearcherPersonal')).not.toMatch(/1-op-1/);
  expect(researcherText('nl', 'notResearcherPersonal')).toMatch(/onderzoeksteam/);
  expect(texts(await say('<at>Wijzer</at> status', { who: PARTICIPANT, where: 'channel' }))).toEqual([
    researcherText('nl', 'notResearcherChannel'),
  ]);
  expect(texts(await say('status', { who: PARTICIPANT, locale: 'en-US' }))).toEqual([
    researcherText('en', 'notResearcherPersonal'),
  ]);
});

test('a bad round form comes back with every problem next to its field, in attention colour', async () => {
  const [card] = (await say('ronde nieuw')).map(
    (r) => r.attachments?.[0]?.content as { body: { id?: string; value?: unknown }[] },
  );
  const values = Object.fromEntries(
    defined(card, 'the round form')
      .body.filter((e) => e.id)
      .map((e) => [e.id, e.value]),
  );
  const replies = await say(undefined, {
    value: {
      ...values,
      id: 'Pilot!',
      nameNl: '',
      retentionMonths: 'x',
      contactEmail: 'onderzoek@wij.example.nl',
      wzr: 'saveRound',
      editing: '',
    },
  });
  expect(texts(replies)[0]).toBe(researcherText('nl', 'badForm', { count: 3 }));
  const body = cardOf(replies)!.body;
  const after = (id: string) => at(body, body.findIndex((e) => e.id === id) + 1, `the element after ${id}`);
  expect(after('id')).toMatchObject({
    type: 'TextBlock',
    color: 'Attention',
    text: expect.stringMatching(/^Gebruik 2 tot 40 kleine letters/),
  });
  expect(after('nameNl')).toMatchObject({
    type: 'TextBlock',
    color: 'Attention',
    text: expect.stringMatching(/^Geef de ronde een Nederlandse naam/),
  });
  expect(after('retentionMonths')).toMatchObject({
    type: 'TextBlock',
    color: 'Attention',
    text: expect.stringMatching(/^Geef een heel aantal maanden/),
  });
  // Fields without a problem have no error line, and what was typed is kept.
  expect(after('nameEn').type).not.toBe('TextBlock');
  expect(body.find((e) => e.id === 'id')?.value).toBe('Pilot!');
  // The client checks required fields and patterns itself, with the same words.
  expect(body.find((e) => e.id === 'id')).toMatchObject({
    isRequired: true,
    errorMessage: expect.stringMatching(/^Gebruik 2 tot 40/),
  });
});

/** Everything a reader sees: message texts, and the texts, labels, titles and facts of cards (not ids or values). */
function shown(replies: Partial<Activity>[]): string[] {
  const out: string[] = [];
  const walk = (node: unknown, key = ''): void => {
    if (typeof node === 'string') {
      if (['text', 'title', 'label', 'errorMessage', 'placeholder', 'altText'].includes(key)) out.push(node);
    } else if (Array.isArray(node)) node.forEach((n) => walk(n, key === 'facts' ? 'fact' : key));
    else if (node && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) walk(v, key === 'fact' && k === 'value' ? 'text' : k);
    }
  };
  for (const r of replies) {
    if (r.text) out.push(r.text);
    walk(r.attachments?.map((a) => a.content));
  }
  // File names and link targets are stable ids, not text.
  return out.map((s) => s.replace(/\[[^\]]*\]\([^)]*\)/g, ''));
}

// "start" is a Dutch command word too (`ronde start`).
const ENGLISH =
  /\b(the|is now|draft|invite|invited|closed|paused|round|rounds|use|usage|nothing|sorts?|factors|viewpoints?|failed|possible|queued|reminders?|invitations?|skipped|none|day|and|or|with|not|yes|no|must|characters|string|number|should|here|new|edit|pause|close|remind|researchers|add|remove)\b/i;
const RAW =
  /expected|received|Too small|Too big|Invalid|NaN|>=|<=|undefined|null|\{\w+\}|\bdag \d\b|\b1 (gezichtspunten|factoren|sorteringen|minuten|velden)\b/;

const DUTCH =
  /\b(ronde|rondes|niet|geen|het|een|van|zijn|wordt|kan|staat|klopt|kloppen|velden|opgeslagen|uitgenodigd|herinnering|gesloten|gepauzeerd|concept|onderzoekers|sorteringen|gezichtspunten|minuten)\b/i;

test.each([
  ['nl', 'nl-NL', ENGLISH],
  ['en', 'en-US', DUTCH],
] as const)(
  'no researcher reply in %s holds the other language or raw validation text, for every command with good and bad input',
  async (lang, locale, other) => {
    const guid = 'aaaaaaaa-0000-0000-0000-000000000001';
    const seen: string[] = [];
    const run = async (text: string | undefined, options: Parameters<typeof say>[1] = {}) => {
      const replies = await say(text, { locale, ...options });
      expect(replies.length).toBeGreaterThan(0);
      for (const s of shown(replies)) seen.push(`${text ?? JSON.stringify(options.value)} → ${s}`);
      return replies;
    };
    for (const command of [
      'rondes',
      'ronde',
      'ronde wijzig',
      'ronde wijzig nope',
      'ronde wijzig default',
      'ronde start default',
      'ronde pauzeer nope',
      'ronde sluit',
      'status',
      'status nope',
      'status default',
      'uitnodigen',
      'uitnodigen default',
      'uitnodigen default jan',
      'uitnodigen nope team',
      `uitnodigen default ${guid}x`,
      'uitnodigen default team',
      'uitnodigen default jan@example.com',
      'herinner',
      'herinner nope',
      'herinner default',
      'export',
      'export default xls',
      'export default csv',
      'export default csv |',
      'analyse',
      'analyse nope',
      'analyseer default',
      'digest',
      'digest hier',
      'digest hier default',
      'digest default',
      'onderzoekers',
      'onderzoekers toevoegen jan',
      'onderzoekers toevoegen',
      `onderzoekers toevoegen ${guid}`,
      `onderzoekers verwijderen ${guid}`,
    ])
      await run(command);
    await run('<at>Wijzer</at> digest hier default', { where: 'channel' });
    await run('<at>Wijzer</at> digest hier default', { where: 'channel' });
    await run('<at>Wijzer</at> digest default', { where: 'channel' });
    await run('<at>Wijzer</at> help', { where: 'channel' });

    // The form: empty, bad in every field, then good; a duplicate; the whole lifecycle of the new round.
    const [card] = (await run(lang === 'nl' ? 'ronde nieuw' : 'round new')).map(
      (r) => r.attachments?.[0]?.content as { body: { id?: string; value?: unknown }[] },
    );
    const values = Object.fromEntries(
      defined(card, 'the round form')
        .body.filter((e) => e.id)
        .map((e) => [e.id, e.value]),
    );
    await run(undefined, { value: { wzr: 'saveRound' } });
    await run(undefined, {
      value: {
        wzr: 'saveRound',
        editing: '',
        id: 'X',
        nameNl: '',
        guide: 'g',
        deck: 'd',
        audience: 'all',
        opensAt: '2026-13-01',
        closesAt: 'morgen',
        extremeColumns: '9',
        minCards: 'veel',
        workAreas: '',
        retentionMonths: 'NaN',
        reminderDays: 'x',
        reminderMax: '99',
        digestWeekday: '8',
        digestTime: '9u',
        digestK: '1',
        digestLanguage: 'de',
        contactName: '',
        contactEmail: 'mail',
        contactTeams: 'http://x',
      },
    });
    await run(undefined, {
      value: {
        ...values,
        wzr: 'saveRound',
        editing: '',
        id: 'pilot-x',
        nameNl: 'Pilot X',
        contactEmail: 'onderzoek@wij.example.nl',
        extremeColumns: '-9,3',
        minCards: '99',
        workAreas: 'A\na',
      },
    });
    await run(undefined, {
      value: {
        ...values,
        wzr: 'saveRound',
        editing: '',
        id: 'pilot-x',
        nameNl: 'Pilot X',
        contactEmail: 'onderzoek@wij.example.nl',
      },
    });
    await run(undefined, {
      value: {
        ...values,
        wzr: 'saveRound',
        editing: '',
        id: 'pilot-x',
        nameNl: 'Pilot X',
        contactEmail: 'onderzoek@wij.example.nl',
      },
    });
    await run('ronde wijzig pilot-x');
    for (const command of [
      'ronde pauzeer pilot-x',
      'ronde start pilot-x',
      `uitnodigen pilot-x ${guid}`,
      `uitnodigen pilot-x ${guid}`,
      'herinner pilot-x',
      'ronde pauzeer pilot-x',
      'herinner pilot-x',
      'ronde sluit pilot-x',
      'ronde sluit pilot-x',
      `uitnodigen pilot-x ${guid}`,
      'ronde start pilot-x',
      'status pilot-x',
      'export pilot-x json',
      'analyse pilot-x',
    ])
      await run(command);

    // With completed interviews: every export, the analysis, status; then closed.
    await completeInterviews(stores, 6);
    for (const command of [
      'export default csv',
      'export default csv ,',
      'export default json',
      'export default pqmethod',
      'export csv',
      'analyse default',
      'analyse',
      'status default',
      'ronde sluit default',
      'export default csv',
      'analyse default',
      'rondes',
    ])
      await run(command);

    const wrong = seen.filter((s) => other.test(s.slice(s.indexOf(' → ') + 3)));
    const raw = seen.filter((s) => RAW.test(s.slice(s.indexOf(' → ') + 3)));
    expect(wrong).toEqual([]);
    expect(raw).toEqual([]);
    expect(seen.length).toBeGreaterThan(100);
  },
);
