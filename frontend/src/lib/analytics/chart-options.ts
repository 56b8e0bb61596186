/**
 * A report's chart (`$contracts/analytics.ts` Chart: series of points over categories) as an
 * ECharts option. One function for every report, so the five look and behave alike: the
 * funnel in stage order (never re-sorted by size), bars and lines over their categories, a
 * second value axis when a chart mixes units (a count and an amount), the numbers in tooltips
 * and labels said as the tables say them (figure-text.ts). A mark's series and index are the
 * chart's own, so a click finds its point's `drill` (`pointAt`).
 */
import type { Chart, Series, Unit } from '$contracts/analytics.ts';
import type { ChartOption, ChartPick } from '../charts/echarts.ts';
import { axisText, categoryText, figureText } from './figure-text.ts';

export interface ChartContext {
  /** The report's currency (money values are in its major units). */
  currency: string | null;
  /** A colour for a point of a series: the stage's own for a stage, a category's, else the palette's. */
  colourOf?: (series: Series, x: string) => string | undefined;
  /** Said on the chart itself, above it (the funnel's way of counting). */
  subtitle?: string;
}

const TEXT = '#1b2230';
const MUTED = '#5d6778';
const LINE = '#dfe3ea';
/** The app's accent first; then colours told apart by people with a red-green colour vision deficiency. */
const PALETTE = ['#2f5bea', '#e08a00', '#16a34a', '#c8322b', '#7c3aed', '#0ea5e9', '#64748b'];

/** The point a click on a chart's mark is, with its drill. */
export function pointAt(chart: Chart, pick: ChartPick) {
  return chart.series[pick.seriesIndex]?.points[pick.dataIndex];
}

const valueText = (series: Series | undefined, value: unknown, currency: string | null) => figureText(typeof value === 'number' ? value : null, series?.unit ?? 'count', currency);

/** What ECharts hands a label or tooltip formatter of one mark (typed loosely there: any mark of any series). */
interface Mark {
  name: string;
  value: unknown;
  seriesIndex: number;
  seriesName: string;
}
const mark = (params: unknown) => params as Mark;

/**
 * Tooltips drawn by the chart itself, not as HTML: their text is the tenant's (stage, reason and
 * people's names), which an HTML tooltip would have to escape everywhere to stay text.
 */
const TOOLTIP = { trigger: 'item' as const, renderMode: 'richText' as const };

/** The chart's own caption, when it has one to say (its title is the page's heading above it). */
const caption = (context: ChartContext) => (context.subtitle ? { title: { text: context.subtitle, left: 0, top: 0, textStyle: { fontSize: 12, fontWeight: 500 as const, color: TEXT } } } : {});

export function chartOption(chart: Chart, context: ChartContext): ChartOption {
  const colour = (series: Series, x: string, i: number) => context.colourOf?.(series, x) ?? PALETTE[i % PALETTE.length];
  const top = context.subtitle ? 28 : 8;
  if (chart.kind === 'funnel') {
    const [series] = chart.series;
    return {
      ...caption(context),
      tooltip: { ...TOOLTIP, formatter: (params: unknown) => `${mark(params).name}: ${valueText(series, mark(params).value, context.currency)}` },
      series: (series ? [series] : []).map((one) => ({
        type: 'funnel' as const,
        name: one.label,
        // The stages' order, whatever their sizes: a stage that more deals entered than the one
        // before it (deals created there) is the point of the chart, not an error to sort away.
        sort: 'none' as const,
        top,
        bottom: 8,
        left: '8%',
        width: '84%',
        minSize: '12%',
        gap: 2,
        label: { show: true, position: 'inside' as const, color: '#fff', formatter: (params: unknown) => `${mark(params).name}  ${valueText(one, mark(params).value, context.currency)}` },
        data: one.points.map((point, i) => ({ name: categoryText(point.label), value: point.value ?? 0, itemStyle: { color: colour(one, point.x, i) } })),
      })),
    };
  }
  const categories = (chart.series[0]?.points ?? []).map((point) => categoryText(point.label));
  const units = [...new Set(chart.series.map((series) => series.unit))].slice(0, 2) as Unit[];
  const axisOf = (series: Series) => Math.max(0, units.indexOf(series.unit));
  const byPoint = chart.series.length === 1 && chart.kind !== 'line';
  return {
    ...caption(context),
    tooltip: {
      ...TOOLTIP,
      formatter: (params: unknown) => {
        const { name, seriesName, seriesIndex, value } = mark(params);
        return `${name}\n${seriesName}: ${valueText(chart.series[seriesIndex], value, context.currency)}`;
      },
    },
    ...(chart.series.length > 1 ? { legend: { top: top - 4, right: 0, textStyle: { color: MUTED } } } : {}),
    grid: { top: top + (chart.series.length > 1 ? 28 : 8), left: 8, right: units.length > 1 ? 8 : 16, bottom: 8, outerBoundsMode: 'same' as const, outerBoundsContain: 'axisLabel' as const },
    xAxis: { type: 'category', data: categories, axisLabel: { color: MUTED, interval: 0, hideOverlap: true }, axisLine: { lineStyle: { color: LINE } } },
    yAxis: units.map((unit) => ({
      type: 'value' as const,
      minInterval: unit === 'count' ? 1 : undefined,
      axisLabel: { color: MUTED, formatter: (value: number) => axisText(value, unit, context.currency) },
      splitLine: { lineStyle: { color: LINE } },
    })),
    series: chart.series.map((series, s) => {
      const data = series.points.map((point, i) => ({ value: point.value, ...(byPoint ? { itemStyle: { color: colour(series, point.x, i) } } : {}) }));
      const seriesColour = byPoint ? undefined : (context.colourOf?.(series, series.key) ?? PALETTE[s % PALETTE.length]);
      if (chart.kind === 'line') return { type: 'line' as const, name: series.label, yAxisIndex: axisOf(series), data, symbolSize: 8, color: seriesColour };
      return {
        type: 'bar' as const,
        name: series.label,
        yAxisIndex: axisOf(series),
        data,
        barMaxWidth: 48,
        color: seriesColour,
        ...(chart.kind === 'stacked-bar' ? { stack: 'all' } : {}),
      };
    }),
  };
}
