"Shared fixtures: a real Gemma tokenizer, a tiny random Gemma-2 classifier with a LoRA adapter, the bundled samples."
import sys
from pathlib import Path
import pytest

sys.path.insert(0, str(Path(__file__).parent))  # the seed's code, transcribed: tests/seed_recipe.py

from gemma_arena.data import sample_path, read_table
from gemma_arena.tokens import gemma3_tokenizer
from gemma_arena.testing import tiny_model_dirs


@pytest.fixture(scope="session")
def tok(): return gemma3_tokenizer()


@pytest.fixture(scope="session")
def raw_test(): return read_table(sample_path("test"))


@pytest.fixture(scope="session")
def tiny(tmp_path_factory, tok):
    "(base_dir, lora_dir) of a tiny random classifier and adapter, written once per session."
    return tiny_model_dirs(tmp_path_factory.mktemp("tiny"), tok)
