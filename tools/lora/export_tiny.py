"""A tiny top.onnx with random weights, for the LoRA parity tests (seconds, not the minutes of build.py).

Same export as tools/default-model/build.py's `--split-k`: inputs hidden_states, attention_mask, then per layer
lora_A_q_i [r, H], lora_B_q_i [H, r], lora_A_v_i, lora_B_v_i; output last_hidden_state. Layer norms and biases get
random values too, so a parity test would notice a swapped gamma/beta or a missing bias.

    /usr/bin/python3 tools/lora/export_tiny.py --out tools/lora/fixture/top-tiny.onnx
"""
import argparse
import os
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "default-model"))
from model import Encoder, TopExport  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--hidden", type=int, default=16)
    ap.add_argument("--heads", type=int, default=2)
    ap.add_argument("--ff", type=int, default=32)
    ap.add_argument("--layers", type=int, default=3)
    ap.add_argument("--k", type=int, default=2)
    ap.add_argument("--r", type=int, default=4)
    a = ap.parse_args()
    torch.manual_seed(7)
    enc = Encoder(50, emb_dim=8, hidden=a.hidden, layers=a.layers, heads=a.heads, ff=a.ff, max_pos=32).eval()
    with torch.no_grad():
        for name, p in enc.named_parameters():
            if name.startswith("layers."):
                p.copy_(torch.randn_like(p) * (0.1 if name.endswith("bias") else 0.3) + (1.0 if ".ln" in name and name.endswith("weight") else 0.0))
    H, T = a.hidden, 5
    names, ex = [], []
    dyn = {"hidden_states": {0: "batch", 1: "sequence"}, "attention_mask": {0: "batch", 1: "sequence"},
           "last_hidden_state": {0: "batch", 1: "sequence"}}
    for i in range(a.k):
        for nm, shape in ((f"lora_A_q_{i}", (a.r, H)), (f"lora_B_q_{i}", (H, a.r)),
                          (f"lora_A_v_{i}", (a.r, H)), (f"lora_B_v_{i}", (H, a.r))):
            names.append(nm)
            ex.append(torch.zeros(shape))
            dyn[nm] = {0: "r"} if nm.startswith("lora_A") else {1: "r"}
    hs = torch.randn(2, T, H)
    mask = torch.tensor([[1, 1, 1, 1, 1], [1, 1, 1, 0, 0]], dtype=torch.int64)
    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
    torch.onnx.export(TopExport(enc, a.k).eval(), (hs, mask, *ex), a.out, opset_version=14,
                      input_names=["hidden_states", "attention_mask"] + names,
                      output_names=["last_hidden_state"], dynamic_axes=dyn)
    print(a.out, os.path.getsize(a.out), "bytes")


if __name__ == "__main__":
    main()
