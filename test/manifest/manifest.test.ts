import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { AppManifest } from '@microsoft/app-manifest';
import AdmZip from 'adm-zip';
import { buildAppPackage, PLACEHOLDER_ID } from '../../scripts/package.js';
import { at, defined } from '../support/defined.js';

// app-manifest (CJS) requires the ESM-only strip-bom: Node 20.19+ allows that, Jest's CJS loader does not.
jest.mock('strip-bom', () => ({ __esModule: true, default: (s: string) => s.replace(/^\uFEFF/, '') }));
const { AppManifestUtils } = await import('@microsoft/app-manifest');

const root = fileURLToPath(new URL('../../', import.meta.url));
const manifestDir = path.join(root, 'manifest');
const manifestPath = path.join(manifestDir, 'manifest.json');
const packageDir = path.dirname(createRequire(import.meta.url).resolve('@microsoft/app-manifest/package.json'));

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the tests walk the manifest's JSON by path.
type Json = Record<string, any>;
const readJson = async (file: string): Promise<Json> => JSON.parse(await readFile(file, 'utf8')) as Json;

/** The bundled schema file the package should use for a developer.microsoft.com schema URL. */
function bundledSchemaFile(schemaUrl: string): string {
  const match = /\/json-schemas\/(teams\/[^/]+\/[^/]+\.json)$/.exec(new URL(schemaUrl).pathname);
  if (!match) throw new Error(`Not a Teams schema URL: ${schemaUrl}`);
  return path.join(packageDir, 'build', 'json-schemas', defined(match[1], 'the schema path'));
}

/** Reader errors; the typed reader throws (rather than reporting) on some structural faults. */
async function readerErrors(file: string): Promise<string[]> {
  try {
    const [, errors] = await AppManifestUtils.readAndValidateTeamsManifest(file);
    return errors;
  } catch (err) {
    return [String(err)];
  }
}

/**
 * Microsoft's Localization schemas (v1.8 onwards) contain pattern keys with a lone `]`, which Ajv's
 * unicode regexes reject at compile time; escape it so the rest of the schema still applies.
 */
function escapeLoneBrackets(pattern: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      out += c + pattern[++i];
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === ']') {
      if (!inClass) {
        out += '\\]';
        continue;
      }
      inClass = false;
    }
    out += c;
  }
  return out;
}

function repairPatterns(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(repairPatterns);
  if (!node || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node).map(([key, value]) => {
      if (key === 'patternProperties') {
        const props = Object.entries(value as Json).map(([p, v]) => [escapeLoneBrackets(p), repairPatterns(v)]);
        return [key, Object.fromEntries(props)];
      }
      return [key, repairPatterns(value)];
    }),
  );
}

interface Png {
  width: number;
  height: number;
  bitDepth: number;
  colorType: number;
  data: Buffer;
}

function readPng(buf: Buffer): Png {
  expect(buf.subarray(0, 8).equals(Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]))).toBe(true);
  expect(buf.toString('latin1', 12, 16)).toBe('IHDR');
  const idat: Buffer[] = [];
  for (let at = 8; at < buf.length;) {
    const len = buf.readUInt32BE(at);
    if (buf.toString('latin1', at + 4, at + 8) === 'IDAT') idat.push(buf.subarray(at + 8, at + 8 + len));
    at += len + 12;
  }
  return {
    width: buf.readUInt32BE(16),
    height: buf.readUInt32BE(20),
    bitDepth: buf.readUInt8(24),
    colorType: buf.readUInt8(25),
    data: Buffer.concat(idat),
  };
}

/** Unfiltered RGBA rows of an 8-bit, non-interlaced RGBA PNG (what resvg writes). */
function rgbaPixels(png: Png): Buffer {
  expect([png.colorType, png.bitDepth]).toEqual([6, 8]);
  const stride = png.width * 4;
  const raw = inflateSync(png.data);
  const out = Buffer.alloc(stride * png.height);
  for (let y = 0; y < png.height; y++) {
    const filter = raw.readUInt8(y * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const v = raw.readUInt8(y * (stride + 1) + 1 + x);
      const a = x >= 4 ? out.readUInt8(y * stride + x - 4) : 0;
      const b = y > 0 ? out.readUInt8((y - 1) * stride + x) : 0;
      const c = x >= 4 && y > 0 ? out.readUInt8((y - 1) * stride + x - 4) : 0;
      const p = a + b - c;
      const paeth =
        Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c)
          ? a
          : Math.abs(p - b) <= Math.abs(p - c)
            ? b
            : c;
      const pred = at([0, a, b, (a + b) >> 1, paeth], filter, 'PNG row filter');
      out[y * stride + x] = (v + pred) & 0xff;
    }
  }
  return out;
}

let tmp: string;
let fetchSpy: ReturnType<typeof jest.spyOn>;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'wijzer-manifest-'));
  // Any network use by the validator fails the test (and is asserted never to happen).
  fetchSpy = jest.spyOn(globalThis, 'fetch').mockRejectedValue(new Error('network is off in this test'));
});

afterAll(async () => {
  fetchSpy.mockRestore();
  await rm(tmp, { recursive: true, force: true });
});

