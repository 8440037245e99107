/**
 * Validates the labeled set in e2e/search-relevance/dataset/ and prints the
 * word-overlap statistic between queries and their relevant entities.
 *
 *   npx tsx e2e/search-relevance/check-dataset.ts [--verbose]
 *
 * Exits with status 1 when a check fails.
 */
import { loadDatasetFiles, splitOf, type Query } from './load.js';

type Privacy = 'PUBLIC' | 'TEAM' | 'PRIVATE';
type Message = { role: string; text: string };
type Entity = {
  key: string;
  type: 'session' | 'pattern' | 'checkpoint';
  submodule: string;
  privacyLevel: Privacy;
  title?: string;
  description?: string;
  tags?: string[];
  content?: Message[] | string;
  kind?: string;
  name?: string;
  body?: unknown;
  gitRef?: string;
  summary?: string;
};

const MIN_ENTITIES = 1000;
const MIN_QUERIES = 150;
const MIN_ZERO_OVERLAP_SHARE = 0.5;
/** A `paraphrase` query is written in other words than the memories that answer it. */
const MIN_PARAPHRASE_ZERO_OVERLAP_SHARE = 0.5;
const MAX_MESSAGES = 12;
/** Broad "show me all …" questions have many answers; most queries have at most 12. */
const MAX_RELEVANT = 20;
const CATEGORIES = ['keyword', 'question', 'paraphrase', 'seed'];
/** The example questions of the seed document (memory-context-sdd.md), asked verbatim. */
const SEED_QUESTIONS = [
  'Show me all sessions about authentication implementation',
  'Find patterns related to database migrations',
  'What have we learned about error handling in Rust?',
];
const KEY_PREFIX: Record<Entity['type'], string> = { session: 's-', pattern: 'p-', checkpoint: 'c-' };
const KINDS = ['SOLUTION', 'ERROR_FIX', 'CONVENTION', 'WORKFLOW', 'ANTI_PATTERN'];
const FILTER_KINDS: Record<string, Entity['type']> = {
  SESSION: 'session',
  PATTERN: 'pattern',
  CHECKPOINT: 'checkpoint',
};

/** Function words plus the words people use to phrase a request to the memory
 *  ("show me all sessions about ...", "how did we fix ..."). */
const STOPWORDS = new Set(
  `a about above after again against all also am an and any anything are as at be been before being below between both but by
   can could did do does doing done down during each ever few for from further had has have having he her here hers him his how
   i if in into is it its itself just me more most my no nor not now of off on once only or other our ours out over own same she
   should so some such than that the their theirs them then there these they this those through to too under until up very was we
   were what when where which while who whom why will with would you your yours
   may might must shall still again already yet else
   show find list give tell get got make made use used using know known learn learned learnt need needs want
   related relating regarding relevant stuff thing things something anyone someone everything whatever
   issue issues problem problems fix fixed fixes fixing solve solved solving deal dealt work works worked working
   way ways time times new keep keeps kept before previously previous recent recently past went wrong happen happened
   session sessions pattern patterns checkpoint checkpoints note notes
   let lets like look looking ok okay please re vs one two three`.split(/\s+/).filter(Boolean),
);

function stem(word: string): string {
  let w = word;
  if (w.length > 4 && w.endsWith('ies')) w = w.slice(0, -3) + 'y';
  else if (w.length > 5 && w.endsWith('ing')) w = w.slice(0, -3);
  else if (w.length > 4 && w.endsWith('ed')) w = w.slice(0, -2);
  else if (w.length > 4 && w.endsWith('es')) w = w.slice(0, -2);
  else if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss')) w = w.slice(0, -1);
  // undo consonant doubling left by -ing/-ed (logging -> logg -> log)
  if (w !== word && /([^aeiouylsz])\1$/.test(w)) w = w.slice(0, -1);
  if (w.length > 3 && w.endsWith('e')) w = w.slice(0, -1);
  return w;
}

