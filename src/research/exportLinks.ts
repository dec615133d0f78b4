import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Content } from '../content/load.js';
import type { Stores } from '../storage/ports.js';
import { analyseRound } from '../analysis/index.js';
import { exportStreams, type ExportFormat, type StreamedFile } from './export/index.js';
import { fromContent } from './export/file.js';

/** What a link can name: an export format, or the researcher's analysis report. */
export type LinkedFormat = ExportFormat | 'analysis';
import type { ExportLinks } from './researchService.js';

interface Claim {
  round: string;
  format: LinkedFormat;
  file: string;
  /** Expiry, in ms since the epoch. */
  exp: number;
}

/**
 * Exports delivered in Teams as signed links that the bot serves itself for a short time. Nothing is written to
 * disk: the file is made again, streamed, when the link is opened. A link works in a 1:1 chat and in a channel alike, where
 * Teams' file consent card works in 1:1 chats only.
 */
export class SignedExportLinks implements ExportLinks {
  private readonly key: Buffer;

  constructor(secret: Buffer, private readonly baseUrl: () => string, private readonly content: Content, private readonly stores: Stores, readonly minutes: number, private readonly clock: () => Date = () => new Date()) {
    // A key of its own, derived from the pseudonym secret, so that a leaked link says nothing about pseudonyms.
    this.key = createHmac('sha256', secret).update('wijzer export links').digest();
  }

  private sign(claim: Claim): string {
    const body = Buffer.from(JSON.stringify(claim)).toString('base64url');
    return `${body}.${createHmac('sha256', this.key).update(body).digest('base64url')}`;
  }

  private verify(token: string): Claim | null {
    const [body, sig] = token.split('.');
    if (!body || !sig) return null;
    const expected = createHmac('sha256', this.key).update(body).digest();
    const given = Buffer.from(sig, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    const claim = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Claim;
    return claim.exp > this.clock().getTime() ? claim : null;
  }

  /** Naming the files reads codes only; a file's rows are read from the store when its link is opened. */
  private async files(round: string, format: LinkedFormat): Promise<StreamedFile[]> {
    if (format === 'analysis') return (await analyseRound(this.stores, this.content, round || undefined)).files('html').map(fromContent);
    return exportStreams({ stores: this.stores, content: this.content, roundId: round || undefined, format });
  }

  async links(roundId: string, format: LinkedFormat): Promise<{ name: string; url: string }[]> {
    const files = await this.files(roundId, format);
    const exp = this.clock().getTime() + this.minutes * 60_000;
    return files.map((f) => ({ name: f.name, url: `${this.baseUrl()}/exports/${this.sign({ round: roundId, format, file: f.name, exp })}` }));
  }

  /** The file a valid, unexpired link names; null for anything else. */
  async open(token: string): Promise<StreamedFile | null> {
    let claim: Claim | null;
    try {
      claim = this.verify(token);
    } catch {
      return null;
    }
    if (!claim) return null;
    return (await this.files(claim.round, claim.format)).find((f) => f.name === claim.file) ?? null;
  }
}
