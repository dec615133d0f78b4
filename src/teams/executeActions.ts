import type { CardAttachment } from './cardTemplates.js';
import { isPlainObject } from '../plainObject.js';

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
 * A participant card with its stamped buttons as Action.Execute (fallback Action.Submit). Only the card's own
 * `actions` are converted, where every Wijzer template puts its buttons; other cards come back as they were.
 */
export function withExecuteActions(attachment: CardAttachment): CardAttachment {
  const { content } = attachment;
  if (
    !(Number(content.version) >= EXECUTE_SINCE) ||
    !Array.isArray(content.actions) ||
    !content.actions.some(isStamped)
  )
    return attachment;
  const actions = content.actions.map((action: unknown) => (isStamped(action) ? toExecute(action) : action));
  return { ...attachment, content: { ...content, actions } };
}
