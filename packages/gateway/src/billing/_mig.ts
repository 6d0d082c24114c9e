import { openStore } from '../store/database.ts';
const s = await openStore({ databaseUrl: process.argv[2] });
await s.close();
