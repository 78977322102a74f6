"""Hand-written BERT-family encoder (post-LN, GELU, additive -1e4 mask) that exports to ONNX opset 14.

Factorised embeddings: word table [vocab, E] (E = 100, GloVe) -> Linear(E -> H) (+ position rows) -> LayerNorm.
No token-type embeddings (single-segment inputs only).
"""
import math

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def pad_batch(seqs):
    """Token-id lists -> (input_ids, attention_mask) int64 tensors padded to this batch's longest."""
    L = max(len(s) for s in seqs)
    ids = np.zeros((len(seqs), L), np.int64)
    mask = np.zeros((len(seqs), L), np.int64)
    for i, s in enumerate(seqs):
        ids[i, : len(s)] = s
        mask[i, : len(s)] = 1
    return torch.from_numpy(ids), torch.from_numpy(mask)


class SelfAttention(nn.Module):
    def __init__(self, h, heads):
        super().__init__()
        self.h, self.nh, self.dh = h, heads, h // heads
        self.query = nn.Linear(h, h)
        self.key = nn.Linear(h, h)
        self.value = nn.Linear(h, h)
        self.out = nn.Linear(h, h)

    def split(self, x):  # [B, T, H] -> [B, nh, T, dh]
        return x.reshape(x.shape[0], x.shape[1], self.nh, self.dh).transpose(1, 2)

    def forward(self, x, add_mask, lora=None):
        q = self.query(x)
        v = self.value(x)
        if lora is not None:  # lora = (A_q [r,H], B_q [H,r], A_v, B_v): delta = x A^T B^T
            aq, bq, av, bv = lora
            q = q + torch.matmul(torch.matmul(x, aq.transpose(0, 1)), bq.transpose(0, 1))
            v = v + torch.matmul(torch.matmul(x, av.transpose(0, 1)), bv.transpose(0, 1))
        q, k, v = self.split(q), self.split(self.key(x)), self.split(v)
        s = torch.matmul(q, k.transpose(-1, -2)) * (1.0 / math.sqrt(self.dh)) + add_mask
        p = torch.softmax(s, dim=-1)
        c = torch.matmul(p, v).transpose(1, 2)
        c = c.reshape(c.shape[0], c.shape[1], self.h)
        return self.out(c)


class Layer(nn.Module):
    def __init__(self, h, heads, ff, dropout):
        super().__init__()
        self.attn = SelfAttention(h, heads)
        self.ln1 = nn.LayerNorm(h, eps=1e-12)
        self.fc1 = nn.Linear(h, ff)
        self.fc2 = nn.Linear(ff, h)
        self.ln2 = nn.LayerNorm(h, eps=1e-12)
        self.drop = nn.Dropout(dropout)

    def forward(self, x, add_mask, lora=None):
        x = self.ln1(x + self.drop(self.attn(x, add_mask, lora)))
        y = self.fc2(self.drop(F.gelu(self.fc1(x))))
        return self.ln2(x + self.drop(y))


class Encoder(nn.Module):
    def __init__(self, vocab_size, emb_dim=100, hidden=256, layers=2, heads=4, ff=1024, max_pos=128, dropout=0.1):
        super().__init__()
        self.word = nn.Embedding(vocab_size, emb_dim)
        self.proj = nn.Linear(emb_dim, hidden)
        self.pos = nn.Embedding(max_pos, hidden)
        self.ln = nn.LayerNorm(hidden, eps=1e-12)
        self.drop = nn.Dropout(dropout)
        self.layers = nn.ModuleList([Layer(hidden, heads, ff, dropout) for _ in range(layers)])
        self.hidden = hidden
        for m in self.modules():
            if isinstance(m, nn.Linear):
                nn.init.normal_(m.weight, std=0.02)
                nn.init.zeros_(m.bias)
        nn.init.normal_(self.pos.weight, std=0.02)
        nn.init.xavier_uniform_(self.proj.weight)

    @staticmethod
    def additive_mask(attention_mask):
        m = attention_mask.to(torch.float32)
        return ((1.0 - m) * -10000.0).unsqueeze(1).unsqueeze(1)  # [B, 1, 1, T]

    def embed(self, input_ids):
        t = input_ids.shape[1]
        x = self.proj(self.word(input_ids)) + self.pos.weight[:t].unsqueeze(0)
        return self.drop(self.ln(x))

    def forward(self, input_ids, attention_mask, upto=None):
        add = self.additive_mask(attention_mask)
        x = self.embed(input_ids)
        for layer in self.layers[:upto]:
            x = layer(x, add)
        return x


def mean_pool(h, mask, normalize=True):
    m = mask.to(h.dtype).unsqueeze(-1)
    s = (h * m).sum(1) / m.sum(1).clamp(min=1e-9)
    return F.normalize(s, dim=-1, eps=1e-12) if normalize else s


# ------------------------------------------------------------------ export wrappers
class FullExport(nn.Module):
    def __init__(self, enc):
        super().__init__()
        self.enc = enc

    def forward(self, input_ids, attention_mask):
        return self.enc(input_ids, attention_mask)


class BottomExport(nn.Module):
    def __init__(self, enc, k):
        super().__init__()
        self.enc, self.n = enc, len(enc.layers) - k

    def forward(self, input_ids, attention_mask):
        x = self.enc(input_ids, attention_mask, upto=self.n)
        if self.n == 0:  # embeddings only: keep attention_mask a graph input (identity: clamp(mask, 1) == 1)
            x = x * attention_mask.unsqueeze(-1).to(x.dtype).clamp(min=1.0)
        return x


class TopExport(nn.Module):
    def __init__(self, enc, k):
        super().__init__()
        self.layers = enc.layers[len(enc.layers) - k:]

    def forward(self, hidden_states, attention_mask, *lora):
        add = Encoder.additive_mask(attention_mask)
        x = hidden_states
        for i, layer in enumerate(self.layers):
            x = layer(x, add, lora[4 * i: 4 * i + 4])
        return x
