/**
 * From a load request to a ModelSource: hub id or URL, wrapped in the Cache Storage cache where there is one.
 */
import { ModelLoadError } from '../errors.js';
import { cachedSource } from './cached-source.js';
import { cacheStorageStore, hasCacheStorage } from './file-store.js';
import { hubBaseUrl, isHubId, type HubOptions } from './hub.js';
import { urlSource, type ModelSource } from './source.js';

export interface SourceRequest extends HubOptions {
  /** Absolute URL, or a hub id. */
  model: string;
  /** Default true where Cache Storage exists. */
  cache?: boolean;
  offline?: boolean;
}

/**
 * @example remoteSource({ model: 'org/model', hubUrl: 'http://127.0.0.1:8080' })
 */
export function remoteSource(req: SourceRequest): ModelSource {
  const base = isHubId(req.model) ? hubBaseUrl(req.model, req) : req.model;
  const inner = urlSource(base);
  if (req.cache !== false && hasCacheStorage()) return cachedSource(inner, cacheStorageStore(), { offline: req.offline });
  if (req.offline) throw new ModelLoadError(`offline mode needs the model cache, which is ${req.cache === false ? 'disabled' : 'unavailable here'}`);
  return inner;
}
