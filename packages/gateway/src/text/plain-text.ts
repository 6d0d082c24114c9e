// Free text an operator or the billing system gives (a building's name, a service address) and that the
// console shows: one line of visible characters. Control characters would break lines and files;
// bidirectional controls (right-to-left override, isolates, marks) make text read otherwise than it is
// stored ("Trojan Source"), so a name or address could pass for another.

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const BIDI_CONTROL = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

/** Whether the text holds no control character and no bidirectional control. */
export function isPlainText(text: string): boolean {
  return !CONTROL.test(text) && !BIDI_CONTROL.test(text);
}
