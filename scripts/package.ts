/** Builds the Teams app package (build/wijzer-teams-app.zip) from manifest/. */
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import AdmZip from 'adm-zip';

export const PLACEHOLDER_ID = '00000000-0000-0000-0000-000000000000';
const GUID = /^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/;

interface ManifestFiles {
  id: string;
  icons: { color: string; outline: string };
  localizationInfo?: { additionalLanguages?: { file: string }[] };
  bots?: { botId: string }[];
}

export interface BuildOptions {
  root: string;
  outFile: string;
  appId?: string;
}

/** Writes the zip and returns its entry names; every file sits at the zip root, as Teams requires. */
export async function buildAppPackage({ root, outFile, appId }: BuildOptions): Promise<string[]> {
  if (appId !== undefined && !GUID.test(appId)) throw new Error(`App id is not a GUID: ${appId}`);
  const dir = path.join(root, 'manifest');
  const manifest = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8')) as ManifestFiles;
  if (appId) {
    manifest.id = appId;
    for (const bot of manifest.bots ?? []) bot.botId = appId;
  }

  // Package exactly what the manifest references, so a renamed icon cannot silently go missing.
  const files = [
    manifest.icons.color,
    manifest.icons.outline,
    ...(manifest.localizationInfo?.additionalLanguages ?? []).map((l) => l.file),
  ];
  const zip = new AdmZip();
  zip.addFile('manifest.json', Buffer.from(JSON.stringify(manifest, null, 2) + '\n', 'utf8'));
  for (const file of files) {
    if (path.basename(file) !== file) throw new Error(`Teams expects package files at the zip root: ${file}`);
    zip.addFile(file, await readFile(path.join(dir, file)));
  }

  await mkdir(path.dirname(outFile), { recursive: true });
  await zip.writeZipPromise(outFile, { overwrite: true });
  return zip.getEntries().map((e) => e.entryName);
}

async function main(): Promise<void> {
  const root = process.cwd();
  const outFile = path.join(root, 'build', 'wijzer-teams-app.zip');
  const appId = process.env.MicrosoftAppId || undefined;
  if (!appId)
    console.warn(`Warning: MicrosoftAppId is not set; the package keeps the placeholder id ${PLACEHOLDER_ID}.`);
  const entries = await buildAppPackage({ root, outFile, appId });
  console.log(`Wrote ${outFile}: ${entries.join(', ')}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
