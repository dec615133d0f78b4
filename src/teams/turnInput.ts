import type { Activity } from 'botbuilder';
import type { Input } from '../interview/types.js';
import type { ConversationTarget } from '../ports/stores.js';
import { cardActionOf, REFRESH_VERB } from './cardInvoke.js';

/** The tenant of an activity, wherever the channel put it. */
export function tenantOf(activity: Partial<Activity>): string {
  return (
    activity.conversation?.tenantId ??
    (activity.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id ??
    ''
  );
}

/** The stable user id: the AAD object id in Teams, the channel id elsewhere (Playground, tests). */
export function userIdOf(activity: Partial<Activity>): string {
  return activity.from?.aadObjectId ?? activity.from?.id ?? '';
}

/** Tests, the Playground and the Emulator leave the type out of 1:1 chats. */
export function isPersonal(activity: Partial<Activity>): boolean {
  const type = activity.conversation?.conversationType;
  return !type || type === 'personal';
}

/** What the participant did: opened the chat, typed, or pressed a card button. */
export function inputOf(activity: Partial<Activity>): Input | null {
  if (activity.type === 'message') {
    if (activity.value !== undefined && activity.value !== null) return { kind: 'submit', data: activity.value };
    return { kind: 'text', text: activity.text ?? '' };
  }
  // An Action.Execute button: the same data an Action.Submit would send; or the card's refresh.
  const pressed = cardActionOf(activity);
  if (pressed?.verb === REFRESH_VERB) return { kind: 'refresh', data: pressed.data, cardId: activity.replyToId };
  if (pressed) return { kind: 'submit', data: pressed.data };
  // Installing the app sends installationUpdate, and often a conversationUpdate that adds the bot as well: greet once.
  const addsBot = activity.membersAdded?.some((m) => m.id === activity.recipient?.id);
  if (activity.type === 'conversationUpdate' && !addsBot && activity.membersAdded?.length) return { kind: 'start' };
  if (activity.type === 'installationUpdate' && (activity.action ?? 'add').startsWith('add')) return { kind: 'start' };
  return null;
}

/** Where a later proactive message to this participant goes. */
export function targetOf(activity: Partial<Activity>): ConversationTarget | undefined {
  if (!activity.serviceUrl || !activity.from?.id || !activity.conversation?.id) return undefined;
  return {
    channelId: activity.channelId ?? 'msteams',
    serviceUrl: activity.serviceUrl,
    tenantId: tenantOf(activity),
    userId: activity.from.id,
    conversationId: activity.conversation.id,
    botId: activity.recipient?.id,
  };
}
