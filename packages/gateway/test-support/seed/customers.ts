// The connected customers (one whose organization is a script tag), the guide's shared property, and a
// locked-out account's identity failures: espm_customer, espm_property, validation_failure.
import type { SeedContext } from './context.ts';
import { XSS, hours } from './context.ts';

export async function seedCustomers(ctx: SeedContext): Promise<void> {
  const { db, now, espm: e, fillerCustomers } = ctx;
  const { guideAccount, conflictAccount, conflict2Account, freshAccount, xssAccount, lockedAccount } =
    ctx.accounts;
  const customers = [
    {
      account_id: guideAccount,
      username: 'code201',
      first_name: 'Marc-Etienne',
      last_name: 'Charron',
      email: 'mecharron@code201.ca',
      organization: 'Code',
      at: hours(now, 900),
    },
    {
      account_id: conflictAccount,
      username: 'immeubles-nord',
      first_name: 'Julie',
      last_name: 'Bouchard',
      email: 'jbouchard@immeubles-nord.example',
      organization: 'Immeubles Nord',
      at: hours(now, 600),
    },
    {
      account_id: freshAccount,
      username: 'tours-est',
      first_name: 'Samuel',
      last_name: 'Gagnon',
      email: 'sgagnon@toursest.example',
      organization: 'Tours de l’Est',
      at: hours(now, 300),
    },
    {
      account_id: xssAccount,
      username: 'xss-org',
      first_name: 'Eve',
      last_name: 'Attaquante',
      email: 'eve@example.org',
      organization: XSS,
      at: hours(now, 200),
    },
    {
      account_id: lockedAccount,
      username: 'verrou',
      first_name: 'Luc',
      last_name: 'Tremblay',
      email: 'luc.tremblay@example.com',
      organization: 'Gestion Tremblay',
      at: hours(now, 100),
    },
  ].filter((c, i, all) => all.findIndex((x) => x.account_id === c.account_id) === i);
  await db
    .insertInto('espm_customer')
    .values([
      ...customers.map((c) => ({
        account_id: c.account_id,
        username: c.username,
        first_name: c.first_name,
        last_name: c.last_name,
        email: c.email,
        organization: c.organization,
        phone: null,
        connection_status: 'connected' as const,
        connected_at: c.at,
        disconnected_at: null,
        lockout_cleared_at: null,
      })),
      {
        account_id: '100999',
        username: 'ancien-client',
        first_name: 'Paul',
        last_name: 'Lavoie',
        email: 'paul.lavoie@example.com',
        organization: 'Ancien Client inc.',
        phone: null,
        connection_status: 'disconnected' as const,
        connected_at: hours(now, 2000),
        disconnected_at: hours(now, 50),
        lockout_cleared_at: null,
      },
      ...Array.from({ length: fillerCustomers }, (_, i) => ({
        account_id: String(200000 + i),
        username: `client${String(i).padStart(3, '0')}`,
        first_name: 'Client',
        last_name: `Numéro ${i}`,
        email: `client${i}@example.com`,
        organization: `Organisation ${i}`,
        phone: null,
        connection_status: 'connected' as const,
        connected_at: hours(now, 3000 + i),
        disconnected_at: null,
        lockout_cleared_at: null,
      })),
    ])
    .execute();

  await db
    .insertInto('espm_property')
    .values([
      {
        property_id: e?.guide.propertyId ?? '2000101',
        account_id: guideAccount,
        name: 'Bureau',
        address: '1000 rue Sherbrooke Ouest, Montréal',
        share_status: 'accepted',
        accepted_at: hours(now, 899),
        revoked_at: null,
      },
      {
        property_id: e?.conflict.propertyId ?? '2000102',
        account_id: conflictAccount,
        name: 'Complexe Nord',
        address: '45 boulevard Crémazie, Montréal',
        share_status: 'accepted',
        accepted_at: hours(now, 599),
        revoked_at: null,
      },
      ...(e?.conflict2.propertyId && e.conflict2.propertyId !== e.conflict.propertyId
        ? [
            {
              property_id: e.conflict2.propertyId,
              account_id: conflict2Account,
              name: 'Entrepôt',
              address: null,
              share_status: 'accepted' as const,
              accepted_at: hours(now, 598),
              revoked_at: null,
            },
          ]
        : []),
      {
        property_id: e?.fresh.propertyId ?? '2000103',
        account_id: freshAccount,
        name: 'Tour Est',
        address: '5 rue Notre-Dame Est, Montréal',
        share_status: 'accepted',
        accepted_at: hours(now, 299),
        revoked_at: null,
      },
    ])
    .execute();
}

/** A locked-out account: five identity failures within the last hours. */
export async function seedLockout(ctx: SeedContext): Promise<void> {
  const { db, now } = ctx;
  const { lockedAccount } = ctx.accounts;
  await db
    .insertInto('validation_failure')
    .values(
      [5, 4, 3, 2, 1].map((h) => ({
        espm_account_id: lockedAccount,
        failed_at: hours(now, h),
        link_id: null,
        rule: 'unknown-account',
      })),
    )
    .execute();
}
