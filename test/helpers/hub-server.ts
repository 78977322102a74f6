/**
 * A hub-shaped HTTP server on 127.0.0.1: `/{org}/{name}/resolve/{revision}/{file}` serves a fixture model folder, with
 * faulty variants for error tests. Counts requests per path so tests can assert "zero requests".
 *
 * Ids (org `test`): tiny (healthy), slow (ONNX trickles in), truncated (ONNX body cut short of Content-Length),
 * html (config.json is an HTML page), corrupt (ONNX bytes are garbage), mismatch (tokenizer vocab larger than the
 * model's), no-q8 (no model_quantized.onnx), copy-1…copy-9 (healthy copies with distinct URLs, for cache tests).
 */
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { join, normalize } from 'node:path';
import { TINY_MODEL } from './paths.js';

export interface HubServer {
  url: string;
  requests: Map<string, number>;
  close(): Promise<void>;
}

const KNOWN = new Set(['tiny', 'slow', 'truncated', 'html', 'corrupt', 'mismatch', 'no-q8']);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startHubServer(port = 0): Promise<HubServer> {
  const requests = new Map<string, number>();
  const server: Server = createServer(async (req, res) => {
    const headers = {
      'Access-Control-Allow-Origin': '*',
      'Cross-Origin-Resource-Policy': 'cross-origin',
      'Access-Control-Expose-Headers': 'Content-Length',
    };
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/__stats') {
      res.writeHead(200, { ...headers, 'content-type': 'application/json' });
      res.end(JSON.stringify(Object.fromEntries(requests)));
      return;
    }
    requests.set(url.pathname, (requests.get(url.pathname) ?? 0) + 1);
    const m = /^\/test\/([\w-]+)\/resolve\/([\w.-]+)\/(.+)$/.exec(url.pathname);
    if (!m) {
      res.writeHead(404, headers).end('Entry not found');
      return;
    }
    const [, id, , file] = m;
    if (!KNOWN.has(id) && !/^copy-\d$/.test(id)) {
      res.writeHead(404, headers).end('Repository not found');
      return;
    }
    const path = normalize(join(TINY_MODEL, file));
    if (!path.startsWith(TINY_MODEL)) {
      res.writeHead(400, headers).end();
      return;
    }
    let body: Buffer;
    try {
      body = await readFile(path);
    } catch {
      res.writeHead(404, headers).end('Entry not found');
      return;
    }
    const isOnnx = file.endsWith('.onnx');
    if (id === 'html' && file === 'config.json') {
      res.writeHead(200, { ...headers, 'content-type': 'text/html' }).end('<!DOCTYPE html><html><body>Sign in</body></html>');
      return;
    }
    if (id === 'no-q8' && file === 'onnx/model_quantized.onnx') {
      res.writeHead(404, headers).end('Entry not found');
      return;
    }
    if (id === 'corrupt' && isOnnx) body = Buffer.alloc(body.length, 0x5a);
    if (id === 'mismatch' && file === 'tokenizer.json') {
      const tok = JSON.parse(body.toString());
      for (let i = 0; i < 500; i++) tok.model.vocab[`extra_token_${i}`] = Object.keys(tok.model.vocab).length;
      body = Buffer.from(JSON.stringify(tok));
    }
    res.writeHead(200, { ...headers, 'content-type': 'application/octet-stream', 'content-length': body.length });
    if (id === 'truncated' && isOnnx) {
      res.write(body.subarray(0, body.length >> 1));
      await sleep(100); // let the headers and the first half arrive, then the connection dies mid-body
      res.destroy();
      return;
    }
    if (id === 'slow' && isOnnx) {
      for (let o = 0; o < body.length && !res.destroyed; o += 64 * 1024) {
        res.write(body.subarray(o, o + 64 * 1024));
        await sleep(150);
      }
      res.end();
      return;
    }
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('hub server did not start');
  return {
    url: `http://127.0.0.1:${address.port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
