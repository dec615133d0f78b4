import { resolve } from 'node:path';
import { readConfig } from '../../src/config/env.js';
import { loadContent, type Content } from '../../src/content/load.js';
import { z } from 'zod';
import { ID_PATTERN, type Round } from '../../src/content/schema.js';
import { chooseRound } from '../../src/export/index.js';
import { openStores } from '../../src/storage/open.js';
import type { Stores } from '../../src/ports/stores.js';
import type { Io } from './cli.js';

/** A command's `--round` option: a round id, or none for the most recently opened round. */
export const roundOption = z
  .string()
  .regex(ID_PATTERN, { error: (i) => `--round must be a round id such as "default" (got ${JSON.stringify(i.input)})` })
  .optional();

export interface RoundWork {
  stores: Stores;
  content: Content;
  round: Round;
}

/**
 * A command on one round of the stores, as the bot opens them: the round asked for or the most recently opened one.
 * A failure is printed as "<what> failed: ..." with exit code 1; the stores are always closed.
 */
export async function withRound(
  io: Io,
  what: string,
  roundId: string | undefined,
  work: (w: RoundWork) => Promise<number>,
): Promise<number> {
  let stores: Stores | undefined;
  try {
    const config = readConfig(io.env);
    const content = loadContent(resolve(config.CONTENT_DIR));
    // Reading only: beside a running bot too (a write it would need, such as new number tokens, is refused then).
    stores = await openStores(config, { command: `npm run ${what}`, readOnly: true });
    const round = await chooseRound(stores.answers, roundId);
    return await work({ stores, content, round });
  } catch (err) {
    io.err(`${what} failed: ${(err as Error).message}`);
    return 1;
  } finally {
    await stores?.close();
  }
}
