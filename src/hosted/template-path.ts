/**
 * The documented template path (contract §4.9): a new model version with `train_info.params.template`. The live
 * service may refuse it (the SDK says it is deprecated server-side); a refusal surfaces as TrainingPathUnavailableError.
 */
import { enc, readStatus, type HostedClient } from './client.js';
import { DEFAULT_TEMPLATE, DEFAULT_TEMPLATE_PARAMS, VERSION_FAILED_CODES, VERSION_QUEUED_CODES, VERSION_TRAINED_CODES } from './contract.js';
import { HostedApiError, HostedTransportError, TrainingPathUnavailableError } from './errors.js';
import { ensureModel, getModelVersion, listModelVersions, listTemplates } from './models.js';
import type { TrainingHandle, TrainingRequest, TrainingStatus } from './training-types.js';

const HINT = 'Configure a training pipeline (trainingPath "pipeline") or check the template name and params.';

/** Template defaults with `params` merged over them, one level deep. */
export function templateParams(params: Record<string, unknown> = {}): Record<string, unknown> {
  const out: Record<string, unknown> = structuredClone({ ...DEFAULT_TEMPLATE_PARAMS });
  for (const [k, v] of Object.entries(params)) {
    const old = out[k];
    out[k] = isPlain(old) && isPlain(v) ? { ...old, ...v } : v;
  }
  return out;
}

const isPlain = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/**
 * Starts template training. Never re-posts after an unanswered start: it lists the versions and adopts the one
 * carrying this start's description token.
 */
export async function startTemplateTraining(client: HostedClient, req: TrainingRequest, token: string): Promise<TrainingHandle> {
  const signal = req.signal;
  const name = req.template?.name ?? DEFAULT_TEMPLATE;
  await ensureModel(client, req.modelId, signal);
  const templates = await listTemplates(client, signal);
  if (templates.length && !templates.some((t) => t.id === name)) {
    throw new TrainingPathUnavailableError(
      'template',
      { code: 21202, description: `template "${name}" is not offered; the server lists ${templates.map((t) => t.id).join(', ')}` },
      HINT,
    );
  }
  const description = `${req.description ?? 'inpage-classifier'} [${token}]`;
  const startedAt = new Date().toISOString();
  const body = {
    model_versions: [
      {
        train_info: {
          params: { ...templateParams(req.template?.params), template: name, dataset_id: req.datasetId, dataset_version_id: req.datasetVersionId },
        },
        output_info: { data: { concepts: req.concepts.map((id) => ({ id })) }, params: { select_concepts: [] } },
        description,
      },
    ],
  };
  try {
    // `throttle`: a 429 means nothing started; anything else unanswered is resolved by listing, below.
    const res = await client.request('PostModelVersions', 'POST', client.appPath(`/models/${enc(req.modelId)}/versions`), { body, retry: 'throttle', signal });
    const version = (res.model as { model_version?: { id?: string } } | undefined)?.model_version;
    if (!version?.id) throw new HostedTransportError('PostModelVersions', 'no model_version.id in the answer');
    return { path: 'template', modelId: req.modelId, modelVersionId: version.id, startedAt };
  } catch (err) {
    if (err instanceof HostedApiError) throw new TrainingPathUnavailableError('template', err.status, HINT);
    if (!(err instanceof HostedTransportError)) throw err;
    const found = (await listModelVersions(client, req.modelId, signal)).find((v) => v.description?.includes(`[${token}]`));
    if (found) return { path: 'template', modelId: req.modelId, modelVersionId: found.id, startedAt };
    throw err;
  }
}

/** Polls a template-trained version once. */
export async function pollTemplateTraining(client: HostedClient, handle: TrainingHandle, signal?: AbortSignal): Promise<TrainingStatus> {
  const v = await getModelVersion(client, handle.modelId, handle.modelVersionId!, signal);
  return versionStatus(v.id, v.status);
}

/** A model version's status as a training state (§4.11). */
export function versionStatus(modelVersionId: string, raw: ReturnType<typeof readStatus>): TrainingStatus {
  const code = raw.code;
  const state = VERSION_TRAINED_CODES.includes(code)
    ? 'succeeded'
    : VERSION_FAILED_CODES.includes(code)
      ? 'failed'
      : VERSION_QUEUED_CODES.includes(code)
        ? 'queued'
        : 'running';
  return { state, modelVersionId, statusCode: code, description: raw.description, raw };
}
