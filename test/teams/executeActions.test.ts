import { expect, test } from '@jest/globals';
import type { CardAttachment } from '../../src/teams/cardTemplates.js';
import { withExecuteActions } from '../../src/teams/executeActions.js';

const attachment = (content: Record<string, unknown>): CardAttachment => ({
  contentType: 'application/vnd.microsoft.card.adaptive',
  content,
});
const stamp = { wz: { s: 'background', i: 0, r: 4, a: 'next', rd: 'default' } };

test('a stamped Action.Submit becomes an Action.Execute with the stamp as verb and itself as fallback', () => {
  const next = { type: 'Action.Submit', title: 'Opslaan en verder', data: stamp };
  const back = {
    type: 'Action.Submit',
    title: 'Terug',
    data: { wz: { ...stamp.wz, a: 'back' } },
    associatedInputs: 'none',
  };
  const card = { type: 'AdaptiveCard', version: '1.5', body: [], actions: [next, back] };
  const { content } = withExecuteActions(attachment(card));
  expect(content.actions).toEqual([
    { type: 'Action.Execute', title: 'Opslaan en verder', verb: 'next', data: stamp, fallback: next },
    { type: 'Action.Execute', title: 'Terug', verb: 'back', data: back.data, associatedInputs: 'none', fallback: back },
  ]);
  // The rendered card is not changed in place.
  expect(card.actions).toEqual([next, back]);
});

test('cards without stamped buttons, and cards below schema 1.4, stay as they are', () => {
  const form = attachment({
    type: 'AdaptiveCard',
    version: '1.5',
    body: [],
    actions: [{ type: 'Action.Submit', title: 'Opslaan', data: { wzr: 'saveRound' } }],
  });
  const link = attachment({
    type: 'AdaptiveCard',
    version: '1.5',
    body: [],
    actions: [{ type: 'Action.OpenUrl', title: 'Open', url: 'https://example.org' }],
  });
  const old = attachment({
    type: 'AdaptiveCard',
    version: '1.3',
    body: [],
    actions: [{ type: 'Action.Submit', title: 'Verder', data: stamp }],
  });
  const none = attachment({ type: 'AdaptiveCard', version: '1.5', body: [] });
  for (const card of [form, link, old, none]) expect(withExecuteActions(card)).toBe(card);
});
