/**
 * Won and lost: the deals closed in the period (closingsOf), won or lost, counted and summed (the
 * amount when closed), by month of the close or by whoever owned the deal then (the move's owner;
 * the deal's own when the move names none).
 */
import { Drills, MoneySum, chartOf, closingsOf, column, monthOf, monthsOf, table, text, type Closing, type ReportInput, type ReportResult, type Row } from './report-parts.ts';

export function wonLostReport(input: ReportInput): ReportResult {
  const { currency, by } = input;
  const closings = closingsOf(input);
  const keyOf = by === 'month' ? (closing: Closing) => monthOf(closing.step.at) : (closing: Closing) => closing.step.owner ?? closing.history.deal.owner;
  const groups = new Map<string, Closing[]>(by === 'month' ? monthsOf(input.period).map((month) => [month, []]) : []);
  for (const closing of closings) {
    const key = keyOf(closing);
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push(closing);
  }
  const labelOf = by === 'month' ? (key: string) => key : input.userLabel;
  const keys = by === 'month' ? [...groups.keys()] : [...groups.keys()].sort((a, b) => labelOf(a).localeCompare(labelOf(b)));

  const drills = new Drills();
  const sides = (group: Closing[], drill: (side: 'won' | 'lost') => string) => {
    const cells: Row['cells'] = {};
    for (const side of ['won', 'lost'] as const) {
      const closed = group.filter((closing) => closing.won === (side === 'won'));
      const sum = new MoneySum(currency);
      for (const closing of closed) sum.add(closing.step.amount);
      const ids = closed.map((closing) => closing.history.deal.id);
      cells[side] = drills.cell(closed.length, drill(side), ids);
      cells[`${side}Amount`] = drills.cell(sum.major, drill(side), ids);
    }
    return cells;
  };
  const rows = keys.map((key): Row => ({ key, cells: { [by]: text(labelOf(key)), ...sides(groups.get(key)!, (side) => `${side}:${by}:${key}`) } }));
  const wonLost = table('wonLost', by === 'month' ? 'Won and lost by month' : 'Won and lost by owner', [column(by, by === 'month' ? 'Month' : 'Owner', 'text'), column('won', 'Won', 'count'), column('wonAmount', 'Amount won', 'money'), column('lost', 'Lost', 'count'), column('lostAmount', 'Amount lost', 'money')], rows);
  return {
    figures: sides(closings, (side) => side),
    charts: [chartOf('wonLost', wonLost.title, 'bar', wonLost, ['wonAmount', 'lostAmount'], by)],
    tables: [wonLost],
    drills: drills.sets,
  };
}
