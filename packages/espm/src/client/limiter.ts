// The outgoing limiter every call goes through: at most maxConcurrency requests in flight and request
// starts spaced to at most maxRps per second. A 429's Retry-After pauses every caller, not only the one
// that got it, because ESPM's limit is per provider account; so do ESPM being down (its maintenance
// page) and a 429 that says no delay (the form EPA documents), for a hold that doubles with each such
// answer, whoever got it, until ESPM answers otherwise: callers backing off each on their own would
// knock as many times as there are callers. After such an answer one request at a time asks whether
// ESPM is back; the others wait for its answer. (Written here rather than taken from a library because
// of that shared pause, which p-limit and bottleneck do not offer as is.)

export interface LimiterOptions {
  maxRps: number;
  maxConcurrency: number;
}

export class RequestLimiter {
  private readonly interval: number;
  private readonly maxConcurrency: number;
  private inFlight = 0;
  private nextStart = 0;
  private pausedUntil = 0;
  /** ESPM-down answers since ESPM last answered otherwise. */
  private outages = 0;
  /** The one request asking whether ESPM is back, while `outages` > 0. */
  private probe: Promise<void> | undefined;
  private endProbe: (() => void) | undefined;
  private readonly waiting: Array<() => void> = [];

  constructor(options: LimiterOptions) {
    if (!(options.maxRps > 0)) throw new RangeError('maxRps must be positive');
    if (!Number.isInteger(options.maxConcurrency) || options.maxConcurrency < 1) {
      throw new RangeError('maxConcurrency must be a positive integer');
    }
    this.interval = 1000 / options.maxRps;
    this.maxConcurrency = options.maxConcurrency;
  }

  /** Runs fn when a slot is free and the rate allows, and frees the slot when it settles. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    const probing = await this.acquire();
    try {
      return await fn();
    } finally {
      if (probing) this.probeSettled();
      this.release();
    }
  }

  /** Holds every request start until the given time (e.g. after a 429 with Retry-After). */
  pauseUntil(time: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, time);
  }

  /**
   * ESPM answered that it is down: every request start is held, for half to all of `baseMs` doubled
   * once per such answer since the last success (at most `maxMs`). Returns how long.
   */
  holdForOutage(baseMs: number, maxMs: number): number {
    const ceiling = Math.min(maxMs, baseMs * 2 ** this.outages++);
    const hold = ceiling / 2 + (Math.random() * ceiling) / 2;
    this.pauseUntil(Date.now() + hold);
    return hold;
  }

  /** ESPM answered, not as down: the next outage starts from the shortest hold. */
  succeeded(): void {
    this.outages = 0;
  }

  /** Whether ESPM's last answer said it was down (every call is being held). */
  get holding(): boolean {
    return this.outages > 0;
  }

  /** Returns whether this request is the one asking whether ESPM is back. */
  private async acquire(): Promise<boolean> {
    if (this.inFlight >= this.maxConcurrency) {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.inFlight++;
    }
    // The slot is ours; now reserve a start time. A pause set while we slept sends us back in line.
    for (;;) {
      const now = Date.now();
      const start = Math.max(now, this.nextStart, this.pausedUntil);
      this.nextStart = start + this.interval;
      if (start > now) await sleep(start - now);
      if (Date.now() < this.pausedUntil) continue;
      if (this.outages === 0) return false;
      if (!this.probe) {
        this.probe = new Promise<void>((resolve) => (this.endProbe = resolve));
        return true;
      }
      await this.probe;
    }
  }

  private probeSettled(): void {
    const end = this.endProbe;
    this.probe = this.endProbe = undefined;
    end?.();
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next)
      next(); // hand the slot over without releasing it
    else this.inFlight--;
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}
