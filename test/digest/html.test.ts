import { pngSize } from '../../src/digest/heatmap.js';
import { digestHtml } from '../../src/digest/html.js';
import { digestOf } from './fixtures.js';
import { defined } from '../support/defined.js';

const digest = digestOf();

test('the HTML page: lang, the chart as a data URI, the tables, the quotes', () => {
  const html = digestHtml(digest);
  expect(html).toMatch(/^<!DOCTYPE html>\n<html lang="nl">/);
  const uri = /<img src="data:image\/png;base64,([A-Za-z0-9+/=]+)"/.exec(html);
  expect(uri).not.toBeNull();
  expect(pngSize(Buffer.from(defined(uri?.[1], 'the chart data URI'), 'base64')).width).toBe(1600);
  const cells = (name: string) => {
    const tables = html.slice(html.indexOf('<h2>Per cluster</h2>'));
    const m = new RegExp(`<tr><td class="name">${name}</td>(.*?)</tr>`).exec(tables);
    return [...defined(m?.[1], `the row of ${name}`).matchAll(/<td[^>]*>([^<]*)<\/td>/g)].map((x) => x[1]);
  };
  expect(cells('Analyseren')).toEqual(['', '', '', '', '1', '1', '3', '1', '+2,4', '5']);
  expect(cells('Empathie')).toEqual(['2', '1', '', '', '', '', '1', '2', '−1,3', '4']);
  expect(cells('Professionele afstand')).toEqual(['', '', '', '', '', '', '', '6', '', '0']);
  expect(html).toContain('<blockquote>“Korte sessies in het team.”</blockquote>');
  expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org)/);
});
