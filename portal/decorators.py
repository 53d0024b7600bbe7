"""View helpers the staff record pages (activities, councils) share."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest

from portal.roles import is_in_charge


def records_page(view):
    """Logged in, and a coordinator or city staff; everyone else gets 404."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not is_in_charge(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def add_validation_errors(form, error: ValidationError) -> None:
    """A service's ValidationError shown on the form, field by field where it can."""
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            form.add_error(name if name in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)
