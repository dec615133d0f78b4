/**
 * The embedded store's guarantees that the store contract cannot state for both stores: one writer per folder,
 * exclusive creation of records, file modes, disk faults (injected in the store's file layer) and corrupt files.
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRecord } from '../../src/interview/engine.js';
import { openLowdbStores, type LowdbStores } from '../../src/storage/lowdb/index.js';
import { StoreFiles, type FileOp } from '../../src/storage/lowdb/storeFiles.js';
import { LowdbAnswerStore } from '../../src/storage/lowdb/answerStore.js';
import { StoreUnavailableError } from '../../src/ports/stores.js';
import { pseudonymOf } from '../../src/storage/pseudonym.js';
import { InterviewRecordSchema } from '../../src/storage/records.js';
import { contextFor } from '../support/context.js';

let dir: string;
let stores: LowdbStores;
const ctx = contextFor();
const build = (code: string) => createRecord(ctx, code, false, null);
const who = (n: number) => pseudonymOf(Buffer.alloc(32, 3), 'tenant', `user-${n}`);

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'wijzer-durable-'));
  stores = openLowdbStores(join(dir, 'data'), join(dir, 'keys'));
});
afterEach(async () => {
  await stores.close();
  rmSync(dir, { recursive: true, force: true });
});

function errno(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: simulated`), { code });
}

/** Every file under a folder, relative, with its mode. */
function walk(root: string, rel = ''): { path: string; mode: number; dir: boolean }[] {
  return readdirSync(join(root, rel), { withFileTypes: true }).flatMap((d) => {
    const path = join(rel, d.name);
    const mode = statSync(join(root, path)).mode & 0o777;
    return d.isDirectory() ? [{ path, mode, dir: true }, ...walk(root, path)] : [{ path, mode, dir: false }];
  });
}

