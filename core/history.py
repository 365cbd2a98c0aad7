"""The history of every change, whatever path made it.

PostgreSQL triggers (django-pghistory) write a snapshot of a tracked row into its event table on
every insert, update and delete: a page, an `.update()`, a bulk import, the admin or a task all
leave the same trace, and nothing in the app has to remember to record anything. Who did it
comes from the pghistory context: the signed-in user of the request (HistoryMiddleware) or the
name of the Celery task. On SQLite (`make run` without a database configured) no triggers are
installed and nothing is recorded.

Events store field names and action codes only; the history pages turn consecutive snapshots of
one record into "field: before → after" in the reader's language.
"""

import contextlib
import functools
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from types import SimpleNamespace

import pghistory
import pghistory.middleware
import psycopg
from celery.signals import task_postrun, task_prerun
from django.core.exceptions import ImproperlyConfigured, ObjectDoesNotExist
from django.db import connection
from django.db.backends.utils import CursorDebugWrapper, CursorWrapper
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext, gettext_lazy, pgettext_lazy

CREATED, CHANGED, DELETED = "created", "changed", "deleted"
ACTIONS = {
    CREATED: gettext_lazy("Created"),
    CHANGED: gettext_lazy("Changed"),
    DELETED: gettext_lazy("Deleted"),
}
# Not worth a line in anyone's history: the row's identity and the bookkeeping of saves.
_SKIP = {"id", "district", "version"}
_NOT_SNAPSHOT = ("created_at", "updated_at")
POSITION = pgettext_lazy("place in a list", "Position")

# tracked model -> its event model, and the lookup from that event model to the district's id
EVENT_MODELS = {}
DISTRICT_LOOKUP = {}
# event model of a many-to-many link table -> (the record that owns the link, its field)
LINKS = {}


def tracked(*, district="district_id", links=(), exclude=()):
    """Class decorator: keep the history of every insert, update and delete of this model.

    `district` is the lookup from the model to its district's id (for the parts of a framework,
    through their framework); `links` names many-to-many fields whose links made and undone are
    shown as changes of this record; `exclude` names fields too large to copy into every event."""

    def wrap(model):
        names = {f.name for f in model._meta.local_fields}
        EVENT_MODELS[model] = pghistory.create_event_model(
            model,
            pghistory.InsertEvent(CREATED),
            pghistory.UpdateEvent(CHANGED),
            pghistory.DeleteEvent(DELETED),
            exclude=[n for n in (*_NOT_SNAPSHOT, *exclude) if n in names],
            obj_field=pghistory.ObjForeignKey(related_name="+", related_query_name="+"),
            model_name=f"{model.__name__}Event",
            abstract=False,
        )
        DISTRICT_LOOKUP[model] = district
        for name in links:
            field = model._meta.get_field(name)
            through = field.remote_field.through
            EVENT_MODELS[through] = pghistory.create_event_model(
                through,
                pghistory.InsertEvent(CREATED),
                pghistory.DeleteEvent(DELETED),
                obj_field=pghistory.ObjForeignKey(related_name="+", related_query_name="+"),
                model_name=f"{model.__name__}{name.title().replace('_', '')}Event",
                app_label=model._meta.app_label,
                abstract=False,
            )
            owner = field.m2m_field_name()
            DISTRICT_LOOKUP[through] = f"{owner}__{district}"
            LINKS[EVENT_MODELS[through]] = (model, field, owner)
        return model

    return wrap


def record_model(event_model):
    """The model whose history an event model keeps (a link table's belongs to its owner)."""
    return LINKS[event_model][0] if event_model in LINKS else event_model.pgh_tracked_model


def link_events(model, name):
    """The events of links made and undone through one many-to-many field of `model`."""
    return events_of(model._meta.get_field(name).remote_field.through)


def events_of(model):
    return EVENT_MODELS[model].objects


def recording():
    return connection.vendor == "postgresql"


