"""Multi-task training of the encoder (build time): one task per step, drawn with fixed probabilities.

Tasks are (token-id lists, targets, n_outputs). "polarity" and "spam" are cross-entropy, "emotions" multi-label
binary cross-entropy. With a Distillation (below), "polarity" is instead taught by the BiLSTM teachers
(teacher.py): each batch is drawn from the distillation pool (training texts of every task), most texts are
replaced by an augmented variant (augment.py), and the student matches the teachers' ensemble probabilities
(soft cross-entropy) and, through a linear map of its pooled vector, their standardised pooled features (MSE).
The heads read the L2-normalised mean-pooled output x 16, the vector the shipped head and the probes see.
"""
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

import teacher as TE
from model import mean_pool, pad_batch

TASK_P = {"polarity": 0.65, "emotions": 0.25, "spam": 0.10}
SCALE = 16.0


class Distillation:
    """The teachers' side of the polarity task: pool of word lists, augmenter, teacher ensemble."""

    def __init__(self, teachers, tvocab, pool_words, augmenter, encode, aug_p, feat_w, rng):
        self.teachers, self.tvocab, self.pool, self.aug = teachers, tvocab, pool_words, augmenter
        self.encode, self.aug_p, self.feat_w = encode, aug_p, feat_w
        # feature standardisation from a fixed sample of the pool
        sample = rng.choice(len(pool_words), min(2000, len(pool_words)), replace=False)
        _, f = TE.batch_targets(teachers, [tvocab.encode(pool_words[i]) for i in sample])
        self.mu, self.sd = f.mean(0), f.std(0) + 1e-3
        self.feat_dim = f.shape[1]

    def batch(self, idx):
        words = [self.aug(self.pool[i]) if self.aug.rnd.random() < self.aug_p else self.pool[i] for i in idx]
        p, f = TE.batch_targets(self.teachers, [self.tvocab.encode(w) for w in words])
        return [self.encode(" ".join(w)) for w in words], p, (f - self.mu) / self.sd


def make_heads(tasks, hidden, distill=None):
    heads = nn.ModuleDict({k: nn.Linear(hidden, tasks[k][2]) for k in tasks})
    if distill is not None and distill.feat_w:
        heads["features"] = nn.Linear(hidden, distill.feat_dim)
    return heads


def train(enc, heads, tasks, P, rng, log, distill=None, progress=None, frozen_rows=None):
    """Trains enc + heads in place for P["steps"] steps; returns the training time in seconds.

    frozen_rows: bool [vocab] rows of enc.word whose gradient is zeroed (pretrained rows kept as they are, so that
    words the training rows never show stay consistent with the ones they do). progress(step) is called every
    2,000 steps (a signal in the log only; nothing is selected on it)."""
    if frozen_rows is not None:
        keep = torch.from_numpy((~frozen_rows).astype(np.float32)).unsqueeze(1)
        enc.word.weight.register_hook(lambda g: g * keep)
    params = list(enc.parameters()) + list(heads.parameters())
    decay = [p for n, p in list(enc.named_parameters()) + list(heads.named_parameters()) if p.dim() >= 2]
    no_decay = [p for n, p in list(enc.named_parameters()) + list(heads.named_parameters()) if p.dim() < 2]
    if frozen_rows is not None:  # decoupled weight decay would shrink the frozen rows too
        decay = [p for p in decay if p is not enc.word.weight]
        no_decay = no_decay + [enc.word.weight]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.01}, {"params": no_decay, "weight_decay": 0.0}],
                            lr=P["lr"], betas=(0.9, 0.98), eps=1e-6)
    steps, warm = P["steps"], P["warmup"]
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / warm) * max(0.0, (steps - s) / max(1, steps - warm)) if s >= warm
        else (s + 1) / warm)
    names = list(tasks)
    probs = np.array([TASK_P[k] for k in names])
    probs = probs / probs.sum()

    def lengths(k):
        if distill is not None and k == "polarity":
            return [len(w) for w in distill.pool]
        return [len(s) for s in tasks[k][0]]

    # length-bucketed batches: shuffle, cut into chunks of 50 batches, sort each chunk by length, shuffle the
    # batches (padding to each batch's longest text then costs little)
    def epoch_batches(k):
        lens = lengths(k)
        perm = rng.permutation(len(lens))
        bs = P["batch"]
        out = []
        for c in range(0, len(perm), 50 * bs):
            chunk = sorted(perm[c: c + 50 * bs].tolist(), key=lambda i: lens[i])
            out += [np.array(chunk[j: j + bs]) for j in range(0, len(chunk), bs) if len(chunk[j: j + bs]) == bs]
        return [out[i] for i in rng.permutation(len(out))]

    queues = {k: [] for k in names}
    enc.train()
    run = {k: [] for k in names + (["features"] if "features" in heads else [])}
    log(f"training {steps} steps, batch {P['batch']}, tasks {names} p={probs.round(3).tolist()}"
        + (f", polarity distilled from {len(distill.teachers)} teachers over {len(distill.pool)} texts"
           if distill is not None else ""))
    t0 = time.time()
    for step in range(steps):
        k = names[int(rng.choice(len(names), p=probs))]
        seqs, Y, _ = tasks[k]
        if not queues[k]:
            queues[k] = epoch_batches(k)
        idx = queues[k].pop()
        if distill is not None and k == "polarity":
            seqs_b, tp, tf = distill.batch(idx)
            ids, mask = pad_batch(seqs_b)
        else:
            ids, mask = pad_batch([seqs[i] for i in idx])
        z = mean_pool(enc(ids, mask), mask) * SCALE
        logits = heads[k](z)
        if k == "emotions":
            loss = F.binary_cross_entropy_with_logits(logits, torch.from_numpy(Y[idx]))
        elif distill is not None and k == "polarity":
            loss = -(tp * F.log_softmax(logits, -1)).sum(1).mean()
            if distill.feat_w:
                fl = F.mse_loss(heads["features"](z), tf)
                run["features"].append(float(fl))
                loss = loss + distill.feat_w * fl
        else:
            loss = F.cross_entropy(logits, torch.from_numpy(Y[idx]))
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        sched.step()
        run[k].append(float(loss))
        if (step + 1) % 250 == 0 or step + 1 == steps:
            msg = " ".join(f"{kk}={np.mean(run[kk][-100:]):.4f}" for kk in run if run[kk])
            log(f"step {step + 1}/{steps} {msg} lr={sched.get_last_lr()[0]:.2e} {(step + 1) / (time.time() - t0):.2f} steps/s")
        if progress is not None and (step + 1) % 2000 == 0 and step + 1 < steps:
            enc.eval()
            progress(step + 1)
            enc.train()
    return time.time() - t0