function contentWords(text: string): Set<string> {
  const out = new Set<string>();
  for (const raw of text.toLowerCase().split(/[^a-z0-9]+/)) {
    if (raw.length < 2 || STOPWORDS.has(raw)) continue;
    const s = stem(raw);
    if (!STOPWORDS.has(s)) out.add(s);
  }
  return out;
}

function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) value.forEach((v) => strings(v, out));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      out.push(k.replace(/_/g, ' '));
      strings(v, out);
    }
  }
  return out;
}

/** Every searchable text of an entity (not its key, submodule or gitRef). */
function entityText(e: Entity): string {
  const parts: unknown[] = [e.title, e.description, e.tags, e.name, e.kind, e.summary, e.body];
  if (Array.isArray(e.content)) parts.push(e.content.map((m) => m.text));
  else parts.push(e.content);
  return strings(parts).join(' ');
}

const errors: string[] = [];
const fail = (msg: string) => errors.push(msg);
const isNonEmpty = (v: unknown) => typeof v === 'string' && v.trim().length > 0;

const files = loadDatasetFiles();
const fileOfEntity = new Map<Entity, string>();
const fileOfQuery = new Map<Query, string>();
const data = { submodules: [] as string[], entities: [] as Entity[], queries: [] as Query[] };
for (const { file, data: part } of files) {
  if (file !== '00-base.json' && part.submodules) fail(`${file}: only 00-base.json names the submodules`);
  if (!Array.isArray(part.entities) || !Array.isArray(part.queries)) { fail(`${file}: needs entities and queries arrays`); continue; }
  data.submodules.push(...(part.submodules ?? []));
  for (const e of part.entities as unknown as Entity[]) { data.entities.push(e); fileOfEntity.set(e, file); }
  for (const q of part.queries) { data.queries.push(q); fileOfQuery.set(q, file); }
}
const verbose = process.argv.includes('--verbose');

// ---- submodules ---------------------------------------------------------------
const subs = new Set(data.submodules);
if (data.submodules.length < 6 || data.submodules.length > 8) fail(`expected 6-8 submodules, got ${data.submodules.length}`);
if (subs.size !== data.submodules.length) fail('duplicate submodule ids');
for (const s of subs) if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(s)) fail(`submodule id is not a slug: ${s}`);

// ---- entities -----------------------------------------------------------------
const byKey = new Map<string, Entity>();
for (const e of data.entities) {
  const where = `${fileOfEntity.get(e)}: entity ${e.key ?? '?'}`;
  if (!isNonEmpty(e.key)) fail(`${where}: missing key`);
  const twin = byKey.get(e.key);
  if (twin) fail(`${where}: duplicate key (also in ${fileOfEntity.get(twin)})`);
  if (!e.key.startsWith(KEY_PREFIX[e.type] ?? '?')) fail(`${where}: key does not start with ${KEY_PREFIX[e.type]}`);
  byKey.set(e.key, e);
  if (!subs.has(e.submodule)) fail(`${where}: unknown submodule ${e.submodule}`);
  if (!['PUBLIC', 'TEAM', 'PRIVATE'].includes(e.privacyLevel)) fail(`${where}: bad privacyLevel ${e.privacyLevel}`);
  switch (e.type) {
    case 'session': {
      if (!isNonEmpty(e.title)) fail(`${where}: session without title`);
      if (!isNonEmpty(e.description)) fail(`${where}: session without description`);
      if (!Array.isArray(e.tags) || e.tags.length === 0) fail(`${where}: session without tags`);
      const msgs = e.content;
      if (!Array.isArray(msgs) || msgs.length < 2 || msgs.length > MAX_MESSAGES) fail(`${where}: session needs 2-${MAX_MESSAGES} messages`);
      else for (const m of msgs) if (!isNonEmpty(m.role) || !isNonEmpty(m.text)) fail(`${where}: message without role/text`);
      break;
    }
    case 'pattern':
      if (!KINDS.includes(e.kind ?? '')) fail(`${where}: bad pattern kind ${e.kind}`);
      if (!isNonEmpty(e.name)) fail(`${where}: pattern without name`);
      if (!isNonEmpty(e.description)) fail(`${where}: pattern without description`);
      if (!e.body || typeof e.body !== 'object' || Array.isArray(e.body)) fail(`${where}: pattern body must be an object`);
      if (!Array.isArray(e.tags) || e.tags.length === 0) fail(`${where}: pattern without tags`);
      break;
    case 'checkpoint':
      if (!isNonEmpty(e.title)) fail(`${where}: checkpoint without title`);
      if (!isNonEmpty(e.summary)) fail(`${where}: checkpoint without summary`);
      if (typeof e.content !== 'string' || !e.content.trim()) fail(`${where}: checkpoint without markdown content`);
      if (!isNonEmpty(e.gitRef) || !(/^[0-9a-f]{40}$/.test(e.gitRef!) || /^[A-Za-z0-9._\/-]+$/.test(e.gitRef!)))
        fail(`${where}: checkpoint gitRef must be a 40-hex SHA or a branch name`);
      break;
    default:
      fail(`${where}: unknown type ${(e as Entity).type}`);
  }
}
if (data.entities.length < MIN_ENTITIES) fail(`only ${data.entities.length} entities (< ${MIN_ENTITIES})`);

