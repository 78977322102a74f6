"""WordPiece tokenizer for the default model: vocabulary building, a pure-Python encoder that mirrors
@huggingface/tokenizers (JS) 0.2.0 exactly (BertNormalizer + BertPreTokenizer + WordPiece + [CLS] $A [SEP]),
and the writers for tokenizer.json / tokenizer_config.json.

The JS library is the reference (it is what ships); the quirks mirrored here are:
  * clean_text drops NUL, U+FFFD and chars of category Cc/Cf/Co/Cs except \\t \\n \\r; JS `\\s` whitespace
    (not Python's isspace) becomes ' '.
  * tokenize_chinese_chars looks at UTF-16 code units, so only BMP CJK ranges are padded with spaces.
  * lowercase = String.prototype.toLowerCase (Python str.lower agrees for everything we feed it),
    strip accents = NFD then drop category Mn (the text stays decomposed).
  * pre-tokenizer: trim, then runs of [^\\s P] or single P, P = \\p{P} + ASCII punctuation; symbols such as
    emoji are NOT punctuation and stay glued to neighbouring letters.
  * WordPiece: greedy longest match, '##' prefix, >100 code points -> [UNK], any unmatched piece -> [UNK]
    for the whole word.
  * special tokens (normalized: false) are split out of the raw text first.
"""
import json
import re
import unicodedata
from collections import Counter

SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
PAD, UNK, CLS, SEP, MASK = range(5)

# JS `\s` (ECMAScript WhiteSpace + LineTerminator)
_JS_WS = set("\t\n\v\f\r \u00a0\u1680\u2028\u2029\u202f\u205f\u3000\ufeff") | {chr(c) for c in range(0x2000, 0x200B)}


def _is_control(ch):
    if ch in "\t\n\r":
        return False
    return unicodedata.category(ch) in ("Cc", "Cf", "Co", "Cs")


def _is_punct(ch):
    o = ord(ch)
    if 0x21 <= o <= 0x2F or 0x3A <= o <= 0x40 or 0x5B <= o <= 0x60 or 0x7B <= o <= 0x7E:
        return True
    return unicodedata.category(ch).startswith("P")


def _is_cjk_unit(o):
    return 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0xF900 <= o <= 0xFAFF


def normalize(text):
    out = []
    for ch in text:
        o = ord(ch)
        if o == 0 or o == 0xFFFD or _is_control(ch):
            continue
        out.append(" " if ch in _JS_WS else ch)
    out2 = []
    for ch in out:
        if _is_cjk_unit(ord(ch)):
            out2.extend((" ", ch, " "))
        else:
            out2.append(ch)
    t = "".join(out2).lower()
    t = unicodedata.normalize("NFD", t)
    return "".join(ch for ch in t if unicodedata.category(ch) != "Mn")


def pre_tokenize(text):
    # JS trim() strips JS whitespace; after normalize() only ' ' remains of it
    text = text.strip("".join(_JS_WS))
    words, cur = [], []
    for ch in text:
        if ch in _JS_WS:
            if cur:
                words.append("".join(cur))
                cur = []
        elif _is_punct(ch):
            if cur:
                words.append("".join(cur))
                cur = []
            words.append(ch)
        else:
            cur.append(ch)
    if cur:
        words.append("".join(cur))
    return words


def basic_words(text):
    """normalize + pre-tokenize (no special-token handling) -> list of words."""
    return pre_tokenize(normalize(text))


class WordPiece:
    def __init__(self, vocab):
        self.vocab = list(vocab)
        self.ids = {t: i for i, t in enumerate(self.vocab)}
        self._special_re = re.compile("|".join(re.escape(s) for s in sorted(SPECIALS, key=len, reverse=True)))
        self._cache = {}

    def word_pieces(self, word):
        c = self._cache.get(word)
        if c is not None:
            return c
        chars = list(word)
        if len(chars) > 100:
            res = [UNK]
        else:
            res, start = [], 0
            while start < len(chars):
                end = len(chars)
                found = None
                while start < end:
                    s = "".join(chars[start:end])
                    if start > 0:
                        s = "##" + s
                    i = self.ids.get(s)
                    if i is not None:
                        found = i
                        break
                    end -= 1
                if found is None:
                    res = [UNK]
                    break
                res.append(found)
                start = end
        if len(self._cache) < 500000:
            self._cache[word] = res
        return res

    def encode(self, text, add_special_tokens=True, max_length=None):
        ids = []
        pos = 0
        sections = []
        for m in self._special_re.finditer(text):
            if m.start() > pos:
                sections.append((text[pos:m.start()], False))
            sections.append((m.group(0), True))
            pos = m.end()
        if pos < len(text):
            sections.append((text[pos:], False))
        for sec, special in sections:
            if special:
                ids.append(self.ids[sec])
                continue
            for w in basic_words(sec):
                ids.extend(self.word_pieces(w))
        if max_length is not None:
            ids = ids[: max_length - (2 if add_special_tokens else 0)]
        if add_special_tokens:
            ids = [CLS] + ids + [SEP]
        return ids


