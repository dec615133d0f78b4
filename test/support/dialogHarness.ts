import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Activity, Middleware, TurnContext } from 'botbuilder';
import { DialogTestClient } from 'botbuilder-testing';
import { InterviewSession } from '../../src/interview/session.js';
import { seedRounds } from '../../src/research/seedRounds.js';
import { openLowdbStores } from '../../src/storage/lowdb/index.js';
import type { Stores } from '../../src/ports/stores.js';
import { pseudonymSecret, subKey } from '../../src/storage/secret.js';
import { CardTemplates } from '../../src/teams/cardTemplates.js';
import { InterviewDialog } from '../../src/teams/interviewDialog.js';
import { content } from './context.js';
import { defined } from './defined.js';

/** The identity a Teams participant brings; none of it may end up in the answers store or the logs. */
export const IDENTITY = {
  userId: '29:1a2b3c-teams-user-id',
  aadObjectId: 'aad-0b5e9f2c-1111-4d7e-9a9a-0123456789ab',
  name: 'Fenna Zwartkruis',
  tenantId: 'tenant-72f988bf-86f1-41af-91ab-2d7cd011db47',
  conversationId: 'a:1conv-personal-Zwartkruis-chat',
  serviceUrl: 'https://smba.trafficmanager.net/emea/',
};

export interface Harness {
  client: DialogTestClient;
  stores: Stores;
  dataDir: string;
  keyDir: string;
  updates: Partial<Activity>[];
  send(activity: Partial<Activity>): Promise<Partial<Activity>[]>;
  dispose(): void;
}

/** The interview dialog on a botbuilder-testing client, with real lowdb stores in a temporary folder. */
export async function createHarness(
  locale = 'nl-NL',
  dir = mkdtempSync(join(tmpdir(), 'wijzer-dialog-')),
): Promise<Harness> {
  const dataDir = join(dir, 'data');
  const keyDir = join(dir, 'keys');
  const stores = openLowdbStores(dataDir, keyDir);
  await seedRounds(content, stores.answers, new Date());
  const secret = pseudonymSecret(undefined, keyDir);
  const dialog = new InterviewDialog(
    new InterviewSession(content, stores, subKey(secret, 'submit-fingerprint')),
    new CardTemplates(),
    secret,
  );
  const updates: Partial<Activity>[] = [];
  const recordUpdates: Middleware = {
    onTurn: async (context: TurnContext, next: () => Promise<void>) => {
      context.onUpdateActivity(async (_ctx, activity, nextUpdate) => {
        updates.push(activity);
        return nextUpdate();
      });
      await next();
    },
  };
  const client = new DialogTestClient('msteams', dialog, undefined, [recordUpdates]);
  const base = (): Partial<Activity> => ({
    locale,
    serviceUrl: IDENTITY.serviceUrl,
    from: { id: IDENTITY.userId, name: IDENTITY.name, aadObjectId: IDENTITY.aadObjectId },
    conversation: {
      id: IDENTITY.conversationId,
      tenantId: IDENTITY.tenantId,
      conversationType: 'personal',
      isGroup: false,
      name: '',
    },
  });
  return {
    client,
    stores,
    dataDir,
    keyDir,
    updates,
    async send(activity) {
      const replies: Partial<Activity>[] = [];
      let reply = await client.sendActivity({ type: 'message', ...base(), ...activity });
      while (reply) {
        replies.push(reply);
        reply = client.getNextReply();
      }
      return replies;
    },
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}

type Json = Record<string, unknown>;

export function cardOf(replies: Partial<Activity>[]): Json {
  const withCard = replies.filter((r) => r.attachments?.length);
  if (!withCard.length) throw new Error(`no card in ${JSON.stringify(replies.map((r) => r.text))}`);
  return defined(withCard.at(-1)?.attachments?.[0], 'a card attachment').content as Json;
}

/** The data of the card's button with the given action. */
export function actionData(card: Json, action: string): Json {
  const found = ((card.actions ?? []) as { data?: { wz?: { a: string } } }[]).find((a) => a.data?.wz?.a === action);
  if (!found) throw new Error(`no action ${action} on the card`);
  return found.data as Json;
}

/** Every input id of a card, in order. */
export function inputIds(card: Json): string[] {
  const ids: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const el = node as Json;
      if (typeof el.type === 'string' && el.type.startsWith('Input.')) ids.push(String(el.id));
      Object.values(el).forEach(walk);
    }
  };
  walk(card.body);
  return ids;
}

export function texts(replies: Partial<Activity>[]): string[] {
  return replies.filter((r) => r.text).map((r) => r.text!);
}
