// The pieces the console's forms are written with: a control under its label's text (as .filters and
// .stack lay them out), an input from its attributes, and a list page's filters.
import type { Html, Interpolation } from './html.ts';
import { html, join } from './html.ts';
import type { View } from './layout.ts';

/** An input's attributes in the order written; undefined ones are left out and `true` is written bare. */
export type InputAttributes = Record<string, string | number | true | undefined>;

function input(attributes: InputAttributes): Html {
  const written = Object.entries(attributes).map(([name, value]) =>
    value === undefined ? '' : value === true ? html` ${name}` : html` ${name}="${value}"`,
  );
  return html`<input${join(written)} />`;
}

export function labelled(label: string, control: Interpolation): Html {
  return html`<label>${label} ${control}</label>`;
}

export function inputField(label: string, attributes: InputAttributes): Html {
  return labelled(label, input(attributes));
}

/** A username, typed as it is: no capital letters or spelling corrections from the browser. */
export function usernameField(label: string, attributes: InputAttributes): Html {
  return inputField(label, {
    type: 'text',
    name: 'username',
    autocapitalize: 'none',
    spellcheck: 'false',
    ...attributes,
  });
}

export function searchField(label: string, attributes: InputAttributes): Html {
  return inputField(label, { type: 'search', ...attributes });
}

export interface Filters {
  /** The list's own path, which the form gets and Clear goes back to. */
  action: string;
  fields: Interpolation;
  /** Whether any filter is set, for Clear. */
  filtered: boolean;
  help?: string;
  /** The CSV of the list as filtered. */
  exportHref: string;
}

/** A list page's filters: its fields, Search, Clear while a filter is set, and the CSV of what is listed. */
export function filtersForm(v: View, f: Filters): Html {
  return html`<form class="filters" method="get" action="${f.action}" role="search">
    ${f.fields}
    <button type="submit">${v.t('common.search')}</button>
    ${f.filtered ? html`<a class="button secondary" href="${f.action}">${v.t('common.clear')}</a>` : ''}
    ${f.help ? html`<span class="help">${f.help}</span>` : ''}
    <a class="button secondary export" href="${f.exportHref}">${v.t('export.csv')}</a>
  </form>`;
}
