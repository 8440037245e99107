/**
 * Regenerates scripts/tech-terms.tsv: in how many documents of a software
 * documentation corpus each word occurs. derive-vectors.ts uses it to keep
 * technical words that are rare in news text (GloVe's frequency order) and to
 * damp words that nearly every software document uses.
 *
 * The committed file was made from the Markdown and .d.ts files of this
 * repository's node_modules, the READMEs/changelogs under /usr/share/doc, the
 * Python standard library sources and the section-1 man pages of a Debian 12
 * machine. Any similar corpus will do; words occurring in fewer than 6
 * documents are left out.
 *
 *   npx tsx libs/embeddings/scripts/collect-tech-terms.ts [roots…]
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { tokenize } from '../src/local/tokenize.js';

const here = dirname(fileURLToPath(import.meta.url));
const MIN_DF = 6;

const defaults: Array<[string, RegExp]> = [
  [join(here, '..', '..', '..', 'node_modules'), /\.(md|d\.ts)$/i],
  ['/usr/share/doc', /(README|NEWS|changelog|\.txt|\.md)/i],
  ['/usr/lib/python3', /\.py$/],
  ['/usr/share/man/man1', /\.gz$/],
];
const roots: Array<[string, RegExp]> = process.argv.length > 2 ? process.argv.slice(2).map((r) => [r, /\.(md|txt|ts|py|rs|go)$/i]) : defaults;

function walk(dir: string, accept: RegExp, out: string[]): void {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, accept, out);
    else if (e.isFile() && accept.test(p)) out.push(p);
  }
}

const files: string[] = [];
for (const [root, accept] of roots) walk(root, accept, files);
const df = new Map<string, number>();
let documents = 0;
for (const file of files.sort()) {
  let text: string;
  try {
    const bytes = readFileSync(file);
    text = (file.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
  } catch {
    continue;
  }
  documents++;
  const seen = new Set<string>();
  for (const w of tokenize(text)) {
    seen.add(w.text);
    for (const p of w.parts ?? []) seen.add(p);
  }
  for (const w of seen) if (/^[a-z][a-z0-9]+$/.test(w)) df.set(w, (df.get(w) ?? 0) + 1);
}
const rows = [...df].filter(([, n]) => n >= MIN_DF).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
const out = [`# documents\t${documents}`, '# word\tdocuments containing it', ...rows.map(([w, n]) => `${w}\t${n}`)].join('\n');
writeFileSync(join(here, 'tech-terms.tsv'), `${out}\n`);
console.log(`${documents} documents, ${rows.length} words`);
