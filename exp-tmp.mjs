import { PGlite } from '@electric-sql/pglite';
import { readdirSync, readFileSync, statSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
const dir = mkdtempSync('/tmp/ds-exp/pg-');
const pg = await PGlite.create(dir);
await pg.query("create table t(id int primary key, title text, body jsonb)");
await pg.query("create index t_fts on t using gin (to_tsvector('simple', title))");
for (let i=0;i<50;i++) await pg.query("insert into t values($1,$2,$3)", [i, i===7 ? 'Notes GdprMarker7Q2 here' : 'other title '+i, JSON.stringify({text: i===7?'about GdprMarker7Q2':'x'})]);
await pg.query("update t set title='', body=null where id=7");
await pg.query("delete from t where id=7");
const mode = process.argv[2];
if (mode) await pg.query(mode);
await pg.query('checkpoint');
function scan(d, out=[]) { for (const f of readdirSync(d)) { const p=join(d,f); const st=statSync(p); if (st.isDirectory()) scan(p,out); else if (readFileSync(p).toString('latin1').toLowerCase().includes('gdprmarker7q2')) out.push(p.slice(dir.length)); } return out; }
console.log(mode, scan(dir));
await pg.close();
