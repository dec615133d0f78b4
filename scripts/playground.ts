import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { loadDotEnv } from '../src/config/dotenv.js';
import { LocaleRelay } from './support/localeRelay.js';
import { PLAYGROUND_USER_AAD_ID } from './support/playgroundUser.js';

/**
 * The README's first command: the bot on the embedded store plus Microsoft's Agents Playground, offline.
 * Telemetry is off and no browser is opened by the Playground itself. The Playground always sends locale en-US, so
 * a relay in front of the bot sets the locale of a Teams client in Dutch (PLAYGROUND_LOCALE=en-US for English).
 */
loadDotEnv();
const port = Number(process.env.PORT ?? 3978);
const playgroundPort = process.env.PLAYGROUND_PORT ?? '56150';
const locale = process.env.PLAYGROUND_LOCALE ?? 'nl-NL';
const require = createRequire(import.meta.url);
const playgroundBin = join(dirname(require.resolve('@microsoft/m365agentsplayground/package.json')), 'cli.js');

const children: ChildProcess[] = [];
function run(name: string, command: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  child.on('exit', (code) => {
    console.log(`${name} stopped (${code ?? 'signal'})`);
    for (const other of children) if (other !== child) other.kill('SIGTERM');
    process.exit(code ?? 0);
  });
  children.push(child);
  return child;
}

// The Playground's user is a researcher here, so that `ronde nieuw` and the other researcher commands work locally.
const researchers = [...(process.env.RESEARCHER_IDS ?? '').split(','), PLAYGROUND_USER_AAD_ID]
  .map((s) => s.trim())
  .filter(Boolean);
run('bot', process.execPath, ['dist/src/main.js'], {
  PORT: String(port),
  WIJZER_LOCAL: '1',
  RESEARCHER_IDS: [...new Set(researchers)].join(','),
});
const relay = new LocaleRelay(() => port, locale);
await relay.start();
// The Playground's web client waits for the bot endpoint; give the bot a moment to listen first.
setTimeout(() => {
  run(
    'playground',
    process.execPath,
    [
      playgroundBin,
      'start',
      '-e',
      `http://127.0.0.1:${relay.port}/api/messages`,
      '-c',
      'msteams',
      '--dt',
      '-p',
      playgroundPort,
    ],
    {
      APPLICATION_INSIGHTS_NO_STATSBEAT: '1',
      TEAMSAPPTESTER_BROWSER: 'none',
      M365_AGENTS_PLAYGROUND_LOGFILE: join('devTools', 'm365agentsplayground.log'),
    },
  );
  console.log(
    `\nWijzer is running (${locale}). Open http://localhost:${playgroundPort} in your browser and pick Personal Chat: the welcome card appears.\nYou (Alex Wilber) are a researcher: type "help" or "ronde nieuw" there.\n`,
  );
}, 1500);
const stop = () => {
  for (const child of children) child.kill('SIGTERM');
  void relay.close();
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
