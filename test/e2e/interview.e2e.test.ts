/**
 * End to end, as a participant would: the built bot, Microsoft's Agents Playground as the Teams client and headless
 * Chromium, all offline. One Dutch interview from "hallo" to the closing card, with a pause, a hard crash and restart
 * of the bot and a page reload half-way, a card move on the review board and a typed "terug". Then the stores are
 * checked: what was stored, and that the participant's Teams identity was stored nowhere.
 *
 * A pressed button whose turn's one reply is the next card gets that card in the answer to its invoke (Universal
 * Actions' sequential workflow): the Playground shows it in place of the pressed card, in the same message, and no
 * new message comes. A press the bot answers with more (a card that is out of date: a text and the current card)
 * leaves a note on the pressed card and brings the current card as a new message.
 *
 * The Playground sends every activity with locale en-US, whatever the browser's language; the harness relays them
 * to the bot as nl-NL, as a Teams client set to Dutch would send them (see harness.ts).
 *
 * Needs `npm run build` first (it runs dist/src/main.js) and Chromium at /usr/bin/chromium (or CHROMIUM_PATH).
 * Screenshots of every step go to test-output/e2e/.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Locator } from 'playwright-core';
import { Chat, Harness, identityOf, type PlaygroundTestConfig } from './harness.js';
import { BOT_MAIN } from '../../scripts/support/botProcess.js';
import { REPO_ROOT } from '../support/repoRoot.js';
import { openLowdbStores } from '../../src/storage/lowdb/index.js';
import { defined, only } from '../support/defined.js';
import { filesBelow, scanFiles } from '../support/files.js';
import { until } from '../support/until.js';

const SHOTS = path.join(REPO_ROOT, 'test-output', 'e2e');
const LOCALE = 'nl-NL';
const VIEWPORT = { width: 1280, height: 3600 };

type Text = { nl: string; en: string };
interface Question {
  id: string;
  type: 'text' | 'choice' | 'rating';
  text: Text;
  choices?: string;
}
interface Step {
  id: string;
  kind: string;
  title: Text;
  questions?: Question[];
  pageSize?: number;
}
interface Guide {
  steps: Step[];
  choiceLists: Record<string, { id: string; label: Text }[]>;
  scale: { min: number; max: number; labels: Record<string, Text> };
}
interface Deck {
  clusters: { competencies: { id: string; name: Text }[] }[];
}
interface Round {
  extremeColumns: number[];
  workAreas: { id: string; label: Text }[];
}

const readJson = async <T>(...parts: string[]): Promise<T> =>
  JSON.parse(await readFile(path.join(REPO_ROOT, ...parts), 'utf8')) as T;

/** The Playground participant's identity, as it could end up in a file. */
function participantIdentity(config: PlaygroundTestConfig, playgroundPort: number): string[] {
  return [...identityOf(config.currentUser), config.tenantId, config.personalChat.id, `localhost:${playgroundPort}`];
}

