import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Every file below a folder, recursively (none when it does not exist). */
export function filesBelow(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.flatMap((name) =>
    statSync(join(dir, name)).isDirectory() ? filesBelow(join(dir, name)) : [join(dir, name)],
  );
}
