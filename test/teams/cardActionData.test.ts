import { expect, test } from '@jest/globals';
import type { Activity } from 'botbuilder';
import { CARD_ACTION, cardActionData } from '../../src/teams/cardInvoke.js';

/** The data of a pressed Action.Execute button, read once per invoke and never handed to another one. */

const invoke = (value: unknown): Partial<Activity> => ({ type: 'invoke', name: CARD_ACTION, value });
const execute = (data: Record<string, unknown>) => ({ action: { type: 'Action.Execute', verb: 'next', data } });

test('asked twice for one invoke, the same data; another invoke gets its own', () => {
  const first = invoke(execute({ wz: { s: 'a' }, answer: 'one' }));
  const second = invoke(execute({ wz: { s: 'b' }, answer: 'two' }));
  expect(cardActionData(first)).toEqual({ wz: { s: 'a' }, answer: 'one' });
  expect(cardActionData(first)).toBe(cardActionData(first));
  expect(cardActionData(second)).toEqual({ wz: { s: 'b' }, answer: 'two' });
});

test('an activity whose value is replaced is read anew', () => {
  const activity = invoke(execute({ answer: 'before' }));
  expect(cardActionData(activity)).toEqual({ answer: 'before' });
  activity.value = execute({ answer: 'after' });
  expect(cardActionData(activity)).toEqual({ answer: 'after' });
  activity.value = { action: { type: 'Action.Submit', data: {} } };
  expect(cardActionData(activity)).toBeNull();
});

test('unreadable invokes stay unreadable however often they are asked about', () => {
  for (const value of [undefined, null, 'text', [], { action: { type: 'Action.Execute', data: [] } }]) {
    const activity = invoke(value);
    expect(cardActionData(activity)).toBeNull();
    expect(cardActionData(activity)).toBeNull();
  }
  expect(cardActionData({ type: 'message', value: execute({ answer: 'x' }) })).toBeNull();
});
