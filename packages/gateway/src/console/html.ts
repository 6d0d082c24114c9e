// HTML built by tagged templates: every interpolated value is escaped unless it is already Html
// (the output of another template). Arrays are joined, null/undefined/false render nothing.

const SAFE = Symbol('safe-html');

export interface Html {
  readonly [SAFE]: true;
  readonly text: string;
}

export type Interpolation = Html | string | number | bigint | boolean | null | undefined | Interpolation[];

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"'`]/g, (c) => ESCAPES[c]!);
}

export function isHtml(v: unknown): v is Html {
  return typeof v === 'object' && v !== null && (v as Html)[SAFE] === true;
}

function fragment(text: string): Html {
  return { [SAFE]: true, text };
}

function render(v: Interpolation): string {
  if (v === null || v === undefined || v === false) return '';
  if (Array.isArray(v)) return v.map(render).join('');
  if (isHtml(v)) return v.text;
  return escapeHtml(String(v));
}

/** The template tag: `html\`<td>${value}</td>\``. */
export function html(strings: TemplateStringsArray, ...values: Interpolation[]): Html {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]!) + strings[i + 1]!;
  return fragment(out);
}

/** Markup that is trusted as is: only for constants written in this code, never for data. */
export function trusted(markup: string): Html {
  return fragment(markup);
}

export function join(parts: Interpolation[], separator: Interpolation = ''): Html {
  return fragment(parts.map(render).join(render(separator)));
}

export function toString(h: Html): string {
  return h.text;
}

/** A query string from parameters, leaving out empty ones; values are URL-encoded (escape it in html). */
export function query(params: Record<string, string | number | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params))
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}
