/** What a domain call refuses: the issues (path and message) of the FieldValidationError it throws; a call that is not refused fails the test. */
import { FieldValidationError } from '../../functions/errors/field-validation-error.ts';

export function refusal(run: () => unknown): Array<{ path: string; message: string }> {
  try {
    run();
  } catch (err) {
    if (err instanceof FieldValidationError) return err.issues.map(({ path, message }) => ({ path, message }));
    throw err;
  }
  throw new Error('not refused');
}
