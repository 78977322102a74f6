/**
 * Inputs: batched uploads of labelled texts (concept values 1 / 0), listing by ids (the reconcile step after any
 * non-10000 upload) and deletion.
 */
import { Status } from './codes.js';
import { LIST_PAGE_SIZE, MAX_DELETE_BATCH, MAX_UPLOAD_BATCH, RECONCILE_WITH_STATUS_FILTER } from './contract.js';
import { readStatus, type HostedClient } from './client.js';
import type { ApiStatus } from './errors.js';

export interface TextInput {
  id: string;
  text: string;
  /** Concept ids with value 1. */
  positive: readonly string[];
  /** Concept ids with value 0 (explicit negatives). */
  negative?: readonly string[];
}

export interface InputStatus {
  id: string;
  status: ApiStatus;
}

export interface PostInputsResult {
  /** Top-level code: 10000 all accepted, 10010 mixed, 10020 failure. */
  status: ApiStatus;
  /** Per-input statuses, as returned (may be empty on a whole-request failure). */
  inputs: InputStatus[];
}

/**
 * Posts ≤128 inputs into `datasetId`. Partial failures return normally (inspect `inputs`); other errors throw.
 * @example await postInputs(client, 'ds', [{ id: 'ipc-1', text: 'Great', positive: ['positive'], negative: ['negative'] }]);
 */
export async function postInputs(
  client: HostedClient,
  datasetId: string,
  inputs: readonly TextInput[],
  options: { signal?: AbortSignal; jobId?: string } = {},
): Promise<PostInputsResult> {
  if (inputs.length > MAX_UPLOAD_BATCH) throw new RangeError(`at most ${MAX_UPLOAD_BATCH} inputs per request, got ${inputs.length}`);
  const res = await client.request('PostInputs', 'POST', client.appPath('/inputs'), {
    body: {
      inputs: inputs.map((x) => ({
        id: x.id,
        dataset_ids: [datasetId],
        data: {
          text: { raw: x.text },
          concepts: [
            ...x.positive.map((c) => ({ id: c, name: c, value: 1 })),
            ...(x.negative ?? []).map((c) => ({ id: c, name: c, value: 0 })),
          ],
        },
      })),
      inputs_add_job_id: options.jobId,
    },
    accept: [Status.Success, Status.MixedStatus, Status.Failure],
    signal: options.signal,
  });
  const list = (res.inputs as { id?: string; status?: unknown }[] | undefined) ?? [];
  return { status: res.status, inputs: list.filter((i) => typeof i.id === 'string').map((i) => ({ id: i.id!, status: readStatus(i.status) })) };
}

/**
 * The stored inputs among `ids`, with their processing status (paged by the batch of ids; in-progress ones included).
 * @example const present = await listInputsByIds(client, ['ipc-1', 'ipc-2']);
 */
export async function listInputsByIds(client: HostedClient, ids: readonly string[], signal?: AbortSignal): Promise<InputStatus[]> {
  const out: InputStatus[] = [];
  for (let i = 0; i < ids.length; i += MAX_UPLOAD_BATCH) {
    const chunk = ids.slice(i, i + MAX_UPLOAD_BATCH);
    const res = await client.request('ListInputs', 'GET', client.appPath('/inputs'), {
      query: {
        ids: chunk,
        'status.code': RECONCILE_WITH_STATUS_FILTER ? Status.InputSuccess : undefined,
        page: 1,
        per_page: chunk.length,
      },
      signal,
    });
    for (const x of (res.inputs as { id?: string; status?: unknown }[] | undefined) ?? []) {
      if (typeof x.id === 'string') out.push({ id: x.id, status: readStatus(x.status) });
    }
  }
  return out;
}

/** One stored input as listed. */
export interface ListedInput extends InputStatus {
  text?: string;
  concepts: { id: string; name?: string; value: number }[];
  datasetIds?: string[];
}

/**
 * Every input of the app (all pages; in-progress ones included).
 * @example for (const i of await listAllInputs(client)) console.log(i.id, i.status.code);
 */
export async function listAllInputs(client: HostedClient, signal?: AbortSignal): Promise<ListedInput[]> {
  const out: ListedInput[] = [];
  for (let page = 1; ; page++) {
    const res = await client.request('ListInputs', 'GET', client.appPath('/inputs'), { query: { page, per_page: LIST_PAGE_SIZE }, signal });
    const items = (res.inputs as Record<string, unknown>[] | undefined) ?? [];
    for (const x of items) {
      const data = (x.data ?? {}) as { text?: { raw?: string }; concepts?: { id: string; name?: string; value?: number }[] };
      out.push({
        id: String(x.id),
        status: readStatus(x.status),
        text: data.text?.raw,
        concepts: (data.concepts ?? []).map((c) => ({ id: c.id, name: c.name, value: c.value ?? 1 })),
        datasetIds: x.dataset_ids as string[] | undefined,
      });
    }
    if (items.length < LIST_PAGE_SIZE) return out;
  }
}

/**
 * Deletes inputs by id (≤128 per request). Deletion completes asynchronously on the server.
 * @example await deleteInputs(client, ['ipc-1']);
 */
export async function deleteInputs(client: HostedClient, ids: readonly string[], signal?: AbortSignal): Promise<void> {
  for (let i = 0; i < ids.length; i += MAX_DELETE_BATCH) {
    await client.request('DeleteInputs', 'DELETE', client.appPath('/inputs'), { body: { ids: ids.slice(i, i + MAX_DELETE_BATCH) }, signal });
  }
}
