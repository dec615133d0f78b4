import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InterviewRecord } from '../../src/interview/types.js';
import type { AnswerStore, KeyStore } from '../../src/ports/stores.js';
import type { ParticipantIdentity } from '../support/cardAutopilot.js';
import type { BenchDatabases } from '../support/pgDatabases.js';
import { ROUND, TENANT } from './constants.js';

/** After a run: every participant's interview is in the store and complete, found through the key store. */

interface Checked {
  /** The store's name in messages: "store", "PostgreSQL store". */
  name: string;
  /** The key store's name in messages. */
  keyName: string;
  answers: Pick<AnswerStore, 'getInterview' | 'listInterviews'>;
  keys: Pick<KeyStore, 'lookup'>;
  secret: Buffer;
}

/** Looks every participant up code by code; `extra` adds the store's own checks. Returns one complete record. */
async function verifyInterviews(
  store: Checked,
  people: ParticipantIdentity[],
  extra: () => Promise<string[]> = async () => [],
): Promise<InterviewRecord> {
  const { pseudonymOf } = await import('../../src/storage/pseudonym.js');
  const problems: string[] = [];
  const codes = new Set<string>();
  let sample: InterviewRecord | null = null;
  for (const person of people) {
    const entry = await store.keys.lookup(pseudonymOf(store.secret, TENANT, person.userId), ROUND);
    if (!entry?.code) {
      problems.push(`${person.userId}: no interview code in the ${store.keyName}`);
      continue;
    }
    codes.add(entry.code);
    const record = await store.answers.getInterview(ROUND, entry.code);
    if (!record?.completedAt) {
      const state = record ? `not complete, at ${record.position.step}/${record.position.index}` : 'no record';
      problems.push(`${person.userId} (${entry.code}): ${state}`);
    } else {
      sample ??= record;
    }
  }
  if (codes.size !== people.length) problems.push(`${people.length} participants share ${codes.size} codes`);
  problems.push(...(await extra()));
  if (problems.length || !sample) {
    const shown = problems.slice(0, 10).map((p) => `  - ${p}`);
    throw new Error(`the ${store.name} is not as the participants left it:\n${shown.join('\n')}`);
  }
  return sample;
}

/** The lowdb store: the participants' interviews, and exactly `expectedFiles` interviews, all complete. */
export async function verifyStore(
  dataDir: string,
  keyDir: string,
  people: ParticipantIdentity[],
  expectedFiles: number,
): Promise<InterviewRecord> {
  const { LowdbAnswerStore } = await import('../../src/storage/lowdb/answerStore.js');
  const { LowdbKeyStore } = await import('../../src/storage/lowdb/keyStore.js');
  const { pseudonymSecret } = await import('../../src/storage/secret.js');
  const answers = new LowdbAnswerStore(dataDir);
  const store = { name: 'store', keyName: 'key store', answers, keys: new LowdbKeyStore(keyDir) };
  return verifyInterviews({ ...store, secret: pseudonymSecret(undefined, keyDir) }, people, async () => {
    const problems: string[] = [];
    const files = readdirSync(join(dataDir, 'rounds', ROUND, 'interviews')).filter((n) => n.endsWith('.json'));
    if (files.length !== expectedFiles) {
      problems.push(`${files.length} interview files in the store, expected ${expectedFiles}`);
    }
    let incomplete = 0;
    for await (const record of answers.listInterviews(ROUND)) if (!record.completedAt) incomplete++;
    if (incomplete) problems.push(`${incomplete} stored interviews are not complete`);
    return problems;
  });
}

/** The PostgreSQL stores: every participant's interview complete (other runs share the databases). */
export async function verifyPgStore(
  databases: BenchDatabases,
  secretHex: string,
  people: ParticipantIdentity[],
): Promise<InterviewRecord> {
  const { openPostgresStores } = await import('../../src/storage/postgres/index.js');
  const { pseudonymSecret } = await import('../../src/storage/secret.js');
  const { databaseUrl, keyDatabaseUrl } = databases;
  const stores = await openPostgresStores({ databaseUrl, keyDatabaseUrl });
  try {
    const secret = pseudonymSecret(secretHex, tmpdir());
    const checked = { name: 'PostgreSQL store', keyName: 'key database', answers: stores.answers, keys: stores.keys };
    return await verifyInterviews({ ...checked, secret }, people);
  } finally {
    await stores.close();
  }
}
