/**
 * Specimen images for the emulator's identity files: small PNGs drawn here, in code, each stamped
 * "SPECIMEN" and "NOT A REAL ID" so nobody takes one for a person's document. No binary file is shipped;
 * the PNG is encoded by hand (RGB, filter 0, zlib from node:zlib, CRC-32 below).
 */
import { deflateSync } from 'node:zlib';

export type SpecimenPart = 'front' | 'back' | 'face' | 'selfie';

type Rgb = readonly [number, number, number];

/** A 5×7 pixel font with only the letters the labels use; each glyph is 7 rows of 5 bits, left first. */
const GLYPHS: Record<string, string> = {
  A: '01110100011000111111100011000110001',
  B: '11110100011000111110100011000111110',
  C: '01110100011000010000100001000101110',
  D: '11110100011000110001100011000111110',
  E: '11111100001000011110100001000011111',
  F: '11111100001000011110100001000010000',
  H: '10001100011000111111100011000110001',
  I: '01110001000010000100001000010001110',
  K: '10001100101010011000101001001010001',
  L: '10000100001000010000100001000011111',
  M: '10001110111010110101100011000110001',
  N: '10001110011010110011100011000110001',
  O: '01110100011000110001100011000101110',
  P: '11110100011000111110100001000010000',
  R: '11110100011000111110101001001010001',
  S: '01111100001000001110000010000111110',
  T: '11111001000010000100001000010000100',
  U: '10001100011000110001100011000101110',
};

class Canvas {
  readonly pixels: Uint8Array;
  constructor(
    readonly width: number,
    readonly height: number,
    background: Rgb,
  ) {
    this.pixels = new Uint8Array(width * height * 3);
    this.rect(0, 0, width, height, background);
  }

  dot(px: number, py: number, color: Rgb): void {
    const x = Math.round(px);
    const y = Math.round(py);
    if (x < 0 || y < 0 || x >= this.width || y >= this.height) return;
    this.pixels.set(color, (y * this.width + x) * 3);
  }

  rect(x: number, y: number, w: number, h: number, color: Rgb): void {
    for (let j = y; j < y + h; j++) for (let i = x; i < x + w; i++) this.dot(i, j, color);
  }

  ellipse(cx: number, cy: number, rx: number, ry: number, color: Rgb): void {
    for (let j = -Math.ceil(ry); j <= ry; j++)
      for (let i = -Math.ceil(rx); i <= rx; i++)
        if ((i * i) / (rx * rx) + (j * j) / (ry * ry) <= 1) this.dot(cx + i, cy + j, color);
  }

  /** Text centred on `cx`, glyphs `scale` pixels per font pixel. */
  text(label: string, cx: number, y: number, scale: number, color: Rgb): void {
    const advance = 6 * scale;
    let x = Math.round(cx - (label.length * advance - scale) / 2);
    for (const char of label) {
      const glyph = GLYPHS[char];
      if (glyph)
        for (let bit = 0; bit < 35; bit++)
          if (glyph[bit] === '1')
            this.rect(x + (bit % 5) * scale, y + Math.floor(bit / 5) * scale, scale, scale, color);
      x += advance;
    }
  }

  /** A head and shoulders: the silhouette every specimen photo shows. */
  person(cx: number, top: number, size: number): void {
    const skin: Rgb = [196, 164, 132];
    this.ellipse(cx, top + size * 1.35, size * 0.55, size * 0.35, [90, 110, 140]);
    this.ellipse(cx, top + size * 0.55, size * 0.3, size * 0.38, skin);
  }
}

const INK: Rgb = [40, 60, 100];
const RED: Rgb = [200, 30, 30];
const WHITE: Rgb = [255, 255, 255];

function documentSide(part: 'front' | 'back'): Canvas {
  const c = new Canvas(340, 214, [226, 236, 246]);
  c.rect(0, 0, 340, 30, INK);
  c.text(part === 'front' ? 'DOCUMENT FRONT' : 'DOCUMENT BACK', 170, 8, 2, WHITE);
  if (part === 'front') {
    c.rect(18, 42, 92, 118, [205, 210, 220]);
    c.person(64, 46, 66);
    for (let line = 0; line < 5; line++) c.rect(126, 50 + line * 22, 190 - line * 18, 8, [150, 160, 180]);
  } else {
    for (let bar = 0; bar < 60; bar++)
      if ((bar * 7) % 3 !== 0) c.rect(30 + Math.round(bar * 4.7), 48, 3, 60, INK);
  }
  c.text('SPECIMEN', 170, 120, 4, RED);
  c.text('NOT A REAL ID', 170, 184, 2, RED);
  return c;
}

function portrait(label: string): Canvas {
  const c = new Canvas(240, 300, [214, 224, 214]);
  c.rect(0, 0, 240, 30, INK);
  c.text(label, 120, 8, 2, WHITE);
  c.person(120, 40, 140);
  c.text('SPECIMEN', 120, 190, 4, RED);
  c.text('NOT A REAL ID', 120, 270, 2, RED);
  return c;
}

export function specimenPng(part: SpecimenPart): Buffer {
  if (part === 'front' || part === 'back') return encodePng(documentSide(part));
  return encodePng(portrait(part === 'face' ? 'DOCUMENT PHOTO' : 'SELFIE'));
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function encodePng(canvas: Canvas): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(canvas.width, 0);
  header.writeUInt32BE(canvas.height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, deflate, filter 0, no interlace
  const stride = canvas.width * 3;
  const raw = Buffer.alloc((stride + 1) * canvas.height);
  for (let y = 0; y < canvas.height; y++)
    raw.set(canvas.pixels.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