def acting_as(user):
    """Names the person a change is made for when no request does (tasks, commands, tests);
    inside a request it is the signed-in user already."""
    if not recording() or user is None or not user.is_authenticated:
        return contextlib.nullcontext()
    return pghistory.context(user=user.pk)


class HistoryMiddleware(pghistory.middleware.HistoryMiddleware):
    """Attaches the signed-in user to whatever a request changes (PostgreSQL only: the context
    travels as a PostgreSQL setting in front of each statement)."""

    def __call__(self, request):
        if not recording():
            return self.get_response(request)
        return super().__call__(request)


_task_contexts = {}


@task_prerun.connect
def _task_started(task_id=None, task=None, **kwargs):
    if recording():
        context = pghistory.context(task=task.name)
        context.__enter__()
        _task_contexts[task_id] = context


@task_postrun.connect
def _task_finished(task_id=None, **kwargs):
    context = _task_contexts.pop(task_id, None)
    if context is not None:
        context.__exit__(None, None, None)


@dataclass
class Change:
    field: str
    label: str
    old: str
    new: str


@dataclass
class Entry:
    action: str
    created_at: datetime
    kind: str
    object_label: str
    user: object = None
    task: str = ""
    changes: list = field(default_factory=list)
    sort_key: tuple = ()

    def get_action_display(self):
        return ACTIONS[self.action]


def _fields(model):
    """The fields of `model` that its history shows, in the model's order. Fields no one edits
    (when an action item's emails went) are the app's bookkeeping, not a change to read about."""
    event_names = {f.attname for f in EVENT_MODELS[model]._meta.concrete_fields}
    return [
        f
        for f in model._meta.concrete_fields
        if f.attname in event_names and f.name not in _SKIP and f.editable
    ]


def translated_name(name):
    """A field or model name in the reader's language; the catalogue spells some of them with a
    capital (as form labels), so both spellings are tried."""
    name = str(name)
    translated = gettext(name)
    if translated == name:
        translated = gettext(capfirst(name))
    return capfirst(translated)


def _label(model_field):
    if model_field.name == "order":
        return str(POSITION)
    return translated_name(model_field.verbose_name)


def _shown(model_field, value, related):
    """A stored value as the reader reads it, in the reader's language."""
    if value is None or value == "":
        return ""
    # A model may say how one of its stored values reads (a structured summary, say).
    if shown := getattr(model_field.model, f"{model_field.name}_history_text", None):
        return str(shown(value))
    if model_field.name == "order":
        return str(value + 1)
    if model_field.is_relation:
        found = related.get((model_field.related_model, value))
        return str(found) if found is not None else f"#{value}"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, Decimal):
        return formats.localize(value.normalize())
    if isinstance(value, datetime):
        return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


def _snapshot(event, fields):
    return {f.attname: getattr(event, f.attname) for f in fields}


def _instance(model, event, fields, related):
    """The record as it was at this event, to name it as it was named then."""
    instance = model(pk=event.pgh_obj_id, **_snapshot(event, fields))
    for f in fields:
        if f.is_relation and (found := related.get((f.related_model, getattr(event, f.attname)))):
            instance._state.fields_cache[f.name] = found
    try:
        return str(instance)
    except ObjectDoesNotExist:
        return capfirst(str(model._meta.verbose_name))


def _related_objects(ids_by_model):
    """The records events point at, and the records those point at in turn, with each one's
    links filled in from the same map: a record is often named after its parent ("Observation
    at Lakeside Elementary on 9/3"), and naming it must not cost a query per line."""
    related = {
        (model, obj.pk): obj
        for model, ids in ids_by_model.items()
        for obj in model._base_manager.filter(pk__in=ids)
    }
    further = defaultdict(set)
    for (model, _pk), obj in related.items():
        for f in model._meta.concrete_fields:
            value = getattr(obj, f.attname) if f.many_to_one else None
            if value is not None and (f.related_model, value) not in related:
                further[f.related_model].add(value)
    for model, ids in further.items():
        related.update({(model, obj.pk): obj for obj in model._base_manager.filter(pk__in=ids)})
    for (model, _pk), obj in list(related.items()):
        for f in model._meta.concrete_fields:
            if f.many_to_one and (found := related.get((f.related_model, getattr(obj, f.attname)))):
                obj._state.fields_cache.setdefault(f.name, found)
    return related


