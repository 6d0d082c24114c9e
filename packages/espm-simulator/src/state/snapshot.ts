// Keeps a demo alive across restarts: the state is read from a JSON file at start and written back
// shortly after each change (debounced, so a burst of writes costs one save) and once more on close.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { SimData } from './model.ts';
import type { SimStore } from './store.ts';

export function loadSnapshot(file: string): SimData | undefined {
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as SimData;
}

export function saveSnapshot(file: string, data: SimData): void {
  // Write then rename, so a crash mid-write never leaves a truncated snapshot behind.
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, JSON.stringify(data, null, 1));
  renameSync(tmp, file);
}

export interface SnapshotSaver {
  flush(): void;
  stop(): void;
}

export function autoSave(store: SimStore, file: string, delayMs = 200): SnapshotSaver {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const flush = (): void => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    saveSnapshot(file, store.data);
  };
  store.onChange(() => {
    if (stopped || timer) return;
    timer = setTimeout(flush, delayMs);
  });
  return {
    flush,
    stop() {
      flush();
      stopped = true;
    },
  };
}
