import { openTestStore } from '../store/test-store.ts';
import { seedConsole } from './test-seed.ts';
import { listLinks } from './queries.ts';
const store = await openTestStore();
await seedConsole(store.db, { now: new Date(), fillerLinks: 60, fillerCustomers: 55 });
const r = await listLinks(store.db, {});
console.log(r.rows.map((x) => `${x.id}:${x.status}`).join(' '));
await store.close();
