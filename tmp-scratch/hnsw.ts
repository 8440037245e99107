import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
const N = 10000, B = 65, D = 96;
function rnd() { const v = Array.from({ length: D }, () => Math.random() - 0.5); const n = Math.hypot(...v); return v.map((x) => x / n); }
const vecs = Array.from({ length: N }, rnd);
for (const variant of ['none', 'm12ef40', 'm8ef24', 'm16ef64']) {
  const pg = await PGlite.create(undefined, { extensions: { vector } });
  await pg.exec('create extension vector; create table v (id int primary key, kind text, sub text, tags text[], e vector(96))');
  await pg.exec('create index on v (sub, kind)');
  if (variant !== 'none') { const [m, ef] = variant.match(/\d+/g)!; await pg.exec(`create index on v using hnsw (e vector_cosine_ops) with (m=${m}, ef_construction=${ef})`); }
  const t = performance.now();
  for (let i = 0; i < N; i += B) {
    const rows = vecs.slice(i, i + B).map((v, j) => `(${i + j}, 'session', 'bench', '{a,b}', '[${v.map((x) => x.toFixed(6)).join(',')}]')`);
    await pg.exec(`insert into v values ${rows.join(',')} on conflict (id) do update set e = excluded.e`);
  }
  console.log(variant, ((performance.now() - t) / N).toFixed(3), 'ms/row');
  await pg.close();
}
