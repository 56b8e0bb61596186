/**
 * The contracts are shared with the frontend, which bundles them: they may import each other and
 * packages, never the server's modules (which would pull the server into the browser).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

describe('functions/contracts', () => {
  it('imports nothing of the server: only other contracts and packages', () => {
    const outside = readdirSync(import.meta.dirname)
      .filter((file) => file.endsWith('.ts'))
      .flatMap((file) => [...readFileSync(`${import.meta.dirname}/${file}`, 'utf8').matchAll(/^\s*(?:import|export)\b[^;]*?\bfrom\s+'([^']+)'/gm)].map((match) => `${file}: ${match[1]}`))
      .filter((line) => line.split(': ')[1].startsWith('..'));
    expect(outside).toEqual([]);
  });
});
