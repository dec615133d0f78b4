import { DEFAULT_CORPUS, evaluate, loadCorpus, main, type Corpus } from '../../scripts/scrubEval.js';

let corpus: Corpus;
beforeAll(async () => {
  corpus = await loadCorpus(DEFAULT_CORPUS);
});

test('the corpus is large enough and about half of it has identifiers of every kind', () => {
  expect(corpus.entries.length).toBeGreaterThanOrEqual(300);
  const withIds = corpus.entries.filter((e) => e.identifiers.length > 0).length;
  expect(withIds / corpus.entries.length).toBeGreaterThan(0.4);
  expect(withIds / corpus.entries.length).toBeLessThan(0.6);
  const kinds = new Set(corpus.entries.flatMap((e) => e.identifiers.map((i) => i.kind)));
  expect([...kinds].sort()).toEqual(['address', 'bsn', 'date', 'email', 'iban', 'name', 'phone', 'postcode']);
});

test('recall on identifiers is at least 0.98 and precision on ordinary text at least 0.99', () => {
  const ev = evaluate(corpus);
  expect(ev.misses).toEqual([]);
  expect(ev.recall.overall.recall).toBeGreaterThanOrEqual(0.98);
  expect(ev.ordinary.precision).toBeGreaterThanOrEqual(0.99);
  expect(ev.words.precision).toBeGreaterThanOrEqual(0.99);
});

test('the measure can fail: an unscrubbed identifier counts as a miss, a changed ordinary answer as a false positive', () => {
  const ev = evaluate({
    about: 'probe',
    entries: [
      { lang: 'nl', text: 'Mijn klantnummer is K-778812.', identifiers: [{ kind: 'bsn', text: 'K-778812' }] },
      { lang: 'nl', givenName: 'Mark', text: 'Mark van de gemeente belde.', identifiers: [] },
    ],
  });
  expect(ev.recall.overall).toMatchObject({ found: 0, total: 1, recall: 0 });
  expect(ev.ordinary).toMatchObject({ found: 0, total: 1, precision: 0 });
  expect(ev.words.precision).toBe(0);
});

test('npm run scrub-eval prints the figures and a JSON line; a bad corpus gets a message, not a crash', async () => {
  const out: string[] = [];
  const err: string[] = [];
  const io = { env: {}, out: (l: string) => out.push(l), err: (l: string) => err.push(l) };
  expect(await main([], io)).toBe(0);
  expect(out.join('\n')).toMatch(/\[iban\]\s+\d+\/\d+/);
  expect(JSON.parse(out.at(-1)!)).toMatchObject({
    recall: { overall: expect.any(Number) },
    ordinaryPrecision: expect.any(Number),
  });
  expect(await main(['--corpus', 'package.json'], io)).toBe(1);
  expect(err.join('\n')).toMatch(/cannot read the corpus package.json/);
});
