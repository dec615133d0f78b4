/** A V8 CPU profile's call frame (the fields the breakdown reads). */
export interface Frame {
  functionName: string;
  url: string;
}

/** The parts of a turn, in the order a table lists parts of equal weight. */
export const PARTS = [
  'embedded store (files, cache)',
  'HTTP server (restify, body parsing)',
  'activity validation (zod)',
  'garbage collection',
  'Bot Connector calls (reply, card update)',
  'botbuilder turn handling',
  'interview engine and views',
  'card templating (expression evaluation)',
  'scrubber',
  'pseudonyms and fingerprints (HMAC)',
  'logging',
  'time-zone formatting',
  'sockets and streams (node)',
  'V8 / native',
  'other (node internals, JSON, crypto)',
  'start-up',
  'idle',
];

/** By the file a frame runs in: the first rule whose pattern matches names the part. */
const BY_FILE: [RegExp, string][] = [
  [
    /\/node_modules\/(?:restify|raw-body|find-my-way)\/|\/src\/http\/|node:_http_(?:server|incoming)/,
    'HTTP server (restify, body parsing)',
  ],
  [/\/src\/teams\/activitySchema\./, 'activity validation (zod)'],
  [/\/src\/storage\/|\/node_modules\/(?:lru-cache|lowdb|steno)\//, 'embedded store (files, cache)'],
  [
    /\/node_modules\/(?:@azure|@typespec|botframework-connector)\/|azureCoreHttpCompat|node:_http_(?:client|agent)/,
    'Bot Connector calls (reply, card update)',
  ],
  [/\/node_modules\/botbuilder[a-z-]*\/|\/src\/teams\/(?:adapter|bot)\./, 'botbuilder turn handling'],
  [
    /\/node_modules\/(?:adaptivecards-templating|adaptive-expressions|antlr4ts)\/|\/src\/teams\/cardTemplates\.|\/src\/content\/(?:cardTemplate|templateCompiler|templateScope)\./,
    'card templating (expression evaluation)',
  ],
  [/\/src\/interview\/scrub/, 'scrubber'],
  [/\/src\/time\.|\/node_modules\/(?:date-fns|@date-fns)\//, 'time-zone formatting'],
  [/\/src\/log\.|\/node_modules\/(?:pino|sonic-boom|thread-stream)[a-z-]*\//, 'logging'],
  [/\/src\//, 'interview engine and views'],
  [/node:internal\/modules\/|node:internal\/vm/, 'start-up'],
];

/** Functions that say what the work is wherever they run. */
const BY_FUNCTION = new Map(
  Object.entries({
    '(garbage collector)': 'garbage collection',
    '(idle)': 'idle',
    '(program)': 'V8 / native',
    pseudonymOf: 'pseudonyms and fingerprints (HMAC)',
    fingerprint: 'pseudonyms and fingerprints (HMAC)',
    startServer: 'start-up',
  }),
);

/** The part a frame belongs to, or null to look further out. */
export function partOf(frame: Frame): string | null {
  return BY_FUNCTION.get(frame.functionName) ?? BY_FILE.find(([pattern]) => pattern.test(frame.url))?.[1] ?? null;
}

/** A sample no frame of the program claims (a callback from the event loop): by the function that ran. */
export function fallbackOf(leaf: Frame): string {
  const sockets = /^node:(?:net|internal\/stream_base_commons|internal\/streams\/)/.test(leaf.url);
  return sockets ? 'sockets and streams (node)' : 'other (node internals, JSON, crypto)';
}
