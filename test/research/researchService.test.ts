import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseResearchCommand, looksLikeResearchCommand } from '../../src/research/commands.js';
import { SignedExportLinks } from '../../src/research/exportLinks.js';
import { Outbox } from '../../src/research/outbox/outbox.js';
import type { OutboxJob } from '../../src/research/outbox/types.js';
import { queueDueReminders } from '../../src/research/reminders.js';
import { ResearchService, type ResearchPlace } from '../../src/research/researchService.js';
import { destroyExpiredKeys } from '../../src/research/retention.js';
import { transition } from '../../src/research/rounds.js';
import { seedRounds } from '../../src/research/seedRounds.js';
import { openLowdbStores } from '../../src/storage/lowdb/index.js';
import type { Stores } from '../../src/storage/ports.js';
import { pseudonymOf } from '../../src/storage/pseudonym.js';
import { content } from '../support/context.js';

const SECRET = Buffer.alloc(32, 3);
const RESEARCHER = '11111111-2222-3333-4444-555555555555';
const place: ResearchPlace = { tenantId: 'tenant-1', serviceUrl: 'http://connector', channelId: 'msteams', botId: 'bot' };
const form = {
  id: 'pilot-west', nameNl: 'Pilot West', guide: 'wij-jeugdgeneralist', deck: 'wij-competenties', audience: 'invite',
  opensAt: '2026-11-01', closesAt: '2027-01-31', extremeColumns: '-3,3', workAreas: 'WIJ West\nWIJ Oost', retentionMonths: '6',
  reminderDays: '3,7', reminderMax: '2', wzr: 'saveRound', editing: '',
};

let dir: string;
let stores: Stores;
let sent: OutboxJob[];
let now: Date;
let service: ResearchService;
let outbox: Outbox;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wijzer-research-'));
  stores = openLowdbStores(join(dir, 'data'), join(dir, 'keys'));
  await seedRounds(content, stores.answers, new Date('2026-01-01T00:00:00Z'));
  sent = [];
  now = new Date('2026-11-25T10:00:00Z');
  outbox = new Outbox(stores.outbox, { deliver: async (job) => { sent.push(job); return { outcome: 'sent' }; } }, { ratePerSec: 1000, clock: () => now });
  const links = new SignedExportLinks(SECRET, () => 'http://bot', content, stores, 15, () => now);
  service = new ResearchService(content, stores, outbox, (t, u) => pseudonymOf(SECRET, t, u), [RESEARCHER], links, () => now);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const text = async (p: Promise<{ kind: string; text?: string }[]>) => (await p).map((r) => r.text ?? '').join('\n');

