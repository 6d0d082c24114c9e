// Keeps the CSV parser's memory bounded and its input recoverable: a physical line longer than the
// limit is cut at the limit, the rest of it dropped, and a marker appended, so the line still ends
// where it did and the source can reject it by its number. csv-parse's own max_record_size stops the
// whole parse instead, and its skip-on-error mode loses the lines after the long one.
import { Transform } from 'node:stream';
import type { TransformCallback } from 'node:stream';

/** Ends a line that was cut; contains a NUL, which no text CSV does. */
export const CUT_MARKER = '\u0000line-cut\u0000';
const MARKER_BYTES = Buffer.from(CUT_MARKER, 'utf8');
const LF = 0x0a;
const CR = 0x0d;

export class LineLengthLimit extends Transform {
  readonly #maxBytes: number;
  /** Bytes of the current line already passed on. */
  #lineBytes = 0;
  /** In a line past the limit: dropping bytes until the line ends. */
  #cutting = false;

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
        if (lineEnd === -1) {
          keepFrom = chunk.length;
          break;
        }
        this.push(MARKER_BYTES);
        this.#cutting = false;
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
    if (this.#cutting) this.push(MARKER_BYTES);
    callback();
  }
}
