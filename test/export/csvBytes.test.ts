import { csvFiles, writeCsvFiles } from '../../src/export/csv.js';
import { BOM, csvLine, type Cell, type Delimiter } from '../../src/export/csvText.js';
import { readAll } from '../../src/export/file.js';
import { buildModel, type ExportInput } from '../../src/export/model.js';
import { planOf, type ExportPlan } from '../../src/export/plan.js';
import { ctx, LONG, TRICKY, trickyRecord } from '../support/trickyRecords.js';

/**
 * The CSV files are written as bytes, with the cells that repeat encoded once; here they are compared, byte for
 * byte, with the same rows made the plain way (the export model, each row through csvLine) on cells that need
 * quoting, neutralising or more than one byte a character.
 */

// Enough interviews for the answers file to fill many batches (R numbers: i * 5 runs through all of them).
const interviews = Array.from({ length: 67 * TRICKY.length }, (_, i) => trickyRecord(i));
const input: ExportInput = {
  round: ctx.round,
  guide: ctx.guide,
  deck: ctx.deck,
  interviews,
  numbers: new Map(interviews.map((r, i) => [r.code, `R${((i * 5) % interviews.length) + 1}`])),
};
/** Withdrawn after the export listed its codes: the plan still names it, the store no longer has it. */
const WITHDRAWN = 'C';

function planWithout(code: string): ExportPlan {
  const plan = planOf(input);
  return {
    ...plan,
    read: async function* (codes: string[]) {
      for await (const r of plan.read(codes)) if (r.code !== code) yield r;
    },
  };
}

/** The three files made the plain way: the model's rows, every cell through csvLine. */
function reference(delimiter: Delimiter): Map<string, string> {
  const model = buildModel({ ...input, interviews: interviews.filter((r) => r.code !== WITHDRAWN) });
  const say = (text: { nl: string }) => text.nl;
  const questions = new Map(
    ctx.guide.steps.flatMap((s) => ('questions' in s ? s.questions.map((q) => [`${s.id}.${q.id}`, say(q.text)]) : [])),
  );
  const names = new Map(model.statements.map((s) => [s.competency.id, say(s.competency.name)]));
  const doc = (header: Cell[], rows: Cell[][]) =>
    BOM + [header, ...rows].map((row) => csvLine(row, delimiter)).join('');
  const id = ctx.round.id;
  return new Map([
    [
      `${id}-background.csv`,
      doc(
        ['code', ...model.backgroundQuestions.map((b) => b.question.id)],
        model.background.map((row) => [
          row.code,
          ...model.backgroundQuestions.map((b) => {
            const value = row.values[b.question.id] ?? null;
            const choice = b.choices.find((c) => c.id === value);
            return value === null ? '' : choice ? say(choice.label) : value;
          }),
        ]),
      ),
    ],
    [
      `${id}-sorts.csv`,
      doc(
        ['participant', ...model.statements.map((s) => say(s.competency.name))],
        model.sorts.map((row) => [
          row.participant,
          ...model.statements.map((s) => row.placement[s.competency.id] ?? ''),
        ]),
      ),
    ],
    [
      `${id}-answers.csv`,
      doc(
        ['participant', 'step', 'question', 'questionText', 'competency', 'column', 'text', 'mayQuote'],
        model.answers.map((a) => [
          a.participant,
          a.step,
          a.question,
          questions.get(`${a.step}.${a.question}`) ?? '',
          a.competency === null ? '' : (names.get(a.competency) ?? a.competency),
          a.column ?? '',
          a.text,
          a.mayQuote ? 'yes' : 'no',
        ]),
      ),
    ],
  ]);
}

/** Byte for byte; a mismatch is shown as text, where it can be read. */
function expectBytes(actual: Buffer, expected: string): void {
  const want = Buffer.from(expected, 'utf8');
  if (!actual.equals(want)) expect(actual.toString('utf8')).toBe(expected);
  expect(actual.equals(want)).toBe(true);
}

describe.each([',', ';'] as const)('with "%s"', (delimiter) => {
  const expected = reference(delimiter);

  test('the reference holds what the fast path must get right', () => {
    const answers = expected.get(`${ctx.round.id}-answers.csv`)!;
    for (const cell of ["'=HYPERLINK", "'+31", "'-2", "'@SUM", '"regel\n', '日本語', 'a\uD800b'])
      expect(answers.includes(cell)).toBe(true);
    // A long answer outgrows a batch's room.
    expect(answers.includes(LONG)).toBe(true);
    expect(expected.get(`${ctx.round.id}-background.csv`)).toContain("'=not-a-band");
    const withdrawn = input.numbers.get(WITHDRAWN)!;
    expect(expected.get(`${ctx.round.id}-sorts.csv`)).not.toMatch(new RegExp(`^${withdrawn}[,;]`, 'm'));
    expect(expected.get(`${ctx.round.id}-background.csv`)).not.toMatch(new RegExp(`^${WITHDRAWN}[,;]`, 'm'));
  });

  test('each file as a download: the same bytes as the reference', async () => {
    const files = await Promise.all(csvFiles(planWithout(WITHDRAWN), { delimiter }).map(readAll));
    for (const file of files) {
      expect(Buffer.isBuffer(file.content)).toBe(true);
      expectBytes(Buffer.from(file.content), expected.get(file.name)!);
    }
    expect(files.map((f) => f.name).sort()).toEqual([...expected.keys()].sort());
  });

  test('all files from one read (the CLI): the same bytes as the reference', async () => {
    const written = new Map<string, Buffer[]>();
    await writeCsvFiles(planWithout(WITHDRAWN), { delimiter }, (name) => {
      const chunks: Buffer[] = [];
      written.set(name, chunks);
      return {
        write: async (chunk) => void chunks.push(Buffer.from(chunk)),
        end: async () => undefined,
      };
    });
    expect([...written.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [name, chunks] of written) expectBytes(Buffer.concat(chunks), expected.get(name)!);
  });

  test('a sink that takes its time: no batch is filled again before the sink is done with it', async () => {
    const written = new Map<string, Buffer[]>();
    let writes = 0;
    await writeCsvFiles(planWithout(WITHDRAWN), { delimiter }, (name) => {
      const chunks: Buffer[] = [];
      written.set(name, chunks);
      return {
        // Holds the chunk itself, as a file stream does, and reads it only when done (a later turn).
        write: (chunk) =>
          new Promise<void>((resolve) =>
            setImmediate(() => {
              writes++;
              chunks.push(Buffer.from(chunk));
              resolve();
            }),
          ),
        end: async () => undefined,
      };
    });
    expect(writes).toBeGreaterThan(8);
    for (const [name, chunks] of written) expectBytes(Buffer.concat(chunks), expected.get(name)!);
  });
});
