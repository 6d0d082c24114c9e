// Where the console sends a browser back to, and the cookie that keeps its language.
export const LANG_COOKIE = 'gw_lang';

/**
 * A local path to go back to after sign-in or a language switch, as plain ASCII (it becomes a Location
 * header, where Node refuses anything else): characters past ASCII are percent-encoded; anything not
 * local, with control characters or not valid Unicode is refused.
 */
export function safeNext(next: unknown): string | undefined {
  if (typeof next !== 'string' || next.length > 2000) return undefined;
  if (!next.startsWith('/') || next.startsWith('//') || next.includes('\\')) return undefined;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(next)) return undefined;
  try {
    return next.replace(/[^\u0021-\u007e]+/g, (s) => encodeURIComponent(s));
  } catch {
    return undefined; // a lone surrogate: no URL encodes it
  }
}
