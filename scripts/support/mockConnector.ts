import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ConversationReader, SentActivity } from './cardAutopilot.js';
import { defined } from '../../src/defined.js';

/**
 * A local stand-in for the Bot Connector service (Teams' serviceUrl), for benchmarks and tests.
 *
 * It implements what botbuilder's CloudAdapter calls when a bot replies (botframework-connector's
 * ConversationsOperations, used by CloudAdapterBase):
 *   POST /v3/conversations/:conversationId/activities               sendToConversation (no replyToId)
 *   POST /v3/conversations/:conversationId/activities/:activityId   replyToActivity (TurnContext sets replyToId)
 *   PUT  /v3/conversations/:conversationId/activities/:activityId   updateActivity (404 for an unknown id)
 *   POST /v3/conversations                                          createConversation (a proactive 1:1 chat)
 * and answers 200 {"id": ...}. It records, per conversation, the activities it received, with updates applied
 * the way Teams replaces a message, so that a simulated participant can read the last card it was sent, and counts
 * each conversation's calls. A card that the bot returned in an invoke response (Universal Actions) is put in place
 * with `replaceCard`, as the Teams client shows it, without counting as a call.
 * createConversation answers, like Teams, the same 1:1 conversation id every time for the same member.
 * It listens on 127.0.0.1 on a random port and never authenticates (local mode sends no token).
 *
 * With `rateLimit` it throttles as the Bot Connector does: past `perSec` accepted requests (all routes together)
 * in a sliding 1 s window it answers 429 with a `Retry-After` header, and neither records nor counts the request.
 */

export interface MockConnectorOptions {
  /** Keep at most this many activities per conversation (the oldest go first); all by default. */
  keepPerConversation?: number;
  /** Delay every answer by this many milliseconds, to model the real service's latency. Default 0. */
  latencyMs?: number;
  /** Throttle: at most `perSec` accepted requests in any 1 s window; the rest get 429. */
  rateLimit?: RateLimitOptions;
}

export interface RateLimitOptions {
  /** Accepted requests per sliding 1 s window, over all routes. */
  perSec: number;
  /** The `Retry-After` header of a 429, in seconds (default 1); null sends none. */
  retryAfterSec?: number | null;
}

export interface ReceivedRequest {
  method: string;
  path: string;
  status: number;
}

export interface MockConnectorStats {
  /** Every request, by "METHOD route", e.g. "POST reply". */
  byRoute: Record<string, number>;
  /** Requests that matched no route or were malformed: a bench should find none. */
  unexpected: ReceivedRequest[];
  /** TCP connections the bot opened: few when its HTTP client keeps connections alive. */
  connections: number;
  /** Requests answered 429 by the rate limit, in all and by "METHOD route". */
  throttled: number;
  throttledByRoute: Record<string, number>;
}

interface Conversation {
  sent: SentActivity[];
  ids: Set<string>;
  /** Requests the bot made for this conversation (sends, replies, updates). */
  calls: number;
}

const PREFIX = /^\/+v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?\/?$/;
const CONVERSATIONS = /^\/+v3\/conversations\/?$/;

async function bodyOf(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : undefined;
}

export class MockConnector implements ConversationReader {
  private readonly conversations = new Map<string, Conversation>();
  private seq = 0;
  private nextId = 0;
  /** When the accepted requests of the last second arrived (ms), oldest first, for the rate limit. */
  private recent: number[] = [];
  /** The member of each conversation createConversation opened. */
  private readonly members = new Map<string, string>();
  readonly stats: MockConnectorStats = {
    byRoute: {},
    unexpected: [],
    connections: 0,
    throttled: 0,
    throttledByRoute: {},
  };

  private constructor(
    private readonly server: Server,
    readonly url: string,
    private readonly options: MockConnectorOptions,
  ) {}

  /** Starts listening on 127.0.0.1:<random port>; `url` is the serviceUrl to put in activities. */
  static async start(options: MockConnectorOptions = {}): Promise<MockConnector> {
    let connector: MockConnector | undefined;
    const server = createServer({ keepAlive: true }, (req, res) => void connector!.handle(req, res));
    server.keepAliveTimeout = 30_000;
    server.on('connection', () => connector && connector.stats.connections++);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    connector = new MockConnector(server, `http://127.0.0.1:${port}/`, options);
    return connector;
  }

  private conversation(id: string): Conversation {
    let c = this.conversations.get(id);
    if (!c) {
      c = { sent: [], ids: new Set(), calls: 0 };
      this.conversations.set(id, c);
    }
    return c;
  }

  /** True when the rate limit lets this request through now (and counts it). */
  private admit(): boolean {
    const limit = this.options.rateLimit;
    if (!limit) return true;
    const now = performance.now();
    while (this.recent[0] !== undefined && this.recent[0] <= now - 1000) this.recent.shift();
    if (this.recent.length >= limit.perSec) return false;
    this.recent.push(now);
    return true;
  }

