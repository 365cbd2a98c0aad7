"""The comments page of a record, and the member's inbox.

One URL per resource: an htmx request gets the `comments` fragment (the threads and the form),
a normal request the whole page and, after a POST, a redirect back to it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_POST

from comments import registry, selectors, services
from comments.forms import CommentEditForm, CommentForm
from comments.models import Comment, Notification
from core.roles import DESCRIPTIONS, Capability, can, forbidden, may_change_comment, require
from core.tenancy import get_for_district

PAGE = "comments/thread.html"


def _record(request, kind, record_pk):
    entry = registry.for_kind(kind)
    if entry is None:
        raise Http404("Nothing of that kind takes comments.")
    queryset = entry.model._default_manager.select_related(*entry.related)
    return entry, get_for_district(request, queryset, pk=record_pk)


def _thread_url(request, entry, record, anchor=""):
    url = reverse("comments:thread", args=[request.district.slug, entry.kind, record.pk])
    return f"{url}#{anchor}" if anchor else url


def _page(request, entry, record, form=None, said=()):
    roots = selectors.record_comments(record).filter(parent__isnull=True)
    context = {
        "entry": entry,
        "record": record,
        "record_url": entry.url(record),
        "threads": selectors.threads(record),
        "form": form or CommentForm(threads=roots),
        "members": selectors.mentionable(request.district),
        "said": said,
        "may_comment": can(request.membership, Capability.COMMENT),
    }
    if request.htmx:
        return render(request, f"{PAGE}#comments", context)
    return render(request, PAGE, context)


def _unknown_said(unknown):
    return ngettext(
        "No member goes by @%(handles)s: it was left as text and nobody was told.",
        "No member goes by @%(handles)s: they were left as text and nobody was told.",
        len(unknown),
    ) % {"handles": ", @".join(unknown)}


def thread(request, kind, record_pk):
    """GET: the record's threads and the form; POST: a comment, or a reply to a thread."""
    entry, record = _record(request, kind, record_pk)
    if request.method != "POST":
        return _page(request, entry, record)
    if not can(request.membership, Capability.COMMENT):
        return forbidden(request, DESCRIPTIONS[Capability.COMMENT])
    roots = selectors.record_comments(record).filter(parent__isnull=True)
    form = CommentForm(request.POST, threads=roots)
    if form.is_valid():
        try:
            comment, unknown = services.comment_create(
                district=request.district,
                user=request.user,
                record=record,
                body=form.cleaned_data["body"],
                parent=form.cleaned_data["parent"],
            )
        except ValidationError as error:
            form.add_error("body" if hasattr(error, "error_dict") else None, error)
        else:
            said = [gettext("Comment posted.")] + ([_unknown_said(unknown)] if unknown else [])
            if request.htmx:
                return _page(request, entry, record, said=said)
            messages.success(request, said[0])
            for line in said[1:]:
                messages.warning(request, line)
            return redirect(_thread_url(request, entry, record, f"comment-{comment.pk}"))
    response = _page(request, entry, record, form=form)
    response.status_code = 200 if request.htmx else 400
    return response


def _own_comment(request, comment_pk):
    """The comment with its record, or a refusal for a member who is not its author."""
    comment = get_for_district(
        request, Comment.objects.select_related("content_type", "district"), pk=comment_pk
    )
    entry = registry.for_model(comment.content_type.model_class())
    record = comment.record
    if entry is None or record is None:
        raise Http404("The record of this comment is gone.")
    if not may_change_comment(request.membership, comment):
        return comment, entry, record, forbidden(request, gettext("change another's comment"))
    return comment, entry, record, None


@require(Capability.COMMENT)
def comment(request, comment_pk):
    """GET: the author's comment in a form; POST: its new words."""
    comment, entry, record, refusal = _own_comment(request, comment_pk)
    if refusal:
        return refusal
    form = CommentEditForm(request.POST if request.method == "POST" else None, comment=comment)
    if request.method == "POST" and form.is_valid():
        try:
            comment, unknown = services.comment_edit(
                comment=comment, user=request.user, body=form.cleaned_data["body"]
            )
        except ValidationError as error:
            form.add_error("body" if hasattr(error, "error_dict") else None, error)
        else:
            messages.success(request, gettext("Comment changed."))
            if unknown:
                messages.warning(request, _unknown_said(unknown))
            return redirect(_thread_url(request, entry, record, f"comment-{comment.pk}"))
    context = {
        "form": form,
        "comment": comment,
        "entry": entry,
        "record": record,
        "back_url": _thread_url(request, entry, record, f"comment-{comment.pk}"),
    }
    return render(
        request,
        "comments/comment_form.html",
        context,
        status=400 if request.method == "POST" else 200,
    )


@require(Capability.COMMENT)
def comment_delete(request, comment_pk):
    """GET: what deleting the comment does, or why it stays; POST: deletes it."""
    comment, entry, record, refusal = _own_comment(request, comment_pk)
    if refusal:
        return refusal
    back_url = _thread_url(request, entry, record, f"comment-{comment.pk}")
    if request.method == "POST":
        # The service decides whether others' replies keep the comment; asked once.
        try:
            services.comment_delete(comment=comment, user=request.user)
        except ValidationError:
            status = 409
        else:
            messages.success(request, gettext("Comment deleted."))
            return redirect(_thread_url(request, entry, record))
    else:
        status = 200
    return render(
        request,
        "comments/comment_delete.html",
        {
            "comment": comment,
            "entry": entry,
            "record": record,
            "back_url": back_url,
            "answered": status == 409 or comment.replies.exists(),
        },
        status=status,
    )


@require(Capability.COMMENT)
@require_POST
def resolve(request, comment_pk):
    """Resolves the comment's thread, or (with reopen) opens it again."""
    comment = get_for_district(
        request, Comment.objects.select_related("parent", "content_type"), pk=comment_pk
    )
    entry = registry.for_model(comment.content_type.model_class())
    record = comment.record
    if entry is None or record is None:
        raise Http404("The record of this comment is gone.")
    if request.POST.get("reopen"):
        thread = services.comment_reopen(comment=comment, user=request.user)
        said = gettext("Thread reopened.")
    else:
        thread = services.comment_resolve(comment=comment, user=request.user)
        said = gettext("Thread resolved.")
    if request.htmx:
        return _page(request, entry, record, said=[said])
    messages.success(request, said)
    return redirect(_thread_url(request, entry, record, f"comment-{thread.pk}"))


def inbox(request):
    """GET: the member's notifications, newest first; POST: all of them marked read."""
    if request.method == "POST":
        services.notifications_read_all(membership=request.membership)
        messages.success(request, gettext("Everything in your inbox is marked read."))
        return redirect("inbox:index", request.district.slug)
    lines = []
    for notification in selectors.inbox(request.membership):
        entry, record = selectors.commented_record(notification)
        lines.append(
            {
                "notification": notification,
                "entry": entry,
                "record": record,
                "url": _thread_url(request, entry, record, f"comment-{notification.comment_id}")
                if record is not None and entry is not None
                else "",
            }
        )
    return render(request, "comments/inbox.html", {"lines": lines})


@require_POST
def inbox_read(request, notification_pk):
    notification = get_for_district(
        request, Notification.objects.filter(recipient=request.user), pk=notification_pk
    )
    services.notification_read(notification=notification)
    return redirect("inbox:index", request.district.slug)
