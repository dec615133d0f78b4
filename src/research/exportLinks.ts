import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Content } from '../content/load.js';
import type { Stores } from '../ports/stores.js';
import { analyseRound } from '../analysis/index.js';
import type { Locale } from '../interview/types.js';
import { log } from '../log.js';
import { exportStreams, type ExportFormat, type ExportOptions, type StreamedFile } from '../export/index.js';
import { fromContent } from '../export/file.js';

/** What a link can name: an export format, or the researcher's analysis report. */
export type LinkedFormat = ExportFormat | 'analysis';
import type { ExportLinks } from './researchService.js';

interface Claim {
  round: string;
  format: LinkedFormat;
  file: string;
  /** How the researcher asked for it: CSV delimiter, and the language of the column names and the report. */
  delimiter?: ExportOptions['delimiter'];
  locale?: Locale;
  /** Expiry, in ms since the epoch. */
  exp: number;
  /** Random: the link's identity in the key store, which lets it be used once. */
  jti: string;
}

/** What the key store keeps of a link: a hash, so that a copy of the store opens nothing. */
const storedId = (jti: string) => createHash('sha256').update(jti).digest('hex');

/**
 * Exports delivered in Teams as signed links that the bot serves itself: for a few minutes, and once. A link is a
 * bearer token, so the research side sends it to the researcher's 1:1 chat only. Nothing is written to disk: the
 * file is made again, streamed, when the link is opened. Each download, and each refused link, is logged without identity.
 */
export class SignedExportLinks implements ExportLinks {
  private readonly key: Buffer;

  constructor(
    secret: Buffer,
    private readonly baseUrl: () => string,
    private readonly content: Content,
    private readonly stores: Stores,
    readonly minutes: number,
    private readonly clock: () => Date = () => new Date(),
  ) {
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
    return claim.exp > this.clock().getTime() && typeof claim.jti === 'string' ? claim : null;
  }

  /** Naming the files reads codes only; a file's rows are read from the store when its link is opened. */
  private async files(round: string, format: LinkedFormat, options: ExportOptions = {}): Promise<StreamedFile[]> {
    if (format === 'analysis')
      return (await analyseRound(this.stores, this.content, round || undefined, { locale: options.locale }))
        .files('html')
        .map(fromContent);
    return exportStreams({
      stores: this.stores,
      content: this.content,
      roundId: round || undefined,
      format,
      ...options,
    });
  }

  async links(
    roundId: string,
    format: LinkedFormat,
    options: ExportOptions = {},
  ): Promise<{ name: string; url: string }[]> {
    const files = await this.files(roundId, format, options);
    const exp = this.clock().getTime() + this.minutes * 60_000;
    const links = [];
    for (const f of files) {
      const jti = randomBytes(16).toString('base64url');
      await this.stores.keys.issueLink(storedId(jti), new Date(exp));
      links.push({
        name: f.name,
        url: `${this.baseUrl()}/exports/${this.sign({ round: roundId, format, file: f.name, ...options, exp, jti })}`,
      });
    }
    return links;
  }

  /** The file a valid, unexpired, unused link names, using the link up; null for anything else. */
  async open(token: string): Promise<StreamedFile | null> {
    let claim: Claim | null;
    try {
      claim = this.verify(token);
    } catch {
      claim = null;
    }
    if (!claim) {
      log.info('export.link.refused', { reason: 'invalid or expired' });
      return null;
    }
    if (!(await this.stores.keys.consumeLink(storedId(claim.jti), this.clock()))) {
      log.info('export.link.refused', { reason: 'used' });
      return null;
    }
    const file =
      (await this.files(claim.round, claim.format, { delimiter: claim.delimiter, locale: claim.locale })).find(
        (f) => f.name === claim.file,
      ) ?? null;
    if (file) log.info('export.downloaded', { format: claim.format });
    return file;
  }
}
