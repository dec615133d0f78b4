/**
 * End-to-end harness: the built bot as a child process, Microsoft's Agents Playground (the Teams-like web client
 * and mocked Bot Connector) and headless Chromium, all offline, all in one fresh temporary folder.
 *
 *   <root>/data        DATA_DIR of the bot
 *   <root>/keys        KEY_DIR of the bot
 *   <root>/bot.log     the bot's stdout and stderr (appended across restarts)
 *   <root>/devTools/   the Playground's own log (its working directory is <root>)
 *
 * The Playground sends every activity it generates with `locale: "en-US"` (hard-coded in its server, whatever the
 * browser's language; conversationUpdate carries no locale at all). To test the bot as a participant whose Teams
 * client is set to Dutch, the harness can put a small relay between the Playground and the bot that sets the
 * activity's `locale` (and the clientInfo entity's) to the wanted one; it keeps what the Playground sent in
 * `relay.turns`. The relay keeps nothing on disk.
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync, type WriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { freePort } from '../../scripts/support/freePort.js';
import { LocaleRelay } from '../../scripts/support/localeRelay.js';
import { exited, isRunning, signal, stopChild } from '../support/children.js';
import { BOT_MAIN } from '../../scripts/support/botProcess.js';
import { RunFolder, startLocalBot, startPlayground } from './processes.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface HarnessOptions {
  /** The activity locale the bot should see (the relay sets it); undefined: what the Playground sends, unchanged. */
  locale?: string;
  /** The browser's locale (navigator.language, Accept-Language). */
  browserLocale?: string;
  /** Ask the Playground to record every request it sends and receives to <root>/devTools/events_recording_*.log. */
  recordEvents?: boolean;
  /** The browser's time zone (the Playground shows message times in it). */
  timezoneId?: string;
  viewport?: { width: number; height: number };
}

export class Harness extends RunFolder {
  relay?: LocaleRelay;
  browser?: Browser;
  context?: BrowserContext;
  page?: Page;
  private bot?: ChildProcess;
  private playground?: ChildProcess;
  private playgroundOut?: WriteStream;

  private constructor(
    root: string,
    private readonly options: HarnessOptions,
  ) {
    super(root);
  }

  /** Starts everything (bot, relay, Playground, browser); on a failure part-way, stops what did start. */
  static async start(options: HarnessOptions = {}): Promise<Harness> {
    if (!existsSync(BOT_MAIN))
      throw new Error(`${BOT_MAIN} is missing: run "npm run build" before the end-to-end test.`);
    if (!existsSync(CHROMIUM))
      throw new Error(`No Chromium at ${CHROMIUM} (set CHROMIUM_PATH); the end-to-end test never downloads a browser.`);
    const harness = new Harness(await mkdtemp(path.join(os.tmpdir(), 'wijzer-e2e-')), options);
    try {
      harness.botPort = await freePort();
      await harness.startBot();
      if (options.locale) {
        harness.relay = new LocaleRelay(() => harness.botPort, options.locale);
        await harness.relay.start();
      }
      await harness.startPlayground();
      await harness.launchBrowser();
      return harness;
    } catch (err) {
      await harness.close({ keepFiles: true });
      throw new Error(`${(err as Error).message}\n(logs kept in ${harness.root})`, { cause: err });
    }
  }

  /** Starts (or restarts) the bot on this harness's port and folders, and waits for /healthz. */
  async startBot(): Promise<void> {
    if (this.bot && isRunning(this.bot)) throw new Error('the bot is already running');
    this.bot = await startLocalBot({
      port: this.botPort,
      dataDir: this.dataDir,
      keyDir: this.keyDir,
      log: this.botLog,
    });
  }

  /** Kills the bot hard, as a crash would: SIGKILL, no chance to flush or close. */
  async killBot(): Promise<void> {
    const bot = this.bot;
    if (!bot) return;
    signal(bot, 'SIGKILL');
    await exited(bot);
    this.bot = undefined;
  }

  async restartBot(): Promise<void> {
    await this.killBot();
    await this.startBot();
  }

  private async startPlayground(): Promise<void> {
    const endpointPort = this.relay?.port ?? this.botPort;
    const playground = await startPlayground({
      root: this.root,
      log: this.playgroundLog,
      endpoint: `http://127.0.0.1:${endpointPort}/api/messages`,
      recordEvents: this.options.recordEvents,
    });
    this.playground = playground.child;
    this.playgroundOut = playground.out;
    this.playgroundPort = playground.port;
  }

