"Shared fixtures: a real Gemma tokenizer, a tiny random Gemma-2 classifier with a LoRA adapter, the bundled samples."
import sys
from pathlib import Path
import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "bench"))  # the seed's code, transcribed: bench/seed_recipe.py

from gemma_arena.data import load_arena, sample_path, read_table
from gemma_arena.tokens import gemma3_tokenizer, encode
from gemma_arena.model import make_random_model, tiny_config, seed_lora_config


@pytest.fixture(scope="session")
def tok(): return gemma3_tokenizer()


@pytest.fixture(scope="session")
def raw_test(): return read_table(sample_path("test"))


@pytest.fixture(scope="session")
def tiny(tmp_path_factory, tok):
    "(base_dir, lora_dir) of a tiny random classifier and adapter, written once per session."
    df = load_arena(sample_path())
    return make_random_model(tmp_path_factory.mktemp("tiny"), tiny_config(len(tok)), tok,
                             encode(df.head(16), tok, max_length=64), seed_lora_config([1, 2, 3], r=4, alpha=8))