def history(sources, *, limit=200):
    """The newest `limit` changes among `sources` (querysets of event models), newest first."""
    picked = []
    for source in sources:
        newest = list(source.order_by("-pgh_id")[:limit])
        if not newest:
            continue
        # Every earlier snapshot of these records too, for "before" values.
        earlier = source.model.objects.filter(
            pgh_obj_id__in={e.pgh_obj_id for e in newest}, pgh_id__lt=newest[-1].pgh_id
        )
        picked.append((source.model, newest, list(earlier)))
    if not picked:
        return []

    related_ids = defaultdict(set)
    for event_model, newest, earlier in picked:
        for event in [*newest, *earlier]:
            for f in _fields(event_model.pgh_tracked_model):
                if f.is_relation and (value := getattr(event, f.attname)) is not None:
                    related_ids[f.related_model].add(value)
    contexts = {
        c.pk: c.metadata
        for c in pghistory.models.Context.objects.filter(
            pk__in={e.pgh_context_id for _, newest, _ in picked for e in newest if e.pgh_context_id}
        )
    }
    users = {m["user"] for m in contexts.values() if m.get("user")}
    related = _related_objects(related_ids)
    from accounts.models import User  # core's history names people; accounts sits beside it

    people = {u.pk: u for u in User.objects.filter(pk__in=users)}

    entries = []
    for event_model, newest, earlier in picked:
        if event_model in LINKS:
            entries += _link_entries(event_model, newest, contexts, people, related)
            continue
        model = event_model.pgh_tracked_model
        fields = _fields(model)
        kind = translated_name(model._meta.verbose_name)
        wanted = {e.pgh_id for e in newest}
        before = {}
        for event in sorted([*newest, *earlier], key=lambda e: e.pgh_id):
            now = _snapshot(event, fields)
            previous = before.get(event.pgh_obj_id)
            before[event.pgh_obj_id] = now
            if event.pgh_id not in wanted:
                continue
            changes = []
            if event.pgh_label != DELETED:
                for f in fields:
                    old = "" if previous is None else _shown(f, previous[f.attname], related)
                    new = _shown(f, now[f.attname], related)
                    if old != new:
                        changes.append(Change(f.name, _label(f), old, new))
                if event.pgh_label == CHANGED and previous is not None and not changes:
                    continue
            metadata = contexts.get(event.pgh_context_id, {})
            entries.append(
                Entry(
                    action=event.pgh_label,
                    created_at=event.pgh_created_at,
                    kind=kind,
                    object_label=_instance(model, event, fields, related),
                    user=people.get(metadata.get("user")),
                    task=metadata.get("task", ""),
                    changes=changes,
                    sort_key=(event.pgh_created_at, event.pgh_id),
                )
            )
    entries.sort(key=lambda e: e.sort_key, reverse=True)
    return entries[:limit]


def _link_entries(event_model, events, contexts, people, related):
    """A link made or undone, as a change of the record that owns it: "Goals: + Goal A"."""
    owner_model, field, owner_name = LINKS[event_model]
    target_name = field.m2m_reverse_field_name()
    entries = []
    for event in events:
        owner = related.get((owner_model, getattr(event, f"{owner_name}_id")))
        target = related.get((field.related_model, getattr(event, f"{target_name}_id")))
        shown = str(target) if target is not None else f"#{getattr(event, f'{target_name}_id')}"
        added = event.pgh_label == CREATED
        metadata = contexts.get(event.pgh_context_id, {})
        entries.append(
            Entry(
                action=CHANGED,
                created_at=event.pgh_created_at,
                kind=translated_name(owner_model._meta.verbose_name),
                object_label=str(owner) if owner is not None else "",
                user=people.get(metadata.get("user")),
                task=metadata.get("task", ""),
                changes=[
                    Change(
                        field.name,
                        translated_name(field.verbose_name),
                        "" if added else shown,
                        shown if added else "",
                    )
                ],
                sort_key=(event.pgh_created_at, event.pgh_id),
            )
        )
    return entries


