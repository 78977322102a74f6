/**
 * The hosted (Clarifai) path end to end against the local emulator on 127.0.0.1: sync, dataset version, training on
 * both paths (template, pipeline, auto fallback), predictions through createClassifier's Classifier, comparison on the
 * held-out split, and failed/refused training surfaced with the API's message.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHostedEmulator, type HostedEmulator } from '../../tools/hosted-emulator/server.js';
import {
  HostedClient,
  HostedApiError,
  TrainingFailedError,
  TrainingPathUnavailableError,
  createHostedClassifier,
  createReadyDatasetVersion,
  compareOnHeldOut,
  deepTrain,
  ensureApp,
  ensureDataset,
  memorySyncState,
  startTraining,
  syncDataset,
  waitForTraining,
  type SyncExample,
} from '../../src/hosted/index.js';
import { createClassifier } from '../../src/node/index.js';

let emu: HostedEmulator;
const PAT = 'test-pat';
const FAST = { queueMs: 60, trainMs: 60, runQueueMs: 60, runMs: 60, buildMs: 30, inputMs: 10, deleteMs: 10, datasetVersionMs: 10 };
const POLL = { intervalMs: 20, maxIntervalMs: 40, timeoutMs: 20_000 };
const retry = { baseMs: 5, maxMs: 50 };

const POS = ['great battery life', 'love this phone', 'excellent screen and great sound', 'works great, love it', 'fantastic value, excellent'];
const NEG = ['battery died fast', 'terrible screen, broke', 'awful support, hate it', 'broke after a week, terrible', 'hate the awful sound'];
function examples(n = 40): SyncExample[] {
  return Array.from({ length: n }, (_, i) => {
    const pos = i % 2 === 0;
    const text = `${(pos ? POS : NEG)[i % 5]} #${i}`;
    return { id: `ex${i.toString(16).padStart(4, '0')}`, text, labels: [pos ? 'positive' : 'negative'] };
  });
}
const source = (xs: SyncExample[]) => ({ listExamples: async () => xs });

beforeAll(async () => {
  emu = await startHostedEmulator({ timings: FAST });
});
afterAll(async () => emu?.close());
beforeEach(() => emu.reset());

const client = (appId = 'reviews') => new HostedClient({ pat: PAT, appId, baseUrl: emu.url, retry });

async function prepared(appId: string, xs = examples()) {
  const c = client(appId);
  await ensureApp(c);
  await ensureDataset(c, 'texts');
  const report = await syncDataset({ client: c, source: source(xs), datasetId: 'texts', store: memorySyncState() });
  const version = await createReadyDatasetVersion(c, 'texts', 'test', { pollMs: 10 });
  return { c, report, version };
}

describe('hosted: end to end', () => {
  it('template path: deepTrain syncs, trains with progress, and the hosted model classifies like a local one', async () => {
    const xs = examples();
    const steps: string[] = [];
    const states: string[] = [];
    const result = await deepTrain({
      pat: PAT,
      appId: 'e2e',
      baseUrl: emu.url,
      retry,
      source: source(xs),
      poll: POLL,
      sync: { store: memorySyncState() },
      onProgress: (p) => {
        steps.push(p.step);
        if (p.step === 'training') states.push(p.training.state);
      },
    });
    expect(result.handle.path).toBe('template');
    expect(result.final.statusCode).toBe(21100);
    expect(result.sync.added).toBe(40);
    expect(result.metrics?.summary?.macro_avg_f1_score).toBeGreaterThan(0.5);
    expect(new Set(steps)).toEqual(new Set(['app', 'dataset', 'sync', 'snapshot', 'start', 'training']));
    expect(states[0]).toBe('queued');
    expect(states).toContain('running');
    expect(states.at(-1)).toBe('succeeded');
    expect(emu.inputs('e2e').length).toBe(40);

    const hosted = await createHostedClassifier({ pat: PAT, appId: 'e2e', baseUrl: emu.url, retry, modelId: result.modelId, versionId: result.modelVersionId });
    expect(hosted.info.concepts).toEqual(['negative', 'positive']);
    const [r] = await hosted.classify(['great battery, love it']);
    expect(r.concepts[0].concept).toBe('positive');
    expect(r.concepts.length).toBe(2);
    await expect(hosted.embed(['x'])).rejects.toThrow(/classify only/);
    await hosted.dispose();
  });

  it('createClassifier({ hosted }) returns the same Classifier shape, and the comparison runs both on one held-out split', async () => {
    const xs = examples(60);
    const { modelId, modelVersionId } = await deepTrain({ pat: PAT, appId: 'cmp', baseUrl: emu.url, retry, source: source(xs), poll: POLL, sync: { store: memorySyncState() } });
    const hosted = await createClassifier({ hosted: { pat: PAT, appId: 'cmp', baseUrl: emu.url, retry, modelId, versionId: modelVersionId } });
    expect(hosted.info.modelId).toBe(`clarifai:me/cmp/${modelId}@${modelVersionId}`);
    const local = await createClassifier();
    const cmp = await compareOnHeldOut(xs, local, hosted, { problemType: 'single_label_classification' });
    expect(cmp.ids.length).toBeGreaterThan(0);
    expect(cmp.local.count).toBe(cmp.ids.length);
    expect(cmp.hosted.count).toBe(cmp.ids.length);
    expect(cmp.hosted.accuracy).toBeGreaterThan(0.8);
    await local.dispose();
    await hosted.dispose();
  });

  it('pipeline path: a configured pipeline runs, completes, and its model version is found and predicts', async () => {
    const { c, report, version } = await prepared('pipe');
    const created = await c.request('PostPipelines', 'POST', c.appPath('/pipelines'), {
      body: { pipelines: [{ id: 'text-train', pipeline_version: { orchestration_spec: { argo_orchestration_spec: { api_version: 'argoproj.io/v1alpha1', spec_json: '{}' } } } }] },
    });
    const pv = (created.pipelines as { pipeline_version: { id: string } }[])[0].pipeline_version.id;
    emu.hooks.pipelineConceptIds = 'index';
    const handle = await startTraining(c, {
      modelId: 'pipe-clf',
      datasetId: 'texts',
      datasetVersionId: version.id,
      concepts: report.concepts,
      pipeline: { pipelineId: 'text-train', pipelineVersionId: pv, computeClusterId: 'cc', nodepoolId: 'np', params: { num_epochs: 2 } },
    });
    expect(handle.path).toBe('pipeline');
    const states: string[] = [];
    const done = await waitForTraining(c, handle, { ...POLL, onStatus: (s) => states.push(s.state) });
    expect(states).toContain('queued');
    expect(done.state).toBe('succeeded');
    const hosted = await createHostedClassifier({ pat: PAT, appId: 'pipe', baseUrl: emu.url, modelId: 'pipe-clf', versionId: done.modelVersionId! });
    // Index ids ("0", "1") on the wire; concepts are read by name.
    expect(hosted.info.concepts).toEqual(['negative', 'positive']);
    expect((await hosted.classify(['terrible, broke, hate it']))[0].concepts[0].concept).toBe('negative');
  });

  it('auto: an unknown pipeline is refused (11101) and the template path is used instead', async () => {
    const { c, report, version } = await prepared('auto');
    const handle = await startTraining(c, {
      modelId: 'auto-clf',
      datasetId: 'texts',
      datasetVersionId: version.id,
      concepts: report.concepts,
      pipeline: { pipelineId: 'missing', pipelineVersionId: 'v', computeClusterId: 'cc', nodepoolId: 'np' },
    });
    expect(handle.path).toBe('template');
    expect(handle.note).toMatch(/pipeline refused \(11101/);
    expect((await waitForTraining(c, handle, POLL)).state).toBe('succeeded');
  });

  it('a refused template start surfaces the server status and message; a pipeline missing a nodepool too', async () => {
    const { c, report, version } = await prepared('refuse');
    emu.hooks.templatePath = 'refuse';
    const err = await startTraining(c, { modelId: 'm', datasetId: 'texts', datasetVersionId: version.id, concepts: report.concepts }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TrainingPathUnavailableError);
    expect((err as TrainingPathUnavailableError).status?.code).toBe(21202);
    expect((err as Error).message).toMatch(/deprecated server-side/);
    // A refusal is not retried: exactly one PostModelVersions reached the server.
    expect(emu.requestLog.filter((r) => r.method === 'POST' && r.url.endsWith('/models/m/versions')).length).toBe(1);
  });

  it('a failed training (bad params, hook failure, failure while queued) is shown with the API message', async () => {
    const { c, report, version } = await prepared('fail');
    const req = { modelId: 'm', datasetId: 'texts', datasetVersionId: version.id, concepts: report.concepts };
    const bad = await startTraining(c, { ...req, template: { params: { trainer_config: { num_train_epochs: -1 } } } });
    const e1 = await waitForTraining(c, bad, POLL).catch((e: unknown) => e);
    expect(e1).toBeInstanceOf(TrainingFailedError);
    expect((e1 as TrainingFailedError).status?.code).toBe(21118);
    expect((e1 as Error).message).toMatch(/num_train_epochs/);

    emu.hooks.failVersions = 1;
    const e2 = await waitForTraining(c, await startTraining(c, req), POLL).catch((e: unknown) => e);
    expect((e2 as TrainingFailedError).status?.code).toBe(21106);

    emu.hooks.templatePath = 'fail-queued';
    const e3 = await waitForTraining(c, await startTraining(c, req), POLL).catch((e: unknown) => e);
    expect(e3).toBeInstanceOf(TrainingPathUnavailableError);

    emu.hooks.templatePath = 'ok';
    emu.hooks.failRuns = 1;
    const created = await c.request('PostPipelines', 'POST', c.appPath('/pipelines'), { body: { pipelines: [{ id: 'p' }] } });
    const pv = (created.pipelines as { pipeline_version: { id: string } }[])[0].pipeline_version.id;
    const h = await startTraining(c, { ...req, path: 'pipeline', pipeline: { pipelineId: 'p', pipelineVersionId: pv, computeClusterId: 'cc', nodepoolId: 'np' } });
    const e4 = await waitForTraining(c, h, POLL).catch((e: unknown) => e);
    expect((e4 as TrainingFailedError).status?.code).toBe(64003);
  });

  it('every call checks status.code: a bad key is 11008 with its description, never retried', async () => {
    const bad = new HostedClient({ pat: 'wrong', appId: 'x', baseUrl: emu.url, retry });
    const err = await ensureApp(bad).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HostedApiError);
    expect((err as HostedApiError).status.code).toBe(11008);
    expect((err as HostedApiError).httpStatus).toBe(401);
    expect((err as Error).message).toMatch(/Invalid API key/);
    expect((err as Error).message).not.toContain('wrong');
    expect(emu.requestLog.length).toBe(1);
  });
});
