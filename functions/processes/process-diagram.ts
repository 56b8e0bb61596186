/**
 * A process's diagram from its ASL definition: every state (those inside a Map or a Parallel's
 * branch as children of it) and every way from one to another (Next, a Choice's rules and Default,
 * Catch). The monitor draws it; counts and an instance's path are laid on it by state name.
 * Pure: a definition in, the diagram out (the definition is Step Functions', so a version's own).
 */
import type { DiagramEdge, DiagramState, ProcessDiagram } from '../contracts/processes.ts';

interface AslMachine {
  StartAt: string;
  States: Record<string, AslState>;
}

interface AslState {
  Type: string;
  Next?: string;
  End?: boolean;
  Resource?: string;
  Default?: string;
  Choices?: Array<{ Next: string; Condition?: string; Variable?: string }>;
  Catch?: Array<{ ErrorEquals: string[]; Next: string }>;
  Branches?: AslMachine[];
  ItemProcessor?: AslMachine;
  Iterator?: AslMachine;
}

const TYPES = new Set<DiagramState['type']>(['Task', 'Pass', 'Choice', 'Wait', 'Succeed', 'Fail', 'Parallel', 'Map']);

/** A rule as people read it: its JSONata condition without the `{% %}`, cut to 80 characters. */
const ruleText = (choice: { Condition?: string; Variable?: string }) => {
  const text = (choice.Condition ?? choice.Variable ?? '').replace(/^\{%\s*|\s*%\}$/g, '');
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
};

export function diagramOf(definition: string | AslMachine): ProcessDiagram {
  const machine: AslMachine = typeof definition === 'string' ? JSON.parse(definition) : definition;
  const states: DiagramState[] = [];
  const edges: DiagramEdge[] = [];
  const walk = (scope: AslMachine, parent: string | null) => {
    if (parent !== null) edges.push({ from: parent, to: scope.StartAt, kind: 'start' });
    for (const [name, state] of Object.entries(scope.States)) {
      const type = TYPES.has(state.Type as DiagramState['type']) ? (state.Type as DiagramState['type']) : 'Task';
      states.push({ id: name, name, type, parent, end: state.End === true || type === 'Succeed' || type === 'Fail', human: state.Resource?.endsWith('.waitForTaskToken') ?? false });
      if (state.Next) edges.push({ from: name, to: state.Next, kind: 'next' });
      for (const choice of state.Choices ?? []) edges.push({ from: name, to: choice.Next, kind: 'choice', label: ruleText(choice) });
      if (state.Default) edges.push({ from: name, to: state.Default, kind: 'default' });
      for (const caught of state.Catch ?? []) edges.push({ from: name, to: caught.Next, kind: 'catch', label: caught.ErrorEquals.join(', ') });
      const inner = state.ItemProcessor ?? state.Iterator;
      if (inner) walk(inner, name);
      state.Branches?.forEach((branch, index) => {
        const id = `${name}#${index + 1}`;
        states.push({ id, name: `Branch ${index + 1}`, type: 'Branch', parent: name, end: false, human: false });
        walk(branch, id);
      });
    }
  };
  walk(machine, null);
  return { startAt: machine.StartAt, states, edges };
}
