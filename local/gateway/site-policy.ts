/**
 * The site's security headers as the gateway sends them: the policy of infra/security-headers.ts
 * with the hashes of the inline scripts of the index.html it serves, read again when the build
 * changes (a rebuild while running gives the bootstrap script another hash).
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { inlineScriptHashes, securityHeaders, siteContentSecurityPolicy } from '../../infra/security-headers.ts';

export function sitePolicy(staticDir: string, connectTo: readonly string[]): () => Record<string, string> {
  const index = join(staticDir, 'index.html');
  let kept: { stamp: string; headers: Record<string, string> } | undefined;
  return () => {
    const stamp = stampOf(index);
    if (kept?.stamp !== stamp) {
      const scriptHashes = stamp ? inlineScriptHashes(readFileSync(index, 'utf8')) : [];
      kept = { stamp, headers: securityHeaders(siteContentSecurityPolicy({ scriptHashes, connectTo })) };
    }
    return kept.headers;
  };
}

/** Size and modification time of the file; empty when there is none (no build yet: no inline script to allow). */
function stampOf(path: string): string {
  try {
    const { size, mtimeMs } = statSync(path);
    return `${size}:${mtimeMs}`;
  } catch {
    return '';
  }
}
