import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CardTemplates, TEMPLATE_NAMES, type AnyCardView } from '../../src/teams/cardTemplates.js';
import { bindingPlaces, checkBindings } from '../support/cardBindings.js';
import { representativeViews } from '../support/cardViews.js';
import { noteView } from '../../src/interview/views.js';

/*
 * Every template of the registry, expanded with the view models the bot builds, in both languages: nothing may be
 * left unexpanded and every field a binding names must be in its view model, so a misspelt `${...}` fails here
 * instead of showing "${titel}" or an empty line in Teams.
 */

const DIR = join('cards', 'templates');
const templateJson = (name: string): unknown => JSON.parse(readFileSync(join(DIR, `${name}.json`), 'utf8'));

test('the registry names every file in cards/templates, each once', () => {
  const files = readdirSync(DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.replace(/\.json$/, ''));
  expect([...TEMPLATE_NAMES].sort()).toEqual(files.sort());
  expect(new Set(TEMPLATE_NAMES).size).toBe(TEMPLATE_NAMES.length);
});

describe.each(['nl', 'en'] as const)('every card template filled as the bot fills it (%s)', (locale) => {
  const cards = new CardTemplates();
  const views = representativeViews(locale);
  const byTemplate = new Map<string, AnyCardView[]>();
  for (const view of views) byTemplate.set(view.template, [...(byTemplate.get(view.template) ?? []), view]);

  test.each([...TEMPLATE_NAMES])('%s: every binding is bound, none is left unexpanded', (name) => {
    const filled = byTemplate.get(name) ?? [];
    expect(filled.length).toBeGreaterThan(0);
    const template = templateJson(name);
    const checked = new Set<string>();
    const unbound = new Set<string>();
    for (const view of filled) {
      const report = checkBindings(template, view.data);
      report.checked.forEach((place) => checked.add(place));
      report.unbound.forEach((problem) => unbound.add(problem));
      const expanded = JSON.stringify(cards.render(view).content);
      expect({ template: name, leftover: expanded.match(/.{0,40}\$\{.{0,40}/g) }).toEqual({
        template: name,
        leftover: null,
      });
    }
    expect([...unbound]).toEqual([]);
    // Each binding met data at least once, so that none escapes the check behind an empty list.
    expect(bindingPlaces(template).filter((place) => !checked.has(place))).toEqual([]);
  });
});

describe('the binding check', () => {
  const template = {
    type: 'AdaptiveCard',
    body: [
      { type: 'TextBlock', text: '${titel}' },
      { type: 'TextBlock', text: "${if(progress == '', round, concat(rond, ' · ', progress))}" },
      { $data: '${lines}', type: 'TextBlock', text: '${lable}', $when: "${value != ''}" },
      { $data: '${lines}', type: 'TextBlock', text: '${$root.title} ${$data.value}' },
    ],
  };
  const data = { title: 'T', progress: '', round: 'R', lines: [{ label: 'L', value: 'V' }] };

  test('names a misspelt field in a text, inside a function and inside a $data scope', () => {
    expect(checkBindings(template, data).unbound).toEqual([
      'body[0].text: ${titel} reads titel',
      "body[1].text: ${if(progress == '', round, concat(rond, ' · ', progress))} reads rond",
      'body[2].text: ${lable} reads lable',
    ]);
  });

  test('says which bindings met no data (an empty list)', () => {
    const report = checkBindings(template, { ...data, lines: [] });
    expect(bindingPlaces(template).filter((place) => !report.checked.has(place))).toEqual([
      'body[2].text',
      'body[2].$when',
      'body[3].text',
    ]);
  });
});

test('a note card (a refresh with no round to show) has no empty heading lines', () => {
  const content = new CardTemplates().render(noteView(['De ronde is gesloten.'])).content;
  const texts = (content.body as { type: string; text?: string }[]).filter((e) => e.type === 'TextBlock');
  expect(texts.map((e) => e.text?.trim())).not.toContain('');
  expect(JSON.stringify(content)).toContain('De ronde is gesloten.');
});
