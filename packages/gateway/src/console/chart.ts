// A bar chart of consumption per billing period, drawn on the server as inline SVG (no script, so the
// page's Content-Security-Policy stays strict). Styling comes from console.css.
import type { Html } from './html.ts';
import { html } from './html.ts';
import type { Lang } from './i18n/index.ts';
import { formatNumber } from './format.ts';
import type { Frame } from './chart-axis.ts';
import { valueAxis } from './chart-axis.ts';

export interface Bar {
  start: string;
  end: string;
  value: number;
  estimated: boolean;
  /** Not sent to ESPM: the customer's own entries cover the period (in conflict, or kept by an operator). */
  heldBack: boolean;
}

const FRAME: Frame = { width: 760, height: 230, left: 48, right: 8, top: 10, bottom: 38 };

export function barChart(lang: Lang, bars: Bar[], label: string, heldBackText: string): Html {
  const { width, left, right } = FRAME;
  const plotW = width - left - right;
  const { y, base, grid } = valueAxis(FRAME, Math.max(...bars.map((b) => b.value)), (v) =>
    formatNumber(lang, v),
  );
  const slot = plotW / Math.max(bars.length, 1);
  const barW = Math.max(2, Math.min(34, slot * 0.72));
  // Label every period when they fit, else every other one or fewer.
  const every = Math.max(1, Math.ceil(bars.length / Math.floor(plotW / 52)));
  return html`<svg class="chart" viewBox="0 0 ${width} ${FRAME.height}" role="img" aria-label="${label}">
    <title>${label}</title>
    ${grid}
    ${bars.map((b, i) => {
      const x = left + i * slot + (slot - barW) / 2;
      const h = Math.max(0, base - y(b.value));
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
            ? html`<text x="${(x + barW / 2).toFixed(1)}" y="${base + 14}" text-anchor="middle"
                >${b.end.slice(0, 7)}</text
              >`
            : ''
        }`;
    })}
  </svg>`;
}
