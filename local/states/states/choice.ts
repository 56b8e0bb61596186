/**
 * Choice (AWS docs: "Choice workflow state", JSONata rules): the first rule whose Condition is
 * true wins; its Assign and Output apply (else the state's), or the Default's when none is.
 */
import { QueryEvaluationError, StatesError } from '../errors.ts';
import { evaluateTemplate, type EvaluationScope, type Json } from '../expressions.ts';
import type { StateDef } from '../definition.ts';
import { exited } from '../history.ts';
import type { StateRunner, Thread } from '../thread.ts';

export async function runChoice(run: StateRunner, t: Thread, state: StateDef): Promise<void> {
  const scope = run.scope(t);
  for (const [i, rule] of state.Choices!.entries()) {
    const field = `Choices/${i}/Condition`;
    const value = typeof rule.Condition === 'boolean' ? rule.Condition : await evaluateTemplate(rule.Condition, field, scope);
    if (typeof value !== 'boolean') {
      throw new QueryEvaluationError(`The Condition of choice rule ${i} must be a boolean but was: ${JSON.stringify(value)}`, field);
    }
    if (value) return choose(run, t, rule.Next, rule.Output ?? state.Output, rule.Assign ?? state.Assign, scope);
  }
  if (state.Default === undefined) throw new StatesError('States.NoChoiceMatched', `No Choice rule matched in state '${t.state}'`);
  return choose(run, t, state.Default, state.Output, state.Assign, scope);
}

async function choose(run: StateRunner, t: Thread, next: string, outputField: unknown, assignField: Record<string, unknown> | undefined, scope: EvaluationScope): Promise<void> {
  const assigned = assignField ? ((await evaluateTemplate(assignField, 'Assign', scope)) as Record<string, Json>) : undefined;
  const output = outputField === undefined ? t.input : await evaluateTemplate(outputField, 'Output', scope);
  run.emitFor(t, 'ChoiceStateExited', exited(t.state, output, assigned));
  Object.assign(t.vars, assigned);
  return run.transition(t, next, output);
}
