/**
 * Draws the app icon (a blue tile with three score bars) as PNGs for the web manifest, with no image library:
 * shapes are rasterised with 4× supersampling and written as PNG with node:zlib. Run: node app/make-icons.mjs
 */
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const BLUE = [47, 91, 211];
const WHITE = [255, 255, 255];
// In a 0..1 square: bars of a score chart (x, y, width, height), as in public/icons/icon.svg.
const BARS = [
  [0.22, 0.3, 0.56, 0.1],
  [0.22, 0.45, 0.4, 0.1],
  [0.22, 0.6, 0.24, 0.1],
];

const inRound = (x, y, x0, y0, w, h, r) => {
  const cx = Math.min(Math.max(x, x0 + r), x0 + w - r);
  const cy = Math.min(Math.max(y, y0 + r), y0 + h - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r && x >= x0 && x <= x0 + w && y >= y0 && y <= y0 + h;
};

function pixel(x, y, maskable) {
  // Maskable icons are cropped to a circle by the OS: fill the whole square, keep the bars in the safe zone.
  const tile = maskable || inRound(x, y, 0, 0, 1, 1, 0.2);
  if (!tile) return [0, 0, 0, 0];
  const s = maskable ? 0.8 : 1;
  const bx = (x - 0.5) / s + 0.5;
  const by = (y - 0.5) / s + 0.5;
  const bar = BARS.some(([x0, y0, w, h]) => inRound(bx, by, x0, y0, w, h, 0.05));
  return [...(bar ? WHITE : BLUE), 255];
}

function png(size, maskable) {
  const raw = Buffer.alloc(size * (size * 4 + 1));
  const S = 4;
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0;
    for (let x = 0; x < size; x++) {
      const acc = [0, 0, 0, 0];
      for (let i = 0; i < S; i++)
        for (let j = 0; j < S; j++) {
          const p = pixel((x + (i + 0.5) / S) / size, (y + (j + 0.5) / S) / size, maskable);
          for (let k = 0; k < 3; k++) acc[k] += p[k] * p[3];
          acc[3] += p[3];
        }
      const o = y * (size * 4 + 1) + 1 + x * 4;
      for (let k = 0; k < 3; k++) raw[o + k] = acc[3] ? Math.round(acc[k] / acc[3]) : 0;
      raw[o + 3] = Math.round(acc[3] / (S * S));
    }
  }
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

function crc32(buf) {
  let c = ~0;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

const dir = new URL('../public/icons/', import.meta.url);
writeFileSync(new URL('icon-192.png', dir), png(192, false));
writeFileSync(new URL('icon-512.png', dir), png(512, false));
writeFileSync(new URL('icon-maskable-512.png', dir), png(512, true));
