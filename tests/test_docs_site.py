"""The docs site in headless Chromium: every page loads cleanly, its images show, its local links resolve.

Builds the site with `tools/build_docs.py` into a temporary folder (or uses `$GEMMA_ARENA_DOCS`, a built
site), serves it on 127.0.0.1 and drives Debian's `chromium` through `chromedriver` with selenium.
Screenshots of the home page and an API page go to `$GEMMA_ARENA_SCREENSHOTS` (default: `screenshots/` in
the built site). Also checks that the notebooks keep their outputs (`tools/check_outputs.py`).
Needs: `apt-get install -y chromium chromium-driver` (skipped with that line as the reason when absent).
"""
import functools, http.server, json, os, re, shutil, subprocess, sys, threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

sys.path.insert(0, str(Path(__file__).parents[1]/'tools'))
import build_docs, check_outputs

ROOT = Path(__file__).parents[1]
CHROMIUM, DRIVER = shutil.which('chromium'), shutil.which('chromedriver')
APT = 'apt-get update && apt-get install -y chromium chromium-driver'
needs_chromium = pytest.mark.skipif(not (CHROMIUM and DRIVER), reason=f'no chromium/chromedriver: {APT}')
FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync',
         '--disable-dev-shm-usage', '--window-size=1280,900']


@pytest.fixture(scope='module')
def site(tmp_path_factory):
    "A built site: `$GEMMA_ARENA_DOCS`, else one built now."
    if os.environ.get('GEMMA_ARENA_DOCS'): return Path(os.environ['GEMMA_ARENA_DOCS'])
    out = tmp_path_factory.mktemp('site')/'_docs'
    built = subprocess.run([sys.executable, 'tools/build_docs.py', '--out', str(out)], cwd=ROOT,
                           capture_output=True, text=True)
    if built.returncode: pytest.fail(f"tools/build_docs.py failed:\n{built.stderr[-3000:]}")
    return out


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    "Serves files without logging each request."
    def log_message(self, *args): pass


