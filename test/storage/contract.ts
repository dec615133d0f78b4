import { createRecord } from '../../src/interview/engine.js';
import type { InterviewRecord } from '../../src/interview/types.js';
import type { OutboxJob } from '../../src/ports/outbox.js';
import { StaleWriteError, type ConversationTarget, type Stores } from '../../src/ports/stores.js';
import { pseudonymOf } from '../../src/storage/pseudonym.js';
import { content, contextFor } from '../support/context.js';
import { at, defined } from '../support/defined.js';

/**
 * One store contract, run against every store implementation with the same tests
 * (test/storage/lowdbContract.test.ts, test/storage/postgresContract.test.ts).
 */
export interface StoreFactory {
  /** Once before the tests (start a server, create databases). */
  setUp(): Promise<void>;
  /** Before each test: empty stores. */
  reset(): Promise<void>;
  /**
   * An instance on the same data. For PostgreSQL a new pair of pools with its own instance id: another bot
   * instance. The embedded store serves one process, so it returns one shared instance.
   */
  instance(): Promise<Stores>;
  /** Once after the tests. */
  tearDown(): Promise<void>;
}

const ctx = contextFor();
const secret = Buffer.alloc(32, 7);
const who = (n: number) => pseudonymOf(secret, 'tenant-1', `user-${n}`);
const build = (code: string) => createRecord(ctx, code, false, null);
const buildIn = (roundId: string) => (code: string) =>
  createRecord({ ...ctx, round: { ...ctx.round, id: roundId } }, code, false, null);

function target(n: number): ConversationTarget {
  return {
    channelId: 'msteams',
    serviceUrl: 'https://smba.example/emea/',
    tenantId: 'tenant-1',
    userId: `29:user-${n}`,
    conversationId: `a:conv-${n}`,
    conversationType: 'personal',
  };
}

function job(id: string, over: Partial<OutboxJob> = {}): OutboxJob {
  return {
    id,
    kind: 'invite',
    roundId: 'default',
    pseudonym: who(1),
    target: target(1),
    status: 'pending',
    attempts: 0,
    notBefore: '2026-11-25T10:00:00.000Z',
    createdAt: '2026-11-25T09:00:00.000Z',
    ...over,
  };
}

async function collect(iterable: AsyncIterable<InterviewRecord>): Promise<InterviewRecord[]> {
  const out: InterviewRecord[] = [];
  for await (const r of iterable) out.push(r);
  return out;
}

