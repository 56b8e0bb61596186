/** The data folder's lock, in one process: a second lock is refused naming the owner; once released it can be taken again. */
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { DataDirInUseError, lockDataDir } from '../../local/data-dir-lock.ts';

const parent = mkdtempSync(join(tmpdir(), 'sheetflow-lock-'));
const dataDir = join(parent, 'data');
afterAll(() => rmSync(parent, { recursive: true, force: true }));

it('refuses a second lock on the folder, names the owner, and locks again once released', async () => {
  const unlock = await lockDataDir(dataDir);
  // The same folder by another path (a symlink) is the same lock.
  symlinkSync(dataDir, join(parent, 'link'));
  const refused = await lockDataDir(join(parent, 'link')).catch((err) => err);
  expect(refused).toBeInstanceOf(DataDirInUseError);
  expect(refused.pid).toBe(process.pid);
  // Another folder is another lock.
  const other = await lockDataDir(join(parent, 'other'));
  await other();
  await unlock();
  const again = await lockDataDir(dataDir);
  await again();
});