def record_events(instance):
    """The events of one record."""
    return events_of(type(instance)).filter(pgh_obj_id=instance.pk)


def last_change(instance):
    """Who last saved this record and when, for the page that shows an edit conflict."""
    # The newest events may be the app's own bookkeeping (when an email went), which the
    # history leaves out; the last person's change is behind them.
    events = record_events(instance)
    entries = history([events], limit=5) or history([events], limit=events.count())
    return entries[0] if entries else None


def district_events(district):
    """Every tracked change of one district: one queryset per tracked model."""
    return [
        events_of(model).filter(**{DISTRICT_LOOKUP[model]: district.pk}) for model in EVENT_MODELS
    ]


@functools.cache
def _newest_events_sql():
    """latest_change_marker's query, built once per process: building and compiling a queryset
    per tracked table took twice as long as running the query. Its only parameter is the
    district's id, once per table."""
    probe = SimpleNamespace(pk=-1)
    newest = [
        qs.order_by("-pgh_id").values_list("pgh_id", flat=True)[:1] for qs in district_events(probe)
    ]
    sql, params = newest[0].union(*newest[1:], all=True).query.sql_with_params()
    if any(param != probe.pk for param in params):
        raise ImproperlyConfigured("A district lookup of the history takes more than the id.")
    return f"SELECT COALESCE(SUM(pgh_id), 0)::bigint FROM ({sql}) AS newest", len(params)


def latest_change_marker(district):
    """A value that grows with every change of the district's records (for cache keys), in one
    query: the sum of the newest event id of each table. Without a history (SQLite) every call
    gives a new value, so nothing stale is served."""
    if not recording():
        return uuid.uuid4().hex
    sql, count = _newest_events_sql()
    connection.ensure_connection()
    # Planning the union of every history table took eight times as long as running it (3 ms
    # against 0.4), so this one query binds on the server and psycopg prepares it once per
    # connection. Django turns psycopg's preparing off (prepare_threshold None); turning it
    # back on touches no other query, as Django's own cursors bind on the client and never
    # prepare.
    connection.connection.prepare_threshold = 0
    wrapper = _PreparedDebugWrapper if connection.queries_logged else CursorWrapper
    with wrapper(psycopg.Cursor(connection.connection), connection) as cursor:
        cursor.execute(sql, [district.pk] * count)
        return cursor.fetchone()[0]


class _PreparedDebugWrapper(CursorDebugWrapper):
    """Logs the query as written: psycopg keeps no text of a prepared statement's run, which
    Django's query log would show as None."""

    def execute(self, sql, params=None):
        with self.debug_sql(sql, params):
            return CursorWrapper.execute(self, sql, params)


def earlier_history(district, *, limit=200):
    """What the app recorded itself before the database kept the history (read-only, as it was
    written then: its labels are in the language of whoever made the change)."""
    from core.models import HistoryEntry  # core.models declares what this module tracks

    rows = HistoryEntry.objects.filter(district=district).select_related("content_type", "user")
    return [
        Entry(
            action=row.action,
            created_at=row.created_at,
            kind=translated_name(row.content_type.name),
            object_label=row.object_label,
            user=row.user,
            changes=[
                Change(c.get("field", ""), c.get("label", ""), c.get("old", ""), c.get("new", ""))
                for c in row.changes
            ],
        )
        for row in rows[:limit]
    ]
