// What proves a customer owns a billing account — its latest invoice number and its meters' numbers,
// exactly what a customer types in ESPM to share a meter — is shown whole only to the roles that act on
// shares. Any other role reads the last characters, enough to say "the invoice ending in 022", and has
// the agent check what the caller reads out instead (match or no match).
import type { OperatorRole } from '../store/schema.ts';

/** How many of a number's last characters a role without the proof reads. */
const SHOWN_TAIL = 3;

export function seesOwnershipProof(role: OperatorRole | undefined): boolean {
  switch (role) {
    case 'admin':
    case 'operator':
      return true;
    case 'viewer':
    case undefined:
      return false;
    default:
      return role satisfies never;
  }
}

/** A number shown to a role without the proof: its last characters, the rest as dots. */
export function maskProof(value: string): string {
  const tail = value.slice(-SHOWN_TAIL);
  return `${'•'.repeat(Math.max(0, value.length - tail.length))}${tail}`;
}