describe('Teams manifest', () => {
  it('loads its schema from the package, offline', async () => {
    const manifest = await readJson(manifestPath);
    const raw = await readFile(bundledSchemaFile(manifest.$schema), 'utf8');
    // fetchSchema rewrites \a and \v escapes (invalid in JS regexes) the same way.
    const local = JSON.parse(raw.replace(/\\a/g, '\\u0007').replace(/\\v/g, '\\u000b')) as Json;
    expect(local.properties.manifestVersion.const).toBe(manifest.manifestVersion);
    expect(await AppManifestUtils.fetchSchema(manifest.$schema)).toEqual(local);
    expect(fetchSpy).not.toHaveBeenCalled();

    // The stub does sit on the validator's network path: an unbundled schema reaches it.
    const unbundled = 'https://example.org/json-schemas/teams/v9.99/MicrosoftTeams.schema.json';
    await expect(AppManifestUtils.fetchSchema(unbundled)).rejects.toThrow(/network is off/);
    expect(fetchSpy).toHaveBeenCalledTimes(1);
    fetchSpy.mockClear();
  });

  it('validates against the bundled official schema', async () => {
    expect(await readerErrors(manifestPath)).toEqual([]);
    // Raw JSON too, in case the typed reader normalises something away.
    expect(await AppManifestUtils.validateAgainstSchema((await readJson(manifestPath)) as AppManifest)).toEqual([]);
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('has the localization file validated against the bundled Localization schema', async () => {
    const manifest = await readJson(manifestPath);
    expect(manifest.localizationInfo.defaultLanguageTag).toBe('nl');
    const english = at(manifest.localizationInfo.additionalLanguages as { languageTag: string; file: string }[], 0);
    expect(english.languageTag).toBe('en');

    const en = await readJson(path.join(manifestDir, english.file));
    const schema = repairPatterns(await readJson(bundledSchemaFile(en.$schema)));
    const validate = (doc: Json) =>
      AppManifestUtils.validateAgainstSchema(
        doc as AppManifest,
        schema as Parameters<typeof AppManifestUtils.validateAgainstSchema>[1],
      );
    expect(await validate(en)).toEqual([]);
    expect(await validate({ ...en, 'name.short': 'x'.repeat(31), bogus: 1 })).toHaveLength(2);
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('reports errors for a broken copy', async () => {
    const broken = await readJson(manifestPath);
    delete broken.bots[0].botId;
    broken.bots[0].scopes.push('channel');
    const brokenPath = path.join(tmp, 'broken.json');
    await writeFile(brokenPath, JSON.stringify(broken));
    expect(await readerErrors(brokenPath)).not.toEqual([]);
    const errors = await AppManifestUtils.validateAgainstSchema(broken as AppManifest);
    expect(errors.some((e) => e.includes("required property 'botId'"))).toBe(true);
    expect(errors.some((e) => e.startsWith('/bots/0/scopes/3 must be equal to one of the allowed values'))).toBe(true);

    // A fault only the schema knows about: the reader must report it, not pass it.
    const badGuid = await readJson(manifestPath);
    badGuid.bots[0].botId = 'not-a-guid';
    const badGuidPath = path.join(tmp, 'bad-guid.json');
    await writeFile(badGuidPath, JSON.stringify(badGuid));
    expect((await readerErrors(badGuidPath)).some((e) => e.startsWith('/bots/0/botId must match pattern'))).toBe(true);
  });
});

describe('icons', () => {
  it('colour icon is a 192x192 PNG', async () => {
    const png = readPng(await readFile(path.join(manifestDir, 'color.png')));
    expect([png.width, png.height]).toEqual([192, 192]);
    const px = rgbaPixels(png);
    expect([...px.subarray(0, 4)]).toEqual([0x0f, 0x6e, 0x56, 255]); // accent background, no padding cut-out
    expect(px.subarray(0, 4).equals(px.subarray(px.length - 4))).toBe(true);
  });

  it('outline icon is a 32x32 PNG with alpha, only white or transparent', async () => {
    const png = readPng(await readFile(path.join(manifestDir, 'outline.png')));
    expect([png.width, png.height]).toEqual([32, 32]);
    const px = rgbaPixels(png);
    let transparent = 0;
    let opaque = 0;
    for (let i = 0; i < px.length; i += 4) {
      if (px[i + 3] === 0) transparent++;
      else {
        if (px[i + 3] === 255) opaque++;
        expect([px[i], px[i + 1], px[i + 2]]).toEqual([255, 255, 255]);
      }
    }
    expect(transparent).toBeGreaterThan(0);
    expect(opaque).toBeGreaterThan(0);
  });
});

describe('app package', () => {
  const entriesOf = (file: string) =>
    new AdmZip(file)
      .getEntries()
      .map((e) => e.entryName)
      .sort();
  const zippedManifest = (file: string) => JSON.parse(new AdmZip(file).readAsText('manifest.json')) as Json;
  const expected = ['color.png', 'en.json', 'manifest.json', 'outline.png'];

  it('puts exactly the manifest, localization and icons at the zip root', async () => {
    const outFile = path.join(tmp, 'plain', 'app.zip');
    expect((await buildAppPackage({ root, outFile })).sort()).toEqual(expected);
    expect(entriesOf(outFile)).toEqual(expected);
    const manifest = zippedManifest(outFile);
    expect(manifest.id).toBe(PLACEHOLDER_ID);
    expect(manifest.bots[0].botId).toBe(PLACEHOLDER_ID);
  });

  it('substitutes the app id and stays valid', async () => {
    const appId = '1b4e28ba-2fa1-11d2-883f-0016d3cca427';
    const outFile = path.join(tmp, 'with-id', 'app.zip');
    await buildAppPackage({ root, outFile, appId });
    expect(entriesOf(outFile)).toEqual(expected);
    const manifest = zippedManifest(outFile);
    expect(manifest.id).toBe(appId);
    expect(manifest.bots[0].botId).toBe(appId);

    const extracted = path.join(tmp, 'with-id', 'manifest.json');
    await writeFile(extracted, JSON.stringify(manifest));
    expect(await readerErrors(extracted)).toEqual([]);
  });

  it('rejects an app id that is not a GUID', async () => {
    await expect(buildAppPackage({ root, outFile: path.join(tmp, 'x.zip'), appId: 'abc' })).rejects.toThrow(/GUID/);
  });
});
