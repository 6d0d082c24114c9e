// Charts over days or weeks, drawn on the server as inline SVG like chart.ts (no script, nothing fetched
// from elsewhere): stacked bars for counts (shares by outcome, errors by service), lines for durations
// and ages. Each series has a class (s0…s7, console.css) and a legend in the page's words.
import type { Html } from './html.ts';
import { html } from './html.ts';
import type { Frame } from './chart-axis.ts';
import { valueAxis } from './chart-axis.ts';

export interface Series {
  name: string;
  values: number[];
}

export interface TrendChart {
  /** The first day of each bucket (YYYY-MM-DD). */
  buckets: string[];
  series: Series[];
  kind: 'stacked' | 'lines';
  /** How a value reads (a count, hours…), in the axis and the tooltips. */
  format: (v: number) => string;
  /** A bar's or a point's tooltip, in the page's language. */
  pointTitle: (bucket: string, series: string, value: string) => string;
}

const FRAME: Frame = { width: 760, height: 230, left: 56, right: 8, top: 10, bottom: 34 };

export function trendChart(label: string, c: TrendChart): Html {
  const { width, left, right } = FRAME;
  const plotW = width - left - right;
  const n = c.buckets.length;
  const totals = c.buckets.map((_, i) =>
    c.kind === 'stacked'
      ? c.series.reduce((sum, s) => sum + (s.values[i] ?? 0), 0)
      : Math.max(0, ...c.series.map((s) => s.values[i] ?? 0)),
  );
  const { y, base, grid } = valueAxis(FRAME, Math.max(...totals), c.format, c.kind === 'stacked');
  const slot = plotW / Math.max(n, 1);
  const barW = Math.max(2, Math.min(28, slot * 0.7));
  const every = Math.max(1, Math.ceil(n / Math.floor(plotW / 60)));
  const x = (i: number) => left + i * slot + slot / 2;
  return html`<figure class="trend">
    <svg class="chart" viewBox="0 0 ${width} ${FRAME.height}" role="img" aria-label="${label}">
      <title>${label}</title>
      ${grid} ${c.kind === 'stacked' ? stacks(c, x, y, barW) : lines(c, x, y)}
      ${c.buckets.map((b, i) =>
        i % every === 0
          ? html`<text x="${x(i).toFixed(1)}" y="${base + 14}" text-anchor="middle">${b.slice(5)}</text>`
          : '',
      )}
    </svg>
    <figcaption class="legend">
      ${c.series.map(
        (s, k) => html`<span><i class="swatch s${k % 8}"></i>${s.name} (${c.format(total(c, s))})</span>`,
      )}
    </figcaption>
  </figure>`;
}

/** What the legend says of a series: its sum for counts, its largest value for durations. */
function total(c: TrendChart, s: Series): number {
  return c.kind === 'stacked' ? s.values.reduce((a, b) => a + b, 0) : Math.max(0, ...s.values);
}

function stacks(c: TrendChart, x: (i: number) => number, y: (v: number) => number, barW: number): Html[] {
  return c.buckets.map((bucket, i) => {
    let base = 0;
    return html`${c.series.map((s, k) => {
      const v = s.values[i] ?? 0;
      if (v === 0) return '';
      const top = y(base + v);
      const h = y(base) - top;
      base += v;
      return html`<rect
        class="s${k % 8}"
        x="${(x(i) - barW / 2).toFixed(1)}"
        y="${top.toFixed(1)}"
        width="${barW.toFixed(1)}"
        height="${h.toFixed(1)}"
        ><title>${c.pointTitle(bucket, s.name, c.format(v))}</title></rect
      >`;
    })}`;
  });
}

function lines(c: TrendChart, x: (i: number) => number, y: (v: number) => number): Html[] {
  return c.series.map((s, k) => {
    const points = s.values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
    return html`<polyline class="line s${k % 8}" points="${points}"></polyline>${s.values.map(
        (v, i) =>
          html`<circle class="s${k % 8}" cx="${x(i).toFixed(1)}" cy="${y(v).toFixed(1)}" r="2.5"
            ><title>${c.pointTitle(c.buckets[i]!, s.name, c.format(v))}</title></circle
          >`,
      )}`;
  });
}
