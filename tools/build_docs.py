"""Build the docs site offline: nbdev's processed notebooks rendered to HTML with pandoc.

    python tools/build_docs.py [--out _docs] [--force]

It gives the pages Quarto would give (`nbdev_docs` where Quarto is installed): nbdev's processors run
first (`show_doc` entries, backticked names linked, `#| hide` cells dropped), then each notebook becomes
the Pandoc markdown Quarto writes for it (prose, code, outputs, plots) and pandoc renders that. Page names
follow Quarto's (`00_data.ipynb` -> `data.html`); the sidebar lists `index` first, then the other
notebooks in file order, so new or renamed notebooks appear without editing anything here.
"""
import argparse, base64, html, re, shutil, subprocess
from pathlib import Path

import yaml
from execnb.nbio import read_nb
from nbdev.config import get_config
from nbdev.doclinks import _nbpath2html
from nbdev.serve import proc_nbs

TOOLS = Path(__file__).parent
TEMPLATE = TOOLS/'docs_template.html'


def pandoc_path() -> str:
    "The pandoc binary: the `pypandoc-binary` wheel's, else one on PATH."
    try:
        import pypandoc
        return pypandoc.get_pandoc_path()
    except (ImportError, OSError):
        found = shutil.which('pandoc')
        if not found: raise SystemExit("no pandoc: pip install pypandoc-binary (or apt-get install pandoc)")
        return found


def page_sources(proc: Path, nbs: Path) -> list[Path]:
    "The processed notebooks and pages still in `nbs`, in sidebar order: index first, then by file name."
    kept = lambda p: p.suffix in ('.ipynb', '.md', '.qmd') and p.name[0] not in '._' and (nbs/p.name).exists()
    pages = [p for p in proc.iterdir() if kept(p)]
    return sorted(pages, key=lambda p: (p.stem != 'index', p.name))


def frontmatter(nb) -> dict:
    "The YAML front matter nbdev's processors put in the notebook's first raw cell."
    first = nb.cells[0] if nb.cells else None
    if not first or first.cell_type != 'raw': return {}
    body = first.source.strip().strip('-')
    return yaml.safe_load(body) or {}


def cell_options(source: str) -> tuple[dict, str]:
    "Quarto's `#| key: value` options at the top of a cell, and the code after them."
    opts, lines = {}, source.splitlines()
    while lines and lines[0].startswith('#|'):
        key, _, value = lines.pop(0)[2:].partition(':')
        opts[key.strip()] = value.strip().lower() or 'true'
    return opts, '\n'.join(lines).strip('\n')


def fence(text: str, cls: str) -> str:
    "`text` as a fenced block of class `cls`, with a fence longer than any backtick run inside."
    ticks = '`' * max(3, max((len(m) for m in re.findall('`+', text)), default=0) + 1)
    return f"{ticks} {{{cls}}}\n{text.rstrip()}\n{ticks}"


def joined(value) -> str:
    "A notebook string field (a string or a list of lines) as one string."
    return value if isinstance(value, str) else ''.join(value)


class Page:
    "One notebook rendered as Quarto's markdown, its figures written under `<name>_files/`."
    def __init__(self, src: Path, out: Path):
        self.src, self.out = src, out
        self.nb = read_nb(src) if src.suffix == '.ipynb' else None
        self.meta = frontmatter(self.nb) if self.nb else {}
        self.name = self.meta.get('output-file') or _nbpath2html(Path(src.name)).name
        self.n_figures = 0

    @property
    def title(self) -> str:
        "The page title: the front matter's, else the file name."
        return str(self.meta.get('title') or Path(self.name).stem.replace('_', ' ').capitalize())

    def figure(self, data: str, ext: str) -> str:
        "Write one figure output and give its markdown image."
        self.n_figures += 1
        rel = f"{Path(self.name).stem}_files/figure-html/fig-{self.n_figures}.{ext}"
        (self.out/rel).parent.mkdir(parents=True, exist_ok=True)
        raw = data.encode() if ext == 'svg' else base64.b64decode(data)
        (self.out/rel).write_bytes(raw)
        return f"![]({rel})"

    def output(self, o, asis: bool) -> str:
        "One cell output as markdown, choosing the richest type as Quarto does."
        kind = o.get('output_type')
        if kind == 'stream': return fence(joined(o['text']), f".cell-output-{o['name']}")
        if kind == 'error': return fence(f"{o['ename']}: {o['evalue']}", '.cell-output-error')
        data = o.get('data', {})
        if asis and 'text/markdown' in data: return joined(data['text/markdown'])
        if 'image/png' in data: return self.figure(joined(data['image/png']), 'png')
        if 'image/svg+xml' in data: return self.figure(joined(data['image/svg+xml']), 'svg')
        if 'text/html' in data: return fence(joined(data['text/html']), '=html')
        if 'text/markdown' in data: return joined(data['text/markdown'])
        if 'text/plain' in data: return fence(joined(data['text/plain']), '.cell-output-display')
        return ''

    def code_cell(self, cell) -> str:
        "A code cell as Quarto writes it: source (unless `echo: false`) and outputs in a `.cell` div."
        opts, code = cell_options(cell.source)
        if opts.get('include') == 'false': return ''
        parts = [fence(code, '.python')] if code and opts.get('echo') != 'false' else []
        asis = opts.get('output') == 'asis'
        if opts.get('output') != 'false':
            outs = [self.output(o, asis) for o in cell.get('outputs', [])]
            parts += outs if asis else [f"::: {{.cell-output}}\n{o}\n:::" for o in outs if o]
        return f"::: {{.cell}}\n{chr(10).join(parts)}\n:::" if parts else ''

    def markdown(self) -> str:
        "The whole page as Pandoc markdown."
        if self.nb is None: return re.sub(r'\A---\n.*?\n---\n', '', self.src.read_text(), flags=re.S)
        blocks = [c.source if c.cell_type == 'markdown' else self.code_cell(c)
                  for c in self.nb.cells if c.cell_type in ('markdown', 'code')]
        return '\n\n'.join(b for b in blocks if b.strip())


