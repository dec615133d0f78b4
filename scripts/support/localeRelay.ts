import http from 'node:http';
import type net from 'node:net';

/**
 * The Agents Playground (0.2.28) puts locale en-US on every activity it sends, whatever the browser's language. This
 * relay sits between it and the bot and sets the locale a Teams client in that language would send, so that the
 * local run and the tests see the Dutch interview. It keeps nothing on disk.
 */
/** One activity the Playground posted to the bot, and how the bot answered it. */
export interface RelayTurn {
  n: number;
  /** The activity as the bot got it (with the relay's locale). */
  activity: Record<string, unknown> & RelayedActivity;
  /** The locale the Playground put on the activity, before the relay changed it. */
  sentLocale: string | undefined;
  /** The bot's HTTP status; 502 when it was down. */
  status?: number;
  done: boolean;
}

interface RelayedActivity {
  type?: string;
  text?: string;
  value?: unknown;
  locale?: string;
  conversation?: { id?: string };
  from?: { id?: string };
  entities?: { type?: string; locale?: string }[];
}

/** Relays the Playground's POSTs to the bot, setting the activity locale; answers 502 while the bot is down. */
export class LocaleRelay {
  /** Every activity relayed, in order. */
  readonly turns: RelayTurn[] = [];
  private server?: http.Server;
  port = 0;

  constructor(
    private readonly target: () => number,
    private readonly locale: string,
  ) {}

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    this.server.keepAliveTimeout = 1000;
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as net.AddressInfo).port;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let body = Buffer.concat(chunks);
    const contentType = String(req.headers['content-type'] ?? '');
    let turn: RelayTurn | undefined;
    if (req.method === 'POST' && contentType.includes('json') && body.length) {
      const activity = JSON.parse(body.toString('utf8')) as RelayTurn['activity'];
      turn = { n: this.turns.length, activity, sentLocale: activity.locale, done: false };
      this.turns.push(turn);
      activity.locale = this.locale;
      for (const entity of activity.entities ?? []) {
        if (entity.type === 'clientInfo' && 'locale' in entity) entity.locale = this.locale;
      }
      body = Buffer.from(JSON.stringify(activity), 'utf8');
    }
    const answered = (status: number) => {
      if (turn) Object.assign(turn, { status, done: true });
    };
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers))
      if (typeof v === 'string' && !['host', 'content-length', 'connection'].includes(k)) headers[k] = v;
    try {
      const upstream = await fetch(`http://127.0.0.1:${this.target()}${req.url ?? '/'}`, {
        method: req.method,
        headers,
        body: req.method === 'GET' ? undefined : body,
      });
      const payload = Buffer.from(await upstream.arrayBuffer());
      answered(upstream.status);
      res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' });
      res.end(payload);
    } catch {
      answered(502);
      // The bot is down (the tests kill it on purpose) or went away mid-answer: a plain 502, never a throw.
      if (!res.headersSent) res.writeHead(502);
      res.end();
    }
  }

  async close(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }
}
