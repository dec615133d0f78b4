/**
 * The Academie digest end to end, through Microsoft's Agents Playground: the built bot, the Playground (Teams client
 * and Bot Connector) and headless Chromium, all offline.
 *
 * The researcher (the Playground's current user, in RESEARCHER_IDS) registers the team's General channel for the
 * open default round's digests (`digest here default`) and invites the team. Five team members (user-id-1..5) each
 * complete the interview in their own 1:1 chat (the card autopilot presses the buttons), so the round reaches k = 5
 * completed interviews (all of that over the Playground's HTTP API, as in research.e2e.test.ts). Then
 * Chromium opens the Playground on "My Team - General" and the researcher types `@Test Bot digest default` there as a
 * new post (the web client renders only threads it knows: a bot reply in a thread posted over HTTP is a saga error
 * in it, and every page load starts an empty transcript). The digest goes through the outbox into the channel as
 * new posts: the cards must hold the response counts (5 afgerond), the per-cluster tables and the heatmap (an Image
 * with a PNG data URI), and nobody's Teams identity; the browser must render the card with the image decoded
 * (naturalWidth > 0). Screenshots: test-output/e2e/digest-channel.png (the channel) and digest-heatmap.png (the
 * chart as shown).
 *
 * Needs `npm run build` first (it runs dist/src/main.js) and Chromium at /usr/bin/chromium (or CHROMIUM_PATH).
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect } from '@jest/globals';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CardAutopilot } from '../../scripts/support/cardAutopilot.js';
import { researcherText } from '../../src/research/messages.js';
import { BOT_MAIN, CHROMIUM, REPO_ROOT } from './harness.js';
import { Journey } from './journey.js';
import { PlaygroundRig, until, type BotMessage, type ClientMessage, type PlaygroundUser } from './playgroundRig.js';
import { at } from '../support/defined.js';

const ROUND = 'default';
const K = 5;
const SHOTS = path.join(REPO_ROOT, 'test-output', 'e2e');
const SCREENSHOT = path.join(SHOTS, 'digest-channel.png');
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

type Json = Record<string, unknown>;

/** Every element of a card body, depth first (Container items, ColumnSet columns, Column items, Table rows and cells). */
function elementsOf(card: Json | undefined): Json[] {
  const out: Json[] = [];
  const walk = (list: unknown): void => {
    for (const e of Array.isArray(list) ? (list as Json[]) : []) {
      if (!e || typeof e !== 'object') continue;
      out.push(e);
      walk(e.items);
      walk(e.columns);
      walk(e.rows);
      walk(e.cells);
    }
  };
  walk(card?.body);
  return out;
}

function factsOf(card: Json | undefined): Record<string, string> {
  const facts: Record<string, string> = {};
  for (const e of elementsOf(card))
    if (e.type === 'FactSet')
      for (const f of (e.facts ?? []) as { title: string; value: string }[]) facts[f.title] = f.value;
  return facts;
}

const textsOf = (card: Json | undefined): string[] =>
  elementsOf(card)
    .filter((e) => e.type === 'TextBlock')
    .map((e) => String(e.text));

/** The Wijzer stamps of a card's Action.Submit buttons. */
function stampsOf(card: Json | undefined): { s: string; a: string; rd?: string }[] {
  const actions = (card?.actions ?? []) as { data?: { wz?: { s: string; a: string; rd?: string } } }[];
  return actions.map((a) => a.data?.wz).filter((w): w is NonNullable<typeof w> => Boolean(w));
}

const describeTurns = (messages: { text?: string; card?: Json }[]) =>
  JSON.stringify(messages.map((m) => m.text?.slice(0, 120) ?? `[card ${JSON.stringify(m.card).slice(0, 120)}]`));

