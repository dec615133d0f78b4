import { digestMarkdown } from '../../src/digest/markdown.js';
import { digestOf } from './fixtures.js';

const digest = digestOf();

test('Markdown: tables per cluster', () => {
  const md = digestMarkdown(digest, { chartPath: 'digest.png' });
  expect(md).toContain(
    [
      '### Ondersteunen bij regievoeren',
      '',
      '| Competentie | −3 | −2 | −1 | 0 | +1 | +2 | +3 | n.g. | gem. | n |',
      '| :-- | --: | --: | --: | --: | --: | --: | --: | --: | --: | --: |',
      '| Analyseren | · | · | · | · | 1 | 1 | 3 | 1 | +2,4 | 5 |',
      '| Normen stellen | 1 | · | 1 | · | · | · | · | 4 |  | 2 |',
    ].join('\n'),
  );
  expect(md).toContain('| Professionele afstand | · | · | · | · | · | · | · | 6 |  | 0 |');
  expect(md).toContain('![Heatmap');
  expect(md).toContain('- **Uitgenodigd:** 8 (+5 sinds de vorige)');
  expect(md).toContain('1. Analyseren — sd 0,9 · gem. +2,4 (n = 5)');
  expect(md).toContain('> “Korte sessies in het team.”\n');
});
