/**
 * Parallel and inline Map (AWS docs: "Parallel workflow state", "Map workflow state"): the state
 * runs children threads - one per branch, or one per item up to MaxConcurrency - and collects
 * their outputs in order. A failed branch fails the Parallel; a Map fails on the first failed
 * iteration, or, with ToleratedFailureCount/Percentage, once failures exceed the threshold
 * (States.ExceedToleratedFailureThreshold). Running siblings are then aborted. A redrive of the
 * execution runs again only the branches or iterations that had not succeeded (AWS:
 * RedriveExecution); each of them from its start.
 */
import { QueryEvaluationError, StatesError } from '../errors.ts';
import { evaluateTemplate, isExpression, jsonType, type Json } from '../expressions.ts';
import type { StateDef } from '../definition.ts';
import { COUNT, PERCENTAGE, type Fanout, type Outcome, type StateRunner, type Thread } from '../thread.ts';

export async function runFanout(run: StateRunner, t: Thread, state: StateDef): Promise<void> {
  const scope = run.scope(t);
  let inputs: Json[];
  let fanout: Omit<Fanout, 'inputs' | 'total' | 'results'> = { next: 0, running: [], failed: 0, maxConcurrency: 0 };
  if (state.Type === 'Parallel') {
    const input = state.Arguments === undefined ? t.input : await evaluateTemplate(state.Arguments, 'Arguments', scope);
    inputs = state.Branches!.map(() => input);
  } else {
    let items: Json;
    if (state.Items === undefined) {
      items = t.input;
      if (!Array.isArray(items)) throw new QueryEvaluationError(`Map state input must be an array but was: ${JSON.stringify(items)}`, undefined);
    } else {
      items = await evaluateTemplate(state.Items, 'Items', scope);
      if (!Array.isArray(items)) {
        const text = isExpression(state.Items) ? (state.Items as string).slice(2, -2).trim() : JSON.stringify(state.Items);
        throw new QueryEvaluationError(
          `The JSONata expression '${text}' specified for the field 'Items' returned an unexpected result type. Expected 'array', but was '${jsonType(items)}' for value: ${JSON.stringify(items)}`,
          'Items',
        );
      }
    }
    inputs = items;
    fanout = {
      ...fanout,
      maxConcurrency: (await run.evaluateNumber(state.MaxConcurrency, 'MaxConcurrency', t, COUNT)) ?? 0,
      toleratedCount: await run.evaluateNumber(state.ToleratedFailureCount, 'ToleratedFailureCount', t, COUNT),
      toleratedPercentage: await run.evaluateNumber(state.ToleratedFailurePercentage, 'ToleratedFailurePercentage', t, PERCENTAGE),
    };
  }
  run.emitFor(t, `${state.Type}StateStarted`, state.Type === 'Map' ? { length: inputs.length } : undefined);
  t.fanout = { ...fanout, total: inputs.length, inputs, results: new Array(inputs.length).fill(null), succeeded: [] };
  const resume = t.resumeFanout;
  t.resumeFanout = t.failedFanout = undefined;
  if (resume?.state === t.state && resume.results.length === inputs.length) {
    for (const index of resume.succeeded) t.fanout.results[index] = resume.results[index];
    t.fanout.succeeded = [...resume.succeeded];
  }
  t.step = 'children';
  if (inputs.length === 0) return run.wake(t, { result: [] });
  await launchChildren(run, t, state);
}

async function launchChildren(run: StateRunner, t: Thread, state: StateDef): Promise<void> {
  const f = t.fanout!;
  const limit = f.maxConcurrency > 0 ? f.maxConcurrency : Infinity;
  while (f.next < f.total && f.running.length < limit) {
    const index = f.next++;
    // Succeeded before the redrive that resumed the state: its output stands.
    if (f.succeeded?.includes(index)) continue;
    const base = `${t.scope}/States/${t.state.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    const scopeKey = state.Type === 'Parallel' ? `${base}/Branches/${index}` : `${base}/ItemProcessor`;
    let input = f.inputs[index];
    if (state.Type === 'Map') {
      run.emitFor(t, 'MapIterationStarted', { name: t.state, index });
      if (state.ItemSelector !== undefined) {
        input = await evaluateTemplate(state.ItemSelector, 'ItemSelector', run.scope(t, {}, { Map: { Item: { Index: index, Value: input } } }));
      }
    }
    f.running.push(run.startThread(t, index, scopeKey, input));
  }
  if (f.running.length === 0 && f.next >= f.total) {
    t.fanout = undefined;
    run.wake(t, { result: f.results });
  }
}

/** A branch or iteration ended: record it, start the next, or finish the parent. */
export async function childEnded(run: StateRunner, child: Thread, outcome: Outcome): Promise<void> {
  const parent = run.thread(child.parentId!);
  if (!parent?.fanout) return;
  const f = parent.fanout;
  const state = run.stateOf(parent);
  f.running = f.running.filter((id) => id !== child.id);
  const isMap = state.Type === 'Map';
  if ('result' in outcome) {
    f.results[child.index!] = outcome.result;
    (f.succeeded ??= []).push(child.index!);
    if (isMap) run.emitFor(parent, 'MapIterationSucceeded', { name: parent.state, index: child.index });
  } else {
    f.failed += 1;
    f.results[child.index!] = { Error: outcome.error ?? null, Cause: outcome.cause ?? null };
    if (isMap) run.emitFor(parent, 'MapIterationFailed', { name: parent.state, index: child.index });
    const tolerated = isMap && (f.toleratedCount !== undefined || f.toleratedPercentage !== undefined);
    const exceeded =
      !tolerated ||
      (f.toleratedCount !== undefined && f.failed > f.toleratedCount) ||
      (f.toleratedPercentage !== undefined && (f.failed * 100) / f.total > f.toleratedPercentage);
    if (exceeded) {
      for (const id of f.running) {
        const sibling = run.thread(id);
        if (isMap && sibling) run.emitFor(parent, 'MapIterationAborted', { name: parent.state, index: sibling.index });
        run.removeThread(id);
      }
      f.running = [];
      run.emitFor(parent, `${state.Type}StateFailed`, undefined);
      parent.failedFanout = { state: parent.state, results: f.results, succeeded: f.succeeded ?? [] };
      const error = tolerated
        ? { error: 'States.ExceedToleratedFailureThreshold', cause: 'The specified tolerated failure threshold was exceeded' }
        : { error: outcome.error, cause: outcome.cause };
      parent.fanout = undefined;
      parent.step = 'run';
      // Errors of the children were reported already; the parent only retries or catches.
      run.runDetached(parent, () => run.fail(parent, state, new StatesError(error.error ?? 'States.TaskFailed', error.cause), true));
      return;
    }
  }
  await launchChildren(run, parent, state);
}