export function storeContract(name: string, factory: StoreFactory): void {
  describe(`store contract: ${name}`, () => {
    let opened: Stores[] = [];
    const open = async () => {
      const s = await factory.instance();
      opened.push(s);
      return s;
    };

    beforeAll(() => factory.setUp());
    afterAll(() => factory.tearDown());
    beforeEach(() => factory.reset());
    afterEach(async () => {
      await Promise.all(opened.map((s) => s.close()));
      opened = [];
    });

    describe('answers', () => {
      test('codes are handed out in order of consent, with rev 1, and another instance sees them and goes on', async () => {
        const a = await open();
        const first = await a.answers.createInterview('default', build);
        const second = await a.answers.createInterview('default', (code) => createRecord(ctx, code, true, null));
        expect([first.code, second.code, first.rev, second.rev]).toEqual(['A', 'B', 1, 1]);
        const b = await open();
        expect((await b.answers.createInterview('default', build)).code).toBe('C');
        expect(await b.answers.getInterview('default', 'B')).toEqual(second);
        expect(await b.answers.getInterview('default', 'Z')).toBeNull();
      });

      test('concurrent consents on two instances never share a code and leave no gap', async () => {
        const [a, b] = [await open(), await open()];
        const created = await Promise.all(
          Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).answers.createInterview('default', build)),
        );
        const codes = created.map((r) => r.code);
        expect(new Set(codes).size).toBe(40);
        expect([...codes].sort()).toEqual(
          Array.from({ length: 40 }, (_, i) =>
            i < 26 ? String.fromCharCode(65 + i) : `A${String.fromCharCode(65 + i - 26)}`,
          ).sort(),
        );
        expect((await a.answers.counters('default')).issued).toBe(40);
        expect(await collect(a.answers.listInterviews('default'))).toHaveLength(40);
      });

      test('listInterviews yields every interview of the round once, in code order', async () => {
        const a = await open();
        for (let i = 0; i < 28; i++) await a.answers.createInterview('default', build);
        await a.answers.createInterview('other', buildIn('other'));
        const listed = (await collect(a.answers.listInterviews('default'))).map((r) => r.code);
        expect(listed).toHaveLength(28);
        expect(listed).toEqual([...listed].sort());
        expect(listed.slice(0, 4)).toEqual(['A', 'AA', 'AB', 'B']);
        expect((await collect(a.answers.listInterviews('other'))).map((r) => [r.roundId, r.code])).toEqual([
          ['other', 'A'],
        ]);
        expect(await collect(a.answers.listInterviews('nothing-here'))).toEqual([]);
      });

      test('completedCodes names the completed interviews; interviewsByCode yields them in the order asked, past a page', async () => {
        const a = await open();
        const created: InterviewRecord[] = [];
        for (let i = 0; i < 30; i++) created.push(await a.answers.createInterview('default', build));
        await a.answers.createInterview('other', buildIn('other'));
        for (const record of created.filter((_, i) => i % 3 === 0))
          await a.answers.saveInterview({ ...record, rev: 2, completedAt: new Date().toISOString() }, 1);
        const done = created.filter((_, i) => i % 3 === 0).map((r) => r.code);
        expect([...(await a.answers.completedCodes('default'))].sort()).toEqual([...done].sort());
        expect(await a.answers.completedCodes('nothing-here')).toEqual([]);
        const asked = [...done].reverse().concat('ZZZ');
        expect((await collect(a.answers.interviewsByCode('default', asked))).map((r) => r.code)).toEqual(
          [...done].reverse(),
        );
        // More codes than one page of the PostgreSQL store (2,000): every one comes back once, in order.
        const many = Array.from({ length: 4500 }, (_, i) => at(created, i % 30).code);
        expect((await collect(a.answers.interviewsByCode('default', many))).map((r) => r.code)).toEqual(many);
      });

      test('a save against an older revision is refused and changes nothing', async () => {
        const a = await open();
        const record = await a.answers.createInterview('default', build);
        await a.answers.saveInterview({ ...record, rev: 2, selection: ['analyseren'] }, 1);
        await expect(a.answers.saveInterview({ ...record, rev: 2, selection: ['empathie'] }, 1)).rejects.toBeInstanceOf(
          StaleWriteError,
        );
        expect(await a.answers.getInterview('default', 'A')).toEqual({ ...record, rev: 2, selection: ['analyseren'] });
        await a.answers.saveInterview({ ...record, rev: 3, selection: ['empathie'] }, 2);
        expect((await a.answers.getInterview('default', 'A'))?.rev).toBe(3);
      });

      test('of concurrent saves of one revision from two instances exactly one is applied', async () => {
        const [a, b] = [await open(), await open()];
        const record = await a.answers.createInterview('default', build);
        const results = await Promise.allSettled(
          Array.from({ length: 10 }, (_, i) =>
            (i % 2 ? a : b).answers.saveInterview({ ...record, rev: 2, lastSubmit: `click-${i}` }, 1),
          ),
        );
        const applied = results.filter((r) => r.status === 'fulfilled');
        expect(applied).toHaveLength(1);
        for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(StaleWriteError);
        const stored = await b.answers.getInterview('default', 'A');
        expect(stored?.rev).toBe(2);
        expect(at(results, Number(stored?.lastSubmit?.slice(6)), 'save').status).toBe('fulfilled');
      });

      test('free text survives as written, including characters JSON and databases find awkward', async () => {
        const a = await open();
        const record = await a.answers.createInterview('default', build);
        const text = 'Zo\u0000"\'\\ ëñ 🙂 <b>';
        await a.answers.saveInterview({ ...record, rev: 2, answers: { background: { note: text } } }, 1);
        expect((await a.answers.getInterview('default', 'A'))?.answers.background?.note).toBe(text);
      });

      test('withdrawal deletes the interview; the counters keep counting', async () => {
        const a = await open();
        const record = await a.answers.createInterview('default', build);
        await a.answers.deleteInterview('default', 'A');
        await a.answers.countEvent('default', 'withdrawn');
        await a.answers.countEvent('default', 'declined');
        await a.answers.countEvent('default', 'declined');
        expect(await a.answers.getInterview('default', 'A')).toBeNull();
        await expect(a.answers.saveInterview({ ...record, rev: 2 }, 1)).rejects.toBeInstanceOf(StaleWriteError);
        expect(await a.answers.counters('default')).toEqual({ issued: 1, declined: 2, withdrawn: 1 });
        expect(await a.answers.counters('never-used')).toEqual({ issued: 0, declined: 0, withdrawn: 0 });
        expect(await collect(a.answers.listInterviews('default'))).toEqual([]);
        await a.answers.deleteInterview('default', 'A'); // Twice is harmless.
        expect((await a.answers.createInterview('default', build)).code).toBe('B');
      });

      test('concurrent events on two instances are all counted', async () => {
        const [a, b] = [await open(), await open()];
        await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            (i % 2 ? a : b).answers.countEvent('default', i % 4 ? 'declined' : 'withdrawn'),
          ),
        );
        expect(await a.answers.counters('default')).toEqual({ issued: 0, declined: 15, withdrawn: 5 });
      });

      test('rounds are saved, replaced and listed by id', async () => {
        const a = await open();
        const base = content.rounds.get('default')!;
        expect(await a.answers.listRounds()).toEqual([]);
        expect(await a.answers.getRound('default')).toBeNull();
        await a.answers.saveRound({ ...base, id: 'zeta' });
        await a.answers.saveRound(base);
        await a.answers.saveRound({ ...base, status: 'closed', closedAt: '2026-12-01T10:00:00.000Z' });
        const b = await open();
        expect((await b.answers.listRounds()).map((r) => r.id).sort()).toEqual(['default', 'zeta']);
        expect(await b.answers.getRound('default')).toEqual({
          ...base,
          status: 'closed',
          closedAt: '2026-12-01T10:00:00.000Z',
        });
      });

      test('the digest log keeps its entries per round, in order', async () => {
        const a = await open();
        const entry = (period: string, completed: number) => ({
          period,
          at: `${period}T08:00:00.000Z`,
          invited: 10,
          completed,
          inProgress: 2,
        });
        await a.answers.appendDigestLog('default', entry('2026-11-02', 1));
        await a.answers.appendDigestLog('other', entry('2026-11-02', 7));
        await a.answers.appendDigestLog('default', entry('2026-11-09', 3));
        expect(await a.answers.digestLog('default')).toEqual([entry('2026-11-02', 1), entry('2026-11-09', 3)]);
        expect(await a.answers.digestLog('other')).toEqual([entry('2026-11-02', 7)]);
        expect(await a.answers.digestLog('none')).toEqual([]);
      });
    });

    describe('what a caller holds is a copy', () => {
      test('a record, entries or target read and changed by the caller are not stored until saved', async () => {
        const a = await open();
        const record = await a.answers.createInterview('default', build);
        const read = await a.answers.getInterview('default', record.code);
        read!.selection.push('analyseren');
        record.answers.extra = { q: 'changed after the save' };
        const again = await a.answers.getInterview('default', record.code);
        expect(again?.selection).toEqual([]);
        expect(again?.answers.extra).toBeUndefined();
        const next = { ...again!, rev: again!.rev + 1, selection: ['analyseren'] };
        await a.answers.saveInterview(next, again!.rev);
        next.selection.push('changed after the save');
        expect((await a.answers.getInterview('default', record.code))?.selection).toEqual(['analyseren']);
        await a.keys.update(who(1), 'default', () => ({ code: 'A' }));
        const entries = await a.keys.entries(who(1));
        defined(entries.default, 'the default entry').declined = true;
        await a.keys.saveTarget(who(1), target(1));
        const saved = await a.keys.target(who(1));
        saved!.conversationId = 'a:changed';
        expect(await a.keys.lookup(who(1), 'default')).toEqual({ code: 'A' });
        expect(await a.keys.target(who(1))).toEqual(target(1));
      });

      test('saving what is stored already changes nothing, and a save after it still works', async () => {
        const a = await open();
        await a.keys.saveTarget(who(1), target(1));
        await a.keys.saveTarget(who(1), target(1));
        await a.keys.update(who(1), 'default', (e) => ({ ...e, code: 'A' }));
        await a.keys.update(who(1), 'default', (e) => ({ ...e, code: 'A' }));
        expect(await a.keys.target(who(1))).toEqual(target(1));
        expect(await a.keys.entries(who(1))).toEqual({ default: { code: 'A' } });
        await a.keys.saveTarget(who(1), target(2));
        expect(await a.keys.target(who(1))).toEqual(target(2));
      });
    });

    describe('keys', () => {
      test('an entry per participant and round; unlink forgets it, and the chat target with the last one', async () => {
        const a = await open();
        const p = who(1);
        expect(await a.keys.lookup(p, 'default')).toBeNull();
        expect(await a.keys.update(p, 'default', () => ({ code: 'A' }))).toEqual({ code: 'A' });
        await a.keys.update(p, 'other', () => ({ declined: true }));
        await a.keys.update(who(2), 'other', () => ({ code: 'B', invitedAt: '2026-11-25T10:00:00.000Z' }));
        await a.keys.saveTarget(p, target(1));
        expect(await a.keys.entries(p)).toEqual({ default: { code: 'A' }, other: { declined: true } });
        expect(await a.keys.participants('other')).toEqual(
          [
            { pseudonym: p, entry: { declined: true } },
            { pseudonym: who(2), entry: { code: 'B', invitedAt: '2026-11-25T10:00:00.000Z' } },
          ].sort((x, y) => x.pseudonym.localeCompare(y.pseudonym)),
        );
        await a.keys.unlink(p, 'default');
        expect(await a.keys.lookup(p, 'default')).toBeNull();
        expect(await a.keys.lookup(p, 'other')).toEqual({ declined: true });
        expect(await a.keys.target(p)).toEqual(target(1));
        await a.keys.unlink(p, 'other');
        expect(await a.keys.entries(p)).toEqual({});
        expect(await a.keys.target(p)).toBeNull();
        expect(await a.keys.participants('other')).toHaveLength(1);
        await a.keys.unlink(who(3), 'default'); // Unknown: harmless.
      });

      test('update changes an entry from what is stored, and null removes it', async () => {
        const a = await open();
        const p = who(1);
        await a.keys.update(p, 'default', () => ({ code: 'A' }));
        expect(
          await a.keys.update(p, 'default', (e) => ({ ...e, remindersSent: (e?.remindersSent ?? 0) + 1 })),
        ).toEqual({ code: 'A', remindersSent: 1 });
        expect(await a.keys.update(p, 'default', () => null)).toBeNull();
        expect(await a.keys.lookup(p, 'default')).toBeNull();
        expect(await a.keys.update(p, 'default', (e) => e)).toBeNull();
        expect(await a.keys.participants('default')).toEqual([]);
      });

      test('an update with a target saves both together; a change that leaves no entry saves no target', async () => {
        const a = await open();
        expect(await a.keys.update(who(1), 'default', (e) => ({ ...e, code: 'A' }), target(1))).toEqual({ code: 'A' });
        expect(await (await open()).keys.target(who(1))).toEqual(target(1));
        // The entry changes and the target with it; then the entry as it is, with a newer target.
        await a.keys.update(who(1), 'default', (e) => ({ ...e, remindersSent: 1 }), target(2));
        expect(await a.keys.target(who(1))).toEqual(target(2));
        await a.keys.update(who(1), 'default', (e) => e, target(3));
        expect(await a.keys.target(who(1))).toEqual(target(3));
        expect(await a.keys.entries(who(1))).toEqual({ default: { code: 'A', remindersSent: 1 } });
        // No entry left (or none made): the target would be an orphan, so it is not saved.
        expect(await a.keys.update(who(2), 'default', () => null, target(2))).toBeNull();
        await a.keys.update(who(1), 'default', () => null, target(4));
        expect(await a.keys.target(who(2))).toBeNull();
        expect(await a.keys.target(who(1))).toEqual(target(3));
      });

      test('an update with a target racing an unlink on another instance leaves both or neither', async () => {
        const [a, b] = [await open(), await open()];
        for (let n = 1; n <= 12; n++) {
          await a.keys.update(who(n), 'default', () => ({ invitedAt: '2026-11-25T10:00:00.000Z' }));
          const consent = () => a.keys.update(who(n), 'default', (e) => ({ ...e, code: 'A' }), target(n));
          const unlink = () => b.keys.unlink(who(n), 'default');
          // Each started first in turn: both orders of landing come up.
          await Promise.all(n % 2 ? [consent(), unlink()] : [unlink(), consent()]);
          const entry = await a.keys.lookup(who(n), 'default');
          expect({ n, target: (await b.keys.target(who(n))) !== null }).toEqual({ n, target: entry !== null });
        }
      });

      test('concurrent updates of one entry from two instances are applied one after the other', async () => {
        const [a, b] = [await open(), await open()];
        const p = who(1);
        await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            (i % 2 ? a : b).keys.update(p, 'default', (e) => ({ ...e, remindersSent: (e?.remindersSent ?? 0) + 1 })),
          ),
        );
        expect(await a.keys.lookup(p, 'default')).toEqual({ remindersSent: 20 });
      });

      test('a change that throws changes nothing', async () => {
        const a = await open();
        await a.keys.update(who(1), 'default', () => ({ code: 'A' }));
        await expect(
          a.keys.update(who(1), 'default', () => {
            throw new Error('no');
          }),
        ).rejects.toThrow('no');
        expect(await a.keys.lookup(who(1), 'default')).toEqual({ code: 'A' });
      });

      test('a pseudonym is always a keyed hash', async () => {
        const a = await open();
        await expect(a.keys.lookup('not-a-hash', 'default')).rejects.toThrow(/hex/);
        await expect(a.keys.update('29:user-1', 'default', () => ({ code: 'A' }))).rejects.toThrow(/hex/);
        await expect(a.keys.saveTarget('tenant-1:user-1', target(1))).rejects.toThrow(/hex/);
      });

      test('chat targets are replaced by the newer one', async () => {
        const a = await open();
        await a.keys.saveTarget(who(1), target(1));
        await a.keys.saveTarget(who(1), { ...target(1), conversationId: 'a:newer' });
        expect(await a.keys.target(who(1))).toEqual({ ...target(1), conversationId: 'a:newer' });
        expect(await a.keys.target(who(2))).toBeNull();
      });

      test('orphan chat targets are purged: no entry and no job names them; every other target stays', async () => {
        const a = await open();
        await a.keys.saveTarget(who(1), target(1)); // Opened the chat, never consented.
        await a.keys.update(who(2), 'default', () => ({ code: 'A' }));
        await a.keys.saveTarget(who(2), target(2));
        await a.keys.saveTarget(who(3), target(3)); // Invited: the job is queued, the entry follows the send.
        await a.outbox.enqueue([job('invite:default:3', { pseudonym: who(3), target: target(3) })]);
        expect(await a.keys.purgeOrphanTargets()).toBe(1);
        expect(await a.keys.target(who(1))).toBeNull();
        expect(await a.keys.target(who(2))).toEqual(target(2));
        expect(await a.keys.target(who(3))).toEqual(target(3));
        expect(await a.keys.purgeOrphanTargets()).toBe(0);
      });

      test("a round's digest channels can be forgotten, leaving the other rounds' alone", async () => {
        const a = await open();
        const channel = (n: number): ConversationTarget => ({
          ...target(n),
          conversationId: `19:channel-${n}@thread.tacv2`,
          conversationType: 'channel',
        });
        await a.keys.addDigestChannel('default', channel(1));
        await a.keys.addDigestChannel('default', channel(2));
        await a.keys.addDigestChannel('other', channel(1));
        expect(await a.keys.removeDigestChannels('default')).toBe(2);
        expect(await a.keys.digestChannels('default')).toEqual([]);
        expect(await a.keys.digestChannels('other')).toEqual([channel(1)]);
        expect(await a.keys.removeDigestChannels('default')).toBe(0);
      });

      test('a withdrawal intent and the ids of summary cards are kept with the entry, and go with it', async () => {
        const a = await open();
        await a.keys.update(who(1), 'default', () => ({
          code: 'A',
          cards: ['1:card-1', '1:card-2'],
          withdrawing: '2026-11-25T10:00:00.000Z',
        }));
        expect(await (await open()).keys.lookup(who(1), 'default')).toEqual({
          code: 'A',
          cards: ['1:card-1', '1:card-2'],
          withdrawing: '2026-11-25T10:00:00.000Z',
        });
        await a.keys.unlink(who(1), 'default');
        expect(await a.keys.entries(who(1))).toEqual({});
      });

      test('researchers are replaced as a set, sorted, without duplicates', async () => {
        const a = await open();
        expect(await a.keys.researchers()).toEqual([]);
        await a.keys.setResearchers(['oid-b', 'oid-a', 'oid-b']);
        expect(await a.keys.researchers()).toEqual(['oid-a', 'oid-b']);
        await a.keys.setResearchers(['oid-c']);
        expect(await a.keys.researchers()).toEqual(['oid-c']);
        await a.keys.setResearchers([]);
        expect(await a.keys.researchers()).toEqual([]);
      });

      test('digest channels: one per conversation, in the order added', async () => {
        const a = await open();
        const channel = (n: number): ConversationTarget => ({
          ...target(n),
          conversationId: `19:channel-${n}@thread.tacv2`,
          conversationType: 'channel',
        });
        expect(await a.keys.addDigestChannel('default', channel(2))).toBe(true);
        expect(await a.keys.addDigestChannel('default', channel(1))).toBe(true);
        expect(await a.keys.addDigestChannel('default', { ...channel(2), serviceUrl: 'https://other.example/' })).toBe(
          false,
        );
        expect(await a.keys.addDigestChannel('other', channel(2))).toBe(true);
        expect(await a.keys.digestChannels('default')).toEqual([channel(2), channel(1)]);
        expect(await a.keys.digestChannels('none')).toEqual([]);
      });

      test('number tokens: random, one per code, kept, and the same for concurrent callers', async () => {
        const [a, b] = [await open(), await open()];
        const [tokenA, tokenB] = await a.keys.numberTokens('default', ['A', 'B']);
        expect(tokenA).toMatch(/^[0-9a-f]{32}$/);
        expect(tokenB).toMatch(/^[0-9a-f]{32}$/);
        expect(tokenA).not.toBe(tokenB);
        const [x, y] = await Promise.all([
          a.keys.numberTokens('default', ['C', 'B', 'D']),
          b.keys.numberTokens('default', ['D', 'C']),
        ]);
        expect(x[1]).toBe(tokenB);
        expect([x[0], x[2]]).toEqual([y[1], y[0]]);
        // In the order asked, a code asked twice given its one token twice.
        expect(await b.keys.numberTokens('default', ['B', 'A', 'B'])).toEqual([tokenB, tokenA, tokenB]);
        expect((await a.keys.numberTokens('other', ['A']))[0]).not.toBe(tokenA);
        expect(await a.keys.numberTokens('default', [])).toEqual([]);
      });

      test('an export link is consumed once: by exactly one of many concurrent openers, never after expiry', async () => {
        const [a, b] = [await open(), await open()];
        const now = new Date();
        const later = (minutes: number) => new Date(now.getTime() + minutes * 60_000);
        const id = (n: number) => `${n}`.padStart(64, 'e');
        await a.keys.issueLink(id(1), later(10));
        await a.keys.issueLink(id(2), later(10));
        await a.keys.issueLink(id(3), later(1));
        const opened = await Promise.all(
          Array.from({ length: 12 }, (_, i) => (i % 2 ? a : b).keys.consumeLink(id(1), now)),
        );
        expect(opened.filter(Boolean)).toHaveLength(1);
        expect(await b.keys.consumeLink(id(1), now)).toBe(false);
        expect(await b.keys.consumeLink(id(9), now)).toBe(false);
        expect(await a.keys.consumeLink(id(3), later(2))).toBe(false);
        expect(await b.keys.consumeLink(id(2), now)).toBe(true);
      });
    });

    describe('outbox', () => {
      test('enqueue adds only jobs whose id is new', async () => {
        const a = await open();
        expect(await a.outbox.enqueue([job('invite:default:1'), job('invite:default:2')])).toBe(2);
        expect(await a.outbox.enqueue([job('invite:default:2', { attempts: 5 }), job('invite:default:3')])).toBe(1);
        expect(await a.outbox.enqueue([])).toBe(0);
        const listed = await a.outbox.list('default');
        expect(listed.map((j) => j.id)).toEqual(['invite:default:1', 'invite:default:2', 'invite:default:3']);
        expect(listed[1]).toEqual(job('invite:default:2'));
      });

      test('concurrent enqueues of one job from two instances add it once', async () => {
        const [a, b] = [await open(), await open()];
        const added = await Promise.all(
          [a, b, a, b].map((s) => s.outbox.enqueue([job('invite:default:1'), job('invite:default:2')])),
        );
        expect(added.reduce((x, y) => x + y, 0)).toBe(2);
        expect(await a.outbox.list('default')).toHaveLength(2);
      });

      test('due gives pending jobs whose time has come, oldest first, up to the limit', async () => {
        const a = await open();
        await a.outbox.enqueue([
          job('j3', { notBefore: '2026-11-25T10:00:02.000Z' }),
          job('j1', { notBefore: '2026-11-25T10:00:00.000Z' }),
          job('j2', { notBefore: '2026-11-25T10:00:00.000Z' }),
          job('later', { notBefore: '2026-11-25T11:00:00.000Z' }),
          job('done', { status: 'sent' }),
        ]);
        const now = new Date('2026-11-25T10:30:00.000Z');
        expect((await a.outbox.due(now, 10)).map((j) => j.id)).toEqual(['j1', 'j2', 'j3']);
        expect((await a.outbox.due(now, 2)).map((j) => j.id)).toEqual(['j1', 'j2']);
        expect(await a.outbox.claim('j1', now)).toBe(true);
        expect((await a.outbox.due(now, 10)).map((j) => j.id)).toEqual(['j2', 'j3']);
      });

      test('a claim marks the job as sending; finish records the outcome; a finished job cannot be claimed', async () => {
        const a = await open();
        await a.outbox.enqueue([job('j1', { lastError: 'earlier' })]);
        const now = new Date('2026-11-25T10:30:00.000Z');
        expect(await a.outbox.claim('j1', now)).toBe(true);
        expect(await a.outbox.claim('j1', now)).toBe(false);
        expect((await a.outbox.list('default'))[0]).toMatchObject({ status: 'sending', claimedAt: now.toISOString() });
        await a.outbox.finish('j1', { status: 'sent', attempts: 1, doneAt: now.toISOString(), lastError: undefined });
        const done = (await a.outbox.list('default'))[0];
        expect(done).toMatchObject({ status: 'sent', attempts: 1, doneAt: now.toISOString() });
        expect(done).not.toHaveProperty('lastError');
        expect(await a.outbox.claim('j1', now)).toBe(false);
        expect(await a.outbox.claim('unknown', now)).toBe(false);
        await a.outbox.finish('unknown', { status: 'sent' }); // Harmless.
      });

      test('a retry makes the job pending again, due at its new time', async () => {
        const a = await open();
        await a.outbox.enqueue([job('j1')]);
        await a.outbox.claim('j1', new Date('2026-11-25T10:30:00.000Z'));
        await a.outbox.finish('j1', {
          status: 'pending',
          attempts: 1,
          notBefore: '2026-11-25T10:31:00.000Z',
          lastError: '429',
        });
        expect(await a.outbox.due(new Date('2026-11-25T10:30:30.000Z'), 10)).toEqual([]);
        expect((await a.outbox.due(new Date('2026-11-25T10:31:00.000Z'), 10)).map((j) => j.id)).toEqual(['j1']);
        expect(await a.outbox.claim('j1', new Date('2026-11-25T10:31:00.000Z'))).toBe(true);
      });

      test('of several claimers on two instances exactly one gets each job', async () => {
        const [a, b] = [await open(), await open()];
        const ids = Array.from({ length: 30 }, (_, i) => `invite:default:${String(i).padStart(2, '0')}`);
        await a.outbox.enqueue(ids.map((id) => job(id)));
        const now = new Date('2026-11-25T10:30:00.000Z');
        const claims = await Promise.all(
          ids.flatMap((id) => [a, b, a, b].map(async (s) => ((await s.outbox.claim(id, now)) ? id : null))),
        );
        const won = claims.filter((c): c is string => c !== null);
        expect(won.sort()).toEqual(ids);
        expect((await b.outbox.list('default')).every((j) => j.status === 'sending')).toBe(true);
      });

      test('recover: a started job a stopped sender left in "sending" becomes "uncertain", a claimed one pending again', async () => {
        const a = await open();
        await a.outbox.enqueue([job('stuck'), job('waiting'), job('done'), job('claimed')]);
        const sender = await open();
        const now = new Date('2026-11-25T10:30:00.000Z');
        expect(await sender.outbox.claim('stuck', now)).toBe(true);
        await sender.outbox.markStarted('stuck', now);
        expect(await sender.outbox.claim('claimed', now)).toBe(true);
        expect(await sender.outbox.claim('done', now)).toBe(true);
        await sender.outbox.finish('done', { status: 'sent', attempts: 1 });
        await sender.close(); // The sender stops with 'stuck' in flight.
        expect(await a.outbox.recover()).toBe(1);
        const byId = Object.fromEntries((await a.outbox.list('default')).map((j) => [j.id, j]));
        expect(byId.stuck).toMatchObject({ status: 'uncertain', lastError: expect.any(String) });
        expect(byId.claimed?.status).toBe('pending');
        expect(byId.waiting?.status).toBe('pending');
        expect(byId.done?.status).toBe('sent');
        expect(await a.outbox.recover()).toBe(0);
        expect(await a.outbox.claim('stuck', now)).toBe(false); // Never sent twice.
        expect(await a.outbox.claim('claimed', now)).toBe(true); // Never started: another sender takes it.
      });

      test("get reads one job; removeParticipant forgets a participant's jobs in every state, in one round or all", async () => {
        const a = await open();
        await a.outbox.enqueue([
          job('invite:default:1'),
          job('remind:default:1:1', { kind: 'remind', status: 'uncertain' }),
          job('remind:default:1:2', { kind: 'remind', status: 'sent' }),
          job('invite:other:1', { roundId: 'other' }),
          job('invite:default:2', { pseudonym: who(2), target: target(2) }),
          job('digest:default:final:0', { kind: 'digest', pseudonym: '' }),
        ]);
        const now = new Date('2026-11-25T10:30:00.000Z');
        expect(await a.outbox.claim('invite:default:1', now)).toBe(true);
        expect(await a.outbox.get('invite:default:2')).toEqual(
          job('invite:default:2', { pseudonym: who(2), target: target(2) }),
        );
        expect(await a.outbox.get('unknown')).toBeNull();
        expect(await a.outbox.removeParticipant(who(1), 'default')).toBe(3);
        expect((await a.outbox.list('default')).map((j) => j.id)).toEqual([
          'digest:default:final:0',
          'invite:default:2',
        ]);
        expect(await a.outbox.get('invite:default:1')).toBeNull();
        expect(await a.outbox.removeParticipant(who(1))).toBe(1);
        expect(await a.outbox.list('other')).toEqual([]);
        expect(await a.outbox.removeParticipant(who(1))).toBe(0);
        await a.outbox.finish('invite:default:1', { status: 'sent' }); // The send that was under way: finds nothing.
        expect(await a.outbox.get('invite:default:1')).toBeNull();
      });

      test('removeRound forgets the jobs of one round only', async () => {
        const a = await open();
        await a.outbox.enqueue([job('a1'), job('a2', { status: 'sent' }), job('b1', { roundId: 'other' })]);
        expect(await a.outbox.removeRound('default')).toBe(2);
        expect(await a.outbox.list('default')).toEqual([]);
        expect((await a.outbox.list('other')).map((j) => j.id)).toEqual(['b1']);
        expect(await a.outbox.removeRound('default')).toBe(0);
      });
    });
  });
}
