import { readFileSync } from 'node:fs';
import { parseResearchCommand, looksLikeResearchCommand } from '../../src/research/commands.js';
import { readAll } from '../../src/export/file.js';
import type { Outbox } from '../../src/research/outbox/outbox.js';
import type { OutboxJob } from '../../src/ports/outbox.js';
import { queueDueReminders } from '../../src/research/reminders.js';
import type { ResearchService, ResearchPlace, ResearchReply } from '../../src/research/researchService.js';
import { destroyExpiredKeys } from '../../src/research/retention.js';
import { transition } from '../../src/research/rounds.js';
import type { Stores } from '../../src/ports/stores.js';
import { pseudonymOf } from '../../src/storage/pseudonym.js';
import { content } from '../support/context.js';
import { openResearchRig, type ResearchRig } from '../support/researchRig.js';
import { defined } from '../support/defined.js';

const SECRET = Buffer.alloc(32, 3);
const RESEARCHER = '11111111-2222-3333-4444-555555555555';
const place: ResearchPlace = {
  tenantId: 'tenant-1',
  serviceUrl: 'http://connector',
  channelId: 'msteams',
  botId: 'bot',
};
const form = {
  id: 'pilot-west',
  nameNl: 'Pilot West',
  guide: 'wij-jeugdgeneralist',
  deck: 'wij-competenties',
  audience: 'invite',
  opensAt: '2026-11-01',
  closesAt: '2027-01-31',
  extremeColumns: '-3,3',
  workAreas: 'WIJ West\nWIJ Oost',
  retentionMonths: '6',
  reminderDays: '3,7',
  reminderMax: '2',
  contactName: 'Onderzoeksteam',
  contactEmail: 'onderzoek@wij.example.nl',
  wzr: 'saveRound',
  editing: '',
};

let stores: Stores;
let sent: OutboxJob[];
let now: Date;
let service: ResearchService;
let outbox: Outbox;
let rig: ResearchRig;

beforeEach(async () => {
  sent = [];
  now = new Date('2026-11-25T10:00:00Z');
  rig = await openResearchRig({ secret: SECRET, researchers: [RESEARCHER], now: () => now, linkMinutes: 15, sent });
  ({ stores, service, outbox } = rig);
});
afterEach(() => rig.close());

const text = async (p: Promise<{ kind: string; text?: string }[]>) => (await p).map((r) => r.text ?? '').join('\n');
/** The problems a re-sent round form shows next to its fields. */
const errorsOf = (replies: ResearchReply[]) => {
  const card = replies.find((r) => r.kind === 'card');
  if (card?.kind !== 'card' || card.card.template !== 'roundForm') throw new Error('no form card in the reply');
  return Object.fromEntries(Object.entries(card.card.data.errors as Record<string, string>).filter(([, v]) => v));
};

describe('commands', () => {
  test('Dutch and English command words, ids kept as typed, @mentions ignored', () => {
    expect(parseResearchCommand('<at>Wijzer</at> ronde start Pilot-West')).toEqual({
      kind: 'transition',
      id: 'Pilot-West',
      action: 'start',
    });
    expect(parseResearchCommand('round close x')).toEqual({ kind: 'transition', id: 'x', action: 'close' });
    expect(parseResearchCommand('uitnodigen pilot team')).toEqual({ kind: 'invite', id: 'pilot', who: 'team' });
    expect(parseResearchCommand('invite pilot a, b')).toEqual({ kind: 'invite', id: 'pilot', who: ['a', 'b'] });
    expect(parseResearchCommand('export pilot pqmethod')).toEqual({ kind: 'export', id: 'pilot', format: 'pqmethod' });
    expect(parseResearchCommand('export csv')).toEqual({ kind: 'export', format: 'csv' });
    expect(parseResearchCommand('export pilot xls').kind).toBe('invalid');
    expect(parseResearchCommand('ronde')).toMatchObject({ kind: 'invalid' });
    expect(looksLikeResearchCommand('Status')).toBe(true);
    expect(looksLikeResearchCommand('verder')).toBe(false);
  });
});

