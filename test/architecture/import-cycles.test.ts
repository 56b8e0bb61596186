/**
 * The server's modules import in one direction: no module loads itself through a loop of
 * imports, and no two folders of functions/ import each other. A loop makes a module run
 * against another's half-loaded values (an import read before its module has run is undefined),
 * and two folders that need each other are one concept in two places: whichever changes, the
 * other does.
 *
 * Type-only imports (`import type`, or every name marked `type`) are erased by the compiler:
 * they load nothing, so they make no runtime loop and are left out of it. Between folders they
 * count: a folder that names another's types depends on what they mean, and two folders naming
 * each other's are as tied as two importing each other's functions.
 */
import { describe, expect, it } from 'vitest';
import { folderOf, importsUnder } from '../support/import-graph.ts';

/**
 * Folder pairs that still import each other, each with what ties it and what unties it. The
 * list only shrinks: a pair that no longer imports both ways must leave it, and a new pair fails.
 */
const LEFT: Record<string, string> = {};

const edges = importsUnder('functions').filter((edge): edge is typeof edge & { to: string } => edge.to?.startsWith('functions/') === true);

/** Every loop of runtime imports among the modules, each as its modules in order. */
function runtimeLoops(): string[][] {
  const next = new Map<string, string[]>();
  for (const edge of edges.filter((edge) => !edge.typeOnly)) next.set(edge.from, [...(next.get(edge.from) ?? []), edge.to]);
  // Tarjan's strongly connected components: a component of more than one module is a loop (a module importing itself is one too).
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const loops: string[][] = [];
  const visit = (module: string) => {
    index.set(module, index.size);
    low.set(module, index.get(module)!);
    stack.push(module);
    for (const to of next.get(module) ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(module, Math.min(low.get(module)!, low.get(to)!));
      } else if (stack.includes(to)) low.set(module, Math.min(low.get(module)!, index.get(to)!));
    }
    if (low.get(module) !== index.get(module)) return;
    const component = stack.splice(stack.indexOf(module));
    if (component.length > 1 || next.get(module)?.includes(module)) loops.push(component.sort());
  };
  for (const module of next.keys()) if (!index.has(module)) visit(module);
  return loops;
}

describe('imports in functions/', () => {
  it('make no runtime loop', () => {
    expect(runtimeLoops()).toEqual([]);
  });

  it('tie no two folders both ways (type-only imports too), but for the pairs left', () => {
    const across = new Map<string, string[]>();
    for (const edge of edges) {
      const [from, to] = [folderOf(edge.from), folderOf(edge.to)];
      if (from !== to) across.set(`${from}->${to}`, [...(across.get(`${from}->${to}`) ?? []), `${edge.from} -> ${edge.to}${edge.typeOnly ? ' (types)' : ''}`]);
    }
    const pairs = [...across.keys()]
      .map((key) => key.split('->'))
      .filter(([from, to]) => from < to && across.has(`${to}->${from}`))
      .map(([a, b]) => ({ pair: `${a}<->${b}`, ties: [...across.get(`${a}->${b}`)!, ...across.get(`${b}->${a}`)!] }));
    expect(pairs.filter(({ pair }) => !LEFT[pair])).toEqual([]);
    expect(Object.keys(LEFT).filter((pair) => !pairs.some((found) => found.pair === pair))).toEqual([]);
  });
});