const privateSubs = new Set(data.entities.filter((e) => e.privacyLevel === 'PRIVATE').map((e) => e.submodule));

// ---- queries ------------------------------------------------------------------
const qids = new Set<string>();
const texts = new Map<string, string>();
const splits = { tune: 0, holdout: 0 };
const perCategory = new Map<string, number>();
let judged = 0;
let zeroOverlap = 0;
let grade2 = 0;
const rows: string[] = [];
for (const q of data.queries) {
  const where = `${fileOfQuery.get(q)}: query ${q.id ?? '?'}`;
  if (!isNonEmpty(q.id) || qids.has(q.id)) fail(`${where}: missing or duplicate id`);
  if (!/^q\d+$/.test(q.id)) fail(`${where}: id must be q<number>`);
  qids.add(q.id);
  if (!isNonEmpty(q.text)) fail(`${where}: no text`);
  const normalized = q.text?.trim().toLowerCase();
  if (texts.has(normalized)) fail(`${where}: same text as ${texts.get(normalized)}`);
  texts.set(normalized, q.id);
  if (q.split !== splitOf(q.id)) fail(`${where}: split is ${q.split}, the rule says ${splitOf(q.id)}`);
  else splits[q.split]++;
  if (!CATEGORIES.includes(q.category)) fail(`${where}: category must be one of ${CATEGORIES.join(', ')}`);
  perCategory.set(q.category, (perCategory.get(q.category) ?? 0) + 1);
  if (!subs.has(q.submodule)) fail(`${where}: unknown submodule ${q.submodule}`);
  if (privateSubs.has(q.submodule)) fail(`${where}: asked from ${q.submodule}, which owns PRIVATE entities (they would be visible)`);
  const allowed = q.filter?.kinds?.map((k) => FILTER_KINDS[k]);
  if (allowed?.some((t) => !t)) fail(`${where}: unknown filter kind in ${q.filter?.kinds}`);
  const rel = Object.entries(q.relevant ?? {});
  if (rel.length < 3 || rel.length > MAX_RELEVANT) fail(`${where}: ${rel.length} relevant entities (want 3-${MAX_RELEVANT})`);
  const qWords = contentWords(q.text);
  if (qWords.size === 0) fail(`${where}: no content words`);
  let zero = 0;
  const misses: string[] = [];
  for (const [key, grade] of rel) {
    const e = byKey.get(key);
    if (!e) { fail(`${where}: relevant key ${key} does not exist`); continue; }
    if (grade !== 1 && grade !== 2) fail(`${where}: grade of ${key} must be 1 or 2`);
    if (e.privacyLevel === 'PRIVATE') fail(`${where}: relevant key ${key} is PRIVATE`);
    if (allowed && !allowed.includes(e.type)) fail(`${where}: ${key} is a ${e.type}, outside the filter`);
    if (grade === 2) grade2++;
    const eWords = contentWords(entityText(e));
    const shared = [...qWords].filter((w) => eWords.has(w));
    if (shared.length === 0) zero++;
    else misses.push(`${key}[${shared.join(',')}]`);
  }
  if (!rel.some(([, g]) => g === 2)) fail(`${where}: no grade-2 entity`);
  if (q.category === 'paraphrase' && zero < rel.length * MIN_PARAPHRASE_ZERO_OVERLAP_SHARE)
    fail(`${where}: a paraphrase query, but only ${zero}/${rel.length} of its judged entities share no content word with it`);
  judged += rel.length;
  zeroOverlap += zero;
  rows.push(
    `${q.id.padEnd(4)} ${String(zero).padStart(2)}/${String(rel.length).padEnd(2)} no shared word  ` +
      `${q.text}  {${[...qWords].join(' ')}}` + (verbose && misses.length ? `\n        shared: ${misses.join(' ')}` : ''),
  );
}
if (data.queries.length < MIN_QUERIES) fail(`only ${data.queries.length} queries (< ${MIN_QUERIES})`);
for (const text of SEED_QUESTIONS) {
  const q = data.queries.find((x) => x.text === text);
  if (!q) fail(`the seed question "${text}" is not asked`);
  else if (q.category !== 'seed') fail(`query ${q.id} asks a seed question but its category is ${q.category}`);
}
if (splits.holdout * 3 < data.queries.length - 2) fail(`only ${splits.holdout} held-out queries of ${data.queries.length}`);
const share = judged ? zeroOverlap / judged : 0;
if (share < MIN_ZERO_OVERLAP_SHARE) fail(`only ${(share * 100).toFixed(1)}% of judgments share no content word with the query`);