describe('rounds', () => {
  test('the form creates a draft; a bad form changes nothing and says why', async () => {
    expect(errorsOf(await service.saveForm({ ...form, closesAt: '2026-10-01' }, 'nl'))).toEqual({
      closesAt: 'De sluitdatum ligt voor de openingsdatum.',
    });
    expect(Object.keys(errorsOf(await service.saveForm({ ...form, id: 'Pilot West' }, 'nl')))).toEqual(['id']);
    expect(errorsOf(await service.saveForm({ ...form, deck: 'nope' }, 'nl'))).toEqual({
      deck: 'Er is geen kaartenset "nope".',
    });
    expect(await stores.answers.getRound('pilot-west')).toBeNull();
    expect(await text(service.saveForm(form, 'nl'))).toMatch(/opgeslagen als concept/);
    expect(await stores.answers.getRound('pilot-west')).toMatchObject({
      status: 'draft',
      audience: 'invite',
      retentionMonths: 6,
      workAreas: [{ id: 'wij-west' }, { id: 'wij-oost' }],
    });
    expect(await text(service.saveForm(form, 'nl'))).toMatch(/bestaat|al een ronde/);
  });

  test('only a draft can be edited; the lifecycle refuses impossible steps', async () => {
    await service.saveForm(form, 'en');
    expect(await text(service.saveForm({ ...form, nameNl: 'Pilot West 2', editing: 'pilot-west' }, 'en'))).toMatch(
      /saved as a draft/,
    );
    expect(await text(service.handle({ kind: 'transition', id: 'pilot-west', action: 'start' }, 'en', place))).toMatch(
      /now open/,
    );
    expect((await stores.answers.getRound('pilot-west'))?.openedAt).toBe(now.toISOString());
    expect(await text(service.saveForm({ ...form, editing: 'pilot-west' }, 'en'))).toMatch(
      /only a draft can be edited/,
    );
    expect(await text(service.handle({ kind: 'transition', id: 'pilot-west', action: 'start' }, 'en', place))).toMatch(
      /not possible/,
    );
    const round = (await stores.answers.getRound('pilot-west'))!;
    expect(transition(round, 'pause', now)).toMatchObject({ ok: true, round: { status: 'paused' } });
    expect(transition({ ...round, status: 'closed' }, 'start', now).ok).toBe(false);
  });
});

describe('invitations, reminders, status', () => {
  test('invite by AAD object ids queues one invitation each, once', async () => {
    await service.saveForm(form, 'nl');
    await service.handle({ kind: 'transition', id: 'pilot-west', action: 'start' }, 'nl', place);
    const ids = ['aaaaaaaa-0000-0000-0000-000000000001', 'aaaaaaaa-0000-0000-0000-000000000002'];
    expect(await text(service.handle({ kind: 'invite', id: 'pilot-west', who: ids }, 'nl', place))).toMatch(
      /2 nieuw, 0 waren al/,
    );
    expect(await text(service.handle({ kind: 'invite', id: 'pilot-west', who: ids }, 'nl', place))).toMatch(
      /0 nieuw, 2 waren al/,
    );
    await outbox.drain();
    expect(sent.map((j) => j.target.userId).sort()).toEqual(ids);
    expect(await text(service.handle({ kind: 'invite', id: 'pilot-west', who: ['Jan'] }, 'nl', place))).toMatch(
      /niemand uitgenodigd: dit klopt niet\.\n\n- `Jan`: bevat "J", "n"/,
    );
    expect(await text(service.handle({ kind: 'invite', id: 'pilot-west', who: 'team' }, 'nl', place))).toMatch(
      /kanaal van het team/,
    );
  });

  test('the team roster is read from the channel', async () => {
    await service.saveForm(form, 'nl');
    const members = [{ aadObjectId: 'bbbbbbbb-0000-0000-0000-000000000001', userId: '29:one' }];
    await service.handle({ kind: 'invite', id: 'pilot-west', who: 'team' }, 'nl', {
      ...place,
      teamMembers: async () => members,
    });
    await outbox.drain();
    expect(sent.map((j) => j.target.userId)).toEqual(['29:one']);
  });

  test('automatic reminders go to the unfinished only, on schedule', async () => {
    await service.saveForm(form, 'nl');
    await service.handle({ kind: 'transition', id: 'pilot-west', action: 'start' }, 'nl', place);
    const person = (id: string) => pseudonymOf(SECRET, 'tenant-1', id);
    const [a, b] = [person('aaaaaaaa-0000-0000-0000-00000000000a'), person('aaaaaaaa-0000-0000-0000-00000000000b')];
    for (const p of [a, b]) {
      await stores.keys.saveTarget(p, { ...place, userId: p.slice(0, 8) });
      await stores.keys.update(p, 'pilot-west', () => ({ invitedAt: '2026-11-20T09:00:00.000Z' }));
    }
    await stores.keys.update(b, 'pilot-west', (e) => ({ ...e, declined: true }));
    expect(await queueDueReminders(stores, outbox, new Date('2026-11-22T10:00:00Z'))).toBe(0); // Sunday
    expect(await queueDueReminders(stores, outbox, new Date('2026-11-23T10:00:00Z'))).toBe(1);
    expect(await queueDueReminders(stores, outbox, new Date('2026-11-23T11:00:00Z'))).toBe(0);
    await outbox.drain();
    expect(sent.filter((j) => j.kind === 'remind').map((j) => j.pseudonym)).toEqual([a]);
    expect((await stores.keys.lookup(a, 'pilot-west'))?.remindersSent).toBe(1);
  });

  test('status shows counts only', async () => {
    const replies = await service.handle({ kind: 'status', id: 'default' }, 'nl', place);
    const json = JSON.stringify(replies);
    expect(json).toMatch(/Uitgenodigd/);
    expect(json).not.toMatch(/tenant-1|29:/);
  });
});

