import type { Activity, CloudAdapter, ConversationReference, TurnContext } from 'botbuilder';
import type { DeliveryResult, Messenger, OutboxJob } from '../ports/outbox.js';
import { createConversation } from './createConversation.js';

/** Builds the messages of a proactive job (the invitation card, or a reminder with the participant's current card). */
export type Compose = (job: OutboxJob) => Promise<Partial<Activity>[]>;
/** Records what a delivered job changes (the chat's id, when the invitation went out). */
export type AfterSent = (job: OutboxJob, conversationId: string | undefined) => Promise<void>;

function statusOf(err: unknown): number | undefined {
  const e = err as { statusCode?: number; status?: number; response?: { status?: number } };
  return e?.statusCode ?? e?.status ?? e?.response?.status;
}

function retryAfterMs(err: unknown): number | undefined {
  const headers = (err as { response?: { headers?: { get?: (name: string) => string | undefined } } })?.response
    ?.headers;
  const value = headers?.get?.('retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  return Number.isFinite(seconds) ? seconds * 1000 : Math.max(0, Date.parse(value) - Date.now()) || undefined;
}

/** How Teams' answer to a failed send maps onto the outbox's choices. */
export function classify(err: unknown): DeliveryResult {
  const status = statusOf(err);
  const error = `${status ?? 'network'}: ${err instanceof Error ? err.message.slice(0, 200) : String(err).slice(0, 200)}`;
  if (status === 429) return { outcome: 'retry', retryAfterMs: retryAfterMs(err), error };
  // 403: the user blocked the bot or the app is not installed for them (MessageWritesBlocked); 404: unknown user.
  if (status === 403 || status === 404) return { outcome: 'unreachable', error };
  if (status === undefined || status === 412 || status >= 500)
    return { outcome: 'retry', retryAfterMs: retryAfterMs(err), error };
  return { outcome: 'failed', error };
}

/** Proactive 1:1 messages through the Bot Connector: opens the chat when there is none yet. */
export class TeamsMessenger implements Messenger {
  constructor(
    private readonly adapter: CloudAdapter,
    private readonly appId: string,
    private readonly compose: Compose,
    private readonly afterSent: AfterSent,
  ) {}

  async deliver(job: OutboxJob): Promise<DeliveryResult> {
    const { target } = job;
    let conversationId = target.conversationId;
    // A failure inside the callback would reach the adapter's onTurnError, which swallows it: keep it here instead.
    let failure: unknown;
    const send = async (context: TurnContext) => {
      try {
        conversationId = context.activity.conversation?.id ?? conversationId;
        const activities = await this.compose(job);
        if (activities.length) await context.sendActivities(activities);
      } catch (err) {
        failure = err;
      }
    };
    try {
      if (conversationId) {
        const reference: Partial<ConversationReference> = {
          channelId: target.channelId,
          serviceUrl: target.serviceUrl,
          conversation: {
            id: conversationId,
            isGroup: target.conversationType === 'channel',
            conversationType: target.conversationType ?? 'personal',
            name: '',
            tenantId: target.tenantId,
          },
          bot: { id: target.botId ?? this.appId, name: 'Wijzer' },
          user: { id: target.userId, name: '' },
        };
        await this.adapter.continueConversationAsync(this.appId, reference, send);
      } else {
        await createConversation(
          this.adapter,
          this.appId,
          target.channelId,
          target.serviceUrl,
          {
            isGroup: false,
            bot: { id: target.botId ?? this.appId, name: 'Wijzer' },
            members: [{ id: target.userId, name: '' }],
            tenantId: target.tenantId,
            channelData: { tenant: { id: target.tenantId } },
          },
          send,
        );
      }
    } catch (err) {
      return classify(err);
    }
    if (failure !== undefined) return classify(failure);
    return { outcome: 'sent', conversationId };
  }

  /** Called by the outbox after a delivery (and retried there): a failure here must not make it send again. */
  recordDelivery(job: OutboxJob, conversationId: string | undefined): Promise<void> {
    return this.afterSent(job, conversationId);
  }
}
