import { fileURLToPath } from 'node:url';

/** The repository root: FUNCTIONS entries, workflows/ and frontend/build are relative to it. */
export const repoRoot = fileURLToPath(new URL('..', import.meta.url));
