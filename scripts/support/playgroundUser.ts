/**
 * The Entra object id of the Agents Playground's current user (Alex Wilber, `user-id-0`) in its default
 * configuration (0.2.28). `npm run playground` lists it in RESEARCHER_IDS; test/config/playground.test.ts checks it
 * against the installed package.
 */
export const PLAYGROUND_USER_AAD_ID = '00000000-0000-0000-0000-0000000000020';
