import { createRecord } from '../../src/interview/engine.js';
import { csvFiles } from '../../src/export/csv.js';
import { readAll } from '../../src/export/file.js';
import { jsonFile } from '../../src/export/json.js';
import { ExportError } from '../../src/export/errors.js';
import { byNumber, letterRank, planExport, planOf, type ExportPlan } from '../../src/export/plan.js';
import type { Stores } from '../../src/ports/stores.js';
import { letterCode } from '../../src/interview/codes.js';
import { contextFor } from '../support/context.js';

const ctx = contextFor();
const codes = Array.from({ length: 60 }, (_, i) => letterCode(i));
const interviews = codes.map((code) => ({
  ...createRecord(ctx, code, true, null),
  completedAt: '2026-11-25T11:00:00.000Z',
}));
// R numbers in an order unrelated to the letters.
const numbers = new Map(codes.map((code, i) => [code, `R${((i * 7) % codes.length) + 1}`]));
const plan = planOf({ round: ctx.round, guide: ctx.guide, deck: ctx.deck, interviews, numbers });

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

test('byNumber: the records in R order with their R codes, one left out when the store no longer has it', async () => {
  const gone = 'Q';
  const read: ExportPlan['read'] = async function* (asked) {
    for await (const record of plan.read(asked)) if (record.code !== gone) yield record;
  };
  const got = await collect(byNumber({ ...plan, read }));
  const expected = [...numbers]
    .filter(([code]) => code !== gone)
    .sort(([, a], [, b]) => Number(a.slice(1)) - Number(b.slice(1)));
  expect(got.map((n) => [n.record.code, n.participant])).toEqual(expected);
});

test('byNumber: a record the plan did not ask for at that place is refused, not given a wrong R code', async () => {
  const read: ExportPlan['read'] = async function* (asked) {
    const records = await collect(plan.read(asked));
    const [first, second, ...rest] = records;
    if (!first || !second) throw new Error('the plan has fewer than two records');
    yield* [second, first, ...rest];
  };
  await expect(collect(byNumber({ ...plan, read }))).rejects.toThrow(ExportError);
});

test('letterRank: where each code stands in letter order (A..Z, AA..), an unknown code refused', () => {
  expect(codes.map((code) => letterRank(plan, code))).toEqual(codes.map((_, i) => i));
  expect(() => letterRank(plan, 'ZZZ')).toThrow(ExportError);
});

test('planOf: R codes that are not R1..Rn are refused, not renumbered', () => {
  const gapped = new Map([...numbers].map(([code, participant]) => [code, participant === 'R1' ? 'R0' : participant]));
  expect(() => planOf({ round: ctx.round, guide: ctx.guide, deck: ctx.deck, interviews, numbers: gapped })).toThrow(
    ExportError,
  );
});

test('planExport: a key store that fails is refused with its error, asked once for every code', async () => {
  const many = Array.from({ length: 12_000 }, (_, i) => letterCode(i));
  const asked: number[] = [];
  const stores = {
    answers: { completedCodes: async () => many },
    keys: {
      numberTokens: async (_round: string, codes: string[]) => {
        asked.push(codes.length);
        await new Promise((resolve) => setTimeout(resolve, 5));
        throw new Error('key store down');
      },
    },
  } as unknown as Pick<Stores, 'answers' | 'keys'>;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  try {
    await expect(planExport(stores, ctx.round, ctx.guide, ctx.deck)).rejects.toThrow('key store down');
    await new Promise((resolve) => setTimeout(resolve, 50));
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }
  expect(asked).toEqual([12_000]);
  expect(unhandled).toEqual([]);
});

test('a record damaged in the store is refused by name in every file, whatever field lost its shape', async () => {
  const damages: Record<string, unknown>[] = [
    { placement: null },
    { answers: null },
    { answers: { werk: 'text where the answers were' } },
    { followUps: null },
    { followUps: { analyseren: null } },
    { followUps: { analyseren: { column: 3, answers: null } } },
    { consent: null },
    { selection: 'analyseren' },
  ];
  for (const damage of damages) {
    const damaged = interviews.map((r, i) => (i === 3 ? { ...r, ...damage } : r));
    const broken = planOf({ round: ctx.round, guide: ctx.guide, deck: ctx.deck, interviews: damaged, numbers });
    for (const file of [...csvFiles(broken, { delimiter: ',' }), jsonFile(broken)]) {
      const failure: unknown = await readAll(file).then(
        () => null,
        (err: unknown) => err,
      );
      expect(failure).toBeInstanceOf(ExportError);
      expect((failure as Error).message).toBe(
        `interview D is damaged in the store (${Object.keys(damage)[0]}) and cannot be exported`,
      );
    }
  }
});
