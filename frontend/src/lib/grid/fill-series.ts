/**
 * What the fill handle puts into the cells it is dragged over, from the cells it started from
 * (the seed), as spreadsheets do: two or more numbers go on by their step, dates by theirs (a
 * single date by one day); anything else, a single number too, repeats the seed.
 */
const NUMBER = /^-?\d+(\.\d+)?$/;
const DATE = /^\d{4}-\d\d-\d\d$/;
const DAY = 86_400_000;

type Series = { at: (i: number) => string } | undefined;

function numberSeries(seed: string[]): Series {
  // One number is copied, as in Excel and Google Sheets; two or more set the step.
  if (seed.length < 2 || !seed.every((s) => NUMBER.test(s.trim()))) return undefined;
  const values = seed.map(Number);
  const step = (values[values.length - 1] - values[0]) / (values.length - 1);
  const decimals = Math.max(...seed.map((s) => s.split('.')[1]?.length ?? 0));
  // i counts cells from the seed's first (0) on; negative before it.
  return { at: (i) => (values[0] + step * i).toFixed(decimals) };
}

function dateSeries(seed: string[]): Series {
  if (!seed.every((s) => DATE.test(s.trim()))) return undefined;
  const times = seed.map((s) => Date.parse(`${s.trim()}T00:00:00Z`));
  if (times.some(Number.isNaN)) return undefined;
  const step = times.length > 1 ? Math.round((times[times.length - 1] - times[0]) / (times.length - 1) / DAY) * DAY : DAY;
  return { at: (i) => new Date(times[0] + step * i).toISOString().slice(0, 10) };
}

/**
 * The `count` texts that follow the seed (`after`: below/right of it) or precede it (`before`,
 * nearest the seed last, i.e. in grid order).
 */
export function fillSeries(seed: string[], count: number, side: 'before' | 'after'): string[] {
  if (count <= 0 || seed.length === 0) return [];
  const series = numberSeries(seed) ?? dateSeries(seed);
  return Array.from({ length: count }, (_, k) => {
    const i = side === 'after' ? seed.length + k : k - count;
    if (series) return series.at(i);
    return seed[((i % seed.length) + seed.length) % seed.length];
  });
}
