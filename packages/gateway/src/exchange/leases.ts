// Leases: how several gateway instances (serve, sync --once) on one database keep a piece of work to
// one process at a time, and how the work of an instance that died is taken over.
//
// - A meter link is synced only by the holder of its lease (meter_link.sync_lease_owner/_until).
// - A service step (notifications, connections, property shares, meter-share decisions) runs only in
//   the holder of its row in service_lease.
//
// A lease is claimed with one atomic statement on the database's clock (no clock skew between hosts),
// renewed every third of its length while the work goes on, and released at its end. No transaction is
// held across ESPM calls, so no database connection is held by a wait on ESPM.
// If the process dies, another instance claims the work: at once when the holder is known dead (each
// process registers its host and pid in lease_holder; a holder on this host whose pid is gone is dead),
// else when the lease runs out. A consumption write left 'sending' is settled by sync-link.ts, a
// decision recorded but not answered is re-sent by meter-shares.ts.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Database } from '../store/schema.ts';

export const DEFAULT_LEASE_SECONDS = 60;

export interface Lease {
  readonly owner: string;
  /** Set when a renewal found the lease taken over (it ran out while this process was stalled). */
  readonly lost: boolean;
  /** Asks the database whether this lease is still held and running (before a write that must not be doubled). */
  stillHeld(): Promise<boolean>;
  release(): Promise<void>;
}

interface Held {
  kind: 'link' | 'service';
  key: number | string;
  owner: string;
  lost: boolean;
}

export class Leases {
  /** This process, e.g. host:1234:9f2c1a; each claim adds its own number. */
  readonly instance: string;
  readonly seconds: number;
  /**
   * How long a service step waits for another process running it. 0 (serve's scheduled jobs): skip the
   * step, the other process is doing that work now. `sync --once` waits, so its cycle runs every step.
   */
  readonly waitForServiceMs: number;
  private readonly held = new Set<Held>();
  private claims = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly host = hostname();
  private registered: Promise<void> | undefined;

  constructor(
    private readonly db: Kysely<Database>,
    options: { seconds?: number | undefined; instance?: string | undefined; waitForServiceMs?: number } = {},
  ) {
    this.seconds = options.seconds ?? DEFAULT_LEASE_SECONDS;
    this.waitForServiceMs = options.waitForServiceMs ?? 0;
    this.instance = options.instance ?? `${this.host}:${process.pid}:${randomBytes(3).toString('hex')}`;
  }

  /** The link's lease, or undefined when another holder, alive, still holds it. */
  async claimLink(linkId: number): Promise<Lease | undefined> {
    await this.register();
    const owner = this.nextOwner();
    const claim = async (deadHolder?: string): Promise<boolean> => {
      const { rows } = await sql<{ id: number }>`
        update meter_link
           set sync_lease_owner = ${owner}, sync_lease_instance = ${this.instance},
               sync_lease_until = now() + make_interval(secs => ${this.seconds})
         where id = ${linkId}
           and (sync_lease_until is null or sync_lease_until < now()
                or sync_lease_instance = ${deadHolder ?? null})
        returning id`.execute(this.db);
      return rows.length > 0;
    };
    const claimed = await this.claimOrTakeOver(claim, async () => {
      const row = await this.db
        .selectFrom('meter_link')
        .select('sync_lease_instance')
        .where('id', '=', linkId)
        .executeTakeFirst();
      return row?.sync_lease_instance;
    });
    return claimed ? this.hold({ kind: 'link', key: linkId, owner, lost: false }) : undefined;
  }

  /** The service's lease, or undefined when another holder, alive, still holds it. */
  async claimService(name: string): Promise<Lease | undefined> {
    await this.register();
    const owner = this.nextOwner();
    const claim = async (deadHolder?: string): Promise<boolean> => {
      const { rows } = await sql<{ name: string }>`
        insert into service_lease (name, owner, instance, lease_until, claimed_at)
        values (${name}, ${owner}, ${this.instance}, now() + make_interval(secs => ${this.seconds}), now())
        on conflict (name) do update
           set owner = excluded.owner, instance = excluded.instance, lease_until = excluded.lease_until,
               claimed_at = excluded.claimed_at
         where service_lease.lease_until < now() or service_lease.instance = ${deadHolder ?? null}
        returning name`.execute(this.db);
      return rows.length > 0;
    };
    const claimed = await this.claimOrTakeOver(claim, async () => {
      const row = await this.db
        .selectFrom('service_lease')
        .select('instance')
        .where('name', '=', name)
        .executeTakeFirst();
      return row?.instance;
    });
    return claimed ? this.hold({ kind: 'service', key: name, owner, lost: false }) : undefined;
  }

  /** Claims a free or expired lease, or else takes it over from a holder known dead. */
  private async claimOrTakeOver(
    claim: (deadHolder?: string) => Promise<boolean>,
    holderOf: () => Promise<string | null | undefined>,
  ): Promise<boolean> {
    if (await claim()) return true;
    const holder = await holderOf();
    return holder ? (await this.isDead(holder)) && claim(holder) : false;
  }

  /**
   * Whether the process holding a lease is known dead: it runs on this host and its pid is gone. (Another
   * host's process cannot be seen from here: its lease runs out.) A pid taken since by another process
   * counts as alive, which only makes the work wait for the lease to run out.
   */
  private async isDead(instance: string): Promise<boolean> {
    if (instance === this.instance) return false;
    const holder = await this.db
      .selectFrom('lease_holder')
      .select(['host', 'pid'])
      .where('instance', '=', instance)
      .executeTakeFirst();
    return holder !== undefined && holder.host === this.host && !processAlive(holder.pid);
  }