def local_links(page_html: str, site_url: str) -> str:
    "Links to this site made relative, and links to notebooks pointed at their pages."
    page_html = page_html.replace(f'href="{site_url}', 'href="')
    def to_page(m): return f'href="{_nbpath2html(Path(m[1] + ".ipynb")).as_posix()}{m[2] or ""}"'
    return re.sub(r'href="(?!https?:)([^"#]+?)\.ipynb(#[^"]*)?"', to_page, page_html)


def sidebar(pages: list[Page], current: Page) -> str:
    "The sidebar's list of pages, the current one marked."
    item = lambda p: (f'<li><a href="{p.name}"{" class=active" if p is current else ""}>'
                      f'{html.escape(p.title)}</a></li>')
    return '<ul>' + ''.join(item(p) for p in pages) + '</ul>'


def render(page: Page, pages: list[Page], site_title: str, site_url: str):
    "Render `page` with pandoc into the site."
    args = [pandoc_path(), '-f', 'markdown', '-t', 'html5', '--standalone', '--template', str(TEMPLATE),
            '--toc', '--toc-depth=3', '--mathml']
    meta = dict(pagetitle=f'{page.title} – {site_title}', title=page.title, sitetitle=site_title,
                description=page.meta.get('description', ''))
    args += [a for k, v in meta.items() for a in ('--metadata', f'{k}={v}')]
    body = subprocess.run(args, input=page.markdown(), capture_output=True, text=True, check=True).stdout
    body = body.replace('@@SIDEBAR@@', sidebar(pages, page))
    (page.out/page.name).write_text(local_links(body, site_url))


def site_url(cfg) -> str:
    "The published site's address that nbdev puts in doc links: `doc_host` + `doc_baseurl` + `/`."
    return cfg.doc_host.rstrip('/') + '/' + cfg.doc_baseurl.strip('/') + '/'


def build(out: Path | None = None, force: bool = False, n_workers: int = 2) -> Path:
    "Process the notebooks with nbdev and render every page into `out` (default: `doc_path`)."
    cfg = get_config()
    out = Path(out or cfg.doc_path)
    try: proc = proc_nbs(cfg.nbs_path, n_workers=n_workers, force=force)
    except Exception as e:
        hint = "a cell mixing imports with other code runs alone for show_doc: split it (tools/README.md)"
        raise SystemExit(f"nbdev could not process the notebooks ({e}); {hint}") from e
    if out.exists(): shutil.rmtree(out)
    out.mkdir(parents=True)
    pages = [Page(p, out) for p in page_sources(proc, cfg.nbs_path)]
    for page in pages: render(page, pages, cfg.title, site_url(cfg))
    shutil.copy(cfg.nbs_path/'styles.css', out/'styles.css')
    (out/'.nojekyll').touch()
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--out', help="output folder (default: settings.ini's doc_path, _docs)")
    parser.add_argument('--force', action='store_true', help="re-process all notebooks")
    parser.add_argument('--n-workers', type=int, default=2, help="notebooks processed in parallel")
    args = parser.parse_args()
    print(build(args.out, args.force, args.n_workers))


if __name__ == '__main__': main()