  private async launchBrowser(): Promise<void> {
    this.browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    const locale = this.options.browserLocale ?? this.options.locale;
    this.context = await this.browser.newContext({
      locale,
      timezoneId: this.options.timezoneId,
      viewport: this.options.viewport ?? { width: 1280, height: 900 },
    });
    this.page = await this.context.newPage();
  }

  /** The Playground's test configuration: users, chats, team. */
  async testConfig(): Promise<PlaygroundTestConfig> {
    const res = await fetch(`${this.playgroundUrl}/_internal/v1/testConfig`);
    return ((await res.json()) as { config: PlaygroundTestConfig }).config;
  }

  /** Stops everything that was started, whatever state it is in. Removes the folder unless keepFiles. */
  async close(options: { keepFiles?: boolean } = {}): Promise<void> {
    const steps: Promise<unknown>[] = [];
    if (this.browser) {
      const browser = this.browser;
      this.browser = undefined;
      let timer: NodeJS.Timeout | undefined;
      steps.push(
        Promise.race([
          browser.close().catch(() => undefined),
          new Promise<void>((resolve) => {
            timer = setTimeout(resolve, 5000);
          }),
        ]).finally(() => clearTimeout(timer)),
      );
    }
    steps.push(stopChild(this.playground));
    steps.push(stopChild(this.bot));
    await Promise.all(steps);
    this.playground = undefined;
    this.bot = undefined;
    await this.relay?.close();
    await new Promise<void>((resolve) => (this.playgroundOut ? this.playgroundOut.end(resolve) : resolve()));
    if (!options.keepFiles) await rm(this.root, { recursive: true, force: true });
  }
}

export interface PlaygroundUser {
  id: string;
  name: string;
  userPrincipleName: string;
  aadObjectId: string;
  givenName: string;
  surname: string;
  email: string;
}

/** Everything that identifies a Playground user: ids, names, UPN, e-mail address. */
export function identityOf(user: PlaygroundUser): string[] {
  const { id, name, givenName, surname, userPrincipleName, email, aadObjectId } = user;
  return [id, name, givenName, surname, userPrincipleName, email, aadObjectId];
}

export interface PlaygroundTestConfig {
  tenantId: string;
  bot: { id: string; name: string };
  currentUser: PlaygroundUser;
  users: PlaygroundUser[];
  personalChat: { id: string; name: string };
}

/** How the bot answered a pressed card (see Chat.expectCard). */
export interface CardAnswer {
  /** The card that shows the answer: the pressed card's own place in its message, or the newest card. */
  card: Locator;
  /** The answer replaced the pressed card in its message (an invoke-response card). */
  inPlace: boolean;
  /** Cards the press added to the chat. */
  newCards: number;
  /** Bubbles the press added: the Playground shows a message's text and its card as two bubbles. */
  newBubbles: number;
}

/** A participant's view of the Playground's personal chat with the bot. */
export class Chat {
  constructor(readonly page: Page) {}

  /** Bot and user message bubbles (cards included). */
  get bubbles(): Locator {
    return this.page.locator('.fai-OutputCard');
  }

  get cards(): Locator {
    return this.page.locator('.ac-adaptiveCard');
  }

  /** The most recent Adaptive Card in the chat. */
  lastCard(): Locator {
    return this.cards.last();
  }

  async open(url: string): Promise<void> {
    await this.page.goto(url);
    await this.page.getByRole('treeitem', { name: 'Personal Chat' }).first().click();
    await this.composeBox.waitFor();
  }

  /** The compose box (a Lexical contenteditable); cards' text inputs are textboxes too, so not getByRole alone. */
  get composeBox(): Locator {
    return this.page.locator('[contenteditable="true"][role="textbox"]').first();
  }

  /** Types a message into the chat and sends it. */
  async send(text: string): Promise<void> {
    const box = this.composeBox;
    await box.click();
    await box.pressSequentially(text);
    await box.press('Enter');
  }

  /** Waits until the n-th card (1-based) is in the chat. */
  async waitForCards(n: number, timeout = 15000): Promise<void> {
    await this.cards.nth(n - 1).waitFor({ state: 'attached', timeout });
  }

