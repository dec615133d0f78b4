/**
 * What the embedded store's durable writes cost the process: `node dist/scripts/writeCost.js [--participants 200]
 * [--turns 19] [--runs 2]` runs scripts/bench/writeCost.ts's card turns with the journal and with a file per write,
 * one after the other, each run twice by default, and prints a table of the process CPU per turn.
 */
import { measureWrites } from './bench/writeCost.js';

function option(argv: string[], name: string, fallback: number): number {
  const at = argv.indexOf(name);
  const value = at >= 0 ? Number(argv[at + 1]) : fallback;
  if (!Number.isInteger(value) || value <= 0) {
    console.error('usage: writeCost [--participants N] [--turns N] [--runs N]');
    process.exit(2);
  }
  return value;
}

async function main(argv: string[]): Promise<void> {
  const participants = option(argv, '--participants', 200);
  const turns = option(argv, '--turns', 19);
  const runs = option(argv, '--runs', 2);
  console.log('| run | writes | turns | user ms/turn | system ms/turn | CPU ms/turn | wall ms/turn |');
  console.log('|---|---|---|---|---|---|---|');
  for (let run = 1; run <= runs; run++) {
    for (const mode of ['files', 'journal'] as const) {
      const cost = await measureWrites(mode, participants, turns);
      const cells = [cost.userMs, cost.systemMs, cost.userMs + cost.systemMs, cost.wallMs].map((ms) => ms.toFixed(3));
      console.log(`| ${run} | ${mode} | ${cost.turns} | ${cells.join(' | ')} |`);
    }
  }
}

await main(process.argv.slice(2));
