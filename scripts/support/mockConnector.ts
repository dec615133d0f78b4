import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ConversationReader, SentActivity } from './cardAutopilot.js';

/**
 * A local stand-in for the Bot Connector service (Teams' serviceUrl), for benchmarks and tests.
 *
 * It implements what botbuilder's CloudAdapter calls when a bot replies (botframework-connector's
 * ConversationsOperations, used by CloudAdapterBase):
 *   POST /v3/conversations/:conversationId/activities               sendToConversation (no replyToId)
 *   POST /v3/conversations/:conversationId/activities/:activityId   replyToActivity (TurnContext sets replyToId)
 *   PUT  /v3/conversations/:conversationId/activities/:activityId   updateActivity (404 for an unknown id)
 * and answers 200 {"id": ...}. It records, per conversation, the activities it received, with updates applied
 * the way Teams replaces a message, so that a simulated participant can read the last card it was sent.
 * It listens on 127.0.0.1 on a random port and never authenticates (local mode sends no token).
 */

export interface MockConnectorOptions {
  /** Keep at most this many activities per conversation (the oldest go first); all by default. */
  keepPerConversation?: number;
  /** Delay every answer by this many milliseconds, to model the real service's latency. Default 0. */
  latencyMs?: number;
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
}

interface Conversation {
  sent: SentActivity[];
  ids: Set<string>;
}

const PREFIX = /^\/+v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?\/?$/;

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
  readonly stats: MockConnectorStats = { byRoute: {}, unexpected: [], connections: 0 };

  private constructor(private readonly server: Server, readonly url: string, private readonly options: MockConnectorOptions) {}

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
      c = { sent: [], ids: new Set() };
      this.conversations.set(id, c);
    }
    return c;
  }

  private answer(res: ServerResponse, status: number, body: unknown): void {
    const send = () => {
      const text = JSON.stringify(body);
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    };
    if (this.options.latencyMs) setTimeout(send, this.options.latencyMs);
    else send();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '').split('?')[0];
    const match = PREFIX.exec(path);
    const route = !match ? null : req.method === 'POST' ? (match[2] ? 'reply' : 'send') : req.method === 'PUT' && match[2] ? 'update' : null;
    const fail = (status: number, error: string) => {
      this.stats.unexpected.push({ method: req.method ?? '', path, status });
      this.answer(res, status, { error: { code: 'MockConnector', message: error } });
    };
    if (!match || !route) {
      req.resume();
      return fail(404, `no such route: ${req.method} ${path}`);
    }
    let activity: unknown;
    try {
      activity = await bodyOf(req);
    } catch {
      return fail(400, 'body is not JSON');
    }
    if (typeof activity !== 'object' || activity === null || Array.isArray(activity)) return fail(400, 'body is not an activity');
    this.stats.byRoute[`${req.method} ${route}`] = (this.stats.byRoute[`${req.method} ${route}`] ?? 0) + 1;
    const conversationId = decodeURIComponent(match[1]);
    const conversation = this.conversation(conversationId);
    const record = activity as Record<string, unknown>;

    if (route === 'update') {
      const id = decodeURIComponent(match[2]);
      if (!conversation.ids.has(id)) return fail(404, `no activity ${id} in conversation ${conversationId}`);
      const at = conversation.sent.findIndex((s) => s.id === id);
      // Teams replaces the message in place; its position in the chat does not change.
      if (at >= 0) conversation.sent[at] = { id, seq: conversation.sent[at].seq, activity: { ...record, id } };
      return this.answer(res, 200, { id });
    }

    const id = `mock-${++this.nextId}`;
    conversation.ids.add(id);
    conversation.sent.push({ id, seq: ++this.seq, activity: { ...record, id } });
    const keep = this.options.keepPerConversation;
    if (keep && conversation.sent.length > keep) conversation.sent.splice(0, conversation.sent.length - keep);
    this.answer(res, 200, { id });
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
      const attachments = sent[i].activity.attachments;
      const card = Array.isArray(attachments) ? attachments.find((a) => a?.contentType === 'application/vnd.microsoft.card.adaptive') : undefined;
      if (card?.content) return { activityId: sent[i].id, content: card.content as Record<string, unknown> };
    }
    return undefined;
  }

  /** How many activities the bot posted (sends and replies, not updates) in all conversations. */
  postedCount(): number {
    return (this.stats.byRoute['POST send'] ?? 0) + (this.stats.byRoute['POST reply'] ?? 0);
  }

  /** Forgets all conversations and counts (between benchmark phases). */
  reset(): void {
    this.conversations.clear();
    this.stats.byRoute = {};
    this.stats.unexpected = [];
    this.stats.connections = 0;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}

/** A TCP port that is free on 127.0.0.1 right now (for servers whose config does not accept port 0). */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
