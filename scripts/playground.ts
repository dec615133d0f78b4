import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * The README's first command: the bot on the embedded store plus Microsoft's Agents Playground, offline.
 * Telemetry is off and no browser is opened by the Playground itself.
 */
const port = process.env.PORT ?? '3978';
const playgroundPort = process.env.PLAYGROUND_PORT ?? '56150';
const require = createRequire(import.meta.url);
const playgroundBin = join(dirname(require.resolve('@microsoft/m365agentsplayground/package.json')), 'cli.js');

function run(name: string, command: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  child.on('exit', (code) => {
    console.log(`${name} stopped (${code ?? 'signal'})`);
    process.exit(code ?? 0);
  });
  return child;
}

const bot = run('bot', process.execPath, ['dist/src/main.js'], { PORT: port });
// The Playground's web client waits for the bot endpoint; give the bot a moment to listen first.
setTimeout(() => {
  const playground = run('playground', process.execPath, [playgroundBin, 'start', '-e', `http://127.0.0.1:${port}/api/messages`, '-c', 'msteams', '--dt', '-p', playgroundPort], {
    APPLICATION_INSIGHTS_NO_STATSBEAT: '1',
    TEAMSAPPTESTER_BROWSER: 'none',
    M365_AGENTS_PLAYGROUND_LOGFILE: join('devTools', 'm365agentsplayground.log'),
  });
  console.log(`\nWijzer is running. Open http://localhost:${playgroundPort} in your browser and say "hallo" in the Personal Chat.\n`);
  const stop = () => {
    playground.kill('SIGTERM');
    bot.kill('SIGTERM');
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}, 1500);
