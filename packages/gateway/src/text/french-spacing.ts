// French typography for what a French reader sees (console pages, notes to customers): a narrow
// no-break space before a semicolon and a no-break space inside guillemets, so that neither is stuck to
// its word nor wrapped to the start of a line of its own.

export function frenchSpacing(text: string): string {
  return text.replace(/\s*;/g, '\u202f;').replace(/«\s*/g, '«\u00a0').replace(/\s*»/g, '\u00a0»');
}
