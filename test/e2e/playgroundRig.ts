/**
 * A browserless rig around Microsoft's Agents Playground for end-to-end tests: the built bot as a child process,
 * the Playground (the mocked Teams client and Bot Connector) as another, and a relay between them, all offline in
 * one temporary folder. The test talks to the Playground over HTTP and reads what the bot sent from its two
 * WebSocket streams:
 *
 *  - the conversation stream (`/_ws_conversation/v1/conversations/stream`) is what the Teams web client renders.
 *    It only carries chats the Playground's current user is in: the Playground drops messages to other users'
 *    1:1 chats (`ConversationWebSocket.isOtherUserChat`), so invitations to team members never appear there;
 *  - the log stream (`/_ws/log/stream`, the web client's Log Panel) carries every Bot Connector request the bot
 *    made, for every conversation, with the request body (the activity, cards included) and the response body
 *    (the message id a card submit must name in `replyToId`). It is the way to see other users' chats.
 *
 * The relay (bot endpoint as the Playground sees it) sets the activity locale to nl-NL, as a Teams client set to
 * Dutch would (the Playground hard-codes en-US), and records each turn and when the bot finished it: the
 * Playground's HTTP APIs answer before the bot has handled the activity, the relay knows when it has.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, createWriteStream, mkdirSync, openSync, type WriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import WebSocket from 'ws';
import { freePort } from '../../scripts/support/freePort.js';
import { LocaleRelay, type RelayTurn } from '../../scripts/support/localeRelay.js';
import { BOT_MAIN, PLAYGROUND_CLI, REPO_ROOT, type PlaygroundTestConfig, type PlaygroundUser } from './harness.js';
import { at } from '../support/defined.js';

export type { PlaygroundTestConfig, PlaygroundUser };

/** Polls until check() returns a value other than undefined/false; throws with describe() after the timeout. */
export async function until<T>(
  what: string,
  check: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 10_000,
  describe: () => string = () => '',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) {
      const extra = describe();
      throw new Error(`${what}: not after ${timeoutMs} ms${extra ? `\n${extra}` : ''}`);
    }
    await sleep(25);
  }
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

async function stop(child: ChildProcess | undefined, graceMs = 3000): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited(child);
  clearTimeout(timer);
}

type Json = Record<string, unknown>;

/** One activity the Playground posted to the bot, and how the bot answered it. */
export type Turn = RelayTurn;

/** A message the bot sent (or changed) in a conversation, as the Playground's log stream reported it. */
export interface BotMessage {
  seq: number;
  conversationId: string;
  messageId: string;
  /** create: a new message; update: the bot replaced an earlier one (PUT). */
  kind: 'create' | 'update';
  text?: string;
  card?: Json;
  activity: Json;
  statusCode: number;
}

/** What the web client was told to render (the conversation stream). */
export interface ClientMessage {
  seq: number;
  action: string;
  conversationId: string;
  postConversationId?: string;
  messageId: string;
  text?: string;
  card?: Json;
}

const ADAPTIVE = 'application/vnd.microsoft.card.adaptive';
function cardOf(attachments: unknown): Json | undefined {
  const list = Array.isArray(attachments) ? (attachments as Json[]) : [];
  const found = list.find((a) => a && a.contentType === ADAPTIVE);
  return found && typeof found.content === 'object' ? (found.content as Json) : undefined;
}

export interface RigOptions {
  env?: Record<string, string>;
  /** The activity locale the bot sees. */
  locale?: string;
  /** The researchers, from the Playground's test config (the bot starts after the Playground). */
  researchers?: (config: PlaygroundTestConfig) => string[];
}

/** A team of the Playground's test config: its channels, and its members as user ids. */
interface PlaygroundTeam {
  id: string;
  name: string;
  channels: { id: string; name: string }[];
  members: string[];
}

/** Where the researcher works: the first team's General channel, and the team's members. */
export interface ResearchTeam {
  researcher: PlaygroundUser;
  bot: { id: string; name: string };
  tenantId: string;
  channelId: string;
  members: PlaygroundUser[];
}

export class PlaygroundRig {
  readonly dataDir: string;
  readonly keyDir: string;
  readonly botLog: string;
  readonly playgroundLog: string;
  botPort = 0;
  playgroundPort = 0;
  config!: PlaygroundTestConfig;
  relay!: LocaleRelay;
  /** Every Bot Connector request of the bot, in order (log stream). */
  readonly sent: BotMessage[] = [];
  /** createConversation calls: the member's id and the conversation id the Playground gave back. */
  readonly createdChats: { memberId: string; conversationId: string; statusCode: number }[] = [];
  /** Other connector requests (roster, team details...): activity name and status. */
  readonly otherRequests: { name: string; statusCode: number; conversationId?: string }[] = [];
  readonly client: ClientMessage[] = [];
  private seq = 0;
  private bot?: ChildProcess;
  private playground?: ChildProcess;
  private sockets: WebSocket[] = [];
  private playgroundOut?: WriteStream;
  private readonly knownIds = new Set<string>();