describe('one writer per store folder', () => {
  test('a second writer is refused, naming the first (pid and start time); a reader may open beside it', async () => {
    const bot = openLowdbStores(join(dir, 'locked-data'), join(dir, 'locked-keys'), { lockAs: 'the Wijzer bot' });
    try {
      expect(() =>
        openLowdbStores(join(dir, 'locked-data'), join(dir, 'locked-keys'), { lockAs: 'npm run move-store' }),
      ).toThrow(new RegExp(`in use by the Wijzer bot \\(pid ${process.pid} on .*, started at \\d{4}-\\d\\d-\\d\\dT`));
      await bot.answers.createInterview('default', build);
      const reader = openLowdbStores(join(dir, 'locked-data'), join(dir, 'locked-keys'), {
        lockAs: 'npm run export',
        readOnlyIfHeld: true,
      });
      expect((await reader.answers.getInterview('default', 'A'))?.code).toBe('A');
      await expect(reader.answers.createInterview('default', build)).rejects.toThrow(
        /read-only: npm run export reads beside the Wijzer bot \(pid \d+/,
      );
      await reader.close();
    } finally {
      await bot.close();
    }
    // Closed: the next writer gets it.
    const next = openLowdbStores(join(dir, 'locked-data'), join(dir, 'locked-keys'), { lockAs: 'the Wijzer bot' });
    await next.close();
  });

  test('a lock left by a process that is gone (kill -9) is taken over at once', async () => {
    const data = join(dir, 'stale-data');
    const keys = join(dir, 'stale-keys');
    // pid 2^22 + 1 is above Linux's pid_max: no such process.
    const gone = JSON.stringify({
      pid: 4194305,
      host: hostname(),
      startedAt: '2026-01-01T00:00:00.000Z',
      bootTicks: '1',
      command: 'the Wijzer bot',
    });
    for (const d of [data, keys]) {
      mkdirSync(d, { recursive: true });
      writeFileSync(join(d, '.wijzer.lock'), gone);
    }
    const taken = openLowdbStores(data, keys, { lockAs: 'the Wijzer bot' });
    expect(JSON.parse(readFileSync(join(data, '.wijzer.lock'), 'utf8')).pid).toBe(process.pid);
    await taken.close();
    expect(existsSync(join(data, '.wijzer.lock'))).toBe(false);
  });
});

describe('records', () => {
  test('a new interview never overwrites another: counters restored from an older copy skip the codes in use', async () => {
    const a = await stores.answers.createInterview('default', build);
    await stores.answers.saveInterview({ ...a, rev: 2, selection: ['analyseren'] }, 1);
    // The counters go back to an older state (a restored backup), and a fresh process opens the store.
    writeFileSync(
      join(dir, 'data', 'rounds', 'default', 'counters.json'),
      JSON.stringify({ issued: 0, declined: 0, withdrawn: 0 }),
    );
    const fresh = openLowdbStores(join(dir, 'data'), join(dir, 'keys'));
    const b = await fresh.answers.createInterview('default', build);
    expect(b.code).toBe('B');
    expect((await fresh.answers.getInterview('default', 'A'))?.selection).toEqual(['analyseren']);
  });

  test('store files are 0600 and folders 0700, the store folders themselves too', async () => {
    const locked = openLowdbStores(join(dir, 'm-data'), join(dir, 'm-keys'), { lockAs: 'the Wijzer bot' });
    try {
      const record = await locked.answers.createInterview('default', build);
      await locked.answers.saveInterview({ ...record, rev: 2 }, 1);
      await locked.answers.countEvent('default', 'declined');
      await locked.keys.update(who(1), 'default', () => ({ code: 'A' }));
      await locked.keys.setResearchers(['29:r']);
      await locked.outbox.enqueue([
        {
          id: 'invite:default:x',
          kind: 'invite',
          roundId: 'default',
          pseudonym: who(1),
          target: { channelId: 'msteams', serviceUrl: 'https://s', tenantId: 't', userId: '29:u' },
          status: 'pending',
          attempts: 0,
          notBefore: '2026-01-01T00:00:00.000Z',
          createdAt: '2026-01-01T00:00:00.000Z',
        },
      ]);
    } finally {
      // Closing checkpoints the journals: every record is then a file of its own.
      await locked.close();
    }
    const entries = [...walk(join(dir, 'm-data')), ...walk(join(dir, 'm-keys'))];
    expect(entries.filter((e) => !e.dir).length).toBeGreaterThanOrEqual(5);
    expect(entries.filter((e) => e.mode !== (e.dir ? 0o700 : 0o600))).toEqual([]);
    expect(statSync(join(dir, 'm-data')).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, 'm-keys')).mode & 0o777).toBe(0o700);
  });

  test('what a caller changes in a record it read is not stored until it saves it', async () => {
    const record = await stores.answers.createInterview('default', build);
    const read = await stores.answers.getInterview('default', record.code);
    read!.selection.push('analyseren');
    expect((await stores.answers.getInterview('default', record.code))?.selection).toEqual([]);
    const entries = await stores.keys.entries(who(1));
    entries.default = { code: 'Z' };
    expect(await stores.keys.lookup(who(1), 'default')).toBeNull();
  });
});