  /**
   * Runs an action and waits for the bot to answer it with a new card whose text matches `expect`:
   * the last card must be a different, newer one than before.
   */
  async expectNewCard(action: () => Promise<unknown>, expect: RegExp | string, timeout = 15000): Promise<Locator> {
    const before = await this.cards.count();
    await action();
    const card = this.lastCard();
    try {
      await this.waitForCards(before + 1, timeout);
      await card.filter({ hasText: expect }).waitFor({ timeout });
    } catch (err) {
      throw new Error(
        `No new card with "${String(expect)}" (there were ${before} cards). The chat ends with:\n${await this.tail()}\n${(err as Error).message}`,
        { cause: err },
      );
    }
    return card;
  }

  /**
   * Presses a button on `pressed` (the `action`) and waits for the card the bot answers with, whichever way it
   * does: in place of the pressed card, in the same message (the card of the `adaptiveCard/action` invoke
   * response, which the Playground puts in that message's place), or as a new card message. In place means the
   * pressed card's text changed to one matching `expect`; new means a newer card that matches. The counts are
   * taken once the chat has been quiet for a moment, so that a message arriving just after the in-place answer is
   * counted.
   */
  async expectCard(
    pressed: Locator,
    action: () => Promise<unknown>,
    expect: RegExp | string,
    timeout = 15000,
  ): Promise<CardAnswer> {
    const index = await pressed.evaluate((el) => [...document.querySelectorAll('.ac-adaptiveCard')].indexOf(el));
    if (index < 0) throw new Error('the pressed card is not an Adaptive Card of the chat');
    const cardsBefore = await this.cards.count();
    const bubblesBefore = await this.bubbles.count();
    const before = await pressed.innerText();
    const pattern =
      typeof expect === 'string'
        ? { source: expect.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), flags: 'i' }
        : { source: expect.source, flags: expect.flags };
    await action();
    let how: 'in place' | 'new';
    try {
      const found = await this.page.waitForFunction(
        ({ index, cardsBefore, before, source, flags }) => {
          const re = new RegExp(source, flags);
          const text = (el: Element | undefined) => (el as HTMLElement | undefined)?.innerText ?? '';
          const matches = (el: Element | undefined) => re.test(text(el).replace(/\s+/g, ' '));
          const cards = [...document.querySelectorAll('.ac-adaptiveCard')];
          if (cards.length > cardsBefore && matches(cards.at(-1))) return 'new';
          const same = cards[index];
          if (same && text(same) !== before && matches(same)) return 'in place';
          return false;
        },
        { index, cardsBefore, before, ...pattern },
        { timeout, polling: 100 },
      );
      how = (await found.jsonValue()) as typeof how;
    } catch (err) {
      throw new Error(
        `No card with "${String(expect)}", neither in place of the pressed card (card ${index + 1}) nor new (there were ${cardsBefore} cards). The chat ends with:\n${await this.tail()}\n${(err as Error).message}`,
        { cause: err },
      );
    }
    // Quiet: no bubble added for a moment.
    let bubblesAfter = await this.bubbles.count();
    for (let quiet = 0; quiet < 3;) {
      await this.page.waitForTimeout(100);
      const now = await this.bubbles.count();
      quiet = now === bubblesAfter ? quiet + 1 : 0;
      bubblesAfter = now;
    }
    const cardsAfter = await this.cards.count();
    return {
      card: how === 'in place' ? this.cards.nth(index) : this.lastCard(),
      inPlace: how === 'in place',
      newCards: cardsAfter - cardsBefore,
      newBubbles: bubblesAfter - bubblesBefore,
    };
  }

  /** The text of the last few bubbles, for failure messages. */
  async tail(n = 3): Promise<string> {
    const texts = await this.bubbles.allInnerTexts().catch(() => [] as string[]);
    return texts
      .slice(-n)
      .map((t) => `  > ${t.replace(/\s+/g, ' ').slice(0, 300)}`)
      .join('\n');
  }

  /** Waits for a bot text bubble that contains the text. */
  async waitForText(text: string | RegExp, timeout = 15000): Promise<void> {
    try {
      await this.bubbles.filter({ hasText: text }).last().waitFor({ timeout });
    } catch (err) {
      throw new Error(
        `No message with "${String(text)}". The chat ends with:\n${await this.tail()}\n${(err as Error).message}`,
        { cause: err },
      );
    }
  }
}
