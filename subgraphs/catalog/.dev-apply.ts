import { applyMigrations } from '@mp/db';
import pg from '../../packages/db/node_modules/pg/lib/index.js';
const url = 'postgresql://postgres:postgres@127.0.0.1:55491/catalogdev';
console.log(await applyMigrations(url, '../../prisma/catalog/migrations'));
const c = new pg.Client({ connectionString: url }); await c.connect();
const r = await c.query(`select attname, attgenerated, pg_get_expr(adbin, adrelid) from pg_attribute a join pg_attrdef d on d.adrelid=a.attrelid and d.adnum=a.attnum where attrelid='products'::regclass`);
console.log(r.rows); await c.end();
