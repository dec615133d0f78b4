import { deflateSync } from 'node:zlib';
import { defined } from '../defined.js';

/*
 * A small PNG encoder for palette (indexed) images. resvg writes 32-bit RGBA; a chart of flat colours needs a few
 * dozen colours, and as a palette PNG it is several times smaller — what lets the chart travel inside a Teams card.
 */

const SIGNATURE = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]);

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

const PIXEL = 'byte of a pixel';

/** The colour of the pixel at byte `i` of RGBA data (a multiple of 4 below its length) as one number, alpha left out. */
function rgbKey(pixels: Uint8Array, i: number): number {
  return (defined(pixels[i], PIXEL) << 16) | (defined(pixels[i + 1], PIXEL) << 8) | defined(pixels[i + 2], PIXEL);
}

function crc32(data: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of data) crc = defined(CRC_TABLE[(crc ^ byte) & 0xff], 'CRC table entry') ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/**
 * Encodes opaque RGBA pixels (alpha is ignored: draw on a background) as a palette PNG: the exact colours when there
 * are at most 256, else the 256 most frequent with every other pixel mapped to the nearest of them.
 */
export function indexedPng(pixels: Uint8Array, width: number, height: number): Buffer {
  if (pixels.length !== width * height * 4)
    throw new Error(`expected ${width * height * 4} bytes of RGBA, got ${pixels.length}`);
  const frequency = new Map<number, number>();
  let runKey = -1;
  let run = 0;
  for (let i = 0; i < pixels.length; i += 4) {
    const key = rgbKey(pixels, i);
    if (key === runKey) {
      run++;
      continue;
    }
    if (run) frequency.set(runKey, (frequency.get(runKey) ?? 0) + run);
    runKey = key;
    run = 1;
  }
  if (run) frequency.set(runKey, (frequency.get(runKey) ?? 0) + run);
  const palette = [...frequency.entries()]
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .slice(0, 256)
    .map(([key]) => key);
  const index = new Map(palette.map((key, i) => [key, i]));
  const nearest = (key: number): number => {
    const r = key >> 16,
      g = (key >> 8) & 255,
      b = key & 255;
    let best = 0;
    let bestDistance = Infinity;
    palette.forEach((p, i) => {
      const d = (r - (p >> 16)) ** 2 + (g - ((p >> 8) & 255)) ** 2 + (b - (p & 255)) ** 2;
      if (d < bestDistance) {
        bestDistance = d;
        best = i;
      }
    });
    index.set(key, best);
    return best;
  };

  const depth = palette.length <= 2 ? 1 : palette.length <= 4 ? 2 : palette.length <= 16 ? 4 : 8;
  const perByte = 8 / depth;
  const stride = Math.ceil(width / perByte);
  const raw = Buffer.alloc((stride + 1) * height);
  let lastKey = -1;
  let lastValue = 0;
  for (let y = 0; y < height; y++) {
    const row = y * (stride + 1);
    raw[row] = 0; // filter: none (best for palette images)
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      const key = rgbKey(pixels, i);
      // Runs of one colour are the rule in a chart: skip the lookup for them.
      const value = key === lastKey ? lastValue : (index.get(key) ?? nearest(key));
      lastKey = key;
      lastValue = value;
      const at = row + 1 + Math.floor(x / perByte);
      raw[at] = defined(raw[at], 'byte of a row') | (value << (8 - depth * ((x % perByte) + 1)));
    }
  }

  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = depth;
  header[9] = 3; // colour type: palette
  const plte = Buffer.alloc(palette.length * 3);
  palette.forEach((key, i) => {
    plte[i * 3] = key >> 16;
    plte[i * 3 + 1] = (key >> 8) & 255;
    plte[i * 3 + 2] = key & 255;
  });
  return Buffer.concat([
    SIGNATURE,
    chunk('IHDR', header),
    chunk('PLTE', plte),
    chunk('IDAT', deflateSync(raw, { level: 9, memLevel: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