describe('disk faults', () => {
  test.each(['ENOSPC', 'EROFS', 'EIO'])(
    '%s on a save: StoreUnavailableError, the stored file intact, no temporary left; the next save works',
    async (code) => {
      const record = await stores.answers.createInterview('default', build);
      const file = join(dir, 'data', 'rounds', 'default', 'interviews', 'A.json');
      const before = readFileSync(file, 'utf8');
      let broken = true;
      stores.dataFiles.fault = (op: FileOp) => (broken && op === 'write' ? errno(code) : undefined);
      await expect(
        stores.answers.saveInterview({ ...record, rev: 2, selection: ['analyseren'] }, 1),
      ).rejects.toBeInstanceOf(StoreUnavailableError);
      expect(readFileSync(file, 'utf8')).toBe(before);
      expect(readdirSync(join(dir, 'data', 'rounds', 'default', 'interviews'))).toEqual(['A.json']);
      // The store did not take the failed version for the stored one: the same save is expected against rev 1.
      expect((await stores.answers.getInterview('default', 'A'))?.rev).toBe(1);
      broken = false;
      await stores.answers.saveInterview({ ...record, rev: 2, selection: ['analyseren'] }, 1);
      expect(InterviewRecordSchema.parse(JSON.parse(readFileSync(file, 'utf8'))).selection).toEqual(['analyseren']);
    },
  );

  test('a full disk during a consent leaves no code used twice and no half file; after it heals consent works', async () => {
    let broken = true;
    stores.dataFiles.fault = (op: FileOp, file: string) =>
      broken && op === 'write' && file.endsWith('A.json') ? errno('ENOSPC') : undefined;
    await expect(stores.answers.createInterview('default', build)).rejects.toBeInstanceOf(StoreUnavailableError);
    broken = false;
    const next = await stores.answers.createInterview('default', build);
    expect(next.code).toBe('B');
    expect(readdirSync(join(dir, 'data', 'rounds', 'default', 'interviews'))).toEqual(['B.json']);
  });

  test("the same on the running bot's store, where a new interview is a journal record", async () => {
    const bot = openLowdbStores(join(dir, 'j-data'), join(dir, 'j-keys'), { lockAs: 'the Wijzer bot' });
    try {
      let broken = true;
      bot.dataFiles.fault = (op: FileOp, file: string) =>
        broken && op === 'write' && file.endsWith('A.json') ? errno('ENOSPC') : undefined;
      await expect(bot.answers.createInterview('default', build)).rejects.toBeInstanceOf(StoreUnavailableError);
      broken = false;
      expect((await bot.answers.createInterview('default', build)).code).toBe('B');
      expect(await bot.answers.getInterview('default', 'A')).toBeNull();
    } finally {
      await bot.close();
    }
    expect(readdirSync(join(dir, 'j-data', 'rounds', 'default', 'interviews'))).toEqual(['B.json']);
  });
});

describe('a consent', () => {
  /** The answers' file layer with the counters' write held until release(): what the interview does meanwhile. */
  class HeldCounters extends StoreFiles {
    release: () => void = () => undefined;
    private readonly held = new Promise<void>((resolve) => (this.release = resolve));
    override async writeJson(file: string, data: unknown, options?: { erase?: boolean }): Promise<string> {
      if (file.endsWith('counters.json')) await this.held;
      return super.writeJson(file, data, options);
    }
  }

  test('the interview file is written while the counters are, and the code is handed out once both are durable', async () => {
    const files = new HeldCounters(join(dir, 'held'), 'answers');
    const answers = new LowdbAnswerStore(join(dir, 'held'), files);
    let done = false;
    const consent = answers.createInterview('default', build).then((record) => {
      done = true;
      return record;
    });
    const interview = join(dir, 'held', 'rounds', 'default', 'interviews', 'A.json');
    // Before, the interview file waited for the counters' write: it never came while that was held.
    for (let i = 0; i < 500 && !existsSync(interview); i++) await new Promise((r) => setTimeout(r, 2));
    expect(existsSync(interview)).toBe(true);
    await new Promise((r) => setTimeout(r, 20));
    expect(done).toBe(false);
    files.release();
    expect((await consent).code).toBe('A');
    expect(JSON.parse(readFileSync(join(dir, 'held', 'rounds', 'default', 'counters.json'), 'utf8')).issued).toBe(1);
  });

  test('the counters fail to save, the interview file was made: not handed out, and after a restart not again', async () => {
    let broken = true;
    stores.dataFiles.fault = (op: FileOp, file: string) =>
      broken && op === 'write' && file.endsWith('counters.json') ? errno('ENOSPC') : undefined;
    await expect(stores.answers.createInterview('default', build)).rejects.toBeInstanceOf(StoreUnavailableError);
    broken = false;
    // A restart with the counters as the disk has them (none): the file under A keeps that code from anyone else.
    const fresh = openLowdbStores(join(dir, 'data'), join(dir, 'keys'));
    const next = await fresh.answers.createInterview('default', build);
    expect(next.code).not.toBe('A');
    expect((await fresh.answers.counters('default')).issued).toBeGreaterThan(1);
  });

  test('a failed write of a code with its chat target leaves neither; the retry saves both', async () => {
    const target = { channelId: 'msteams', serviceUrl: 'https://s', tenantId: 't', userId: '29:u' };
    let broken = true;
    stores.keyFiles.fault = (op: FileOp) => (broken && op === 'write' ? errno('EIO') : undefined);
    const consent = () => stores.keys.update(who(1), 'default', (e) => ({ ...e, code: 'A' }), target);
    await expect(consent()).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(await stores.keys.lookup(who(1), 'default')).toBeNull();
    expect(await stores.keys.target(who(1))).toBeNull();
    broken = false;
    await consent();
    const fresh = openLowdbStores(join(dir, 'data'), join(dir, 'keys'));
    expect(await fresh.keys.lookup(who(1), 'default')).toEqual({ code: 'A' });
    expect(await fresh.keys.target(who(1))).toEqual(target);
  });
});

