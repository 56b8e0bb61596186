/**
 * `npm run bench -- NAME` runs bench/NAME.ts (or bench/NAME/index.ts). Each benchmark prints
 * progress as it goes and its figures last, as one line of JSON whose keys name figure and unit.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const name = process.argv[2];
const here = import.meta.dirname;
const candidates = name ? [join(here, `${name}.ts`), join(here, name, 'index.ts')] : [];
const file = candidates.find((f) => existsSync(f));
if (!file) {
  console.error(`usage: npm run bench -- NAME   (NAME is a file bench/NAME.ts or folder bench/NAME/)`);
  process.exit(2);
}
// As in local/start.mjs: the AWS SDK's Node 22 notice is known and would clutter the figures.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
await import(pathToFileURL(file).href);
