/**
 * Where a server's CPU went, per turn: `node dist/scripts/profileBreakdown.js PROFILE.cpuprofile --turns N` reads a
 * V8 CPU profile (`npm run bench -- --phases a --profile DIR` writes one per server process) and puts each sample
 * under the first part of the program on its stack, from the running function outwards, that it belongs to. Time
 * spent loading modules is start-up, not a turn's, and is left out; so is idle time.
 */
import { readFileSync } from 'node:fs';
import { fallbackOf, partOf, PARTS, type Frame } from './support/profileParts.js';

interface ProfileNode {
  id: number;
  callFrame: Frame;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Each node's part: the first frame from the node outwards that names one, else the leaf's fallback. */
function partsByNode(profile: CpuProfile): Map<number, string> {
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parts = new Map<number, string>();
  for (const node of profile.nodes) {
    let part: string | null = null;
    for (let id: number | undefined = node.id; id !== undefined && !part; id = parent.get(id)) {
      part = partOf(byId.get(id)!.callFrame);
    }
    parts.set(node.id, part ?? fallbackOf(node.callFrame));
  }
  return parts;
}

function main(argv: string[]): void {
  const file = argv.find((arg) => arg.endsWith('.cpuprofile'));
  const turnsAt = argv.indexOf('--turns');
  const turns = Number(turnsAt >= 0 ? argv[turnsAt + 1] : NaN);
  if (!file || !Number.isInteger(turns) || turns <= 0) {
    console.error('usage: profileBreakdown PROFILE.cpuprofile --turns N');
    process.exit(2);
  }
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const parts = partsByNode(profile);
  const microseconds = new Map<string, number>();
  // A sample's time is the gap to the next sample: what it was doing until then.
  profile.samples.forEach((node, i) => {
    const part = parts.get(node)!;
    microseconds.set(part, (microseconds.get(part) ?? 0) + (profile.timeDeltas[i + 1] ?? 0));
  });
  const counted = [...microseconds].filter(([part]) => part !== 'idle' && part !== 'start-up');
  const total = counted.reduce((sum, [, us]) => sum + us, 0);
  const order = (part: string) => PARTS.indexOf(part);
  console.log('| part of the turn | ms/turn | share |\n|---|---|---|');
  for (const [part, us] of counted.sort((a, b) => b[1] - a[1] || order(a[0]) - order(b[0]))) {
    console.log(`| ${part} | ${(us / 1000 / turns).toFixed(2)} | ${Math.round((100 * us) / total)}% |`);
  }
  console.log(`| total | ${(total / 1000 / turns).toFixed(2)} | |`);
  const seconds = (part: string) => ((microseconds.get(part) ?? 0) / 1e6).toFixed(1);
  console.log(`(left out: start-up ${seconds('start-up')} s, idle ${seconds('idle')} s)`);
}

main(process.argv.slice(2));