describe('corrupt files', () => {
  async function twoInterviews(): Promise<string> {
    await stores.answers.createInterview('default', build);
    await stores.answers.createInterview('default', build);
    const file = join(dir, 'data', 'rounds', 'default', 'interviews', 'B.json');
    return file;
  }

  test.each([
    ['truncated', (text: string) => text.slice(0, Math.floor(text.length / 2))],
    ['empty', () => ''],
    ['not a record', () => JSON.stringify({ code: 'B' })],
  ])(
    'while running, a %s interview file is quarantined and reported; the rest keeps working',
    async (_kind, damage) => {
      const file = await twoInterviews();
      const fresh = openLowdbStores(join(dir, 'data'), join(dir, 'keys'));
      fresh.started();
      writeFileSync(file, damage(readFileSync(file, 'utf8')));
      expect(await fresh.answers.getInterview('default', 'B')).toBeNull();
      expect(existsSync(file)).toBe(false);
      const quarantined = readdirSync(join(dir, 'data', 'quarantine'));
      expect(quarantined).toEqual([expect.stringMatching(/rounds__default__interviews__B\.json$/)]);
      expect(fresh.quarantined()).toBe(1);
      expect((await fresh.answers.getInterview('default', 'A'))?.code).toBe('A');
      const listed = [];
      for await (const r of fresh.answers.listInterviews('default')) listed.push(r.code);
      expect(listed).toEqual(['A']);
      expect((await fresh.answers.createInterview('default', build)).code).toBe('C');
    },
  );

  test('at start, a corrupt file stops with its name and is left as it is', async () => {
    await stores.answers.saveRound({ ...ctx.round, id: 'spring' });
    const file = join(dir, 'data', 'rounds', 'spring', 'round.json');
    writeFileSync(file, '{"id": "spring", "na');
    const fresh = openLowdbStores(join(dir, 'data'), join(dir, 'keys'));
    await expect(fresh.answers.listRounds()).rejects.toThrow(`${file} is corrupt`);
    expect(readFileSync(file, 'utf8')).toBe('{"id": "spring", "na');
    expect(existsSync(join(dir, 'data', 'quarantine'))).toBe(false);
  });

  test('a corrupt key file is quarantined in the key store, not next to the answers', async () => {
    await stores.keys.update(who(1), 'default', () => ({ code: 'A' }));
    await stores.keys.update(who(2), 'default', () => ({ code: 'B' }));
    const fresh = openLowdbStores(join(dir, 'data'), join(dir, 'keys'));
    fresh.started();
    writeFileSync(join(dir, 'keys', 'participants', `${who(2)}.json`), '{"rounds": {"default": {"code": ');
    expect(await fresh.keys.lookup(who(2), 'default')).toBeNull();
    expect(await fresh.keys.lookup(who(1), 'default')).toEqual({ code: 'A' });
    expect(readdirSync(join(dir, 'keys', 'quarantine'))).toHaveLength(1);
    expect(existsSync(join(dir, 'data', 'quarantine'))).toBe(false);
  });
});