# ---------------------------------------------------------------- vocabulary
def build_vocab(glove_words, corpus_texts, n_glove, n_pieces, n_corpus_extra, min_char_count=3, log=print):
    """Vocabulary = specials + single chars (+ '##' chars) + GloVe top words + frequent corpus words missing
    from GloVe (e.g. 'a', 'i', digits) + learned '##' pieces. Deterministic (ties broken by string)."""
    word_counts = Counter()
    char_counts = Counter()
    for t in corpus_texts:
        for w in basic_words(t):
            word_counts[w] += 1
    for w, c in word_counts.items():
        for ch in w:
            char_counts[ch] += c
    vocab, seen = [], set()

    def add(tok):
        if tok not in seen:
            seen.add(tok)
            vocab.append(tok)

    for s in SPECIALS:
        add(s)
    # characters: printable ASCII + any char seen >= min_char_count times (normalised form)
    chars = {normalize(chr(c)) for c in range(0x21, 0x7F)}
    chars |= {ch for ch, c in char_counts.items() if c >= min_char_count}
    chars = sorted(chars, key=lambda ch: (-char_counts.get(ch, 0), ch))
    for ch in chars:
        add(ch)
    for ch in chars:
        if not _is_punct(ch):
            add("##" + ch)
    # GloVe words (frequency order) that survive our normaliser as one word
    glove_ok = [w for w in glove_words if basic_words(w) == [w]]
    n_added = 0
    for w in glove_ok:
        if n_added >= n_glove:
            break
        if w not in seen:
            add(w)
            n_added += 1
    # frequent corpus words not in the vocabulary yet (learned rows if not in GloVe)
    extra = [w for w, c in sorted(word_counts.items(), key=lambda x: (-x[1], x[0])) if w not in seen and c >= 5]
    for w in extra[:n_corpus_extra]:
        add(w)
    # learned '##' pieces (and word-start prefixes) from the words that are still not whole tokens
    wp = WordPiece(vocab)
    oov = {w: c for w, c in word_counts.items() if w not in wp.ids and len(w) > 1}
    cand = Counter()
    for w, c in oov.items():
        L = len(w)
        for i in range(0, L):
            for j in range(i + 2, min(L, i + 10) + 1):
                if i == 0 and j == L:
                    continue
                piece = w[i:j] if i == 0 else "##" + w[i:j]
                cand[piece] += c * (j - i - 1)
    pieces = [p for p, _ in sorted(cand.items(), key=lambda x: (-x[1], x[0])) if p not in seen]
    for p in pieces[:n_pieces]:
        add(p)
    log(f"vocab: {len(vocab)} tokens ({len(chars)} chars, {n_added} GloVe words, "
        f"{min(len(extra), n_corpus_extra)} corpus words, {min(len(pieces), n_pieces)} pieces)")
    return vocab, word_counts


# ---------------------------------------------------------------- writers
def tokenizer_json(vocab):
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [
            {"id": i, "content": s, "single_word": False, "lstrip": False, "rstrip": False,
             "normalized": False, "special": True}
            for i, s in enumerate(SPECIALS)
        ],
        "normalizer": {"type": "BertNormalizer", "clean_text": True, "handle_chinese_chars": True,
                       "strip_accents": None, "lowercase": True},
        "pre_tokenizer": {"type": "BertPreTokenizer"},
        "post_processor": {
            "type": "TemplateProcessing",
            "single": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                       {"SpecialToken": {"id": "[SEP]", "type_id": 0}}],
            "pair": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                     {"SpecialToken": {"id": "[SEP]", "type_id": 0}}, {"Sequence": {"id": "B", "type_id": 1}},
                     {"SpecialToken": {"id": "[SEP]", "type_id": 1}}],
            "special_tokens": {
                "[CLS]": {"id": "[CLS]", "ids": [CLS], "tokens": ["[CLS]"]},
                "[SEP]": {"id": "[SEP]", "ids": [SEP], "tokens": ["[SEP]"]},
            },
        },
        "decoder": {"type": "WordPiece", "prefix": "##", "cleanup": True},
        "model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##",
                  "max_input_chars_per_word": 100, "vocab": {t: i for i, t in enumerate(vocab)}},
    }


def tokenizer_config(max_len=128):
    return {
        "tokenizer_class": "BertTokenizer",
        "do_lower_case": True,
        "strip_accents": None,
        "tokenize_chinese_chars": True,
        "model_max_length": max_len,
        "clean_up_tokenization_spaces": True,
        "cls_token": "[CLS]",
        "sep_token": "[SEP]",
        "pad_token": "[PAD]",
        "unk_token": "[UNK]",
        "mask_token": "[MASK]",
        "added_tokens_decoder": {
            str(i): {"content": s, "lstrip": False, "normalized": False, "rstrip": False, "single_word": False,
                     "special": True}
            for i, s in enumerate(SPECIALS)
        },
    }


def write_tokenizer(out_dir, vocab, max_len=128):
    import os
    with open(os.path.join(out_dir, "tokenizer.json"), "w", encoding="utf-8") as f:
        json.dump(tokenizer_json(vocab), f, ensure_ascii=False, separators=(",", ":"))
    with open(os.path.join(out_dir, "tokenizer_config.json"), "w", encoding="utf-8") as f:
        json.dump(tokenizer_config(max_len), f, ensure_ascii=False, indent=2)
