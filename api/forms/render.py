"""Server-rendered form pages: plain HTML forms (no script needed), posting `field-<i>` as n8n's.

The pages work without JavaScript: a submission is an ordinary form POST, answered with the
next page (a redirect to the run's `/form-waiting/<id>` URL) or the form's ending.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from typing import Any

from n8n_runtime.forms import field_name, field_type, is_multi, options_of

SUBMITTED_TEXT = "Your response has been recorded"
_STYLE = """
body { font-family: system-ui, sans-serif; background: #fbfcfe; margin: 0; padding: 32px 16px; }
.card { max-width: 448px; margin: 0 auto; background: #fff; border: 1px solid #dbdfe7;
  border-radius: 8px; padding: 24px; }
h1 { font-size: 1.5em; margin: 0 0 8px; } .description { color: #555; margin-bottom: 16px; }
.form-group { margin-bottom: 16px; }
label.form-label { display: block; font-weight: 600; margin-bottom: 6px; }
input[type=text], input[type=email], input[type=password], input[type=number], input[type=date],
select, textarea { width: 100%; box-sizing: border-box; padding: 8px; border: 1px solid #dbdfe7;
  border-radius: 6px; font: inherit; }
.choice { display: block; margin: 4px 0; } .required { color: #c00; }
button { background: #ff6d5a; color: #fff; border: 0; border-radius: 6px; padding: 10px 20px;
  font: inherit; cursor: pointer; width: 100%; } .test-notice { background: #fff4d6; padding: 8px;
  border-radius: 6px; margin-bottom: 16px; } .error { color: #c00; margin-bottom: 16px; }
"""
# What an HTML field may not carry: scripts, event handlers, javascript: links (n8n sanitizes too).
_UNSAFE = (
    re.compile(r"<\s*(script|style|iframe|object|embed)\b.*?>.*?<\s*/\s*\1\s*>", re.I | re.S),
    re.compile(r"<\s*/?\s*(script|style|iframe|object|embed)\b[^>]*>", re.I),
    re.compile(r"\son\w+\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s>]+)", re.I),
    re.compile(r"javascript:", re.I),
)


def _safe_html(text: str) -> str:
    for pattern in _UNSAFE:
        text = pattern.sub("", text)
    return text


def _e(value: Any) -> str:
    return html.escape(str(value or ""), quote=True)


def _field(index: int, field: Mapping[str, Any], defaults: Mapping[str, str]) -> str:
    kind = field_type(field)
    name = f"field-{index}"
    label = field_name(field)
    required = " required" if field.get("requiredField") else ""
    star = ' <span class="required">*</span>' if field.get("requiredField") else ""
    placeholder = f' placeholder="{_e(field.get("placeholder"))}"' if field.get("placeholder") else ""
    default = defaults.get(label, "")
    if kind == "html":
        return f'<div class="form-group html">{_safe_html(str(field.get("html") or ""))}</div>'
    if kind == "hiddenField":
        return f'<input type="hidden" name="{name}" value="{_e(default or field.get("fieldValue"))}">'
    head = f'<div class="form-group"><label class="form-label" for="{name}">{_e(label)}{star}</label>'
    if is_multi(field) or kind == "radio":
        input_type = "radio" if kind == "radio" else "checkbox"
        choices = "".join(
            f'<label class="choice"><input type="{input_type}" name="{name}" value="{_e(option)}"'
            f"{required if kind == 'radio' else ''}> {_e(option)}</label>"
            for option in options_of(field)
        )
        return f'{head}<div id="{name}">{choices}</div></div>'
    if kind == "file":
        multiple = " multiple" if field.get("multipleFiles", True) else ""
        accept = f' accept="{_e(field.get("acceptFileTypes"))}"' if field.get("acceptFileTypes") else ""
        return (
            f'<div class="form-group"><label class="form-label" for="{name}">{_e(label)}{star}</label>'
            f'<input id="{name}" type="file" name="{name}"{multiple}{accept}{required}></div>'
        )
    if kind == "dropdown":
        options = "".join(
            f'<option value="{_e(o)}"{" selected" if o == default else ""}>{_e(o)}</option>'
            for o in options_of(field)
        )
        select = f'<select id="{name}" name="{name}"{required}><option value=""></option>{options}</select>'
        return f"{head}{select}</div>"
    if kind == "textarea":
        return (
            f'{head}<textarea id="{name}" name="{name}"{placeholder}{required}>{_e(default)}</textarea></div>'
        )
    input_type = kind if kind in ("email", "password", "number", "date") else "text"
    step = ' step="any"' if kind == "number" else ""
    return (
        f'{head}<input id="{name}" type="{input_type}" name="{name}" value="{_e(default)}"'
        f"{placeholder}{required}{step}></div>"
    )


def _document(title: str, body: str, css: str = "") -> str:
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(title or 'Form')}</title><style>{_STYLE}</style>"
        f"<style>{css.replace('</', '')}</style></head>"
        f'<body><div class="card">{body}</div></body></html>\n'
    )


def form_page(
    *,
    title: str,
    description: str,
    fields: list[dict[str, Any]],
    action: str,
    button: str = "Submit",
    test: bool = False,
    error: str | None = None,
    defaults: Mapping[str, str] | None = None,
    css: str = "",
) -> str:
    """A form page posting to ``action``."""
    parts = ['<div class="test-notice">This is a test version of your form</div>' if test else ""]
    parts.append(f"<h1>{_e(title)}</h1>" if title else "")
    parts.append(f'<div class="description">{_safe_html(description)}</div>' if description else "")
    parts.append(f'<div class="error" role="alert">{_e(error)}</div>' if error else "")
    inner = "".join(_field(i, f, defaults or {}) for i, f in enumerate(fields))
    has_files = any(field_type(f) == "file" for f in fields)
    enctype = ' enctype="multipart/form-data"' if has_files else ""
    parts.append(
        f'<form method="post" action="{_e(action)}"{enctype}>{inner}'
        f'<button type="submit">{_e(button)}</button></form>'
    )
    return _document(title, "".join(parts), css)


def completion_page(title: str, message: str, page_title: str = "", css: str = "") -> str:
    """The form's ending: a title and a message."""
    body = f'<h1 class="completion-title">{_e(title)}</h1><p class="completion-message">{_e(message)}</p>'
    return _document(page_title or title or "Form", body, css)


__all__ = ["SUBMITTED_TEXT", "completion_page", "form_page"]
