/**
 * The security headers of every response, one definition for both clouds: CloudFront's response
 * headers policies in AWS (infra/constructs/web-hosting.ts) and the local gateway here
 * (local/gateway), so the app meets the same policy wherever it runs.
 *
 * The site's Content-Security-Policy allows no inline script but the SPA's own bootstrap: adapter-
 * static writes one inline `<script>` into index.html, allowed by its SHA-256 hash, which both
 * clouds compute from the built page they serve (`inlineScriptHashes`). A header, not a `<meta>`
 * (SvelteKit's `csp` option), because a meta policy cannot say `frame-ancestors`. Styles may be
 * inline: RevoGrid (Stencil) inserts `<style>` elements and Svelte writes `style` attributes.
 */
import { createHash } from 'node:crypto';

/** Two years, with subdomains: what the HSTS preload list asks for. */
export const HSTS_MAX_AGE_SECONDS = 63_072_000;
export const REFERRER_POLICY = 'strict-origin-when-cross-origin';
export const FRAME_OPTION = 'DENY';

export interface SitePolicyOptions {
  /** `'sha256-…'` sources of the page's inline scripts (`inlineScriptHashes`). */
  scriptHashes: readonly string[];
  /** Origins the SPA calls besides its own: the sign-in service, the files bucket (presigned PUTs). */
  connectTo: readonly string[];
}

/** The SPA's policy: its own scripts (and the bootstrap by hash), no plugins, no framing, no base tag. */
export function siteContentSecurityPolicy({ scriptHashes, connectTo }: SitePolicyOptions): string {
  return [
    "default-src 'self'",
    `script-src 'self' ${scriptHashes.join(' ')}`.trim(),
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self' ${connectTo.join(' ')}`.trim(),
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** The API answers JSON (and CSV): nothing in it may load or run anything, nor be framed. */
export const API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'";

/** The headers as sent: the same on every response, with the policy of the site or of the API. */
export function securityHeaders(contentSecurityPolicy: string): Record<string, string> {
  return {
    'content-security-policy': contentSecurityPolicy,
    'strict-transport-security': `max-age=${HSTS_MAX_AGE_SECONDS}; includeSubDomains`,
    'x-content-type-options': 'nosniff',
    'x-frame-options': FRAME_OPTION,
    'referrer-policy': REFERRER_POLICY,
  };
}

/** `'sha256-…'` of each inline `<script>` of a page, as CSP hashes them (the text between the tags). */
export function inlineScriptHashes(html: string): string[] {
  const hashes: string[] = [];
  for (const [, attributes, body] of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    if (/\bsrc\s*=/i.test(attributes)) continue;
    hashes.push(`'sha256-${createHash('sha256').update(body, 'utf8').digest('base64')}'`);
  }
  return hashes;
}
