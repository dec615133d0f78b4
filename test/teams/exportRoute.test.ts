import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readConfig } from '../../src/config/env.js';
import { SignedExportLinks } from '../../src/research/exportLinks.js';
import { seedRounds } from '../../src/research/seedRounds.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { openLowdbStores } from '../../src/storage/lowdb/index.js';
import { pseudonymSecret } from '../../src/storage/secret.js';
import { completeInterviews } from '../support/completedRound.js';
import { content } from '../support/context.js';
import { at } from '../support/defined.js';

// A fixed random secret (openssl rand -base64 48): the server and the test sign with the same key.
const SECRET = 'UqZfVGUuehjIPsGYSxDZOk0fmK+yEh0jKAkyrkd9j1Uw/BoffrRnY0NMeb6w3aeu';
let dir: string;
let server: RunningServer;
let links: SignedExportLinks;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wijzer-exports-'));
  const stores = openLowdbStores(join(dir, 'data'), join(dir, 'keys'));
  await seedRounds(content, stores.answers, new Date());
  await completeInterviews(stores, 4);
  server = await startServer(
    readConfig({
      PORT: '0',
      DATA_DIR: join(dir, 'data'),
      KEY_DIR: join(dir, 'keys'),
      PSEUDONYM_SECRET: SECRET,
      WIJZER_QUIET: '1',
      WIJZER_LOCAL: '1',
    }),
    stores,
  );
  // The same key as the server's: links as the Teams command makes them.
  links = new SignedExportLinks(pseudonymSecret(SECRET, join(dir, 'keys')), () => server.url, content, stores, 15);
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

test('export files are served with their own type and name, as downloads', async () => {
  const served = [];
  for (const format of ['csv', 'json', 'pqmethod'] as const) {
    for (const link of await links.links('default', format, { delimiter: ';', locale: 'nl' })) {
      const res = await fetch(link.url);
      expect(res.status).toBe(200);
      served.push([
        link.name,
        res.headers.get('content-type'),
        res.headers.get('content-disposition')?.replace(/; filename\*=.*$/, ''),
      ]);
      await res.arrayBuffer();
    }
  }
  expect(served).toEqual([
    ['default-background.csv', 'text/csv; charset=utf-8', 'attachment; filename="default-background.csv"'],
    ['default-sorts.csv', 'text/csv; charset=utf-8', 'attachment; filename="default-sorts.csv"'],
    ['default-answers.csv', 'text/csv; charset=utf-8', 'attachment; filename="default-answers.csv"'],
    ['default-codebook.csv', 'text/csv; charset=utf-8', 'attachment; filename="default-codebook.csv"'],
    ['default.json', 'application/json; charset=utf-8', 'attachment; filename="default.json"'],
    ['default.DAT', 'text/plain; charset=us-ascii', 'attachment; filename="default.DAT"'],
    ['default.STA', 'text/plain; charset=us-ascii', 'attachment; filename="default.STA"'],
  ]);
});

test("the analysis report opens in the browser (inline HTML, no scripts allowed), in the researcher's language", async () => {
  const link = at(await links.links('default', 'analysis', { locale: 'nl' }), 0, 'analysis link');
  const res = await fetch(link.url);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
  expect(res.headers.get('content-disposition')).toMatch(new RegExp(`^inline; filename="${link.name}"`));
  expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
  const html = await res.text();
  expect(html).toContain('<html lang="nl">');
  expect(html).toContain('(Nederlandse tijd)');
});
