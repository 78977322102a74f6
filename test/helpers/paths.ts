import { fileURLToPath } from 'node:url';

/** Repository root and the tiny fixture model every test loads. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const TINY_MODEL = fileURLToPath(new URL('../fixtures/models/tiny-sentiment/', import.meta.url));
/** The same model as served by the test's Vite server. */
export const TINY_MODEL_URL_PATH = '/test/fixtures/models/tiny-sentiment/';

export const REVIEWS = [
  'I absolutely loved this product, it works perfectly!',
  'Terrible. It broke after two days and support never answered.',
  'It is okay, nothing special.',
  'The battery died after two days, but support replaced it quickly.',
  'Café au lait was délicieux 😋 would come back',
  '',
  'worst purchase ever',
  'A stirring, funny and finally transporting re-imagining of beauty and the beast.',
];