test('researchers are added and removed by AAD object id', async () => {
  expect(await service.isResearcher(RESEARCHER)).toBe(true);
  const other = '99999999-2222-3333-4444-555555555555';
  expect(await service.isResearcher(other)).toBe(false);
  await service.handle({ kind: 'researchers', op: 'add', ids: [other] }, 'nl', place);
  expect(await service.isResearcher(other)).toBe(true);
  await service.handle({ kind: 'researchers', op: 'remove', ids: [other] }, 'nl', place);
  expect(await service.isResearcher(other)).toBe(false);
  expect(await text(service.handle({ kind: 'researchers', op: 'add', ids: ['jan'] }, 'nl', place))).toMatch(
    /niemand toegevoegd of verwijderd: dit klopt niet\.\n\n- `jan`: bevat "j", "n"/,
  );
});

test('after the retention period the keys of a closed round are destroyed, the answers stay', async () => {
  const p = pseudonymOf(SECRET, 'tenant-1', 'someone');
  await stores.keys.update(p, 'default', () => ({ code: 'A' }));
  const round = (await stores.answers.getRound('default'))!;
  await stores.answers.saveRound({
    ...round,
    status: 'closed',
    closedAt: '2026-01-15T00:00:00.000Z',
    retentionMonths: 12,
  });
  expect(await destroyExpiredKeys(stores, new Date('2027-01-14T00:00:00Z'))).toEqual([]);
  expect(await destroyExpiredKeys(stores, new Date('2027-01-16T00:00:00Z'))).toEqual(['default']);
  expect(await stores.keys.lookup(p, 'default')).toBeNull();
  expect((await stores.answers.getRound('default'))?.keysDestroyedAt).toBe('2027-01-16T00:00:00.000Z');
});

test('export links are signed and expire', async () => {
  const { links } = rig;
  await expect(links.links('default', 'csv')).rejects.toThrow(/no completed interviews/);
  expect(await links.open('forged.token')).toBeNull();
  expect(await links.open('')).toBeNull();
});

test('analyse: a round without sorts gets a clear message; the command parses in both languages', async () => {
  expect(parseResearchCommand('analyseer pilot')).toEqual({ kind: 'analyse', id: 'pilot' });
  // Without a round: the most recently opened one, as export and digest (and npm run analyse) do.
  expect(parseResearchCommand('analyse')).toEqual({ kind: 'analyse' });
  expect(await text(service.handle({ kind: 'analyse', id: 'default' }, 'nl', place))).toBe(
    'Ronde "default" heeft 0 afgeronde interviews; een factoranalyse heeft er minstens 2 nodig.',
  );
  expect(await text(service.handle({ kind: 'analyse' }, 'nl', place))).toMatch(
    /Ronde "default" heeft 0 afgeronde interviews/,
  );
});

