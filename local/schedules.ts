/**
 * SCHEDULES (infra/app-resources.ts) on one machine: each function is invoked every
 * `everyMinutes` with the event an EventBridge schedule sends (`Scheduled Event`, `time` the
 * minute), the time read from the cloud's clock. When the clock jumps (a test moving it) every
 * schedule runs at once, so what comes due by the moved clock happens without waiting; `runNow`
 * runs them and resolves when done. Runs of one schedule never overlap: a call while one runs
 * runs again after it.
 */
import { randomUUID } from 'node:crypto';
import { FUNCTIONS, SCHEDULES, type FunctionKey } from '../infra/app-resources.ts';
import type { Clock } from './states/clock.ts';
import { lambdaContext, type LambdaHandler } from './lambda.ts';

export interface Schedules {
  /** Runs every schedule now (by the clock) and resolves once each run that began after this call is done. */
  runNow(): Promise<void>;
  close(): Promise<void>;
}

export interface SchedulesOptions {
  clock: Clock;
  functions: Record<FunctionKey, LambdaHandler>;
  region: string;
  accountId: string;
}

/** The event an EventBridge scheduled rule sends its target. */
export const scheduledEvent = (rule: string, at: number, region: string, accountId: string) => ({
  version: '0',
  id: randomUUID(),
  'detail-type': 'Scheduled Event',
  source: 'aws.events',
  account: accountId,
  time: new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z'),
  region,
  resources: [`arn:aws:events:${region}:${accountId}:rule/${rule}`],
  detail: {},
});

export function startSchedules(options: SchedulesOptions): Schedules {
  let closed = false;
  const runners = SCHEDULES.map((schedule) => {
    let running: Promise<void> | undefined;
    let again: Promise<void> | undefined;
    const once = async () => {
      try {
        await options.functions[schedule.function](scheduledEvent(`${schedule.function}Schedule`, options.clock.now(), options.region, options.accountId), lambdaContext(schedule.function, FUNCTIONS[schedule.function].timeoutSeconds));
      } catch (err) {
        // As EventBridge: a failed run is the function's to log; the next minute runs again.
        console.error(`[schedules] ${schedule.function} failed:`, err);
      }
    };
    /** A run that begins after now: the one running is followed by one more (shared by every call meanwhile). */
    const run = (): Promise<void> => {
      if (closed) return Promise.resolve();
      if (running) {
        again ??= running.then(() => {
          again = undefined;
          return run();
        });
        return again;
      }
      running = once().finally(() => (running = undefined));
      return running;
    };
    const timer = setInterval(() => void run(), schedule.everyMinutes * 60_000);
    timer.unref();
    return { run, stop: () => clearInterval(timer), idle: () => Promise.all([running, again]) };
  });
  const runAll = async () => void (await Promise.all(runners.map((runner) => runner.run())));
  const unsubscribe = options.clock.onJump?.(() => void runAll());
  return {
    runNow: runAll,
    close: async () => {
      closed = true;
      unsubscribe?.();
      for (const runner of runners) runner.stop();
      await Promise.all(runners.map((runner) => runner.idle()));
    },
  };
}