// ---- report -------------------------------------------------------------------
const count = (f: (e: Entity) => boolean) => data.entities.filter(f).length;
const n = data.entities.length;
const pct = (k: number) => `${((k / n) * 100).toFixed(0)}%`;
console.log(`submodules: ${data.submodules.length} (${data.submodules.join(', ')})`);
console.log(
  `entities:   ${n}  sessions ${count((e) => e.type === 'session')} (${pct(count((e) => e.type === 'session'))}), ` +
    `patterns ${count((e) => e.type === 'pattern')} (${pct(count((e) => e.type === 'pattern'))}), ` +
    `checkpoints ${count((e) => e.type === 'checkpoint')} (${pct(count((e) => e.type === 'checkpoint'))}); ` +
    `PRIVATE ${count((e) => e.privacyLevel === 'PRIVATE')} (${pct(count((e) => e.privacyLevel === 'PRIVATE'))})`,
);
console.log(`queries:    ${data.queries.length}, judgments ${judged} (grade 2: ${grade2}, grade 1: ${judged - grade2})`);
console.log(`splits:     tune ${splits.tune}, holdout ${splits.holdout}`);
console.log(`categories: ${[...perCategory].map(([c, k]) => `${c} ${k}`).join(', ')}`);
console.log(`files:      ${files.map(({ file, data: part }) => `${file} (${part.entities?.length ?? 0}/${part.queries?.length ?? 0})`).join(', ')}`);
console.log('');
for (const r of rows) console.log(r);
console.log('');
console.log(
  `judgments sharing no content word with their query: ${zeroOverlap}/${judged} = ${(share * 100).toFixed(1)}%`,
);
if (errors.length) {
  console.error(`\n${errors.length} problem(s):`);
  for (const e of errors) console.error(`  - ${e}`);
  process.exit(1);
}
console.log('dataset OK');
