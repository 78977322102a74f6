/**
 * A tiny static file server for built output, as a plain host would serve it: no COOP/COEP (so pages are not
 * cross-origin isolated), and by default the strict CSP the widget must live under.
 */
import { createReadStream, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, resolve, sep } from 'node:path';

/** The only relaxation is 'wasm-unsafe-eval': no eval, no inline script or style, no data: or blob: anything. */
export const STRICT_CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; worker-src 'self'; connect-src 'self'";

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.onnx': 'application/octet-stream',
  '.md': 'text/markdown; charset=utf-8',
};

export interface StaticServerOptions {
  /** URL prefix → folder, e.g. `{ '/some/path/widget/': 'dist/widget' }`. The longest matching prefix wins. */
  mounts: Record<string, string>;
  /** Content-Security-Policy header; null sends none. Default STRICT_CSP. */
  csp?: string | null;
  /** Extra files by URL path (test pages, stylesheets). */
  files?: Record<string, { body: string; type: string }>;
}

export interface StaticServer {
  url: string;
  /** Paths requested so far, in order (for asserting what a page fetched). */
  requests: string[];
  close(): Promise<void>;
}

/**
 * Starts the server on a free port of 127.0.0.1.
 * @example const s = await serveStatic({ mounts: { '/': 'dist/widget' } }); await page.goto(`${s.url}/widget.html`);
 */
export async function serveStatic(options: StaticServerOptions): Promise<StaticServer> {
  const csp = options.csp === undefined ? STRICT_CSP : options.csp;
  const mounts = Object.entries(options.mounts).sort((a, b) => b[0].length - a[0].length);
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    requests.push(path);
    const headers: Record<string, string> = { 'Cache-Control': 'no-store' };
    if (csp) headers['Content-Security-Policy'] = csp;
    const extra = options.files?.[path];
    if (extra) {
      res.writeHead(200, { ...headers, 'Content-Type': extra.type }).end(extra.body);
      return;
    }
    const mount = mounts.find(([prefix]) => path.startsWith(prefix));
    const root = mount ? resolve(mount[1]) : null;
    const rel = path.slice(mount?.[0].length ?? 0) + (path.endsWith('/') ? 'index.html' : '');
    const file = root ? resolve(root, `.${sep}${rel}`) : null;
    const stat = file?.startsWith(root + sep) ? statSync(file, { throwIfNoEntry: false }) : undefined;
    if (!file || !stat?.isFile()) {
      res.writeHead(404, { ...headers, 'Content-Type': 'text/plain' }).end('not found');
      return;
    }
    const type = TYPES[extname(file)] ?? 'application/octet-stream';
    res.writeHead(200, { ...headers, 'Content-Type': type, 'Content-Length': String(stat.size) });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