describe('Wijzer in the Agents Playground (end to end)', () => {
  let harness: Harness | undefined;
  let failed = true;

  beforeAll(async () => {
    if (!existsSync(BOT_MAIN))
      throw new Error(`${BOT_MAIN} is missing: run "npm run build" first; the end-to-end test does not build.`);
    await mkdir(SHOTS, { recursive: true });
    // This run's numbered screenshots only: an earlier run's, numbered or named otherwise, would sit among them.
    for (const name of await readdir(SHOTS))
      if (/^\d{2}-[a-z0-9-]+\.png$/.test(name)) await rm(path.join(SHOTS, name), { force: true });
    // Tall enough for the tallest card: an element screenshot of a card that sticks out of the viewport makes
    // Chromium resize the page, and the Playground then re-renders its cards, dropping what was filled in.
    harness = await Harness.start({
      locale: LOCALE,
      browserLocale: LOCALE,
      timezoneId: 'Europe/Amsterdam',
      viewport: VIEWPORT,
    });
  }, 60_000);

  afterAll(async () => {
    if (failed && harness)
      console.log(`End-to-end test failed: bot log, data and Playground log kept in ${harness.root}`);
    await harness?.close({ keepFiles: failed });
  }, 30_000);

  it('the scanner finds a planted identity (self-check)', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'wijzer-scan-'));
    try {
      await mkdir(path.join(dir, 'a', 'b'), { recursive: true });
      await writeFile(path.join(dir, 'a', 'b', 'x.json'), '{"note":"mail ALEXW@example.COM please"}');
      await writeFile(path.join(dir, 'clean.json'), '{"note":"[e-mail]"}');
      const hits = await scanFiles(() => filesBelow(dir), ['nobody@example.org', 'alexw@example.com']);
      expect(hits).toEqual([`${path.join(dir, 'a', 'b', 'x.json')}: alexw@example.com`]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('runs a whole Dutch interview in the browser, survives a crash, and stores only what it should', async () => {
    const h = harness!;
    const page = h.page!;
    const chat = new Chat(page);
    const guide = await readJson<Guide>('dialogs', 'guides', 'wij-jeugdgeneralist.json');
    const deck = await readJson<Deck>('cards', 'decks', 'wij-competenties.json');
    const round = await readJson<Round>('dialogs', 'rounds', 'default.json');
    const step = (id: string) => guide.steps.find((s) => s.id === id)!;
    const label = (stepId: string, qid: string) => step(stepId).questions!.find((q) => q.id === qid)!.text.nl;
    const title = (stepId: string) => step(stepId).title.nl;
    const column = (c: number) =>
      `${c > 0 ? '+' : ''}${c} · ${defined(guide.scale.labels[String(c)], `the label of column ${c}`).nl}`;
    const nameOf = (id: string) => deck.clusters.flatMap((c) => c.competencies).find((c) => c.id === id)!.name.nl;
    const steps = guide.steps.length;
    const typed: string[] = [];

    let shotNo = 0;
    /** A card as the participant sees it; or the chat from a message on (default: the newest messages). */
    const shot = async (name: string, target?: Locator, chatFrom?: Locator) => {
      const file = path.join(SHOTS, `${String(++shotNo).padStart(2, '0')}-${name}.png`);
      if (target) return target.screenshot({ path: file });
      let y = VIEWPORT.height - 1200;
      if (chatFrom) {
        await chatFrom.scrollIntoViewIfNeeded();
        y = Math.max(0, Math.min(y, ((await chatFrom.boundingBox())?.y ?? y) - 60));
      }
      return page.screenshot({ path: file, clip: { x: 0, y, width: VIEWPORT.width, height: 1200 } });
    };
    const fill = async (card: Locator, stepId: string, qid: string, value: string) => {
      typed.push(value);
      await card.getByRole('textbox', { name: label(stepId, qid) }).fill(value);
    };
    const choose = async (card: Locator, group: string, option: string) => {
      await card.getByRole('radiogroup', { name: group }).getByRole('radio', { name: option, exact: true }).check();
    };
    /** A compact choice (the placement scale, the 1-10 rating): a dropdown, a native picker on Teams mobile. */
    const select = async (card: Locator, group: string | RegExp, option: string) => {
      await card.getByRole('combobox', { name: group }).click();
      await page.getByRole('option', { name: option, exact: true }).click();
    };
    /** A placement dropdown is labelled with the competency's name (and the required-mark). */
    const named = (id: string) => new RegExp(`^${nameOf(id)}\\b`);
    /** The Playground renders Action.Execute: every press goes to the bot as an adaptiveCard/action invoke. */
    let presses = 0;
    const press = (card: Locator, button: string) => () => {
      presses++;
      return card.getByRole('button', { name: button, exact: true }).click();
    };
    const invokes = () => h.relay!.turns.filter((turn) => turn.activity.type === 'invoke').length;
    /**
     * Presses a button whose turn's one reply is the next card: that card must replace the pressed one in its own
     * message, with no new card and no new message in the chat; and the press was one invoke.
     */
    const next = async (pressed: Locator, button: string, shows: RegExp | string): Promise<Locator> => {
      const answer = await chat.expectCard(pressed, press(pressed, button), shows);
      expect({ inPlace: answer.inPlace, newCards: answer.newCards, newBubbles: answer.newBubbles }).toEqual({
        inPlace: true,
        newCards: 0,
        newBubbles: 0,
      });
      expect(invokes()).toBe(presses);
      return answer.card;
    };
    /** Waits until no new card has arrived for a moment (the Playground's own greetings on page load). */
    const settle = async () => {
      let count = -1;
      for (let i = 0; i < 40; i++) {
        const now = await chat.cards.count();
        if (now === count && now > 0) return;
        count = now;
        await page.waitForTimeout(400);
      }
    };

    // The Q-sort plan: 12 cards from all clusters, spread so that -3 and +3 are both used.
    const plan: Record<string, number> = {
      analyseren: 3,
      signaleren: 2,
      aansluiten: 3,
      empathie: 1,
      'alert-blijven': 0,
      motiveren: -1,
      'kritisch-zijn': -2,
      luisteren: -3,
      'veiligheid-bieden': 2,
      reflecteren: 0,
      besluitvaardigheid: -1,
      zelfstandigheid: -3,
    };
    const moved = { card: 'aansluiten', to: 2 };
    const deckOrder = deck.clusters.flatMap((c) => c.competencies.map((k) => k.id));
    const selection = deckOrder.filter((id) => id in plan);
    const pageSize = step('place').pageSize ?? 8;
    const pages: [string[], string[]] = [selection.slice(0, pageSize), selection.slice(pageSize)];
    expect(selection).toHaveLength(12);
    expect(pages[1].length).toBeGreaterThan(0);

    // 1. Open the personal chat: the bot greets with the welcome card of the round, once.
    await chat.open(h.playgroundUrl);
    await chat.waitForCards(1);
    await settle();
    let card = chat.lastCard();
    expect(await card.innerText()).toContain(`Open pilotronde · Stap 1 van ${steps}`);
    expect(await chat.cards.filter({ hasText: title('welcome') }).count()).toBe(1);
    await shot('welcome', card);

    // 2. Consent, allowing quotes.
    card = await next(card, 'Verder', title('consent'));
    await card.getByRole('checkbox').check();
    await shot('consent', card);

    // 3. Background: free texts with an e-mail address, a phone number and the participant's own first name.
    card = await next(card, 'Ja, ik doe mee', title('background'));
    const roleText =
      'Ik ben Alex, jeugdgeneralist in een wijkteam. Vragen? Mail me op test.persoon@example.nl of 06-12345678.';
    await fill(card, 'background', 'role', roleText);
    await fill(card, 'background', 'specialism', 'Jongeren van 12 tot 18 en hun ouders, vooral bij schooluitval.');
    await fill(card, 'background', 'changes', 'De casussen zijn zwaarder en er is meer verloop in het team.');
    const band = (list: string, id: string) =>
      defined(guide.choiceLists[list], list).find((c) => c.id === id)!.label.nl;
    await choose(card, label('background', 'ageBand'), band('ageBands', 'age-35-39'));
    await choose(card, label('background', 'experienceBand'), band('experienceBands', 'exp-10-14'));
    await choose(card, label('background', 'workArea'), round.workAreas.find((w) => w.id === 'zuid')!.label.nl);
    await shot('background', card);

    // 4. Two competencies in the participant's own words. The scrubber changed the background text, so the
    // participant is shown what was stored: the pressed card is replaced by its read-only summary (the invoke's
    // answer, in place), with the scrubbed text, and the named card comes as a new message.
    const pressedBackground = card;
    const saved = await chat.expectCard(card, press(card, 'Opslaan en verder'), title('named'));
    expect({ inPlace: saved.inPlace, newCards: saved.newCards }).toEqual({ inPlace: false, newCards: 1 });
    expect(invokes()).toBe(presses);
    await pressedBackground.filter({ hasText: 'Opgeslagen om' }).waitFor();
    expect(await pressedBackground.getByRole('button').count()).toBe(0);
    expect(await pressedBackground.innerText()).toContain('[e-mail]');
    await shot('background-saved', pressedBackground);
    card = saved.card;
    // Back on the background card (in place): the free text as stored, scrubbed, and the choices kept. Then on
    // again, unchanged: nothing more to scrub, so the named card comes in place.
    card = await next(card, 'Terug', title('background'));
    const savedRole = await card.getByRole('textbox', { name: label('background', 'role') }).inputValue();
    for (const mark of ['[e-mail]', '[telefoon]', '[naam]']) expect(savedRole).toContain(mark);
    expect(savedRole).not.toMatch(/test\.persoon|example\.nl|12345678|\balex\b/i);
    const chosen = (group: string, option: string) =>
      card.getByRole('radiogroup', { name: group }).getByRole('radio', { name: option, exact: true }).isChecked();
    expect(await chosen(label('background', 'ageBand'), band('ageBands', 'age-35-39'))).toBe(true);
    await shot('background-scrubbed', card);
    card = await next(card, 'Opslaan en verder', title('named'));
    await fill(card, 'named', 'first', 'Geduld hebben');
    await fill(card, 'named', 'second', 'Goed kunnen doorvragen');
    await shot('named', card);

    // 5. Pick 12 of the 32 cards, over the pick pages (the deck in order, a page fits a phone).
    card = await next(card, 'Opslaan en verder', title('pick'));
    const pickPages = Math.ceil(deckOrder.length / (step('pick').pageSize ?? deckOrder.length));
    for (let p = 1; p <= pickPages; p++) {
      expect(await card.innerText()).toContain(`deel ${p} van ${pickPages}`);
      for (const id of selection) {
        const box = card.getByRole('checkbox', { name: nameOf(id), exact: true });
        if (await box.count()) await box.check();
      }
      await shot(`pick-page-${p}`, card);
      if (p < pickPages) card = await next(card, 'Opslaan en verder', `deel ${p + 1} van ${pickPages}`);
    }

    // 6. Place the first page.
    const placePage = async (cardOnPage: Locator, ids: string[]) => {
      for (const id of ids) await select(cardOnPage, named(id), column(defined(plan[id], `the column of ${id}`)));
    };
    card = await next(card, 'Opslaan en verder', `deel 1 van ${pages.length}`);
    for (const id of pages[1]) expect(await card.getByRole('combobox', { name: named(id) }).count()).toBe(0);
    await placePage(card, pages[0]);
    await shot('place-page-1', card);
    card = await next(card, 'Opslaan en verder', `deel 2 van ${pages.length}`);

    // 7. Pause, crash the bot (SIGKILL), restart it on the same stores, reload the page: a new, empty transcript.
    await chat.send('pauze');
    await chat.waitForText('we pauzeren');
    await shot('paused');
    await h.restartBot();
    await page.reload();
    await page.getByRole('treeitem', { name: 'Personal Chat' }).first().click();
    await chat.waitForText('Welkom terug');
    await chat.waitForCards(1);
    await settle();
    expect(await chat.lastCard().innerText()).toContain(`deel 2 van ${pages.length}`);
    await shot('welcome-back', undefined, chat.bubbles.filter({ hasText: 'Welkom terug' }).first());
    card = await chat.expectNewCard(() => chat.send('verder'), `deel 2 van ${pages.length}`);
    for (const id of pages[1]) expect(await card.getByRole('combobox', { name: named(id) }).count()).toBe(1);
    await placePage(card, pages[1]);
    await shot('place-page-2', card);

    // 8. The review board: move one card with the two comboboxes, then confirm.
    card = await next(card, 'Opslaan en verder', title('review'));
    await shot('review', card);
    await card.getByRole('combobox', { name: 'Kaart verplaatsen' }).click();
    await page.getByRole('option', { name: nameOf(moved.card), exact: true }).click();
    await card.getByRole('combobox', { name: 'Naar kolom' }).click();
    await page.getByRole('option', { name: column(moved.to), exact: true }).click();
    await shot('review-move', card);
    card = await next(card, 'Verplaatsen', title('review'));
    // The board lists each column's label with its cards on the next line.
    const row = async (c: number) => {
      const lines = (await card.innerText())
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean);
      return lines[lines.indexOf(column(c)) + 1] ?? '';
    };
    expect(await row(moved.to)).toContain(nameOf(moved.card));
    expect(await row(defined(plan[moved.card], 'the column of the moved card'))).not.toContain(nameOf(moved.card));
    const final = { ...plan, [moved.card]: moved.to };
    const extremes = round.extremeColumns.flatMap((c) => selection.filter((id) => final[id] === c));
    expect(extremes.length).toBeGreaterThanOrEqual(2);
    await shot('review-moved', card);

    // 9. One follow-up card per card at -3 or +3, in the bot's order; type "terug" once on the second card to see
    // the first again, prefilled.
    card = await next(card, 'Zo klopt het, bevestigen', title('followUps'));
    const answersFor = (id: string, i: number) => ({
      why: `Waarom ${i + 1}: zo ervaar ik ${nameOf(id).toLowerCase()} in mijn werk.`,
      useNow: `Nu ${i + 1}: soms lukt dat, soms niet.`,
      bond: `Band ${i + 1}: het helpt jongeren om te vertrouwen.`,
      teamAttention: String(4 + i),
      teamAttentionWhy: `Team ${i + 1}: er is weinig tijd voor.`,
    });
    const ratingLabel = label('followUps', 'teamAttention');
    const asked: string[] = [];
    const followUpTexts = ['why', 'useNow', 'bond', 'teamAttentionWhy'] as const;
    for (let i = 0; i < extremes.length; i++) {
      const shown = await card.innerText();
      expect(shown).toContain(`kaart ${i + 1} van ${extremes.length}`);
      const about = extremes.filter((id) =>
        shown.includes(`Je hebt ${nameOf(id)} bij ${column(defined(final[id], `the column of ${id}`))} gelegd`),
      );
      expect(about).toHaveLength(1);
      const id = only(about, 'card of the follow-up');
      expect(asked).not.toContain(id);
      asked.push(id);
      const a = answersFor(id, i);
      for (const q of followUpTexts) await fill(card, 'followUps', q, a[q]);
      await select(card, ratingLabel, a.teamAttention);
      await shot(`follow-up-${i + 1}`, card);
      const upNext = i + 1 < extremes.length ? `kaart ${i + 2} van ${extremes.length}` : title('namedRecall');
      card = await next(card, 'Opslaan en verder', upNext);
      if (i === 0) {
        // Back by typing: the first follow-up comes back with its answers filled in; submit it again unchanged.
        card = await chat.expectNewCard(() => chat.send('terug'), `kaart 1 van ${extremes.length}`);
        expect(await card.innerText()).toContain(`Je hebt ${nameOf(id)} bij`);
        for (const q of followUpTexts)
          expect(await card.getByRole('textbox', { name: label('followUps', q) }).inputValue()).toBe(a[q]);
        expect(await card.getByRole('combobox', { name: ratingLabel }).inputValue()).toBe(a.teamAttention);
        await shot('back-to-follow-up-1', card);
        // The first follow-up's message shows the second follow-up still, stamped before "terug": out of date.
        const outdated = chat.cards.nth((await chat.cards.count()) - 2);
        expect(await outdated.innerText()).toContain(upNext);
        card = await next(card, 'Opslaan en verder', upNext);
        // Pressed anyway (its inputs empty), it is answered the old way: a note on that card, which stays as it
        // was, and the current card as one new message, the note above it (the Playground shows a message's text
        // and its card as two bubbles).
        const shownBefore = await outdated.innerText();
        const stale = await chat.expectCard(outdated, press(outdated, 'Opslaan en verder'), upNext);
        expect({ inPlace: stale.inPlace, newCards: stale.newCards, newBubbles: stale.newBubbles }).toEqual({
          inPlace: false,
          newCards: 1,
          newBubbles: 2,
        });
        expect(invokes()).toBe(presses);
        expect(await outdated.innerText()).toBe(shownBefore);
        const staleNote = 'Die kaart is verouderd';
        const bubbleOf = (cardIn: Locator) =>
          cardIn.evaluate((el) => el.closest<HTMLElement>('.fai-OutputCard')?.innerText ?? '');
        await until('the note on the outdated card', async () => (await bubbleOf(outdated)).includes(staleNote), 5_000);
        expect(await chat.bubbles.nth((await chat.bubbles.count()) - 2).innerText()).toContain(staleNote);
        card = stale.card;
        await shot('outdated-card', undefined, outdated);
      }
    }
    expect([...asked].sort()).toEqual([...extremes].sort());

    // 10. The recall card quotes the two competencies named at the start.
    expect(await card.innerText()).toContain('Eerder noemde je Geduld hebben en Goed kunnen doorvragen');
    await fill(card, 'namedRecall', 'reflection', 'Geduld zag ik niet letterlijk terug, doorvragen wel bij Luisteren.');
    await shot('named-recall', card);

    // 11. Organisation, training, wrap-up (each step's answers, and its screenshot), and the closing card.
    const lastSteps: [stepId: string, answers: Record<string, string>, shotName: string][] = [
      ['organisation', { academy: 'Er is aanbod, maar het sluit niet altijd aan bij de praktijk.' }, 'organisation'],
      [
        'training',
        { need: 'Vooral rond veiligheid en gesprekken met ouders.', form: 'Korte intervisie in het eigen team.' },
        'training',
      ],
      ['wrapUp', { anythingElse: 'Nee, dank je wel.' }, 'wrap-up'],
    ];
    for (const [stepId, answers, shotName] of lastSteps) {
      card = await next(card, 'Opslaan en verder', title(stepId));
      for (const [qid, value] of Object.entries(answers)) await fill(card, stepId, qid, value);
      await shot(shotName, card);
    }
    card = await next(card, 'Opslaan en verder', title('closing'));
    expect(await card.getByRole('button').count()).toBe(0);
    await shot('closing', card);
    await shot('closing-chat');

    // --- What was stored.
    const interviews = path.join(h.dataDir, 'rounds', 'default', 'interviews');
    // A checkpoint running now may have a temporary file beside it: only the interviews count.
    expect((await readdir(interviews)).filter((name) => !name.endsWith('.tmp'))).toEqual(['A.json']);
    // Read as `npm run export` reads beside the running bot: its journal too, which the files may lag behind.
    const reader = openLowdbStores(h.dataDir, h.keyDir, { lockAs: 'the e2e test', readOnlyIfHeld: true });
    expect(await reader.answers.counters('default')).toMatchObject({ issued: 1 });
    const stored = await reader.answers.getInterview('default', 'A');
    await reader.close();
    const record = JSON.parse(JSON.stringify(stored)) as {
      code: string;
      consent: { quote: boolean };
      completedAt: string | null;
      selection: string[];
      placement: Record<string, number>;
      answers: Record<string, Record<string, string | number | null>>;
      followUps: Record<string, { column: number; answers: Record<string, string | number | null> }>;
    };
    expect(record.code).toBe('A');
    expect(record.consent.quote).toBe(true);
    expect(typeof record.completedAt).toBe('string');
    expect(record.selection).toHaveLength(12);
    expect([...record.selection].sort()).toEqual([...selection].sort());
    for (const id of record.selection) expect(record.placement[id]).toBe(final[id]);
    expect(Object.keys(record.followUps).sort()).toEqual([...extremes].sort());
    asked.forEach((id, i) => {
      const a = answersFor(id, i);
      const followUp = defined(record.followUps[id], `the follow-up on ${id}`);
      expect(followUp.column).toBe(final[id]);
      expect(followUp.answers).toEqual({
        why: a.why,
        useNow: a.useNow,
        bond: a.bond,
        teamAttention: Number(a.teamAttention),
        teamAttentionWhy: a.teamAttentionWhy,
      });
    });
    expect(record.answers.background?.ageBand).toBe('age-35-39');
    expect(record.answers.background?.experienceBand).toBe('exp-10-14');
    expect(record.answers.background?.workArea).toBe('zuid');
    const role = String(record.answers.background?.role);
    expect(role).toContain('[e-mail]');
    expect(role).toContain('[telefoon]');
    expect(role).toContain('[naam]');
    expect(role).not.toMatch(/test\.persoon|example\.nl|12345678|\balex\b/i);
    expect(record.answers.named).toEqual({ first: 'Geduld hebben', second: 'Goed kunnen doorvragen' });
    expect(record.answers.wrapUp?.anythingElse).toBe('Nee, dank je wel.');

    // --- What was not stored: the participant's Teams identity, anywhere in the data or the bot's log.
    const config = await h.testConfig();
    const identity = participantIdentity(config, h.playgroundPort);
    expect(identity.filter(Boolean)).toHaveLength(10);
    expect(filesBelow(h.dataDir).length).toBeGreaterThanOrEqual(2);
    expect(await scanFiles(() => [...filesBelow(h.dataDir), h.botLog], identity)).toEqual([]);
    // The key store links a pseudonym to a code and keeps the chat to send reminders to (ids, by design), but
    // holds no answer, and no name, UPN or e-mail address.
    const keyFiles = () => filesBelow(h.keyDir);
    expect(keyFiles().length).toBeGreaterThanOrEqual(2);
    expect(await scanFiles(keyFiles, [...typed, 'Geduld', 'test.persoon'])).toEqual([]);
    const u = config.currentUser;
    expect(await scanFiles(keyFiles, [u.name, u.givenName, u.surname, u.userPrincipleName, u.email])).toEqual([]);

    // The same scan does see this participant's identity where it is (a planted copy).
    const planted = await mkdtemp(path.join(os.tmpdir(), 'wijzer-scan-'));
    try {
      await writeFile(
        path.join(planted, 'leak.json'),
        JSON.stringify({ from: { aadObjectId: config.currentUser.aadObjectId.toUpperCase() } }),
      );
      expect(await scanFiles(() => filesBelow(planted), identity)).toHaveLength(1);
    } finally {
      await rm(planted, { recursive: true, force: true });
    }
    expect(await page.evaluate(() => navigator.language)).toBe(LOCALE);
    // Every button press was an invoke; the interview never fell back to Action.Submit.
    expect(invokes()).toBe(presses);
    failed = false;
  }, 240_000);
});
