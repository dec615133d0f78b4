import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OutboxJob } from '../../src/ports/outbox.js';
import type { Stores } from '../../src/ports/stores.js';
import { SignedExportLinks } from '../../src/research/exportLinks.js';
import { Outbox } from '../../src/research/outbox/outbox.js';
import { ResearchService } from '../../src/research/researchService.js';
import { seedRounds } from '../../src/research/seedRounds.js';
import { openLowdbStores } from '../../src/storage/lowdb/index.js';
import { pseudonymOf } from '../../src/storage/pseudonym.js';
import { content } from './context.js';

export interface ResearchRigOptions {
  secret: Buffer;
  researchers: string[];
  /** The clock of the outbox, the links and the service: a function, so that a test can move it. */
  now: () => Date;
  /** How long an export link stays valid, in minutes. */
  linkMinutes: number;
  /** Every job the outbox delivers (all of them succeed). */
  sent?: OutboxJob[];
}

export interface ResearchRig {
  /** The temporary folder: data/ and keys/. */
  dir: string;
  stores: Stores;
  outbox: Outbox;
  links: SignedExportLinks;
  service: ResearchService;
  /** Waits for a send still in flight, then removes the folder. */
  close(): Promise<void>;
}

/** The researcher's side as src/server.ts wires it, on lowdb stores in a temporary folder with the seeded rounds. */
export async function openResearchRig(options: ResearchRigOptions): Promise<ResearchRig> {
  const dir = mkdtempSync(join(tmpdir(), 'wijzer-research-'));
  const stores = openLowdbStores(join(dir, 'data'), join(dir, 'keys'));
  await seedRounds(content, stores.answers, new Date('2026-01-01T00:00:00Z'));
  const deliver = async (job: OutboxJob) => {
    options.sent?.push(job);
    return { outcome: 'sent' as const };
  };
  const outbox = new Outbox(stores.outbox, { deliver }, { ratePerSec: 1000, clock: options.now });
  const links = new SignedExportLinks(
    options.secret,
    () => 'http://bot',
    content,
    stores,
    options.linkMinutes,
    options.now,
  );
  const service = new ResearchService(
    content,
    stores,
    outbox,
    (tenant, user) => pseudonymOf(options.secret, tenant, user),
    options.researchers,
    links,
    options.now,
  );
  const close = async () => {
    await outbox.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  return { dir, stores, outbox, links, service, close };
}
