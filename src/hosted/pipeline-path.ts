/**
 * The pipeline path (contract §9): run a user-uploaded training pipeline on the user's nodepool, poll the run, then
 * find the model version the step uploaded (newest version created after the start).
 */
import { enc, readStatus, type HostedClient } from './client.js';
import {
  PIPELINE_PARAM_NAMES,
  RUN_CANCELLED_CODES,
  RUN_FAILED_CODES,
  RUN_PAUSED_CODES,
  RUN_QUEUED_CODES,
  RUN_SUCCEEDED_CODES,
} from './contract.js';
import { HostedApiError, HostedTransportError, TrainingPathUnavailableError } from './errors.js';
import { listModelVersions } from './models.js';
import { versionStatus } from './template-path.js';
import type { TrainingHandle, TrainingRequest, TrainingStatus } from './training-types.js';

const HINT = 'Check the pipeline id/version, the nodepool, and that the PAT may run pipelines.';

function runPath(client: HostedClient, pipelineId: string, versionId: string, runId?: string): string {
  const base = client.appPath(`/pipelines/${enc(pipelineId)}/versions/${enc(versionId)}/runs`);
  return runId ? `${base}/${enc(runId)}` : base;
}

/**
 * Starts a run with a deterministic id (`token`); an unanswered start is resolved by GETting that id, not by re-posting.
 */
export async function startPipelineTraining(client: HostedClient, req: TrainingRequest, token: string): Promise<TrainingHandle> {
  const p = req.pipeline!;
  const signal = req.signal;
  const runId = `run-${token}`;
  const n = PIPELINE_PARAM_NAMES;
  const params: Record<string, string> = {
    [n.userId]: client.userId,
    [n.appId]: client.appId,
    [n.modelId]: req.modelId,
    [n.datasetId]: req.datasetId,
    [n.datasetVersionId]: req.datasetVersionId,
    [n.concepts]: JSON.stringify(req.concepts),
  };
  for (const [k, v] of Object.entries(p.params ?? {})) params[k] = String(v);
  const nodepool = { id: p.nodepoolId, compute_cluster: { id: p.computeClusterId, user_id: p.computeUserId ?? client.userId } };
  const body = {
    pipeline_version_runs: [
      {
        id: runId,
        nodepools: [nodepool],
        input_args_override: { argo_args_override: { parameters: Object.entries(params).map(([name, value]) => ({ name, value })) } },
      },
    ],
    runner_selector: { nodepool },
  };
  const startedAt = new Date().toISOString();
  const handle: TrainingHandle = { path: 'pipeline', modelId: req.modelId, pipelineId: p.pipelineId, pipelineVersionId: p.pipelineVersionId, runId, startedAt };
  try {
    await client.request('PostPipelineVersionRuns', 'POST', runPath(client, p.pipelineId, p.pipelineVersionId), { body, retry: 'throttle', signal });
    return handle;
  } catch (err) {
    if (err instanceof HostedApiError) throw new TrainingPathUnavailableError('pipeline', err.status, HINT);
    if (!(err instanceof HostedTransportError)) throw err;
    // Did the unanswered start land? The run id is ours, so one GET tells.
    await client.request('GetPipelineVersionRun', 'GET', runPath(client, p.pipelineId, p.pipelineVersionId, runId), { signal });
    return handle;
  }
}

/** Polls a run; once it completed, looks up the model version it produced and reports that version's state. */
export async function pollPipelineTraining(client: HostedClient, handle: TrainingHandle, signal?: AbortSignal): Promise<TrainingStatus> {
  const res = await client.request('GetPipelineVersionRun', 'GET', runPath(client, handle.pipelineId!, handle.pipelineVersionId!, handle.runId!), { signal });
  const run = (res.pipeline_version_run ?? {}) as { orchestration_status?: { status?: unknown } };
  const raw = readStatus(run.orchestration_status?.status);
  const code = raw.code;
  const base = { statusCode: code, description: raw.description, raw };
  if (RUN_QUEUED_CODES.includes(code)) return { state: 'queued', ...base };
  if (RUN_PAUSED_CODES.includes(code)) return { state: 'paused', ...base };
  if (RUN_FAILED_CODES.includes(code)) return { state: 'failed', ...base };
  if (RUN_CANCELLED_CODES.includes(code)) return { state: 'cancelled', ...base };
  if (!RUN_SUCCEEDED_CODES.includes(code)) return { state: 'running', ...base };
  const since = Date.parse(handle.startedAt) - 5_000; // a little clock skew between us and the server
  const version = (await listModelVersions(client, handle.modelId, signal)).find((v) => !v.createdAt || Date.parse(v.createdAt) >= since);
  if (!version) return { state: 'failed', statusCode: code, description: 'The run completed without a model version.', raw };
  return versionStatus(version.id, version.status);
}
