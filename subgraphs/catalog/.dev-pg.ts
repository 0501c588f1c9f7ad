import { startEmbeddedPostgres } from '@mp/db';
const h = await startEmbeddedPostgres({ dataDir: '/tmp/catalog-dev/pgdata', port: 55491 });
await h.ensureDatabases(['catalogdev']);
console.log('READY', h.urlFor('catalogdev'));
setInterval(() => {}, 1 << 30);
process.on('SIGTERM', () => void h.stop().then(() => process.exit(0)));
