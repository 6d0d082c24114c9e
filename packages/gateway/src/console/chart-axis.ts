// What the console's charts (chart.ts, trend-chart.ts) share: a frame of fixed size and a value axis
// scaled in "nice" steps, its grid lines labelled on the left, over the baseline.
import type { Html } from './html.ts';
import { html } from './html.ts';

/** A chart's size and the margins around its plot, in SVG units. */
export interface Frame {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

export interface ValueAxis {
  /** Where a value stands, from the top of the frame. */
  y: (v: number) => number;
  /** Where the baseline stands. */
  base: number;
  /** The grid lines with their labels, and the baseline. */
  grid: Html;
}

/** A "nice" step for the y axis: 1, 2 or 5 times a power of ten. */
function niceStep(max: number, ticks: number): number {
  const raw = max / ticks;
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (raw <= m * power) return m * power;
  return 10 * power;
}

/**
 * A value axis from 0 to at least `max` in four or so steps; counts step by whole units (no "0,5 share").
 */
export function valueAxis(
  f: Frame,
  max: number,
  format: (v: number) => string,
  wholeUnits = false,
): ValueAxis {
  const plotH = f.height - f.top - f.bottom;
  const top = Math.max(1, max);
  const step = wholeUnits ? Math.max(1, niceStep(top, 4)) : niceStep(top, 4);
  const yMax = Math.ceil(top / step) * step;
  const y = (v: number) => f.top + plotH - (v / yMax) * plotH;
  const ticks: number[] = [];
  for (let v = 0; v <= yMax + 1e-9; v += step) ticks.push(v);
  const base = f.top + plotH;
  const grid = html`${ticks.map(
      (v) =>
        html`<line
            class="grid"
            x1="${f.left}"
            x2="${f.width - f.right}"
            y1="${y(v).toFixed(1)}"
            y2="${y(v).toFixed(1)}"
          ></line
          ><text x="${f.left - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${format(v)}</text>`,
    )} <line class="axis" x1="${f.left}" x2="${f.width - f.right}" y1="${base}" y2="${base}"></line>`;
  return { y, base, grid };
}
