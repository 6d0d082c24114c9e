// The memory of the embedded store's PostgreSQL server, which runs beside the gateway's process.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { clusterDirOf } from '@gaz-espm/gateway/store/embedded-server';

/** PSS of the postmaster and every process it started (backends, checkpointer, …), so that shared
 * buffers count once. */
export function serverPss(dataDir: string): { bytes: number; processes: number } {
  const pid = Number(readFileSync(join(clusterDirOf(dataDir), 'postmaster.pid'), 'utf8').split('\n')[0]);
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
    .trim()
    .split(/\s+/)
    .filter(Boolean);
  let bytes = 0;
  for (const p of [pid, ...children.map(Number)]) {
    try {
      bytes +=
        Number(/^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${p}/smaps_rollup`, 'utf8'))?.[1] ?? 0) * 1024;
    } catch {
      // A backend that ended meanwhile.
    }
  }
  return { bytes, processes: 1 + children.length };
}
