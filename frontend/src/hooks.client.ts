/**
 * Runs before any page module, so before any contract defines a schema: zod compiles object
 * parsers with `new Function` unless told not to, and its probe for that is a violation of the
 * app's Content-Security-Policy (no `unsafe-eval`: infra/security-headers.ts), reported even
 * though zod catches it.
 */
import { z } from 'zod';

z.config({ jitless: true });
