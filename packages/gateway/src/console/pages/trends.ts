// Tendances: how the exchange went over the last days or weeks, as charts drawn on the server.
import { formatNumber } from '../format.ts';
import type { Html } from '../html.ts';
import { html } from '../html.ts';
import { linkReasonText, serviceName } from '../i18n/index.ts';
import type { View } from '../layout.ts';
import { layout } from '../layout.ts';
import type { Trends, TrendSpan } from '../queries/trends.ts';
import type { Series } from '../trend-chart.ts';
import { trendChart } from '../trend-chart.ts';

const SPANS: TrendSpan[] = ['days', 'weeks'];

export function trendsPage(v: View, t: Trends): Html {
  const count = (n: number) => formatNumber(v.lang, n);
  const hours = (n: number) => v.t('trends.hours', { n: formatNumber(v.lang, Math.round(n * 10) / 10) });
  const accepted = t.shares.get('accepted');
  const shareSeries: Series[] = [
    ...(accepted ? [{ name: v.t('trends.accepted'), values: accepted }] : []),
    ...[...t.shares]
      .flatMap(([key, values]) => (key === 'accepted' ? [] : [{ rule: key, values }]))
      .sort((a, b) => a.rule.localeCompare(b.rule))
      .map(({ rule, values }) => ({
        name: v.t('trends.rejectedFor', { rule: linkReasonText(v.lang, rule) }),
        values,
      })),
  ];
  const errorSeries: Series[] = [...t.errors]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([service, values]) => ({ name: serviceName(v.lang, service), values }));
  const card = (id: string, title: string, help: string, chart: Html) =>
    html`<section class="card flush span-12" aria-labelledby="${id}">
      <h2 id="${id}">${title}</h2>
      <p class="help pad">${help}</p>
      ${chart}
    </section>`;
  const empty = (series: Series[]) =>
    series.length ? series : [{ name: v.t('trends.none'), values: t.buckets.map(() => 0) }];
  return layout(
    v,
    v.t('trends.title'),
    html`<h1>${v.t('trends.title')}</h1>
      <p class="help">${v.t(t.span === 'days' ? 'trends.introDays' : 'trends.introWeeks')}</p>
      <nav class="spans" aria-label="${v.t('trends.span')}">
        ${SPANS.map((s) =>
          s === t.span
            ? html`<strong aria-current="page">${v.t(`trends.${s}`)}</strong>`
            : html`<a href="/tendances?par=${s === 'days' ? 'jour' : 'semaine'}">${v.t(`trends.${s}`)}</a>`,
        )}
      </nav>
      <div class="grid">
        ${card(
          'h-t-shares',
          v.t('trends.shares'),
          v.t('trends.sharesHelp'),
          trendChart(v.t('trends.shares'), {
            buckets: t.buckets,
            series: empty(shareSeries),
            kind: 'stacked',
            format: count,
          }),
        )}
        ${card(
          'h-t-delay',
          v.t('trends.delay'),
          v.t('trends.delayHelp'),
          trendChart(v.t('trends.delay'), {
            buckets: t.buckets,
            series: [
              { name: v.t('trends.median'), values: t.delayMedianHours },
              { name: v.t('trends.slowest'), values: t.delaySlowestHours },
            ],
            kind: 'lines',
            format: hours,
          }),
        )}
        ${card(
          'h-t-sent',
          v.t('trends.sent'),
          v.t('trends.sentHelp'),
          trendChart(v.t('trends.sent'), {
            buckets: t.buckets,
            series: [{ name: v.t('trends.entries'), values: t.sent }],
            kind: 'stacked',
            format: count,
          }),
        )}
        ${card(
          'h-t-errors',
          v.t('trends.errors'),
          v.t('trends.errorsHelp'),
          trendChart(v.t('trends.errors'), {
            buckets: t.buckets,
            series: empty(errorSeries),
            kind: 'stacked',
            format: count,
          }),
        )}
        ${card(
          'h-t-pending',
          v.t('trends.pending'),
          v.t('trends.pendingHelp'),
          trendChart(v.t('trends.pending'), {
            buckets: t.buckets,
            series: [{ name: v.t('trends.oldest'), values: t.oldestPendingHours }],
            kind: 'lines',
            format: hours,
          }),
        )}
      </div>`,
  );
}
