"""The search form's long lists of choices, printed in one pass.

The form has some 150 checkboxes and options; written out by the template
language one lookup at a time (or with format_html, one escape at a time) they
took longer than the search itself. Every value is escaped here, once.
The choices arrive as plain tuples from ``resources.views._form_options``.
"""

from html import escape

from django import template
from django.utils.safestring import mark_safe

from resources.palette import SHAPE_SVG, shape_of

register = template.Library()


def _chip(color: str) -> str:
    # An SVG fill, not a style attribute: the CSP allows no inline style.
    return (
        '<svg class="swatch" viewBox="0 0 14 10" aria-hidden="true" focusable="false">'
        f'<rect x="0.5" y="0.5" width="13" height="9" rx="2" fill="{escape(color)}" '
        'stroke="#1a1a1a"/></svg>'
    )


def _shape(shape: str) -> str:
    return (
        f'<svg class="shape-mark" data-shape="{escape(shape)}" viewBox="0 0 36 36" '
        'aria-hidden="true" focusable="false">'
        f'<g fill="#1a1a1a">{SHAPE_SVG.get(shape, SHAPE_SVG["circle"])}</g></svg>'
    )


@register.simple_tag
def shape_mark(shape: str) -> str:
    """The map's shape for a kind of resource, drawn in dark ink (the map legend, the list)."""
    return mark_safe(_shape(shape))


@register.simple_tag
def type_mark(resource_type: str) -> str:
    return mark_safe(_shape(shape_of(resource_type)))


@register.simple_tag
def checkboxes(boxes, css=""):
    """<label><input type=checkbox> label</label> for each (name, value, label, mark, checked).

    ``mark`` is a category's colour (``#RRGGBB``), a type's map shape (``shape:…``) or "".
    """
    lines = []
    for name, value, label, mark, checked in boxes:
        if mark.startswith("shape:"):
            swatch = _shape(mark.removeprefix("shape:"))
        else:
            swatch = _chip(mark) if mark else ""
        lines.append(
            f'<label class="checkbox{escape(css)}"><input type="checkbox" name="{escape(name)}" '
            f'value="{escape(value)}"{" checked" if checked else ""}>{swatch}{escape(str(label))}</label>'
        )
    return mark_safe("\n".join(lines))


@register.simple_tag
def options(choices):
    """<option> for each (value, label, selected)."""
    return mark_safe(
        "".join(
            f'<option value="{escape(value)}"{" selected" if chosen else ""}>{escape(str(label))}</option>'
            for value, label, chosen in choices
        )
    )
