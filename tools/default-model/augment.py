"""Augmented variants of TRAIN-side texts for distillation (build time only).

The teachers label whatever text they are shown, so the student can be taught on many more inputs than the
~130k training texts. Each variant is made from a text's words (tokenizer.basic_words), as in Tang et al. 2019
("Distilling task-specific knowledge from BERT into simple neural networks"): each word is swapped for one of
its 8 nearest GloVe neighbours with p = 0.10 or dropped with p = 0.05, and with p = 0.25 only a random span of
1-6 words is kept. Neighbours may be antonyms ("good" ~ "bad"); that is fine, since the label of a variant is the
teachers' judgement of the new text, never the original label.
"""
import random

import numpy as np

P_SWAP, P_DROP, P_SPAN, MAX_SPAN, K_NEIGHBOURS = 0.10, 0.05, 0.25, 6, 8


def neighbours(words_needed, gwords, gvec, top=50000, k=K_NEIGHBOURS):
    """{word: [k nearest alphabetic GloVe words by cosine]} for the alphabetic words among the top GloVe words."""
    gw = gwords[:top]
    G = gvec[:top] / (np.linalg.norm(gvec[:top], axis=1, keepdims=True) + 1e-8)
    gi = {w: i for i, w in enumerate(gw)}
    need = sorted(w for w in set(words_needed) if w in gi and w.isalpha())
    out = {}
    for s in range(0, len(need), 2000):
        chunk = need[s: s + 2000]
        S = G[[gi[w] for w in chunk]] @ G.T
        top_ix = np.argpartition(-S, k + 3, axis=1)[:, : k + 3]
        for w, row, sc in zip(chunk, top_ix, S[np.arange(len(chunk))[:, None], top_ix]):
            # stable order: by score, then by GloVe rank (argpartition's order is arbitrary)
            ranked = sorted(zip(-sc, row))
            out[w] = [gw[j] for _, j in ranked if gw[j] != w and gw[j].isalpha()][:k]
    return out


class Augmenter:
    def __init__(self, neigh, seed):
        self.neigh = neigh
        self.rnd = random.Random(seed)

    def __call__(self, words):
        r = self.rnd
        out = []
        for w in words:
            x = r.random()
            if x < P_SWAP and self.neigh.get(w):
                out.append(r.choice(self.neigh[w]))
            elif x < P_SWAP + P_DROP:
                continue
            else:
                out.append(w)
        if len(out) > 3 and r.random() < P_SPAN:
            n = r.randint(1, min(MAX_SPAN, len(out)))
            s = r.randint(0, len(out) - n)
            out = out[s: s + n]
        return out or list(words)