  private constructor(readonly root: string) {
    this.dataDir = path.join(root, 'data');
    this.keyDir = path.join(root, 'keys');
    this.botLog = path.join(root, 'bot.log');
    this.playgroundLog = path.join(root, 'devTools', 'm365agentsplayground.log');
  }

  static async start(options: RigOptions = {}): Promise<PlaygroundRig> {
    const rig = new PlaygroundRig(await mkdtemp(path.join(os.tmpdir(), 'wijzer-e2e-')));
    try {
      rig.botPort = await freePort();
      rig.relay = new LocaleRelay(() => rig.botPort, options.locale ?? 'nl-NL');
      await rig.relay.start();
      await rig.startPlayground();
      rig.config = await rig.get<{ config: PlaygroundTestConfig }>('/_internal/v1/testConfig').then((r) => r.config);
      await rig.openStreams();
      await rig.startBot({
        ...(options.env ?? {}),
        ...(options.researchers ? { RESEARCHER_IDS: options.researchers(rig.config).join(',') } : {}),
      });
      return rig;
    } catch (err) {
      await rig.close({ keepFiles: true });
      throw new Error(`${(err as Error).message}\n(logs kept in ${rig.root})`, { cause: err });
    }
  }

  /** In Dutch, with the Playground's current user as the one researcher. */
  static startForResearcher(env: Record<string, string>): Promise<PlaygroundRig> {
    return PlaygroundRig.start({ locale: 'nl-NL', researchers: (config) => [config.currentUser.aadObjectId], env });
  }

  get team(): ResearchTeam {
    const config = this.config as PlaygroundTestConfig & { teams: PlaygroundTeam[] };
    const team = at(config.teams, 0, 'Playground team');
    return {
      researcher: config.currentUser,
      bot: config.bot,
      tenantId: config.tenantId,
      channelId: team.channels.find((c) => c.name === 'General')!.id,
      members: team.members.map((id) => config.users.find((u) => u.id === id)!),
    };
  }

  get botUrl(): string {
    return `http://127.0.0.1:${this.botPort}`;
  }
  get playgroundUrl(): string {
    return `http://127.0.0.1:${this.playgroundPort}`;
  }

