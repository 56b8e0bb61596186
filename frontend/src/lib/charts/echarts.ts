/**
 * ECharts with only the parts the app draws (echarts/core: the full build is ~1 MB, these
 * parts a third of it): funnel, bar and line series on a grid, tooltips, legends, titles, the
 * generated description for screen readers, drawn as SVG (crisp at any zoom, and its marks are
 * elements). A chart that needs another part adds it here.
 */
import * as echarts from 'echarts/core';
import { BarChart, FunnelChart, LineChart } from 'echarts/charts';
import type { BarSeriesOption, FunnelSeriesOption, LineSeriesOption } from 'echarts/charts';
import { AriaComponent, GridComponent, LegendComponent, TitleComponent, TooltipComponent } from 'echarts/components';
import type { AriaComponentOption, GridComponentOption, LegendComponentOption, TitleComponentOption, TooltipComponentOption } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';

echarts.use([FunnelChart, BarChart, LineChart, GridComponent, TooltipComponent, LegendComponent, TitleComponent, AriaComponent, SVGRenderer]);

export { echarts };

/** An option of the parts registered above, so a chart cannot ask for one that is not. */
export type ChartOption = echarts.ComposeOption<
  BarSeriesOption | FunnelSeriesOption | LineSeriesOption | AriaComponentOption | GridComponentOption | LegendComponentOption | TitleComponentOption | TooltipComponentOption
>;

/** What a click on a mark says: which series and which of its values. */
export interface ChartPick {
  seriesIndex: number;
  dataIndex: number;
}
