import { TurnContext, type Activity, type BotAdapter, type ConversationParameters } from 'botbuilder';
import { ClaimsIdentity } from 'botframework-connector';
import { sendPrivately } from '../../src/teams/privateChat.js';
import { only } from '../support/defined.js';

const APP_ID = '3f1c2a7e-0d1b-4c55-9a3e-7f00c0ffee01';

/** Just what sendPrivately uses of a CloudAdapter, recording the call. */
function fakeAdapter(fail = false) {
  const calls: {
    appId: string;
    channelId: string;
    serviceUrl: string;
    parameters: ConversationParameters;
    sent: Partial<Activity>[];
  }[] = [];
  const adapter = {
    BotIdentityKey: Symbol('BotIdentity'),
    async createConversationAsync(
      appId: string,
      channelId: string,
      serviceUrl: string,
      _audience: string,
      parameters: ConversationParameters,
      logic: (c: TurnContext) => Promise<void>,
    ) {
      if (fail) throw Object.assign(new Error('Forbidden'), { statusCode: 403 });
      const call = { appId, channelId, serviceUrl, parameters, sent: [] as Partial<Activity>[] };
      calls.push(call);
      await logic({
        sendActivities: async (a: Partial<Activity>[]) => {
          call.sent.push(...a);
          return [];
        },
      } as unknown as TurnContext);
    },
  };
  return { adapter, calls };
}

const channelMessage: Partial<Activity> = {
  type: 'message',
  channelId: 'msteams',
  serviceUrl: 'https://smba.trafficmanager.net/emea/',
  from: { id: '29:researcher', name: 'R', aadObjectId: '11111111-2222-3333-4444-555555555555' },
  recipient: { id: `28:${APP_ID}`, name: 'Wijzer' },
  conversation: {
    id: '19:channel@thread.tacv2',
    conversationType: 'channel',
    isGroup: true,
    tenantId: 'tenant-a',
    name: '',
  },
};

test("opens a 1:1 chat with the sender, as the bot the channel's token was for, and sends there", async () => {
  const { adapter, calls } = fakeAdapter();
  const context = new TurnContext(adapter as unknown as BotAdapter, channelMessage);
  context.turnState.set(
    adapter.BotIdentityKey,
    new ClaimsIdentity(
      [
        { type: 'aud', value: APP_ID },
        { type: 'iss', value: 'https://api.botframework.com' },
      ],
      true,
    ),
  );
  expect(await sendPrivately(context, [{ type: 'message', text: 'links' }])).toBe(true);
  expect(calls).toHaveLength(1);
  expect(calls[0]).toMatchObject({
    appId: APP_ID,
    channelId: 'msteams',
    serviceUrl: channelMessage.serviceUrl,
    parameters: { isGroup: false, members: [{ id: '29:researcher' }], tenantId: 'tenant-a' },
  });
  expect(only(calls, 'private send').sent).toEqual([{ type: 'message', text: 'links' }]);
});

test('false when Teams refuses the chat', async () => {
  const { adapter } = fakeAdapter(true);
  expect(
    await sendPrivately(new TurnContext(adapter as unknown as BotAdapter, channelMessage), [
      { type: 'message', text: 'links' },
    ]),
  ).toBe(false);
});
