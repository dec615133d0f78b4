import { expect, test } from '@jest/globals';
import type { Activity } from 'botbuilder';
import { DialogTestClient } from 'botbuilder-testing';
import type { InterviewSession, TurnRequest } from '../../src/interview/session.js';
import { Pseudonyms } from '../../src/storage/pseudonyms.js';
import { CardTemplates } from '../../src/teams/cardTemplates.js';
import { InterviewDialog } from '../../src/teams/interviewDialog.js';

/**
 * The chat target (where reminders go) is refreshed when the chat opens and on a participant's first turn in this
 * process; the participants whose target was refreshed are remembered up to a bound, so that memory does not grow
 * with every participant a long-running bot has seen: one forgotten is refreshed once more, nothing else changes.
 */

function dialogWith(targetsKept?: number) {
  const requests: TurnRequest[] = [];
  const session = {
    run: async (request: TurnRequest) => {
      requests.push(request);
      return { replies: [] };
    },
  } as unknown as InterviewSession;
  const dialog = new InterviewDialog(session, new CardTemplates(), new Pseudonyms(Buffer.alloc(32, 7)), targetsKept);
  const client = new DialogTestClient('msteams', dialog);
  const say = (user: string, text = 'verder') =>
    client.sendActivity({
      type: 'message',
      text,
      locale: 'nl-NL',
      from: { id: `29:${user}`, name: user },
      conversation: { id: `a:chat-${user}`, tenantId: 'tenant', conversationType: 'personal', isGroup: false },
      serviceUrl: 'https://smba.trafficmanager.net/emea/',
    } as Partial<Activity>);
  return { requests, say };
}

test('a participant seen before keeps their target until the chat opens again', async () => {
  const { requests, say } = dialogWith();
  await say('a');
  await say('b');
  await say('a');
  expect(requests.map((r) => r.refreshTarget)).toEqual([true, true, false]);
});

test('past the bound, the participant seen longest ago is forgotten and refreshed once more', async () => {
  const { requests, say } = dialogWith(2);
  for (const user of ['a', 'b', 'a', 'c', 'a', 'b']) await say(user);
  // a stays (seen again before c came), b is the one forgotten when c arrives.
  expect(requests.map((r) => r.refreshTarget)).toEqual([true, true, false, true, false, true]);
});
