import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main, parseArgs } from '../../scripts/analyse.js';
import { loadContent } from '../../src/content/load.js';
import { seedRounds } from '../../src/research/seedRounds.js';
import { openLowdbStores } from '../../src/storage/lowdb/index.js';
import { completeInterviews } from '../support/completedRound.js';
import { at } from '../support/defined.js';

const FIXTURES = join(process.cwd(), 'test', 'analysis', 'fixtures');

let dir: string;
let out: string[];
let err: string[];
const io = () => ({
  env: { DATA_DIR: join(dir, 'data'), KEY_DIR: join(dir, 'keys') } as NodeJS.ProcessEnv,
  out: (l: string) => out.push(l),
  err: (l: string) => err.push(l),
});

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'wijzer-analyse-cli-'));
  out = [];
  err = [];
  copyFileSync(join(FIXTURES, 'lipset.DAT'), join(dir, 'lipset.DAT'));
  copyFileSync(join(FIXTURES, 'lipset.STA'), join(dir, 'lipset.STA'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run analyse -- --dat FILE', () => {
  test('writes the Markdown report and its scree plot into a folder, readable by the owner only', async () => {
    const code = await main(['--dat', join(dir, 'lipset.DAT'), '--factors', '3', '--out', join(dir, 'out/')], io());
    expect(code).toBe(0);
    const md = join(dir, 'out', 'lipset-analysis.md');
    expect(existsSync(md)).toBe(true);
    expect(existsSync(join(dir, 'out', 'lipset-analysis-scree.png'))).toBe(true);
    expect(statSync(md).mode & 0o777).toBe(0o600);
    const text = readFileSync(md, 'utf8');
    expect(text).toContain('# Q factor analysis: Lipset (1963)');
    expect(text).toContain('![Scree plot: eigenvalue per component');
    expect(text).toContain('(lipset-analysis-scree.png)');
    expect(text).toContain('| US3 | 0.81 * |');
    expect(text).toContain('Every sort follows the same (forced) distribution');
    expect(out.join('\n')).toContain('9 sorts, 3 factors (given); defining sorts per factor: 3, 3, 3');
    // JP5 and FR9 define their factors with negative loadings: said on stderr and in the report.
    expect(err.join('\n')).toMatch(/warning: Sort JP5 is flagged on F1 with a negative loading/);
  });

  test('JSON to a named file, with the documented fields', async () => {
    const path = join(dir, 'result.json');
    expect(
      await main(
        [
          '--dat',
          join(dir, 'lipset.DAT'),
          '--format',
          'json',
          '--out',
          path,
          '--factors',
          '2',
          '--rotation',
          'varimax',
          '--extraction',
          'pca',
        ],
        io(),
      ),
    ).toBe(0);
    const json = JSON.parse(readFileSync(path, 'utf8'));
    expect(json.nSorts).toBe(9);
    expect(json.nStatements).toBe(33);
    expect(json.eigenvalues).toHaveLength(9);
    expect(json.loadings).toHaveLength(9);
    expect(json.flagged).toEqual([0, 0, 1, 1, 1, 0, 0, 0, null]);
    expect(json.zScores).toHaveLength(33);
    expect(json.factorArrays[0]).toEqual([-2, 4]);
    expect(json.statements[32]).toBe('Emphasis is on getting ahead');
  });

  test("HTML in Dutch with centroid extraction, and the researcher's flags", async () => {
    const path = join(dir, 'report.html');
    expect(
      await main(
        [
          '--dat',
          join(dir, 'lipset.DAT'),
          '--format=html',
          `--out=${path}`,
          '--factors=3',
          '--extraction=centroid',
          '--locale=nl',
          '--flags=UK7=none,US1=2',
        ],
        io(),
      ),
    ).toBe(0);
    const html = readFileSync(path, 'utf8');
    expect(html).toContain('<html lang="nl">');
    expect(html).toContain('data:image/png;base64,');
    expect(html).toContain('centroïde (Brown)');
    expect(html).toContain('Met de hand gewijzigde vlaggen: US1 → F2, UK7 → –.');
  });

  test('without --out the report goes to stdout', async () => {
    expect(await main(['--dat', join(dir, 'lipset.DAT'), '--factors', '2', '--format', 'json'], io())).toBe(0);
    expect(JSON.parse(out.join('\n')).nFactors).toBe(2);
  });

  test('a .DAT without a .STA beside it: statements are numbered, and that is said', async () => {
    rmSync(join(dir, 'lipset.STA'));
    expect(await main(['--dat', join(dir, 'lipset.DAT'), '--factors', '2', '--format', 'json'], io())).toBe(0);
    expect(JSON.parse(out.join('\n')).statements[0]).toBe('statement 1');
    expect(err.join('\n')).toContain('no .STA found beside lipset.DAT');
  });

  test('a damaged .DAT fails (exit 1) naming the line and the column', async () => {
    const lines = readFileSync(join(dir, 'lipset.DAT'), 'latin1').split('\r\n');
    lines[4] = at(lines, 4).slice(0, 20) + 'x' + at(lines, 4).slice(21);
    writeFileSync(join(dir, 'lipset.DAT'), lines.join('\r\n'), 'latin1');
    expect(await main(['--dat', join(dir, 'lipset.DAT')], io())).toBe(1);
    expect(err.join('\n')).toMatch(
      /^analyse failed: lipset\.DAT, line 5, column 21: columns 21-22 hold "x0": the value of statement 6 must be a whole number/,
    );
  });

  test('bad arguments: exit 2 with the reason and the usage', async () => {
    const cases: [string[], RegExp][] = [
      [['--round', 'default', '--dat', 'x.DAT'], /give --round ID or --dat FILE, not both/],
      [['--dat', 'x.DAT', '--factors', 'two'], /--factors must be a whole number \(got "two"\)/],
      [['--dat', 'x.DAT', '--factors', '0'], /--factors must be at least 1/],
      [['--dat', 'x.DAT', '--extraction', 'ml'], /--extraction must be pca or centroid/],
      [['--dat', 'x.DAT', '--rotation', 'promax'], /--rotation must be varimax or none/],
      [['--dat', 'x.DAT', '--format', 'pdf'], /--format must be md, html or json/],
      [['--dat', 'x.DAT', '--colour', 'red'], /unknown option --colour/],
      [['--dat', 'x.DAT', '--out'], /--out needs a value/],
      [['--round', 'Default!'], /--round must be a round id/],
      [['--round', 'default', '--sta', 'x.STA'], /--sta goes with --dat/],
      [['--dat', 'x.DAT', '--flags', 'R1:2'], /--flags must look like R3=2,R7=none/],
      [['stray'], /unexpected argument "stray"/],
    ];
    for (const [argv, message] of cases) {
      err = [];
      expect(await main(argv, io())).toBe(2);
      expect(err.join('\n')).toMatch(message);
      expect(err.join('\n')).toContain('usage: npm run analyse');
    }
    expect(parseArgs(['--dat', 'a.DAT']).ok).toBe(true);
  });
});

describe('npm run analyse -- --round ID', () => {
  test('reads the store as the export does and writes the report', async () => {
    const content = loadContent();
    const stores = openLowdbStores(join(dir, 'data'), join(dir, 'keys'));
    await seedRounds(content, stores.answers, new Date());
    await completeInterviews(stores, 4);
    await stores.close();
    expect(await main(['--round', 'default', '--factors', '1', '--out', `${join(dir, 'r')}/`], io())).toBe(0);
    const text = readFileSync(join(dir, 'r', 'default-analysis.md'), 'utf8');
    expect(text).toContain('Kaarten die een deelnemer niet koos, tellen als 0');
    expect(text).toContain('| Sortering | Geplaatst | F1 | h² |');
    expect(err.join('\n')).toContain('note: round "default" is open: the analysis can change');
    // Without --round: the most recently opened round, as npm run export and npm run digest take it.
    out = [];
    expect(await main(['--factors', '1', '--format', 'json'], io())).toBe(0);
    expect(JSON.parse(out.join('\n')).title).toBe('Open pilotronde');
    expect(await main(['--round', 'nope'], io())).toBe(1);
    expect(err.join('\n')).toMatch(/analyse failed: no round "nope" in the store/);
  });
});
