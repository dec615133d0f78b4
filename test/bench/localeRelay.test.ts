import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, expect, test } from '@jest/globals';
import { LocaleRelay } from '../../scripts/support/localeRelay.js';
import { only } from '../support/defined.js';

/** The relay between the Agents Playground and the bot: it sets the locale, records each turn, never throws. */

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/** A stand-in bot that keeps the activities it got. */
async function upstream(): Promise<{ port: number; got: Record<string, unknown>[]; close: () => Promise<void> }> {
  const got: Record<string, unknown>[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      got.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>);
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return { port: (server.address() as AddressInfo).port, got, close };
}

const post = (port: number, activity: Record<string, unknown>) =>
  fetch(`http://127.0.0.1:${port}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(activity),
  });

test('the bot gets the relay locale, on the activity and its clientInfo; the turn keeps what was sent', async () => {
  const bot = await upstream();
  closers.push(bot.close);
  const relay = new LocaleRelay(() => bot.port, 'nl-NL');
  await relay.start();
  closers.push(() => relay.close());
  const entities = [{ type: 'clientInfo', locale: 'en-US' }, { type: 'mention' }];
  const res = await post(relay.port, { type: 'message', text: 'hallo', locale: 'en-US', entities });
  expect(res.status).toBe(201);
  const relayed = [{ type: 'clientInfo', locale: 'nl-NL' }, { type: 'mention' }];
  expect(bot.got).toEqual([{ type: 'message', text: 'hallo', locale: 'nl-NL', entities: relayed }]);
  expect(relay.turns).toEqual([expect.objectContaining({ n: 0, sentLocale: 'en-US', status: 201, done: true })]);
  expect(only(relay.turns, 'relayed turn').activity.text).toBe('hallo');
});

test('while the bot is down the relay answers 502 and records it, and keeps relaying afterwards', async () => {
  const down = await upstream();
  await down.close();
  let botPort = down.port;
  const relay = new LocaleRelay(() => botPort, 'en-US');
  await relay.start();
  closers.push(() => relay.close());
  expect((await post(relay.port, { type: 'message', text: 'anyone?' })).status).toBe(502);
  expect(relay.turns).toEqual([expect.objectContaining({ n: 0, sentLocale: undefined, status: 502, done: true })]);
  const restarted = await upstream();
  closers.push(restarted.close);
  botPort = restarted.port;
  expect((await post(relay.port, { type: 'message', text: 'back' })).status).toBe(201);
  expect(relay.turns[1]).toEqual(expect.objectContaining({ n: 1, status: 201, done: true }));
});
