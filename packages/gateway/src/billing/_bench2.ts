import { openStore } from '../store/database.ts';
import { importBillingFile } from './import-billing-file.ts';
const store = await openStore({ databaseUrl: 'postgres://postgres@127.0.0.1:5432/bench' });
const t = Date.now();
const r = await importBillingFile(store.db, process.argv[2]!);
console.log(r.rowsRead, Date.now() - t, 'ms', (globalThis as any).T);
await store.close();