@pytest.fixture(scope='module')
def server(site):
    "The site served on a free port of 127.0.0.1; gives its base URL."
    handler = functools.partial(QuietHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(('127.0.0.1', 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f'http://127.0.0.1:{httpd.server_port}/'
    httpd.shutdown()


@pytest.fixture(scope='module')
def browser(tmp_path_factory):
    "Headless Chromium with a fresh profile, keeping the console's messages."
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for flag in FLAGS + [f"--user-data-dir={tmp_path_factory.mktemp('profile')}"]:
        opts.add_argument(flag)
    opts.set_capability('goog:loggingPrefs', {'browser': 'ALL'})
    driver = webdriver.Chrome(service=Service(DRIVER), options=opts)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


def pages(site: Path) -> list[str]:
    "Every HTML page of the site, by its path in the site."
    return sorted(p.relative_to(site).as_posix() for p in site.rglob('*.html'))


def ids(page: Path) -> set[str]:
    "The anchors a page defines."
    return set(re.findall(r'\bid="([^"]+)"', page.read_text()))


def broken_links(hrefs: list[str], base: str, site: Path) -> list[str]:
    "The links to this site whose page, or anchor in it, does not exist."
    bad = []
    for href in (h for h in hrefs if h.startswith(base)):
        parts = urlsplit(href)
        target = site/unquote(parts.path[len(urlsplit(base).path):] or 'index.html')
        if target.is_dir(): target = target/'index.html'
        if not target.exists(): bad.append(href)
        elif parts.fragment and unquote(parts.fragment) not in ids(target): bad.append(href)
    return bad


def test_broken_links(tmp_path):
    "A missing page or anchor is broken; a page, its anchor, the site root and other sites are not."
    (tmp_path/'a.html').write_text('<h2 id="x">X</h2>')
    (tmp_path/'index.html').write_text('')
    base = 'http://127.0.0.1:1/'
    hrefs = [base + 'a.html', base + 'a.html#x', base, 'https://github.com/', base + 'b.html', base + 'a.html#y']
    assert broken_links(hrefs, base, tmp_path) == [base + 'b.html', base + 'a.html#y']


def test_local_links():
    "Links to the published site become relative; links to notebooks point at their pages."
    url = 'https://gemma-arena.github.io/gemma_arena/'
    page = f'<a href="{url}tokens.html#encode">x</a> <a href="00_data.ipynb#load_arena">y</a> <a href="03_model.ipynb">'
    assert build_docs.local_links(page, url) == ('<a href="tokens.html#encode">x</a> '
                                                 '<a href="data.html#load_arena">y</a> <a href="model.html">')


def test_cells_as_quarto_writes_them():
    "Cell options are read and dropped from the code; `echo: false` hides the code, `output: asis` keeps markdown raw."
    assert build_docs.cell_options('#| echo: false\n#| output: asis\nshow_doc(f)') == (
        {'echo': 'false', 'output': 'asis'}, 'show_doc(f)')
    assert build_docs.fence('a ``` b', '.python') == '```` {.python}\na ``` b\n````'


def test_site_has_a_page_per_notebook(site):
    "Every notebook (not `_`-prefixed) is a page, and the sidebar lists them with index first."
    nbs = sorted(p for p in (ROOT/'nbs').glob('*.ipynb') if not p.name.startswith('_'))
    from nbdev.doclinks import _nbpath2html
    names = [_nbpath2html(Path(p.name)).name for p in nbs]
    assert set(names) <= set(pages(site)), set(names) - set(pages(site))
    order = re.findall(r'<li><a href="([^"]+)"', (site/'index.html').read_text().split('</nav>')[0])
    numbered = [n for p, n in zip(nbs, names) if p.stem != 'index']
    assert order == ['index.html'] + numbered, order


def visit(browser, url: str) -> dict:
    "Open `url` and give its console errors, images that did not load and links."
    browser.get(url)
    errors = [e['message'] for e in browser.get_log('browser') if e['level'] == 'SEVERE']
    unloaded = browser.execute_script(
        "return [...document.images].filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src)")
    hrefs = browser.execute_script("return [...document.querySelectorAll('a[href]')].map(a => a.href)")
    return dict(errors=errors, unloaded=unloaded, hrefs=hrefs)


@needs_chromium
def test_pages_in_chromium(site, server, browser):
    "No console errors, every image loaded, no broken local link; screenshots of two pages."
    shots = Path(os.environ.get('GEMMA_ARENA_SCREENSHOTS', site/'screenshots'))
    shots.mkdir(parents=True, exist_ok=True)
    problems, n_images = {}, 0
    for page in pages(site):
        seen = visit(browser, server + page)
        n_images += browser.execute_script("return document.images.length")
        bad = dict(errors=seen['errors'], unloaded=seen['unloaded'],
                   broken=broken_links(seen['hrefs'], server, site))
        if any(bad.values()): problems[page] = bad
        if page in ('index.html', 'tokens.html'):
            browser.save_screenshot(str(shots/page.replace('.html', '.png')))
    assert not problems, problems
    assert n_images > 0, "no page shows a picture"


@pytest.mark.parametrize('nb', [p.name for p in check_outputs.notebooks()])
def test_notebooks_keep_outputs(nb):
    "Each notebook has outputs in enough of its shown code cells, none huge (tools/check_outputs.py)."
    assert check_outputs.problems(ROOT/'nbs'/nb) == []


def test_each_notebook_has_a_one_line_summary():
    "nbdev takes a page's description, and its module's docstring, from the first `> ` line alone."
    for path in sorted((ROOT / "nbs").glob("*.ipynb")):
        first = "".join(json.loads(path.read_text())["cells"][0]["source"]).splitlines()
        quotes = [line for line in first if line.startswith(">")]
        assert len(quotes) == 1 and len(quotes[0]) <= 100, (path.name, quotes)
