import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cardTemplate, expandCard, templateNames } from '../../src/content/cardTemplate.js';
import { ContentError } from '../../src/content/load.js';

let root: string;
const write = (name: string, template: unknown) =>
  writeFileSync(join(root, 'cards', 'templates', `${name}.json`), JSON.stringify(template));
const card = { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: 'Hallo ${name}' }] };

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'wijzer-template-'));
  mkdirSync(join(root, 'cards', 'templates'), { recursive: true });
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

test('a template is read and built once, then expanded per view', () => {
  write('hello', card);
  expect(cardTemplate('hello', root)).toBe(cardTemplate('hello', root));
  expect(expandCard({ template: 'hello', data: { name: 'Sanne' } }, root)).toEqual({
    type: 'AdaptiveCard',
    version: '1.5',
    body: [{ type: 'TextBlock', text: 'Hallo Sanne' }],
  });
});

test.each([
  ['above schema 1.5', { ...card, version: '1.6' }, /at version/],
  ['not a card', { type: 'Message', version: '1.5', body: [] }, /at type/],
  ['without a body', { type: 'AdaptiveCard', version: '1.5' }, /at body/],
])('a template %s is refused, naming the file', (_what, template, problem) => {
  write('broken', template);
  expect(() => cardTemplate('broken', root)).toThrow(ContentError);
  expect(() => cardTemplate('broken', root)).toThrow(
    new RegExp(`cards/templates/broken\\.json[\\s\\S]*${problem.source}`),
  );
});

test('a missing template names its file', () => {
  expect(() => cardTemplate('missing', root)).toThrow(/cards\/templates\/missing\.json/);
});

test('template names come from the object that lists each once', () => {
  expect(templateNames<{ info: object; pick: object }>({ info: true, pick: true })).toEqual(['info', 'pick']);
});
