// What the customer typed in the custom fields (the aggregation code too when a building owner typed one), field by field as ESPM sent it, with the field a
// rejection is about marked: what the helpdesk reads to the customer on the phone.
import type { FieldKey } from '../../exchange/custom-fields.ts';
import { answersOf } from '../../exchange/custom-fields.ts';
import { failingField, FIELD_ORDER } from '../../exchange/share-rules.ts';
import type { Html } from '../html.ts';
import { html } from '../html.ts';
import type { View } from '../layout.ts';
import { maskProof, seesOwnershipProof } from '../ownership-proof.ts';

export interface TypedShare {
  /** The answers as typed, by custom field name (meter_link.custom_fields). */
  custom_fields: unknown;
  status: string;
  reason_code: string | null;
}

/** The customer's answers by field, as typed. */
export function typedFields(share: Pick<TypedShare, 'custom_fields'>): Partial<Record<FieldKey, string>> {
  const stored = (share.custom_fields ?? {}) as Record<string, string>;
  return answersOf(Object.entries(stored).map(([name, value]) => ({ name, value })));
}

export function typedAnswers(v: View, share: TypedShare): Html {
  const typed = typedFields(share);
  const failing =
    share.status === 'rejected' && share.reason_code ? failingField(share.reason_code, typed) : undefined;
  // The code itself is never stored (meter-shares.ts keeps "(code)"): the row says one was typed.
  const keys: FieldKey[] = typed.aggregationCode ? [...FIELD_ORDER, 'aggregationCode'] : [...FIELD_ORDER];
  // An accepted share's answers are the account's proof of ownership (ownership-proof.ts).
  const shown = seesOwnershipProof(v.user?.role) ? (s: string) => s : maskProof;
  return html`<dl class="typed">
    ${keys.map((key) => {
      const value = typed[key];
      const blank = value === undefined || value.trim() === '';
      return html`<div class="${key === failing ? 'failing' : ''}">
        <dt>${v.t(`field.${key}`)}</dt>
        <dd>
          ${blank ? html`<span class="dim">${v.t('typed.empty')}</span>` : html`<span class="mono">${key === 'aggregationCode' ? value : shown(value)}</span>`}${
            key === failing ? html` <strong class="mark">✗ ${v.t('typed.failing')}</strong>` : ''
          }
        </dd>
      </div>`;
    })}
  </dl>`;
}
