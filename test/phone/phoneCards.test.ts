/**
 * Every card of whole interviews, in Dutch and English, rendered as a phone shows it: the `adaptivecards` renderer
 * (the JavaScript SDK Teams' web client is built on) in headless Chromium, 360 px wide, with a Teams-like host
 * config. Each card is saved as an image under test-output/phone/ and must stay within the height budget.
 *
 * Height budget: at most two phone screens (2 x 640 px) for any card, measured on the rendered card's DOM height.
 */
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CardTemplates } from '../../src/teams/cardTemplates.js';
import { CHROMIUM, CHROMIUM_ARGS } from '../e2e/harness.js';
import { REPO_ROOT } from '../support/repoRoot.js';
import { EVERY_LOCALE_AND_DECK, wholeInterview } from '../support/wholeInterview.js';
import { TEAMS_HOST_CONFIG } from './teamsHostConfig.js';

const WIDTH = 360;
const SCREEN = 640;
const BUDGET = 2 * SCREEN;
const OUT = path.join(REPO_ROOT, 'test-output', 'phone');
const require = createRequire(import.meta.url);
const RENDERER = require.resolve('adaptivecards/dist/adaptivecards.min.js');

const templates = new CardTemplates();
let browser: Browser;
let page: Page;

beforeAll(async () => {
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  page = await browser.newPage({ viewport: { width: WIDTH, height: SCREEN }, deviceScaleFactor: 1 });
  await page.setContent(
    `<!doctype html><html><head><meta charset="utf-8"><style>body{margin:0;width:${WIDTH}px;background:#fff}</style></head><body><div id="card"></div></body></html>`,
  );
  await page.addScriptTag({ path: RENDERER });
  // Teams renders the Markdown subset of TextBlocks (bold, links, line breaks); so does this page, roughly.
  await page.evaluate(() => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the page's Adaptive Cards bundle has no types.
    const AC = (window as unknown as { AdaptiveCards: any }).AdaptiveCards;
    AC.AdaptiveCard.onProcessMarkdown = (text: string, result: { outputHtml: string; didProcess: boolean }) => {
      const escaped = text.replace(/&/g, '&amp;').replace(/</g, '&lt;');
      result.outputHtml = escaped
        .replace(/\*\*(.+?)\*\*/g, '<b>$1</b>')
        .replace(/\[([^\]]+)\]\(([^)]+)\)/g, '<a href="$2">$1</a>')
        .split(/\n\n/)
        .map((p) => `<p>${p.replace(/\n/g, '<br>')}</p>`)
        .join('');
      result.didProcess = true;
    };
  });
}, 30_000);

afterAll(async () => {
  await browser?.close();
});

/** Renders one card in the page; returns the rendered card's height in CSS pixels. */
async function render(content: Record<string, unknown>, hostConfig: unknown): Promise<number> {
  return page.evaluate(
    ([card, config]) => {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the page's Adaptive Cards bundle has no types.
      const AC = (window as unknown as { AdaptiveCards: any }).AdaptiveCards;
      const adaptive = new AC.AdaptiveCard();
      adaptive.hostConfig = new AC.HostConfig(config);
      const context = new AC.SerializationContext();
      adaptive.parse(card, context);
      if (context.eventCount > 0)
        throw new Error(`the renderer reported ${context.eventCount} problems parsing the card`);
      const element: HTMLElement = adaptive.render();
      if (!element) throw new Error('the card did not render');
      const host = document.getElementById('card')!;
      host.replaceChildren(element);
      return element.getBoundingClientRect().height;
    },
    [content, hostConfig] as const,
  );
}

test.each(EVERY_LOCALE_AND_DECK)(
  'every card of a whole interview (%s, %s) fits %s px on a 360 px phone',
  async (locale, deck) => {
    const { cards, summaries } = wholeInterview(locale, deck);
    const dir = path.join(OUT, `${locale}-${deck}`);
    await mkdir(dir, { recursive: true });
    const heights: { card: string; height: number }[] = [];
    for (const [i, view] of [...cards, ...summaries].entries()) {
      const name = `${String(i + 1).padStart(2, '0')}-${view.template}`;
      const height = await render(templates.render(view).content, TEAMS_HOST_CONFIG);
      await page.locator('#card').screenshot({ path: path.join(dir, `${name}.png`) });
      heights.push({ card: name, height: Math.round(height) });
    }
    console.log(`${locale} ${deck}: ${heights.map((h) => `${h.card} ${h.height}`).join(', ')}`);
    expect(heights.filter((h) => h.height > BUDGET)).toEqual([]);
    // A card that did not render at all would pass any budget.
    expect(heights.every((h) => h.height > 40)).toBe(true);
  },
  120_000,
);
