/**
 * Apps, datasets and dataset versions: get-or-create (always GET first: duplicate-id creates are UNCONFIRMED), and a
 * READY dataset version to train on.
 */
import { Status } from './codes.js';
import { DATASET_VERSION_FAILED_CODES, DATASET_VERSION_POLL, DEFAULT_BASE_WORKFLOW, NOT_FOUND_CODES } from './contract.js';
import { enc, readStatus, type HostedClient } from './client.js';
import { HostedApiError, type ApiStatus } from './errors.js';
import { sleep } from './retry.js';

/** True for "does not exist" answers (11101 / 21200, or HTTP 404). */
export function isNotFound(err: unknown): boolean {
  return err instanceof HostedApiError && (NOT_FOUND_CODES.includes(err.status.code) || err.httpStatus === 404);
}

/**
 * The client's app, created (PAT only) when missing. Resolves `true` when it was created.
 * @example await ensureApp(client);
 */
export async function ensureApp(client: HostedClient, signal?: AbortSignal): Promise<boolean> {
  try {
    await client.request('GetApp', 'GET', client.appPath(), { signal });
    return false;
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
  await client.request('PostApps', 'POST', `/v2/users/${enc(client.userId)}/apps`, {
    body: { apps: [{ id: client.appId, default_workflow: { id: DEFAULT_BASE_WORKFLOW, app_id: 'main', user_id: 'clarifai' } }] },
    signal,
  });
  return true;
}

/**
 * The dataset `datasetId` in the app, created when missing. Resolves `true` when it was created.
 * @example await ensureDataset(client, 'labelled-texts');
 */
export async function ensureDataset(client: HostedClient, datasetId: string, signal?: AbortSignal): Promise<boolean> {
  try {
    await client.request('GetDataset', 'GET', client.appPath(`/datasets/${enc(datasetId)}`), { signal });
    return false;
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
  await client.request('PostDatasets', 'POST', client.appPath('/datasets'), {
    body: { datasets: [{ id: datasetId, description: 'Labelled texts synced by inpage-classifier' }] },
    signal,
  });
  return true;
}

export interface DatasetVersionState {
  id: string;
  status: ApiStatus;
}

/**
 * Snapshots the dataset and waits until the version is READY (64015). Throws HostedApiError with the version's status
 * when it fails.
 * @example const v = await createReadyDatasetVersion(client, 'labelled-texts', 'sync 2026-01-01');
 */
export async function createReadyDatasetVersion(
  client: HostedClient,
  datasetId: string,
  description: string,
  options: { signal?: AbortSignal; pollMs?: number; timeoutMs?: number } = {},
): Promise<DatasetVersionState> {
  const base = `/datasets/${enc(datasetId)}/versions`;
  // A version snapshot is cheap and has no client id, so a retried create at worst leaves an unused version.
  const res = await client.request('PostDatasetVersions', 'POST', client.appPath(base), {
    body: { dataset_versions: [{ description }] },
    signal: options.signal,
  });
  const created = (res.dataset_versions as { id: string }[] | undefined)?.[0];
  if (!created?.id) throw new HostedApiError('PostDatasetVersions', { code: res.status.code, description: 'no dataset version id in the answer' }, 200);
  const deadline = Date.now() + (options.timeoutMs ?? 30 * 60_000);
  let wait = options.pollMs ?? DATASET_VERSION_POLL.firstMs;
  for (;;) {
    const got = await client.request('GetDatasetVersion', 'GET', client.appPath(`${base}/${enc(created.id)}`), { signal: options.signal });
    const status = readStatus((got.dataset_version as { status?: unknown } | undefined)?.status);
    if (status.code === Status.DatasetVersionReady) return { id: created.id, status };
    if (DATASET_VERSION_FAILED_CODES.includes(status.code)) throw new HostedApiError('DatasetVersion', status, 200);
    if (Date.now() > deadline) throw new HostedApiError('DatasetVersion', { code: status.code, description: `not ready after ${options.timeoutMs} ms: ${status.description}` }, 200);
    await sleep(wait, options.signal);
    wait = Math.min(DATASET_VERSION_POLL.maxMs, wait * DATASET_VERSION_POLL.factor);
  }
}
