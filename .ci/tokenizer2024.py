"""Save the offline Gemma tokenizer (converted from its GGUF by today's transformers) where transformers 4.44 and
tokenizers 0.19 can load it: `DEST/gemma3-tokenizer`, so that `GEMMA_ARENA_CACHE=DEST` makes `gemma3_tokenizer()`
find it. tokenizers >= 0.20 writes BPE merges as pairs, ["a", "b"]; 0.19 reads only the older "a b" strings, which
say the same thing as long as no token holds a space (Gemma's spell spaces as "▁"; checked)."""
import json, shutil, sys
from pathlib import Path
import transformers
if int(transformers.__version__.split(".")[0]) < 5:
    sys.exit(f"converting the Gemma 3 GGUF tokenizer needs today's stack (transformers >= 5), not {transformers.__version__}: "
             "run this with it, e.g. TODAY_PYTHON=/path/to/venv/bin/python .ci/stack2024")
from gemma_arena.tokens import gemma3_tokenizer

dest = Path(sys.argv[1]) / "gemma3-tokenizer"
tmp = dest.with_name(dest.name + ".tmp")
shutil.rmtree(tmp, ignore_errors=True)
gemma3_tokenizer().save_pretrained(tmp)
spec = json.loads((tmp / "tokenizer.json").read_text(encoding="utf-8"))
merges = spec["model"]["merges"]
if any(" " in part for pair in merges for part in pair): sys.exit("a merge holds a space: the 'a b' format cannot say it")
spec["model"]["merges"] = [" ".join(pair) for pair in merges]
(tmp / "tokenizer.json").write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
shutil.rmtree(dest, ignore_errors=True)
tmp.rename(dest)
print(f"saved the Gemma tokenizer for tokenizers 0.19 in {dest}")
