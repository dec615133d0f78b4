import { readdirSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
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

const ATTEMPTS = 20;

/**
 * The text of every file `list` names, read in one pass. A store beside a running bot changes while it is read: a
 * checkpoint renames its temporary files over the old ones. A file that is gone before it is read (or while it is
 * listed) starts the pass again with a new list, so what is returned is a pass that read every file it listed; a
 * file that stays gone is an error.
 */
export async function readListed(list: () => string[]): Promise<{ file: string; text: string }[]> {
  for (let attempt = 1; ; attempt++) {
    try {
      const read: { file: string; text: string }[] = [];
      for (const file of list()) read.push({ file, text: await readFile(file, 'utf8') });
      return read;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || attempt === ATTEMPTS) throw err;
    }
  }
}

/** Which needles occur (case-insensitively) in which of the files `list` names: "file: needle" per hit. */
export async function scanFiles(list: () => string[], needles: string[]): Promise<string[]> {
  const wanted = [...new Set(needles.filter((n) => n.trim() !== ''))];
  const hits: string[] = [];
  for (const { file, text } of await readListed(list)) {
    const content = text.toLowerCase();
    for (const needle of wanted) if (content.includes(needle.toLowerCase())) hits.push(`${file}: ${needle}`);
  }
  return hits;
}
