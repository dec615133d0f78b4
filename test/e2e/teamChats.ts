/**
 * Acting as the researcher in a team channel and as team members in their 1:1 chats, over the Playground's HTTP
 * API (see playgroundRig.ts for how the chats are read).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { CardAutopilot, inputsOf } from '../../scripts/support/cardAutopilot.js';
import type { BotMessage, ClientMessage, PlaygroundRig, PlaygroundUser } from './playgroundRig.js';
import { until } from '../support/until.js';

type Json = Record<string, unknown>;

/** The first characters of each message, for failure messages. */
export const describeMessages = (messages: { text?: string; card?: Json }[]) =>
  JSON.stringify(messages.map((m) => m.text?.slice(0, 120) ?? `[card ${JSON.stringify(m.card).slice(0, 120)}]`));

export const lastCard = (messages: BotMessage[]): BotMessage | undefined => [...messages].reverse().find((m) => m.card);

/** The data of a card's Action.Submit button with the given Wijzer action (or title). */
export function buttonData(card: BotMessage, match: string | RegExp): Json {
  const actions = (card.card?.actions ?? []) as { title?: string; data?: Json & { wz?: { a: string } } }[];
  const found = actions.find((a) => (typeof match === 'string' ? a.data?.wz?.a === match : match.test(a.title ?? '')));
  if (!found?.data)
    throw new Error(`no "${String(match)}" button on the card ${JSON.stringify(card.card).slice(0, 300)}`);
  return found.data;
}

export class TeamChats {
  readonly postIds: string[] = [];

  constructor(
    private readonly rig: PlaygroundRig,
    private readonly researcher: PlaygroundUser,
    private readonly channelId: string,
  ) {}

  private get mention(): string {
    return `<at>${this.rig.config.bot.name}</at>`;
  }

  /** Posts an @mention of the bot in the channel as the researcher; returns the bot's replies in that thread. */
  async research(command: string): Promise<ClientMessage[]> {
    const turn0 = this.rig.relay.turns.length;
    const posted = await this.rig.post<{ messageId: string; postConversationId: string }>(
      `/_conversation/v1/conversations/${this.channelId}/messages`,
      {
        from: { id: this.researcher.id },
        text: `${this.mention} ${command}`,
        textFormat: 'plain',
        mentions: [{ mentioned: { id: this.rig.config.bot.id }, text: this.mention }],
      },
    );
    this.postIds.push(posted.postConversationId);
    await this.rig.turnDone(
      `the bot handled "${command}"`,
      turn0,
      (turn) => turn.activity.conversation?.id === posted.postConversationId,
    );
    const replies = (): ClientMessage[] =>
      this.rig.client.filter(
        (m) =>
          m.action === 'createMessage' &&
          m.conversationId === posted.postConversationId &&
          m.messageId !== posted.messageId,
      );
    await until(`a reply to "${command}" in the channel`, () => replies().length > 0, 5_000);
    return replies().map((m) => ({ ...m, postConversationId: posted.postConversationId }));
  }

  chatOf(user: PlaygroundUser): string {
    const chat = this.rig.createdChats.find((c) => c.memberId === user.id);
    if (!chat) throw new Error(`no chat was opened with ${user.id}`);
    return chat.conversationId;
  }

  /**
   * Waits until the bot has finished the turn that matches and has sent what is `enough` (by default anything)
   * into the chat since the mark; returns what it created there.
   */
  async repliesIn(
    chatId: string,
    mark: number,
    turn0: number,
    match: (a: Json) => boolean,
    what: string,
    enough: (got: BotMessage[]) => boolean = (got) => got.length > 0,
  ): Promise<BotMessage[]> {
    await this.rig.turnDone(what, turn0, (turn) => turn.activity.conversation?.id === chatId && match(turn.activity));
    await until(
      `${what}: a reply`,
      () => enough(this.rig.created(chatId, mark)),
      5_000,
      () => describeMessages(this.rig.created(chatId, mark)),
    );
    await sleep(30);
    return this.rig.created(chatId, mark);
  }

