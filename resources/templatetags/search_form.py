"""The search form's long lists of choices, printed in one pass.

The form has some 150 checkboxes and options; written out by the template
language one lookup at a time (or with format_html, one escape at a time) they
took longer than the search itself. Every value is escaped here, once.
The choices arrive as plain tuples from ``resources.views._form_options``.
"""

from html import escape

from django import template
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def checkboxes(boxes, css=""):
    """<label><input type=checkbox> label</label> for each (name, value, label, colour, checked)."""
    lines = []
    for name, value, label, color, checked in boxes:
        swatch = (
            # An SVG fill, not a style attribute: the CSP allows no inline style.
            '<svg class="swatch" viewBox="0 0 10 10" aria-hidden="true" focusable="false">'
            f'<circle cx="5" cy="5" r="5" fill="{escape(color)}"/></svg>'
            if color
            else ""
        )
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
