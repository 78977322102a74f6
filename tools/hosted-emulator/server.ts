/**
 * A local emulator of the Clarifai REST subset in ../../../shared/docs/hosted-api.md (§6 checklist, §9.4 pipelines):
 * same paths, JSON shapes and status codes, on 127.0.0.1 only. Node-only; never bundled into the browser library.
 *
 * Test hooks live outside `/v2` under `/__emulator/` (faults, hooks, timings, reset, a dump of inputs).
 * @example const emu = await startHostedEmulator({ port: 0 }); … await emu.close();
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Faults, type FaultRule } from './faults.js';
import { predictNb, summarize, trainNb, type LabelledText } from './model.js';
import {
  DEFAULT_HOOKS,
  DEFAULT_TIMINGS,
  iso,
  newId,
  type EApp,
  type EInput,
  type EModel,
  type ERun,
  type EVersion,
  type Hooks,
  type Timings,
} from './state.js';
import { TEMPLATES, textClassifierType } from './types.js';

export interface EmulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Accepted PATs (default ['test-pat']). */
  pats?: string[];
  /** The user `me` stands for (default `emulator-user`). */
  userId?: string;
  timings?: Partial<Timings>;
  hooks?: Partial<Hooks>;
  /** Max inputs per PostInputs / predict (default 128). */
  maxBatch?: number;
}

export interface HostedEmulator {
  url: string;
  port: number;
  userId: string;
  faults: Faults;
  hooks: Hooks;
  timings: Timings;
  /** Every request's Authorization header value and URL, for "the PAT never appears in URLs" checks. */
  requestLog: { method: string; url: string; auth: string | undefined }[];
  /** Live (not deleted) inputs of an app, sorted by id. */
  inputs(appId: string, userId?: string): EInput[];
  reset(): void;
  close(): Promise<void>;
}

type Json = Record<string, unknown>;
type Reply = { http?: number; body: Json };

const HTTP_FOR: Record<number, number> = {
  10000: 200,
  10010: 200,
  10020: 400,
  11100: 400,
  11102: 400,
  39999: 400,
  40001: 400,
  21202: 400,
  30104: 400,
  26302: 400,
  40010: 409,
  11008: 401,
  11009: 401,
  11002: 401,
  11007: 403,
  11101: 404,
  21200: 404,
  26300: 404,
  11005: 429,
};
const httpFor = (code: number): number => HTTP_FOR[code] ?? (code >= 98000 ? 500 : 400);

const DESCRIPTIONS: Record<number, string> = {
  10000: 'Ok',
  10010: 'Mixed Success',
  10020: 'Failure',
  11005: 'Making too many requests',
  11007: 'Insufficient scopes',
  11008: 'Invalid API key or Invalid API key/application pair',
  11101: 'Resource does not exist',
  11102: 'Invalid request',
  39999: 'Invalid input request',
  40001: 'Invalid request',
  40010: 'Object has a duplicate ID; another object with same ID already exist',
  21200: 'Model does not exist',
  21202: 'Invalid argument',
  26302: 'Pipeline invalid request',
  30104: 'Invalid input argument',
};

class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly description = DESCRIPTIONS[code] ?? 'Error',
    readonly details?: string,
  ) {
    super(description);
  }
}

const status = (code: number, description = DESCRIPTIONS[code] ?? '', details?: string): Json => ({
  code,
  description,
  ...(details ? { details } : {}),
  req_id: newId(),
});
const ok = (extra: Json = {}): Reply => ({ body: { status: status(10000), ...extra } });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Accepts a status code as number, numeric string or (a few) enum names. */
function codeParam(v: string | null): number | undefined {
  if (v === null) return undefined;
  if (/^\d+$/.test(v)) return Number(v);
  return ({ INPUT_DOWNLOAD_SUCCESS: 30000, INPUT_SUCCESS: 30000, INPUT_DOWNLOAD_PENDING: 30001, INPUT_DOWNLOAD_FAILED: 30002 } as Record<string, number>)[v];
}

