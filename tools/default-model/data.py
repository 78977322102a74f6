"""Training / evaluation data for the default model.

All hash-split datasets are read from build/splits (written by tools/split-data.mjs, the one split script);
official splits (sst2, sst5, goemotions) are read from the same place (copied through de-duplicated).

Encoder training data (TRAIN side only):
  polarity (binary):  sst2/train, sst5/train.3class + sst5/train.phrases.3class without neutral,
                      rt-polarity/train, uci-sentences/train
  emotions (28-way multi-label): goemotions/train
  spam (binary):      sms-spam/train
Never used for the encoder: any 3-class/neutral label, ag-news, financial-phrasebank, amazon-alexa,
musical-instruments, and every dev/test split.
"""
import hashlib
import json
import os
import re
import subprocess

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def file_sha256(path):
    """sha256 hex of a file, read in 1 MiB blocks (the tarballs and graphs are large)."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for b in iter(lambda: f.read(1 << 20), b""):
            h.update(b)
    return h.hexdigest()


def ensure_splits(data_dir, splits_dir):
    marker = os.path.join(splits_dir, "sms-spam", "train.jsonl")
    if not os.path.exists(marker):
        subprocess.check_call(["node", os.path.join(REPO, "tools", "split-data.mjs"), "--data-dir", data_dir,
                               "--out", splits_dir])


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(l) for l in f if l.strip()]


_PTB = [
    (re.compile(r"-lrb-", re.I), "("), (re.compile(r"-rrb-", re.I), ")"),
    (re.compile(r"-lsb-", re.I), "["), (re.compile(r"-rsb-", re.I), "]"),
    (re.compile(r"-lcb-", re.I), "{"), (re.compile(r"-rcb-", re.I), "}"),
    (re.compile(r"``|''"), '"'),
    (re.compile(r"\\/"), "/"), (re.compile(r"\\\*"), "*"),
    (re.compile(r" (n't)\b", re.I), r"\1"),
    (re.compile(r"\b(ca|wo|do|does|did|is|are|was|were|have|has|had|could|would|should|must|need|ai|sha) n ?'t\b", re.I), r"\1n't"),
    (re.compile(r" ('(?:s|re|ve|ll|d|m))\b", re.I), r"\1"),
    (re.compile(r" ([,.!?;:%])"), r"\1"),
    (re.compile(r"\( "), "("), (re.compile(r" \)"), ")"),
    (re.compile(r"\$ (?=\d)"), "$"),
    (re.compile(r" +"), " "),
]


def detok(text):
    """Undo SST/PTB tokenisation: "does n't" -> "doesn't", " 's" -> "'s", "-lrb-" -> "(", " ," -> "," ..."""
    t = " " + text.strip() + " "
    for rx, rep in _PTB:
        t = rx.sub(rep, t)
    return t.strip()


def _bin(label):
    return {"negative": 0, "positive": 1}[label]


def polarity_rows(sp, phrases_max=None, seed=0):
    """(text, 0/1) train rows; phrase rows optionally subsampled (deterministic)."""
    import random
    rows = []
    sources = {}
    sentence_keys = set()

    def add(src, text, y):
        rows.append((text, y))
        sources[src] = sources.get(src, 0) + 1

    for r in read_jsonl(os.path.join(sp, "sst2", "train.jsonl")):
        t = detok(r["text"])
        sentence_keys.add(t.lower())
        add("sst2/train", t, _bin(r["labels"][0]))
    for r in read_jsonl(os.path.join(sp, "sst5", "train.3class.jsonl")):
        if r["labels"][0] == "neutral":
            continue
        t = detok(r["text"])
        if t.lower() in sentence_keys:
            continue  # SST-2 train is the SST-5 train sentences minus neutral: skip the duplicates
        sentence_keys.add(t.lower())
        add("sst5/train.3class (binary)", t, _bin(r["labels"][0]))
    ph = [r for r in read_jsonl(os.path.join(sp, "sst5", "train.phrases.3class.jsonl")) if r["labels"][0] != "neutral"]
    ph = [(detok(r["text"]), _bin(r["labels"][0])) for r in ph]
    ph = [p for p in ph if p[0].lower() not in sentence_keys and len(p[0]) > 1]
    if phrases_max is not None and len(ph) > phrases_max:
        rng = random.Random(seed)
        ph = rng.sample(ph, phrases_max)
    for t, y in ph:
        add("sst5/train.phrases.3class (binary)", t, y)
    for r in read_jsonl(os.path.join(sp, "rt-polarity", "train.jsonl")):
        add("rt-polarity/train", detok(r["text"]), _bin(r["labels"][0]))
    for r in read_jsonl(os.path.join(sp, "uci-sentences", "train.jsonl")):
        add("uci-sentences/train", r["text"], _bin(r["labels"][0]))
    return rows, sources


def emotion_rows(sp):
    rows = read_jsonl(os.path.join(sp, "goemotions", "train.jsonl"))
    labels = sorted({l for r in rows for l in r["labels"]})
    idx = {l: i for i, l in enumerate(labels)}
    return [(r["text"], [idx[l] for l in r["labels"]]) for r in rows], labels


def spam_rows(sp):
    return [(r["text"], 1 if r["labels"][0] == "spam" else 0) for r in read_jsonl(os.path.join(sp, "sms-spam", "train.jsonl"))]


def three_class_rows(sp, phrases_max, seed=0):
    """sst5 3-class TRAIN rows for the shipped head (sentences + subsampled phrases)."""
    import random
    cls = {"negative": 0, "neutral": 1, "positive": 2}
    sent = [(detok(r["text"]), cls[r["labels"][0]]) for r in read_jsonl(os.path.join(sp, "sst5", "train.3class.jsonl"))]
    keys = {t.lower() for t, _ in sent}
    ph = [(detok(r["text"]), cls[r["labels"][0]]) for r in read_jsonl(os.path.join(sp, "sst5", "train.phrases.3class.jsonl"))]
    # phrases of >= 3 words look more like what users type than single words
    ph = [p for p in ph if p[0].lower() not in keys and len(p[0].split()) >= 3]
    rng = random.Random(seed)
    if phrases_max is not None and len(ph) > phrases_max:
        ph = rng.sample(ph, phrases_max)
    return sent, ph


def sst_dev(sp):
    sst2 = [(detok(r["text"]), _bin(r["labels"][0])) for r in read_jsonl(os.path.join(sp, "sst2", "dev.jsonl"))]
    cls = {"negative": 0, "neutral": 1, "positive": 2}
    sst5 = [(detok(r["text"]), cls[r["labels"][0]]) for r in read_jsonl(os.path.join(sp, "sst5", "dev.3class.jsonl"))]
    return sst2, sst5


def corpus_texts(sp):
    """Texts used to learn the vocabulary (train side only, sentences, no phrases)."""
    out = []
    for r in read_jsonl(os.path.join(sp, "sst5", "train.jsonl")):
        out.append(detok(r["text"]))
    for name in ("rt-polarity", "uci-sentences", "sms-spam", "goemotions"):
        for r in read_jsonl(os.path.join(sp, name, "train.jsonl")):
            out.append(detok(r["text"]) if name == "rt-polarity" else r["text"])
    return out
