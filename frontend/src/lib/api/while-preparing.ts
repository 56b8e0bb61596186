/**
 * A request asked again while the server prepares what it needs to answer (503 `Preparing`: a
 * large type's records read for views, a tenant's stage moves read for reports, each a first read
 * in a while), every `pollMs` for up to `waitMs`; then, or on any other failure, the error.
 * `onPreparing` hears each such answer's message (how far the server got).
 */
import { ApiError } from './api-client.ts';

export interface PreparingWait {
  waitMs: number;
  pollMs: number;
  onPreparing?: (message: string) => void;
}

export async function whilePreparing<T>(ask: () => Promise<T>, { waitMs, pollMs, onPreparing }: PreparingWait): Promise<T> {
  for (const started = Date.now(); ; ) {
    try {
      return await ask();
    } catch (err) {
      if (!(err instanceof ApiError && err.code === 'Preparing') || Date.now() - started > waitMs) throw err;
      onPreparing?.(err.message);
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }
}