  /** Presses a card button as this user (the Playground's card submit route takes any member of the chat). */
  async press(
    user: PlaygroundUser,
    card: BotMessage,
    value: Json,
    options: { chatId?: string; enough?: (got: BotMessage[]) => boolean } = {},
  ): Promise<BotMessage[]> {
    const chatId = options.chatId ?? this.chatOf(user);
    const mark = this.rig.mark();
    const turn0 = this.rig.relay.turns.length;
    await this.rig.post('/_conversation/v1/submit', {
      conversation: { id: chatId },
      from: { id: user.id },
      replyToId: card.messageId,
      value,
    });
    return this.repliesIn(
      chatId,
      mark,
      turn0,
      (a) => a.replyToId === card.messageId,
      `${user.id} pressed ${JSON.stringify((value.wz as Json | undefined)?.a ?? value)}`,
      options.enough,
    );
  }

  /**
   * Posts a message as this user into a conversation: a custom activity, as the Playground's message route speaks
   * only for its current user. Returns the activity's id and the mark from before it.
   */
  async send(
    user: PlaygroundUser,
    conversationId: string,
    text: string,
    extra: Json = {},
  ): Promise<{ id: string; mark: number }> {
    const template = await this.rig.get<Json>(
      `/_internal/v1/customActivities/template?conversationId=${encodeURIComponent(conversationId)}`,
    );
    const activity: Json = {
      ...template,
      type: 'message',
      text,
      textFormat: 'plain',
      from: { id: user.id, name: user.name, aadObjectId: user.aadObjectId },
      channelData: { tenant: { id: this.rig.config.tenantId } },
      ...extra,
    };
    const mark = this.rig.mark();
    await this.rig.post('/_internal/v1/customActivities', activity);
    return { id: String(activity.id), mark };
  }

  /** Writes in the user's chat; returns the bot's replies. */
  async write(user: PlaygroundUser, text: string): Promise<BotMessage[]> {
    const chatId = this.chatOf(user);
    const turn0 = this.rig.relay.turns.length;
    const { id, mark } = await this.send(user, chatId, text);
    return this.repliesIn(chatId, mark, turn0, (a) => a.id === id, `${user.id} wrote "${text}"`);
  }

  invitationOf(user: PlaygroundUser, roundId: string): BotMessage {
    const found = this.rig
      .created(this.chatOf(user))
      .find((m) =>
        ((m.card?.actions ?? []) as { data?: { wz?: { s?: string; rd?: string } } }[]).some(
          (a) => a.data?.wz?.s === 'invitation' && a.data.wz.rd === roundId,
        ),
      );
    if (!found) throw new Error(`no invitation card in ${user.id}'s chat`);
    return found;
  }

  /**
   * Starts from the invitation and presses `steps` cards (all of them by default) with the autopilot; `typed`
   * replaces what it writes in text inputs. Returns the last card shown.
   */
  async interview(
    user: PlaygroundUser,
    roundId: string,
    typed: (inputId: string, n: number) => string,
    steps = 60,
  ): Promise<BotMessage | undefined> {
    const autopilot = new CardAutopilot({ seed: 5 });
    const invitation = this.invitationOf(user, roundId);
    let replies = await this.press(user, invitation, buttonData(invitation, 'start'));
    let n = 0;
    for (let turn = 0; turn < steps; turn++) {
      const current = lastCard(replies);
      const move = current && autopilot.respond(current.card);
      if (!current || !move) return current;
      for (const input of inputsOf(current.card).filter((i) => i.type === 'Input.Text'))
        move.value[input.id] = typed(input.id, n++).slice(0, input.maxLength);
      replies = await this.press(user, current, move.value);
    }
    return lastCard(replies);
  }
}