export async function startHostedEmulator(options: EmulatorOptions = {}): Promise<HostedEmulator> {
  const pats = new Set(options.pats ?? ['test-pat']);
  const me = options.userId ?? 'emulator-user';
  const maxBatch = options.maxBatch ?? 128;
  const timings: Timings = { ...DEFAULT_TIMINGS, ...options.timings };
  const hooks: Hooks = { ...DEFAULT_HOOKS, ...options.hooks };
  const faults = new Faults();
  const requestLog: HostedEmulator['requestLog'] = [];
  let users = new Map<string, Map<string, EApp>>();

  const userOf = (u: string) => (u === 'me' ? me : u);
  const appsOf = (u: string) => users.get(userOf(u)) ?? users.set(userOf(u), new Map()).get(userOf(u))!;
  function app(u: string, a: string): EApp {
    const found = appsOf(u).get(a);
    if (!found) throw new ApiError(11101, 'Resource does not exist', `app ${a} not found`);
    return found;
  }

  // ---- time-driven states ----
  const now = () => Date.now();
  const isGone = (i: EInput) => i.deletedAt !== undefined && now() >= i.deletedAt + timings.deleteMs;
  const inputCode = (i: EInput) => (now() < i.createdAt + timings.inputMs ? 30001 : i.failed ? 30002 : 30000);
  const inputJson = (i: EInput): Json => ({
    id: i.id,
    data: { text: { raw: i.text }, concepts: i.concepts.map((c) => ({ id: c.id, name: c.name ?? c.id, value: c.value })) },
    dataset_ids: i.datasetIds,
    created_at: iso(i.createdAt),
    modified_at: iso(i.createdAt),
    status: inputCode(i) === 30000 ? status(30000, 'Download complete') : inputCode(i) === 30001 ? status(30001, 'Download pending') : status(30002, 'Download failed'),
  });
  function dsVersionCode(createdAt: number): number {
    const t = now() - createdAt;
    return t < timings.datasetVersionMs ? 64005 : t < 2 * timings.datasetVersionMs ? 64010 : 64015;
  }
  function versionStatus(v: EVersion): Json {
    const t = now();
    if (!v.building && t < v.queuedUntil) return status(21103, 'Model is currently in queue for training.');
    if (t < v.trainingUntil) return v.building ? status(21107, 'Model is building') : status(21101, 'Training stage in progress: 0/1 complete.');
    return status(v.outcome.code, v.outcome.description);
  }
  const trained = (v: EVersion) => now() >= v.trainingUntil && v.outcome.code === 21100;
  const versionJson = (m: EModel, v: EVersion): Json => ({
    id: v.id,
    created_at: iso(v.createdAt),
    modified_at: iso(v.createdAt),
    status: versionStatus(v),
    description: v.description,
    active_concept_count: v.concepts.length,
    output_info: { data: { concepts: v.concepts } },
    train_info: v.trainInfo,
    model_id: m.id,
  });
  function runCode(r: ERun): Json {
    const t = now();
    if (t < r.queuedUntil) return status(64000, 'Job queued');
    if (t < r.runningUntil) return status(64001, 'Job running');
    return status(r.outcome.code, r.outcome.description);
  }

  /** A completed run's step "uploads" a model version of `model_id` (created as text-classifier if missing). */
  function settleRuns(a: EApp): void {
    for (const p of a.pipelines.values())
      for (const pv of p.versions.values())
        for (const r of pv.runs.values()) {
          if (r.producedVersion || now() < r.runningUntil || r.outcome.code !== 64002) continue;
          r.producedVersion = true;
          const modelId = r.params.model_id;
          let m = a.models.get(modelId);
          if (!m) a.models.set(modelId, (m = { id: modelId, typeId: 'text-classifier', createdAt: r.runningUntil, description: '', versions: [] }));
          const snap = datasetSnapshot(a, r.params.dataset_id, r.params.dataset_version_id)!;
          const concepts = JSON.parse(r.params.concepts) as string[];
          const rows = snap.map(toLabelled);
          const model = trainNb(rows, concepts);
          m.versions.unshift({
            id: newId(),
            createdAt: r.runningUntil,
            description: `trained by pipeline run ${r.id}`,
            concepts: concepts.map((c, k) => ({ id: hooks.pipelineConceptIds === 'index' ? String(k) : c, name: c })),
            trainInfo: { params: { ...r.params } },
            queuedUntil: r.runningUntil,
            trainingUntil: r.runningUntil + timings.buildMs,
            building: true,
            outcome: { code: 21100, description: 'Model is trained and ready' },
            model,
            summary: summarize(model, rows),
          });
          r.logs.push({ code: 64002, message: `Model Version ID: ${m.versions[0].id}`, at: r.runningUntil });
        }
  }

  function datasetSnapshot(a: EApp, datasetId: string, versionId: string) {
    const d = a.datasets.get(datasetId);
    const v = d?.versions.get(versionId);
    return v && dsVersionCode(v.createdAt) === 64015 ? v.snapshot : undefined;
  }
  const toLabelled = (s: { text: string; concepts: { id: string; value: number }[] }): LabelledText => ({
    text: s.text,
    values: Object.fromEntries(s.concepts.map((c) => [c.id, c.value])),
  });

  // ---- routes ----
  type Handler = (m: RegExpExecArray, q: URLSearchParams, body: Json) => Reply | Promise<Reply>;
  const routes: [string, RegExp, Handler][] = [];
  const on = (method: string, path: string, h: Handler) =>
    routes.push([method, new RegExp(`^${path.replace(/\{(\w+)\}/g, '([^/]+)')}$`), h]);
  const A = '/v2/users/{u}/apps/{a}';

  on('POST', '/v2/users/{u}/apps', (m, _q, b) => {
    const list = (b.apps as { id?: string }[] | undefined) ?? [];
    if (!list.length || !list.every((x) => typeof x.id === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(x.id))) throw new ApiError(11102, 'Invalid request', 'apps[].id required');
    const apps = appsOf(m[1]);
    const out = list.map((x) => {
      if (apps.has(x.id!)) throw new ApiError(40010);
      const a: EApp = { id: x.id!, userId: userOf(m[1]), createdAt: now(), inputs: new Map(), datasets: new Map(), concepts: new Set(), models: new Map(), pipelines: new Map(), addJobs: new Map() };
      apps.set(a.id, a);
      return { id: a.id, user_id: a.userId, created_at: iso(a.createdAt), default_workflow: (x as Json).default_workflow };
    });
    return ok({ apps: out });
  });
  on('GET', A, (m) => {
    const a = app(m[1], m[2]);
    return ok({ app: { id: a.id, user_id: a.userId, created_at: iso(a.createdAt) } });
  });

  // datasets
  on('POST', `${A}/datasets`, (m, _q, b) => {
    const a = app(m[1], m[2]);
    const out = ((b.datasets as { id?: string; description?: string }[] | undefined) ?? []).map((d) => {
      if (!d.id || !/^[A-Za-z0-9_-]{1,64}$/.test(d.id)) throw new ApiError(11102, 'Invalid request', 'datasets[].id');
      if (a.datasets.has(d.id)) throw new ApiError(40010);
      a.datasets.set(d.id, { id: d.id, createdAt: now(), description: d.description ?? '', versions: new Map() });
      return { id: d.id, app_id: a.id, user_id: a.userId, created_at: iso(now()) };
    });
    return ok({ datasets: out });
  });
  on('GET', `${A}/datasets/{d}`, (m) => {
    const d = app(m[1], m[2]).datasets.get(decodeURIComponent(m[3]));
    if (!d) throw new ApiError(11101, 'Resource does not exist', 'dataset not found');
    return ok({ dataset: { id: d.id, created_at: iso(d.createdAt), description: d.description } });
  });
  on('POST', `${A}/datasets/{d}/versions`, (m, _q, b) => {
    const a = app(m[1], m[2]);
    const d = a.datasets.get(m[3]);
    if (!d) throw new ApiError(11101, 'Resource does not exist', 'dataset not found');
    const reqs = (b.dataset_versions as { description?: string }[] | undefined) ?? [{}];
    const out = reqs.map((r) => {
      const snapshot = [...a.inputs.values()]
        .filter((i) => i.deletedAt === undefined && i.datasetIds.includes(d.id) && inputCode(i) !== 30002)
        .map((i) => ({ id: i.id, text: i.text, concepts: i.concepts }));
      const v = { id: newId(), createdAt: now(), description: r.description ?? '', snapshot };
      d.versions.set(v.id, v);
      return { id: v.id, dataset_id: d.id, status: status(64005, 'Dataset version pending'), description: v.description, created_at: iso(v.createdAt) };
    });
    return ok({ dataset_versions: out });
  });
  on('GET', `${A}/datasets/{d}/versions/{v}`, (m) => {
    const d = app(m[1], m[2]).datasets.get(m[3]);
    const v = d?.versions.get(m[4]);
    if (!d || !v) throw new ApiError(11101, 'Resource does not exist', 'dataset version not found');
    const code = dsVersionCode(v.createdAt);
    const desc = code === 64015 ? 'Dataset version ready' : code === 64010 ? 'Dataset version in progress' : 'Dataset version pending';
    return ok({ dataset_version: { id: v.id, dataset_id: d.id, status: status(code, desc), description: v.description, metrics: { '/': { inputs_count: String(v.snapshot.length) } } } });
  });

  // inputs
  on('POST', `${A}/inputs`, (m, _q, b) => {
    const a = app(m[1], m[2]);
    const list = (b.inputs as Json[] | undefined) ?? [];
    if (!list.length) throw new ApiError(39999, 'Invalid input request', 'no inputs');
    if (list.length > maxBatch) throw new ApiError(39999, 'Invalid input request', `at most ${maxBatch} inputs per request`);
    const seen = new Set<string>();
    const out: Json[] = [];
    let failures = 0;
    for (const x of list) {
      const id = typeof x.id === 'string' && x.id ? x.id : newId();
      const data = (x.data ?? {}) as { text?: { raw?: string }; concepts?: { id?: string; name?: string; value?: number }[] };
      const text = data.text?.raw;
      const existing = a.inputs.get(id);
      let err: Json | null = null;
      if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) err = status(30104, 'Invalid input argument', 'bad id');
      else if (seen.has(id) || (existing && !isGone(existing))) err = status(40010);
      else if (typeof text !== 'string' || !text) err = status(30104, 'Invalid input argument', 'data.text.raw is required');
      else if (hooks.rejectTextContaining && text.includes(hooks.rejectTextContaining)) err = status(30104, 'Invalid input argument', 'rejected by emulator hook');
      seen.add(id);
      if (err) {
        failures++;
        out.push({ id, data: x.data, status: err });
        continue;
      }
      const concepts = (data.concepts ?? []).map((c) => ({ id: String(c.id ?? c.name), name: c.name, value: c.value === undefined ? 1 : Number(c.value) }));
      for (const c of concepts) a.concepts.add(c.id);
      const datasetIds = ((x.dataset_ids as string[] | undefined) ?? []).filter((d) => a.datasets.has(d));
      const input: EInput = { id, text: text!, concepts, datasetIds, createdAt: now(), failed: !!hooks.failTextContaining && text!.includes(hooks.failTextContaining) };
      a.inputs.set(id, input);
      out.push(inputJson(input));
    }
    const jobId = typeof b.inputs_add_job_id === 'string' ? b.inputs_add_job_id : undefined;
    if (jobId) {
      const job = a.addJobs.get(jobId) ?? { id: jobId, inputIds: [], createdAt: now() };
      job.inputIds.push(...out.filter((o) => (o.status as Json).code !== 40010 && (o.status as Json).code !== 30104).map((o) => String(o.id)));
      a.addJobs.set(jobId, job);
    }
    const top = failures === 0 ? 10000 : failures === list.length ? 10020 : 10010;
    return { http: httpFor(top), body: { status: status(top), inputs: out, ...(jobId ? { inputs_add_job: { id: jobId } } : {}) } };
  });
  on('GET', `${A}/inputs`, (m, q) => {
    const a = app(m[1], m[2]);
    const ids = q.getAll('ids');
    const code = codeParam(q.get('status.code'));
    const perPage = Math.min(1000, Math.max(1, Number(q.get('per_page') ?? 128)));
    const page = Math.max(1, Number(q.get('page') ?? 1));
    let list = [...a.inputs.values()].filter((i) => !isGone(i));
    if (ids.length) list = list.filter((i) => ids.includes(i.id));
    if (code !== undefined) list = list.filter((i) => inputCode(i) === code);
    return ok({ inputs: list.slice((page - 1) * perPage, page * perPage).map(inputJson) });
  });
  on('GET', `${A}/inputs/status`, (m) => {
    const live = [...app(m[1], m[2]).inputs.values()].filter((i) => !isGone(i));
    const n = (c: number) => live.filter((i) => inputCode(i) === c).length;
    return ok({ counts: { processed: n(30000), to_process: n(30001), errors: n(30002), processing: 0, reindexed: 0, to_reindex: 0, reindex_errors: 0, reindexing: 0 } });
  });
  on('GET', `${A}/inputs/jobs/add/{j}`, (m) => {
    const a = app(m[1], m[2]);
    const job = a.addJobs.get(m[3]);
    if (!job) throw new ApiError(11101);
    const inputs = job.inputIds.map((id) => a.inputs.get(id)).filter((i): i is EInput => !!i);
    const c = (k: number) => String(inputs.filter((i) => inputCode(i) === k).length);
    return ok({ inputs_add_job: { id: job.id, progress: { pending_count: c(30001), in_progress_count: '0', success_count: c(30000), failed_count: c(30002) }, created_at: iso(job.createdAt) } });
  });
  on('GET', `${A}/inputs/{i}`, (m) => {
    const i = app(m[1], m[2]).inputs.get(decodeURIComponent(m[3]));
    if (!i || isGone(i)) throw new ApiError(11101);
    return ok({ input: inputJson(i) });
  });
  on('DELETE', `${A}/inputs`, (m, _q, b) => {
    const a = app(m[1], m[2]);
    const ids = (b.ids as string[] | undefined) ?? [];
    if (!ids.length || ids.length > maxBatch) throw new ApiError(39999, 'Invalid input request', `1 to ${maxBatch} ids`);
    for (const id of ids) {
      const i = a.inputs.get(id);
      if (i && i.deletedAt === undefined) i.deletedAt = now();
    }
    return ok();
  });
  on('DELETE', `${A}/inputs/{i}`, (m) => {
    const i = app(m[1], m[2]).inputs.get(decodeURIComponent(m[3]));
    if (i && i.deletedAt === undefined) i.deletedAt = now();
    return ok();
  });

  // model types and models
  on('GET', `${A}/models/types`, (m) => (app(m[1], m[2]), ok({ model_types: [textClassifierType()] })));
  on('GET', `${A}/models/types/{t}`, (m) => {
    app(m[1], m[2]);
    if (m[3] !== 'text-classifier') throw new ApiError(11101, 'Resource does not exist', `model type ${m[3]}`);
    return ok({ model_type: textClassifierType() });
  });
  on('POST', `${A}/models`, (m, _q, b) => {
    const a = app(m[1], m[2]);
    const spec = ((b.models as Json[] | undefined) ?? [b.model as Json])[0] as { id?: string; model_type_id?: string; description?: string } | undefined;
    if (!spec?.id || !/^[A-Za-z0-9_-]{1,64}$/.test(spec.id)) throw new ApiError(21202, 'Invalid argument', 'models[0].id');
    if (spec.model_type_id !== 'text-classifier') throw new ApiError(21202, 'Invalid argument', `unknown model_type_id ${spec.model_type_id}`);
    if (a.models.has(spec.id)) throw new ApiError(40010);
    const model: EModel = { id: spec.id, typeId: spec.model_type_id, createdAt: now(), description: spec.description ?? '', versions: [] };
    a.models.set(model.id, model);
    return ok({ model: modelJson(model) });
  });
  const modelJson = (mo: EModel): Json => ({ id: mo.id, model_type_id: mo.typeId, created_at: iso(mo.createdAt), description: mo.description, version_count: mo.versions.length });
  function model(u: string, a: string, id: string): { a: EApp; mo: EModel } {
    const ap = app(u, a);
    settleRuns(ap);
    const mo = ap.models.get(decodeURIComponent(id));
    if (!mo) throw new ApiError(21200, 'Model does not exist', `model ${id}`);
    return { a: ap, mo };
  }
  function version(mo: EModel, id: string): EVersion {
    const v = mo.versions.find((x) => x.id === id);
    if (!v) throw new ApiError(21200, 'Model does not exist', `model version ${id}`);
    return v;
  }
  on('GET', `${A}/models/{m}`, (m) => ok({ model: modelJson(model(m[1], m[2], m[3]).mo) }));
  on('POST', `${A}/models/{m}/versions`, (m, _q, b) => {
    const { a, mo } = model(m[1], m[2], m[3]);
    const spec = ((b.model_versions as Json[] | undefined) ?? [])[0] as
      | { train_info?: { params?: Record<string, unknown> }; output_info?: { data?: { concepts?: { id: string }[] } }; description?: string }
      | undefined;
    if (!spec) throw new ApiError(21202, 'Invalid argument', 'model_versions[0] required');
    if (hooks.templatePath === 'refuse') throw new ApiError(hooks.templateRefusal.code, hooks.templateRefusal.description);
    const params = spec.train_info?.params ?? {};
    const template = params.template;
    if (typeof template !== 'string' || !TEMPLATES.some((t) => t.id === template)) throw new ApiError(21202, 'Invalid argument', `unknown template ${String(template)}`);
    const snap = datasetSnapshot(a, String(params.dataset_id), String(params.dataset_version_id));
    if (!snap) throw new ApiError(21202, 'Invalid argument', 'dataset_version_id must name a READY version of dataset_id');
    const concepts = (spec.output_info?.data?.concepts ?? []).map((c) => c.id);
    if (!concepts.length) throw new ApiError(21202, 'Invalid argument', 'output_info.data.concepts required');
    const t = now();
    const v: EVersion = {
      id: newId(),
      createdAt: t,
      description: spec.description ?? '',
      concepts: concepts.map((c) => ({ id: c, name: c })),
      trainInfo: { params },
      queuedUntil: t + timings.queueMs,
      trainingUntil: t + timings.queueMs + timings.trainMs,
      building: false,
      outcome: { code: 21100, description: 'Model is trained and ready' },
      model: null,
      summary: null,
    };
    const rows = snap.map(toLabelled);
    const epochs = (params.trainer_config as { num_train_epochs?: unknown } | undefined)?.num_train_epochs;
    const missing = concepts.filter((c) => !a.concepts.has(c) || !rows.some((r) => r.values[c] === 1));
    if (hooks.templatePath === 'fail-queued') {
      v.trainingUntil = v.queuedUntil;
      v.outcome = { code: 21106, description: 'Model training had no data or failed to start.' };
    } else if (missing.length) v.outcome = { code: 21111, description: `No positive examples for concepts: ${missing.join(', ')}` };
    else if (epochs !== undefined && !(typeof epochs === 'number' && epochs > 0)) v.outcome = { code: 21118, description: 'Invalid training params: trainer_config.num_train_epochs must be a positive number' };
    else if (hooks.failVersions > 0) {
      hooks.failVersions--;
      v.outcome = { code: 21106, description: 'Model training failed (emulator hook).' };
    } else {
      v.model = trainNb(rows, concepts);
      v.summary = summarize(v.model, rows);
    }
    mo.versions.unshift(v);
    return ok({ model: { ...modelJson(mo), model_version: versionJson(mo, v) } });
  });
  on('GET', `${A}/models/{m}/versions`, (m, q) => {
    const { mo } = model(m[1], m[2], m[3]);
    const perPage = Math.min(1000, Math.max(1, Number(q.get('per_page') ?? 128)));
    const page = Math.max(1, Number(q.get('page') ?? 1));
    let list = [...mo.versions].sort((x, y) => y.createdAt - x.createdAt);
    if (q.get('trained_only') === 'true') list = list.filter(trained);
    return ok({ model_versions: list.slice((page - 1) * perPage, page * perPage).map((v) => versionJson(mo, v)) });
  });
  on('GET', `${A}/models/{m}/versions/{v}`, (m) => {
    const { mo } = model(m[1], m[2], m[3]);
    return ok({ model_version: versionJson(mo, version(mo, m[4])) });
  });
  on('GET', `${A}/models/{m}/versions/{v}/metrics`, (m) => {
    const { mo } = model(m[1], m[2], m[3]);
    const v = version(mo, m[4]);
    const metrics = trained(v) && v.summary ? { status: status(21300, 'Model was successfully evaluated.'), summary: v.summary } : { status: status(21302, 'Model is not evaluated.') };
    return ok({ model_version: { ...versionJson(mo, v), metrics } });
  });
  const predict = (mo: EModel, v: EVersion, b: Json): Reply => {
    const inputs = (b.inputs as { data?: { text?: { raw?: string } } }[] | undefined) ?? [];
    if (!inputs.length || inputs.length > maxBatch) throw new ApiError(40001, 'Invalid request', `1 to ${maxBatch} inputs`);
    const cfg = ((b.model as Json | undefined)?.output_info as Json | undefined)?.output_config as
      | { max_concepts?: number; min_value?: number; select_concepts?: { id: string }[] }
      | undefined;
    if (!trained(v) || !v.model) {
      const s = status(21102, 'Model is not trained');
      return { http: 400, body: { status: status(10020), outputs: inputs.map(() => ({ id: newId(), status: s })) } };
    }
    const outputs = inputs.map((x) => {
      const scores = predictNb(v.model!, x.data?.text?.raw ?? '');
      let concepts = v.concepts.map((c) => ({ id: c.id, name: c.name, value: Number(scores[c.name].toFixed(6)), app_id: 'emulator' }));
      if (cfg?.select_concepts?.length) concepts = concepts.filter((c) => cfg.select_concepts!.some((s) => s.id === c.id));
      concepts.sort((p, q) => q.value - p.value);
      if (cfg?.min_value !== undefined) concepts = concepts.filter((c) => c.value >= cfg.min_value!);
      concepts = concepts.slice(0, cfg?.max_concepts || 20);
      return { id: newId(), status: status(10000), created_at: iso(now()), model: { id: mo.id, model_version: { id: v.id } }, input: { id: newId(), data: x.data }, data: { concepts } };
    });
    return ok({ outputs });
  };
  on('POST', `${A}/models/{m}/versions/{v}/outputs`, (m, _q, b) => {
    const { mo } = model(m[1], m[2], m[3]);
    return predict(mo, version(mo, m[4]), b);
  });
  on('POST', `${A}/models/{m}/outputs`, (m, _q, b) => {
    const { mo } = model(m[1], m[2], m[3]);
    const v = mo.versions.find(trained) ?? mo.versions[0];
    if (!v) throw new ApiError(21102, 'Model is not trained');
    return predict(mo, v, b);
  });

  // pipelines (§9.2)
  on('POST', `${A}/pipelines`, (m, _q, b) => {
    const a = app(m[1], m[2]);
    const out = ((b.pipelines as { id?: string; pipeline_version?: { orchestration_spec?: unknown } }[] | undefined) ?? []).map((p) => {
      if (!p.id) throw new ApiError(26302, 'Pipeline invalid request', 'pipelines[].id');
      const pl = a.pipelines.get(p.id) ?? { id: p.id, createdAt: now(), versions: new Map() };
      const pv = { id: newId(), createdAt: now(), spec: p.pipeline_version?.orchestration_spec ?? null, runs: new Map<string, ERun>() };
      pl.versions.set(pv.id, pv);
      a.pipelines.set(pl.id, pl);
      return { id: pl.id, pipeline_version: { id: pv.id, pipeline_id: pl.id, orchestration_spec: pv.spec } };
    });
    return ok({ pipelines: out });
  });
  function pipelineVersion(u: string, a: string, p: string, v: string) {
    const ap = app(u, a);
    settleRuns(ap);
    const pv = ap.pipelines.get(p)?.versions.get(v);
    if (!pv) throw new ApiError(11101, 'Resource does not exist', `pipeline ${p} version ${v}`);
    return { a: ap, pv };
  }
  on('GET', `${A}/pipelines/{p}`, (m) => {
    const p = app(m[1], m[2]).pipelines.get(m[3]);
    if (!p) throw new ApiError(11101);
    const latest = [...p.versions.values()].at(-1);
    return ok({ pipeline: { id: p.id, pipeline_version: latest ? { id: latest.id } : undefined } });
  });
  on('GET', `${A}/pipelines/{p}/versions/{v}`, (m) => {
    const { pv } = pipelineVersion(m[1], m[2], m[3], m[4]);
    return ok({ pipeline_version: { id: pv.id, pipeline_id: m[3], orchestration_spec: pv.spec } });
  });
  const runJson = (r: ERun): Json => ({
    id: r.id,
    pipeline_version: { id: r.pipelineVersionId, pipeline_id: r.pipelineId },
    nodepools: r.nodepools,
    orchestration_status: { argo_status: { status: '' }, status: runCode(r) },
    input_args_override: { argo_args_override: { parameters: Object.entries(r.params).map(([name, value]) => ({ name, value })) } },
    created_at: iso(r.createdAt),
    started_at: iso(r.queuedUntil),
    ...(now() >= r.runningUntil ? { ended_at: iso(r.runningUntil) } : {}),
  });
  function startRun(a: EApp, pipelineId: string, pv: { id: string; runs: Map<string, ERun> }, spec: Json): ERun {
    const nodepools = (spec.nodepools as unknown[] | undefined) ?? [];
    const selector = ((spec.runner_selector as Json | undefined) ?? {}).nodepool;
    if (!nodepools.length && !selector) throw new ApiError(26302, 'Pipeline invalid request', 'a nodepool is required (nodepools[] or runner_selector.nodepool)');
    const id = typeof spec.id === 'string' && spec.id ? spec.id : newId();
    if (pv.runs.has(id)) throw new ApiError(40010);
    const params: Record<string, string> = {};
    const ov = ((spec.input_args_override as Json | undefined)?.argo_args_override as { parameters?: { name: string; value: unknown }[] } | undefined)?.parameters ?? [];
    for (const p of ov) params[p.name] = String(p.value);
    const t = now();
    const run: ERun = {
      id,
      pipelineId,
      pipelineVersionId: pv.id,
      createdAt: t,
      queuedUntil: t + timings.runQueueMs,
      runningUntil: t + timings.runQueueMs + timings.runMs,
      outcome: { code: 64002, description: 'Job completed' },
      params,
      nodepools: nodepools.length ? nodepools : [selector],
      producedVersion: false,
      logs: [{ code: 64000, message: 'Run queued', at: t }],
    };
    // Validation happens "inside the step": a bad parameter fails the run, it does not refuse the start.
    let concepts: unknown = null;
    try {
      concepts = JSON.parse(params.concepts ?? 'null');
    } catch {
      /* reported below */
    }
    const snap = datasetSnapshot(a, params.dataset_id ?? '', params.dataset_version_id ?? '');
    const bad = !params.model_id
      ? 'parameter model_id is required'
      : !snap
        ? 'dataset_version_id is not a READY version of dataset_id'
        : !Array.isArray(concepts) || !concepts.length || !concepts.every((c) => typeof c === 'string' && a.concepts.has(c))
          ? 'concepts must be a JSON array of existing concepts'
          : null;
    if (bad) run.outcome = { code: 64003, description: `Job failed: ${bad}` };
    else if (hooks.failRuns > 0) {
      hooks.failRuns--;
      run.outcome = { code: hooks.failRunCode, description: hooks.failRunCode === 64006 ? 'Job unexpected error (emulator hook)' : 'Job failed (emulator hook)' };
    }
    run.logs.push({ code: run.outcome.code, message: run.outcome.description, at: run.runningUntil });
    pv.runs.set(id, run);
    return run;
  }
  on('POST', `${A}/pipelines/{p}/versions/{v}/runs`, (m, _q, b) => {
    const { a, pv } = pipelineVersion(m[1], m[2], m[3], m[4]);
    const specs = (b.pipeline_version_runs as Json[] | undefined) ?? [{}];
    const runs = specs.map((s) => startRun(a, m[3], pv, { ...s, runner_selector: b.runner_selector }));
    return ok({ pipeline_version_runs: runs.map(runJson) });
  });
  on('GET', `${A}/pipelines/{p}/versions/{v}/runs/{r}`, (m) => {
    const { pv } = pipelineVersion(m[1], m[2], m[3], m[4]);
    const r = pv.runs.get(m[5]);
    if (!r) throw new ApiError(11101, 'Resource does not exist', `run ${m[5]}`);
    return ok({ pipeline_version_run: runJson(r) });
  });
  on('GET', `${A}/pipelines/{p}/versions/{v}/runs/{r}/status_logs`, (m) => {
    const { pv } = pipelineVersion(m[1], m[2], m[3], m[4]);
    const r = pv.runs.get(m[5]);
    if (!r) throw new ApiError(11101);
    return ok({ pipeline_version_run_status_logs: r.logs.filter((l) => l.at <= now()).map((l) => ({ status: status(l.code), message: l.message, created_at: iso(l.at) })) });
  });
  on('GET', '/v2/pipeline_templates', () =>
    ok({
      pipeline_templates: [
        {
          name: 'text-classifier-pipeline-emulated',
          description: 'Emulated text classifier training pipeline',
          pipeline_template_type: 1,
          parameters: ['user_id', 'app_id', 'model_id', 'dataset_id', 'dataset_version_id', 'concepts', 'num_epochs'].map((name) => ({ name, type: 'STRING', required: name !== 'num_epochs' })),
        },
      ],
    }),
  );
  on('POST', `${A}/pipeline_templates/{t}/pipeline_version_runs`, (m, _q, b) => {
    const a = app(m[1], m[2]);
    if (m[3] !== 'text-classifier-pipeline-emulated') throw new ApiError(11101, 'Resource does not exist', `template ${m[3]}`);
    const pid = typeof b.pipeline_id === 'string' ? b.pipeline_id : `tpl-${newId().slice(0, 12)}`;
    const pl = a.pipelines.get(pid) ?? { id: pid, createdAt: now(), versions: new Map() };
    const pv = { id: newId(), createdAt: now(), spec: { template: m[3] }, runs: new Map<string, ERun>() };
    pl.versions.set(pv.id, pv);
    a.pipelines.set(pid, pl);
    const run = startRun(a, pid, pv, { nodepools: b.nodepools, input_args_override: b.input_args_override });
    return ok({ pipeline: { id: pid, pipeline_version: { id: pv.id } }, pipeline_version_run: runJson(run) });
  });

  // ---- HTTP plumbing ----
  const cors = (req: IncomingMessage): Record<string, string> => ({
    'Access-Control-Allow-Origin': req.headers.origin ?? '*',
    'Access-Control-Allow-Headers': 'Authorization, Content-Type',
    'Access-Control-Allow-Methods': 'GET, POST, PATCH, DELETE, OPTIONS',
    'Access-Control-Expose-Headers': 'Retry-After',
    'Cross-Origin-Resource-Policy': 'cross-origin',
    Vary: 'Origin',
  });
  const send = (req: IncomingMessage, res: ServerResponse, http: number, body: Json, extra: Record<string, string> = {}) => {
    res.writeHead(http, { ...cors(req), 'Content-Type': 'application/json', ...extra });
    res.end(JSON.stringify(body));
  };

  async function readBody(req: IncomingMessage): Promise<Json> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const c of req) {
      size += (c as Buffer).length;
      if (size > 128 * 1024 * 1024) throw new ApiError(11100, 'Bad request format', 'request larger than 128 MB');
      chunks.push(c as Buffer);
    }
    if (!size) return {};
    try {
      const v = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
      if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Error('not an object');
      return v as Json;
    } catch {
      throw new ApiError(11100, 'Bad request format', 'body is not a JSON object');
    }
  }

  async function control(req: IncomingMessage, res: ServerResponse, path: string, url: URL): Promise<void> {
    const body = req.method === 'POST' ? await readBody(req) : {};
    if (path === '/__emulator/faults') faults.set((body.rules as FaultRule[] | undefined) ?? []);
    else if (path === '/__emulator/hooks') Object.assign(hooks, body);
    else if (path === '/__emulator/timings') Object.assign(timings, body);
    else if (path === '/__emulator/reset') emulator.reset();
    else if (path === '/__emulator/inputs') {
      const list = emulator.inputs(url.searchParams.get('app') ?? '', url.searchParams.get('user') ?? 'me');
      return send(req, res, 200, { inputs: list.map((i) => ({ id: i.id, text: i.text, concepts: i.concepts, dataset_ids: i.datasetIds, deleting: i.deletedAt !== undefined })) });
    } else if (path === '/__emulator/stats') return send(req, res, 200, { fired: faults.fired, pending: faults.pending, requests: requestLog.length });
    else return send(req, res, 404, { error: 'unknown control path' });
    send(req, res, 200, { ok: true });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = (req.method ?? 'GET').toUpperCase();
    if (method === 'OPTIONS') {
      res.writeHead(204, { ...cors(req), 'Access-Control-Max-Age': '600' });
      return void res.end();
    }
    if (url.pathname === '/' && method === 'GET') return send(req, res, 200, { status: status(10000), emulator: 'clarifai-hosted-emulator' });
    if (url.pathname.startsWith('/__emulator/')) return control(req, res, url.pathname, url);
    const auth = req.headers.authorization;
    requestLog.push({ method, url: req.url ?? '', auth });
    if (requestLog.length > 50_000) requestLog.splice(0, 10_000);
    const fault = faults.take(method, url.pathname);
    if (fault?.kind === 'slow') await sleep(fault.ms ?? 0);
    if (fault?.kind === 'throttle') {
      await readBody(req).catch(() => ({}));
      return send(req, res, 429, { status: status(11005, 'Making too many requests', 'exceeded limit of 15 requests per second') }, { 'Retry-After': String(fault.retryAfterS ?? 1) });
    }
    if (fault?.kind === 'error500') {
      await readBody(req).catch(() => ({}));
      return send(req, res, 500, { status: status(98004, 'Internal error (emulated)') });
    }
    if (fault?.kind === 'drop' && fault.after === false) return void req.socket.destroy();
    let reply: Reply;
    try {
      const m = /^Key (\S+)$/.exec(auth ?? '');
      if (!m || !pats.has(m[1])) throw new ApiError(11008);
      const body = method === 'GET' ? {} : await readBody(req);
      const route = routes.find(([rm, re]) => rm === method && re.test(url.pathname));
      if (!route) throw new ApiError(11102, 'Invalid request', `no route ${method} ${url.pathname}`);
      const match = route[1].exec(url.pathname)!;
      for (let i = 1; i < match.length; i++) match[i] = decodeURIComponent(match[i]);
      reply = await route[2](match, url.searchParams, body);
    } catch (err) {
      const e = err instanceof ApiError ? err : new ApiError(98004, `Internal error: ${(err as Error).message}`);
      reply = { http: httpFor(e.code), body: { status: status(e.code, e.description, e.details) } };
    }
    // Processed, then the connection drops: the client cannot know the request landed.
    if (fault?.kind === 'drop') return void req.socket.destroy();
    send(req, res, reply.http ?? httpFor((reply.body.status as { code: number }).code), reply.body);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      if (!res.headersSent) send(req, res, 500, { status: status(98004, `Internal error: ${(err as Error).message}`) });
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // 127.0.0.1 only: the emulator accepts test keys and must never face a network.
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const emulator: HostedEmulator = {
    url: `http://127.0.0.1:${port}`,
    port,
    userId: me,
    faults,
    hooks,
    timings,
    requestLog,
    inputs(appId, userId = 'me') {
      const a = users.get(userOf(userId))?.get(appId);
      return a ? [...a.inputs.values()].filter((i) => i.deletedAt === undefined).sort((x, y) => (x.id < y.id ? -1 : 1)) : [];
    },
    reset() {
      users = new Map();
      faults.clear();
      Object.assign(hooks, DEFAULT_HOOKS, options.hooks);
      Object.assign(timings, DEFAULT_TIMINGS, options.timings);
      requestLog.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return emulator;
}
