/** The model shipped in `public/models/`, used when `createClassifier()` is given no `model`. */
export const DEFAULT_MODEL_NAME = 'inpage-sentiment-mini';

/** The shipped model's folder path relative to the site root (browsers) or the package root (Node). */
export const DEFAULT_MODEL_PATH = `models/${DEFAULT_MODEL_NAME}/`;