test('invite by e-mail address: looked up in the team, refused outside a team channel, unknown addresses named', async () => {
  await service.saveForm(form, 'nl');
  expect(await text(service.handle({ kind: 'invite', id: 'pilot-west', who: ['jan@wij.nl'] }, 'nl', place))).toMatch(
    /alleen opzoeken in een kanaal/,
  );
  const team = {
    ...place,
    resolveMember: async (upn: string) =>
      upn === 'jan@wij.nl' ? { aadObjectId: 'cccccccc-0000-0000-0000-000000000001', userId: '29:jan' } : null,
  };
  expect(
    await text(service.handle({ kind: 'invite', id: 'pilot-west', who: ['jan@wij.nl', 'piet@wij.nl'] }, 'nl', team)),
  ).toMatch(/vond ik niet in het team: piet@wij.nl/);
  expect(await text(service.handle({ kind: 'invite', id: 'pilot-west', who: ['jan@wij.nl'] }, 'nl', team))).toMatch(
    /1 nieuw/,
  );
  await outbox.drain();
  expect(sent.map((j) => j.target.userId)).toEqual(['29:jan']);
});

describe("researcher texts in the researcher's language", () => {
  test('"herinner" says who was skipped and why, as counts', async () => {
    await service.saveForm(form, 'nl');
    await service.handle({ kind: 'transition', id: 'pilot-west', action: 'start' }, 'nl', place);
    const person = (n: string) => pseudonymOf(SECRET, 'tenant-1', `aaaaaaaa-0000-0000-0000-0000000000${n}`);
    const [awake, snoozed, declined, unreachable] = [person('01'), person('02'), person('03'), person('04')];
    for (const p of [awake, snoozed, declined]) await stores.keys.saveTarget(p, { ...place, userId: p.slice(0, 8) });
    for (const p of [awake, snoozed, declined, unreachable])
      await stores.keys.update(p, 'pilot-west', () => ({ invitedAt: '2026-11-20T09:00:00.000Z' }));
    await stores.keys.update(snoozed, 'pilot-west', (e) => ({ ...e, snoozedUntil: '2026-11-26T09:00:00.000Z' }));
    await stores.keys.update(declined, 'pilot-west', (e) => ({ ...e, declined: true }));
    expect(await text(service.handle({ kind: 'remind', id: 'pilot-west' }, 'nl', place))).toBe(
      'Herinneringen klaargezet: 1. Overgeslagen: 1 met "Niet nu" (nog in zijn pauze); 1 zei "Nee, bedankt"; 1 onbereikbaar (geen chat bekend).',
    );
    await outbox.drain();
    expect(sent.filter((j) => j.kind === 'remind').map((j) => j.pseudonym)).toEqual([awake]);
    expect(await text(service.handle({ kind: 'transition', id: 'pilot-west', action: 'close' }, 'nl', place))).toBe(
      'Ronde "pilot-west" is nu gesloten.',
    );
    expect(await text(service.handle({ kind: 'remind', id: 'pilot-west' }, 'en', place))).toBe(
      'Round "pilot-west" is closed: you can only remind in an open round. Nothing was sent.',
    );
  });

  test('status, audience, dates and weekdays are named, not printed as stored', async () => {
    await service.saveForm(form, 'nl');
    expect(await text(service.handle({ kind: 'rounds' }, 'nl', place))).toContain(
      '- **pilot-west** (concept, alleen uitgenodigden): Pilot West, 1 november 2026 t/m 31 januari 2027',
    );
    expect(await text(service.handle({ kind: 'rounds' }, 'en', place))).toContain(
      '- **pilot-west** (draft, invited people only): Pilot West, 1 November 2026 to 31 January 2027',
    );
    expect(await text(service.handle({ kind: 'transition', id: 'pilot-west', action: 'pause' }, 'nl', place))).toBe(
      'Dat kan niet: ronde "pilot-west" is concept; alleen een open ronde kan pauzeren.',
    );
    const channel = { ...place, conversationType: 'channel', conversationId: '19:academie' };
    expect(await text(service.handle({ kind: 'digestHere', id: 'pilot-west' }, 'nl', channel))).toContain(
      'elke maandag om 09:00',
    );
    expect(await text(service.handle({ kind: 'digestHere', id: 'default' }, 'en', channel))).toContain(
      'every Monday at 09:00',
    );
    expect(await text(service.handle(parseResearchCommand('ronde'), 'nl', place))).toBe(
      'Zo gebruik je die opdracht: `ronde nieuw | ronde wijzig <id> | ronde start <id> | ronde pauzeer <id> | ronde sluit <id>`. Er is niets veranderd.',
    );
  });

  test('a malformed id says which one and why', async () => {
    await service.saveForm(form, 'nl');
    const reply = await text(
      service.handle(
        {
          kind: 'invite',
          id: 'pilot-west',
          who: [
            'aaaaaaaa-0000-0000-0000-000000000001',
            '00000000-0000-0000-0000-0000000000020',
            'aaaaaaaa0-000-0000-0000-000000000001',
            'jan@',
            'x_y',
          ],
        },
        'nl',
        place,
      ),
    );
    expect(reply).toContain('Er is niemand uitgenodigd: deze kloppen niet.');
    expect(reply).toContain('- `00000000-0000-0000-0000-0000000000020`: 37 tekens in plaats van 36');
    expect(reply).toContain(
      '- `aaaaaaaa0-000-0000-0000-000000000001`: de streepjes staan niet op hun plaats (8-4-4-4-12)',
    );
    expect(reply).toContain('- `jan@`: geen e-mailadres van de vorm naam@domein.nl');
    expect(reply).toContain('- `x_y`: bevat "x", "_", "y"; alleen 0-9, a-f en streepjes mogen');
    expect(reply).not.toContain('aaaaaaaa-0000-0000-0000-000000000001`');
    expect(sent).toEqual([]);
  });

  test('export in Teams: ";" and Dutch headers for a Dutch researcher, the delimiter as asked, a warning while the round is open', async () => {
    const nl = await text(service.handle(parseResearchCommand('export default csv'), 'nl', place));
    expect(nl).toBe('Ronde "default" heeft nog geen afgeronde interviews: er is nog niets te exporteren.');
    expect(parseResearchCommand('export default csv ,')).toEqual({
      kind: 'export',
      id: 'default',
      format: 'csv',
      delimiter: ',',
    });
    expect(parseResearchCommand('export csv;')).toEqual({ kind: 'export', format: 'csv', delimiter: ';' });
    expect(parseResearchCommand('exporteer default csv puntkomma')).toEqual({
      kind: 'export',
      id: 'default',
      format: 'csv',
      delimiter: ';',
    });
    expect(parseResearchCommand('export default json ;')).toEqual({ kind: 'invalid', usage: 'export' });
    const { completeInterviews } = await import('../support/completedRound.js');
    await completeInterviews(stores, 3);
    const reply = await text(service.handle(parseResearchCommand('export default csv'), 'nl', place));
    expect(reply).toMatch(/^Let op: ronde "default" is nog open\. Er kunnen nog interviews bijkomen/);
    expect(reply).toContain('Scheidingsteken `;` (Nederlandse Excel; `export default csv ,` voor een komma)');
    expect(reply).toContain('[default-codebook.csv]');
    const url = defined(/\[default-answers\.csv\]\(([^)]+)\)/.exec(reply)?.[1], 'the answers link');
    const served = await rig.links.open(url.slice(url.lastIndexOf('/') + 1)).then((f) => f && readAll(f));
    expect(String(served?.content)).toMatch(/^\uFEFFDeelnemer;Stap;Vraag-id;Vraag;/);
    const comma = await text(service.handle(parseResearchCommand('export default csv ,'), 'en', place));
    const served2 = await rig.links
      .open(
        defined(/\[default-answers\.csv\]\(([^)]+)\)/.exec(comma)?.[1], 'the answers link')
          .split('/')
          .pop()!,
      )
      .then((f) => f && readAll(f));
    expect(String(served2?.content)).toMatch(/^\uFEFFParticipant,Step,Question id,Question,/);
    await service.handle({ kind: 'transition', id: 'default', action: 'close' }, 'nl', place);
    expect(await text(service.handle(parseResearchCommand('export default json'), 'nl', place))).not.toContain(
      'Let op',
    );
  });

  test('analyse in Teams warns while the round is open, and takes the most recent round without an id', async () => {
    const { completeInterviews } = await import('../support/completedRound.js');
    await completeInterviews(stores, 6);
    const replies = await service.handle({ kind: 'analyse' }, 'nl', place);
    expect(replies[0]).toEqual({ kind: 'text', text: expect.stringMatching(/^Let op: ronde "default" is nog open\./) });
    expect(replies[1]).toMatchObject({ kind: 'card', card: { template: 'analysisSummary' } });
    expect(JSON.stringify(replies[1])).toMatch(/6 sorteringen; (1 gezichtspunt|[02-9] gezichtspunten) gevonden/);
    expect(JSON.stringify(replies[1])).not.toMatch(/\b1 gezichtspunten\b|\b1 factoren\b|\bsorts\b/);
    expect(replies[2]).toEqual({
      kind: 'text',
      text: expect.stringContaining('opent in je browser; de link werkt één keer, 15 minuten lang'),
    });
  });
});

