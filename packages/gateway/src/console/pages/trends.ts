// Tendances: how the exchange went over the last days or weeks, as charts drawn on the server.
import { formatNumber } from '../format.ts';
import type { Html } from '../html.ts';
import { html } from '../html.ts';
import { linkReasonText, serviceName } from '../i18n/index.ts';
import type { View } from '../layout.ts';
import { layout, titledCard } from '../layout.ts';
import type { Trends, TrendSpan } from '../queries/trends.ts';
import type { Series, TrendChart } from '../trend-chart.ts';
import { trendChart } from '../trend-chart.ts';

const SPANS: TrendSpan[] = ['days', 'weeks'];

type ChartName = 'shares' | 'delay' | 'sent' | 'errors' | 'pending';

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
  /** A chart of the page: trends.<name> its title, trends.<name>Help what it shows. */
  const chart = (name: ChartName, series: Series[], kind: TrendChart['kind'], format: TrendChart['format']) =>
    titledCard(
      `h-t-${name}`,
      v.t(`trends.${name}`),
      'flush span-12',
      html`<p class="help pad">${v.t(`trends.${name}Help`)}</p>
        ${trendChart(v.t(`trends.${name}`), {
          buckets: t.buckets,
          series,
          kind,
          format,
          pointTitle: (bucket, name, value) => v.t('trends.point', { bucket, name, value }),
        })}`,
    );
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
        ${chart('shares', empty(shareSeries), 'stacked', count)}
        ${chart(
          'delay',
          [
            { name: v.t('trends.median'), values: t.delayMedianHours },
            { name: v.t('trends.slowest'), values: t.delaySlowestHours },
          ],
          'lines',
          hours,
        )}
        ${chart('sent', [{ name: v.t('trends.entries'), values: t.sent }], 'stacked', count)}
        ${chart('errors', empty(errorSeries), 'stacked', count)}
        ${chart('pending', [{ name: v.t('trends.oldest'), values: t.oldestPendingHours }], 'lines', hours)}
      </div>`,
  );
}
