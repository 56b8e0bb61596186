import { describe, expect, it } from 'vitest';
import type { Chart } from '$contracts/analytics.ts';
import { chartOption, pointAt } from './chart-options.ts';

const funnel: Chart = {
  key: 'funnel',
  title: 'Deals entering each stage',
  kind: 'funnel',
  series: [
    {
      key: 'entered',
      label: 'Entered',
      unit: 'count',
      points: [
        { x: 'new', label: 'New', value: 4, drill: 'stages/new/entered' },
        { x: 'qualified', label: 'Qualified', value: 6, drill: 'stages/qualified/entered' },
        { x: 'won', label: 'Won', value: 1, drill: 'stages/won/entered' },
      ],
    },
  ],
};

const losses: Chart = {
  key: 'byMonth',
  title: 'Lost by month',
  kind: 'line',
  series: [
    { key: 'count', label: 'Deals lost', unit: 'count', points: [{ x: '2026-01', label: 'Jan 2026', value: 2, drill: 'a' }, { x: '2026-02', label: 'Feb 2026', value: null }] },
    { key: 'amount', label: 'Amount lost', unit: 'money', points: [{ x: '2026-01', label: 'Jan 2026', value: 1500, drill: 'b' }, { x: '2026-02', label: 'Feb 2026', value: null }] },
  ],
};

type AnyOption = Record<string, any>;

describe('chartOption', () => {
  it('draws the funnel in stage order, never sorted by size, in the stages\' colours, and says on the chart how it counts', () => {
    const colours: Record<string, string> = { new: '#111111', qualified: '#222222', won: '#333333' };
    const option = chartOption(funnel, { currency: null, subtitle: 'Stepwise conversion', colourOf: (_, x) => colours[x] }) as AnyOption;
    const [series] = option.series;
    expect(series.type).toBe('funnel');
    expect(series.sort).toBe('none');
    expect(series.data.map((d: AnyOption) => [d.name, d.value, d.itemStyle.color])).toEqual([
      ['New', 4, '#111111'],
      ['Qualified', 6, '#222222'],
      ['Won', 1, '#333333'],
    ]);
    expect(option.title.text).toBe('Stepwise conversion');
    expect(series.label.formatter({ name: 'Won', value: 1, seriesIndex: 0 })).toBe('Won  1');
  });

  it('puts a second unit on a second axis, keeps empty months empty, and says values by their unit', () => {
    const option = chartOption(losses, { currency: 'EUR' }) as AnyOption;
    expect(option.xAxis.data).toEqual(['Jan 2026', 'Feb 2026']);
    expect(option.yAxis).toHaveLength(2);
    expect(option.series.map((s: AnyOption) => [s.type, s.yAxisIndex])).toEqual([
      ['line', 0],
      ['line', 1],
    ]);
    expect(option.series[1].data.map((d: AnyOption) => d.value)).toEqual([1500, null]);
    expect(option.legend).toBeDefined();
    expect(option.title).toBeUndefined();
    const tip = option.tooltip.formatter({ name: 'Jan 2026', seriesName: 'Amount lost', seriesIndex: 1, value: 1500 });
    expect(tip).toMatch(/^Jan 2026\nAmount lost: €1.500$/);
    // Tooltips are drawn, not HTML: names are the tenant's text.
    expect(option.tooltip.renderMode).toBe('richText');
  });

  it('stacks a stacked bar chart and colours one series by its categories', () => {
    const stacked = chartOption({ ...losses, kind: 'stacked-bar' }, { currency: 'EUR' }) as AnyOption;
    expect(stacked.series.map((s: AnyOption) => [s.type, s.stack])).toEqual([
      ['bar', 'all'],
      ['bar', 'all'],
    ]);
    const single = chartOption({ ...funnel, kind: 'bar' }, { currency: null, colourOf: (_, x) => (x === 'won' ? '#16a34a' : undefined) }) as AnyOption;
    expect(single.series[0].data.map((d: AnyOption) => d.itemStyle.color)).toEqual(['#2f5bea', '#e08a00', '#16a34a']);
  });
});

describe('pointAt', () => {
  it('finds the point a click was on, with its drill', () => {
    expect(pointAt(losses, { seriesIndex: 1, dataIndex: 0 })?.drill).toBe('b');
    expect(pointAt(losses, { seriesIndex: 2, dataIndex: 0 })).toBeUndefined();
  });
});