  private answer(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    const send = () => {
      const text = JSON.stringify(body);
      res.writeHead(status, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': Buffer.byteLength(text),
        ...headers,
      });
      res.end(text);
    };
    if (this.options.latencyMs) setTimeout(send, this.options.latencyMs);
    else send();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const [path = ''] = (req.url ?? '').split('?');
    const match = PREFIX.exec(path);
    const create = req.method === 'POST' && CONVERSATIONS.test(path);
    const route = create
      ? 'create'
      : !match
        ? null
        : req.method === 'POST'
          ? match[2]
            ? 'reply'
            : 'send'
          : req.method === 'PUT' && match[2]
            ? 'update'
            : null;
    const fail = (status: number, error: string) => {
      this.stats.unexpected.push({ method: req.method ?? '', path, status });
      this.answer(res, status, { error: { code: 'MockConnector', message: error } });
    };
    if (!route) {
      req.resume();
      return fail(404, `no such route: ${req.method} ${path}`);
    }
    if (!this.admit()) {
      req.resume();
      const key = `${req.method} ${route}`;
      this.stats.throttled++;
      this.stats.throttledByRoute[key] = (this.stats.throttledByRoute[key] ?? 0) + 1;
      const retryAfter = this.options.rateLimit?.retryAfterSec === undefined ? 1 : this.options.rateLimit.retryAfterSec;
      const body = { error: { code: 'TooManyRequests', message: 'The bot is sending too many messages.' } };
      return this.answer(res, 429, body, retryAfter === null ? {} : { 'retry-after': String(retryAfter) });
    }
    let activity: unknown;
    try {
      activity = await bodyOf(req);
    } catch {
      return fail(400, 'body is not JSON');
    }
    if (typeof activity !== 'object' || activity === null || Array.isArray(activity))
      return fail(400, 'body is not an activity');
    if (route === 'create') {
      // ConversationParameters: a 1:1 chat has exactly one member; Teams gives the same chat back every time.
      const members = (activity as { members?: { id?: unknown }[] }).members;
      const member =
        Array.isArray(members) && members.length === 1 && typeof members[0]?.id === 'string' ? members[0].id : null;
      if (!member) return fail(400, 'createConversation needs exactly one member with an id');
      this.stats.byRoute['POST create'] = (this.stats.byRoute['POST create'] ?? 0) + 1;
      const id = `a:1on1-${member}`;
      this.members.set(id, member);
      return this.answer(res, 200, { id });
    }
    this.stats.byRoute[`${req.method} ${route}`] = (this.stats.byRoute[`${req.method} ${route}`] ?? 0) + 1;
    const conversationId = decodeURIComponent(match![1] ?? '');
    const conversation = this.conversation(conversationId);
    conversation.calls++;
    const record = activity as Record<string, unknown>;

    if (route === 'update') {
      const id = decodeURIComponent(match![2] ?? '');
      if (!conversation.ids.has(id)) return fail(404, `no activity ${id} in conversation ${conversationId}`);
      this.putInPlace(conversation, id, record);
      return this.answer(res, 200, { id });
    }

    const id = `mock-${++this.nextId}`;
    conversation.ids.add(id);
    conversation.sent.push({ id, seq: ++this.seq, activity: { ...record, id } });
    const keep = this.options.keepPerConversation;
    if (keep && conversation.sent.length > keep) conversation.sent.splice(0, conversation.sent.length - keep);
    this.answer(res, 200, { id });
  }

  /** Teams replaces the message in place; its position in the chat does not change. */
  private putInPlace(conversation: Conversation, id: string, activity: Record<string, unknown>): void {
    const at = conversation.sent.findIndex((s) => s.id === id);
    const old = conversation.sent[at];
    if (old) conversation.sent[at] = { id, seq: old.seq, activity: { ...activity, id } };
  }

  replaceCard(conversationId: string, activityId: string, card: Record<string, unknown>): void {
    const conversation = this.conversations.get(conversationId);
    if (!conversation?.ids.has(activityId)) return;
    this.putInPlace(conversation, activityId, {
      type: 'message',
      attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: card }],
    });
  }

  callsTo(conversationId: string): number {
    return this.conversations.get(conversationId)?.calls ?? 0;
  }

  sentSince(conversationId: string, afterSeq: number): SentActivity[] {
    return (this.conversations.get(conversationId)?.sent ?? []).filter((s) => s.seq > afterSeq);
  }

  lastSeq(): number {
    return this.seq;
  }

  /** The activities this conversation holds now (updates applied), oldest first. */
  activities(conversationId: string): SentActivity[] {
    return [...(this.conversations.get(conversationId)?.sent ?? [])];
  }

  /** The last Adaptive Card the bot sent to this conversation, with the id of its message. */
  lastCard(conversationId: string): { activityId: string; content: Record<string, unknown> } | undefined {
    const sent = this.conversations.get(conversationId)?.sent ?? [];
    for (let i = sent.length - 1; i >= 0; i--) {
      const { id, activity } = defined(sent[i], 'sent activity');
      const attachments = activity.attachments;
      const card = Array.isArray(attachments)
        ? (attachments as { contentType?: unknown; content?: unknown }[]).find(
            (a) => a?.contentType === 'application/vnd.microsoft.card.adaptive',
          )
        : undefined;
      if (card?.content) return { activityId: id, content: card.content as Record<string, unknown> };
    }
    return undefined;
  }

  /** The member of a conversation that createConversation opened (undefined for others). */
  memberOf(conversationId: string): string | undefined {
    return this.members.get(conversationId);
  }

  /** The ids of all conversations that received activities. */
  conversationIds(): string[] {
    return [...this.conversations.keys()];
  }

  /** How many activities the bot posted (sends and replies, not updates) in all conversations. */
  postedCount(): number {
    return (this.stats.byRoute['POST send'] ?? 0) + (this.stats.byRoute['POST reply'] ?? 0);
  }

  /** Forgets all conversations and counts (between benchmark phases). */
  reset(): void {
    this.conversations.clear();
    this.members.clear();
    this.recent = [];
    this.stats.byRoute = {};
    this.stats.unexpected = [];
    this.stats.connections = 0;
    this.stats.throttled = 0;
    this.stats.throttledByRoute = {};
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}
