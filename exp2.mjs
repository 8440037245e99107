import { PGlite } from '@electric-sql/pglite';
const pg = await PGlite.create(process.argv[2]);
console.log((await pg.query("select relname, relfilenode from pg_class where relfilenode in (16392, 16394, 16395, 16396, 16389)")).rows);
await pg.close();
