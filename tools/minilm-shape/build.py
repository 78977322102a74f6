"""A model of all-MiniLM-L6-v2's shape with random weights, for speed benchmarks only (issue [F]).

6 layers, hidden 384, 12 heads, FFN 1536, 512 positions, WordPiece vocabulary of 30,522 (GloVe top-20k words,
'##' character pieces, then [unusedN] fillers) in the transformers.js layout: config.json, tokenizer.json,
tokenizer_config.json, 1_Pooling/config.json, onnx/model.onnx (fp32) and onnx/model_quantized.onnx (our int8 pass).
Same encoder code as the default model (tools/default-model/model.py) with the embedding projection removed.

    /usr/bin/python3 tools/minilm-shape/build.py [--out build/bench-models/minilm-shape]
"""
import argparse
import json
import os
import sys

import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "default-model"))
from model import Encoder, FullExport  # noqa: E402
from quantize import quantize  # noqa: E402
import tokenizer as T  # noqa: E402

GLOVE = os.path.join(HERE, "..", "..", "..", "shared", "data", "models", "glove-6B-100d-top20k", "vocab.txt")
VOCAB_SIZE, HIDDEN, LAYERS, HEADS, FF, MAX_POS = 30522, 384, 6, 12, 1536, 512


def build_vocab():
    words = [w for w in open(GLOVE, encoding="utf-8").read().split("\n") if w]
    vocab, seen = [], set()
    for tok in T.SPECIALS + words:
        if tok not in seen:
            seen.add(tok)
            vocab.append(tok)
    chars = sorted({c for w in words for c in w})
    for c in chars:
        for tok in (c, "##" + c):
            if tok not in seen:
                seen.add(tok)
                vocab.append(tok)
    i = 0
    while len(vocab) < VOCAB_SIZE:
        vocab.append(f"[unused{i}]")
        i += 1
    return vocab[:VOCAB_SIZE]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(HERE, "..", "..", "build", "bench-models", "minilm-shape"))
    a = ap.parse_args()
    out = os.path.abspath(a.out)
    os.makedirs(os.path.join(out, "onnx"), exist_ok=True)
    os.makedirs(os.path.join(out, "1_Pooling"), exist_ok=True)
    torch.manual_seed(0)
    torch.set_num_threads(2)
    enc = Encoder(VOCAB_SIZE, emb_dim=HIDDEN, hidden=HIDDEN, layers=LAYERS, heads=HEADS, ff=FF, max_pos=MAX_POS,
                  dropout=0.0)
    enc.proj = nn.Identity()  # MiniLM has no factorised embeddings
    enc.eval()
    ids = torch.randint(5, VOCAB_SIZE, (2, 16))
    mask = torch.ones(2, 16, dtype=torch.long)
    fp32 = os.path.join(out, "onnx", "model.onnx")
    torch.onnx.export(FullExport(enc).eval(), (ids, mask), fp32, opset_version=14,
                      input_names=["input_ids", "attention_mask"], output_names=["last_hidden_state"],
                      dynamic_axes={"input_ids": {0: "batch", 1: "sequence"},
                                    "attention_mask": {0: "batch", 1: "sequence"},
                                    "last_hidden_state": {0: "batch", 1: "sequence"}},
                      do_constant_folding=True)
    quantize(fp32, os.path.join(out, "onnx", "model_quantized.onnx"), "qdq")
    T.write_tokenizer(out, build_vocab(), MAX_POS)
    with open(os.path.join(out, "config.json"), "w") as f:
        json.dump({"_name_or_path": "bench/minilm-shape", "architectures": ["BertModel"], "model_type": "bert",
                   "vocab_size": VOCAB_SIZE, "hidden_size": HIDDEN, "num_hidden_layers": LAYERS,
                   "num_attention_heads": HEADS, "intermediate_size": FF, "hidden_act": "gelu",
                   "max_position_embeddings": MAX_POS, "type_vocab_size": 0, "pad_token_id": 0,
                   "note": "random weights: speed benchmarks only"}, f, indent=2)
    with open(os.path.join(out, "1_Pooling", "config.json"), "w") as f:
        json.dump({"word_embedding_dimension": HIDDEN, "pooling_mode_cls_token": False,
                   "pooling_mode_mean_tokens": True}, f, indent=2)
    for name in ("model.onnx", "model_quantized.onnx"):
        print(f"{name}: {os.path.getsize(os.path.join(out, 'onnx', name)) / 1e6:.1f} MB", file=sys.stderr)
    print(out)


if __name__ == "__main__":
    main()
