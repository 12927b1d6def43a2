"""Helpers shared by the tests of every app: a small DOM of a rendering, query counts.

Test modules import from here, never from one another.
"""

from html.parser import HTMLParser

from django.db import connection
from django.test.utils import CaptureQueriesContext

# --- A small DOM of a rendering --------------------------------------------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Node:
    def __init__(self, tag, attrs, parent=None):
        self.tag = tag
        self.attrs = dict(attrs)
        self.parent = parent
        self.children = []

    @property
    def classes(self):
        return set((self.attrs.get("class") or "").split())

    @property
    def id(self):
        return self.attrs.get("id")

    def text(self):
        parts = []
        for child in self.children:
            parts.append(child if isinstance(child, str) else child.text())
        return " ".join(" ".join(parts).split())

    def iter(self):
        for child in self.children:
            if isinstance(child, Node):
                yield child
                yield from child.iter()

    def find_all(self, tag=None, cls=None, **attrs):
        found = []
        for node in self.iter():
            if tag and node.tag != tag:
                continue
            if cls and not set(cls.split()) <= node.classes:
                continue
            if any(node.attrs.get(name.replace("_", "-")) != value for name, value in attrs.items()):
                continue
            found.append(node)
        return found

    def find(self, tag=None, cls=None, **attrs):
        found = self.find_all(tag, cls, **attrs)
        assert found, f"no <{tag or '*'} class={cls!r} {attrs}> in the rendering"
        return found[0]

    def by_id(self, id_):
        found = [node for node in self.iter() if node.id == id_]
        assert len(found) == 1, f"{len(found)} elements with id={id_!r}"
        return found[0]

    def ancestors(self):
        node = self.parent
        while node is not None:
            yield node
            node = node.parent


class TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {})
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        node = Node(tag, attrs, self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Node(tag, attrs, self.current))

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        assert self.current.tag == tag, f"</{tag}> closes <{self.current.tag}>"
        self.current = self.current.parent

    def handle_data(self, data):
        if data.strip():
            self.current.children.append(data)


def parse(html):
    builder = TreeBuilder()
    builder.feed(str(html))
    builder.close()
    assert builder.current is builder.root, f"<{builder.current.tag}> never closed"
    return builder.root


def dom(html):
    """Parse a whole form's rendering and check its accessibility links."""
    root = parse(html)
    check_accessibility(root)
    return root


LABELLED_CONTROLS = ("input", "select", "textarea")


def check_accessibility(root):
    """Ids unique, aria-describedby and label[for] point at existing ids, every control labelled."""
    ids = [node.id for node in root.iter() if node.id]
    assert len(ids) == len(set(ids)), f"duplicate ids: {sorted(i for i in ids if ids.count(i) > 1)}"
    ids = set(ids)
    for node in root.iter():
        for attribute in ("aria-describedby", "aria-labelledby"):
            for ref in (node.attrs.get(attribute) or "").split():
                assert ref in ids, f"{attribute}={ref!r} on <{node.tag}> references no element"
        if node.tag == "label" and node.attrs.get("for"):
            assert node.attrs["for"] in ids, f"<label for={node.attrs['for']!r}> references no element"
        if node.tag == "a" and (node.attrs.get("href") or "").startswith("#"):
            assert node.attrs["href"][1:] in ids, f"<a href={node.attrs['href']!r}> leads nowhere"
    labelled = {node.attrs["for"] for node in root.find_all("label") if node.attrs.get("for")}
    for node in root.iter():
        if node.tag in LABELLED_CONTROLS and node.attrs.get("type") not in ("hidden", "submit", "button", "reset"):
            assert (
                node.id in labelled
                or node.attrs.get("aria-labelledby")
                or any(a.tag == "label" for a in node.ancestors())
            ), f"<{node.tag} name={node.attrs.get('name')!r}> has no label"


# --- Query counts ------------------------------------------------------------------------------

# The most queries a page may make (docs/performance.md; the session is read from the database).
MAXIMUM_REQUETES = 16


def requetes_constantes(client, url, creer_plus, *, maximum=MAXIMUM_REQUETES):
    """GET `url`, then again after `creer_plus()` adds rows: the same number of queries, at most `maximum`.

    A first visit warms what the session caches (current LP…), so both counts compare alike.
    Returns (number of queries, last response) so that each test can pin the number.
    """
    client.get(url)
    with CaptureQueriesContext(connection) as une:
        assert client.get(url).status_code == 200
    nombre = len(une.captured_queries)
    assert nombre <= maximum, f"{url} : {nombre} requêtes (au plus {maximum})"
    creer_plus()
    with CaptureQueriesContext(connection) as apres:
        reponse = client.get(url)
    assert reponse.status_code == 200
    assert len(apres.captured_queries) == nombre, (
        f"{url} : {nombre} requêtes, puis {len(apres.captured_queries)} avec plus de lignes"
    )
    return nombre, reponse


# --- Browser -----------------------------------------------------------------------------------


def cocher(case):
    """Check a DSFR checkbox or radio in Chromium, and wait until it is checked.

    DSFR draws the box on the label and keeps the input under it: Playwright clicks the input only
    with `force`, which skips its wait for a stable layout and clicks where it measured the input. On
    a page still laying out (just after a navigation) that place may have moved and the click lands
    beside the box (seen: « Clicking the checkbox did not change its state », one run in two). The
    click is sent to the input itself instead: the browser checks it and fires `input` and `change`,
    as for a click of the user.
    """
    if not case.is_checked():
        case.dispatch_event("click")
    case.page.wait_for_function("element => element.checked", arg=case.element_handle())