  private async startPlayground(): Promise<void> {
    mkdirSync(path.dirname(this.playgroundLog), { recursive: true });
    const args = [
      PLAYGROUND_CLI,
      'start',
      '-e',
      `http://127.0.0.1:${this.relay.port}/api/messages`,
      '-c',
      'msteams',
      '--dt',
      '-p',
      String(await freePort()),
    ];
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      APPLICATION_INSIGHTS_NO_STATSBEAT: '1',
      TEAMSAPPTESTER_BROWSER: 'none',
      M365_AGENTS_PLAYGROUND_LOGFILE: this.playgroundLog,
    };
    delete env.NODE_OPTIONS;
    delete env.M365_AGENTS_PLAYGROUND_CONFIG_PATH;
    const child = spawn(process.execPath, args, { cwd: this.root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(child);
    child.once('exit', () => running.delete(child));
    this.playground = child;
    this.playgroundOut = createWriteStream(path.join(this.root, 'playground.out'));
    let output = '';
    let failure = '';
    const collect = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      this.playgroundOut?.write(chunk);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.once('exit', (code, signal) => {
      failure = `the Playground exited (${code ?? signal}): ${output.trim().slice(-500)}`;
    });
    const port = await until(
      'Playground start',
      () => (failure ? Promise.reject(new Error(failure)) : /Listening on (\d+)/.exec(output)?.[1]),
      20_000,
    );
    this.playgroundPort = Number(port);
    await until(
      'Playground HTTP',
      async () =>
        (await fetch(`${this.playgroundUrl}/_internal/v1/testConfig`)
          .then((r) => r.ok)
          .catch(() => false)) || (failure ? Promise.reject(new Error(failure)) : false),
      15_000,
    );
  }

  private async openStreams(): Promise<void> {
    const open = (route: string, onMessage: (data: Json) => void) =>
      new Promise<void>((resolve, reject) => {
        const ws = new WebSocket(`ws://127.0.0.1:${this.playgroundPort}${route}`);
        this.sockets.push(ws);
        ws.on('open', () => resolve());
        ws.on('error', reject);
        ws.on('message', (raw) => {
          try {
            onMessage(JSON.parse(raw.toString()) as Json);
          } catch {
            /* not JSON */
          }
        });
      });
    await open('/_ws/log/stream', (data) => this.onLog(data));
    await open('/_ws_conversation/v1/conversations/stream', (data) => this.onClient(data));
  }

  private onLog(data: Json): void {
    const log = data.log as Json | undefined;
    if (!log || log.type !== 'bot' || log.from !== 'User Application') return;
    const request = ((log.request as Json | undefined)?.body ?? {}) as Json;
    const response = (log.response ?? {}) as { statusCode?: number; body?: Json };
    const name = String(log.activityName ?? '');
    const statusCode = Number(response.statusCode ?? 0);
    if (name === 'createConversation') {
      const members = (request.members ?? []) as { id: string }[];
      this.createdChats.push({
        memberId: members[0]?.id ?? '',
        conversationId: String(response.body?.id ?? ''),
        statusCode,
      });
      return;
    }
    if (name !== 'message') {
      this.otherRequests.push({ name, statusCode, conversationId: log.conversationId as string | undefined });
      return;
    }
    const messageId = String(response.body?.id ?? '');
    const kind = messageId && this.knownIds.has(messageId) ? 'update' : 'create';
    if (messageId) this.knownIds.add(messageId);
    this.sent.push({
      seq: ++this.seq,
      conversationId: String((request.conversation as Json | undefined)?.id ?? log.conversationId ?? ''),
      messageId,
      kind,
      text: typeof request.text === 'string' ? request.text : undefined,
      card: cardOf(request.attachments),
      activity: request,
      statusCode,
    });
  }

  private onClient(data: Json): void {
    const message = data.message as Json | undefined;
    if (!message) return;
    this.client.push({
      seq: ++this.seq,
      action: String(data.action),
      conversationId: String(data.actionConversationId ?? ''),
      postConversationId: message.postConversationId as string | undefined,
      messageId: String(message.messageId ?? ''),
      text: typeof message.text === 'string' ? message.text : undefined,
      card: cardOf(message.attachments),
    });
  }

  /** The current sequence number: messages after it are "new". */
  mark(): number {
    return this.seq;
  }

  /** New messages the bot created in a conversation since a mark (updates of earlier cards left out). */
  created(conversationId: string, since = 0): BotMessage[] {
    return this.sent.filter((m) => m.seq > since && m.kind === 'create' && m.conversationId === conversationId);
  }

  /** Stops the bot gracefully (SIGTERM), leaving the Playground running: for a restart with startBot. */
  async stopBot(): Promise<void> {
    await stop(this.bot);
    this.bot = undefined;
  }

  async startBot(extraEnv: Record<string, string> = {}): Promise<void> {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PORT: String(this.botPort),
      DATA_DIR: this.dataDir,
      KEY_DIR: this.keyDir,
      CONTENT_DIR: REPO_ROOT,
      WIJZER_LOCAL: '1',
      ...extraEnv,
    };
    for (const name of [
      'MicrosoftAppId',
      'MicrosoftAppPassword',
      'MicrosoftAppType',
      'MicrosoftAppTenantId',
      'PSEUDONYM_SECRET',
      'ALLOWED_TENANT_IDS',
      'WIJZER_QUIET',
      'NODE_OPTIONS',
      'PUBLIC_URL',
    ])
      if (!(name in extraEnv)) delete env[name];
    const fd = openSync(this.botLog, 'a');
    const bot = spawn(process.execPath, [BOT_MAIN], { cwd: REPO_ROOT, env, stdio: ['ignore', fd, fd] });
    closeSync(fd);
    running.add(bot);
    bot.once('exit', () => running.delete(bot));
    this.bot = bot;
    let failure = '';
    bot.once('exit', (code, signal) => {
      failure = `the bot exited (${code ?? signal}) during start-up; see ${this.botLog}`;
    });
    await until(
      'bot /healthz',
      async () => {
        if (failure) throw new Error(failure);
        return fetch(`${this.botUrl}/healthz`, { signal: AbortSignal.timeout(2000) })
          .then((r) => r.ok)
          .catch(() => false);
      },
      15_000,
    );
  }

  async get<T>(route: string): Promise<T> {
    const res = await fetch(`${this.playgroundUrl}${route}`);
    if (!res.ok) throw new Error(`GET ${route}: HTTP ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  }

  async post<T = unknown>(route: string, body: unknown): Promise<T> {
    const res = await fetch(`${this.playgroundUrl}${route}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`POST ${route}: HTTP ${res.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** Waits until the bot has finished a turn the Playground posted after `fromTurn` that matches. */
  async turnDone(what: string, fromTurn: number, match: (t: Turn) => boolean, timeoutMs = 10_000): Promise<Turn> {
    const turn = await until(
      what,
      () => this.relay.turns.find((t) => t.n >= fromTurn && t.done && match(t)),
      timeoutMs,
      () =>
        `turns since ${fromTurn}: ${JSON.stringify(this.relay.turns.slice(fromTurn).map((t) => ({ type: t.activity.type, conv: t.activity.conversation?.id, from: t.activity.from?.id, text: t.activity.text, status: t.status, done: t.done })))}`,
    );
    if (turn.status !== 200) throw new Error(`${what}: the bot answered HTTP ${turn.status}`);
    return turn;
  }

  /** Stops everything; removes the folder unless keepFiles. */
  async close(options: { keepFiles?: boolean } = {}): Promise<void> {
    for (const ws of this.sockets) ws.terminate();
    this.sockets = [];
    await Promise.all([stop(this.bot), stop(this.playground)]);
    this.bot = undefined;
    this.playground = undefined;
    await this.relay?.close();
    await new Promise<void>((resolve) => (this.playgroundOut ? this.playgroundOut.end(resolve) : resolve()));
    if (!options.keepFiles) await rm(this.root, { recursive: true, force: true });
  }
}
