import type { CardAttachment } from './cardTemplates.js';
import { isWithdrawalAction } from '../interview/actions.js';
import { isPlainObject } from '../plainObject.js';
import { REFRESH_VERB } from './cardInvoke.js';

type Json = Record<string, unknown>;

/** Universal Actions need schema 1.4; Teams renders up to 1.5. */
const EXECUTE_SINCE = 1.4;

/** A participant's button: an Action.Submit whose data carries the Wijzer stamp (researcher forms carry none). */
function isStamped(action: unknown): action is Json & { data: { wz: { a: string } } } {
  return (
    isPlainObject(action) &&
    action.type === 'Action.Submit' &&
    isPlainObject(action.data) &&
    isPlainObject(action.data.wz) &&
    typeof action.data.wz.a === 'string'
  );
}

/**
 * The same button as an Action.Execute: Teams sends it as an `adaptiveCard/action` invoke and shows the card the
 * bot answers with in place of this one, with no Bot Connector call. The verb is the stamp's action; the data
 * (step, page, revision, round) stays as it was. A client without Universal Actions uses the Action.Submit fallback.
 */
function toExecute(action: Json & { data: { wz: { a: string } } }): Json {
  return { ...action, type: 'Action.Execute', verb: action.data.wz.a, fallback: action };
}

/**
 * The card's refresh: Teams sends it as an invoke when it shows the card again (another device, the chat opened
 * anew), and shows the card the bot answers with, because a card answered in place is replaced only for the one who
 * pressed it. It carries the card's stamp. No `userIds`: in a chat of fewer than 60 people Teams refreshes for
 * everyone. A withdrawal card has none: it is answered as it was shown.
 */
function refreshOf(stamped: (Json & { data: { wz: { a: string } } })[]): Json | undefined {
  if (stamped.some((action) => isWithdrawalAction(action.data.wz.a))) return undefined;
  return { action: { type: 'Action.Execute', verb: REFRESH_VERB, data: { wz: stamped[0]!.data.wz } } };
}

/**
 * A participant card with its stamped buttons as Action.Execute (fallback Action.Submit), and its refresh. Only the
 * card's own `actions` are converted, where every Wijzer template puts its buttons; other cards come back as they
 * were.
 */
export function withExecuteActions(attachment: CardAttachment): CardAttachment {
  const { content } = attachment;
  if (!(Number(content.version) >= EXECUTE_SINCE) || !Array.isArray(content.actions)) return attachment;
  const stamped = content.actions.filter(isStamped);
  if (!stamped.length) return attachment;
  const actions = content.actions.map((action: unknown) => (isStamped(action) ? toExecute(action) : action));
  const refresh = refreshOf(stamped);
  return { ...attachment, content: { ...content, actions, ...(refresh && { refresh }) } };
}