describe('the round form', () => {
  const valuesOf = (replies: ResearchReply[]) => {
    const card = replies.find((r) => r.kind === 'card');
    if (card?.kind !== 'card' || card.card.template !== 'roundForm') throw new Error('no form card');
    return card.card.data.values as Record<string, string | number>;
  };

  test("sensible defaults: closes 6 weeks after opening, the thesis deck of 32, the pilot's six work areas, the digest settings", async () => {
    const values = valuesOf(await service.handle({ kind: 'newRound' }, 'nl', place));
    expect(values).toMatchObject({
      opensAt: '2026-11-25',
      closesAt: '2027-01-06',
      deck: 'wij-competenties',
      digestWeekday: '1',
      digestTime: '09:00',
      digestK: 5,
      digestLanguage: 'nl',
      retentionMonths: 12,
    });
    const pilot = content.rounds.get('default');
    const pilotAreas = pilot
      ? pilot.workAreas.map((w) => w.label.nl)
      : JSON.parse(readFileSync('dialogs/rounds/default.json', 'utf8')).workAreas.map(
          (w: { label: { nl: string } }) => w.label.nl,
        );
    expect(String(values.workAreas).split('\n')).toEqual(pilotAreas);
    expect(content.decks.get(String(values.deck))!.clusters.flatMap((c) => c.competencies)).toHaveLength(32);
  });

  test('every setting of a round is reachable from the form: a saved form round-trips through edit', async () => {
    const full = {
      ...form,
      contactNameEn: 'Research team',
      contactTeams: 'https://teams.microsoft.com/l/channel/x',
      nameEn: 'Pilot West (en)',
      minCards: '12',
      extremeColumns: '-3,-2,2,3',
      digestWeekday: '3',
      digestTime: '14:30',
      digestK: '7',
      digestLanguage: 'en',
      digestMinMean: '4',
      digestMinSpread: '6',
      digestMinAttention: '5',
    };
    expect(await text(service.saveForm(full, 'nl'))).toMatch(/opgeslagen als concept/);
    const round = (await stores.answers.getRound('pilot-west'))!;
    expect(round).toMatchObject({
      minCards: 12,
      extremeColumns: [-3, -2, 2, 3],
      reminders: { afterDays: [3, 7], max: 2 },
      retentionMonths: 6,
      digest: { weekday: 3, time: '14:30', k: 7, language: 'en', minN: { mean: 4, spread: 6, attention: 5 } },
    });
    expect(round.contact).toEqual({
      name: { nl: 'Onderzoeksteam', en: 'Research team' },
      email: 'onderzoek@wij.example.nl',
      teams: 'https://teams.microsoft.com/l/channel/x',
    });
    const values = valuesOf(await service.handle({ kind: 'editRound', id: 'pilot-west' }, 'nl', place));
    // Every setting of the Round schema (its top-level keys, and the leaves of its nested settings) has a form
    // field; only the lifecycle (status, opened, closed, keys destroyed) is not the form's.
    const { Round } = await import('../../src/content/schema.js');
    const { FORM_FIELDS } = await import('../../src/research/rounds.js');
    const field: Record<string, string> = {
      'name.nl': 'nameNl',
      'name.en': 'nameEn',
      'reminders.afterDays': 'reminderDays',
      'reminders.max': 'reminderMax',
      'digest.weekday': 'digestWeekday',
      'digest.time': 'digestTime',
      'digest.k': 'digestK',
      'digest.language': 'digestLanguage',
      'digest.minN.mean': 'digestMinMean',
      'digest.minN.spread': 'digestMinSpread',
      'digest.minN.attention': 'digestMinAttention',
      'contact.name.nl': 'contactName',
      'contact.name.en': 'contactNameEn',
      'contact.email': 'contactEmail',
      'contact.teams': 'contactTeams',
    };
    // localOnly marks content-file rounds for the local run: not a setting of a round made in Teams.
    const lifecycle = ['status', 'openedAt', 'closedAt', 'keysDestroyedAt', 'localOnly'];
    const leaves = (value: unknown, path: string): string[] =>
      value && typeof value === 'object' && !Array.isArray(value)
        ? Object.entries(value).flatMap(([k, v]) => leaves(v, path ? `${path}.${k}` : k))
        : [path];
    const settings = new Set(
      [...Object.keys(Round.shape), ...leaves(round, '')].filter(
        (p) =>
          !lifecycle.includes(p) &&
          !['name', 'reminders', 'digest', 'digest.minN', 'contact', 'contact.name'].includes(p),
      ),
    );
    for (const path of settings)
      expect([path, FORM_FIELDS]).toEqual([path, expect.arrayContaining([field[path] ?? path])]);
    expect(await text(service.saveForm({ ...values, wzr: 'saveRound', editing: 'pilot-west' }, 'nl'))).toMatch(
      /opgeslagen als concept/,
    );
    expect(await stores.answers.getRound('pilot-west')).toEqual(round);
  });

  test("a bad form shows every problem at once, next to its field, in the researcher's language, never zod's words", async () => {
    const bad = {
      ...form,
      contactEmail: '',
      id: 'Pilot West',
      nameNl: '',
      retentionMonths: 'twaalf',
      reminderDays: '3,x',
      deck: 'nope',
      closesAt: '2026-10-01',
      digestTime: '25:00',
      digestK: '1',
    };
    const replies = await service.saveForm(bad, 'nl');
    expect(replies[0]).toEqual({
      kind: 'text',
      text: 'De ronde is niet opgeslagen: 9 velden kloppen nog niet. Hieronder staat het formulier opnieuw, met bij elk veld wat er moet veranderen.',
    });
    expect(errorsOf(replies)).toEqual({
      id: 'Gebruik 2 tot 40 kleine letters, cijfers en streepjes, beginnend met een letter (zoals pilot-west).',
      nameNl: 'Geef de ronde een Nederlandse naam van hoogstens 120 tekens.',
      retentionMonths: 'Geef een heel aantal maanden van 1 tot 120.',
      reminderDays: "Geef dagen gescheiden door komma's, zoals 3,7, of laat het leeg.",
      digestTime: 'Geef een tijd als uu:mm, zoals 09:00.',
      digestK: 'Geef een heel getal van 2 tot 100.',
      closesAt: 'De sluitdatum ligt voor de openingsdatum.',
      deck: 'Er is geen kaartenset "nope".',
      contactEmail:
        'Geef een e-mailadres of een Teams-link (of allebei), zodat deelnemers de onderzoekers kunnen bereiken.',
    });
    // What was typed stays in the form.
    expect(valuesOf(replies)).toMatchObject({ id: 'Pilot West', retentionMonths: 'twaalf', digestTime: '25:00' });
    const json = JSON.stringify(replies);
    expect(json).not.toMatch(/Too small|Invalid input|expected|received|NaN|nameNl:/);
    expect(await stores.answers.getRound('pilot-west')).toBeNull();
    expect(errorsOf(await service.saveForm(bad, 'en')).closesAt).toBe('The closing date lies before the opening date.');
  });
});
