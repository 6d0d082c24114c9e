// Keeps the CSV parser's memory bounded and its input recoverable: a physical line longer than the
// limit is cut at the limit, the rest of it dropped, and a marker appended, so the line still ends
// where it did and the source can reject it by its number. csv-parse's own max_record_size stops the
// whole parse instead, and its skip-on-error mode loses the lines after the long one. A quote is
// added after the marker when the dropped part held an odd number of them, so that a huge quoted
// cell still closes and the next lines are read as lines.
import { Transform } from 'node:stream';
import type { TransformCallback } from 'node:stream';

/** Ends a line that was cut; contains a NUL, which no text CSV does. */
export const CUT_MARKER = '\u0000line-cut\u0000';
const MARKER_BYTES = Buffer.from(CUT_MARKER, 'utf8');
const QUOTED_MARKER_BYTES = Buffer.from(`${CUT_MARKER}"`, 'utf8');
const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;

export class LineLengthLimit extends Transform {
  readonly #maxBytes: number;
  /** Bytes of the current line already passed on. */
  #lineBytes = 0;
  /** In a line past the limit: dropping bytes until the line ends. */
  #cutting = false;
  /** Whether the bytes dropped so far hold an odd number of quotes. */
  #droppedOddQuotes = false;

  constructor(maxBytes: number) {
    super();
    this.#maxBytes = maxBytes;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    let keepFrom = 0;
    let pos = 0;
    // Next CR and LF at or after pos; looked up again only when passed, so a file without one of them
    // is not rescanned for it at every line.
    let nextCr = chunk.indexOf(CR);
    let nextLf = chunk.indexOf(LF);
    for (;;) {
      if (nextCr !== -1 && nextCr < pos) nextCr = chunk.indexOf(CR, pos);
      if (nextLf !== -1 && nextLf < pos) nextLf = chunk.indexOf(LF, pos);
      const lineEnd = nextCr === -1 ? nextLf : nextLf === -1 ? nextCr : Math.min(nextCr, nextLf);
      if (this.#cutting) {
        this.#dropQuotes(chunk, pos, lineEnd === -1 ? chunk.length : lineEnd);
        if (lineEnd === -1) {
          keepFrom = chunk.length;
          break;
        }
        this.#endCut();
        keepFrom = lineEnd;
      } else {
        const length = this.#lineBytes + ((lineEnd === -1 ? chunk.length : lineEnd) - pos);
        if (length > this.#maxBytes) {
          const cut = pos + (this.#maxBytes - this.#lineBytes);
          if (cut > keepFrom) this.push(chunk.subarray(keepFrom, cut));
          this.#cutting = true;
          this.#lineBytes = 0;
          pos = cut;
          continue;
        }
        if (lineEnd === -1) {
          this.#lineBytes = length;
          break;
        }
      }
      this.#lineBytes = 0;
      pos = lineEnd + 1;
    }
    if (keepFrom < chunk.length) this.push(keepFrom === 0 ? chunk : chunk.subarray(keepFrom));
    callback();
  }

  override _flush(callback: TransformCallback): void {
    if (this.#cutting) this.#endCut();
    callback();
  }

  #dropQuotes(chunk: Buffer, from: number, to: number): void {
    for (let at = chunk.indexOf(QUOTE, from); at !== -1 && at < to; at = chunk.indexOf(QUOTE, at + 1)) {
      this.#droppedOddQuotes = !this.#droppedOddQuotes;
    }
  }

  #endCut(): void {
    this.push(this.#droppedOddQuotes ? QUOTED_MARKER_BYTES : MARKER_BYTES);
    this.#cutting = false;
    this.#droppedOddQuotes = false;
  }
}
