/**
 * Models: get-or-create a `text-classifier`, its training templates, versions, predictions and evaluation metrics.
 */
import { Status } from './codes.js';
import { MAX_PREDICT_BATCH, conceptKey } from './contract.js';
import { enc, readStatus, type HostedClient } from './client.js';
import { isNotFound } from './apps.js';
import type { ApiStatus } from './errors.js';

export const TEXT_CLASSIFIER = 'text-classifier';

/**
 * The model `modelId`, created as a `text-classifier` when missing. Resolves `true` when it was created.
 * @example await ensureModel(client, 'reviews-clf');
 */
export async function ensureModel(client: HostedClient, modelId: string, signal?: AbortSignal): Promise<boolean> {
  try {
    await client.request('GetModel', 'GET', client.appPath(`/models/${enc(modelId)}`), { signal });
    return false;
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
  await client.request('PostModels', 'POST', client.appPath('/models'), {
    body: { models: [{ id: modelId, model_type_id: TEXT_CLASSIFIER, description: 'Deep-trained by inpage-classifier' }] },
    signal,
  });
  return true;
}

export interface TrainingTemplate {
  id: string;
  description?: string;
  /** The template's own fields: `path` → default value (internal-only fields skipped). */
  defaults: Record<string, unknown>;
}

interface TypeField {
  path?: string;
  default_value?: unknown;
  internal_only?: boolean;
  model_type_enum_options?: { id: string; description?: string; internal_only?: boolean; model_type_fields?: TypeField[] }[];
}

/**
 * The templates the server lists for `text-classifier` (the enum of the field whose path ends in `.template`).
 * @example (await listTemplates(client)).map((t) => t.id) // ['HuggingFace_AdvancedConfig', …]
 */
export async function listTemplates(client: HostedClient, signal?: AbortSignal): Promise<TrainingTemplate[]> {
  const res = await client.request('GetModelType', 'GET', client.appPath(`/models/types/${TEXT_CLASSIFIER}`), { signal });
  const fields = ((res.model_type as { model_type_fields?: TypeField[] } | undefined)?.model_type_fields ?? []) as TypeField[];
  const field = fields.find((f) => f.path?.endsWith('.template'));
  return (field?.model_type_enum_options ?? [])
    .filter((o) => !o.internal_only)
    .map((o) => ({
      id: o.id,
      description: o.description,
      defaults: Object.fromEntries(
        (o.model_type_fields ?? []).filter((f) => !f.internal_only && f.path).map((f) => [f.path!, f.default_value]),
      ),
    }));
}

export interface ModelVersionInfo {
  id: string;
  status: ApiStatus;
  createdAt?: string;
  description?: string;
  /** Concept names the version predicts (`output_info.data.concepts`, by name). */
  concepts: string[];
}

function toVersion(v: Record<string, unknown>): ModelVersionInfo {
  const out = (v.output_info ?? {}) as { data?: { concepts?: { id?: string; name?: string }[] } };
  return {
    id: String(v.id),
    status: readStatus(v.status),
    createdAt: typeof v.created_at === 'string' ? v.created_at : undefined,
    description: typeof v.description === 'string' ? v.description : undefined,
    concepts: (out.data?.concepts ?? []).map(conceptKey).filter(Boolean),
  };
}

/** @example const v = await getModelVersion(client, 'm', 'v1'); v.status.code === 21100 */
export async function getModelVersion(client: HostedClient, modelId: string, versionId: string, signal?: AbortSignal): Promise<ModelVersionInfo> {
  const res = await client.request('GetModelVersion', 'GET', client.appPath(`/models/${enc(modelId)}/versions/${enc(versionId)}`), { signal });
  return toVersion((res.model_version ?? {}) as Record<string, unknown>);
}

/**
 * The model's versions, newest first (the API's default order: `created_at` descending).
 * @example const [newest] = await listModelVersions(client, 'm');
 */
export async function listModelVersions(client: HostedClient, modelId: string, signal?: AbortSignal, perPage = 50): Promise<ModelVersionInfo[]> {
  const res = await client.request('ListModelVersions', 'GET', client.appPath(`/models/${enc(modelId)}/versions`), {
    query: { page: 1, per_page: perPage },
    signal,
  });
  return ((res.model_versions as Record<string, unknown>[] | undefined) ?? []).map(toVersion);
}

/** Scores of one text: concept name → value. */
export type ConceptValues = Map<string, number>;

/**
 * Predicts with a trained version; ≤128 texts per request, batched here. One map per text, in order.
 * @example const [scores] = await predictTexts(client, 'm', 'v1', ['Great']); scores.get('positive')
 */
export async function predictTexts(
  client: HostedClient,
  modelId: string,
  versionId: string,
  texts: readonly string[],
  options: { signal?: AbortSignal; onBatch?: (done: number) => void } = {},
): Promise<ConceptValues[]> {
  const out: ConceptValues[] = [];
  const path = client.appPath(`/models/${enc(modelId)}/versions/${enc(versionId)}/outputs`);
  for (let i = 0; i < texts.length; i += MAX_PREDICT_BATCH) {
    const chunk = texts.slice(i, i + MAX_PREDICT_BATCH);
    // Predictions change nothing on the server: safe to retry on any transient error.
    const res = await client.request('PostModelOutputs', 'POST', path, {
      body: { inputs: chunk.map((raw) => ({ data: { text: { raw } } })) },
      signal: options.signal,
    });
    const outputs = (res.outputs as { data?: { concepts?: { id?: string; name?: string; value?: number }[] } }[] | undefined) ?? [];
    for (let k = 0; k < chunk.length; k++) {
      const m: ConceptValues = new Map();
      for (const c of outputs[k]?.data?.concepts ?? []) m.set(conceptKey(c), Number(c.value ?? 0));
      out.push(m);
    }
    options.onBatch?.(out.length);
  }
  return out;
}

export interface HostedEvalSummary {
  status: ApiStatus;
  /** `metrics.summary` as sent (macro_avg_f1_score, macro_avg_roc_auc, …); null until evaluated (21300). */
  summary: Record<string, number> | null;
}

/**
 * The server's evaluation summary of a version, when it has one.
 * @example const { summary } = await getEvalMetrics(client, 'm', 'v1'); summary?.macro_avg_f1_score
 */
export async function getEvalMetrics(client: HostedClient, modelId: string, versionId: string, signal?: AbortSignal): Promise<HostedEvalSummary> {
  const res = await client.request('GetModelVersionMetrics', 'GET', client.appPath(`/models/${enc(modelId)}/versions/${enc(versionId)}/metrics`), { signal });
  const metrics = ((res.model_version as { metrics?: { status?: unknown; summary?: Record<string, number> } } | undefined)?.metrics ?? {});
  const status = readStatus(metrics.status);
  return { status, summary: status.code === Status.ModelEvaluated ? (metrics.summary ?? {}) : null };
}
