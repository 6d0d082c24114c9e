// A bar chart of consumption per billing period, drawn on the server as inline SVG (no script, so the
// page's Content-Security-Policy stays strict). Styling comes from console.css.
import type { Html } from './html.ts';
import { html } from './html.ts';
import type { Lang } from './i18n/index.ts';
import { formatNumber } from './format.ts';

export interface Bar {
  start: string;
  end: string;
  value: number;
  estimated: boolean;
  /** Not sent to ESPM: the customer's own entries cover the period (in conflict, or kept by an operator). */
  heldBack: boolean;
}

/** A "nice" step for the y axis: 1, 2 or 5 times a power of ten. */
function niceStep(max: number, ticks: number): number {
  const raw = max / ticks;
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (raw <= m * power) return m * power;
  return 10 * power;
}

export function barChart(lang: Lang, bars: Bar[], label: string, heldBackText: string): Html {
  const width = 760;
  const height = 230;
  const left = 48;
  const right = 8;
  const top = 10;
  const bottom = 38;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const step = niceStep(max, 4);
  const yMax = Math.ceil(max / step) * step;
  const y = (v: number) => top + plotH - (v / yMax) * plotH;
  const slot = plotW / Math.max(bars.length, 1);
  const barW = Math.max(2, Math.min(34, slot * 0.72));
  // Label every period when they fit, else every other one or fewer.
  const every = Math.max(1, Math.ceil(bars.length / Math.floor(plotW / 52)));
  const ticks: number[] = [];
  for (let v = 0; v <= yMax + 1e-9; v += step) ticks.push(v);
  return html`<svg class="chart" viewBox="0 0 ${width} ${height}" role="img" aria-label="${label}">
    <title>${label}</title>
    ${ticks.map(
      (v) =>
        html`<line
            class="grid"
            x1="${left}"
            x2="${width - right}"
            y1="${y(v).toFixed(1)}"
            y2="${y(v).toFixed(1)}"
          ></line
          ><text x="${left - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end"
            >${formatNumber(lang, v)}</text
          >`,
    )}
    <line class="axis" x1="${left}" x2="${width - right}" y1="${top + plotH}" y2="${top + plotH}"></line>
    ${bars.map((b, i) => {
      const x = left + i * slot + (slot - barW) / 2;
      const h = Math.max(0, top + plotH - y(b.value));
      return html`<rect
          class="bar${b.estimated ? ' estimated' : ''}${b.heldBack ? ' held' : ''}"
          x="${x.toFixed(1)}"
          y="${y(b.value).toFixed(1)}"
          width="${barW.toFixed(1)}"
          height="${h.toFixed(1)}"
          ><title>
            ${b.start} – ${b.end} : ${formatNumber(lang, b.value)} m³${b.heldBack ? ` (${heldBackText})` : ''}
          </title></rect
        >${
          i % every === 0
            ? html`<text x="${(x + barW / 2).toFixed(1)}" y="${top + plotH + 14}" text-anchor="middle"
                >${b.end.slice(0, 7)}</text
              >`
            : ''
        }`;
    })}
  </svg>`;
}
