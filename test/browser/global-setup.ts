/**
 * Starts one Vite dev server (cross-origin isolated, like the app) for all browser tests and hands its URL over.
 */
import 'vitest';
import type { TestProject } from 'vitest/node';
import { createServer, type ViteDevServer } from 'vite';
import { startHubServer, type HubServer } from '../helpers/hub-server.js';
import { startHostedEmulator, type HostedEmulator } from '../../tools/hosted-emulator/server.js';

let server: ViteDevServer | undefined;
let hub: HubServer | undefined;
let hosted: HostedEmulator | undefined;

export async function setup(project: TestProject): Promise<void> {
  server = await createServer({ configFile: 'vite.config.ts', server: { port: 0, host: '127.0.0.1', hmr: false }, logLevel: 'error' });
  await server.listen();
  const address = server.httpServer?.address();
  if (!address || typeof address === 'string') throw new Error('vite did not start');
  project.provide('baseUrl', `http://127.0.0.1:${address.port}`);
  hub = await startHubServer();
  project.provide('hubUrl', hub.url);
  // The Clarifai emulator (tools/hosted-emulator), cross-origin like the real API; tests drive it via /__emulator/.
  hosted = await startHostedEmulator({ timings: { queueMs: 80, trainMs: 80, runQueueMs: 80, runMs: 80, buildMs: 30, inputMs: 10, deleteMs: 10, datasetVersionMs: 10 } });
  project.provide('hostedUrl', hosted.url);
}

export async function teardown(): Promise<void> {
  await server?.close();
  await hub?.close();
  await hosted?.close();
}

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    /** A hub-shaped server (test/helpers/hub-server.ts) on another port: cross-origin, like a real hub. */
    hubUrl: string;
    /** The Clarifai emulator (tools/hosted-emulator/server.ts), PAT `test-pat`. */
    hostedUrl: string;
  }
}
