// Charts over days or weeks, drawn on the server as inline SVG like chart.ts (no script, nothing fetched
// from elsewhere): stacked bars for counts (shares by outcome, errors by service), lines for durations
// and ages. Each series has a class (s0…s7, console.css) and a legend in the page's words.
import type { Html } from './html.ts';
import { html } from './html.ts';

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
}

const WIDTH = 760;
const HEIGHT = 230;
const LEFT = 56;
const RIGHT = 8;
const TOP = 10;
const BOTTOM = 34;

/** A "nice" step for the y axis: 1, 2 or 5 times a power of ten. */
function niceStep(max: number, ticks: number): number {
  const raw = max / ticks;
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (raw <= m * power) return m * power;
  return 10 * power;
}

export function trendChart(label: string, c: TrendChart): Html {
  const plotW = WIDTH - LEFT - RIGHT;
  const plotH = HEIGHT - TOP - BOTTOM;
  const n = c.buckets.length;
  const totals = c.buckets.map((_, i) =>
    c.kind === 'stacked'
      ? c.series.reduce((sum, s) => sum + (s.values[i] ?? 0), 0)
      : Math.max(0, ...c.series.map((s) => s.values[i] ?? 0)),
  );
  const max = Math.max(1, ...totals);
  // Counts step by whole units: no "0,5 share".
  const step = c.kind === 'stacked' ? Math.max(1, niceStep(max, 4)) : niceStep(max, 4);
  const yMax = Math.ceil(max / step) * step;
  const y = (v: number) => TOP + plotH - (v / yMax) * plotH;
  const slot = plotW / Math.max(n, 1);
  const barW = Math.max(2, Math.min(28, slot * 0.7));
  const every = Math.max(1, Math.ceil(n / Math.floor(plotW / 60)));
  const ticks: number[] = [];
  for (let v = 0; v <= yMax + 1e-9; v += step) ticks.push(v);
  const x = (i: number) => LEFT + i * slot + slot / 2;
  return html`<figure class="trend">
    <svg class="chart" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${label}">
      <title>${label}</title>
      ${ticks.map(
        (v) =>
          html`<line
              class="grid"
              x1="${LEFT}"
              x2="${WIDTH - RIGHT}"
              y1="${y(v).toFixed(1)}"
              y2="${y(v).toFixed(1)}"
            ></line
            ><text x="${LEFT - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${c.format(v)}</text>`,
      )}
      <line class="axis" x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${TOP + plotH}" y2="${TOP + plotH}"></line>
      ${c.kind === 'stacked' ? stacks(c, x, y, barW) : lines(c, x, y)}
      ${c.buckets.map((b, i) =>
        i % every === 0
          ? html`<text x="${x(i).toFixed(1)}" y="${TOP + plotH + 14}" text-anchor="middle"
              >${b.slice(5)}</text
            >`
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
        ><title>${bucket} · ${s.name} : ${c.format(v)}</title></rect
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
            ><title>${c.buckets[i]} · ${s.name} : ${c.format(v)}</title></circle
          >`,
      )}`;
  });
}
