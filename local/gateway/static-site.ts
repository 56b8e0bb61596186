/**
 * The built SPA, as CloudFront serves it from S3 in AWS: files with their content types,
 * fingerprinted assets (`/_app/immutable/`) cached for a year, and every other path answered
 * with index.html (never cached) so the client-side router can take it.
 */
import { createReadStream, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

export function serveStatic(staticDir: string, pathname: string, request: IncomingMessage, response: ServerResponse): void {
  const file = resolveFile(staticDir, pathname);
  if (file) return sendFile(file, request, response, pathname.startsWith('/_app/immutable/'));
  // A missing asset is a 404; a missing page is a route of the SPA.
  const index = join(staticDir, 'index.html');
  if (extname(pathname) === '' && isFile(index)) return sendFile(index, request, response, false);
  response.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ message: 'Not Found' }));
}

function resolveFile(staticDir: string, pathname: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const root = normalize(staticDir + sep);
  const candidate = normalize(join(root, decoded));
  if (!candidate.startsWith(root)) return undefined;
  if (isFile(candidate)) return candidate;
  const index = join(candidate, 'index.html');
  return candidate.startsWith(root) && isFile(index) ? index : undefined;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function sendFile(file: string, request: IncomingMessage, response: ServerResponse, immutable: boolean): void {
  const type = CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
  const cache = immutable ? 'public, max-age=31536000, immutable' : type.startsWith('text/html') ? 'no-cache' : 'public, max-age=300';
  response.writeHead(200, { 'content-type': type, 'content-length': statSync(file).size, 'cache-control': cache, 'x-content-type-options': 'nosniff' });
  if (request.method === 'HEAD') return void response.end();
  createReadStream(file)
    .on('error', () => response.destroy())
    .pipe(response);
}
