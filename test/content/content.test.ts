import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ContentError, loadContent } from '../../src/content/load.js';
import { CardTemplates } from '../../src/teams/cardTemplates.js';
import { at, defined } from '../support/defined.js';

const root = process.cwd();

/** A copy of the content folders that a test may break. */
function copyContent(): string {
  const dir = mkdtempSync(join(tmpdir(), 'wijzer-content-'));
  for (const sub of ['dialogs', 'cards']) cpSync(join(root, sub), join(dir, sub), { recursive: true });
  return dir;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each case reaches into a different part of the file.
function edit(dir: string, file: string, change: (json: Record<string, any>) => void): void {
  const path = join(dir, file);
  const json = JSON.parse(readFileSync(path, 'utf8'));
  change(json);
  writeFileSync(path, JSON.stringify(json));
}

function loadError(dir: string): ContentError {
  try {
    loadContent(dir);
  } catch (err) {
    if (err instanceof ContentError) return err;
    throw err;
  }
  throw new Error('expected the content to be refused');
}

let dir: string;
beforeEach(() => {
  dir = copyContent();
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test('the shipped content is valid: the thesis deck of 32 cards in 7 clusters, the basic deck of 10', () => {
  const content = loadContent(root);
  const thesis = content.decks.get('wij-competenties')!;
  expect(thesis.clusters.map((c) => c.competencies.length)).toEqual([5, 4, 5, 5, 3, 2, 8]);
  expect(thesis.minCards).toBe(10);
  for (const cluster of thesis.clusters) {
    for (const c of cluster.competencies) {
      expect(c.description.nl.length).toBeGreaterThan(20);
      expect(c.description.en.length).toBeGreaterThan(20);
    }
  }
  expect(at(defined(content.decks.get('basiscompetenties'), 'the deck').clusters, 0).competencies).toHaveLength(10);
  expect(content.rounds.get('default')).toMatchObject({ status: 'open', audience: 'open', extremeColumns: [-3, 3] });
  expect(() => new CardTemplates(root)).not.toThrow();
});

test('a file that is not JSON is named', () => {
  writeFileSync(join(dir, 'cards/decks/wij-competenties.json'), '{ "id": ');
  const err = loadError(dir);
  expect(err.file).toBe(join('cards', 'decks', 'wij-competenties.json'));
  expect(err.problems[0]).toMatch(/not readable as JSON/);
});

test('a missing Dutch text is reported with its place', () => {
  edit(dir, 'dialogs/guides/wij-jeugdgeneralist.json', (g) => {
    delete g.steps[2].questions[1].text.nl;
  });
  const err = loadError(dir);
  expect(err.file).toBe(join('dialogs', 'guides', 'wij-jeugdgeneralist.json'));
  expect(err.message).toMatch(/at steps\[2\]\.questions\[1\]\.text\.nl/);
});

test('guide rules: consent before questions, unknown choice lists, duplicate ids', () => {
  edit(dir, 'dialogs/guides/wij-jeugdgeneralist.json', (g) => {
    const [background] = g.steps.splice(2, 1);
    g.steps.splice(1, 0, background);
    g.steps[3].id = g.steps[4].id;
  });
  const err = loadError(dir);
  expect(err.message).toMatch(/no questions may come before the consent step/);
  expect(err.message).toMatch(/duplicate step id/);

  dir = copyContent();
  edit(dir, 'dialogs/guides/wij-jeugdgeneralist.json', (g) => {
    g.steps[2].questions[3].choices = 'nope';
  });
  expect(loadError(dir).message).toMatch(/unknown choice list "nope"/);
});

test('a round must name an existing deck and columns on the scale', () => {
  edit(dir, 'dialogs/rounds/default.json', (r) => {
    r.deck = 'missing';
  });
  expect(loadError(dir).message).toMatch(/at deck: no deck with id "missing"/);
  dir = copyContent();
  edit(dir, 'dialogs/rounds/default.json', (r) => {
    r.extremeColumns = [-4, 3];
  });
  expect(loadError(dir).message).toMatch(/-4 is outside the scale/);
});

test('a deck whose minimum exceeds its cards is refused', () => {
  edit(dir, 'cards/decks/basiscompetenties.json', (d) => {
    d.minCards = 11;
  });
  expect(loadError(dir).message).toMatch(/minCards 11 exceeds the 10 competencies/);
});

test('a card template above schema 1.5 is refused', () => {
  edit(dir, 'cards/templates/pick.json', (t) => {
    t.version = '1.6';
  });
  expect(() => new CardTemplates(dir)).toThrow(/cards\/templates\/pick\.json[\s\S]*at version/);
});

test('a round file needs a contact, reachable by e-mail or a Teams link', () => {
  edit(dir, 'dialogs/rounds/default.json', (r) => {
    delete r.contact;
  });
  expect(loadError(dir).message).toMatch(/at contact: a round needs a contact/);
  dir = copyContent();
  edit(dir, 'dialogs/rounds/default.json', (r) => {
    r.contact = { name: { nl: 'Team', en: 'Team' } };
  });
  expect(loadError(dir).message).toMatch(/at contact: give an e-mail address or a Teams link/);
  dir = copyContent();
  edit(dir, 'dialogs/rounds/default.json', (r) => {
    r.contact = { name: { nl: 'Team', en: 'Team' }, email: 'geen-adres' };
  });
  expect(loadError(dir).message).toMatch(/at contact\.email/);
});
