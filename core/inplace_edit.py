"""The one in-place edit of a versioned record, for every page that edits one.

The calling view loads the record for the member (core.tenancy) and checks the role
(core.roles); `versioned_edit` does the rest the same way everywhere: it binds the form to the
version the editor loaded, saves through the service, and when someone else saved first shows
the conflict (templates/core/_conflict.html: both versions side by side, the editor's text
kept, "Keep my version" or "Use their version"). An htmx request gets the fragment, a plain
POST a redirect after the save.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from core.forms import add_service_errors
from core.versioning import EditConflict, conflict_context


def versioned_edit(
    request,
    *,
    instance,
    form_class,
    save,
    template,
    success_url,
    partial=None,
    form_kwargs=None,
    context=None,
    saved_fragment=None,
    message=None,
):
    """GET: the edit form; POST: save it.

    - `form_class(data, instance=instance, **form_kwargs)` is a core.forms.VersionedModelForm.
    - `save(form, expected_version=..., user=...)` calls the service with the version the editor
      started from and who saves, and returns the saved record; the service raises EditConflict
      when the record moved on since that version, and may refuse with a ValidationError, shown
      next to the field it names.
    - `template` is the whole page; `partial` (`"page.html#element-id"`) what an htmx request gets.
    - `success_url(record)` is where a plain POST goes after the save, and where *Cancel* (or
      *Use their version*) leads; `message` is said there.
    - `saved_fragment(record)` answers an htmx save (the record as the page shows it); without
      it htmx is redirected too.
    - A file the form was sent is bound too; on a conflict the page gets `current` (the stored
      record) and `upload_dropped` (a file was chosen and must be chosen again).
    - `context` is what the page shows besides the form: a mapping, or a function called only
      when the page is drawn.
    """
    bound = request.method == "POST"
    form = form_class(
        request.POST if bound else None,
        request.FILES if bound else None,
        instance=instance,
        **(form_kwargs or {}),
    )
    conflict = {}
    if form.is_bound and form.is_valid():
        try:
            saved = save(form, expected_version=form.expected_version(), user=request.user)
        except EditConflict as stale:
            conflict = conflict_context(form=form, conflict=stale)
            # The stored record as it is now (an attachment another editor replaced, say), and
            # whether a file was chosen: a browser cannot send it again, it must be chosen anew.
            conflict |= {"current": stale.current, "upload_dropped": bool(request.FILES)}
        except ValidationError as refusal:
            add_service_errors(form, refusal)
        else:
            if request.htmx and saved_fragment is not None:
                return saved_fragment(saved)
            if message:
                messages.success(request, message)
            return redirect(success_url(saved))
    extra = context() if callable(context) else (context or {})
    page = {"form": form, "back_url": success_url(instance), **conflict, **extra}
    return render(request, partial if request.htmx and partial else template, page)