describe('commands', () => {
  test('Dutch and English command words, ids kept as typed, @mentions ignored', () => {
    expect(parseResearchCommand('<at>Wijzer</at> ronde start Pilot-West')).toEqual({ kind: 'transition', id: 'Pilot-West', action: 'start' });
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
    expect(await text(service.saveForm({ ...form, closesAt: '2026-10-01' }, 'nl'))).toMatch(/closesAt: the closing date lies before the opening date/);
    expect(await text(service.saveForm({ ...form, id: 'Pilot West' }, 'nl'))).toMatch(/id:/);
    expect(await text(service.saveForm({ ...form, deck: 'nope' }, 'nl'))).toMatch(/deck: no deck "nope"/);
    expect(await stores.answers.getRound('pilot-west')).toBeNull();
    expect(await text(service.saveForm(form, 'nl'))).toMatch(/opgeslagen als concept/);
    expect(await stores.answers.getRound('pilot-west')).toMatchObject({ status: 'draft', audience: 'invite', retentionMonths: 6, workAreas: [{ id: 'wij-west' }, { id: 'wij-oost' }] });
    expect(await text(service.saveForm(form, 'nl'))).toMatch(/bestaat|al een ronde/);
  });

  test('only a draft can be edited; the lifecycle refuses impossible steps', async () => {
    await service.saveForm(form, 'en');
    expect(await text(service.saveForm({ ...form, nameNl: 'Pilot West 2', editing: 'pilot-west' }, 'en'))).toMatch(/saved as a draft/);
    expect(await text(service.handle({ kind: 'transition', id: 'pilot-west', action: 'start' }, 'en', place))).toMatch(/now open/);
    expect((await stores.answers.getRound('pilot-west'))?.openedAt).toBe(now.toISOString());
    expect(await text(service.saveForm({ ...form, editing: 'pilot-west' }, 'en'))).toMatch(/only a draft can be edited/);
    expect(await text(service.handle({ kind: 'transition', id: 'pilot-west', action: 'start' }, 'en', place))).toMatch(/not possible/);
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
    expect(await text(service.handle({ kind: 'invite', id: 'pilot-west', who: ids }, 'nl', place))).toMatch(/2 nieuw, 0 waren al/);
    expect(await text(service.handle({ kind: 'invite', id: 'pilot-west', who: ids }, 'nl', place))).toMatch(/0 nieuw, 2 waren al/);
    await outbox.drain();
    expect(sent.map((j) => j.target.userId).sort()).toEqual(ids);
    expect(await text(service.handle({ kind: 'invite', id: 'pilot-west', who: ['Jan'] }, 'nl', place))).toMatch(/Zo gebruik je/);
    expect(await text(service.handle({ kind: 'invite', id: 'pilot-west', who: 'team' }, 'nl', place))).toMatch(/kanaal van het team/);
  });

  test('the team roster is read from the channel', async () => {
    await service.saveForm(form, 'nl');
    const members = [{ aadObjectId: 'bbbbbbbb-0000-0000-0000-000000000001', userId: '29:one' }];
    await service.handle({ kind: 'invite', id: 'pilot-west', who: 'team' }, 'nl', { ...place, teamMembers: async () => members });
    await outbox.drain();
    expect(sent.map((j) => j.target.userId)).toEqual(['29:one']);
  });

  test('automatic reminders go to the unfinished only, on schedule', async () => {
    await service.saveForm(form, 'nl');
    await service.handle({ kind: 'transition', id: 'pilot-west', action: 'start' }, 'nl', place);
    const [a, b] = ['aaaaaaaa-0000-0000-0000-00000000000a', 'aaaaaaaa-0000-0000-0000-00000000000b'].map((id) => pseudonymOf(SECRET, 'tenant-1', id));
    for (const p of [a, b]) {
      await stores.keys.saveTarget(p, { ...place, userId: p.slice(0, 8) });
      await stores.keys.update(p, 'pilot-west', () => ({ invitedAt: '2026-11-20T09:00:00.000Z' }));
    }
    await stores.keys.update(b, 'pilot-west', (e) => ({ ...e, declined: true }));
    const outbox = new Outbox(stores.outbox, { deliver: async (job) => { sent.push(job); return { outcome: 'sent' }; } }, { ratePerSec: 1000, clock: () => now });
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
  expect(await text(service.handle({ kind: 'researchers', op: 'add', ids: ['jan'] }, 'nl', place))).toMatch(/Zo gebruik je/);
});

test('after the retention period the keys of a closed round are destroyed, the answers stay', async () => {
  const p = pseudonymOf(SECRET, 'tenant-1', 'someone');
  await stores.keys.update(p, 'default', () => ({ code: 'A' }));
  const round = (await stores.answers.getRound('default'))!;
  await stores.answers.saveRound({ ...round, status: 'closed', closedAt: '2026-01-15T00:00:00.000Z', retentionMonths: 12 });
  expect(await destroyExpiredKeys(stores, new Date('2027-01-14T00:00:00Z'))).toEqual([]);
  expect(await destroyExpiredKeys(stores, new Date('2027-01-16T00:00:00Z'))).toEqual(['default']);
  expect(await stores.keys.lookup(p, 'default')).toBeNull();
  expect((await stores.answers.getRound('default'))?.keysDestroyedAt).toBe('2027-01-16T00:00:00.000Z');
});

test('export links are signed and expire', async () => {
  const links = new SignedExportLinks(SECRET, () => 'http://bot', content, stores, 15, () => now);
  await expect(links.links('default', 'csv')).rejects.toThrow(/no completed interviews/);
  expect(await links.open('forged.token')).toBeNull();
  expect(await links.open('')).toBeNull();
});

test('analyse: a round without sorts gets a clear message; the command parses in both languages', async () => {
  expect(parseResearchCommand('analyseer pilot')).toEqual({ kind: 'analyse', id: 'pilot' });
  expect(parseResearchCommand('analyse')).toMatchObject({ kind: 'invalid' });
  expect(await text(service.handle({ kind: 'analyse', id: 'default' }, 'nl', place))).toMatch(/De analyse lukte niet/);
});

test('invite by e-mail address: looked up in the team, refused outside a team channel, unknown addresses named', async () => {
  await service.saveForm(form, 'nl');
  expect(await text(service.handle({ kind: 'invite', id: 'pilot-west', who: ['jan@wij.nl'] }, 'nl', place))).toMatch(/alleen opzoeken in een kanaal/);
  const team = { ...place, resolveMember: async (upn: string) => (upn === 'jan@wij.nl' ? { aadObjectId: 'cccccccc-0000-0000-0000-000000000001', userId: '29:jan' } : null) };
  expect(await text(service.handle({ kind: 'invite', id: 'pilot-west', who: ['jan@wij.nl', 'piet@wij.nl'] }, 'nl', team))).toMatch(/vond ik niet in het team: piet@wij.nl/);
  expect(await text(service.handle({ kind: 'invite', id: 'pilot-west', who: ['jan@wij.nl'] }, 'nl', team))).toMatch(/1 nieuw/);
  await outbox.drain();
  expect(sent.map((j) => j.target.userId)).toEqual(['29:jan']);
});
