import { expect, test } from '@jest/globals';
import { ALL_PHASES, BenchArgs, SWITCHES } from '../../scripts/bench/options.js';
import { main } from '../../scripts/bench.js';
import { parseCliArgs } from '../../scripts/support/cli.js';

/** The bench's options: parsed by the commands' shared helper, so a wrong or unknown option is refused. */

const parse = (argv: string[]) => parseCliArgs(BenchArgs, argv, SWITCHES);

test('no options: every phase and the documented defaults', () => {
  const parsed = parse([]);
  if (!parsed.ok) throw new Error(parsed.message);
  expect([...parsed.args.phases]).toEqual([...ALL_PHASES]);
  expect(parsed.args).toMatchObject({ json: false, participants: 200, thinkMs: 2000, pgParticipants: 100 });
  expect(parsed.args).toMatchObject({ repeats: 3 });
  expect(parsed.args).toMatchObject({ fanoutRetryAfter: 1, profileDir: null, soakMinutes: null });
});

test('switches take no value; hyphenated options and "none" are read', () => {
  const parsed = parse(['--json', '--phases', 'a,pg2', '--pg-participants', '7', '--fanout-retry-after', 'none']);
  if (!parsed.ok) throw new Error(parsed.message);
  expect(parsed.args).toMatchObject({ json: true, pgParticipants: 7, fanoutRetryAfter: null });
  expect([...parsed.args.phases]).toEqual(['a', 'pg2']);
});

test.each([
  [['--bogus', '1'], 'unknown option --bogus'],
  [['--phases', 'a,z'], 'unknown phase z'],
  [['--participants', 'many'], '--participants needs a whole number'],
  [['--repeats', 'twice'], '--repeats needs a whole number'],
  [['--soak', '0'], '--soak needs a number of minutes'],
  [['stray'], 'unexpected argument "stray"'],
])('%j is refused: %s', (argv, message) => {
  const parsed = parse(argv);
  expect(parsed.ok).toBe(false);
  if (!parsed.ok) expect(parsed.message).toContain(message);
});

test('the bench refuses an unknown option with exit code 2 and the usage, running nothing', async () => {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['--phases', 'a', '--turbo'], { env: {}, out: (l) => out.push(l), err: (l) => err.push(l) });
  expect(code).toBe(2);
  expect(err.join('\n')).toContain('unknown option --turbo');
  expect(err.join('\n')).toContain('usage: npm run bench');
  expect(out).toEqual([]);
});

test('a last option without its value: named as unknown when it is, else as missing its value', () => {
  expect(parse(['--turbo'])).toEqual({ ok: false, message: 'unknown option --turbo' });
  expect(parse(['--phases'])).toEqual({ ok: false, message: '--phases needs a value' });
});