describe('the Academie digest in a Teams channel (Agents Playground + Chromium)', () => {
  let rig: PlaygroundRig | undefined;
  let browser: Browser | undefined;
  let page: Page;
  const browserErrors: string[] = [];
  const journey = new Journey(20_000);
  const step = journey.step.bind(journey);
  let me: PlaygroundUser;
  let bot: { id: string; name: string };
  let channelId: string;
  let tenantId: string;
  let teamUsers: PlaygroundUser[];
  const postIds: string[] = [];
  let digestCards: BotMessage[] = [];
  const startedAt = Date.now();

  beforeAll(
    () =>
      journey.setUp(async () => {
        if (!existsSync(BOT_MAIN)) throw new Error(`${BOT_MAIN} is missing: run "npm run build" first.`);
        if (!existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM} (set CHROMIUM_PATH).`);
        await mkdir(SHOTS, { recursive: true });
        rig = await PlaygroundRig.startForResearcher({ SCHEDULER_INTERVAL_SEC: '1', OUTBOX_RATE_PER_SEC: '20' });
        ({ researcher: me, bot, tenantId, channelId, members: teamUsers } = rig.team);
      }),
    45_000,
  );

  afterAll(async () => {
    if (journey.failed && rig)
      console.log(`Digest e2e test failed: bot log, data and Playground log kept in ${rig.root}`);
    if (browser)
      await Promise.race([
        browser.close().catch(() => undefined),
        new Promise((resolve) => setTimeout(resolve, 5000).unref()),
      ]);
    await rig?.close({ keepFiles: journey.failed || process.env.WIJZER_KEEP_FILES === '1' });
    console.log(`digest e2e: ${((Date.now() - startedAt) / 1000).toFixed(1)} s in all`);
  }, 20_000);

  const mention = () => `<at>${bot.name}</at>`;

  /** Posts an @mention of the bot in the General channel as the researcher; returns the bot's replies in that thread. */
  async function research(command: string): Promise<ClientMessage[]> {
    const turn0 = rig!.relay.turns.length;
    const posted = await rig!.post<{ messageId: string; postConversationId: string }>(
      `/_conversation/v1/conversations/${channelId}/messages`,
      {
        from: { id: me.id },
        text: `${mention()} ${command}`,
        textFormat: 'plain',
        mentions: [{ mentioned: { id: bot.id }, text: mention() }],
      },
    );
    postIds.push(posted.postConversationId);
    await rig!.turnDone(
      `the bot handled "${command}"`,
      turn0,
      (turn) => turn.activity.conversation?.id === posted.postConversationId,
    );
    const replies = (): ClientMessage[] =>
      rig!.client.filter(
        (m) =>
          m.action === 'createMessage' &&
          m.conversationId === posted.postConversationId &&
          m.messageId !== posted.messageId,
      );
    await until(`a reply to "${command}" in the channel`, () => replies().length > 0, 5_000);
    return replies();
  }

  const chatOf = (user: PlaygroundUser): string => {
    const chat = rig!.createdChats.find((c) => c.memberId === user.id);
    if (!chat) throw new Error(`no chat was opened with ${user.id}`);
    return chat.conversationId;
  };

  /**
   * Presses a card button as this user (the Playground's card submit route, which takes any member of the chat) and
   * waits until the bot answered with a new card, or (for the closing card's predecessor) with anything.
   */
  async function press(
    user: PlaygroundUser,
    card: BotMessage,
    value: Json,
    chatId = chatOf(user),
  ): Promise<BotMessage[]> {
    const mark = rig!.mark();
    const turn0 = rig!.relay.turns.length;
    await rig!.post('/_conversation/v1/submit', {
      conversation: { id: chatId },
      from: { id: user.id },
      replyToId: card.messageId,
      value,
    });
    await rig!.turnDone(
      `${user.id} pressed a button`,
      turn0,
      (turn) => turn.activity.conversation?.id === chatId && turn.activity.replyToId === card.messageId,
    );
    return until(
      `${user.id}: the bot's answer`,
      () => {
        const got = rig!.created(chatId, mark);
        return got.some((m) => m.card) ? got : undefined;
      },
      5_000,
      () => describeTurns(rig!.created(chatId, mark)),
    );
  }

  const lastCard = (messages: BotMessage[]): BotMessage | undefined => [...messages].reverse().find((m) => m.card);

  /** Answers the bot's cards with the card autopilot, from these replies on, until the interview is complete. */
  async function finish(
    user: PlaygroundUser,
    first: BotMessage[],
    autopilot: CardAutopilot,
    chatId = chatOf(user),
  ): Promise<void> {
    let replies = first;
    const kinds: string[] = [];
    for (let turns = 0; turns < 60; turns++) {
      const current = lastCard(replies);
      if (!current) throw new Error(`${user.id}: no card after ${kinds.join(' > ')}: ${describeTurns(replies)}`);
      const move = autopilot.respond(current.card);
      if (!move) return;
      kinds.push(move.kind);
      replies = await press(user, current, move.value, chatId);
    }
    throw new Error(`${user.id}: no closing card after ${kinds.join(' > ')}`);
  }

  /** The digest cards the bot posted to the General channel since a mark (all parts of it). */
  async function digestInChannel(mark: number): Promise<BotMessage[]> {
    const sentToChannel = () =>
      rig!.created(channelId, mark).filter((m) => m.card && textsOf(m.card).some((t) => /Wijzer-samenvatting/.test(t)));
    await until(
      'the digest cards in the General channel',
      () => {
        const cards = sentToChannel();
        if (!cards.length) return false;
        // All parts are there: the subtitle says "deel i van n", or there is one card only.
        const parts = /deel \d+ van (\d+)/.exec(textsOf(at(cards, 0, 'digest card').card).join(' '));
        return cards.length >= (parts ? Number(parts[1]) : 1);
      },
      15_000,
      () => describeTurns(rig!.sent.filter((m) => m.seq > mark)),
    );
    return sentToChannel();
  }

  step("the researcher registers the General channel for the default round's digests", async () => {
    const registered = at(await research(`digest here ${ROUND}`), 0, 'reply');
    expect(registered.text).toMatch(
      new RegExp(`^Dit kanaal krijgt de samenvattingen van ronde "${ROUND}": elke maandag om 09:00`),
    );
  });

  step(
    `${K} team members complete the default round's interview in their own 1:1 chats (card autopilot)`,
    async () => {
      const queued = at(await research(`invite ${ROUND} team`), 0, 'reply');
      expect(queued.text).toMatch(/\d+ nieuw/);
      expect(teamUsers.length).toBeGreaterThanOrEqual(K);
      await until(
        "an invitation card in every member's chat",
        () =>
          teamUsers.every((u) => {
            const chat = rig!.createdChats.find((c) => c.memberId === u.id);
            return (
              chat && rig!.created(chat.conversationId).some((m) => stampsOf(m.card).some((s) => s.s === 'invitation'))
            );
          }),
        15_000,
        () => `chats: ${JSON.stringify(rig!.createdChats)}; sent: ${describeTurns(rig!.sent)}`,
      );

      const completers = teamUsers.slice(0, K);
      await Promise.all(
        completers.map(async (user, n) => {
          // Different numbers of picked cards, so that the five sorts differ.
          const autopilot = new CardAutopilot({ seed: 11 + n, choices: 'random', pickCount: 10 + 2 * n });
          const invitation = rig!
            .created(chatOf(user))
            .find((m) => stampsOf(m.card).some((s) => s.s === 'invitation'))!;
          const start = ((invitation.card!.actions ?? []) as { data?: Json & { wz?: { a: string } } }[]).find(
            (a) => a.data?.wz?.a === 'start',
          )!.data!;
          await finish(user, await press(user, invitation, start), autopilot);
        }),
      );

      const status = at(await research(`status ${ROUND}`), 0, 'reply');
      expect(factsOf(status.card).Afgerond).toBe(String(K));
    },
    40_000,
  );

  /**
   * Opens the Playground in Chromium on the General channel. Only now: the web client knows only the posts it made
   * itself, and a bot reply in a thread it does not know (the researcher's HTTP posts above) is a saga error there.
   */
  async function openChannel(): Promise<void> {
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    const context = await browser.newContext({
      locale: 'nl-NL',
      timezoneId: 'Europe/Amsterdam',
      viewport: { width: 1280, height: 2400 },
    });
    page = await context.newPage();
    page.on('console', (m) => {
      if (process.env.DIGEST_DEBUG || m.text().includes('Saga error')) browserErrors.push(m.text().slice(0, 300));
    });
    await page.goto(rig!.playgroundUrl);
    await page.getByRole('treeitem', { name: 'My Team - General' }).first().click();
    await page.getByText('Start a new post').first().waitFor({ timeout: 15_000 });
  }

  /** Writes a new post in the channel with an @mention of the bot, through the web client's compose box. */
  async function postInChannel(command: string): Promise<void> {
    const box = page.locator('[contenteditable="true"][role="textbox"]').first();
    await box.click();
    await box.pressSequentially(`@${bot.name.split(' ')[0]}`);
    await page
      .getByRole('listbox', { name: 'Typeahead menu' })
      .getByText(bot.name, { exact: true })
      .first()
      .click({ timeout: 5_000 });
    await box.pressSequentially(` ${command}`);
    await page
      .getByRole('button', { name: /^(Post|Send Message)$/ })
      .first()
      .click({ timeout: 5_000 });
  }

  step(
    '"digest default", posted in the General channel in the browser, brings the digest: counts, tables, heatmap, no identity',
    async () => {
      await openChannel();
      const mark = rig!.mark();
      const turn0 = rig!.relay.turns.length;
      await postInChannel(`digest ${ROUND}`);
      const turn = await rig!.turnDone(
        'the bot handled "digest default" from the browser',
        turn0,
        (t) => t.activity.type === 'message' && /digest default/.test(t.activity.text ?? ''),
      );
      expect(turn.activity.from?.id).toBe(me.id);
      postIds.push(String(turn.activity.conversation?.id));
      const queued = await until(
        'the answer to "digest default"',
        () => rig!.sent.find((m) => m.seq > mark && m.conversationId === turn.activity.conversation?.id && m.text),
        5_000,
      );
      expect(queued.text).toBe(researcherText('nl', 'digestQueued', { id: ROUND }));
      // Channel root messages (the digest starts a new thread): the conversation is the channel itself.
      digestCards = await digestInChannel(mark);
      expect(digestCards.every((m) => m.statusCode >= 200 && m.statusCode < 300)).toBe(true);

      const all = digestCards.map((m) => m.card!);
      const facts = Object.assign({}, ...all.map(factsOf)) as Record<string, string>;
      expect(facts.Afgerond).toMatch(new RegExp(`^${K}\\b`));
      const texts = all.flatMap(textsOf);
      // Above k: the details are there (below k the card holds the response only).
      expect(texts.join('\n')).not.toMatch(/Nog minder dan \d+ afgeronde interviews/);
      expect(texts.some((t) => t.startsWith('Per cluster: '))).toBe(true);
      // The per-cluster tables are Adaptive Cards Tables, a header row first.
      const tables = all.flatMap(elementsOf).filter((e) => e.type === 'Table');
      expect(tables.length).toBeGreaterThan(0);
      const header = (at(at(tables, 0).rows as Json[], 0).cells as { items: { text: string }[] }[]).map(
        (c) => at(c.items, 0, 'cell item').text,
      );
      expect(header).toEqual(['Competentie', '−3', '−2', '−1', '0', '+1', '+2', '+3', 'n.g.']);
      const images = all.flatMap(elementsOf).filter((e) => e.type === 'Image');
      expect(images.length).toBeGreaterThan(0);
      for (const image of images) {
        expect(String(image.url)).toMatch(/^data:image\/png;base64,[A-Za-z0-9+/]+=*$/);
        expect(String(image.altText)).toMatch(/Heatmap/);
      }

      // Nobody's Teams identity in the cards.
      const shown = JSON.stringify(digestCards.map((m) => m.activity.attachments)).toLowerCase();
      const people = [me, ...rig!.config.users];
      const identities = people.flatMap((u) => [
        u.id,
        u.name,
        u.givenName,
        u.surname,
        u.userPrincipleName,
        u.email,
        u.aadObjectId,
      ]);
      const conversations = [
        rig!.config.personalChat.id,
        ...rig!.createdChats.map((c) => c.conversationId),
        ...postIds,
      ];
      const leaks = [...identities, tenantId, ...conversations].filter(
        (needle) => needle && shown.includes(needle.toLowerCase()),
      );
      expect(leaks).toEqual([]);
    },
    30_000,
  );

  step('the browser shows the digest card in "My Team - General", with the heatmap rendered', async () => {
    const card = page.locator('.ac-adaptiveCard').filter({ hasText: 'Wijzer-samenvatting' }).first();
    try {
      await card.waitFor({ timeout: 15_000 });
    } catch (err) {
      await page
        .screenshot({ path: path.join(SHOTS, 'digest-channel-failed.png'), fullPage: true })
        .catch(() => undefined);
      const pushed = rig!.client
        .filter((m) => m.card && JSON.stringify(m.card).includes('Wijzer-samenvatting'))
        .map((m) => ({ action: m.action, conv: m.conversationId, post: m.postConversationId }));
      const bubbles = (
        await page
          .locator('.fai-OutputCard')
          .allInnerTexts()
          .catch(() => [] as string[])
      )
        .slice(-4)
        .map((t) => t.replace(/\s+/g, ' ').slice(0, 200));
      throw new Error(
        `No digest card in the browser (screenshot digest-channel-failed.png). Pushed to clients: ${JSON.stringify(pushed)}; last bubbles: ${JSON.stringify(bubbles)}; browser errors: ${JSON.stringify(browserErrors)}\n${(err as Error).message}`,
        { cause: err },
      );
    }
    const cards = page.locator('.ac-adaptiveCard').filter({ hasText: 'Wijzer-samenvatting' });
    const image = cards.locator('img[src^="data:image/png"]').first();
    try {
      await image.waitFor({ timeout: 10_000 });
    } catch (err) {
      await page
        .screenshot({ path: path.join(SHOTS, 'digest-channel-failed.png'), fullPage: true })
        .catch(() => undefined);
      const imgs = await page
        .locator('.ac-adaptiveCard img')
        .evaluateAll((list) =>
          list.map((i) => `${(i as HTMLImageElement).src.slice(0, 40)} ${(i as HTMLImageElement).naturalWidth}`),
        )
        .catch(() => []);
      throw new Error(
        `No heatmap image in the digest cards (${await cards.count()} cards; images: ${JSON.stringify(imgs)}; browser errors: ${JSON.stringify(browserErrors)})\n${(err as Error).message}`,
        { cause: err },
      );
    }
    await until(
      'the heatmap image decoded',
      () => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0),
      10_000,
    );
    const natural = await image.evaluate((img: HTMLImageElement) => ({
      w: img.naturalWidth,
      h: img.naturalHeight,
      shown: img.getBoundingClientRect().width,
    }));
    expect(natural.w).toBeGreaterThan(0);
    expect(natural.shown).toBeGreaterThan(0);
    // The card with the heatmap is the first part: the response (5 completed) and the chart.
    const first = cards.filter({ has: page.locator('img[src^="data:image/png"]') }).first();
    await expect(first.innerText()).resolves.toMatch(/Afgerond\s*5\b/);
    await expect(cards.count()).resolves.toBe(digestCards.length);
    // The longest competency name is shown whole (it wraps in its table cell), not cut.
    const all = (await cards.allInnerTexts()).join('\n').replace(/\s+/g, ' ');
    expect(all).toContain('Kennis over geweld in afhankelijkheidsrelaties met betrekking tot kinderen en jongeren');
    await first.evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    // The chart as shown, at the browser's own scale (a clip does not resize the page).
    const box = await image.boundingBox();
    if (box) await page.screenshot({ path: path.join(SHOTS, 'digest-heatmap.png'), clip: box });
    expect(existsSync(SCREENSHOT)).toBe(true);
  });

  step(
    'one more interview and a digest on demand: the channel learns the new count, and no detail it could subtract',
    async () => {
      // The researcher (the Playground's current user) takes part in the open round in their own 1:1 chat.
      const chatId = rig!.config.personalChat.id;
      const mark0 = rig!.mark();
      const turn0 = rig!.relay.turns.length;
      await rig!.post(`/_conversation/v1/conversations/${chatId}/messages`, {
        from: { id: me.id },
        text: 'hallo',
        textFormat: 'plain',
      });
      await rig!.turnDone('the bot handled "hallo"', turn0, (t) => t.activity.conversation?.id === chatId);
      const welcome = await until(
        "the welcome card in the researcher's chat",
        () => {
          const got = rig!.created(chatId, mark0);
          return got.some((m) => m.card) ? got : undefined;
        },
        5_000,
        () => describeTurns(rig!.created(chatId, mark0)),
      );
      await finish(me, welcome, new CardAutopilot({ seed: 99, choices: 'random', pickCount: 12 }), chatId);
      const status = at(await research(`status ${ROUND}`), 0, 'reply');
      expect(factsOf(status.card).Afgerond).toBe(String(K + 1));

      const mark = rig!.mark();
      await research(`digest ${ROUND}`);
      const second = (await digestInChannel(mark)).map((m) => m.card!);
      const texts = second.flatMap(textsOf).join('\n');
      expect(Object.assign({}, ...second.map(factsOf)).Afgerond).toMatch(new RegExp(`^${K + 1}\\b`));
      expect(texts).toContain(`Nieuwe details bij ${2 * K} afgeronde interviews`);
      // Nothing of the details: no table, no chart, no ranking, no quote.
      const elements = second.flatMap(elementsOf);
      expect(elements.filter((e) => e.type === 'Table' || e.type === 'Image')).toEqual([]);
      expect(texts).not.toMatch(/Per cluster|Sluit het best aan|Aandacht in het WIJ-team|“/);
    },
    40_000,
  );
});
