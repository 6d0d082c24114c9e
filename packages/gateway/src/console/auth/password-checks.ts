// The sign-in's password checks, bounded: scrypt keeps a core busy for tens of milliseconds, so a flood
// of sign-ins must not run one per attempt. At most CONCURRENT checks run at once and MAX_WAITING wait
// their turn (beyond that the sign-in is refused as busy). A username nobody has runs no check at all:
// its answer waits as long as a real check typically takes, so both read the same from outside.
import { setTimeout as sleep } from 'node:timers/promises';
import { verifyPassword } from './passwords.ts';

const CONCURRENT = 2;
const MAX_WAITING = 32;

export class PasswordChecks {
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  /** A moving average of the real checks' durations (ms). */
  private typicalMs = 60;

  constructor(
    private readonly concurrent = CONCURRENT,
    private readonly maxWaiting = MAX_WAITING,
  ) {}

  /** Whether the password matches the hash, or 'busy' when too many checks are waiting already. */
  async verify(password: string, hash: string): Promise<boolean | 'busy'> {
    if (this.running >= this.concurrent) {
      if (this.waiting.length >= this.maxWaiting) return 'busy';
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    const started = performance.now();
    try {
      return await verifyPassword(password, hash);
    } finally {
      this.typicalMs = 0.8 * this.typicalMs + 0.2 * (performance.now() - started);
      // The slot goes to the next waiting check, if any, without being given back in between.
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }

  /** The answer for a username nobody has: false, after as long as a real check typically takes. */
  async unknown(): Promise<false> {
    await sleep(this.typicalMs);
    return false;
  }

  /** Checks running and waiting (tests). */
  get load(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }
}