  /** Says where this process runs, once, before its first claim; forgets this host's dead holders that hold nothing. */
  private register(): Promise<void> {
    this.registered ??= (async () => {
      const here = await this.db
        .selectFrom('lease_holder')
        .select(['instance', 'pid'])
        .where('host', '=', this.host)
        .execute();
      const gone = here.filter((h) => !processAlive(h.pid)).map((h) => h.instance);
      if (gone.length) {
        await this.db
          .deleteFrom('lease_holder')
          .where('instance', 'in', gone)
          .where(({ not, exists, selectFrom }) =>
            not(
              exists(
                selectFrom('meter_link')
                  .select('id')
                  .whereRef('meter_link.sync_lease_instance', '=', 'lease_holder.instance'),
              ),
            ),
          )
          .where(({ not, exists, selectFrom }) =>
            not(
              exists(
                selectFrom('service_lease')
                  .select('name')
                  .whereRef('service_lease.instance', '=', 'lease_holder.instance'),
              ),
            ),
          )
          .execute();
      }
      await sql`
        insert into lease_holder (instance, host, pid) values (${this.instance}, ${this.host}, ${process.pid})
        on conflict (instance) do update set host = excluded.host, pid = excluded.pid, registered_at = now()`.execute(
        this.db,
      );
    })().catch((e: unknown) => {
      this.registered = undefined;
      throw e;
    });
    return this.registered;
  }

  /** Who holds the service now, if anyone. */
  async serviceHolder(name: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('service_lease')
      .select('owner')
      .where('name', '=', name)
      .where(sql<boolean>`lease_until >= now()`)
      .executeTakeFirst();
    return row?.owner;
  }

  /** Claims the service, waiting up to waitMs for the current holder to finish (or its lease to run out). */
  async waitForService(name: string, waitMs: number, pollMs = 500): Promise<Lease | undefined> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      const lease = await this.claimService(name);
      if (lease || Date.now() >= deadline) return lease;
      await new Promise((resolve) =>
        setTimeout(resolve, Math.min(pollMs, Math.max(0, deadline - Date.now()))),
      );
    }
  }

  /** Gives back every lease this process holds (shutdown: the work in hand has ended or is abandoned). */
  async releaseAll(): Promise<void> {
    for (const h of [...this.held]) await this.release(h);
  }

  private nextOwner(): string {
    return `${this.instance}#${++this.claims}`;
  }

  private hold(h: Held): Lease {
    this.held.add(h);
    if (!this.timer) {
      this.timer = setInterval(() => void this.renew().catch(() => undefined), (this.seconds * 1000) / 3);
      this.timer.unref();
    }
    return {
      owner: h.owner,
      get lost() {
        return h.lost;
      },
      stillHeld: async () => {
        const { rows } =
          h.kind === 'link'
            ? await sql`select 1 from meter_link where id = ${h.key} and sync_lease_owner = ${h.owner}
                         and sync_lease_until > now()`.execute(this.db)
            : await sql`select 1 from service_lease where name = ${h.key} and owner = ${h.owner}
                         and lease_until > now()`.execute(this.db);
        if (rows.length === 0) h.lost = true;
        return rows.length > 0;
      },
      release: () => this.release(h),
    };
  }

  private async release(h: Held): Promise<void> {
    if (!this.held.delete(h)) return;
    if (this.held.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
    if (h.kind === 'link') {
      await this.db
        .updateTable('meter_link')
        .set({ sync_lease_owner: null, sync_lease_until: null, sync_lease_instance: null })
        .where('id', '=', h.key as number)
        .where('sync_lease_owner', '=', h.owner)
        .execute();
    } else {
      await this.db
        .deleteFrom('service_lease')
        .where('name', '=', h.key as string)
        .where('owner', '=', h.owner)
        .execute();
    }
  }

  private async renew(): Promise<void> {
    for (const h of [...this.held]) {
      const { rows } =
        h.kind === 'link'
          ? await sql`update meter_link set sync_lease_until = now() + make_interval(secs => ${this.seconds})
                       where id = ${h.key} and sync_lease_owner = ${h.owner} returning id`.execute(this.db)
          : await sql`update service_lease set lease_until = now() + make_interval(secs => ${this.seconds})
                       where name = ${h.key} and owner = ${h.owner} returning name`.execute(this.db);
      if (rows.length === 0) h.lost = true;
    }
  }
}

/** Whether a process of this host with that pid runs (EPERM: it does, under another user). */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * A service step that runs in one process at a time across instances: it waits for the service's lease
 * (ctx.leases.waitForServiceMs), and when another process still holds it, returns { skipped } instead.
 */
export function exclusive<C extends LeaseContext, R extends object>(
  service: string,
  run: (ctx: C) => Promise<R>,
): (ctx: C) => Promise<R | { skipped: string }> {
  return async (ctx) => {
    const leases = leasesOf(ctx);
    const lease = await leases.waitForService(service, leases.waitForServiceMs);
    if (!lease)
      return { skipped: `running in ${(await leases.serviceHolder(service)) ?? 'another process'}` };
    try {
      return await run(ctx);
    } finally {
      await lease.release().catch(() => undefined);
    }
  };
}

interface LeaseContext {
  db: Kysely<Database>;
  leases?: Leases | undefined;
}

const defaults = new WeakMap<Kysely<Database>, Leases>();

/** The context's leases; tests that build a context by hand share one per database handle. */
export function leasesOf(ctx: LeaseContext): Leases {
  if (ctx.leases) return ctx.leases;
  let l = defaults.get(ctx.db);
  if (!l) defaults.set(ctx.db, (l = new Leases(ctx.db)));
  return l;
}
