/**
 * A process diagram laid out by elkjs (ELK's layered algorithm, top to bottom): each state a
 * box, a Map's or Parallel branch's states inside their group's box, every edge routed around the
 * boxes. Coordinates are the whole drawing's (ELK's `ROOT` coordinates), so the SVG draws each
 * box and edge where ELK put it without adding up its parents' offsets.
 */
import ELK from 'elkjs/lib/elk.bundled.js';
import type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api';
import type { DiagramEdge, DiagramState, ProcessDiagram } from '$contracts/processes.ts';

export interface PlacedState {
  state: DiagramState;
  x: number;
  y: number;
  width: number;
  height: number;
  /** A Map, Parallel or branch: a box around its states. */
  group: boolean;
}

export interface PlacedEdge {
  edge: DiagramEdge;
  /** SVG path data. */
  d: string;
  /** Where its label goes (the middle of its route). */
  labelAt: { x: number; y: number };
}

export interface DiagramLayout {
  width: number;
  height: number;
  states: PlacedState[];
  edges: PlacedEdge[];
}

const elk = new ELK();
const BOX_HEIGHT = 48;
/** Wide enough for the name in 13 px text, and a line of counts under it. */
const boxWidth = (name: string) => Math.max(140, Math.min(260, name.length * 8 + 32));

export async function layOut(diagram: ProcessDiagram): Promise<DiagramLayout> {
  const groups = new Set(diagram.states.map((state) => state.parent).filter((parent): parent is string => parent !== null));
  const nodeOf = (state: DiagramState): ElkNode => {
    if (!groups.has(state.id)) return { id: state.id, width: boxWidth(state.name), height: BOX_HEIGHT };
    return {
      id: state.id,
      layoutOptions: { 'elk.padding': '[top=28,left=12,bottom=12,right=12]' },
      children: diagram.states.filter((child) => child.parent === state.id).map(nodeOf),
    };
  };
  // A group's own `start` edge points into it: drawn as the box holding its first state, not as a line.
  const drawn = diagram.edges.filter((edge) => edge.kind !== 'start');
  const root: ElkNode = {
    id: '(root)',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'DOWN',
      'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
      'elk.edgeRouting': 'ORTHOGONAL',
      'elk.spacing.nodeNode': '32',
      'elk.layered.spacing.nodeNodeBetweenLayers': '44',
      'elk.spacing.edgeLabel': '4',
      'elk.padding': '[top=12,left=12,bottom=12,right=12]',
      'elk.json.shapeCoords': 'ROOT',
      'elk.json.edgeCoords': 'ROOT',
    },
    children: diagram.states.filter((state) => state.parent === null).map(nodeOf),
    edges: drawn.map((edge, i): ElkExtendedEdge => ({ id: `e${i}`, sources: [edge.from], targets: [edge.to], labels: edge.label ? [{ text: edge.label, width: Math.min(edge.label.length, 40) * 6, height: 12 }] : [] })),
  };
  const laid = await elk.layout(root);
  const byId = new Map(diagram.states.map((state) => [state.id, state]));
  const states: PlacedState[] = [];
  const visit = (node: ElkNode) => {
    for (const child of node.children ?? []) {
      states.push({ state: byId.get(child.id)!, x: child.x ?? 0, y: child.y ?? 0, width: child.width ?? 0, height: child.height ?? 0, group: groups.has(child.id) });
      visit(child);
    }
  };
  visit(laid);
  const edges = (laid.edges ?? []).map((laidEdge, i): PlacedEdge => {
    const points = (laidEdge.sections ?? []).flatMap((section) => [section.startPoint, ...(section.bendPoints ?? []), section.endPoint]);
    const middle = points[Math.floor(points.length / 2)] ?? { x: 0, y: 0 };
    const label = laidEdge.labels?.[0];
    return {
      edge: drawn[i],
      d: points.map((point, p) => `${p === 0 ? 'M' : 'L'}${point.x},${point.y}`).join(' '),
      labelAt: label?.x !== undefined ? { x: label.x, y: (label.y ?? 0) + 10 } : { x: middle.x + 4, y: middle.y },
    };
  });
  return { width: laid.width ?? 0, height: laid.height ?? 0, states, edges };
}
