"""BiLSTM teachers for the default model (build time only; never shipped).

Why: a 2-layer transformer trained from scratch on our ~80k binary polarity rows learns little beyond a bag of
words (SST-2 dev ~82 %, measured), while a BiLSTM with max pooling over the same frozen GloVe + fastText rows
reaches ~87 %: the recurrence gives it the order bias (negation, "but") that the small transformer does not
find from this little data. So the transformer is taught by an ensemble of such BiLSTMs: their polarity
probabilities and pooled features become its targets on the training texts and on augmented variants of them
(augment.py). Teachers obey the encoder's data rules: binary polarity TRAIN rows only.

Teacher tokens are our WordPiece pre-tokenizer's words (tokenizer.basic_words), looked up whole in their own
vocabulary (top GloVe words + every training word GloVe or fastText knows); unknown words map to <unk>.
"""
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

import tokenizer as T
from model import pad_batch

HIDDEN = 150  # per direction; pooled feature = 2 * HIDDEN
MAX_WORDS = 128


class Teacher(nn.Module):
    def __init__(self, table, dropout=0.3):
        super().__init__()
        self.emb = nn.Embedding.from_pretrained(torch.from_numpy(table), freeze=True, padding_idx=0)
        self.rnn = nn.LSTM(table.shape[1], HIDDEN, batch_first=True, bidirectional=True)
        self.drop = nn.Dropout(dropout)
        self.out = nn.Linear(2 * HIDDEN, 2)

    def features(self, ids, mask):
        lens = mask.sum(1).long()
        packed = nn.utils.rnn.pack_padded_sequence(self.drop(self.emb(ids)), lens, batch_first=True,
                                                   enforce_sorted=False)
        h, _ = self.rnn(packed)
        h, _ = nn.utils.rnn.pad_packed_sequence(h, batch_first=True, total_length=ids.shape[1])
        return h.masked_fill(mask.unsqueeze(-1) == 0, -1e4).max(1).values

    def forward(self, ids, mask):
        return self.out(self.drop(self.features(ids, mask)))


class TeacherVocab:
    def __init__(self, words):
        self.ids = {"<pad>": 0, "<unk>": 1}
        for w in words:
            self.ids.setdefault(w, len(self.ids))

    def encode(self, words):
        return [self.ids.get(w, 1) for w in words][:MAX_WORDS] or [1]


def train_teacher(table, rows, vocab, seed, epochs=4, batch=64, lr=1e-3, dev=None, log=print):
    """rows: [(words, 0/1)]. Adam, cross-entropy, fixed seed; returns the model in eval mode."""
    torch.manual_seed(seed)
    rng = np.random.RandomState(seed)
    net = Teacher(table)
    opt = torch.optim.Adam([p for p in net.parameters() if p.requires_grad], lr)
    X = [vocab.encode(w) for w, _ in rows]
    Y = torch.tensor([y for _, y in rows])
    t0 = time.time()
    for ep in range(epochs):
        net.train()
        perm = rng.permutation(len(X))
        for b in range(0, len(X), batch):
            ix = perm[b: b + batch]
            ids, mask = pad_batch([X[i] for i in ix])
            loss = F.cross_entropy(net(ids, mask), Y[ix])
            opt.zero_grad()
            loss.backward()
            opt.step()
        net.eval()
        msg = ""
        if dev is not None:  # progress signal only; nothing is selected on it
            p = probs_features([net], [vocab.encode(w) for w, _ in dev])[0]
            msg = f", SST-2 dev {float((p.argmax(1) == np.array([y for _, y in dev])).mean()):.4f}"
        log(f"  teacher seed {seed} epoch {ep + 1}/{epochs}: {time.time() - t0:.0f}s{msg}")
    return net


@torch.no_grad()
def probs_features(teachers, seqs, bs=512):
    """Ensemble over teachers: mean probabilities [n, 2] and concatenated pooled features [n, 300 * k]."""
    order = np.argsort([len(s) for s in seqs], kind="stable")
    P = np.zeros((len(seqs), 2), np.float32)
    Fe = np.zeros((len(seqs), 2 * HIDDEN * len(teachers)), np.float32)
    for i in range(0, len(seqs), bs):
        idx = order[i: i + bs]
        p, f = batch_targets(teachers, [seqs[j] for j in idx])
        P[idx], Fe[idx] = p.numpy(), f.numpy()
    return P, Fe


@torch.no_grad()
def batch_targets(teachers, seqs):
    ids, mask = pad_batch(seqs)
    feats = [t.features(ids, mask) for t in teachers]
    p = sum(torch.softmax(t.out(f), -1) for t, f in zip(teachers, feats)) / len(teachers)
    return p, torch.cat(feats, 1)


_JOBS = []  # set before forking: the workers inherit it (the log handle and the table are not pickled)


def _train_one(i):
    table, rows, vocab, seed, epochs, dev, log, blas_lib = _JOBS[i]
    if blas_lib:  # one BLAS thread per worker process: the workers share the machine's cores
        import ctypes
        ctypes.CDLL(blas_lib).openblas_set_num_threads(1)
    torch.set_num_threads(1)
    return train_teacher(table, rows, vocab, seed, epochs=epochs, dev=dev, log=log).state_dict()


def train_teachers(table, rows, vocab, seeds, epochs, dev=None, log=print, processes=1, blas_lib=None):
    """Trains one teacher per seed, `processes` at a time (forked workers, one thread each). A teacher depends on
    its seed and on the thread setting (BLAS sums in another order with other thread counts), so a fixed
    `processes` reproduces the same teachers. Returns them in seed order."""
    if processes > 1:
        import multiprocessing as mp
        _JOBS[:] = [(table, rows, vocab, s, epochs, dev, log, blas_lib) for s in seeds]
        with mp.get_context("fork").Pool(processes) as pool:
            states = pool.map(_train_one, range(len(seeds)), chunksize=1)
        _JOBS.clear()
    else:
        states = [train_teacher(table, rows, vocab, s, epochs=epochs, dev=dev, log=log).state_dict() for s in seeds]
    nets = []
    for st in states:
        net = Teacher(table)
        net.load_state_dict(st)
        net.eval()
        nets.append(net)
    return nets


def words_of(texts):
    return [T.basic_words(t) for t in texts]
