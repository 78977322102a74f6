"""Word vectors of the pretrained fastText Amazon review classifiers (build-time input only).

../shared/data/models/fasttext-amazon-review/ holds Facebook's official supervised models trained on the Amazon
review polarity and 5-star sets of Zhang et al. 2015 (3.6M / 3M reviews). Their input vectors are 10-d per word
(17.5k / 20k words) and carry review sentiment learned from millions of reviews, for words that our own
training rows may never show. We read them with Debian's python3-fasttext and append them (20 dims) to the
GloVe rows; words outside a model's vocabulary get zeros there. The scale makes their entries' spread match
GloVe's, so neither half dominates the first projection at initialisation.
"""
import os

import numpy as np

FILES = ("amazon_review_polarity.ftz", "amazon_review_full.ftz")
DIM = 20


def load_models(model_dir):
    import fasttext  # Debian python3-fasttext
    fasttext.FastText.eprint = lambda *a, **k: None  # silence its load_model deprecation warning
    return [fasttext.load_model(os.path.join(model_dir, f)) for f in FILES]


def scale_for(models, glove_std):
    """One constant: GloVe's value std / the std of all fastText input vectors (their whole vocabularies)."""
    vals = np.concatenate([np.stack([m.get_word_vector(w) for w in m.words]).ravel() for m in models])
    return float(glove_std / vals.std())


def vectors(models, words, scale):
    """float32 [len(words), 20]: polarity-model dims then 5-star-model dims, zeros for unknown words."""
    out = np.zeros((len(words), DIM), np.float32)
    for j, m in enumerate(models):
        for i, w in enumerate(words):
            if m.get_word_id(w) >= 0:
                out[i, 10 * j: 10 * j + 10] = m.get_word_vector(w)
    return out * scale


def known(models, word):
    return any(m.get_word_id(word) >= 0 for m in models)
