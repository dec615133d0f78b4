import { expect, test } from '@jest/globals';
import { fallbackOf, partOf } from '../../scripts/support/profileParts.js';

const root = 'file:///srv/wijzer';

test.each([
  ['writeTemp', `${root}/dist/src/storage/lowdb/storeFiles.js`, 'embedded store (files, cache)'],
  ['read', `${root}/dist/src/http/jsonBody.js`, 'HTTP server (restify, body parsing)'],
  ['checkActivity', `${root}/dist/src/teams/activitySchema.js`, 'activity validation (zod)'],
  [
    'serialize',
    `${root}/node_modules/@azure/core-client/dist/serializer.js`,
    'Bot Connector calls (reply, card update)',
  ],
  ['run', `${root}/node_modules/botbuilder-core/lib/activityHandler.js`, 'botbuilder turn handling'],
  ['expand', `${root}/node_modules/adaptivecards-templating/lib/x.js`, 'card templating (expression evaluation)'],
  ['compileElement', `${root}/dist/src/content/templateCompiler.js`, 'card templating (expression evaluation)'],
  ['scrub', `${root}/dist/src/interview/scrubNames.js`, 'scrubber'],
  ['applySubmission', `${root}/dist/src/interview/engine.js`, 'interview engine and views'],
  ['pseudonymOf', `${root}/dist/src/storage/pseudonym.js`, 'pseudonyms and fingerprints (HMAC)'],
  ['(garbage collector)', '', 'garbage collection'],
  ['Module._compile', 'node:internal/modules/cjs/loader', 'start-up'],
])('%s in %s belongs to %s', (functionName, url, part) => {
  expect(partOf({ functionName, url })).toBe(part);
});

test('a frame of node itself claims nothing: the search goes on outwards', () => {
  expect(partOf({ functionName: 'emit', url: 'node:events' })).toBeNull();
  // Function names that Object.prototype has are not parts.
  expect(partOf({ functionName: 'toString', url: '' })).toBeNull();
});

test('a sample no frame claims goes by its leaf: socket code or the rest', () => {
  const socketWrite = { functionName: 'writevGeneric', url: 'node:internal/stream_base_commons' };
  expect(fallbackOf(socketWrite)).toBe('sockets and streams (node)');
  expect(fallbackOf({ functionName: 'parse', url: '' })).toBe('other (node internals, JSON, crypto)');
});
