"""The seed's 2024 library stack (transformers 4.44, tokenizers 0.19, peft 0.12), which .ci/stack2024 installs in a
venv of its own: tokenizers 0.19 itself encodes lone surrogates as `as_tokenizers_2024` says, and packing, which
needs transformers 5, says so. The reference ids (tests/data/tokens2024_surrogates.json, from make_tokens2024.py) are
checked on today's stack too, so they cannot go stale."""
import json, sys
from pathlib import Path
import pytest, tokenizers, transformers

sys.path.insert(0, str(Path(__file__).parent / "data"))
from make_tokens2024 import surrogate_texts
from gemma_arena.data import surrogates
from gemma_arena.tokens import as_tokenizers_2024

REFERENCE = json.loads((Path(__file__).parent / "data" / "tokens2024_surrogates.json").read_text())
on_2024_stack = pytest.mark.skipif(tokenizers.__version__ != "0.19.1", reason="only on the 2024 stack: run .ci/stack2024")


@pytest.mark.parametrize("sample", ["test", "train"])
def test_reference_ids_are_the_shims(tok, sample):
    texts = surrogate_texts(sample)
    assert len(texts) >= 4 and list(texts) == list(REFERENCE[sample])
    for id_, text in texts.items(): assert tok(as_tokenizers_2024(text)).input_ids == REFERENCE[sample][id_], id_
    one_each = [tok(surrogates.sub("\ufffd", t)).input_ids for t in texts.values()]
    assert one_each != list(REFERENCE[sample].values()), "one U+FFFD per surrogate would encode the same: the check says nothing"


@on_2024_stack
@pytest.mark.parametrize("sample", ["test", "train"])
def test_tokenizers_019_itself_encodes_surrogates_as_the_shim(tok, sample):
    "The seed's own path: the text with its lone surrogates, straight into tokenizers 0.19."
    assert type(tok._tokenizer).__module__.startswith("tokenizers")
    for id_, text in surrogate_texts(sample).items(): assert tok(text).input_ids == REFERENCE[sample][id_], id_


@on_2024_stack
def test_packing_says_it_needs_transformers_5():
    from gemma_arena.packing import check_transformers
    with pytest.raises(RuntimeError) as e: check_transformers()
    assert str(e.value) == f"packing needs transformers >= 5 (installed: {transformers.__version__})"
    assert transformers.__version__.startswith("4.44.")
