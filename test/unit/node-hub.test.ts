/** Node loads hub ids and URLs from a hub-shaped server on 127.0.0.1 (no cache in Node: offline is refused). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClassifier } from '../../src/node/index.js';
import { startHubServer, type HubServer } from '../helpers/hub-server.js';
import { TINY_MODEL } from '../helpers/paths.js';

let hub: HubServer;
beforeAll(async () => {
  hub = await startHubServer();
});
afterAll(async () => {
  await hub.close();
});

describe('Node loading over HTTP', () => {
  it('loads a hub id and a URL, with the same scores as the folder', async () => {
    const local = await createClassifier({ model: TINY_MODEL, dtype: 'fp32' });
    const byId = await createClassifier({ model: 'test/tiny', hubUrl: hub.url, dtype: 'fp32' });
    const byUrl = await createClassifier({ model: `${hub.url}/test/tiny/resolve/main/`, dtype: 'fp32' });
    const [a, b, c] = await Promise.all([local, byId, byUrl].map((m) => m.classify(['so good']).promise));
    expect(b[0].concepts).toEqual(a[0].concepts);
    expect(c[0].concepts).toEqual(a[0].concepts);
    expect(byId.info.source).toBe(`${hub.url}/test/tiny/resolve/main/`);
    await Promise.all([local, byId, byUrl].map((m) => m.dispose()));
  });

  it('names bad files', async () => {
    await expect(createClassifier({ model: 'test/html', hubUrl: hub.url })).rejects.toThrow(/config\.json: got an HTML/);
    await expect(createClassifier({ model: 'test/truncated', hubUrl: hub.url, dtype: 'fp32' })).rejects.toThrow(
      /onnx\/model\.onnx: truncated download/,
    );
  });

  it('refuses offline mode without a cache, before any request', async () => {
    const before = hub.requests.size;
    await expect(createClassifier({ model: 'test/tiny', hubUrl: hub.url, offline: true })).rejects.toThrow(/offline/);
    expect(hub.requests.size).toBe(before);
  });

  it('cancels a load with an AbortSignal', async () => {
    const ac = new AbortController();
    const p = createClassifier({ model: 'test/slow', hubUrl: hub.url, dtype: 'fp32', signal: ac.signal });
    setTimeout(() => ac.abort(), 200);
    await expect(p).rejects.toMatchObject({ name: 'AbortError' });
  });
});
