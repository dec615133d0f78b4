import type { Activity } from 'botbuilder';
import { z } from 'zod';
import { CARD_ACTION, cardActionData } from './cardInvoke.js';
import { defined } from '../defined.js';
import { isPlainObject } from '../plainObject.js';

/**
 * The shape of an inbound Bot Framework activity, checked at the HTTP edge before any bot code (or botbuilder's
 * own handling) sees it. Only the fields the bot or botbuilder read are typed; any other field is allowed. A field
 * that is present must have its type; null counts as absent, as the Bot Framework serialisers write it. Only the
 * verdict is used (the body goes on as it came), so the objects are plain `z.object`s: they let other fields
 * through unread, where a loose object would walk and copy each of them for a parsed copy nobody reads.
 */
export const LIMITS = {
  /** Teams refuses messages over about 28 KB, so no real client sends a longer string. */
  stringLength: 28 * 1024,
  depth: 32,
  /** Values, keys and containers together: a pick card with every card of a deck is a few hundred. */
  nodes: 10_000,
} as const;

/** Keys that can reach an object's prototype when a parsed body is merged or spread somewhere. */
const POLLUTING_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

const text = (max = LIMITS.stringLength) => z.string().max(max).nullish();
const Id = z.string().min(1).max(1024);
// Every field botbuilder's serialiser checks when it copies these into a reply (ChannelAccount, ConversationAccount).
const Account = z.object({ id: Id, name: text(1024), aadObjectId: text(256), role: text(64) });
const Conversation = Account.extend({
  conversationType: text(64),
  tenantId: text(256),
  isGroup: z.boolean().nullish(),
});
const Json = z.record(z.string(), z.unknown());

export const InboundActivity = z.object({
  type: z.string().min(1).max(64),
  id: text(1024),
  channelId: text(64),
  serviceUrl: z.url({ protocol: /^https?$/ }).max(2048),
  from: Account,
  recipient: Account.nullish(),
  conversation: Conversation,
  locale: text(64),
  text: text(),
  textFormat: text(64),
  value: z.unknown().optional(),
  name: text(256),
  action: text(64),
  replyToId: text(1024),
  timestamp: text(64),
  localTimestamp: text(64),
  deliveryMode: text(64),
  membersAdded: z.array(Account).max(1000).nullish(),
  membersRemoved: z.array(Account).max(1000).nullish(),
  channelData: z
    .object({
      tenant: z.object({ id: text(256) }).nullish(),
      team: z.object({ id: text(1024) }).nullish(),
    })
    .nullish(),
  entities: z.array(Json).max(100).nullish(),
  attachments: z.array(Json).max(100).nullish(),
});

export type Verdict = { ok: true } | { ok: false; problem: string };

/** One walk over the parsed body: depth, size, string lengths, and prototype-polluting keys anywhere. */
function inspect(body: unknown): string | null {
  let nodes = 0;
  const stack: { value: unknown; depth: number }[] = [{ value: body, depth: 0 }];
  while (stack.length) {
    const { value, depth } = stack.pop()!;
    if (++nodes > LIMITS.nodes) return 'too large';
    if (typeof value === 'string' && value.length > LIMITS.stringLength) return 'string too long';
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= LIMITS.depth) return 'nested too deeply';
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== Array.prototype && proto !== null) return 'not plain JSON';
    for (const key of Object.keys(value)) {
      if (POLLUTING_KEYS.has(key)) return 'forbidden key';
      if (key.length > 256) return 'key too long';
      stack.push({ value: (value as Record<string, unknown>)[key], depth: depth + 1 });
    }
  }
  return null;
}

/** Is this request body a well-formed activity? The problem names a path and a rule, never a value. */
export function checkActivity(body: unknown): Verdict {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { ok: false, problem: 'not an object' };
  const structural = inspect(body);
  if (structural) return { ok: false, problem: structural };
  const parsed = InboundActivity.safeParse(body);
  if (!parsed.success) {
    const issue = defined(parsed.error.issues[0], 'issue of a failed parse');
    return { ok: false, problem: `${issue.path.join('.') || '(root)'}: ${issue.code}` };
  }
  return { ok: true };
}

/**
 * A well-formed activity the bot cannot act on: no bot logic runs for it. Invokes other than a card button's end
 * without an invoke response, which botbuilder answers 501; a card button's invoke that carries no readable data
 * is answered "unreadable" in its invoke response. A message gets a short reply (in a 1:1 chat only);
 * every other kind is acknowledged silently. Null when the bot can use the activity.
 */
export function unusable(activity: Partial<Activity>): { reply: 'unreadable' | 'textOnly' | null } | null {
  if (activity.type === 'invoke')
    return activity.name !== CARD_ACTION ? { reply: null } : cardActionData(activity) ? null : { reply: 'unreadable' };
  if (activity.type !== 'message') return null;
  const hasValue = activity.value !== undefined && activity.value !== null;
  if (hasValue && !isPlainObject(activity.value)) return { reply: 'unreadable' };
  if (!hasValue && !(activity.text ?? '').trim()) return { reply: 'textOnly' };
  return null;
}
