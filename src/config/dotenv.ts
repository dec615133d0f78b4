import { existsSync, readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';

/**
 * Reads a `.env` file (Node's own parser, the syntax of `node --env-file`) into `env`, for the variables `env` does
 * not have yet: the real environment always wins, so a deployment's settings cannot be shadowed by a stray file.
 * A missing file is fine (production sets the environment itself). Under jest (NODE_ENV=test, passed on to the bots
 * the tests start in the repository folder) it is not read: a developer's .env must not change what a test runs.
 * Returns the names it set.
 */
export function loadDotEnv(path = '.env', env: NodeJS.ProcessEnv = process.env): string[] {
  if (env.NODE_ENV === 'test' || !existsSync(path)) return [];
  const set: string[] = [];
  for (const [name, value] of Object.entries(parseEnv(readFileSync(path, 'utf8')))) {
    if (name in env) continue;
    env[name] = value;
    set.push(name);
  }
  return set;
}
