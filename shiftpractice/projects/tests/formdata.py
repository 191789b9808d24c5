"""Read a form out of a rendered page the way a browser would submit it, so tests resubmit what people see."""

from html.parser import HTMLParser


class _Forms(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form = None
        self._textarea = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = {"action": a.get("action", ""), "method": a.get("method", "get"), "fields": []}
            self.forms.append(self._form)
        if self._form is None:
            return
        fields = self._form["fields"]
        if tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in ("radio", "checkbox") and "checked" not in a:
                return
            if kind not in ("submit", "button"):
                fields.append((a["name"], a.get("value", "")))
        elif tag == "button" and a.get("name"):
            self._form.setdefault("buttons", []).append((a["name"], a.get("value", "")))
        elif tag == "textarea":
            self._textarea = [a["name"], ""]
        elif tag == "select":
            self._select = a["name"]
        elif tag == "option" and self._select and "selected" in a:
            fields.append((self._select, a.get("value", "")))

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea is not None:
            # A browser drops one newline straight after <textarea>.
            name, text = self._textarea
            self._form["fields"].append((name, text[1:] if text.startswith("\n") else text))
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form":
            self._form = None


def post_forms(html: str) -> list[dict]:
    parser = _Forms()
    parser.feed(html)
    return [f for f in parser.forms if f["method"].lower() == "post"]


def stage_form(response) -> dict[str, list[str]]:
    """The cycle page's stage form (the one with the Save button) as a browser would send it, before any button."""
    html = response.content.decode()
    for form in post_forms(html):
        names = [name for name, _ in form["fields"]]
        if (
            "revision" in names and len(set(names)) > 2
        ):  # not a one-button form that carries only the revision
            data: dict[str, list[str]] = {}
            for name, value in form["fields"]:
                data.setdefault(name, []).append(value)
            return data
    raise AssertionError("the page has no stage form")


def merged(data: dict[str, list[str]], **changes) -> dict[str, list[str]]:
    """The form after a person typed: ``changes`` replace the named fields."""
    return {**data, **{k: v if isinstance(v, list) else [v] for k, v in changes.items()}}
