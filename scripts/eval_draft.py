"""How good and how fast is ``claimgraph draft``? Prints figures; asserts nothing.

Usage::

    python scripts/eval_draft.py                      # bundled article, own texts, speed on 200
    python scripts/eval_draft.py --articles 1000      # the speed figure of the issue
    python scripts/eval_draft.py --articles 4 --json  # one JSON object (the test uses this)

* **bundled**: the draft of the bundled article against its hand annotation. A hand claim is
  *covered* when a drafted claim overlaps at least half of its characters; of those, the best
  overlapping drafted claim has the *same claimant* when a claimant's surface forms (label, names,
  descriptor) share a word with the hand claimant's (the publisher matches the publisher), and
  the *same source kind* when the kinds are equal. *Entity recall*: hand entities matched one to
  one by a drafted entity whose surface form has word Jaccard >= 0.6 with one of theirs.
  *Precision*: drafted claims that overlap a hand claim or the furniture, over all drafted claims.
* **quotes**: on the texts of ``tests/data/draft-texts`` (written for this project, with
  ``gold.yaml``), quote content and attribution precision/recall/F1, scored as news-quote tools
  are compared: a drafted quote matches a gold one when their word sets (Unicode NFKC, lowercase,
  no punctuation) have Jaccard >= 0.6 or one contains the other, one to one; its speaker is right
  when the drafted claimant's surface forms share a word with the gold speaker.
* **quotes_baseline**: the regex + nearest-PERSON baseline on the same texts and gold, as a
  measure of how hard they are.
* **speed**: drafting N articles of about 5 KB (the bundled article and the own texts, cycled)
  as a ratio to spaCy's own ``nlp.pipe`` over the same texts and model (the two timed in turn, 25
  articles at a time, so that other load on the machine slows both alike); peak memory (max RSS).
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import sys
import time
import unicodedata
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graph.corpus import bundled_corpus_dir  # noqa: E402
from graph.draft import Article, Draft, SpacyExtractor  # noqa: E402
from graph.model.annotations import load_annotation_file  # noqa: E402

TEXTS = ROOT / "tests" / "data" / "draft-texts"
_WORD = re.compile(r"\w+")
_CHUNK = 25  # articles per timed chunk of the speed figure


def words(text: str) -> set[str]:
    return set(_WORD.findall(unicodedata.normalize("NFKC", text).lower()))


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def same_text(a: str, b: str) -> bool:
    wa, wb = words(a), words(b)
    return bool(wa and wb) and (jaccard(wa, wb) >= 0.6 or wa <= wb or wb <= wa)


def prf(tp: int, predicted: int, gold: int) -> dict[str, float]:
    p = tp / predicted if predicted else 0.0
    r = tp / gold if gold else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3),
            "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0}  # fmt: skip


def _forms(entity: Any) -> set[str]:
    out: set[str] = set()
    for form in (entity.label, *entity.names, entity.descriptor or ""):
        out |= words(form)
    return out - {"the", "a", "an", "of", "and", "unnamed"}


def bundled(extractor: SpacyExtractor) -> dict[str, Any]:
    hand = load_annotation_file(bundled_corpus_dir() / "annotations.yaml")
    text = hand.document.text
    publisher = next(e.label for e in hand.entities if e.id == hand.document.metadata.publisher)
    draft = next(extractor.draft([Article("eval", text, publisher=publisher)]))
    drafted_forms = {e.id: _forms(e) for e in draft.entities}
    hand_forms = {e.id: _forms(e) for e in hand.entities}
    covered = claimant = kind = 0
    for claim in hand.claims:
        best, best_overlap = None, 0
        for d in draft.claims:
            overlap = min(claim.end, d.end) - max(claim.start, d.start)
            if overlap > best_overlap:
                best, best_overlap = d, overlap
        if best is None or best_overlap * 2 < claim.end - claim.start:
            continue
        covered += 1
        hand_words = set().union(*(hand_forms.get(c, set()) for c in claim.claimants))
        mine = set().union(*(drafted_forms.get(c, set()) for c in best.claimants))
        publisher_match = best.source_kind == "author-voice" and claim.source_kind == "author-voice"
        claimant += bool(hand_words & mine) or publisher_match
        kind += best.source_kind == claim.source_kind
    furniture = [(text.find(f), text.find(f) + len(f)) for f in hand.document.furniture]
    spans = [(c.start, c.end) for c in hand.claims] + furniture
    precise = sum(1 for d in draft.claims if any(d.start < e and s < d.end for s, e in spans))
    matched, used = 0, set()
    for entity in hand.entities:  # one to one: each hand entity takes its best free match
        forms = [words(f) for f in (entity.label, *entity.names, entity.descriptor or "") if f]
        best, best_score = None, 0.6
        for d in draft.entities:
            theirs = [words(f) for f in (d.label, *d.names, d.descriptor or "") if f]
            score = max((jaccard(a, b) for a in forms for b in theirs), default=0.0)
            if d.id not in used and score >= best_score:
                best, best_score = d.id, score
        if best is not None:
            used.add(best)
            matched += 1
    n = len(hand.claims)
    return {
        "hand_claims": n,
        "drafted_claims": len(draft.claims),
        "claims_covered": round(covered / n, 3),
        "same_claimant": round(claimant / n, 3),
        "same_source_kind": round(kind / n, 3),
        "entity_recall": round(matched / len(hand.entities), 3),
        "claim_precision": round(precise / len(draft.claims), 3) if draft.claims else 0.0,
    }


def quotes(extractor: SpacyExtractor) -> dict[str, Any]:
    gold_all = yaml.safe_load((TEXTS / "gold.yaml").read_text(encoding="utf-8"))
    names = sorted(gold_all)
    articles = [Article(Path(n).stem, (TEXTS / n).read_text(encoding="utf-8")) for n in names]
    tp_content = tp_speaker = predicted = gold_n = 0
    for name, draft in zip(names, extractor.draft(articles), strict=True):
        gold = gold_all[name]
        mine = [c for c in draft.claims if c.mode == "direct-quote"]
        forms = {e.id: _forms(e) for e in draft.entities}
        predicted += len(mine)
        gold_n += len(gold)
        used: set[int] = set()
        for g in gold:
            for i, c in enumerate(mine):
                if i in used or not same_text(c.text, g["quote"]):
                    continue
                used.add(i)
                tp_content += 1
                speaker = set().union(*(forms.get(x, set()) for x in c.claimants))
                tp_speaker += c.speaker_resolved and bool(speaker & words(g["speaker"]))
                break
    return {
        "texts": len(names),
        "gold_quotes": gold_n,
        "drafted_quotes": predicted,
        "content": prf(tp_content, predicted, gold_n),
        "attribution": prf(tp_speaker, predicted, gold_n),
    }


_BASELINE_QUOTE = re.compile(r"[“\"]([^”\"]+)[”\"]")


def baseline(extractor: SpacyExtractor) -> dict[str, Any]:
    """The regex + nearest-PERSON baseline of the pitfalls notes, on the same texts and gold:
    double-quoted spans, the speaker being the PERSON entity nearest to the quote."""
    gold_all = yaml.safe_load((TEXTS / "gold.yaml").read_text(encoding="utf-8"))
    tp_content = tp_speaker = predicted = gold_n = 0
    for name in sorted(gold_all):
        text = (TEXTS / name).read_text(encoding="utf-8")
        doc = extractor.nlp(text)
        people = [(e.start_char, e.text) for e in doc.ents if e.label_ == "PERSON"]
        mine = []
        for m in _BASELINE_QUOTE.finditer(text):
            near = min(people, key=lambda p: abs(p[0] - m.start()), default=(0, ""))
            mine.append((m.group(1).strip().rstrip(","), near[1]))
        predicted += len(mine)
        gold_n += len(gold_all[name])
        used: set[int] = set()
        for g in gold_all[name]:
            for i, (quote, speaker) in enumerate(mine):
                if i not in used and same_text(quote, g["quote"]):
                    used.add(i)
                    tp_content += 1
                    tp_speaker += bool(words(speaker) & words(g["speaker"]))
                    break
    return {
        "content": prf(tp_content, predicted, gold_n),
        "attribution": prf(tp_speaker, predicted, gold_n),
    }


def speed(extractor: SpacyExtractor, n: int) -> dict[str, Any]:
    pool = [(bundled_corpus_dir() / "article.txt").read_text(encoding="utf-8")]
    pool += [p.read_text(encoding="utf-8") for p in sorted(TEXTS.glob("*.txt"))]
    texts, i = [], 0
    while len(texts) < n:  # articles of about 5 KB: texts of the pool joined until long enough
        parts: list[str] = []
        while sum(len(p) for p in parts) < 4500:
            parts.append(pool[i % len(pool)])
            i += 1
        texts.append("\n\n".join(parts)[:6000])
    nlp = extractor.nlp
    list(extractor.draft([Article("warm-up", texts[0])]))
    spacy_s = draft_s = 0.0
    claims = 0
    # Alternate the two in chunks, so that a busy machine slows both alike.
    for at in range(0, n, _CHUNK):
        chunk = texts[at : at + _CHUNK]
        start = time.perf_counter()
        for _ in nlp.pipe(chunk, batch_size=16):
            pass
        spacy_s += time.perf_counter() - start
        start = time.perf_counter()
        drafts: list[Draft] = list(
            extractor.draft(Article(f"a{at + k}", t) for k, t in enumerate(chunk))
        )
        draft_s += time.perf_counter() - start
        claims += sum(len(d.claims) for d in drafts)
    return {
        "articles": n,
        "mean_chars": round(sum(map(len, texts)) / n),
        "spacy_pipe_s": round(spacy_s, 2),
        "draft_s": round(draft_s, 2),
        "ratio_draft_vs_spacy": round(draft_s / spacy_s, 2),
        "ms_per_article": round(1000 * draft_s / n, 1),
        "claims": claims,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=200, help="articles for the speed figure")
    parser.add_argument("--json", action="store_true", help="one JSON object on stdout")
    args = parser.parse_args(argv)
    extractor = SpacyExtractor()
    result = {
        "extractor": extractor.name,
        "bundled": bundled(extractor),
        "quotes": quotes(extractor),
        "quotes_baseline": baseline(extractor),
        "speed": speed(extractor, args.articles),
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print(f"extractor: {result['extractor']}")
    for section in ("bundled", "quotes", "quotes_baseline", "speed"):
        print(f"\n{section}")
        for key, value in result[section].items():
            if isinstance(value, dict):
                value = "  ".join(f"{k} {v}" for k, v in value.items())
            print(f"  {key:<22} {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
